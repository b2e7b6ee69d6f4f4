"""Trancher un message incertain, après vérification auprès du destinataire : confirmé reçu, ou à renvoyer.

La décision est écrite (qui, quand, laquelle, la note du coordinateur) dans la même transaction que le
changement d'état, et ce changement revérifie l'état : un message qui n'est plus incertain n'est pas touché.
Un message à renvoyer redevient « à envoyer » et repart par l'envoi ordinaire, qui ne l'envoie qu'une fois.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, update
from sqlalchemy.orm import Session

from gouvernance.envoi.incertains import DUREE_MAX_D_UN_ENVOI, est_incertain, limite_d_interruption, pourquoi_perime
from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.francais import heure, moment
from modeles import EtatMessage, IssueIncertain, Message, VerificationMessage


def confirmer_message(
    session: Session, numero: int, *, par: str, note: str | None, maintenant: datetime
) -> VerificationMessage:
    """Le destinataire a reçu le message incertain n°`numero` : il devient « envoyé », c'est écrit."""
    message = _exiger_incertain(session, numero, maintenant, verbe="confirmer")
    _changer(session, message, maintenant, etat=EtatMessage.ENVOYE, accepte_le=message.tente_le or maintenant)
    return _noter(session, message, IssueIncertain.CONFIRME, par=par, note=note, maintenant=maintenant)


def remettre_a_envoyer(
    session: Session, numero: int, *, par: str, note: str | None, maintenant: datetime
) -> VerificationMessage:
    """Le destinataire n'a pas reçu le message incertain n°`numero` : il redevient « à envoyer », c'est écrit."""
    message = _exiger_incertain(session, numero, maintenant, verbe="renvoyer")
    _exiger_encore_d_actualite(message)
    _changer(session, message, maintenant, etat=EtatMessage.A_ENVOYER)
    return _noter(session, message, IssueIncertain.RENVOYE, par=par, note=note, maintenant=maintenant)


def _exiger_incertain(session: Session, numero: int, maintenant: datetime, *, verbe: str) -> Message:
    message = session.get(Message, numero)
    if message is None:
        raise Introuvable(f"Aucun courriel ne porte le n°{numero} : `ctg courriels` les liste avec leur numéro.")
    if not est_incertain(message, maintenant):
        raise DonneesInvalides(
            f"Le courriel n°{numero} ({message.destinataire}) n'est pas incertain : {_pourquoi(message, verbe)} "
            f"Il n'y a rien à {verbe} ; rien n'a changé."
        )
    return message


def _pourquoi(message: Message, verbe: str) -> str:
    """Ce qu'est devenu un message qui n'est pas incertain, et ce que cela veut dire, en une phrase."""
    etat = message.etat
    if etat in (EtatMessage.ENVOYE, EtatMessage.DEPOSE):
        quand = f" le {moment(message.accepte_le)}" if message.accepte_le else ""
        return f"il a été {etat.libelle}{quand}" + (", le renvoyer le doublerait." if verbe == "renvoyer" else ".")
    if etat in (EtatMessage.A_ENVOYER, EtatMessage.ECHEC_TEMPORAIRE):
        return "il n'est pas encore parti ; le prochain envoi de sa réunion l'enverra."
    if etat is EtatMessage.EN_COURS and message.tente_le is not None:
        depuis = message.tente_le
        return (
            f"son envoi est en cours depuis {heure(depuis)}. Attendez la fin de l'envoi ; s'il est encore en cours "
            f"à {heure(depuis + DUREE_MAX_D_UN_ENVOI)}, il sera tenu pour interrompu et vous pourrez le trancher."
        )
    if etat is EtatMessage.ECHEC:
        return f"le serveur l'a refusé (« {message.reponse_serveur or 'sans réponse'} »), il n'est jamais arrivé."
    if etat is EtatMessage.CADUC:
        return "il est devenu sans objet avant son envoi et n'est jamais parti."
    return f"il est {etat.libelle}."


def _exiger_encore_d_actualite(message: Message) -> None:
    perime = pourquoi_perime(message)
    if perime:
        raise DonneesInvalides(
            f"Le courriel n°{message.id} ne peut pas être renvoyé : {perime}. S'il est arrivé, confirmez-le "
            f"(`ctg courriel confirmer {message.id}`) ; sinon, il n'y a rien à faire."
        )


def _changer(session: Session, message: Message, maintenant: datetime, **valeurs: object) -> None:
    """Change l'état du message seulement s'il est encore incertain : un envoi concurrent l'emporte."""
    limite = limite_d_interruption(maintenant)
    encore_incertain = or_(
        Message.etat == EtatMessage.INCERTAIN,
        and_(Message.etat == EtatMessage.EN_COURS, or_(Message.tente_le.is_(None), Message.tente_le < limite)),
    )
    resultat = session.execute(
        update(Message)
        .where(Message.id == message.id, encore_incertain)
        .values(**valeurs)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], resultat).rowcount != 1:
        raise DonneesInvalides(
            f"Le courriel n°{message.id} a changé d'état pendant la vérification (un envoi l'a repris) : "
            "relancez la commande pour voir son nouvel état ; rien n'a changé."
        )
    session.refresh(message)


def _noter(
    session: Session, message: Message, issue: IssueIncertain, *, par: str, note: str | None, maintenant: datetime
) -> VerificationMessage:
    verification = VerificationMessage(
        message=message, issue=issue, par=par.strip() or "inconnu", le=maintenant, note=(note or "").strip() or None
    )
    session.add(verification)
    session.flush()
    return verification
