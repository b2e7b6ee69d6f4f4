"""`ctg reponses importer` et `relever` : les réponses des invités reçues par courriel (Outlook, Gmail, Thunderbird)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.text import Text

from flows.cli.contexte import console, imprimer_json, info, lancer_flux, moteur, reglages, session, succes
from flows.cli.options import option_json, option_simulation

if TYPE_CHECKING:
    from gouvernance.reunions.imap.releve import BilanReleve

#: Le symbole de chaque état dans la sortie lisible.
SYMBOLES = {
    "applique": ("✓ ", "green"),
    "a_verifier": ("? ", "yellow"),
    "ignore": ("– ", "dim"),
    "refuse": ("✗ ", "red"),
}


@click.group("reponses")
def groupe_reponses() -> None:
    """Les réponses des invités : acceptations, excuses, « peut-être » et délégations."""


@groupe_reponses.command("importer")
@click.argument("chemins", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="CHEMIN…")
@option_simulation
@option_json
def importer(chemins: tuple[Path, ...], simulation: bool, en_json: bool) -> None:
    """Enregistre les réponses des courriels (.eml) et calendriers (.ics) CHEMIN, ou de tout un dossier.

    Enregistrez dans un dossier les courriels de réponse reçus (« Enregistrer sous » dans Outlook ou
    Thunderbird, « Télécharger le message » dans Gmail), puis importez le dossier. Une réponse à une
    version dépassée de l'invitation, ou d'une personne non invitée, est signalée sans être enregistrée ;
    une réponse envoyée par quelqu'un d'autre que l'invité est mise de côté « à vérifier » ;
    importer deux fois le même dossier ne change rien.
    """
    from gouvernance.services.reponses import importer_reponses

    fichiers, bilan = importer_reponses(moteur(), chemins, maintenant=datetime.now(UTC), simulation=simulation)
    if en_json:
        imprimer_json([resultat.en_json() for resultat in bilan.resultats])
        return
    if not fichiers:
        info("Aucun fichier .eml ou .ics à lire.")
        return
    for resultat in bilan.resultats:
        console.print(Text.assemble(SYMBOLES[resultat.etat], resultat.ligne), soft_wrap=True)
    info(bilan.resume(simulation=simulation))


@groupe_reponses.command("relever")
@click.option(
    "--retraiter",
    is_flag=True,
    help="Relit aussi les courriels dont la réponse a été refusée (après avoir corrigé l'annuaire, par exemple).",
)
@option_simulation
@option_json
def relever(retraiter: bool, simulation: bool, en_json: bool) -> None:
    """Relève la boîte du coordinateur (IMAP) et enregistre les réponses reçues depuis le dernier relevé.

    Réglez d'abord CTG_IMAP_HOST, CTG_IMAP_USER et CTG_IMAP_PASSWORD (ou la rubrique [imap] de ctg.toml).
    La boîte n'est jamais modifiée : les courriels restent non lus, à leur place. Seuls les courriels qui
    portent une réponse de calendrier sont téléchargés ; chaque courriel n'est examiné qu'une fois, sauf
    avec --retraiter, qui relit ceux dont la réponse avait été refusée.
    """
    from gouvernance.reunions.imap.reglages import exiger_reglages_imap

    reglages_imap = exiger_reglages_imap(reglages().valeurs)
    if not en_json:
        info(f"Relevé de « {reglages_imap.dossier} » sur {reglages_imap.adresse} ({reglages_imap.utilisateur})…")
    # Sans nouvel essai : devant la commande, l'utilisateur préfère savoir tout de suite que le serveur ne répond pas.
    bilan: BilanReleve = lancer_flux("relever-reponses", simulation=simulation, reessayer=False, retraiter=retraiter)
    if en_json:
        imprimer_json(bilan.en_json())
        return
    for ligne in bilan.lignes:
        console.print(Text.assemble(SYMBOLES[ligne.etat], ligne.ligne), soft_wrap=True)
    info(bilan.resume(simulation=simulation))


@groupe_reponses.command("a-verifier")
@click.option("--reunion", "reunion", type=int, help="Seulement les réponses de la réunion n°REUNION.")
@option_json
def a_verifier(reunion: int | None, en_json: bool) -> None:
    """Liste les réponses mises de côté : envoyées par quelqu'un d'autre que l'invité, ou mal authentifiées."""
    from gouvernance.reunions.reponses_a_verifier import lister_a_verifier

    with session() as ouverte:
        lignes = lister_a_verifier(ouverte, reunion=reunion)
    if en_json:
        imprimer_json([ligne.en_json() for ligne in lignes])
        return
    if not lignes:
        info("Aucune réponse à vérifier.")
        return
    for ligne in lignes:
        console.print(Text.assemble(SYMBOLES["a_verifier"], ligne.ligne), soft_wrap=True)
    info("Vérifiez auprès de la personne, puis `ctg reponses accepter N` ou `ctg reponses rejeter N`.")


@groupe_reponses.command("accepter")
@click.argument("numeros", nargs=-1, required=True, type=int, metavar="N…")
def accepter(numeros: tuple[int, ...]) -> None:
    """Enregistre les réponses à vérifier N… comme si elles venaient des invités (après vérification)."""
    from gouvernance.reunions.reponses_a_verifier import accepter_reponse

    with session(ecriture=True) as ouverte:
        textes = [accepter_reponse(ouverte, numero, maintenant=datetime.now(UTC)) for numero in numeros]
    for texte in textes:
        succes(texte)


@groupe_reponses.command("rejeter")
@click.argument("numeros", nargs=-1, required=True, type=int, metavar="N…")
def rejeter(numeros: tuple[int, ...]) -> None:
    """Écarte les réponses à vérifier N… : les invitations ne changent pas, le rejet reste écrit."""
    from gouvernance.reunions.reponses_a_verifier import rejeter_reponse

    with session(ecriture=True) as ouverte:
        textes = [rejeter_reponse(ouverte, numero, maintenant=datetime.now(UTC)) for numero in numeros]
    for texte in textes:
        succes(texte)
