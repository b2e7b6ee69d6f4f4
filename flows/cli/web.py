"""`ctg web` : l'application web sur la base de CTG_HOME (ou de CTG_DATABASE_URL)."""

from __future__ import annotations

import click

from flows.cli.contexte import info, reglages, succes


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
    adresse = f"http://{'[' + hote + ']' if ':' in hote else hote}:{port}/"
    succes(f"Application web : {adresse}")
    info("Ctrl+C l'arrête.")
    uvicorn.run(application, host=hote, port=port, log_level="warning", proxy_headers=True)
