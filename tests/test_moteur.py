"""La base SQLite tient plusieurs processus à la fois ; le schéma des migrations est celui des modèles."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, select, text

from gouvernance.base_donnees import migrer
from modeles import Base, ChampIntervention
from modeles.moteur import creer_moteur, ouvrir_session

ECRITURES_PAR_PROCESSUS = 150


def test_une_connexion_sqlite_est_en_wal_avec_cles_etrangeres_et_attente_des_verrous(tmp_path: Path) -> None:
    moteur = creer_moteur(f"sqlite:///{tmp_path / 'ctg.sqlite3'}")
    with moteur.connect() as connexion:
        assert connexion.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connexion.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (connexion.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 5000
        assert connexion.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def _lire_puis_ecrire(url: str, prefixe: str) -> None:
    moteur = creer_moteur(url)
    for numero in range(ECRITURES_PAR_PROCESSUS):
        with ouvrir_session(moteur, ecriture=True) as session:
            deja = session.scalar(select(func.count()).select_from(ChampIntervention))
            session.add(ChampIntervention(code=f"{prefixe}-{numero}", libelle=f"vu {deja}"))
    moteur.dispose()


def test_deux_processus_qui_lisent_puis_ecrivent_ne_se_bloquent_pas(url_base: str) -> None:
    """Sans BEGIN IMMEDIATE, SQLite répond « database is locked » sans attendre : aucune écriture ne doit se perdre."""
    contexte = multiprocessing.get_context("spawn")
    processus = [contexte.Process(target=_lire_puis_ecrire, args=(url_base, nom)) for nom in ("a", "b")]
    for p in processus:
        p.start()
    for p in processus:
        p.join(timeout=120)
    assert [p.exitcode for p in processus] == [0, 0]
    moteur = creer_moteur(url_base)
    with moteur.connect() as connexion:
        total = connexion.execute(select(func.count()).select_from(ChampIntervention)).scalar()
    moteur.dispose()
    assert total == 2 * ECRITURES_PAR_PROCESSUS


def test_les_migrations_donnent_exactement_le_schema_des_modeles(moteur: Engine) -> None:
    with moteur.connect() as connexion:
        differences = compare_metadata(MigrationContext.configure(connexion), Base.metadata)
    assert differences == []


def test_une_cle_etrangere_invalide_est_refusee_par_la_base(moteur: Engine) -> None:
    with moteur.connect() as connexion:
        try:
            connexion.execute(
                text("INSERT INTO enjeux (territoire_id, numero, intitule, precisions) VALUES (999, 1, 'x', '[]')")
            )
        except Exception as erreur:
            assert "foreign" in str(erreur).lower() or "étrangère" in str(erreur).lower()
        else:
            raise AssertionError("la base a accepté un enjeu sans territoire")


def test_migrer_une_base_a_jour_ne_change_rien(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    migrer(moteur)
    with moteur.connect() as connexion:
        version = connexion.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    moteur.dispose()
    assert version == [_derniere_revision()]


def _derniere_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    configuration = Config()
    configuration.set_main_option("script_location", "modeles:migrations")
    return str(ScriptDirectory.from_config(configuration).get_current_head())


def test_un_seul_moteur_par_base_et_par_processus_ferme_a_la_sortie(tmp_path: Path) -> None:
    """Chaque tâche Prefect créait son moteur (et son pool de connexions) sans jamais le fermer."""
    from gouvernance.base_donnees import creer_base, ouvrir_base
    from gouvernance.reglages import Reglages
    from modeles.moteur import liberer_moteurs, moteur_pour

    reglages = Reglages(dossier=tmp_path, url_base=f"sqlite:///{tmp_path / 'ctg.sqlite3'}", valeurs={})
    creer_base(reglages).dispose()
    moteur = ouvrir_base(reglages)
    assert ouvrir_base(reglages) is moteur is moteur_pour(reglages.url_base)
    assert moteur_pour(f"sqlite:///{tmp_path / 'autre.sqlite3'}") is not moteur
    liberer_moteurs()
    assert ouvrir_base(reglages) is not moteur

    liberer_moteurs()

    # À la sortie d'un processus, ses connexions sont fermées (le gestionnaire ci-dessous, enregistré avant,
    # passe après celui du moteur : atexit va du dernier au premier).
    script = (
        "import atexit, sys\n"
        "from sqlalchemy import text\n"
        "from modeles.moteur import moteur_pour, ouvrir_session\n"
        "atexit.register(lambda: print('ouvertes a la fin :', moteur.pool.checkedin()))\n"
        "moteur = moteur_pour(sys.argv[1])\n"
        "with ouvrir_session(moteur) as session:\n"
        "    session.execute(text('SELECT 1'))\n"
        "print('ouvertes avant la fin :', moteur.pool.checkedin())\n"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", script, reglages.url_base], check=True, capture_output=True, text=True
    ).stdout
    assert sortie.splitlines() == ["ouvertes avant la fin : 1", "ouvertes a la fin : 0"]
