"""Relever la boîte du coordinateur : chaque nouveau courriel est examiné une fois, ses réponses appliquées.

La lecture (réseau) et l'enregistrement (base) sont séparés : la base n'est verrouillée qu'une fois tous les
courriels téléchargés. Un courriel sans calendrier n'est jamais téléchargé ; une réponse suit exactement les
règles de `ctg reponses importer` (révision dépassée, UID inconnu, personne non invitée, réunion annulée,
réponse plus ancienne : signalées, pas appliquées).
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.reunions.imap.connexion import Apercu, BoiteImap
from gouvernance.reunions.imap.reglages import ReglagesImap
from gouvernance.reunions.imap.structure import porte_un_calendrier
from gouvernance.reunions.reponses import ResultatReponse, appliquer_fichiers
from gouvernance.reunions.reponses_fichiers import lire_octets
from gouvernance.reunions.reponses_itip import TAILLE_MAX, nettoyer
from modeles import CourrielRecu

Nature = Literal["calendrier", "sans_calendrier", "trop_volumineux", "deja_traite"]
Etat = Literal["applique", "ignore", "refuse"]


@dataclass(frozen=True)
class DejaTraites:
    """Ce qui a déjà été relevé dans un dossier : les UID par UIDVALIDITY, et les Message-ID."""

    uids: Mapping[int, frozenset[int]]
    message_ids: frozenset[str]


@dataclass(frozen=True)
class CourrielLu:
    """Un nouveau courriel de la boîte : ses en-têtes, ce qu'il est, et son contenu s'il porte un calendrier."""

    uid: int
    message_id: str | None
    expediteur: str
    objet: str
    nature: Nature
    taille: int
    contenu: bytes | None = None


@dataclass(frozen=True)
class Releve:
    """Les nouveaux courriels d'un dossier, lus en une connexion."""

    dossier: str
    uidvalidity: int
    courriels: tuple[CourrielLu, ...]
    #: Les courriels du dossier déjà traités par un relevé précédent, ni relus ni comptés ailleurs.
    deja_releves: int
    #: La taille au-delà de laquelle un courriel n'est pas téléchargé, en octets.
    taille_max: int = TAILLE_MAX


@dataclass(frozen=True)
class LigneReleve:
    """Ce qu'est devenu un courriel à calendrier (ou trop volumineux) : une ligne du compte rendu du relevé."""

    uid: int
    expediteur: str
    objet: str
    etat: Etat
    #: La réponse enregistrée, ou la raison de l'écarter.
    texte: str
    reunion: int | None = None
    reponse: str | None = None

    @property
    def raison(self) -> str | None:
        """Pourquoi la réponse n'a pas été enregistrée ; None si elle l'a été."""
        return None if self.etat == "applique" else self.texte

    @property
    def ligne(self) -> str:
        """« karim@example.org, « Refusé : COPIL » : karim@example.org s'est excusé(e)… »"""
        return f"{self.expediteur}, « {self.objet} » : {self.texte}"

    def en_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "expediteur": self.expediteur,
            "objet": self.objet,
            "reunion": self.reunion,
            "reponse": self.reponse,
            "etat": self.etat,
            "raison": self.raison,
        }


@dataclass(frozen=True)
class BilanReleve:
    """Le bilan d'un relevé : une ligne par courriel à calendrier, et le compte des autres."""

    dossier: str
    lignes: tuple[LigneReleve, ...]
    #: Les nouveaux courriels sans calendrier : examinés par leur structure, jamais téléchargés.
    sans_calendrier: int = 0
    #: Les nouveaux courriels dont le Message-ID a déjà été traité (copie, ou dossier renuméroté).
    doublons: int = 0
    deja_releves: int = 0

    def nombre(self, etat: Etat) -> int:
        return sum(1 for ligne in self.lignes if ligne.etat == etat)

    @property
    def nouveaux(self) -> int:
        return len({ligne.uid for ligne in self.lignes}) + self.sans_calendrier + self.doublons

    def resume(self, *, simulation: bool = False) -> str:
        """« 4 nouveaux courriels dans « INBOX » : 2 réponses enregistrées, 0 ignorée, 1 refusée ; 1 sans… »"""
        debut = "Simulation, rien n'a été enregistré. " if simulation else ""
        deja = f" ({_compter(self.deja_releves, 'courriel déjà relevé', 'courriels déjà relevés')})"
        deja = deja if self.deja_releves else ""
        if not self.nouveaux:
            return f"{debut}Aucun nouveau courriel dans « {self.dossier} »{deja}."
        appliquees = self.nombre("applique")
        enregistrees = (
            _compter(appliquees, "réponse à enregistrer", "réponses à enregistrer")
            if simulation
            else _compter(appliquees, "réponse enregistrée", "réponses enregistrées")
        )
        texte = (
            f"{debut}{_compter(self.nouveaux, 'nouveau courriel', 'nouveaux courriels')} dans « {self.dossier} »"
            f"{deja} : {enregistrees}, {_compter(self.nombre('ignore'), 'ignorée', 'ignorées')}, "
            f"{_compter(self.nombre('refuse'), 'refusée', 'refusées')} ; "
            f"{self.sans_calendrier} sans calendrier (non téléchargé{'s' if self.sans_calendrier > 1 else ''})"
        )
        if self.doublons:
            texte += f" ; {_compter(self.doublons, 'copie', 'copies')} d'un courriel déjà traité"
        return texte + "."

    def en_json(self) -> dict[str, Any]:
        return {
            "dossier": self.dossier,
            "nouveaux": self.nouveaux,
            "sans_calendrier": self.sans_calendrier,
            "doublons": self.doublons,
            "deja_releves": self.deja_releves,
            "reponses": [ligne.en_json() for ligne in self.lignes],
        }


