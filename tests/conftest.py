"""Fixtures partagées : une base réelle (fichier SQLite, et PostgreSQL quand il répond)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from gouvernance.base_donnees import migrer
from modeles import Base
from modeles.moteur import creer_moteur, ouvrir_session

pytest_plugins = ["tests.serveur_smtp", "tests.serveur_imap"]

#: Sous CI, un composant système manquant fait échouer au lieu de sauter le test.
TESTS_COMPLETS = os.environ.get("CTG_TESTS_COMPLETS") == "1"
URL_SERVEUR_POSTGRESQL = os.environ.get("CTG_TESTS_POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(autouse=True)
def pas_de_courriel_inattendu(interdire_smtp: None) -> None:
    """Aucun test n'envoie de courriel ailleurs qu'aux serveurs SMTP de test qu'il a lui-même démarrés."""


def manque(composant: str, raison: str) -> None:
    """Saute le test, ou échoue sous CTG_TESTS_COMPLETS=1."""
    message = f"{composant} indisponible : {raison}"
    if TESTS_COMPLETS:
        pytest.fail(message + " (CTG_TESTS_COMPLETS=1 exige tous les composants)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def serveur_postgresql() -> Iterator[str]:
    """Une base PostgreSQL vierge, créée pour la session de tests puis supprimée."""
    try:
        administration = create_engine(URL_SERVEUR_POSTGRESQL, isolation_level="AUTOCOMMIT")
        with administration.connect() as connexion:
            nom = f"ctg_tests_{uuid.uuid4().hex[:10]}"
            connexion.execute(text(f'CREATE DATABASE "{nom}"'))
    except Exception as erreur:
        manque("PostgreSQL", f"{URL_SERVEUR_POSTGRESQL} ne répond pas ({type(erreur).__name__})")
    url = administration.url.set(database=nom).render_as_string(hide_password=False)
    yield url
    with administration.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE "{nom}" WITH (FORCE)'))
    administration.dispose()


@pytest.fixture(scope="session")
def modele_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Un fichier SQLite migré une fois pour toutes ; chaque test en reçoit une copie."""
    chemin = tmp_path_factory.mktemp("modele") / "ctg.sqlite3"
    moteur = creer_moteur(f"sqlite:///{chemin}")
    migrer(moteur)
    with moteur.connect() as connexion:
        connexion.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    moteur.dispose()
    return chemin


@pytest.fixture(scope="session")
def postgresql_migre(serveur_postgresql: str) -> str:
    moteur = creer_moteur(serveur_postgresql)
    migrer(moteur)
    moteur.dispose()
    return serveur_postgresql


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def url_base(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """L'URL d'une base vide et migrée : un fichier SQLite, puis PostgreSQL."""
    if request.param == "sqlite":
        modele: Path = request.getfixturevalue("modele_sqlite")
        chemin = tmp_path / "ctg.sqlite3"
        shutil.copyfile(modele, chemin)
        yield f"sqlite:///{chemin}"
        return
    url: str = request.getfixturevalue("postgresql_migre")
    yield url
    moteur = creer_moteur(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with moteur.begin() as connexion:
        connexion.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    moteur.dispose()


@pytest.fixture
def moteur(url_base: str) -> Iterator[Engine]:
    moteur = creer_moteur(url_base)
    yield moteur
    moteur.dispose()


@pytest.fixture
def session(moteur: Engine) -> Iterator[Session]:
    """Une session d'écriture, validée à la fin du test."""
    with ouvrir_session(moteur, ecriture=True) as session:
        yield session


@pytest.fixture(scope="session")
def serveur_prefect() -> Iterator[str]:
    """Le banc d'essai de Prefect, démarré une fois pour toute la session ; renvoie l'URL de son API."""
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        PREFECT_SERVER_ANALYTICS_ENABLED,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    reglages = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None, PREFECT_SERVER_ANALYTICS_ENABLED: False}
    with temporary_settings(updates=reglages), prefect_test_harness(server_startup_timeout=180):
        yield str(PREFECT_API_URL.value())


@pytest.fixture(autouse=True)
def moteurs_liberes() -> Iterator[None]:
    """Les moteurs partagés d'un test (un par base) sont fermés à sa fin : ni fichier ni connexion ne restent ouverts."""
    yield
    from modeles.moteur import liberer_moteurs

    liberer_moteurs()
