"""La base déclarative commune à tous les modèles."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Des noms de contraintes stables, pour que les migrations Alembic soient les mêmes
# sur SQLite (mode batch) et sur PostgreSQL.
CONVENTION_DE_NOMMAGE = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=CONVENTION_DE_NOMMAGE)
