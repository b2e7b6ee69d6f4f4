"""`ctg reunion emargement`, `ctg compte-rendu …`, `ctg suivi`, `ctg action modifier` : du compte rendu au suivi."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from flows.cli.contexte import console, imprimer_json, info, lancer_flux, moteur, reglages, session, succes
from flows.cli.options import option_json, option_simulation, option_territoire


@click.command("emargement")
@click.argument("identifiant", type=int)
def emargement(identifiant: int) -> None:
    """Écrit la feuille d'émargement de la réunion IDENTIFIANT (Word, et PDF avec LibreOffice)."""
    for chemin in lancer_flux("feuille-d-emargement", reunion_id=identifiant):
        succes(f"Feuille d'émargement : {chemin}")


@click.group("compte-rendu")
def groupe_compte_rendu() -> None:
    """Le compte rendu d'une réunion : générer, importer la version du secrétaire, valider, diffuser."""


@groupe_compte_rendu.command("generer")
@click.argument("identifiant", type=int)
def generer(identifiant: int) -> None:
    """Écrit le projet de compte rendu en Word, pré-rempli, à compléter par le secrétaire de séance."""
    from gouvernance.reunions.lecture import lire_coordinateur

    lire_coordinateur(reglages())
    chemin = lancer_flux("generer-compte-rendu", reunion_id=identifiant)
    succes(f"Projet de compte rendu : {chemin}")
    info(f"Une fois complété par le secrétaire : ctg compte-rendu importer {identifiant} FICHIER.docx")


@groupe_compte_rendu.command("importer")
@click.argument("identifiant", type=int)
@click.argument("fichier", type=click.Path(path_type=Path))
@option_simulation
def importer(identifiant: int, fichier: Path, simulation: bool) -> None:
    """Relit le compte rendu complété FICHIER (.docx) : présences, décisions et actions, avant de les enregistrer."""
    from gouvernance.services.comptes_rendus import importer_compte_rendu

    bilan = importer_compte_rendu(
        moteur(), identifiant, fichier, reglages=reglages(), maintenant=datetime.now(UTC), simulation=simulation
    )
    for ligne in bilan.lignes_resume():
        info(ligne)
    if simulation:
        info("Simulation : rien n'a été enregistré.")
    else:
        succes(f"Compte rendu importé. Validez-le avec : ctg compte-rendu valider {identifiant}")


@groupe_compte_rendu.command("valider")
@click.argument("identifiant", type=int)
def valider(identifiant: int) -> None:
    """Écrit la version officielle du compte rendu importé, la fige et en tire le PDF."""
    for chemin in lancer_flux("valider-compte-rendu", reunion_id=identifiant):
        succes(f"Compte rendu validé : {chemin}")
    info(f"Diffusez-le aux invités avec : ctg compte-rendu diffuser {identifiant}")


@groupe_compte_rendu.command("diffuser")
@click.argument("identifiant", type=int)
def diffuser(identifiant: int) -> None:
    """Envoie le compte rendu validé à chaque invité, présent ou non, une seule fois."""
    from gouvernance.reunions.lecture import lire_coordinateur

    lire_coordinateur(reglages())
    bilan = lancer_flux("diffuser-compte-rendu", reunion_id=identifiant)
    for ligne in bilan.lignes_resume():
        info(ligne)


@click.command("suivi")
@click.option("--enjeu", type=int, help="Numéro d'enjeu.")
@click.option("--orientation", metavar="CODE", help="Code d'orientation (3.3).")
@click.option("--instance", metavar="CODE", help="Code d'instance (COPIL…).")
@click.option("--responsable", help="Le responsable (une partie de son nom suffit).")
@click.option("--statut", help="à faire, en cours, fait, abandonnée.")
@option_territoire
@option_json
def suivi(territoire: str | None, en_json: bool, **filtres: Any) -> None:
    """Les actions (en retard d'abord) et les décisions des réunions, filtrées au besoin."""
    from gouvernance.comptes_rendus.suivi import Filtres, lister_suivi
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        resultat = lister_suivi(
            ouverte, choisir_territoire(ouverte, territoire), Filtres(**filtres), aujourd_hui=date.today()
        )
    if en_json:
        imprimer_json(resultat)
        return
    tableau = Table("N°", "Action", "Responsable", "Échéance", "Statut", "Orientations", "Décidée au")
    for action in resultat["actions"]:
        jour = date.fromisoformat(action["echeance"]).strftime("%d/%m/%Y") if action["echeance"] else ""
        echeance = Text(jour, style="bold red" if action["en_retard"] else "")
        statut = action["statut_libelle"] + (" (en retard)" if action["en_retard"] else "")
        tableau.add_row(
            str(action["numero"]),
            Text(action["libelle"]),
            Text(action["responsable"] or ""),
            echeance,
            Text(statut),
            ", ".join(action["orientations"]),
            Text(action["origine"]),
        )
    console.print(tableau)
    if resultat["decisions"]:
        decisions = Table("Décision", "Orientations", "Réunion")
        for decision in resultat["decisions"]:
            decisions.add_row(
                Text(f"n°{decision['numero']} : {decision['texte']}"),
                ", ".join(decision["orientations"]),
                Text(decision["origine"]),
            )
        console.print(decisions)


@click.group("action")
def groupe_action() -> None:
    """Une action décidée en réunion."""


@groupe_action.command("modifier")
@click.argument("numero", type=int)
@click.option("--statut", help="à faire, en cours, fait, abandonnée.")
@click.option("--echeance", metavar="DATE", help="Nouvelle échéance (31/03/2027).")
@option_json
def modifier_action(numero: int, statut: str | None, echeance: str | None, en_json: bool) -> None:
    """Change le statut ou l'échéance de l'action NUMERO (voir `ctg suivi`)."""
    from gouvernance.services.suivi import modifier_action as modifier

    with session(ecriture=True) as ouverte:
        description = modifier(
            ouverte, numero, statut=statut, echeance=echeance, maintenant=datetime.now(UTC), aujourd_hui=date.today()
        )
    if en_json:
        imprimer_json(description)
        return
    echeance = description["echeance"]
    echeance_texte = f", échéance {date.fromisoformat(echeance):%d/%m/%Y}" if echeance else ""
    succes(f"Action n°{numero} : {description['statut_libelle']}{echeance_texte}.")
