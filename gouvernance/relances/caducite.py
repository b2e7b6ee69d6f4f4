"""Jamais de relance périmée : une relance pas encore partie dont l'objet a disparu devient « caduque ».

Une réunion annulée ou déplacée (SEQUENCE relevé), un invité qui a répondu, un compte rendu importé entre la
préparation et l'envoi : la relance n'est pas envoyée. La raison est gardée dans la boîte d'envoi.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gouvernance.accords import accorder
from gouvernance.comptes_rendus.preparation import origine
from gouvernance.envoi.expedition import A_ENVOYER
from gouvernance.relances.preparation import LigneRelance
from gouvernance.relances.recapitulatif import NATURES_RELANCE
from gouvernance.relances.selection import attend_un_compte_rendu, attend_une_reponse
from modeles import (
    CompteRendu,
    EtatMessage,
    Invitation,
    Message,
    NatureMessage,
    ReponseInvitation,
    Reunion,
    StatutReunion,
)


def relances_perimees(session: Session, *, jour: date) -> list[tuple[Message, str]]:
    """Les relances encore à envoyer qui n'ont plus lieu d'être, chacune avec sa raison ; rien n'est écrit."""
    requete = (
        select(Message)
        .where(Message.nature.in_(NATURES_RELANCE), Message.etat.in_(A_ENVOYER))
        .order_by(Message.id)
        # Réunions, invitations et invités lus une fois pour tous les messages, pas message par message.
        .options(selectinload(Message.reunion).selectinload(Reunion.invitations).selectinload(Invitation.personne))
    )
    perimees = []
    for message in session.scalars(requete).all():
        raison = raison_de_caducite(session, message, jour=jour)
        if raison is not None:
            perimees.append((message, raison))
    return perimees


def ecarter_relances_perimees(session: Session, *, jour: date) -> list[LigneRelance]:
    """Marque « caduc » chaque relance encore à envoyer qui n'a plus lieu d'être ; renvoie lesquelles, et pourquoi."""
    lignes = []
    for message, raison in relances_perimees(session, jour=jour):
        message.etat = EtatMessage.CADUC
        message.reponse_serveur = f"non envoyé : {raison}"
        lignes.append(ligne_caduque(message, raison))
    session.flush()
    return lignes


def ligne_caduque(message: Message, raison: str, *, etat: str = EtatMessage.CADUC) -> LigneRelance:
    """La ligne d'une relance périmée (déjà caduque, ou qui le deviendrait en simulation)."""
    return LigneRelance(
        nature=message.nature,
        sujet=origine(message.reunion) if message.reunion else "réunion supprimée",
        destinataire=message.destinataire,
        nom_destinataire=message.nom_destinataire or "",
        etat=etat,
        cle=message.cle,
        message=message.id,
        raison=raison,
    )


def raison_de_caducite(session: Session, message: Message, *, jour: date) -> str | None:
    """Pourquoi cette relance ne doit plus partir ; None si elle a toujours lieu d'être."""
    reunion = message.reunion
    if reunion is None:
        return "la réunion n'existe plus"
    if reunion.statut is StatutReunion.ANNULEE:
        return "la réunion a été annulée"
    if message.nature is NatureMessage.RELANCE_COMPTE_RENDU:
        compte_rendu = session.scalar(select(CompteRendu).where(CompteRendu.reunion_id == reunion.id))
        return None if attend_un_compte_rendu(reunion, compte_rendu) else "le compte rendu a été importé entre-temps"
    return _raison_reponse(message, reunion, jour)


def _raison_reponse(message: Message, reunion: Reunion, jour: date) -> str | None:
    if message.sequence != reunion.sequence:
        return f"la réunion a été modifiée depuis (révision {reunion.sequence}) : une relance à jour la remplace"
    invitation = _invitation(reunion, message.destinataire)
    if invitation is None:
        return "la personne n'est plus invitée"
    if attend_une_reponse(reunion, invitation, jour):
        return None
    if invitation.reponse is not ReponseInvitation.SANS_REPONSE:
        civilite = invitation.personne.civilite
        qui, reponse = accorder("l'invité(e)", civilite), accorder(invitation.reponse.libelle, civilite)
        return f"{qui} a répondu entre-temps ({reponse})"
    if reunion.statut is not StatutReunion.CONVOQUEE:
        return f"la réunion n'est plus à convoquer (elle est {reunion.statut.libelle})"
    return "la réunion a lieu aujourd'hui ou a déjà eu lieu"


def _invitation(reunion: Reunion, email: str) -> Invitation | None:
    cle = email.casefold()
    return next((i for i in reunion.invitations if i.personne.email.casefold() == cle), None)
