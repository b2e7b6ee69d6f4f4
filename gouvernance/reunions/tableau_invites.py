"""Le tableau des invités d'une réunion : qui est convoqué, ce qu'il a répondu, sa présence relevée.

C'est le tableau que laisse dans Prefect chaque flux qui produit les documents d'une réunion.
"""

from __future__ import annotations

from sqlalchemy import Engine

from gouvernance.accords import accorder
from gouvernance.reunions.description import exiger_reunion
from modeles import RoleMembre
from modeles.moteur import ouvrir_session


def tableau_des_invites(moteur: Engine, reunion_id: int) -> list[dict[str, str]]:
    """Une ligne par invité, dans l'ordre des invitations."""
    with ouvrir_session(moteur) as session:
        reunion = exiger_reunion(session, reunion_id)
        return [
            {
                "Invité": invitation.personne.nom_complet,
                "Adresse": invitation.personne.email,
                "Rôle": accorder(
                    "invité(e)" if invitation.role is RoleMembre.INVITE else invitation.role.libelle,
                    invitation.personne.civilite,
                ),
                "Réponse à l'invitation": accorder(invitation.reponse.libelle, invitation.personne.civilite)
                + (f" (par {invitation.delegue_a})" if invitation.delegue_a else ""),
                "Présence relevée": accorder(invitation.presence.libelle, invitation.personne.civilite)
                if invitation.presence
                else "",
            }
            for invitation in reunion.invitations
        ]
