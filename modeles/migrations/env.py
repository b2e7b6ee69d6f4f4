"""Environnement Alembic : la connexion est fournie par `gouvernance.base_donnees`, ou par l'URL d'alembic.ini."""

from __future__ import annotations

from typing import Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from modeles import Base
from modeles.moteur import creer_moteur
from modeles.types import EnVocabulaire, InstantUTC

configuration = context.config
cible = Base.metadata


def _rendre_type(type_: str, objet: object, autogen_context: AutogenContext) -> str | Literal[False]:
    # Nos types décorés s'écrivent dans les migrations par leur type SQL : une migration ne doit
    # pas dépendre du code des modèles, qui change après elle.
    if type_ == "type" and isinstance(objet, InstantUTC):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(objet, EnVocabulaire):
        return f"sa.String(length={objet.longueur})"
    return False


def _migrer(connexion: object) -> None:
    context.configure(
        connection=connexion,  # type: ignore[arg-type]
        target_metadata=cible,
        render_as_batch=True,  # SQLite ne sait presque pas faire ALTER TABLE
        compare_type=True,
        render_item=_rendre_type,
    )
    with context.begin_transaction():
        context.run_migrations()


connexion_fournie = configuration.attributes.get("connection")
if connexion_fournie is not None:
    _migrer(connexion_fournie)
else:
    moteur = creer_moteur(configuration.get_main_option("sqlalchemy.url") or "")
    with moteur.connect() as connexion:
        _migrer(connexion)
