"""Le serveur Prefect local d'un CTG_HOME : le démarrer en arrière-plan, le trouver, l'arrêter.

Un flux exécuté sans serveur paie, à chaque commande, le démarrage d'un serveur Prefect temporaire (plusieurs
secondes) ; avec un serveur qui tourne déjà, Prefect ne coûte plus qu'une fraction de seconde. Ce module
démarre donc un serveur durable, propre à un CTG_HOME :

- sa base est sous `CTG_HOME/prefect` (`PREFECT_HOME`), son journal dans `CTG_HOME/prefect/serveur.log` ;
- il écoute sur 127.0.0.1, sur un port libre choisi au démarrage, et écrit son pid et son port dans
  `CTG_HOME/prefect/serveur.json` (retiré à l'arrêt ; un fichier resté d'un arrêt brutal est ignoré) ;
- il tourne dans sa propre session (détaché du terminal : Ctrl-C sur une commande ne l'arrête pas) ;
- démarré par `ctg serveur demarrer`, il tourne jusqu'à `ctg serveur arreter` (ou `--arret-apres`) ;
  démarré par une commande de flux, faute de serveur, il s'arrête seul après `CTG_SERVEUR_INACTIVITE`
  minutes sans aucune requête (30 par défaut) : rien ne reste en marche après un plantage que personne
  n'arrêterait.

Ce côté « client » n'importe ni Prefect ni uvicorn (la bibliothèque standard suffit pour lire l'état et
interroger `/api/health`) ; seul le processus du serveur, lancé par `python -m flows.serveur_local`, les charge.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gouvernance.erreurs import ErreurCTG

#: Le fichier d'état écrit par le serveur, dans CTG_HOME/prefect.
FICHIER_ETAT = "serveur.json"
#: Ce que le serveur écrit (démarrage, erreurs, arrêt), dans CTG_HOME/prefect.
FICHIER_JOURNAL = "serveur.log"
#: Les minutes sans requête après lesquelles un serveur démarré par une commande de flux s'arrête seul.
INACTIVITE_PAR_DEFAUT = 30.0
#: Le premier démarrage crée la base de Prefect : jusqu'à une minute ou deux sur une petite machine chargée.
ATTENTE_DEMARRAGE = 180.0
#: Le module lancé pour servir ; il figure dans la ligne de commande du processus (contrôle du pid).
MODULE = "flows.serveur_local"


class ServeurInjoignable(ErreurCTG):
    """Le serveur Prefect local n'a pas pu démarrer ou ne répond pas."""


@dataclass(frozen=True)
class Serveur:
    """Un serveur Prefect local en marche, tel qu'il s'est inscrit dans serveur.json."""

    pid: int
    port: int
    demarre_le: str
    #: Minutes sans requête avant l'arrêt automatique ; None : jusqu'à `ctg serveur arreter`.
    inactivite: float | None

    @property
    def adresse(self) -> str:
        """L'adresse de l'interface web de Prefect."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        """L'adresse de l'API, celle de PREFECT_API_URL."""
        return f"{self.adresse}/api"


def dossier_prefect(dossier_ctg: Path) -> Path:
    return dossier_ctg / "prefect"


def environnement_prefect(dossier_ctg: Path) -> dict[str, str]:
    """Les réglages de Prefect communs au serveur et aux commandes : données sous CTG_HOME, sans télémétrie."""
    return {
        "PREFECT_HOME": str(dossier_prefect(dossier_ctg)),
        # Ni télémétrie (la machine peut être hors ligne : erreurs inutiles), ni verrous SQLite qu'elle provoque.
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }


def inactivite_automatique() -> float:
    """Les minutes de CTG_SERVEUR_INACTIVITE (30 par défaut) ; une valeur illisible est signalée en français."""
    valeur = os.environ.get("CTG_SERVEUR_INACTIVITE", "").strip().replace(",", ".")
    if not valeur:
        return INACTIVITE_PAR_DEFAUT
    try:
        minutes = float(valeur)
    except ValueError:
        minutes = -1.0
    if not minutes > 0:
        raise ErreurCTG(
            f"CTG_SERVEUR_INACTIVITE vaut « {valeur} » : donnez un nombre de minutes positif (par exemple 30)."
        )
    return minutes


# --- Côté commandes : trouver, démarrer, arrêter ------------------------------------------------------------


def _est_notre_processus(pid: int) -> bool:
    """Le processus `pid` vit et sert bien Prefect pour ctg (un pid peut avoir été réattribué depuis)."""
    return est_processus_de(pid, MODULE)


def est_processus_de(pid: int, module: str) -> bool:
    """Le processus `pid` vit et exécute `python -m module` (un pid peut avoir été réattribué depuis)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    proc = Path(f"/proc/{pid}")
    if not proc.exists():  # hors Linux : le pid vivant suffit
        return True
    try:
        etat = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        ligne = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return etat != "Z" and module in ligne


