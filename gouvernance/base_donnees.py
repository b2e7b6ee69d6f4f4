"""Créer, migrer et ouvrir la base de données de l'application."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from gouvernance.erreurs import BaseAbsente, BaseExistante
from gouvernance.reglages import Reglages
from modeles.moteur import creer_moteur

TABLE_VERSION = "alembic_version"


def base_existe(moteur: Engine) -> bool:
    """Vrai si la base a déjà reçu ses migrations."""
    with moteur.connect() as connexion:
        return inspect(connexion).has_table(TABLE_VERSION)


def ouvrir_base(reglages: Reglages) -> Engine:
    """Le moteur de la base existante ; une erreur claire si elle n'a pas été créée."""
    chemin = reglages.chemin_sqlite
    if chemin is not None and not chemin.exists():
        raise BaseAbsente(_message_base_absente(reglages))
    moteur = creer_moteur(reglages.url_base)
    if not base_existe(moteur):
        raise BaseAbsente(_message_base_absente(reglages))
    return moteur


def creer_base(reglages: Reglages) -> Engine:
    """Crée la base par les migrations Alembic ; refuse si elle existe déjà."""
    reglages.dossier.mkdir(parents=True, exist_ok=True)
    chemin = reglages.chemin_sqlite
    if chemin is not None:
        chemin.parent.mkdir(parents=True, exist_ok=True)
    moteur = creer_moteur(reglages.url_base)
    if base_existe(moteur):
        raise BaseExistante(
            f"La base de données existe déjà ({_description(reglages)}) : rien n'a été modifié. "
            "Pour charger un autre référentiel, utilisez `ctg referentiel importer FICHIER`."
        )
    migrer(moteur)
    return moteur


def migrer(moteur: Engine) -> None:
    """Amène la base à la dernière version du schéma."""
    from alembic import command  # import tardif : seules init et migrer en ont besoin
    from alembic.config import Config

    configuration = Config()
    configuration.set_main_option("script_location", "modeles:migrations")
    with moteur.begin() as connexion:
        configuration.attributes["connection"] = connexion
        command.upgrade(configuration, "head")


def _description(reglages: Reglages) -> str:
    chemin = reglages.chemin_sqlite
    return str(chemin) if chemin is not None else moteur_sans_mot_de_passe(reglages.url_base)


def moteur_sans_mot_de_passe(url: str) -> str:
    """L'URL de la base, sans son mot de passe, pour l'afficher."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _message_base_absente(reglages: Reglages) -> str:
    return (
        f"Aucune base de données n'a été créée ici ({_description(reglages)}). "
        "Lancez d'abord `ctg init` (ou réglez CTG_HOME sur le dossier de vos données)."
    )
