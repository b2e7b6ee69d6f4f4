"""Avant de convoquer : qui recevra quoi, sans rien préparer ni envoyer (le bouton « Convoquer » le montre)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.reglages import Reglages
from gouvernance.reunions.cycle import ecrire_moment, verifier_convocable
from gouvernance.reunions.description import exiger_reunion
from gouvernance.reunions.invitations import actualiser_invitations
from gouvernance.reunions.lecture import lire_coordinateur
from modeles import Message, NatureMessage, RoleMembre


@dataclass(frozen=True)
class Destinataire:
    nom: str
    email: str
    role: str
    #: Ce que la personne recevra, en mots.
    pieces: tuple[str, ...]
    #: Devenu membre de l'instance depuis la planification : invité à la convocation.
    nouveau: bool
    #: Sa convocation de cette révision est déjà préparée (un passage précédent) : elle n'est pas refaite.
    deja_preparee: bool


@dataclass(frozen=True)
class ApercuConvocation:
    reunion_id: int
    titre: str
    quand: str
    destinataires: tuple[Destinataire, ...]
    #: Les adresses qui ne seront plus invitées (plus membres, jamais convoquées).
    retires: tuple[str, ...]


def apercevoir_convocation(
    session: Session, reunion_id: int, reglages: Reglages, *, maintenant: datetime, pdf: bool
) -> ApercuConvocation:
    """Les contrôles de la convocation, puis chaque destinataire et ce qu'il recevra ; rien n'est enregistré.

    La mise à jour des invitations d'après les membres de l'instance est calculée puis défaite : la session
    de l'appelant revient à son état d'avant (annulée).
    """
    lire_coordinateur(reglages)
    reunion = exiger_reunion(session, reunion_id)
    verifier_convocable(reunion, maintenant)
    try:
        actualisation = actualiser_invitations(session, reunion)
        deja = set(
            session.scalars(
                select(Message.destinataire).where(
                    Message.reunion_id == reunion.id,
                    Message.nature == NatureMessage.CONVOCATION,
                    Message.sequence == reunion.sequence,
                )
            )
        )
        pieces = _pieces(pdf)
        destinataires = tuple(
            Destinataire(
                nom=invitation.personne.nom_complet,
                email=invitation.personne.email,
                role="invité(e)" if invitation.role is RoleMembre.INVITE else invitation.role.libelle,
                pieces=pieces,
                nouveau=invitation.personne.email in actualisation.ajoutes,
                deja_preparee=invitation.personne.email in deja,
            )
            for invitation in reunion.invitations
        )
        return ApercuConvocation(
            reunion.id, reunion.titre, ecrire_moment(reunion.debut), destinataires, tuple(actualisation.retires)
        )
    finally:
        session.rollback()


def _pieces(pdf: bool) -> tuple[str, ...]:
    format_ = "Word et PDF" if pdf else "Word"
    return (
        f"sa lettre de convocation ({format_})",
        f"l'ordre du jour ({format_})",
        "un courriel avec l'invitation de calendrier (.ics)",
    )
