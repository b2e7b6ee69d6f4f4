"""Le compte rendu validé au format Word : la version officielle, écrite d'après ce que l'import a relevé.

Rien du brouillon n'y passe : ni ligne vide, ni « Échanges » sans texte, ni pointillés, ni colonne « Réf. ».
Les orientations sont écrites en entier (code et intitulé), les dates en toutes lettres, les présences
accordées avec la civilité. C'est ce fichier, et son PDF, que l'on fige et diffuse.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from gouvernance.comptes_rendus.document import marquer
from gouvernance.comptes_rendus.docx_ancres import (
    PROPRIETE_DATE,
    PROPRIETE_IDENTIFIANT,
    PROPRIETE_TYPE,
    PROPRIETE_VERSION,
    TYPE_COMPTE_RENDU_VALIDE,
)
from gouvernance.comptes_rendus.presences import presence_ecrite
from gouvernance.comptes_rendus.vue import ActionVue, CompteRenduVue
from gouvernance.documents.contexte import contexte
from gouvernance.documents.rendu import proprietes_reunion, rendre_docx
from gouvernance.francais import date_longue
from gouvernance.reunions.vue import OrientationVue
from modeles.vocabulaire import StatutAction

COMPTE_RENDU_OFFICIEL = "compte_rendu_officiel.docx"

_DATE_EN_CHIFFRES = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?![\d/]|\.\d)")


def dates_en_toutes_lettres(texte: str) -> str:
    """« le 31/03/2027 » → « le 31 mars 2027 » : une seule écriture des dates dans le compte rendu."""

    def ecrire(forme: re.Match[str]) -> str:
        annee = int(forme[3]) if len(forme[3]) == 4 else 2000 + int(forme[3])
        try:
            return date_longue(date(annee, int(forme[2]), int(forme[1])))
        except ValueError:  # pas une date du calendrier : laissée telle que le secrétaire l'a écrite
            return forme[0]

    return _DATE_EN_CHIFFRES.sub(ecrire, texte)


def _orientations(orientations: tuple[OrientationVue, ...]) -> list[str]:
    return [f"Orientation {o.code} – {o.intitule}" for o in orientations]


def _action(action: ActionVue) -> dict[str, object]:
    return {
        "libelle": action.libelle,
        "responsable": action.responsable or "",
        "echeance": date_longue(action.echeance) if action.echeance else "",
        "orientations": _orientations(action.orientations),
        "origine": action.origine or "",
        "statut": StatutAction(action.statut).libelle,
    }


def _paragraphes(texte: str) -> list[str]:
    return [dates_en_toutes_lettres(" ".join(ligne.split())) for ligne in texte.splitlines() if ligne.strip()]


def contexte_officiel(vue: CompteRenduVue) -> dict[str, object]:
    """Les variables du modèle compte_rendu_officiel.docx : celles des courriers, plus `compte_rendu`."""
    variables = contexte(vue.reunion, None, date_courrier=vue.date_document)
    variables["compte_rendu"] = {
        "secretaire": vue.secretaire or "",
        "precedent": vue.precedent or "",
        "prochaine_reunion": vue.prochaine_reunion or "",
        "participants": [
            {
                "nom": participant.nom_complet,
                "organisme": participant.organisme or "",
                "fonction": participant.fonction or "",
                "presence": presence_ecrite(participant.presence, participant.civilite, participant.represente_par),
            }
            for participant in vue.participants
        ],
        "points": [
            {
                "numero": point.ordre,
                "titre": point.titre,
                "rapporteur": point.rapporteur or "",
                "orientations": _orientations(point.orientations),
                "echanges": _paragraphes(vue.discussions.get(point.ordre, "")),
            }
            for point in sorted(vue.reunion.points, key=lambda point: point.ordre)
        ],
        "decisions": [
            {
                "numero": decision.numero,
                "texte": dates_en_toutes_lettres(decision.texte),
                "orientations": _orientations(decision.orientations),
            }
            for decision in vue.decisions
        ],
        "actions": [_action(action) for action in vue.actions],
        "actions_ouvertes": [_action(action) for action in vue.actions_ouvertes],
    }
    return variables


def construire_compte_rendu_officiel(vue: CompteRenduVue, *, modeles: Path) -> bytes:
    """Le compte rendu validé en Word, marqué de l'identifiant de la réunion et de sa version."""
    contenu = rendre_docx(
        modeles / COMPTE_RENDU_OFFICIEL,
        contexte_officiel(vue),
        proprietes_reunion(vue.reunion, "Compte rendu", date_courrier=vue.date_document),
    )
    reunion = vue.reunion
    proprietes = {
        PROPRIETE_IDENTIFIANT: vue.identifiant,
        PROPRIETE_VERSION: str(vue.version),
        PROPRIETE_TYPE: TYPE_COMPTE_RENDU_VALIDE,
        PROPRIETE_DATE: reunion.debut_local.date().isoformat(),
    }
    sujet = f"Compte rendu – {reunion.instance_intitule} – réunion du {date_longue(reunion.debut_local)}"
    return marquer(contenu, proprietes, identifiant=vue.identifiant, version=vue.version, sujet=sujet)
