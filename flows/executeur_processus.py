"""Le processus de l'exécuteur des flux : `python -m flows.executeur_processus CTG_HOME --serveur PID --api URL`.

Il charge Prefect et nos flux une fois, puis attend les demandes sur CTG_HOME/prefect/executeur.sock. Chaque
demande est exécutée dans une copie de lui-même (`fork`) : plusieurs flux peuvent tourner ensemble, chacun
dans son processus, avec l'environnement, le dossier courant et le masque de droits de la commande qui l'a
demandé. Ce processus-ci n'ouvre ni base ni connexion et ne lance aucun fil : il reste sûr de le copier.

Une commande tuée (`kill -9`) pendant son flux ne l'interrompt pas : la copie finit l'exécution (documents,
envois, état sur le serveur Prefect), puis s'arrête. L'exécuteur s'arrête avec le serveur Prefect qu'il suit
(`ctg serveur arreter`, ou l'arrêt après CTG_SERVEUR_INACTIVITE minutes sans requête) ou sur SIGTERM ; il
laisse alors finir les flux en cours.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import json
import logging
import os
import pickle
import pkgutil
import select
import signal
import socket
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from flows.executeur import FICHIER_ETAT, FICHIER_PRISE, FLUX, MODULE, Executeur
from flows.protocole_flux import adresse_de, envoyer_trame, lire_trame, signature_du_code
from flows.serveur_local import MODULE as MODULE_SERVEUR
from flows.serveur_local import environnement_prefect, est_processus_de
from gouvernance.erreurs import ErreurCTG

#: Ce que charge une première exécution de flux, hors de nos paquets (relevé avec sys.modules avant et après).
MODULES_D_UNE_EXECUTION = (
    "prefect.flow_engine",
    "prefect.task_engine",
    "prefect.logging.handlers",
    "prefect.artifacts",
    "prefect.client.orchestration",
    "prefect.utilities.visualization",
    "prefect.events.worker",
    "fastapi.encoders",
    "anyio._backends._asyncio",
    "sqlite3",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "babel.numbers",
    "encodings.idna",
    "docxtpl",
    "jinja2",
    "lxml.etree",
    "icalendar",
)
#: Les réglages de Prefect propres à l'exécuteur : une demande ne les change pas.
PREFIXE_PREFECT = "PREFECT_"


class _Arret(Exception):
    """SIGTERM reçu : ne plus accepter de demande."""


def servir(dossier_ctg: Path, serveur_pid: int, api: str) -> None:
    """Charge les flux, puis sert les demandes jusqu'à l'arrêt du serveur Prefect ou un SIGTERM."""
    verrou = _verrouiller(dossier_ctg / "prefect")
    if verrou is None:
        print("Un autre exécuteur tourne déjà pour ce dossier : rien à faire.", flush=True)
        return
    _preparer_prefect(dossier_ctg, api)
    debut = time.monotonic()
    flux = {nom: _charger(point) for nom, point in FLUX.items()}
    _prechauffer()
    signature = signature_du_code()
    # Avant de se dire prêt : la première commande, ou `ctg serveur etat`, trouve un serveur au repos.
    os.waitpid(_inscrire_les_flux(list(flux.values()), api), 0)
    prise = _ecouter(dossier_ctg / "prefect" / FICHIER_PRISE)
    etat = dossier_ctg / "prefect" / FICHIER_ETAT
    _inscrire(etat, Executeur(os.getpid(), serveur_pid, datetime.now(UTC).isoformat(timespec="seconds")))
    print(f"Exécuteur prêt en {time.monotonic() - debut:.1f} s (pid {os.getpid()}).", flush=True)
    enfants: set[int] = set()
    signal.signal(signal.SIGTERM, _lever_arret)
    try:
        while est_processus_de(serveur_pid, MODULE_SERVEUR):
            _recolter(enfants, bloquant=False)
            prets, _, _ = select.select([prise], [], [], 1.0)
            if prets:
                _accepter(prise, enfants, verrou=verrou, flux=flux, signature=signature, api=api)
        print("Le serveur Prefect s'est arrêté : arrêt de l'exécuteur.", flush=True)
    except _Arret:
        print("Arrêt demandé.", flush=True)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        prise.close()
        for fichier in (etat, dossier_ctg / "prefect" / FICHIER_PRISE):
            with contextlib.suppress(OSError, ValueError):
                if fichier.suffix == ".sock" or json.loads(fichier.read_text(encoding="utf-8"))["pid"] == os.getpid():
                    fichier.unlink()
        if enfants:
            print(f"Fin des {len(enfants)} flux en cours…", flush=True)
        _recolter(enfants, bloquant=True)
        print("Exécuteur arrêté.", flush=True)


def _inscrire_les_flux(flux: list[Any], api: str) -> int:
    """Dans une copie : inscrit nos flux sur le serveur, pour que la première commande ne paie pas ce premier
    passage (plusieurs secondes : le serveur crée chaque flux et charge ses propres routes) ; aucune exécution."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        from prefect import get_client
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: api}), get_client(sync_client=True) as client:
            for un_flux in flux:
                client.create_flow(un_flux)
    except BaseException:
        code = 1
    os._exit(code)


