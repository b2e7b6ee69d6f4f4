"""La base déclarative commune à tous les modèles."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase, Mapper

from modeles.types import EnVocabulaire
from modeles.vocabulaire import Vocabulaire

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


@event.listens_for(Base, "mapper_configured", propagate=True)
def _convertir_les_vocabulaires(mapper: Mapper[Any], classe: type[Any]) -> None:
    """Une chaîne affectée à une colonne de vocabulaire devient aussitôt le membre du `StrEnum` qu'elle désigne.

    Ainsi `reunion.statut` est toujours un `StatutReunion`, qu'il vienne de la base ou d'une affectation
    (`Reunion(statut="annulee")`), et `reunion.statut is StatutReunion.ANNULEE` ne dépend pas de son origine.
    Une chaîne hors vocabulaire lève ValueError dès l'affectation.
    """
    for propriete in mapper.column_attrs:
        type_colonne = propriete.columns[0].type
        if isinstance(type_colonne, EnVocabulaire):
            event.listen(getattr(classe, propriete.key), "set", _convertisseur(type_colonne.vocabulaire), retval=True)


def _convertisseur(vocabulaire: type[Vocabulaire]) -> Callable[..., Vocabulaire | None]:
    def convertir(_cible: object, valeur: str | None, _ancienne: object, _initiateur: object) -> Vocabulaire | None:
        if valeur is None or isinstance(valeur, vocabulaire):
            return valeur
        if valeur not in vocabulaire.valeurs():
            admises = ", ".join(vocabulaire.valeurs())
            raise ValueError(f"« {valeur} » n'est pas une valeur de {vocabulaire.__name__} (admises : {admises})")
        return vocabulaire(valeur)

    return convertir
