"""Quand un compte rendu peut être importé et validé : après la réunion, et complet pour être validé."""

from __future__ import annotations

from datetime import datetime

from gouvernance.comptes_rendus.officiel import cle_invitation
from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import moment
from modeles import CompteRendu, Reunion


def exiger_reunion_tenue(reunion: Reunion, maintenant: datetime, participe: str) -> None:
    """DonneesInvalides si la réunion n'a pas encore commencé : son compte rendu ne peut pas être `participe`."""
    if reunion.debut > maintenant:
        raise DonneesInvalides(
            f"La réunion n°{reunion.id} n'a pas encore eu lieu : elle est prévue le {moment(reunion.debut)}. "
            f"Son compte rendu pourra être {participe} une fois la réunion tenue."
        )


def exiger_compte_rendu_complet(reunion: Reunion, compte_rendu: CompteRendu) -> None:
    """DonneesInvalides qui dit où compléter le fichier du secrétaire, s'il manque de quoi le valider."""
    problemes = []
    if not (compte_rendu.secretaire or "").strip():
        problemes.append(
            "le secrétaire de séance n'est pas nommé : écrivez son nom après « Secrétaire de séance : », sous le "
            "tableau des participants"
        )
    sans_presence = [
        i.personne.nom_complet for i in sorted(reunion.invitations, key=cle_invitation) if i.presence is None
    ]
    if sans_presence:
        problemes.append(
            f"la présence de {', '.join(sans_presence)} n'est pas renseignée : dans le tableau des participants, "
            "écrivez présent(e), excusé(e), absent(e) ou représenté(e) par … (ajoutez la ligne si elle manque)"
        )
    if problemes:
        raise DonneesInvalides(
            f"Le compte rendu de la réunion n°{reunion.id} ne peut pas être validé : "
            + " ; ".join(problemes)
            + f". Corrigez le fichier du secrétaire puis importez-le de nouveau (`ctg compte-rendu importer "
            f"{reunion.id} FICHIER.docx`)."
        )
