"""`ctg sauvegarder` : une copie cohérente et vérifiée de la base."""

from __future__ import annotations

import shlex
from datetime import datetime
from pathlib import Path

import click

from flows.cli.contexte import info, reglages, succes


@click.command("sauvegarder")
@click.argument("fichier", required=False, type=click.Path(dir_okay=False, path_type=Path))
def sauvegarder(fichier: Path | None) -> None:
    """Copie la base de données dans FICHIER (par défaut : CTG_HOME/sauvegardes/ctg-DATE-HEURE.sqlite3).

    La copie est cohérente même si d'autres commandes écrivent en même temps, et vérifiée. Pour la
    restaurer : remplacez ctg.sqlite3 par elle (et supprimez ctg.sqlite3-wal et ctg.sqlite3-shm).
    Une base PostgreSQL se sauvegarde avec pg_dump : la commande à lancer est affichée.
    """
    from gouvernance.sauvegarde import sauvegarder_base

    sauvegarde = sauvegarder_base(reglages(), fichier, maintenant=datetime.now().astimezone())
    succes(f"Base sauvegardée dans {sauvegarde.chemin} ({sauvegarde.taille // 1024} Kio), copie vérifiée.")
    commande = shlex.join(["cp", str(sauvegarde.chemin), str(reglages().chemin_sqlite)])
    info(f"Pour la restaurer : {commande} (ctg arrêté, -wal et -shm supprimés).")
