"""`ctg referentiel`, `ctg territoires` : lire, exporter, importer le référentiel."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from flows.cli.contexte import console, imprimer_json, info, moteur, session, succes
from flows.cli.options import option_json, option_simulation, option_territoire


@click.group("referentiel", invoke_without_command=True)
@option_territoire
@option_json
@click.pass_context
def groupe_referentiel(contexte: click.Context, territoire: str | None, en_json: bool) -> None:
    """Le référentiel de la CTG : sans sous-commande, affiche les enjeux et leurs orientations."""
    if contexte.invoked_subcommand is not None:
        return
    from gouvernance.referentiel.exporter import decrire_arbre
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        arbre = decrire_arbre(ouverte, choisir_territoire(ouverte, territoire))
    if en_json:
        imprimer_json(arbre)
        return
    tableau = Table(title=f"Référentiel de la CTG — {arbre['territoire']['nom']}", expand=True)
    tableau.add_column("Code", no_wrap=True)
    tableau.add_column("Intitulé")
    for enjeu in arbre["enjeux"]:
        titre = Text(f"Enjeu n°{enjeu['numero']} : {enjeu['intitule_court'] or enjeu['intitule']}", style="bold")
        tableau.add_row(Text(str(enjeu["numero"]), style="bold"), titre)
        for orientation in enjeu["orientations"]:
            tableau.add_row(orientation["code"], Text(orientation["intitule"]))
    console.print(tableau)
    total = sum(len(e["orientations"]) for e in arbre["enjeux"])
    info(f"{len(arbre['enjeux'])} enjeux, {total} orientations.")


@groupe_referentiel.command("exporter")
@option_territoire
@click.option(
    "--sortie",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier à écrire (sinon : la sortie standard).",
)
def exporter(territoire: str | None, sortie: Path | None) -> None:
    """Écrit tout le référentiel en YAML, à modifier puis recharger avec `importer`."""
    from gouvernance.fichiers import ecrire_atomiquement
    from gouvernance.referentiel.exporter import exporter_yaml
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        texte = exporter_yaml(ouverte, choisir_territoire(ouverte, territoire))
    if sortie is None:
        click.echo(texte, nl=False)
        return
    ecrire_atomiquement(sortie, texte.encode("utf-8"))
    succes(f"Référentiel écrit dans {sortie}.")


@groupe_referentiel.command("importer")
@click.argument("fichier", type=click.Path(path_type=Path))
@option_simulation
def importer(fichier: Path, simulation: bool) -> None:
    """Charge le référentiel FICHIER (YAML) : crée le territoire, ou le met à jour sur place par ses codes."""
    from gouvernance.services.referentiel import importer_referentiel

    bilan = importer_referentiel(moteur(), fichier, simulation=simulation)
    for ligne in bilan.lignes_resume():
        info(ligne)
    if simulation:
        info("Simulation : rien n'a été enregistré.")


@click.command("territoires")
@option_json
def lister_territoires(en_json: bool) -> None:
    """Liste les territoires de la base."""
    from gouvernance.territoires import lister_territoires

    with session() as ouverte:
        territoires = lister_territoires(ouverte)
    if en_json:
        imprimer_json(territoires)
        return
    tableau = Table("Code", "Nom", "Département")
    for t in territoires:
        tableau.add_row(Text(t["code"] or ""), Text(t["nom"] or ""), Text(t["departement"] or ""))
    console.print(tableau)
