"""Envoyer les courriels d'une réunion et constater où en est sa diffusion ; reprendre ce qui attend encore.

Une convocation dont le serveur était injoignable n'est pas oubliée : la réunion reste « planifiée » (convocation
en cours) et le flux quotidien des relances renvoie ses courriels en attente, une seule fois chacun.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from gouvernance.envoi import BilanEnvoi, ReglagesSmtp, envoyer_messages
from gouvernance.envoi.expedition import A_ENVOYER
from gouvernance.reunions.diffusion import NATURES_DIFFUSION, EtatDiffusion, constater_diffusion
from gouvernance.reunions.verrou import verrouiller_diffusion
from modeles import EtatMessage, Message, NatureMessage, Reunion, StatutReunion
from modeles.moteur import ouvrir_session

__all__ = ["constater_diffusions", "envoyer_courriels", "reprendre_diffusions", "verrouiller_diffusion"]


def envoyer_courriels(
    moteur: Engine,
    messages: Sequence[int],
    *,
    smtp: ReglagesSmtp | None,
    boite: Path,
    dossier: Path,
    maintenant: Callable[[], datetime],
) -> BilanEnvoi:
    """Envoie (ou dépose) les messages, puis marque convoquée chaque réunion dont plus rien n'attend de partir."""
    bilan = envoyer_messages(moteur, messages, smtp=smtp, boite=boite, dossier=dossier, maintenant=maintenant)
    constater_diffusions(moteur, messages)
    return bilan


def constater_diffusions(moteur: Engine, messages: Sequence[int]) -> list[EtatDiffusion]:
    """Pour chaque réunion que ces messages diffusent : l'état de sa diffusion, et son statut s'il est acquis."""
    if not messages:
        return []
    with ouvrir_session(moteur, ecriture=True) as session:
        reunions = session.scalars(
            select(Reunion)
            .where(
                Reunion.id.in_(
                    select(Message.reunion_id).where(
                        Message.id.in_(list(messages)), Message.nature.in_(NATURES_DIFFUSION)
                    )
                )
            )
            .order_by(Reunion.id)
        ).all()
        return [etat for reunion in reunions if (etat := constater_diffusion(session, reunion)) is not None]


def reprendre_diffusions(moteur: Engine, *, maintenant: datetime) -> dict[int, list[int]]:
    """Les courriels de diffusion encore à envoyer, par réunion ; ceux devenus sans objet passent « caduc ».

    Sans objet : une révision remplacée depuis (SEQUENCE relevé), une convocation d'une réunion annulée
    depuis, ou d'une réunion déjà passée.
    """
    with ouvrir_session(moteur, ecriture=True) as session:
        attente = session.scalars(
            select(Message)
            .where(Message.nature.in_(NATURES_DIFFUSION), Message.etat.in_(A_ENVOYER), Message.reunion_id.is_not(None))
            .order_by(Message.id)
            .options(selectinload(Message.reunion))
        ).all()
        a_reprendre: dict[int, list[int]] = {}
        for message in attente:
            raison = _raison_de_caducite(message, maintenant)
            if raison is not None:
                message.etat = EtatMessage.CADUC
                message.reponse_serveur = f"non envoyé : {raison}"
            elif message.reunion_id is not None:
                a_reprendre.setdefault(message.reunion_id, []).append(message.id)
    return a_reprendre


def _raison_de_caducite(message: Message, maintenant: datetime) -> str | None:
    reunion = message.reunion
    if reunion is None:
        return None
    if message.sequence != reunion.sequence:
        return "la réunion a changé depuis (une version plus récente a été préparée)"
    if reunion.statut is StatutReunion.ANNULEE and message.nature != NatureMessage.ANNULATION:
        return "la réunion a été annulée depuis"
    if reunion.debut <= maintenant:
        return "la réunion est passée"
    return None
