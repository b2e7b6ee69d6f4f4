"""Régler Prefect avant de l'importer : mode local silencieux, données sous CTG_HOME, sans battement de cœur.

Sans serveur Prefect réglé (PREFECT_API_URL), les flux tournent sur un serveur temporaire local, dont la base
va dans CTG_HOME/prefect ; avec un serveur, ce réglage n'est pas touché.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def reglages_d_execution() -> Iterator[None]:
    """Le battement de cœur des flux ajoute une seconde à chaque exécution synchrone : on le coupe."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
