"""Où en est la diffusion d'une réunion : combien de courriels sont partis, combien attendent, et pourquoi.

Une réunion devient « convoquée » quand plus aucun courriel de sa révision en cours n'attend de partir :
chacun a été accepté par le serveur (ou déposé dans la boîte d'envoi), sauf ceux qu'il a refusés pour de bon
ou dont l'envoi est incertain, qui sont signalés à part. Jusque-là, la convocation est « en cours ».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.envoi.causes import cause_courte
from gouvernance.envoi.expedition import A_ENVOYER
from gouvernance.envoi.suivi import cause_la_plus_recente
from gouvernance.francais import compte, date_longue, heure
from gouvernance.reunions.vue import FUSEAU
from modeles import EtatMessage, Message, NatureMessage, Reunion, StatutReunion

#: Les courriels qui diffusent une révision de la réunion aux invités.
NATURES_DIFFUSION = (NatureMessage.CONVOCATION, NatureMessage.MODIFICATION, NatureMessage.ANNULATION)
#: Les états d'un courriel qui n'est pas encore parti, mais partira (ou part en ce moment).
EN_ATTENTE = (*A_ENVOYER, EtatMessage.EN_COURS)
ACCEPTES = (EtatMessage.ENVOYE, EtatMessage.DEPOSE)


@dataclass(frozen=True)
class EtatDiffusion:
    """Les courriels de la révision en cours d'une réunion, comptés par issue."""

    reunion_id: int
    #: convocation, modification ou annulation : ce que cette révision annonce.
    nature: NatureMessage
    envoyes: int
    en_attente: int
    refuses: int
    incertains: int
    #: La cause qui retient les courriels en attente (« serveur injoignable : … »), et depuis quand.
    cause: str | None = None
    depuis: datetime | None = None
    #: L'heure où le serveur a accepté le dernier courriel parti : la date de la convocation.
    dernier_accepte: datetime | None = None

    @property
    def est_en_cours(self) -> bool:
        return self.en_attente > 0

    def ligne(self, *, maintenant: datetime) -> str:
        """« convocation en cours : 12 envoyés, 28 en attente (serveur injoignable depuis 9 h 02) »."""
        comptes = [f"{compte(self.envoyes, 'envoyé')}", f"{self.en_attente} en attente"]
        if self.refuses:
            comptes.append(compte(self.refuses, "refusé"))
        if self.incertains:
            comptes.append(compte(self.incertains, "incertain"))
        texte = f"{self.nature.libelle} en cours : {', '.join(comptes)}"
        if self.cause and self.depuis:
            texte += f" ({cause_courte(self.cause)} depuis {_quand(self.depuis, maintenant)})"
        return texte


def etat_de_la_diffusion(session: Session, reunion: Reunion) -> EtatDiffusion | None:
    """Les courriels de la révision en cours (convocation, modification ou annulation) ; None s'il n'y en a pas."""
    messages = list(
        session.scalars(
            select(Message).where(
                Message.reunion_id == reunion.id,
                Message.sequence == reunion.sequence,
                Message.nature.in_(NATURES_DIFFUSION),
                Message.etat != EtatMessage.CADUC,
            )
        )
    )
    return resumer(reunion.id, messages) if messages else None


def resumer(reunion_id: int, messages: Sequence[Message]) -> EtatDiffusion:
    """Compte les courriels d'une même révision par issue."""
    natures = {message.nature for message in messages}
    nature = next(n for n in reversed(NATURES_DIFFUSION) if n in natures or n is NatureMessage.CONVOCATION)
    en_attente = [message for message in messages if message.etat in EN_ATTENTE]
    acceptes = [message.accepte_le for message in messages if message.etat in ACCEPTES and message.accepte_le]
    cause = cause_la_plus_recente(en_attente)
    return EtatDiffusion(
        reunion_id=reunion_id,
        nature=nature,
        envoyes=sum(1 for message in messages if message.etat in ACCEPTES),
        en_attente=len(en_attente),
        refuses=sum(1 for message in messages if message.etat == EtatMessage.ECHEC),
        incertains=sum(1 for message in messages if message.etat == EtatMessage.INCERTAIN),
        cause=cause[0] if cause else None,
        depuis=cause[1] if cause else None,
        dernier_accepte=max(acceptes, default=None),
    )


def constater_diffusion(session: Session, reunion: Reunion) -> EtatDiffusion | None:
    """Quand plus rien n'attend de partir, la réunion devient convoquée, à l'heure du dernier courriel accepté.

    Une modification achevée avance `convoquee_le` ; une annulation ne change rien (la réunion l'est déjà).
    """
    etat = etat_de_la_diffusion(session, reunion)
    if etat is None or etat.est_en_cours or etat.dernier_accepte is None:
        return etat
    if etat.nature is NatureMessage.ANNULATION or reunion.statut not in (
        StatutReunion.PLANIFIEE,
        StatutReunion.CONVOQUEE,
    ):
        return etat
    reunion.statut = StatutReunion.CONVOQUEE
    if reunion.convoquee_le is None or reunion.convoquee_le < etat.dernier_accepte:
        reunion.convoquee_le = etat.dernier_accepte
    return etat


def convocation_commencee(session: Session, reunion: Reunion) -> bool:
    """Vrai si la convocation de la révision en cours a déjà été préparée (partie ou non)."""
    requete = select(Message.id).where(
        Message.reunion_id == reunion.id,
        Message.sequence == reunion.sequence,
        Message.nature == NatureMessage.CONVOCATION,
    )
    return session.scalar(requete.limit(1)) is not None


def a_ete_diffusee(session: Session, reunion: Reunion) -> bool:
    """Vrai si un courriel de convocation ou de modification est parti (ou a peut-être été reçu)."""
    requete = select(Message.id).where(
        Message.reunion_id == reunion.id,
        Message.nature.in_((NatureMessage.CONVOCATION, NatureMessage.MODIFICATION)),
        Message.etat.in_((*ACCEPTES, EtatMessage.INCERTAIN, EtatMessage.EN_COURS)),
    )
    return session.scalar(requete.limit(1)) is not None


def _quand(instant: datetime, maintenant: datetime) -> str:
    """« 9 h 02 » le jour même, « le 4 décembre 2026 à 9 h 02 » avant, à l'heure de Paris."""
    if instant.astimezone(FUSEAU).date() == maintenant.astimezone(FUSEAU).date():
        return heure(instant)
    return f"le {date_longue(instant)} à {heure(instant)}"