def charger_deja_traites(session: Session, dossier: str) -> DejaTraites:
    """Ce qui a déjà été relevé dans `dossier`."""
    uids: dict[int, set[int]] = {}
    message_ids: set[str] = set()
    requete = select(CourrielRecu.uidvalidity, CourrielRecu.uid, CourrielRecu.message_id)
    for uidvalidity, uid, message_id in session.execute(requete.where(CourrielRecu.dossier == dossier)):
        uids.setdefault(uidvalidity, set()).add(uid)
        if message_id:
            message_ids.add(message_id)
    return DejaTraites({cle: frozenset(valeurs) for cle, valeurs in uids.items()}, frozenset(message_ids))


def lire_boite(reglages: ReglagesImap, deja: DejaTraites, *, taille_max: int = TAILLE_MAX) -> Releve:
    """Les courriels pas encore traités du dossier ; seuls ceux qui portent un calendrier sont téléchargés."""
    with BoiteImap(reglages) as boite:
        connus = deja.uids.get(boite.uidvalidity, frozenset())
        tous = boite.uids()
        nouveaux = [uid for uid in tous if uid not in connus]
        vus = set(deja.message_ids)
        courriels: list[CourrielLu] = []
        for apercu in boite.apercus(nouveaux):
            courriel = examiner(apercu, vus, taille_max=taille_max)
            if courriel.nature == "calendrier":
                contenu = boite.telecharger(courriel.uid, taille_max)
                # Le serveur a pu annoncer une taille fausse : la limite vaut pour ce qui arrive vraiment.
                nature: Nature = "calendrier" if len(contenu) <= taille_max else "trop_volumineux"
                courriel = replace(courriel, nature=nature, contenu=contenu if nature == "calendrier" else None)
            courriels.append(courriel)
            if courriel.message_id:
                vus.add(courriel.message_id)
    deja_releves = len(tous) - len(nouveaux)
    return Releve(reglages.dossier, boite.uidvalidity, tuple(courriels), deja_releves, taille_max)


def examiner(apercu: Apercu, deja_vus: set[str], *, taille_max: int = TAILLE_MAX) -> CourrielLu:
    """Ce qu'est un courriel d'après sa structure, sa taille et son Message-ID, sans son contenu."""
    entetes = email.message_from_bytes(apercu.entetes, policy=email.policy.compat32)
    message_id = nettoyer(str(entetes.get("Message-ID") or ""), 500) or None
    nature: Nature
    if message_id is not None and message_id in deja_vus:
        nature = "deja_traite"
    elif not porte_un_calendrier(apercu.structure):
        nature = "sans_calendrier"
    elif apercu.taille > taille_max:
        nature = "trop_volumineux"
    else:
        nature = "calendrier"
    return CourrielLu(
        uid=apercu.uid,
        message_id=message_id,
        expediteur=_expediteur(_entete(entetes, "From")),
        objet=nettoyer(_entete(entetes, "Subject"), 120) or "(sans objet)",
        nature=nature,
        taille=apercu.taille,
    )


