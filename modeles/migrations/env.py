"""Environnement Alembic : la connexion est fournie par `gouvernance.base_donnees`, ou par l'URL d'alembic.ini."""

from __future__ import annotations

from alembic import context

from modeles import Base
from modeles.moteur import creer_moteur

configuration = context.config
cible = Base.metadata


def _migrer(connexion: object) -> None:
    context.configure(
        connection=connexion,  # type: ignore[arg-type]
        target_metadata=cible,
        render_as_batch=True,  # SQLite ne sait presque pas faire ALTER TABLE
        compare_type=True,
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
