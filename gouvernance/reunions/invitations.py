"""Tenir les invitations d'une réunion à jour des membres de son instance, jusqu'à la convocation.

Une réunion planifiée des mois à l'avance (`ctg calendrier planifier`) invite les membres du moment. Quand
elle est convoquée, un membre arrivé depuis est invité, un membre parti et jamais convoqué ne l'est plus,
et un rôle changé (nouvelle présidence) est repris. Une personne déjà convoquée n'est jamais retirée en
silence : elle a reçu une invitation, seule une annulation la lui retirerait.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from modeles import Invitation, Message, Reunion, RoleMembre


@dataclass
class Actualisation:
    """Ce que la mise à jour a changé : les adresses invitées en plus, retirées, et les rôles repris."""

    ajoutes: list[str] = field(default_factory=list)
    retires: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def lignes(self) -> list[str]:
        """Les changements en phrases françaises, pour la commande."""
        lignes = []
        if self.ajoutes:
            lignes.append(f"Invités depuis la planification (nouveaux membres) : {', '.join(self.ajoutes)}.")
        if self.retires:
            lignes.append(f"Plus invités (ne sont plus membres, jamais convoqués) : {', '.join(self.retires)}.")
        if self.roles:
            lignes.append(f"Rôle mis à jour : {', '.join(self.roles)}.")
        return lignes


def actualiser_invitations(session: Session, reunion: Reunion) -> Actualisation:
    """Aligne les invitations des membres sur les membres actuels de l'instance ; les invités en plus restent."""
    actualisation = aligner_invitations(reunion, destinataires_ecrits(session, reunion.id))
    session.flush()
    return actualisation


def destinataires_ecrits(session: Session, reunion_id: int) -> set[str]:
    """Les adresses à qui un courriel de la réunion a déjà été préparé : elles ne sont jamais désinvitées."""
    return set(session.scalars(select(Message.destinataire).where(Message.reunion_id == reunion_id).distinct()))


def aligner_invitations(reunion: Reunion, deja_ecrits: set[str]) -> Actualisation:
    """Le travail d'`actualiser_invitations`, sur les objets seulement : rien n'est écrit tant qu'on ne valide pas
    (l'aperçu d'une convocation s'en sert sans rien enregistrer)."""
    actualisation = Actualisation()
    membres = {membre.personne_id: membre for membre in reunion.instance.membres}
    for invitation in list(reunion.invitations):
        membre = membres.pop(invitation.personne_id, None)
        if membre is not None:
            if invitation.role not in (RoleMembre.INVITE, membre.role):
                invitation.role = membre.role
                actualisation.roles.append(f"{invitation.personne.email} ({membre.role.libelle})")
        elif invitation.role != RoleMembre.INVITE and invitation.personne.email not in deja_ecrits:
            reunion.invitations.remove(invitation)
            actualisation.retires.append(invitation.personne.email)
    for membre in membres.values():
        reunion.invitations.append(Invitation(personne=membre.personne, role=membre.role))
        actualisation.ajoutes.append(membre.personne.email)
    return actualisation
