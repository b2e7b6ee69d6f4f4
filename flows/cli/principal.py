"""Le point d'entrée de `ctg` : les groupes de commandes, et les erreurs attendues en français."""

from __future__ import annotations

import sys

import click

from flows.cli import (
    calendrier_annuel,
    comptes_rendus,
    instances,
    partenaires,
    personnes,
    referentiel,
    reponses,
    reunions,
)
from flows.cli.bilan import bilan
from flows.cli.contexte import console_erreurs, info, reglages, succes
from flows.cli.deploiement import deployer
from flows.cli.francais import franciser, franciser_usage
from flows.cli.relances import relances
from gouvernance.erreurs import ErreurCTG

franciser()


@click.group("ctg", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
def ctg() -> None:
    """La gouvernance d'une Convention territoriale globale (CTG) : référentiel, partenaires, instances,
    réunions et convocations, comptes rendus, relances, bilan annuel.

    Pour tout voir sur un exemple : CTG_HOME=demo-ctg ctg demo.

    Les données sont dans le dossier CTG_HOME (par défaut : ./ctg-donnees) ; CTG_DATABASE_URL
    désigne une autre base (PostgreSQL, par exemple).
    """


@ctg.command("init")
@click.option("--vide", is_flag=True, help="Crée une base vide, sans le référentiel de L'Union.")
def initialiser(vide: bool) -> None:
    """Crée la base de données et y charge le référentiel de L'Union (sauf avec --vide)."""
    from gouvernance.base_donnees import creer_base
    from gouvernance.territoires import charger_referentiel_exemple
    from modeles.moteur import ouvrir_session

    moteur = creer_base(reglages())
    succes(f"Base de données créée dans {reglages().dossier}.")
    if vide:
        info("Elle est vide : chargez votre référentiel avec `ctg referentiel importer FICHIER`.")
        return
    with ouvrir_session(moteur, ecriture=True) as session:
        bilan = charger_referentiel_exemple(session)
    for ligne in bilan.lignes_resume():
        info(ligne)
    info("Voyez-le avec `ctg referentiel` ; chargez le vôtre avec `ctg referentiel importer FICHIER`.")


@ctg.command("migrer")
def migrer_base() -> None:
    """Met la base de données à jour après une nouvelle version de ctg-gouvernance."""
    from gouvernance.base_donnees import migrer, ouvrir_base

    migrer(ouvrir_base(reglages()))
    succes("La base de données est à jour.")


@ctg.command("demo")
def demo() -> None:
    """Montre tout ce que fait l'outil, sur la CTG de L'Union et des contacts fictifs."""
    from flows.cli.demonstration import lancer_demonstration

    lancer_demonstration()


for commande in (
    referentiel.groupe_referentiel,
    referentiel.groupe_convention,
    referentiel.lister_territoires,
    partenaires.groupe_partenaires,
    personnes.groupe_personnes,
    instances.groupe_instances,
    instances.groupe_membres,
    reunions.groupe_reunion,
    reunions.lister_reunions,
    reunions.groupe_calendrier,
    comptes_rendus.groupe_compte_rendu,
    comptes_rendus.suivi,
    comptes_rendus.groupe_action,
    reponses.groupe_reponses,
    relances,
):
    ctg.add_command(commande)
reunions.groupe_reunion.add_command(comptes_rendus.emargement)
reunions.groupe_calendrier.add_command(calendrier_annuel.planifier_annee)
ctg.add_command(bilan)
ctg.add_command(deployer)
franciser_usage(ctg)


def main() -> None:
    """Lance `ctg` ; une erreur attendue s'affiche en français, sans trace Python."""
    try:
        ctg.main(prog_name="ctg", standalone_mode=True)
    except ErreurCTG as erreur:
        console_erreurs.print(f"Erreur : {erreur}", markup=False, soft_wrap=True)
        sys.exit(1)
    except Exception as erreur:
        from sqlalchemy.exc import OperationalError

        if isinstance(erreur, OperationalError):
            console_erreurs.print(
                "Erreur : la base de données ne répond pas ou est verrouillée "
                f"({erreur.orig}). Vérifiez CTG_DATABASE_URL, ou réessayez dans un instant.",
                markup=False,
                soft_wrap=True,
            )
            sys.exit(1)
        raise
