"""`ctg demo` : le parcours d'un coordinateur, commande par commande, sur la CTG de L'Union.

Chaque étape lance la vraie commande `ctg` et l'affiche, pour qu'on puisse la refaire à la main.
Les contacts sont fictifs (adresses @example.org).
"""

from __future__ import annotations

import shlex
from importlib.resources import files

import click
from rich.rule import Rule

from flows.cli.contexte import console, reglages
from gouvernance.erreurs import BaseExistante
from gouvernance.fichiers import ecrire_atomiquement

NOM_FICHIER_CONTACTS = "contacts-demo.csv"


def _etapes(contacts: str) -> list[tuple[str, list[str]]]:
    return [
        ("Créer la base et charger le référentiel de L'Union (conseil municipal du 8 décembre 2021)", ["init"]),
        ("Le référentiel : 8 enjeux, 33 orientations, mot pour mot", ["referentiel"]),
        (
            "Donner à la convention sa période (dates d'exemple)",
            ["convention", "modifier", "--debut", "2022-01-01", "--fin", "2026-12-31"],
        ),
        (
            "Charger les contacts depuis le tableur du coordinateur (personnes fictives)",
            ["personnes", "importer", contacts],
        ),
        (
            "Désigner la présidente du comité de pilotage",
            ["membres", "modifier", "COPIL", "maire@example.org", "--role", "president"],
        ),
        (
            "Le secrétariat du comité technique",
            ["membres", "modifier", "COTECH", "cooperation.ctg@example.org", "--role", "secretaire"],
        ),
        ("Les partenaires de la CTG", ["partenaires"]),
        ("Les contacts", ["personnes"]),
        ("Les instances de gouvernance et leurs membres", ["instances"]),
    ]


def lancer_demonstration() -> None:
    """Déroule le parcours dans le dossier CTG_HOME, qui doit être neuf."""
    from flows.cli.principal import ctg

    dossier = reglages().dossier
    chemin_sqlite = reglages().chemin_sqlite
    if chemin_sqlite is not None and chemin_sqlite.exists():
        raise BaseExistante(
            f"La démonstration crée sa propre base, mais {chemin_sqlite} existe déjà. "
            "Choisissez un dossier neuf : CTG_HOME=demo-ctg ctg demo (ou `make demo`)."
        )
    contacts = dossier / NOM_FICHIER_CONTACTS
    texte = files("gouvernance.donnees").joinpath("contacts_demo.csv").read_bytes()
    ecrire_atomiquement(contacts, texte)
    for titre, arguments in _etapes(str(contacts)):
        console.print(Rule(titre, align="left"))
        console.print(f"[dim]$ ctg {shlex.join(arguments)}[/dim]", highlight=False)
        ctg.main(args=arguments, prog_name="ctg", standalone_mode=False)
        click.echo()
    console.print(Rule("Et ensuite", align="left"))
    console.print(
        f"Tout est dans {dossier} : la base ctg.sqlite3 et le tableur {NOM_FICHIER_CONTACTS}.\n"
        f"Essayez : CTG_HOME={shlex.quote(str(dossier))} ctg referentiel exporter > ma-ctg.yaml",
        markup=False,
        soft_wrap=True,
    )
