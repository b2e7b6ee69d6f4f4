"""Les courriels envoyés : les lister, et trancher un message incertain (reçu, ou à renvoyer).

Les trois actions ne touchent que la base : elles reçoivent une session. Le renvoi lui-même (SMTP) est le
travail de l'envoi ordinaire (`gouvernance.envoi.envoyer_messages`, par le flux `renvoyer-courriel`), qui
ne l'envoie qu'une fois.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from gouvernance.envoi.liste import LigneCourriel, lister_messages
from gouvernance.envoi.verification import confirmer_message, remettre_a_envoyer
from gouvernance.francais import moment
from modeles import VerificationMessage


@dataclass(frozen=True)
class Verification:
    """Ce qu'a décidé le coordinateur d'un message incertain, tel que la commande l'affiche."""

    numero: int
    destinataire: str
    #: « Courriel n°3 à karim@example.org : confirmé reçu par le destinataire (noté par camille, le …). »
    texte: str


def lister_courriels(
    session: Session, *, etat: str | None = None, reunion: int | None = None, maintenant: datetime
) -> list[LigneCourriel]:
    """Les courriels de la boîte d'envoi, d'un groupe d'états (incertain, en-attente, refuse, envoye) s'il est donné."""
    return lister_messages(session, groupe=etat, reunion=reunion, maintenant=maintenant)


def confirmer_courriel(
    session: Session, numero: int, *, par: str, note: str | None = None, maintenant: datetime
) -> Verification:
    """Le destinataire a bien reçu le courriel incertain n°`numero` : il est noté envoyé, et qui l'a vérifié."""
    verification = confirmer_message(session, numero, par=par, note=note, maintenant=maintenant)
    return _vue(verification, verification.issue.libelle)


def renvoyer_courriel(
    session: Session, numero: int, *, par: str, note: str | None = None, maintenant: datetime
) -> Verification:
    """Le destinataire n'a pas reçu le courriel incertain n°`numero` : il redevient à envoyer (une fois), c'est noté."""
    verification = remettre_a_envoyer(session, numero, par=par, note=note, maintenant=maintenant)
    return _vue(verification, "à renvoyer, il repart par l'envoi ordinaire")


def _vue(verification: VerificationMessage, decision: str) -> Verification:
    numero, destinataire = verification.message_id, verification.message.destinataire
    quand = f"noté au nom de {verification.par}, le {moment(verification.le)}"
    texte = f"Courriel n°{numero} à {destinataire} : {decision} ({quand})."
    return Verification(numero=numero, destinataire=destinataire, texte=texte)
