"""`ctg relances` : les relances du jour (invités sans réponse, compte rendu attendu, récapitulatif de la semaine)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from flows.cli.contexte import console, imprimer_json, info, lancer_flux, moteur, reglages, succes
from flows.cli.options import option_json

if TYPE_CHECKING:
    from gouvernance.relances.preparation import LigneRelance


@click.command("relances")
@click.option("--date", "texte_jour", metavar="AAAA-MM-JJ", help="Le jour des relances (par défaut : aujourd'hui).")
@click.option("--simulation", is_flag=True, help="Montre ce qui partirait ce jour-là, sans rien préparer ni envoyer.")
@option_json
def relances(texte_jour: str | None, simulation: bool, en_json: bool) -> None:
    """Envoie les relances dues : invités sans réponse, compte rendu attendu, récapitulatif de la semaine.

    Chaque relance ne part qu'une fois, même si la commande est relancée ; une relance devenue sans objet
    (réunion annulée ou déplacée, réponse reçue) n'est jamais envoyée. Le flux `relances-quotidiennes`
    fait la même chose chaque jour une fois déployé.
    """
    from gouvernance.relances.calendrier import lire_jour, verifier_reglages
    from gouvernance.reunions.lecture import lire_coordinateur

    jour = lire_jour(texte_jour, maintenant=datetime.now(UTC))
    lire_coordinateur(reglages())
    verifier_reglages(reglages())
    if simulation:
        lignes = _simuler(jour)
    else:
        resultat = lancer_flux("relances-quotidiennes", jour=jour.isoformat())
        lignes = resultat.lignes
    if en_json:
        imprimer_json(
            {"jour": jour.isoformat(), "simulation": simulation, "relances": [ligne.en_json() for ligne in lignes]}
        )
        return
    _afficher(lignes)
    if simulation:
        _conclure_simulation(jour, lignes)
        return
    from flows.resultats import resume

    for phrase in resume(resultat):
        info(phrase)


def _simuler(jour: date) -> list[LigneRelance]:
    """Ce qui serait préparé, envoyé ou écarté ce jour-là ; la base n'est pas modifiée."""
    from gouvernance.relances.calendrier import jour_du_recapitulatif
    from gouvernance.reunions.lecture import lire_coordinateur
    from gouvernance.services.relances import prevoir_relances

    coordinateur = lire_coordinateur(reglages())
    return prevoir_relances(moteur(), jour, coordinateur, jour_du_recapitulatif=jour_du_recapitulatif(reglages()))


def _afficher(lignes: Sequence[LigneRelance]) -> None:
    if not lignes:
        return
    tableau = Table()
    for titre in ("Nature", "Réunion", "Destinataire", "État"):
        tableau.add_column(titre, overflow="fold")
    for ligne in lignes:
        etat = ligne.etat_libelle
        if ligne.raison:
            etat += f" : {ligne.raison}"
        tableau.add_row(
            Text(ligne.nature_libelle),
            Text(ligne.sujet),
            Text(f"{ligne.nom_destinataire}\n{ligne.destinataire}".strip()),
            Text(etat, style="dim" if ligne.etat in ("caduc", "a_ecarter") else ""),
        )
    console.print(tableau)


def _conclure_simulation(jour: date, lignes: Sequence[LigneRelance]) -> None:
    from gouvernance.envoi.expedition import A_ENVOYER
    from gouvernance.francais import compte, date_complete
    from gouvernance.relances.preparation import A_PREPARER

    partiraient = sum(1 for ligne in lignes if ligne.etat in (A_PREPARER, *A_ENVOYER))
    quoi = (
        compte(partiraient, "message partirait", "messages partiraient")
        if partiraient
        else "aucun message ne partirait"
    )
    succes(f"Le {date_complete(jour)}, {quoi}.")
    info("Simulation : rien n'a été préparé ni envoyé. Sans --simulation, la commande les envoie.")
