"""Créer, migrer et ouvrir la base de données de l'application."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

import modeles
from gouvernance import longueurs
from gouvernance.erreurs import BaseAbsente, BaseExistante, ErreurCTG, SchemaFutur, SchemaPerime
from gouvernance.reglages import Reglages
from modeles.moteur import creer_moteur, moteur_pour

TABLE_VERSION = "alembic_version"
#: Les migrations Alembic, au sens de `script_location`.
EMPLACEMENT_MIGRATIONS = "modeles:migrations"
DOSSIER_VERSIONS = Path(modeles.__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision(?:\s*:[^=\n]*)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_PARENT = re.compile(r"^down_revision(?:\s*:[^=\n]*)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


@dataclass(frozen=True)
class Migration:
    """Ce qu'a fait `ctg migrer` : la version avant et après, et la sauvegarde faite avant, s'il y en a une."""

    avant: str | None
    apres: str
    sauvegarde: Path | None


# Quiconque ouvre la base passe par ce module : chaque écriture y contrôle la longueur des textes.
longueurs.activer()


def base_existe(moteur: Engine) -> bool:
    """Vrai si la base a déjà reçu ses migrations."""
    with moteur.connect() as connexion:
        return inspect(connexion).has_table(TABLE_VERSION)


def ouvrir_base(reglages: Reglages, *, verifier_version: bool = True) -> Engine:
    """Le moteur (partagé par le processus) de la base existante ; une erreur claire si elle n'a pas été créée,
    ou si son schéma n'est pas celui du code (base à migrer, ou mise à jour par une version plus récente)."""
    chemin = reglages.chemin_sqlite
    if chemin is not None and not chemin.exists():
        raise BaseAbsente(_message_base_absente(reglages))
    moteur = moteur_pour(reglages.url_base)
    if not base_existe(moteur):
        raise BaseAbsente(_message_base_absente(reglages))
    if verifier_version:
        _exiger_version_du_code(version_de_la_base(moteur), reglages)
    return moteur


def version_de_la_base(moteur: Engine) -> str | None:
    """La révision Alembic enregistrée dans la base (None si la table de version est vide)."""
    with moteur.connect() as connexion:
        return connexion.execute(text(f"SELECT version_num FROM {TABLE_VERSION}")).scalar()  # noqa: S608 — nom constant


@cache
def revisions_du_code() -> tuple[str, ...]:
    """Les révisions des migrations livrées, de la première à la dernière (la tête).

    Lues dans les en-têtes des fichiers de migration, sans charger Alembic (0,6 s) : chaque commande
    vérifie la version de la base. Si la chaîne n'est pas linéaire, Alembic tranche.
    """
    parents: dict[str, str | None] = {}
    for fichier in DOSSIER_VERSIONS.glob("*.py"):
        contenu = fichier.read_text(encoding="utf-8")
        revision = _REVISION.search(contenu)
        if revision is not None:
            parent = _PARENT.search(contenu)
            parents[revision[1]] = parent[1] if parent is not None else None
    enfants = {parent: revision for revision, parent in parents.items()}
    chaine: list[str] = []
    courante = enfants.get(None)
    while courante is not None and courante not in chaine:
        chaine.append(courante)
        courante = enfants.get(courante)
    if not chaine or len(chaine) != len(parents) or len(enfants) != len(parents):
        return _revisions_selon_alembic()
    return tuple(chaine)


def _revisions_selon_alembic() -> tuple[str, ...]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    configuration = Config()
    configuration.set_main_option("script_location", EMPLACEMENT_MIGRATIONS)
    scripts = ScriptDirectory.from_config(configuration)
    return tuple(reversed([script.revision for script in scripts.walk_revisions()]))


