"""Ce que partagent les commandes : réglages, base, sessions, sorties."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

import click
from rich.console import Console
from rich.text import Text

from gouvernance.reglages import Reglages, lire_reglages

if TYPE_CHECKING:  # SQLAlchemy ne se charge qu'à la première requête : `ctg --help` reste instantané.
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

console = Console(highlight=False)
console_erreurs = Console(stderr=True, highlight=False)


@cache
def reglages() -> Reglages:
    """Les réglages, lus une fois au démarrage de la commande (jamais à l'import)."""
    return lire_reglages()


@cache
def moteur() -> Engine:
    from gouvernance.base_donnees import ouvrir_base

    return ouvrir_base(reglages())


@contextmanager
def session(*, ecriture: bool = False) -> Iterator[Session]:
    from modeles.moteur import ouvrir_session

    with ouvrir_session(moteur(), ecriture=ecriture) as ouverte:
        yield ouverte


def lancer_flux(flux: str, **parametres: Any) -> Any:
    """Exécute le flux Prefect `flux` (son nom dans Prefect : « diffuser-reunion »…) et renvoie son résultat.

    Quand le serveur Prefect local tourne avec son exécuteur (flows/executeur.py), le flux lui est soumis :
    cette commande n'importe pas Prefect. Sinon le flux s'exécute ici, sans traces au terminal ni battement
    de cœur : il va au serveur de PREFECT_API_URL s'il est réglé, sinon au serveur local de CTG_HOME (démarré
    en arrière-plan au besoin, avec son exécuteur, pour les commandes suivantes : voir flows/serveur_local.py).
    """
    import os

    from flows.executeur import ExecuteurAbsent, resultat_de, soumettre

    if not os.environ.get("PREFECT_API_URL"):
        try:
            evenements = soumettre(reglages().dossier, flux, parametres, commande=" ".join(["ctg", *sys.argv[1:]]))
        except ExecuteurAbsent:
            pass
        else:
            return resultat_de(evenements)
    return _executer_ici(flux, parametres)


def _executer_ici(flux: str, parametres: dict[str, Any]) -> Any:
    """Le flux exécuté dans cette commande ; Prefect n'est importé qu'ici, après le réglage de son environnement."""
    import importlib

    from flows.executeur import FLUX
    from flows.prefect_local import preparer_environnement

    preparer_environnement(reglages())
    from flows.prefect_local import api_reglee, reglages_d_execution
    from flows.serveur_local import api_pour_les_flux

    api = None if api_reglee() else api_pour_les_flux(reglages().dossier)
    module, nom = FLUX[flux].split(":")
    fonction = getattr(importlib.import_module(module), nom)
    with reglages_d_execution(api):
        return fonction(**parametres)


def montrer_avertissements() -> None:
    """Les avertissements du domaine (une police manquante pour les PDF…) s'affichent en une phrase française
    sur la sortie d'erreur, sans le fichier ni la ligne Python que montrerait `warnings`."""
    import warnings

    from gouvernance.documents.polices import PolicesAbsentes

    precedent = warnings.showwarning

    def montrer(  # noqa: PLR0917 (les paramètres de warnings.showwarning)
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if issubclass(category, PolicesAbsentes):
            console_erreurs.print(Text(str(message), style="yellow"), soft_wrap=True)
        else:
            precedent(message, category, filename, lineno, file, line)

    warnings.showwarning = montrer
    warnings.simplefilter("default", PolicesAbsentes)


def imprimer_json(donnees: Any) -> None:
    """Écrit `donnees` en JSON sur la sortie standard, accents compris."""
    sys.stdout.write(json.dumps(donnees, ensure_ascii=False, indent=2, default=str) + "\n")


def succes(message: str) -> None:
    # Text plutôt que du balisage : un nom saisi « [rouge] » s'affiche tel quel.
    console.print(Text.assemble(("✓ ", "green"), message), soft_wrap=True)


def info(message: str) -> None:
    console.print(Text(message), soft_wrap=True)


def demander_oui_non(question: str, *, defaut: bool = False) -> bool:
    """Pose une question fermée en français : « o » ou « oui », « n » ou « non » ; Entrée garde `defaut`."""
    choix = " [O/n] " if defaut else " [o/N] "
    while True:
        reponse = click.prompt(question + choix, default="", show_default=False, prompt_suffix="")
        mot = reponse.strip().lower()
        if not mot:
            return defaut
        if mot in ("o", "oui"):
            return True
        if mot in ("n", "non"):
            return False
        console_erreurs.print("Répondez « o » (oui) ou « n » (non).")
