"""Le tableau d'un envoi, une ligne par message : qui était destinataire, ce qu'il a répondu, ce qui est parti.

C'est le tableau que le coordinateur lit dans l'interface de Prefect (artefact) après chaque flux qui envoie.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, select

from gouvernance.reunions.vue import FUSEAU
from modeles import Invitation, Message, Personne, ReponseInvitation
from modeles.moteur import ouvrir_session


def tableau_des_messages(moteur: Engine, identifiants: Sequence[int]) -> list[dict[str, str]]:
    """Une ligne par message (dans l'ordre de la boîte d'envoi), avec la réponse de l'invité à la réunion."""
    with ouvrir_session(moteur) as session:
        messages = list(session.scalars(select(Message).where(Message.id.in_(set(identifiants))).order_by(Message.id)))
        reunions = {message.reunion_id for message in messages if message.reunion_id is not None}
        reponses: dict[tuple[int | None, str], ReponseInvitation] = {
            (reunion_id, email): reponse
            for reunion_id, email, reponse in session.execute(
                select(Invitation.reunion_id, Personne.email, Invitation.reponse)
                .join(Personne, Invitation.personne_id == Personne.id)
                .where(Invitation.reunion_id.in_(reunions))
            )
        }
        return [_ligne(message, reponses.get((message.reunion_id, message.destinataire))) for message in messages]


def _ligne(message: Message, reponse: ReponseInvitation | None) -> dict[str, str]:
    accepte = message.accepte_le.astimezone(FUSEAU).strftime("%d/%m/%Y %H:%M") if message.accepte_le else ""
    return {
        "Destinataire": message.nom_destinataire or "",
        "Adresse": message.destinataire,
        "Nature": message.nature.libelle,
        "Réponse à l'invitation": reponse.libelle if reponse else "",
        "État de l'envoi": message.etat.libelle,
        "Accepté le (heure de Paris)": accepte,
        "Réponse du serveur": message.reponse_serveur or "",
    }
