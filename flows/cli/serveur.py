"""`ctg serveur demarrer | arreter | etat` : le serveur Prefect local de ce CTG_HOME (flows/serveur_local.py)."""

from __future__ import annotations

import os

import click

from flows.cli.contexte import imprimer_json, info, reglages, succes
from flows.cli.options import option_json


@click.group("serveur", short_help="Démarre, arrête ou montre le serveur Prefect local (flux plus rapides).")
def groupe_serveur() -> None:
    """Le serveur Prefect local de ce dossier de données : avec lui, une commande qui exécute un flux
    (ctg reunion convoquer, ctg relances…) n'attend plus le démarrage de Prefect, et l'interface web de
    Prefect montre l'historique et le journal de chaque exécution.

    Sans serveur démarré, la première commande de flux en démarre un en arrière-plan, qui s'arrête seul
    après CTG_SERVEUR_INACTIVITE minutes sans activité (30 par défaut). Avec PREFECT_API_URL réglé, les
    flux vont à ce serveur-là.
    """


@groupe_serveur.command("demarrer", short_help="Démarre le serveur en arrière-plan.")
@click.option(
    "--arret-apres",
    type=float,
    default=None,
    callback=lambda _contexte, _option, valeur: _minutes_positives(valeur),
    metavar="MINUTES",
    help="S'arrête seul après ce nombre de minutes sans activité (par défaut : tourne jusqu'à `ctg serveur arreter`).",
)
def demarrer(arret_apres: float | None) -> None:
    """Démarre le serveur en arrière-plan (sa base et son journal sous CTG_HOME/prefect)."""
    from flows.serveur_local import demarrer_serveur, dossier_prefect

    serveur, demarre = demarrer_serveur(reglages().dossier, inactivite=arret_apres)
    if demarre:
        succes(f"Serveur Prefect démarré (pid {serveur.pid}).")
    else:
        info(f"Le serveur Prefect tourne déjà (pid {serveur.pid}).")
    info(f"Interface web : {serveur.adresse}")
    info(f"Les commandes de flux l'utilisent ; son journal : {dossier_prefect(reglages().dossier) / 'serveur.log'}.")
    _attendre_l_executeur()
    _prevenir_si_autre_serveur()


def _attendre_l_executeur() -> None:
    from flows.executeur import FICHIER_JOURNAL, attendre_executeur
    from flows.serveur_local import ATTENTE_DEMARRAGE, dossier_prefect

    executeur = attendre_executeur(reglages().dossier, ATTENTE_DEMARRAGE)
    if executeur is None:
        journal = dossier_prefect(reglages().dossier) / FICHIER_JOURNAL
        info(
            f"L'exécuteur des flux n'est pas encore prêt (voyez {journal}) : "
            "les commandes exécutent leurs flux elles-mêmes."
        )
    else:
        info(f"Exécuteur des flux prêt (pid {executeur.pid}) : les commandes de flux lui confient leur flux.")


@groupe_serveur.command("arreter", short_help="Arrête le serveur.")
def arreter() -> None:
    """Arrête le serveur (les flux suivants en redémarreront un, le temps d'une série de commandes)."""
    from flows.serveur_local import arreter_serveur

    serveur = arreter_serveur(reglages().dossier)
    if serveur is None:
        info("Aucun serveur Prefect ne tourne pour ce dossier de données.")
    else:
        succes(f"Serveur Prefect arrêté (pid {serveur.pid}, {serveur.adresse}).")


@groupe_serveur.command("etat")
@option_json
def etat(en_json: bool) -> None:
    """Dit si le serveur tourne, à quelle adresse, et où vont les flux."""
    from flows.executeur import lire_executeur
    from flows.serveur_local import lire_serveur, minutes_en_clair, repond

    serveur = lire_serveur(reglages().dossier)
    en_marche = serveur is not None and repond(serveur)
    executeur = lire_executeur(reglages().dossier)
    externe = os.environ.get("PREFECT_API_URL") or None
    if en_json:
        imprimer_json(
            {
                "en_marche": en_marche,
                "pid": serveur.pid if serveur else None,
                "api": serveur.api if serveur else None,
                "interface": serveur.adresse if serveur else None,
                "demarre_le": serveur.demarre_le if serveur else None,
                "arret_apres_minutes": serveur.inactivite if serveur else None,
                "flux_vers": externe or (serveur.api if en_marche and serveur else None),
                "executeur_pid": executeur.pid if executeur else None,
            }
        )
        return
    if serveur is None:
        info("Aucun serveur Prefect ne tourne pour ce dossier de données : `ctg serveur demarrer` en démarre un.")
    elif not en_marche:
        info(f"Le serveur Prefect (pid {serveur.pid}) tourne mais ne répond pas encore sur {serveur.api}.")
    else:
        succes(f"Le serveur Prefect tourne (pid {serveur.pid}, démarré le {_en_clair(serveur.demarre_le)}).")
        info(f"API : {serveur.api}")
        info(f"Interface web : {serveur.adresse}")
        if serveur.inactivite is not None:
            info(f"Il s'arrêtera seul après {minutes_en_clair(serveur.inactivite)} sans activité.")
        if executeur is not None:
            info(f"Exécuteur des flux : prêt (pid {executeur.pid}).")
        else:
            info("Exécuteur des flux : absent ; les commandes exécutent leurs flux elles-mêmes.")
    _prevenir_si_autre_serveur()


def _minutes_positives(valeur: float | None) -> float | None:
    if valeur is not None and not valeur > 0:
        raise click.BadParameter(f"{valeur:g} minute : donnez un nombre de minutes positif (par exemple 120).")
    return valeur


def _en_clair(horodatage: str) -> str:
    """« 05/12/2026 à 15:02 », à l'heure de cette machine."""
    from datetime import datetime

    return datetime.fromisoformat(horodatage).astimezone().strftime("%d/%m/%Y à %H:%M")


def _prevenir_si_autre_serveur() -> None:
    externe = os.environ.get("PREFECT_API_URL")
    if externe:
        info(f"PREFECT_API_URL est réglé : les commandes de flux utilisent {externe}, pas ce serveur local.")
