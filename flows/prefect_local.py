"""Régler Prefect avant de l'importer : mode local silencieux, données sous CTG_HOME, sans battement de cœur.

Sans serveur Prefect réglé (PREFECT_API_URL), les commandes envoient leurs flux au serveur local de CTG_HOME
(flows/serveur_local.py), dont la base va dans CTG_HOME/prefect ; avec un serveur réglé, ce réglage n'est pas
touché.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gouvernance.reglages import Reglages


def preparer_environnement(reglages: Reglages) -> None:
    """Fixe les variables PREFECT_* que l'utilisateur n'a pas choisies lui-même ; à appeler avant `import prefect`."""
    defauts = {
        "PREFECT_HOME": str(reglages.dossier / "prefect"),
        # Ni télémétrie (la machine peut être hors ligne : erreurs inutiles), ni verrous SQLite qu'elle provoque.
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # Le premier démarrage crée la base de Prefect : plus long que les 20 s par défaut sur une petite machine.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        # L'utilisateur voit nos messages en français ; ceux de Prefect (traces comprises) vont à son API et à
        # son interface, pas au terminal.
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
        "PREFECT_LOGGING_SERVER_LEVEL": "ERROR",
    }
    for nom, valeur in defauts.items():
        os.environ.setdefault(nom, valeur)


def api_reglee() -> str | None:
    """Le serveur Prefect déjà choisi : PREFECT_API_URL de l'utilisateur (variable ou profil Prefect), ou celui
    d'un contexte Prefect ouvert par l'appelant (un test, un script) ; None s'il n'y en a pas."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


@contextmanager
def reglages_d_execution(api: str | None = None) -> Iterator[None]:
    """Les flux exécutés dans ce bloc vont à l'API `api` (si donnée), sans battement de cœur.

    Le battement de cœur des flux ajoute une seconde à chaque exécution synchrone : on le coupe.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    reglages: dict[Any, object] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    if api is not None:
        reglages[PREFECT_API_URL] = api
    with temporary_settings(updates=reglages):
        yield
