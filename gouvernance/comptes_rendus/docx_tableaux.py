"""Lire les tableaux du compte rendu : les retrouver, ranger chaque cellule selon l'intitulé de sa
colonne, lire chaque valeur et noter chaque erreur avec le tableau et la ligne où elle se trouve."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import NamedTuple, TypeVar

from gouvernance.comptes_rendus import docx_corps as corps
from gouvernance.comptes_rendus.docx_ancres import (
    ACTIONS,
    ACTIONS_OUVERTES,
    DECISIONS,
    PARTICIPANTS,
    PREFIXE_ACTION,
    SIGNET_ACTIONS,
    SIGNET_ACTIONS_OUVERTES,
    SIGNET_DECISIONS,
    SIGNET_PARTICIPANTS,
    reference_action,
)
from gouvernance.comptes_rendus.docx_valeurs import (
    lire_echeance,
    lire_numero,
    lire_orientations,
    lire_presence,
    lire_statut,
)
from gouvernance.comptes_rendus.vue import ActionLue, DecisionLue, PresenceLue
from modeles.vocabulaire import Presence

#: Le signet de chaque tableau, et son nom dans les messages.
TABLEAUX = {
    "participants": (SIGNET_PARTICIPANTS, "tableau des participants"),
    "decisions": (SIGNET_DECISIONS, "tableau des décisions"),
    "actions": (SIGNET_ACTIONS, "tableau des actions"),
    "actions_ouvertes": (SIGNET_ACTIONS_OUVERTES, "tableau des actions en cours"),
}
_DEFINITIONS = {
    "participants": PARTICIPANTS,
    "decisions": DECISIONS,
    "actions": ACTIONS,
    "actions_ouvertes": ACTIONS_OUVERTES,
}
#: Sans ces colonnes, un tableau ne dit rien : on le signale plutôt que de l'ignorer.
_REQUISES = {
    "participants": ("nom", "presence"),
    "decisions": ("texte",),
    "actions": ("libelle",),
    "actions_ouvertes": ("libelle",),
}
_INTITULES = {"nom": "Nom", "presence": "Présence", "texte": "Décision", "libelle": "Action"}
_T = TypeVar("_T")
_SANS_PRESENCE: tuple[Presence | None, str | None] = (None, None)
_AUCUNE: tuple[str, ...] = ()
_REFERENCE = re.compile(r"\s*A\s*[-‐‑–—]?\s*(\d+)\s*", re.IGNORECASE)


def reperer(blocs: list[corps.Bloc]) -> dict[str, tuple[corps.Ligne, ...]]:
    """Les lignes de chaque tableau du compte rendu, l'en-tête en premier : par signet, sinon par en-tête."""
    trouves: dict[str, int] = {}
    for nature, (signet, _) in TABLEAUX.items():
        if (rang := corps.tableau_sous_signet(blocs, signet)) is not None:
            trouves[nature] = rang
    for rang, bloc in enumerate(blocs):
        if bloc.lignes is None or rang in trouves.values() or (entete := corps.entete(bloc.lignes)) is None:
            continue
        reconnue = corps.nature(corps.colonnes(bloc.lignes[entete].cellules))
        if reconnue is not None and reconnue not in trouves:
            trouves[reconnue] = rang
    return {nature: blocs[rang].lignes or () for nature, rang in trouves.items()}


class _Rangee(NamedTuple):
    numero: int  # sous l'en-tête, à partir de 1, lignes vides comprises : comme le secrétaire les compte
    ou: str  # « tableau des actions, ligne 3 », pour les messages
    cellules: dict[str, str]  # le texte de chaque colonne reconnue, espaces resserrées
    signets: frozenset[str]


