"""Le moteur SQLAlchemy et les sessions : SQLite réglé pour plusieurs processus, ou PostgreSQL."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

#: Attente maximale d'un verrou SQLite, en millisecondes, avant d'abandonner.
ATTENTE_VERROU_MS = 10_000

_OPTION_ECRITURE = "ctg_ecriture"

#: Les moteurs déjà créés dans ce processus, par URL : un seul pool de connexions par base.
_MOTEURS: dict[str, Engine] = {}
_VERROU_MOTEURS = threading.Lock()


def creer_moteur(url: str) -> Engine:
    """Un moteur pour `url` ; sur SQLite : WAL, clés étrangères, attente des verrous, BEGIN maîtrisé."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    moteur = create_engine(url, connect_args={"timeout": ATTENTE_VERROU_MS / 1000})
    event.listen(moteur, "connect", _regler_connexion_sqlite)
    event.listen(moteur, "begin", _commencer_transaction_sqlite)
    return moteur


def moteur_pour(url: str) -> Engine:
    """Le moteur de `url` pour tout le processus : créé au premier appel, libéré à la sortie du processus.

    Les tâches Prefect d'un même processus et la commande partagent ainsi un seul pool de connexions,
    au lieu d'un moteur par appel que personne ne ferme.
    """
    with _VERROU_MOTEURS:
        moteur = _MOTEURS.get(url)
        if moteur is None:
            if not _MOTEURS:
                atexit.unregister(liberer_moteurs)  # une seule fois, même après une libération
                atexit.register(liberer_moteurs)
            moteur = _MOTEURS[url] = creer_moteur(url)
        return moteur


def liberer_moteurs() -> None:
    """Ferme les connexions de tous les moteurs partagés et les oublie (sortie du processus, fin d'un test)."""
    with _VERROU_MOTEURS:
        moteurs = list(_MOTEURS.values())
        _MOTEURS.clear()
    for moteur in moteurs:
        moteur.dispose()


def _regler_connexion_sqlite(connexion_dbapi: Any, _enregistrement: Any) -> None:
    # Le pilote sqlite3 n'émet pas BEGIN quand il le faudrait : on le laisse en
    # autocommit et on émet nous-mêmes BEGIN (recette de la documentation SQLAlchemy).
    connexion_dbapi.isolation_level = None
    curseur = connexion_dbapi.cursor()
    curseur.execute("PRAGMA journal_mode=WAL")
    curseur.execute("PRAGMA foreign_keys=ON")
    curseur.execute(f"PRAGMA busy_timeout={ATTENTE_VERROU_MS}")
    # FULL : un envoi enregistré survit aussi à une coupure de courant (preuve de convocation).
    curseur.execute("PRAGMA synchronous=FULL")
    curseur.close()


def _commencer_transaction_sqlite(connexion: Connection) -> None:
    # Une transaction qui lit avant d'écrire doit prendre le verrou d'écriture d'emblée :
    # sinon SQLite répond « database is locked » sans attendre le busy_timeout.
    immediat = connexion.get_execution_options().get(_OPTION_ECRITURE, False)
    connexion.exec_driver_sql("BEGIN IMMEDIATE" if immediat else "BEGIN")


@contextmanager
def ouvrir_session(moteur: Engine, *, ecriture: bool = False) -> Iterator[Session]:
    """Une session validée à la sortie, annulée sur exception ; `ecriture` prend le verrou d'emblée."""
    lien = moteur.execution_options(**{_OPTION_ECRITURE: True}) if ecriture else moteur
    with Session(lien, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
