"""Quand un message est incertain : le serveur l'a peut-être reçu, on ne sait pas.

Soit la connexion s'est perdue après la transmission du message et avant la réponse du serveur (l'envoi l'a
noté « incertain »), soit le processus qui l'envoyait s'est arrêté net (`kill -9`, machine éteinte) et le
message est resté « en cours » : au-delà de la durée d'un envoi, il est incertain lui aussi.
Aucun envoi ne le renvoie seul ; le coordinateur vérifie auprès du destinataire, puis tranche (`verification.py`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from modeles import EtatMessage, Message, NatureMessage, StatutReunion

#: Plus longtemps qu'aucun envoi d'un seul message ne dure (chaque échange SMTP attend au plus CTG_SMTP_TIMEOUT,
#: 30 s par défaut) : un message « en cours » depuis plus longtemps a perdu le processus qui l'envoyait.
DUREE_MAX_D_UN_ENVOI = timedelta(minutes=10)
#: Les messages qui annoncent une révision de la réunion : une révision plus récente les rend périmés.
NATURES_DE_REVISION = (NatureMessage.CONVOCATION, NatureMessage.MODIFICATION)


def limite_d_interruption(maintenant: datetime) -> datetime:
    """Un message passé « en cours » avant cet instant, et resté ainsi, a été interrompu."""
    return maintenant - DUREE_MAX_D_UN_ENVOI


def est_interrompu(message: Message, maintenant: datetime) -> bool:
    """Vrai pour un message resté « en cours » plus longtemps qu'un envoi ne dure (ou depuis avant `tente_le`)."""
    return message.etat is EtatMessage.EN_COURS and (
        message.tente_le is None or message.tente_le < limite_d_interruption(maintenant)
    )


def etat_constate(message: Message, maintenant: datetime) -> EtatMessage:
    """L'état à montrer : « incertain » pour un message interrompu, l'état enregistré sinon."""
    return EtatMessage.INCERTAIN if est_interrompu(message, maintenant) else message.etat


def est_incertain(message: Message, maintenant: datetime) -> bool:
    """Vrai pour un message que seul le coordinateur peut trancher : incertain, ou interrompu."""
    return etat_constate(message, maintenant) is EtatMessage.INCERTAIN


def pourquoi_perime(message: Message) -> str | None:
    """Pourquoi renvoyer ce message enverrait une information périmée (réunion annulée ou changée depuis)."""
    reunion = message.reunion
    if reunion is None or message.nature not in NATURES_DE_REVISION:
        return None
    if reunion.statut is StatutReunion.ANNULEE:
        return f"la réunion n°{reunion.id} a été annulée depuis, et son annulation part à tous les invités"
    if message.sequence < reunion.sequence:
        return (
            f"il annonce la révision {message.sequence} de la réunion n°{reunion.id}, qui en est à la révision "
            f"{reunion.sequence} : la dernière version part à tous les invités"
        )
    return None
