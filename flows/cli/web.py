"""`ctg web` : l'application web sur la base de CTG_HOME (ou de CTG_DATABASE_URL)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click

from flows.cli.contexte import info, reglages, succes
from gouvernance.erreurs import DonneesInvalides


@click.command("web")
@click.option(
    "--hote", default="127.0.0.1", show_default=True, metavar="ADRESSE", help="L'adresse d'écoute (0.0.0.0 : toutes)."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), metavar="PORT", help="Le port d'écoute."
)
def web(hote: str, port: int) -> None:
    """Démarre l'application web du coordinateur et des secrétaires ; Ctrl+C l'arrête.

    Il faut un compte pour s'y connecter : `ctg utilisateurs ajouter EMAIL --role coordinateur`. En production,
    servez-la derrière un mandataire inverse en https (voir le README).
    """
    import uvicorn

    from flows.web.application import creer_application

    application = creer_application(reglages())
    _exiger_port_libre(hote, port)
    _preparer_prefect(reglages().dossier)
    succes(f"Application web : http://{'[' + hote + ']' if ':' in hote else hote}:{port}/")
    info("Ctrl+C l'arrête.")
    uvicorn.run(application, host=hote, port=port, log_level="warning", proxy_headers=True)


def _preparer_prefect(dossier: Path) -> None:
    """Les travaux longs des pages (convocation, PDF, diffusion, bilan) sont des flux Prefect exécutés par
    l'application elle-même. Installation intégrée : le serveur Prefect local de CTG_HOME démarre avec elle (et
    tourne jusqu'à `ctg serveur arreter`) ; PREFECT_API_URL réglé : c'est ce serveur-là qui les suit."""
    if api := os.environ.get("PREFECT_API_URL"):
        info(f"Travaux longs suivis par le serveur Prefect {api}.")
        return
    from flows.serveur_local import demarrer_serveur

    info("Démarrage du serveur Prefect local, qui suit les travaux longs des pages…")
    serveur, _ = demarrer_serveur(dossier, inactivite=None)
    info(f"Prefect : {serveur.adresse} (chaque travail long y a son exécution)")


def _exiger_port_libre(hote: str, port: int) -> None:
    """Un port déjà pris se dit en français, avant qu'uvicorn ne l'écrive en anglais dans son journal."""
    famille = socket.AF_INET6 if ":" in hote else socket.AF_INET
    with socket.socket(famille, socket.SOCK_STREAM) as prise:
        prise.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # comme uvicorn
        try:
            prise.bind((hote, port))
        except OSError:
            raise DonneesInvalides(
                f"Impossible d'écouter sur {hote}, port {port} : il est déjà pris (une autre application, ou "
                "`ctg web` déjà lancé ?) ou l'adresse n'est pas celle de cette machine. Choisissez un autre port "
                "avec --port, ou une autre adresse avec --hote."
            ) from None