def _exiger_version_du_code(version: str | None, reglages: Reglages) -> None:
    revisions = revisions_du_code()
    if version == revisions[-1]:
        return
    if version in revisions or version is None:
        raise SchemaPerime(
            f"La base de données ({_description(reglages)}) date d'une version précédente de ctg-gouvernance "
            f"(schéma {version or 'inconnu'}, ce programme attend {revisions[-1]}). Mettez-la à jour avec "
            "`ctg migrer` (une sauvegarde est faite avant), puis relancez la commande."
        )
    raise SchemaFutur(
        f"La base de données ({_description(reglages)}) a été mise à jour par une version plus récente de "
        f"ctg-gouvernance (schéma {version}, inconnu de ce programme qui s'arrête à {revisions[-1]}). "
        "Installez la dernière version de ctg-gouvernance ; n'utilisez pas celle-ci sur cette base."
    )


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
    migrer(moteur, dossier=reglages.dossier)
    return moteur


def migrer_base(reglages: Reglages, *, maintenant: datetime) -> Migration:
    """`ctg migrer` : sauvegarde la base SQLite si son schéma est en retard, puis la migre ; refuse une base
    mise à jour par une version plus récente."""
    from gouvernance.sauvegarde import chemin_par_defaut, sauvegarder_base

    moteur = ouvrir_base(reglages, verifier_version=False)
    try:
        avant = version_de_la_base(moteur)
        revisions = revisions_du_code()
        if avant is not None and avant not in revisions:
            _exiger_version_du_code(avant, reglages)
        sauvegarde = None
        if avant != revisions[-1] and reglages.chemin_sqlite is not None:
            moteur.dispose()  # la copie voit tout ce qui a été validé, y compris dans le -wal
            destination = chemin_par_defaut(reglages, maintenant, motif=f"avant-migration-{avant or 'vide'}")
            sauvegarde = sauvegarder_base(reglages, destination, maintenant=maintenant).chemin
        migrer(moteur, dossier=reglages.dossier)
        return Migration(avant=avant, apres=revisions[-1], sauvegarde=sauvegarde)
    finally:
        moteur.dispose()


def migrer(moteur: Engine, cible: str = "head", *, dossier: Path | None = None) -> None:
    """Amène la base à la dernière version du schéma (ou à la révision `cible`).

    `dossier` (CTG_HOME) : la migration 0007 y rend relatifs les chemins enregistrés des fichiers.
    """
    from alembic import command  # import tardif : seules init et migrer en ont besoin
    from alembic.config import Config

    configuration = Config()
    configuration.set_main_option("script_location", EMPLACEMENT_MIGRATIONS)
    with moteur.connect() as connexion, sans_cles_etrangeres_sqlite(connexion), connexion.begin():
        configuration.attributes["connection"] = connexion
        if dossier is not None:
            configuration.attributes["ctg_home"] = str(dossier)
        command.upgrade(configuration, cible)
        verifier_cles_etrangeres(connexion)


@contextmanager
def sans_cles_etrangeres_sqlite(connexion: Connection) -> Iterator[None]:
    """Sous SQLite, suspend les clés étrangères le temps d'une migration (`verifier_cles_etrangeres` à la fin).

    Une migration SQLite recrée la table qu'elle modifie (mode batch d'Alembic) : avec les clés étrangères
    actives, supprimer l'ancienne table effacerait en cascade les lignes qui la citent (procédure de la
    documentation SQLite, « Making Other Kinds Of Table Schema Changes »).
    """
    if connexion.dialect.name != "sqlite":
        yield
        return
    pilote: Any = connexion.connection.driver_connection
    pilote.execute("PRAGMA foreign_keys=OFF")  # hors transaction : le pilote est en autocommit
    try:
        yield
    finally:
        pilote.execute("PRAGMA foreign_keys=ON")


def verifier_cles_etrangeres(connexion: Connection) -> None:
    """Dans la transaction de la migration : aucune ligne ne cite une ligne absente, sinon rien n'est validé."""
    if connexion.dialect.name != "sqlite":
        return
    rompues = connexion.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if rompues:
        tables = ", ".join(sorted({str(ligne[0]) for ligne in rompues}))
        raise ErreurCTG(
            f"La mise à jour du schéma a été annulée : des lignes des tables {tables} citent des lignes absentes. "
            "Restaurez la dernière sauvegarde de la base, puis relancez `ctg migrer`."
        )


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
