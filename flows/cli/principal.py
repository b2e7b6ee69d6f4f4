"""Le point d'entrée de `ctg` : les groupes de commandes, et les erreurs attendues en français."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from flows.cli import (
    calendrier_annuel,
    comptes_rendus,
    conventions,
    courriels,
    instances,
    partenaires,
    personnes,
    referentiel,
    reponses,
    reunions,
)
from flows.cli.bilan import bilan
from flows.cli.contexte import console_erreurs, info, montrer_avertissements, reglages, succes
from flows.cli.deploiement import deployer
from flows.cli.francais import franciser, franciser_usage
from flows.cli.relances import relances
from flows.cli.sauvegarde import sauvegarder
from flows.cli.serveur import groupe_serveur
from flows.cli.utilisateurs import groupe_utilisateurs
from flows.cli.web import web
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
    """Met la base de données à jour après une nouvelle version de ctg-gouvernance.

    Une base SQLite est d'abord sauvegardée dans CTG_HOME/sauvegardes (le chemin est affiché).
    """
    from gouvernance import base_donnees

    migration = base_donnees.migrer_base(reglages(), maintenant=datetime.now().astimezone())
    if migration.avant == migration.apres:
        succes(f"La base de données est déjà à jour (schéma {migration.apres}) : rien n'a été modifié.")
        return
    if migration.sauvegarde is not None:
        info(f"Sauvegarde de la base avant la mise à jour : {migration.sauvegarde}")
    succes(f"La base de données est à jour (schéma {migration.avant or 'vide'} → {migration.apres}).")


@ctg.command("demo")
def demo() -> None:
    """Montre tout ce que fait l'outil, sur la CTG de L'Union et des contacts fictifs."""
    from flows.cli.demonstration import lancer_demonstration

    lancer_demonstration()


for commande in (
    referentiel.groupe_referentiel,
    conventions.lister_conventions,
    conventions.groupe_convention,
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
    courriels.lister_courriels,
    courriels.groupe_courriel,
    relances,
):
    ctg.add_command(commande)
reunions.groupe_reunion.add_command(comptes_rendus.emargement)
reunions.groupe_calendrier.add_command(calendrier_annuel.planifier_annee)
ctg.add_command(bilan)
ctg.add_command(deployer)
ctg.add_command(sauvegarder)
ctg.add_command(groupe_serveur)
ctg.add_command(groupe_utilisateurs)
ctg.add_command(web)
franciser_usage(ctg)


def main() -> None:
    """Lance `ctg` ; toute erreur s'affiche en une phrase française, jamais en trace Python.

    Une erreur attendue (`ErreurCTG`) ou une panne reconnue (base verrouillée, endommagée ou en lecture
    seule, disque plein, serveur PostgreSQL injoignable…) dit quoi faire ; une autre est inattendue : une
    ligne avec une référence, et la trace complète dans le journal (CTG_HOME/journal/ctg.log).
    """
    montrer_avertissements()
    try:
        ctg.main(prog_name="ctg", standalone_mode=True)
    except ErreurCTG as erreur:
        _afficher_erreur(str(erreur))
        sys.exit(1)
    except Exception as erreur:  # le dernier rempart : aucune trace ne doit atteindre l'utilisateur
        _afficher_erreur(_expliquer(erreur))
        sys.exit(1)


def _expliquer(erreur: Exception) -> str:
    """La panne reconnue, en français ; sinon la ligne de l'erreur inattendue, sa trace étant journalisée."""
    from flows.journal import message_d_erreur

    return message_d_erreur(erreur, " ".join(["ctg", *sys.argv[1:]]))


def _afficher_erreur(message: str) -> None:
    try:
        console_erreurs.print(
            message if message.startswith("Erreur") else f"Erreur : {message}", markup=False, soft_wrap=True
        )
    except Exception:  # terminal fermé ou encodage refusé : le code de sortie dit l'échec
        return