def lire_serveur(dossier_ctg: Path) -> Serveur | None:
    """Le serveur inscrit pour ce CTG_HOME s'il tourne encore ; un fichier laissé par un arrêt brutal est retiré."""
    fichier = dossier_prefect(dossier_ctg) / FICHIER_ETAT
    try:
        donnees = json.loads(fichier.read_text(encoding="utf-8"))
        serveur = Serveur(**donnees)
    except (OSError, ValueError, TypeError):
        return None
    if not _est_notre_processus(serveur.pid):
        with contextlib.suppress(OSError):
            fichier.unlink()
        return None
    return serveur


def repond(serveur: Serveur, delai: float = 2.0) -> bool:
    """L'API du serveur répond à /health."""
    try:
        with urllib.request.urlopen(f"{serveur.api}/health", timeout=delai) as reponse:  # noqa: S310 (http local)
            return bool(reponse.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


@contextlib.contextmanager
def _verrou(dossier: Path) -> Iterator[None]:
    """Deux commandes lancées ensemble sans serveur n'en démarrent qu'un."""
    with open(dossier / "serveur.verrou", "a+b") as fichier:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(fichier.fileno(), fcntl.LOCK_EX)
        yield


def _fin_du_journal(journal: Path, lignes: int = 8) -> str:
    try:
        texte = journal.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(texte.strip().splitlines()[-lignes:])


def demarrer_serveur(dossier_ctg: Path, *, inactivite: float | None) -> tuple[Serveur, bool]:
    """Le serveur de ce CTG_HOME, démarré en arrière-plan s'il ne tourne pas ; (serveur, démarré à l'instant).

    `inactivite` : minutes sans requête avant qu'il s'arrête seul (None : jamais). Attend que son API réponde.
    L'exécuteur des flux (flows/executeur.py) est lancé à côté de lui s'il ne tourne pas, sans l'attendre.
    """
    from flows.executeur import lancer_executeur

    dossier_ctg = dossier_ctg.resolve()  # le serveur tourne dans son dossier : un chemin relatif s'y perdrait
    serveur, demarre = _demarrer_serveur_seul(dossier_ctg, inactivite)
    lancer_executeur(dossier_ctg, serveur.pid, serveur.api)
    return serveur, demarre


def _demarrer_serveur_seul(dossier_ctg: Path, inactivite: float | None) -> tuple[Serveur, bool]:
    dossier = dossier_prefect(dossier_ctg)
    dossier.mkdir(parents=True, exist_ok=True)
    with _verrou(dossier):
        existant = lire_serveur(dossier_ctg)
        if existant is not None:
            return _attendre(dossier_ctg, existant.pid, None), False
        journal = dossier / FICHIER_JOURNAL
        commande = [sys.executable, "-m", MODULE, str(dossier_ctg)]
        if inactivite is not None:
            commande += ["--inactivite", str(inactivite)]
        environnement = {**os.environ, **environnement_prefect(dossier_ctg)}
        environnement.pop("PREFECT_API_URL", None)
        # Les commandes taisent Prefect au terminal ; le serveur, lui, écrit ses avertissements dans son journal.
        environnement["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "WARNING"
        with open(journal, "ab") as sortie:
            sortie.write(f"\n--- démarrage demandé le {datetime.now(UTC).isoformat(timespec='seconds')}\n".encode())
            sortie.flush()
            detache: dict[str, Any] = {"start_new_session": True}
            if sys.platform == "win32":
                detache = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS}
            processus = subprocess.Popen(  # noqa: S603 (notre module, lancé par ce même Python)
                commande,
                stdin=subprocess.DEVNULL,
                stdout=sortie,
                stderr=subprocess.STDOUT,
                env=environnement,
                cwd=dossier,
                close_fds=True,
                **detache,
            )
        return _attendre(dossier_ctg, processus.pid, processus), True


def _attendre(dossier_ctg: Path, pid: int, processus: subprocess.Popen[bytes] | None) -> Serveur:
    """Attend que le serveur `pid` se soit inscrit et que son API réponde."""
    journal = dossier_prefect(dossier_ctg) / FICHIER_JOURNAL
    limite = time.monotonic() + ATTENTE_DEMARRAGE
    while time.monotonic() < limite:
        serveur = lire_serveur(dossier_ctg)
        if serveur is not None and serveur.pid == pid and repond(serveur):
            return serveur
        termine = processus.poll() is not None if processus is not None else not _est_notre_processus(pid)
        if termine:
            raise ServeurInjoignable(
                f"Le serveur Prefect local n'a pas pu démarrer. Ses derniers messages (journal {journal}) :\n"
                + (_fin_du_journal(journal) or "(aucun)")
            )
        time.sleep(0.2)
    if processus is not None:  # rien ne reste en marche derrière un démarrage abandonné
        processus.kill()
    raise ServeurInjoignable(
        f"Le serveur Prefect local (pid {pid}) ne répond toujours pas après {ATTENTE_DEMARRAGE:.0f} s. "
        f"Voyez son journal ({journal}), puis réessayez (`ctg serveur arreter` arrête un serveur bloqué)."
    )


def arreter_serveur(dossier_ctg: Path, attente: float = 30.0) -> Serveur | None:
    """Arrête proprement (SIGTERM, puis SIGKILL après `attente` secondes) le serveur de ce CTG_HOME s'il tourne.

    L'exécuteur des flux s'arrête d'abord, après avoir laissé finir les flux en cours.
    """
    from flows.executeur import arreter_executeur

    arreter_executeur(dossier_ctg, attente)
    serveur = lire_serveur(dossier_ctg)
    if serveur is None:
        return None
    with contextlib.suppress(ProcessLookupError):
        os.kill(serveur.pid, signal.SIGTERM)
    limite = time.monotonic() + attente
    while _est_notre_processus(serveur.pid) and time.monotonic() < limite:
        time.sleep(0.1)
    if _est_notre_processus(serveur.pid) and sys.platform != "win32":
        with contextlib.suppress(ProcessLookupError):
            os.kill(serveur.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        (dossier_prefect(dossier_ctg) / FICHIER_ETAT).unlink()
    return serveur


def api_pour_les_flux(dossier_ctg: Path) -> str | None:
    """L'API Prefect où exécuter les flux d'une commande, avant d'importer Prefect.

    None quand l'utilisateur a réglé PREFECT_API_URL lui-même (son serveur est utilisé tel quel) ; sinon le
    serveur local de ce CTG_HOME, démarré en arrière-plan s'il ne tourne pas (il s'arrêtera seul après
    `CTG_SERVEUR_INACTIVITE` minutes sans requête), pour que les commandes suivantes n'attendent plus.
    """
    if os.environ.get("PREFECT_API_URL"):
        return None
    serveur, _ = demarrer_serveur(dossier_ctg, inactivite=inactivite_automatique())
    return serveur.api


# --- Côté serveur : `python -m flows.serveur_local CTG_HOME [--inactivite MINUTES]` ---------------------------


class _Activite:
    """Enveloppe ASGI qui note la dernière requête HTTP ou websocket terminée, et celles en cours."""

    def __init__(self, application: Any) -> None:
        self.application = application
        self.en_cours = 0
        self.derniere = time.monotonic()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.application(scope, receive, send)
            return
        self.en_cours += 1
        try:
            await self.application(scope, receive, send)
        finally:
            self.en_cours -= 1
            self.derniere = time.monotonic()


def _ecrire_etat(fichier: Path, serveur: Serveur) -> None:
    provisoire = fichier.with_suffix(".tmp")
    provisoire.write_text(json.dumps(asdict(serveur), ensure_ascii=False), encoding="utf-8")
    provisoire.replace(fichier)


def servir(dossier_ctg: Path, inactivite: float | None) -> None:
    """Le processus du serveur : API et interface de Prefect sur 127.0.0.1, port libre, inscrit dans serveur.json."""
    import asyncio

    prise = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    prise.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    prise.bind(("127.0.0.1", 0))
    port = prise.getsockname()[1]
    api = f"http://127.0.0.1:{port}/api"
    os.environ.update(environnement_prefect(dossier_ctg))
    # L'interface web interroge l'API à cette adresse : sans elle, sur un autre port que 4200, elle affiche
    # « Can't connect to Server API ».
    os.environ.update(
        PREFECT_API_URL=api,
        PREFECT_UI_API_URL=api,
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
    )
    import uvicorn
    from prefect.server.api.server import create_app

    activite = _Activite(create_app(final=True))
    serveur = uvicorn.Server(uvicorn.Config(activite, log_level="warning", lifespan="on", timeout_keep_alive=5))
    fichier = dossier_prefect(dossier_ctg) / FICHIER_ETAT

    async def inscrire_puis_veiller() -> None:
        while not serveur.started:
            if serveur.should_exit:
                return
            await asyncio.sleep(0.05)
        inscrit = Serveur(os.getpid(), port, datetime.now(UTC).isoformat(timespec="seconds"), inactivite)
        _ecrire_etat(fichier, inscrit)
        print(f"Serveur Prefect prêt sur {inscrit.adresse} (pid {inscrit.pid}).", flush=True)
        if inactivite is None:
            return
        while not serveur.should_exit:
            await asyncio.sleep(min(5.0, inactivite * 60 / 4))
            if activite.en_cours == 0 and time.monotonic() - activite.derniere > inactivite * 60:
                print(f"Aucune requête depuis {minutes_en_clair(inactivite)} : arrêt du serveur.", flush=True)
                serveur.should_exit = True

    async def principal() -> None:
        veille = asyncio.create_task(inscrire_puis_veiller())
        try:
            await serveur.serve(sockets=[prise])
        finally:
            veille.cancel()

    # uvicorn s'arrête proprement sur SIGTERM, puis renvoie le signal au processus : qu'il sorte alors par
    # `finally` (désinscription) au lieu d'être tué sans rien dire.
    signal.signal(signal.SIGTERM, _sortir)
    try:
        asyncio.run(principal())
    finally:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(fichier.read_text(encoding="utf-8")).get("pid") == os.getpid():
                fichier.unlink()
        print("Serveur Prefect arrêté.", flush=True)


def minutes_en_clair(minutes: float) -> str:
    """« 0,1 minute », « 30 minutes »."""
    return f"{minutes:g}".replace(".", ",") + (" minute" if minutes < 2 else " minutes")


def _sortir(_numero: int, _pile: object) -> None:
    raise SystemExit(0)


def main(arguments: list[str] | None = None) -> None:
    import argparse

    lecteur = argparse.ArgumentParser(prog=f"python -m {MODULE}", description="Le serveur Prefect d'un CTG_HOME.")
    lecteur.add_argument("dossier", type=Path, help="le dossier CTG_HOME")
    lecteur.add_argument("--inactivite", type=float, default=None, help="minutes sans requête avant l'arrêt")
    options = lecteur.parse_args(arguments)
    servir(options.dossier, options.inactivite)


if __name__ == "__main__":
    main()