def _lever_arret(_numero: int, _pile: object) -> None:
    raise _Arret


def _verrouiller(dossier: Path) -> int | None:
    """Un seul exécuteur par CTG_HOME : le verrou est rendu par le système à sa mort, même brutale."""
    import fcntl

    descripteur = os.open(dossier / "executeur.verrou", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descripteur, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descripteur)
        return None
    return descripteur


def _preparer_prefect(dossier_ctg: Path, api: str) -> None:
    """Les réglages de Prefect des commandes (flows/prefect_local.py), vers le serveur local ; avant son import."""
    os.environ.update(environnement_prefect(dossier_ctg))
    os.environ.update(
        PREFECT_API_URL=api,
        PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="CRITICAL",
        PREFECT_LOGGING_SERVER_LEVEL="ERROR",
    )


def _prechauffer() -> None:
    """Charge ici, une fois pour toutes, ce qu'une exécution ne chargerait qu'à son début (plusieurs secondes).

    Relevé sur une première exécution : Prefect charge alors son moteur, fastapi (pour sérialiser les paramètres),
    anyio, le pilote SQLite de SQLAlchemy… ; nos modules, eux, importent leurs dépendances à l'usage.
    """
    for paquet in ("gouvernance", "modeles"):
        racine = importlib.import_module(paquet)
        for trouve in pkgutil.walk_packages(racine.__path__, f"{paquet}."):
            if ".migrations" not in trouve.name:
                with contextlib.suppress(ImportError):
                    importlib.import_module(trouve.name)
    for nom in MODULES_D_UNE_EXECUTION:
        with contextlib.suppress(ImportError):  # un pilote de base absent de cette installation
            importlib.import_module(nom)
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


def _charger(point_d_entree: str) -> Any:
    module, fonction = point_d_entree.split(":")
    return getattr(importlib.import_module(module), fonction)


def _ecouter(chemin: Path) -> socket.socket:
    """La prise de l'exécuteur, réservée à son propriétaire (droits 0600)."""
    with contextlib.suppress(FileNotFoundError):
        chemin.unlink()  # laissée par un exécuteur tué : personne ne l'écoute plus (le verrou le garantit)
    prise = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    masque = os.umask(0o177)
    try:
        with adresse_de(chemin) as adresse:
            prise.bind(adresse)
    finally:
        os.umask(masque)
    os.chmod(chemin, 0o600)
    prise.listen(32)
    return prise


def _inscrire(fichier: Path, executeur: Executeur) -> None:
    provisoire = fichier.with_suffix(".tmp")
    provisoire.write_text(json.dumps(asdict(executeur)), encoding="utf-8")
    provisoire.replace(fichier)


def _recolter(enfants: set[int], *, bloquant: bool) -> None:
    for pid in list(enfants):
        with contextlib.suppress(ChildProcessError):
            fini, _ = os.waitpid(pid, 0 if bloquant else os.WNOHANG)
            if fini == 0:
                continue
        enfants.discard(pid)


def _accepter(
    prise: socket.socket, enfants: set[int], *, verrou: int, flux: dict[str, Any], signature: str, api: str
) -> None:
    connexion, _ = prise.accept()
    # SIGTERM attend que la copie soit notée : l'exécuteur la laissera finir avant de s'arrêter.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pid = os.fork()
        if pid == 0:
            prise.close()
            os.close(verrou)
            _servir_demande(connexion, flux, signature, api)
        connexion.close()
        enfants.add(pid)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


# --- Dans la copie : une demande, une exécution -------------------------------------------------------------


