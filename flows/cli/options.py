"""Options partagées par plusieurs commandes."""

from __future__ import annotations

import click

option_territoire = click.option(
    "--territoire",
    "-t",
    default=None,
    metavar="CODE",
    help="Code ou nom du territoire, quand la base en contient plusieurs.",
)
option_json = click.option("--json", "en_json", is_flag=True, help="Écrit le résultat en JSON, pour un script.")
option_simulation = click.option(
    "--simulation", is_flag=True, help="Vérifie et montre ce qui changerait, sans rien enregistrer."
)
