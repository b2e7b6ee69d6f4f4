"""`ctg calendrier planifier` attend la réponse de l'utilisateur sans tenir la base : les relances passent."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from tests.fabriques import fermer_base_cli, preparer_base_cli

CTG = Path(sys.executable).with_name("ctg")


def _environnement(dossier: Path, url_prefect: str) -> dict[str, str]:
    environnement = {cle: valeur for cle, valeur in os.environ.items() if not cle.startswith("CTG_")}
    environnement.update(
        CTG_HOME=str(dossier),
        CTG_COORDINATEUR_NOM="Nadia Prototype",
        CTG_COORDINATEUR_EMAIL="cooperation.ctg@example.org",
        PREFECT_API_URL=url_prefect,
        COLUMNS="200",
        NO_COLOR="1",
    )
    return environnement


def _attendre(processus: subprocess.Popen[bytes], texte: str, *, delai: float = 120) -> str:
    """Lit la sortie du processus jusqu'à `texte` (une question n'a pas de fin de ligne)."""
    assert processus.stdout is not None
    lu = b""
    fin = time.monotonic() + delai
    while texte.encode() not in lu:
        restant = fin - time.monotonic()
        assert restant > 0 and processus.poll() is None, lu.decode(errors="replace")
        prets, _, _ = select.select([processus.stdout], [], [], restant)
        if prets:
            lu += os.read(processus.stdout.fileno(), 4096)
    return lu.decode()


def _reunions(base: Path) -> int:
    with closing(sqlite3.connect(base)) as connexion:
        (nombre,) = connexion.execute("SELECT count(*) FROM reunions").fetchone()
    return int(nombre)


def test_les_relances_passent_pendant_que_la_planification_attend_sa_reponse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serveur_prefect: str
) -> None:
    preparer_base_cli(tmp_path, monkeypatch)
    fermer_base_cli()
    environnement = _environnement(tmp_path, serveur_prefect)
    annee = date.today().year + 1
    maitre, esclave = pty.openpty()  # un vrai terminal : la commande pose sa question
    planification = subprocess.Popen(
        [str(CTG), "calendrier", "planifier", str(annee)],
        stdin=esclave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environnement,
    )
    os.close(esclave)
    try:
        question = _attendre(planification, "Enregistrer ces")
        assert "[o/N]" in question

        relances = subprocess.run(
            [str(CTG), "relances"], capture_output=True, text=True, env=environnement, timeout=300, check=False
        )
        assert relances.returncode == 0, relances.stderr
        assert "Traceback" not in relances.stderr
        assert _reunions(tmp_path / "ctg.sqlite3") == 0

        os.write(maitre, b"o\n")
        sortie, erreurs = planification.communicate(timeout=120)
    finally:
        if planification.poll() is None:
            planification.kill()
        os.close(maitre)
    assert planification.returncode == 0, erreurs.decode()
    enregistrees = _reunions(tmp_path / "ctg.sqlite3")
    assert enregistrees > 0
    assert f"{enregistrees} réunions enregistrées" in sortie.decode()
