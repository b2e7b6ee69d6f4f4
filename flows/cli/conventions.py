"""`ctg conventions` et `ctg convention` : les conventions successives d'un territoire avec la CAF."""

from __future__ import annotations

from datetime import date

import click
from rich.table import Table
from rich.text import Text

from flows.cli.contexte import console, imprimer_json, info, session, succes
from flows.cli.options import option_json, option_territoire

AJOUTER = "`ctg convention ajouter --debut DATE --fin DATE` en crée une"
OPTION_INTITULE = click.option("--intitule", metavar="TEXTE", help="L'intitulé de la convention.")
OPTION_STATUT = click.option("--statut", metavar="STATUT", help="« en préparation », « signée » ou « échue ».")


@click.command("conventions")
@option_territoire
@option_json
def lister_conventions(territoire: str | None, en_json: bool) -> None:
    """Liste les conventions du territoire : période, statut, signataires, nombre de réunions."""
    from gouvernance.services.conventions import lister_conventions as lister
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        choisi = choisir_territoire(ouverte, territoire)
        lignes = lister(ouverte, choisi, aujourd_hui=date.today())
    if en_json:
        imprimer_json([ligne.en_json() for ligne in lignes])
        return
    if not lignes:
        info(f"{choisi.nom} n'a pas encore de convention : {AJOUTER}.")
        return
    tableau = Table("Convention", "Période", "Statut", "Signataires", "Réunions")
    for ligne in lignes:
        signataires = "\n".join(
            s.partenaire
            + (f" ({s.personne})" if s.personne else "")
            + (f", le {s.signe_le:%d/%m/%Y}" if s.signe_le else "")
            for s in ligne.signataires
        )
        tableau.add_row(
            Text(ligne.intitule + (" (en vigueur)" if ligne.en_vigueur else "")),
            Text(ligne.periode),
            Text(ligne.statut.libelle),
            Text(signataires or "—"),
            Text(str(ligne.reunions)),
        )
    console.print(tableau)


@click.group("convention", invoke_without_command=True)
@option_territoire
@click.pass_context
def groupe_convention(contexte: click.Context, territoire: str | None) -> None:
    """La convention en cours (en vigueur aujourd'hui, sinon la plus récente) : sans sous-commande, l'affiche."""
    if contexte.invoked_subcommand is not None:
        return
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        choisi = choisir_territoire(ouverte, territoire)
        convention = choisi.convention_courante(date.today())
        if convention is None:
            info(f"{choisi.nom} n'a pas encore de convention : {AJOUTER}.")
            return
        periode = (
            f"du {convention.debut:%d/%m/%Y} au {convention.fin:%d/%m/%Y}"
            if convention.debut and convention.fin
            else "période non renseignée (`ctg convention modifier --debut ... --fin ...`)"
        )
        info(f"{convention.intitule} — {periode} — {convention.statut.libelle}")


@groupe_convention.command("ajouter")
@option_territoire
@click.option(
    "--debut", metavar="DATE", required=True, help="Premier jour de la convention (2027-01-01 ou 01/01/2027)."
)
@click.option("--fin", metavar="DATE", required=True, help="Dernier jour de la convention.")
@OPTION_INTITULE
@OPTION_STATUT
def ajouter_convention(territoire: str | None, debut: str, fin: str, intitule: str | None, statut: str | None) -> None:
    """Ajoute une convention (un renouvellement) ; sa période ne doit chevaucher aucune autre."""
    from gouvernance.services.conventions import ajouter_convention as ajouter
    from gouvernance.territoires import choisir_territoire

    with session(ecriture=True) as ouverte:
        choisi = choisir_territoire(ouverte, territoire)
        convention = ajouter(ouverte, choisi, debut=debut, fin=fin, intitule=intitule, statut=statut)
        succes(
            f"Convention ajoutée à {choisi.nom} : {convention.intitule}, "
            f"du {convention.debut:%d/%m/%Y} au {convention.fin:%d/%m/%Y} ({convention.statut.libelle})."
        )


@groupe_convention.command("modifier")
@option_territoire
@click.option("--debut", metavar="DATE", help="Premier jour de la convention (2022-01-01 ou 01/01/2022).")
@click.option("--fin", metavar="DATE", help="Dernier jour de la convention.")
@OPTION_INTITULE
@OPTION_STATUT
@click.option("--signataire", metavar="ORGANISME", help="Un organisme signataire (nom ou sigle d'un partenaire).")
@click.option("--signe-par", metavar="EMAIL", help="Avec --signataire : la personne qui a signé pour lui.")
@click.option("--signe-le", metavar="DATE", help="Avec --signataire : la date de signature.")
def modifier_convention(
    territoire: str | None, signataire: str | None, signe_par: str | None, signe_le: str | None, **champs: str | None
) -> None:
    """Modifie la convention en cours : période, intitulé, statut, signataires."""
    from gouvernance.erreurs import DonneesInvalides
    from gouvernance.services.conventions import Signature
    from gouvernance.services.conventions import modifier_convention as modifier
    from gouvernance.territoires import choisir_territoire

    if (signe_par or signe_le) and not signataire:
        raise DonneesInvalides("--signe-par et --signe-le accompagnent --signataire ORGANISME : précisez l'organisme.")
    signature = Signature(signataire, signe_par, signe_le) if signataire else None
    with session(ecriture=True) as ouverte:
        choisi = choisir_territoire(ouverte, territoire)
        convention = modifier(
            ouverte,
            choisi,
            debut=champs["debut"],
            fin=champs["fin"],
            intitule=champs["intitule"],
            statut=champs["statut"],
            signature=signature,
            aujourd_hui=date.today(),
        )
        periode = (
            f"du {convention.debut:%d/%m/%Y} au {convention.fin:%d/%m/%Y}"
            if convention.debut and convention.fin
            else "période incomplète"
        )
        succes(f"Convention de {choisi.nom} : {convention.intitule}, {periode} ({convention.statut.libelle}).")
