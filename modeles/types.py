"""Types de colonnes partagés."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from modeles.vocabulaire import Vocabulaire


class InstantUTC(TypeDecorator[datetime]):
    """Un instant, toujours rendu avec son fuseau UTC, quelle que soit la base.

    SQLite ne garde pas le fuseau : on y écrit l'heure UTC et on la relit comme telle.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("un instant sans fuseau horaire ne peut pas être enregistré")
        instant = value.astimezone(UTC)
        return instant.replace(tzinfo=None) if dialect.name == "sqlite" else instant

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnVocabulaire(TypeDecorator[Vocabulaire]):
    """Une valeur d'un vocabulaire fermé, stockée comme sa chaîne et relue comme membre du `StrEnum`.

    L'écriture ne vérifie rien : c'est la contrainte CHECK de la colonne (`contrainte_vocabulaire`) qui refuse
    une valeur inconnue, sur SQLite comme sur PostgreSQL.
    """

    impl = String
    cache_ok = True

    def __init__(self, vocabulaire: type[Vocabulaire], longueur: int) -> None:
        super().__init__(longueur)
        self.vocabulaire = vocabulaire
        self.longueur = longueur

    def process_bind_param(self, value: Vocabulaire | str | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Vocabulaire | None:
        return None if value is None else self.vocabulaire(value)


def contrainte_vocabulaire(colonne: str, vocabulaire: type[Vocabulaire]) -> CheckConstraint:
    """La contrainte CHECK `ck_<table>_<colonne>` qui n'admet que les valeurs du vocabulaire (ou NULL)."""
    valeurs = ", ".join(f"'{valeur}'" for valeur in vocabulaire.valeurs())
    return CheckConstraint(f"{colonne} IN ({valeurs})", name=colonne)
