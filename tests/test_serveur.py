"""`ctg serveur` et les commandes de flux qui l'utilisent, en vrais processus.

Chaque test démarre un vrai serveur Prefect (base neuve sous CTG_HOME/prefect) : une à deux minutes sur une
petite machine chargée. Le serveur ne dépend pas de la base de la CTG : ces tests tournent sur SQLite seul.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from flows.serveur_local import est_processus_de

CTG = Path(sys.executable).with_name("ctg")
DEMARRAGE = 300  # secondes : création de la base de Prefect sur une machine chargée


def environnement(dossier: Path, **autres: str) -> dict[str, str]:
    """Un terminal ordinaire : ni PREFECT_API_URL, ni réglage CTG_ hérité des autres tests."""
    env = {cle: valeur for cle, valeur in os.environ.items() if not cle.startswith(("CTG_", "PREFECT_"))}
    env.update(
        CTG_HOME=str(dossier),
        CTG_COORDINATEUR_NOM="Nadia Prototype",
        CTG_COORDINATEUR_EMAIL="cooperation.ctg@example.org",
        COLUMNS="200",
        NO_COLOR="1",
        **autres,
    )
    return env


def ctg(env: dict[str, str], *arguments: str, attente: float = DEMARRAGE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CTG), *arguments], env=env, capture_output=True, text=True, timeout=attente, check=False)


def processus_prefect(dossier: Path) -> list[int]:
    """Les processus vivants qui servent ou exécutent Prefect pour ce CTG_HOME (PREFECT_HOME sous lui)."""
    marque = f"PREFECT_HOME={dossier / 'prefect'}".encode()
    trouves = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marque in (proc / "environ").read_bytes().split(b"\0") and "Z" not in _etat(proc):
                trouves.append(int(proc.name))
        except OSError:
            continue
    return trouves


def _etat(proc: Path) -> str:
    return (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]


def api(adresse: str, chemin: str, corps: dict[str, Any] | None = None) -> Any:
    requete = urllib.request.Request(  # noqa: S310 (serveur local de test)
        f"{adresse}{chemin}",
        data=json.dumps(corps).encode() if corps is not None else None,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(requete, timeout=30) as reponse:  # noqa: S310 (serveur local de test)
        return json.loads(reponse.read())


def attendre(condition: Any, secondes: float) -> bool:
    limite = time.monotonic() + secondes
    while time.monotonic() < limite:
        if condition():
            return True
        time.sleep(0.5)
    return bool(condition())


@pytest.fixture
def dossier(tmp_path: Path) -> Any:
    """Un CTG_HOME avec la base de L'Union ; à la fin, plus aucun processus Prefect ne doit y tourner."""
    home = tmp_path / "ctg-donnees"
    resultat = ctg(environnement(home), "init", attente=120)
    assert resultat.returncode == 0, resultat.stderr
    yield home
    restants = processus_prefect(home)
    for pid in restants:  # ne rien laisser derrière soi, même quand le test échoue
        os.kill(pid, signal.SIGKILL)
    assert not restants


def test_demarrer_etat_un_flux_sur_le_serveur_puis_arreter(dossier: Path) -> None:
    env = environnement(dossier)
    assert "Aucun serveur Prefect ne tourne" in ctg(env, "serveur", "etat").stdout

    demarre = ctg(env, "serveur", "demarrer")
    assert demarre.returncode == 0, demarre.stderr
    assert "Serveur Prefect démarré" in demarre.stdout
    etat = json.loads(ctg(env, "serveur", "etat", "--json").stdout)
    assert etat["en_marche"] is True
    assert etat["api"].startswith("http://127.0.0.1:") and etat["api"].endswith("/api")
    assert etat["flux_vers"] == etat["api"]
    assert etat["arret_apres_minutes"] is None
    inscrit = json.loads((dossier / "prefect" / "serveur.json").read_text())
    assert inscrit["pid"] == etat["pid"]
    assert (dossier / "prefect" / "prefect.db").exists()  # sa base est sous CTG_HOME
    # Sur un autre port que 4200, l'interface ne trouve son API que si PREFECT_UI_API_URL est réglé.
    assert api(etat["interface"], "/ui-settings")["api_url"] == etat["api"]
    assert "tourne déjà" in ctg(env, "serveur", "demarrer").stdout

    relances = ctg(env, "relances", "--date", "2026-12-07")
    assert relances.returncode == 0, relances.stderr
    assert "Traceback" not in relances.stderr
    executions = api(etat["api"], "/flow_runs/filter", {})
    assert [execution["state_type"] for execution in executions] == ["COMPLETED"]
    # Le journal de l'exécution raconte, en français, ce que le flux a fait.
    journal = api(etat["api"], "/logs/filter", {"logs": {"flow_run_id": {"any_": [executions[0]["id"]]}}})
    messages = [ligne["message"] for ligne in journal]
    assert "Relances du lundi 7 décembre 2026 : 1 message concerné." in messages
    assert "1 message déposé dans la boîte d'envoi." in messages
    # La commande n'a pas démarré de serveur temporaire : ne tournent que le serveur et son exécuteur des flux.
    assert etat["executeur_pid"] is not None
    assert sorted(processus_prefect(dossier)) == sorted([etat["pid"], etat["executeur_pid"]])

    arrete = ctg(env, "serveur", "arreter")
    assert arrete.returncode == 0, arrete.stderr
    assert f"Serveur Prefect arrêté (pid {etat['pid']}" in arrete.stdout
    assert processus_prefect(dossier) == []
    assert not (dossier / "prefect" / "serveur.json").exists()
    assert "Serveur Prefect arrêté." in (dossier / "prefect" / "serveur.log").read_text()
    assert "Aucun serveur Prefect ne tourne" in ctg(env, "serveur", "arreter").stdout


def test_un_kill_9_d_une_commande_de_flux_ne_laisse_rien_tourner(dossier: Path) -> None:
    # Sans serveur, la commande en démarre un en arrière-plan ; il s'arrête seul après 0,1 minute sans requête.
    env = environnement(dossier, CTG_SERVEUR_INACTIVITE="0,1")
    commande = subprocess.Popen(
        [str(CTG), "relances", "--date", "2026-12-07"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert attendre((dossier / "prefect" / "serveur.json").exists, DEMARRAGE)
    finally:
        commande.send_signal(signal.SIGKILL)
        commande.wait()
    serveur = json.loads((dossier / "prefect" / "serveur.json").read_text())
    assert serveur["inactivite"] == pytest.approx(0.1)
    # Rien d'autre que le serveur en arrière-plan et l'exécuteur des flux lancé à côté de lui…
    assert serveur["pid"] in processus_prefect(dossier)
    assert all(
        p == serveur["pid"] or est_processus_de(p, "flows.executeur_processus") for p in processus_prefect(dossier)
    )
    assert attendre(lambda: not processus_prefect(dossier), 60)  # …qui s'arrêtent seuls, faute de requêtes
    assert not (dossier / "prefect" / "serveur.json").exists()
    assert "Aucune requête depuis 0,1 minute : arrêt du serveur." in (dossier / "prefect" / "serveur.log").read_text()


def test_une_inactivite_illisible_est_refusee_en_francais(dossier: Path) -> None:
    resultat = ctg(environnement(dossier, CTG_SERVEUR_INACTIVITE="demain"), "relances", "--date", "2026-12-07")
    assert resultat.returncode == 1
    assert "CTG_SERVEUR_INACTIVITE vaut « demain » : donnez un nombre de minutes positif" in resultat.stderr
    assert "Traceback" not in resultat.stderr