class _Canal:
    """Ce qui part vers la commande ; une commande disparue (tuée) n'interrompt pas le flux."""

    def __init__(self, connexion: socket.socket) -> None:
        self.connexion = connexion
        self.ouvert = True

    def envoyer(self, contenu: dict[str, Any]) -> None:
        if not self.ouvert:
            return
        try:
            envoyer_trame(self.connexion, contenu)
        except OSError:
            self.ouvert = False


class _Relais(logging.Handler):
    """Les lignes du journal de l'exécution (celles de l'onglet Logs), aussi envoyées à la commande."""

    def __init__(self, canal: _Canal) -> None:
        super().__init__(logging.INFO)
        self.canal = canal

    def emit(self, record: logging.LogRecord) -> None:
        self.canal.envoyer({"type": "journal", "niveau": record.levelno, "message": record.getMessage()})


def _servir_demande(connexion: socket.socket, flux: dict[str, Any], signature: str, api: str) -> NoReturn:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    code = 0
    try:
        canal = _Canal(connexion)
        demande = lire_trame(connexion)
        if demande is None:
            os._exit(0)
        if demande.get("signature") != signature or demande.get("flux") not in flux:
            canal.envoyer({"type": "refus"})
            if signature_du_code() != signature:  # le code a changé depuis le démarrage : place à un exécuteur neuf
                os.kill(os.getppid(), signal.SIGTERM)
            os._exit(0)
        try:
            _prendre_le_contexte(demande)
        except (OSError, KeyError, TypeError, ValueError):  # dossier courant disparu… : la commande fera elle-même
            canal.envoyer({"type": "refus"})
            os._exit(0)
        canal.envoyer({"type": "accepte"})
        canal.envoyer(_executer(flux[demande["flux"]], demande, api, canal))
    except BaseException:
        code = 1
    finally:
        _vider_les_journaux()
        with contextlib.suppress(OSError):
            connexion.close()
    os._exit(code)


def _prendre_le_contexte(demande: dict[str, Any]) -> None:
    """L'environnement (sauf les réglages de Prefect), le dossier courant et le masque de la commande."""
    propres = {cle: valeur for cle, valeur in os.environ.items() if cle.startswith(PREFIXE_PREFECT)}
    os.environ.clear()
    os.environ.update(
        {cle: valeur for cle, valeur in demande["environnement"].items() if not cle.startswith(PREFIXE_PREFECT)}
    )
    os.environ.update(propres)
    os.chdir(demande["repertoire"])
    os.umask(int(demande["masque"]))


def _executer(fonction: Any, demande: dict[str, Any], api: str, canal: _Canal) -> dict[str, Any]:
    """Exécute le flux ; la trame finale : son résultat, ou son erreur telle que la commande l'aurait affichée."""
    from flows.prefect_local import reglages_d_execution

    relais = _Relais(canal)
    for nom in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(nom).addHandler(relais)
    try:
        with reglages_d_execution(api):
            resultat = fonction(**demande["parametres"])
        return {"type": "resultat", "pickle": base64.b64encode(pickle.dumps(resultat)).decode()}
    except ErreurCTG as erreur:
        classe = f"{type(erreur).__module__}:{type(erreur).__qualname__}"
        return {"type": "erreur", "classe": classe, "message": erreur.message, "details": erreur.details}
    except Exception as erreur:
        from flows.journal import message_d_erreur

        return {"type": "erreur", "classe": "", "message": message_d_erreur(erreur, demande.get("commande", ""))}


def _vider_les_journaux() -> None:
    """Le journal et les événements de l'exécution partent au serveur avant la fin du processus."""
    with contextlib.suppress(Exception):
        from prefect.logging.handlers import APILogHandler

        APILogHandler().flush()
    with contextlib.suppress(Exception):
        from prefect.events.worker import EventsWorker

        EventsWorker.drain_all()


def main(arguments: list[str] | None = None) -> None:
    import argparse

    lecteur = argparse.ArgumentParser(prog=f"python -m {MODULE}", description="L'exécuteur des flux d'un CTG_HOME.")
    lecteur.add_argument("dossier", type=Path, help="le dossier CTG_HOME")
    lecteur.add_argument("--serveur", type=int, required=True, help="le pid du serveur Prefect local suivi")
    lecteur.add_argument("--api", required=True, help="l'adresse de son API")
    options = lecteur.parse_args(arguments)
    servir(options.dossier.resolve(), options.serveur, options.api)
    sys.exit(0)


if __name__ == "__main__":
    main()
