"""`ctg partenaires` : les organismes partenaires de la CTG, leur sigle, leur catégorie et leur adresse."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from flows.cli.annuaire import CATEGORIES, cellule, decrire_changements, lire_adresse
from flows.cli.contexte import console, imprimer_json, info, session, succes
from flows.cli.options import option_json, option_territoire

AIDE_AUTRE_NOM = "Un autre nom qui le désigne (« Mairie de L'Union », « CAF 31 ») ; l'import des contacts le reconnaît."


@click.group("partenaires", invoke_without_command=True)
@option_territoire
@option_json
@click.pass_context
def groupe_partenaires(contexte: click.Context, territoire: str | None, en_json: bool) -> None:
    """Les organismes partenaires : sans sous-commande, les liste."""
    if contexte.invoked_subcommand is not None:
        return
    from gouvernance.referentiel.exporter import partenaires_du_territoire
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        choisi = choisir_territoire(ouverte, territoire)
        partenaires: list[dict[str, Any]] = [
            {
                "nom": p.nom,
                "sigle": p.sigle,
                "categorie": p.categorie,
                "adresse": p.adresse,
                "autres_noms": list(p.autres_noms or []),
                "contacts": sum(1 for f in p.fonctions if f.fin is None),
            }
            for p in partenaires_du_territoire(ouverte, choisi)
        ]
    if en_json:
        imprimer_json(partenaires)
        return
    tableau = Table("Nom", "Sigle", "Autres noms", "Catégorie", "Contacts")
    for p in partenaires:
        tableau.add_row(
            cellule(p["nom"]),
            cellule(p["sigle"]),
            cellule(" ; ".join(p["autres_noms"])),
            cellule(p["categorie"]),
            cellule(p["contacts"]),
        )
    console.print(tableau)


@groupe_partenaires.command("ajouter")
@click.argument("nom")
@click.option("--sigle", help="Son sigle (CAF, CCAS…).")
@click.option("--categorie", default="autre", show_default=True, help=f"{CATEGORIES}.")
@click.option("--adresse", help="Son adresse postale (\\n entre les lignes).")
@click.option("--autre-nom", "autres_noms", multiple=True, metavar="NOM", help=AIDE_AUTRE_NOM)
@option_territoire
def ajouter_partenaire(
    nom: str, autres_noms: tuple[str, ...], territoire: str | None, adresse: str | None, **champs: str
) -> None:
    """Ajoute au territoire le partenaire NOM (le nom complet de l'organisme)."""
    from gouvernance.services.annuaire import ajouter_partenaire as ajouter

    with session(ecriture=True) as ouverte:
        partenaire = ajouter(
            ouverte, territoire, nom=nom, adresse=lire_adresse(adresse), autres_noms=autres_noms, **champs
        )
    succes(f"Partenaire « {partenaire.nom} » ajouté.")


@groupe_partenaires.command("modifier")
@click.argument("designation")
@click.option("--nom", help="Son nouveau nom.")
@click.option("--sigle", help="Son sigle.")
@click.option("--categorie", help=f"{CATEGORIES}.")
@click.option("--adresse", help="Son adresse postale (\\n entre les lignes).")
@click.option("--autre-nom", "autres_noms", multiple=True, metavar="NOM", help=AIDE_AUTRE_NOM)
@click.option("--retirer-nom", "retires", multiple=True, metavar="NOM", help="Un autre nom qui ne le désigne plus.")
def modifier_partenaire(
    designation: str, autres_noms: tuple[str, ...], retires: tuple[str, ...], adresse: str | None, **champs: str | None
) -> None:
    """Change le partenaire DESIGNATION (son nom, son sigle ou un autre nom)."""
    from gouvernance.services.annuaire import modifier_partenaire as modifier

    with session(ecriture=True) as ouverte:
        partenaire, modifies = modifier(
            ouverte,
            designation,
            ajouter_noms=autres_noms,
            retirer_noms=retires,
            adresse=lire_adresse(adresse),
            **champs,
        )
    info(f"« {partenaire.nom} » : " + decrire_changements(modifies))


@groupe_partenaires.command("supprimer")
@click.argument("designation")
@option_territoire
def supprimer_partenaire(designation: str, territoire: str | None) -> None:
    """Retire du territoire le partenaire DESIGNATION (refusé si des personnes ou instances s'y rattachent)."""
    from gouvernance.services.annuaire import supprimer_partenaire as supprimer

    with session(ecriture=True) as ouverte:
        message = supprimer(ouverte, territoire, designation)
    succes(message)
