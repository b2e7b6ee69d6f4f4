"""Fixtures de l'application web : une base avec L'Union et trois comptes, un client, un navigateur Chromium.

Le client (`TestClient` de Starlette) sert les tests de pages et de sécurité ; le navigateur (Playwright avec
le Chromium de Debian) sert les parcours. L'un et l'autre se connectent avec `connecter(…, role)`.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gouvernance.reglages import Reglages, lire_reglages
from gouvernance.services.comptes import ajouter_utilisateur
from gouvernance.territoires import charger_referentiel_exemple
from modeles.moteur import creer_moteur, ouvrir_session
from tests.conftest import manque

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

#: L'instant que voit l'application pendant les tests (un mardi, à Paris 10 h).
MAINTENANT = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
MOT_DE_PASSE = "une phrase de passe pour les tests"
COMPTES = {
    "coordinateur": "coordinatrice@mairie-lunion.fr",
    "secretaire": "secretaire@mairie-lunion.fr",
    "lecture": "lecteur@mairie-lunion.fr",
}
JETON = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session", autouse=True)
def hachage_rapide() -> Iterator[None]:
    """argon2id à ses paramètres minimaux : le même algorithme et le même code, cent fois moins de calcul.

    Les paramètres sont écrits dans chaque empreinte : la vérification d'un compte créé ici est aussi rapide.
    """
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    from gouvernance import comptes

    rapide = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    with mock.patch.object(comptes, "_hacheur", lambda: rapide):
        comptes._empreinte_factice.cache_clear()
        yield
    comptes._empreinte_factice.cache_clear()


@pytest.fixture(scope="session")
def modele_web(hachage_rapide: None, modele_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Une base migrée avec le référentiel de L'Union et un compte par rôle (le secrétaire tient le COPIL)."""
    chemin = tmp_path_factory.mktemp("modele-web") / "ctg.sqlite3"
    shutil.copyfile(modele_sqlite, chemin)
    moteur = creer_moteur(f"sqlite:///{chemin}")
    with ouvrir_session(moteur, ecriture=True) as session:
        charger_referentiel_exemple(session)
    for role, email in COMPTES.items():
        instances = ("COPIL",) if role == "secretaire" else ()
        ajouter_utilisateur(
            moteur, email, MOT_DE_PASSE, role, nom=f"Compte {role}", instances=instances, maintenant=MAINTENANT
        )
    with moteur.connect() as connexion:
        connexion.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    moteur.dispose()
    return chemin


def copier_dossier(modele: Path, dossier: Path) -> Reglages:
    """Un CTG_HOME neuf dans `dossier`, avec une copie de la base `modele`."""
    dossier.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(modele, dossier / "ctg.sqlite3")
    return lire_reglages({"CTG_HOME": str(dossier)})


@pytest.fixture
def reglages_web(modele_web: Path, tmp_path: Path) -> Reglages:
    return copier_dossier(modele_web, tmp_path / "ctg-home")


@pytest.fixture
def application(reglages_web: Reglages) -> FastAPI:
    from flows.web.application import creer_application

    return creer_application(reglages_web, horloge=lambda: MAINTENANT)


@pytest.fixture
def client(application: FastAPI) -> Iterator[TestClient]:
    with TestClient(application, follow_redirects=False) as client:
        yield client


def jeton(client: TestClient, chemin: str = "/connexion") -> str:
    """Le jeton anti-CSRF que porte la page `chemin` (celui de la session du client)."""
    page = client.get(chemin)
    trouve = JETON.search(page.text)
    assert trouve is not None, f"pas de jeton anti-CSRF dans {chemin} ({page.status_code})"
    return trouve[1]


def connecter(client: TestClient, role: str) -> str:
    """Connecte le client avec le compte du rôle `role` ; renvoie le jeton anti-CSRF de la nouvelle session."""
    reponse = client.post(
        "/connexion", data={"email": COMPTES[role], "mot_de_passe": MOT_DE_PASSE, "csrf": jeton(client), "suite": "/"}
    )
    assert reponse.status_code == 303, reponse.text
    return jeton(client, "/")


# --- Le navigateur -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServeurWeb:
    adresse: str
    reglages: Reglages


def _port_libre() -> int:
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        port: int = prise.getsockname()[1]
        return port


@contextmanager
def servir(application: FastAPI) -> Iterator[str]:
    """L'application servie par uvicorn dans un fil, sur un port libre ; rend son adresse."""
    import uvicorn

    port = _port_libre()
    serveur = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    fil = threading.Thread(target=serveur.run, daemon=True)
    fil.start()
    limite = time.monotonic() + 20
    while not serveur.started:
        if time.monotonic() > limite or not fil.is_alive():
            pytest.fail("l'application web ne démarre pas (voir la sortie d'uvicorn)")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    serveur.should_exit = True
    fil.join(timeout=10)


@pytest.fixture(scope="session")
def serveur_web(modele_web: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeurWeb]:
    """L'application servie par uvicorn dans un fil, sur un port libre, avec son propre CTG_HOME (une fois)."""
    from flows.web.application import creer_application

    reglages = copier_dossier(modele_web, tmp_path_factory.mktemp("ctg-home-navigateur"))
    with servir(creer_application(reglages)) as adresse:
        yield ServeurWeb(adresse=adresse, reglages=reglages)


@pytest.fixture(scope="session")
def navigateur() -> Iterator[Browser]:
    """Le Chromium de Debian piloté par Playwright, démarré une fois pour la session."""
    executable = shutil.which("chromium")
    if executable is None:
        manque("Chromium", "le paquet Debian `chromium` n'est pas installé (outils/prerequis.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        manque("Playwright", "le paquet Python `playwright` manque (make installer)")
    with sync_playwright() as playwright:
        navigateur = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield navigateur
        navigateur.close()


@pytest.fixture
def page(navigateur: Browser, serveur_web: ServeurWeb) -> Iterator[Page]:
    # axe-core s'injecte en script en ligne, que notre politique de contenu interdit : le navigateur du test
    # seul passe outre (bypass_csp) ; test_securite vérifie l'en-tête.
    contexte = navigateur.new_context(base_url=serveur_web.adresse, locale="fr-FR", bypass_csp=True)
    page = contexte.new_page()
    yield page
    contexte.close()


def connecter_page(page: Page, role: str) -> None:
    """Se connecte dans le navigateur, comme l'utilisatrice : le formulaire, ses libellés, son bouton."""
    page.goto("/connexion")
    page.get_by_label("Adresse électronique").fill(COMPTES[role])
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r".*/$"))


AXE = Path(__file__).parent / "axe.min.js"


def verifier_accessibilite(page: Page) -> None:
    """axe-core sur la page affichée : aucune violation grave ni critique."""
    page.add_script_tag(path=str(AXE))
    resultat = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    graves = [
        f"{violation['id']} ({violation['impact']}) : {violation['help']} — "
        + "; ".join(noeud["html"][:120] for noeud in violation["nodes"][:3])
        for violation in resultat["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not graves, "\n".join(graves)
