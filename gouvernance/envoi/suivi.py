"""La dernière erreur de chaque message et depuis quand elle dure : ce qui dit pourquoi un courriel attend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Engine, and_, case, literal, update

from gouvernance.envoi.causes import SEPARATEUR, cause_courte
from modeles import Message
from modeles.moteur import ouvrir_session


def valeurs_d_erreur(cause: str | None, maintenant: datetime) -> dict[str, object]:
    """Les colonnes à écrire : la cause (effacée s'il n'y en a plus) et, si la cause courte est nouvelle, son heure.

    « serveur injoignable depuis 9 h 02 » reste vrai tant que chaque nouvel essai rencontre la même cause courte.
    """
    if cause is None:
        return {"derniere_erreur": None, "erreur_depuis": None}
    return {"derniere_erreur": cause, "erreur_depuis": _depuis(cause, maintenant)}


def noter_erreur(moteur: Engine, identifiants: Sequence[int], cause: str, maintenant: datetime) -> None:
    """Écrit la cause sur les messages pas encore tentés (serveur injoignable…), dans une transaction courte."""
    if not identifiants:
        return
    with ouvrir_session(moteur, ecriture=True) as session:
        session.execute(
            update(Message)
            .where(Message.id.in_(list(identifiants)))
            .values(**valeurs_d_erreur(cause, maintenant))
            .execution_options(synchronize_session=False)
        )


def cause_la_plus_recente(messages: Iterable[Message]) -> tuple[str, datetime] | None:
    """La cause qui a commencé le plus récemment parmi ces messages, et depuis quand ; None s'il n'y en a aucune."""
    causes = [(m.erreur_depuis, m.derniere_erreur) for m in messages if m.derniere_erreur and m.erreur_depuis]
    if not causes:
        return None
    depuis, cause = max(causes)
    return cause, depuis


def _depuis(cause: str, maintenant: datetime) -> ColumnElement[datetime]:
    meme_cause = and_(
        Message.derniere_erreur.startswith(cause_courte(cause) + SEPARATEUR, autoescape=True),
        Message.erreur_depuis.is_not(None),
    )
    return case((meme_cause, Message.erreur_depuis), else_=literal(maintenant, Message.erreur_depuis.type))