class Lecteur:
    """Lit les lignes des tableaux et note chaque erreur, pour les signaler toutes d'un coup."""

    def __init__(self, reference: date) -> None:
        self.reference = reference
        self.erreurs: list[str] = []

    def rangees(self, nature: str, lignes: tuple[corps.Ligne, ...]) -> list[_Rangee]:
        """Les lignes remplies du tableau, chaque cellule rangée selon l'intitulé de sa colonne."""
        if not lignes:  # tableau absent : rubrique sans objet, ou supprimée par le secrétaire
            return []
        rang_entete = corps.entete(lignes)
        colonnes = corps.colonnes(lignes[rang_entete].cellules) if rang_entete is not None else {}
        defaut = corps.PAR_DEFAUT[nature]
        if max((len(ligne.cellules) for ligne in lignes), default=0) == max(defaut.values()) + 1:
            colonnes = {**defaut, **colonnes}  # les colonnes du modèle, aux intitulés méconnaissables
        nom = TABLEAUX[nature][1]
        if requises := [c for c in _REQUISES[nature] if c not in colonnes]:
            titres = " | ".join(titre for titre, _ in _DEFINITIONS[nature])
            self.erreurs.append(
                f"le {nom} n'a plus de colonne « {_INTITULES[requises[0]]} » : rétablissez son en-tête ({titres})"
            )
            return []
        resultat = []
        for numero, ligne in enumerate(lignes[(rang_entete if rang_entete is not None else 0) + 1 :], start=1):
            cellules = {
                cle: " ".join(ligne.cellules[rang].split())
                for cle, rang in colonnes.items()
                if rang < len(ligne.cellules)
            }
            if any(texte for cle, texte in cellules.items() if cle not in {"numero", "reference"}):
                resultat.append(_Rangee(numero, f"{nom}, ligne {numero}", cellules, ligne.signets))
        return resultat

    def lire(self, ou: str, lecture: Callable[[str], _T], texte: str | None, defaut: _T) -> _T:
        """La valeur lue dans `texte` ; `defaut` si la cellule est vide, ou illisible (l'erreur est notée)."""
        if not texte:
            return defaut
        try:
            return lecture(texte)
        except ValueError as erreur:
            self.erreurs.append(f"{ou} : {erreur}")
            return defaut

    def presences(self, lignes: tuple[corps.Ligne, ...]) -> tuple[PresenceLue, ...]:
        """Les lignes du tableau des participants : nom, organisme et présence."""
        resultat = []
        for rangee in self.rangees("participants", lignes):
            nom, presence_ecrite = rangee.cellules.get("nom", ""), rangee.cellules.get("presence", "")
            if not nom or not presence_ecrite:
                manque = "le nom est vide" if not nom else f"la présence de {nom} n'est pas indiquée"
                self.erreurs.append(f"{rangee.ou} : {manque} (complétez la ligne ou supprimez-la)")
                continue
            presence, par = self.lire(rangee.ou, lire_presence, presence_ecrite, _SANS_PRESENCE)
            organisme = rangee.cellules.get("organisme") or None
            resultat.append(PresenceLue(rangee.numero, nom, organisme, presence, par))
        return tuple(resultat)

    def decisions(self, lignes: tuple[corps.Ligne, ...]) -> tuple[DecisionLue, ...]:
        """Les lignes du tableau des décisions : numéro (s'il est écrit), texte et orientations."""
        resultat = []
        for rangee in self.rangees("decisions", lignes):
            cellules, ou = rangee.cellules, rangee.ou
            if not cellules.get("texte"):
                self.erreurs.append(f"{ou} : la décision n'est pas écrite (écrivez-la ou videz la ligne)")
                continue
            numero = self.lire(ou, lire_numero, cellules.get("numero"), None)
            codes = self.lire(ou, lire_orientations, cellules.get("orientations"), _AUCUNE)
            resultat.append(DecisionLue(rangee.numero, numero, cellules["texte"], codes))
        return tuple(resultat)

    def actions(self, nature: str, lignes: tuple[corps.Ligne, ...]) -> tuple[ActionLue, ...]:
        """Les lignes d'un tableau d'actions, chacune reliée à l'action qu'elle reprend par sa référence."""
        resultat: list[ActionLue] = []
        deja: dict[int, int] = {}
        for rangee in self.rangees(nature, lignes):
            cellules, ou = rangee.cellules, rangee.ou
            if not cellules.get("libelle"):
                self.erreurs.append(f"{ou} : l'action n'est pas écrite (écrivez-la ou videz la ligne)")
                continue
            identifiant = _identifiant(cellules.get("reference", ""), rangee.signets)
            if identifiant is not None and identifiant in deja:
                self.erreurs.append(
                    f"{ou} : la référence {reference_action(identifiant)} figure déjà ligne {deja[identifiant]} "
                    "(effacez-la sur la ligne recopiée : une nouvelle action n'a pas de référence)"
                )
                continue
            if identifiant is not None:
                deja[identifiant] = rangee.numero
            echeance = self.lire(ou, lambda texte: lire_echeance(texte, self.reference), cellules.get("echeance"), None)
            action = ActionLue(
                ligne=rangee.numero,
                identifiant=identifiant,
                libelle=cellules["libelle"],
                responsable=cellules.get("responsable") or None,
                echeance=echeance,
                orientations=self.lire(ou, lire_orientations, cellules.get("orientations"), _AUCUNE),
                statut=self.lire(ou, lire_statut, cellules.get("statut"), None),
            )
            resultat.append(action)
        return tuple(resultat)


def _identifiant(reference: str, signets: frozenset[str]) -> int | None:
    """L'action que reprend la ligne : sa référence visible « A-12 », à défaut son signet « ctg_action_12 »."""
    if forme := _REFERENCE.fullmatch(reference):
        return int(forme[1])
    numeros = {
        int(nom.removeprefix(PREFIXE_ACTION))
        for nom in signets
        if nom.startswith(PREFIXE_ACTION) and nom.removeprefix(PREFIXE_ACTION).isdigit()
    }
    return numeros.pop() if len(numeros) == 1 else None