def enregistrer_releve(session: Session, releve: Releve, *, maintenant: datetime) -> BilanReleve:
    """Applique les réponses des courriels relevés et note chaque courriel comme traité ; rien n'est retraité."""
    enregistres = _deja_enregistres(session, releve)
    lignes: list[LigneReleve] = []
    sans_calendrier = doublons = 0
    for courriel in releve.courriels:
        if courriel.uid in enregistres:  # un autre relevé, lancé en même temps, l'a traité entre-temps
            continue
        resultats = _traiter(session, courriel, releve.taille_max, maintenant=maintenant)
        lignes.extend(resultats)
        sans_calendrier += courriel.nature == "sans_calendrier"
        doublons += courriel.nature == "deja_traite"
        session.add(
            CourrielRecu(
                dossier=releve.dossier,
                uidvalidity=releve.uidvalidity,
                uid=courriel.uid,
                message_id=courriel.message_id,
                resultat=_resultat(courriel, resultats),
                detail="\n".join(ligne.texte for ligne in resultats) or None,
                traite_le=maintenant,
            )
        )
    session.flush()
    return BilanReleve(releve.dossier, tuple(lignes), sans_calendrier, doublons, releve.deja_releves)


def _traiter(session: Session, courriel: CourrielLu, taille_max: int, *, maintenant: datetime) -> list[LigneReleve]:
    if courriel.nature == "trop_volumineux":
        texte = (
            f"courriel trop volumineux ({_taille(courriel.taille)} ; {_taille(taille_max)} au plus) : "
            "il n'est pas téléchargé, ouvrez-le dans votre messagerie"
        )
        return [LigneReleve(courriel.uid, courriel.expediteur, courriel.objet, "refuse", texte)]
    if courriel.nature != "calendrier" or courriel.contenu is None:
        return []
    lu = lire_octets(f"courriel n°{courriel.uid}", courriel.contenu)
    bilan = appliquer_fichiers(session, [lu], maintenant=maintenant)
    return [_ligne(courriel, resultat) for resultat in bilan.resultats]


def _ligne(courriel: CourrielLu, resultat: ResultatReponse) -> LigneReleve:
    texte = resultat.texte
    if resultat.etat != "applique" and resultat.email and resultat.email.casefold() not in texte.casefold():
        texte = f"réponse de {resultat.email} : {texte}"
    return LigneReleve(
        courriel.uid, courriel.expediteur, courriel.objet, resultat.etat, texte, resultat.reunion, resultat.reponse
    )


def _resultat(courriel: CourrielLu, lignes: Sequence[LigneReleve]) -> str:
    """Ce qu'on retient du courriel : une réponse enregistrée l'emporte sur un refus, un refus sur « rien de neuf »."""
    if courriel.nature != "calendrier":
        return courriel.nature
    etats = {ligne.etat for ligne in lignes}
    return "applique" if "applique" in etats else "refuse" if "refuse" in etats else "ignore"


def _taille(octets: int) -> str:
    """« 6,2 Mo », « 4,9 ko »."""
    valeur, unite = (octets / 2**20, "Mo") if octets >= 2**20 else (octets / 1024, "ko")
    return f"{valeur:.1f}".replace(".", ",").removesuffix(",0") + f"\u00a0{unite}"


def _deja_enregistres(session: Session, releve: Releve) -> set[int]:
    uids = {courriel.uid for courriel in releve.courriels}
    requete = select(CourrielRecu.uid).where(
        CourrielRecu.dossier == releve.dossier, CourrielRecu.uidvalidity == releve.uidvalidity
    )
    return {uid for uid in session.scalars(requete) if uid in uids}


def _entete(entetes: email.message.Message, nom: str) -> str:
    """Un en-tête en texte : encodé RFC 2047 (« =?utf-8?q?…?= »), ou écrit en UTF-8 brut (RFC 6532)."""
    brut = entetes.get(nom)
    if brut is None:
        return ""
    if isinstance(brut, email.header.Header):  # des octets hors ASCII : de l'UTF-8 brut, le plus souvent
        return "".join(
            morceau.decode("utf-8", errors="replace") if isinstance(morceau, bytes) else morceau
            for morceau, _ in email.header.decode_header(brut)
        )
    try:
        return str(email.header.make_header(email.header.decode_header(brut)))
    except (ValueError, LookupError, UnicodeError):
        return str(brut)


def _expediteur(valeur: str) -> str:
    nom, adresse = email.utils.parseaddr(valeur)
    return nettoyer(adresse or nom or valeur, 120) or "(expéditeur inconnu)"


def _compter(nombre: int, singulier: str, pluriel: str) -> str:
    return f"{nombre} {singulier if nombre <= 1 else pluriel}"
