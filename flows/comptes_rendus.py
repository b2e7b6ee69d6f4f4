"""Les flux du compte rendu : feuille d'émargement, projet Word, validation, diffusion aux invités."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from prefect import flow, task
from sqlalchemy import Engine

from flows.artefacts import publier_documents, publier_envoi
from flows.convocation import envoyer_avec_reessais, parametres_de_production
from gouvernance.base_donnees import ouvrir_base
from gouvernance.envoi import BilanEnvoi
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.services import comptes_rendus

T = TypeVar("T")


def _lancer(cas_d_usage: Callable[[Engine, int, Parametres], T], reunion_id: int) -> T:
    """Appelle le cas d'usage avec la base et les paramètres de production (réglages, heure, modèles, PDF)."""
    reglages = lire_reglages()
    return cas_d_usage(ouvrir_base(reglages), reunion_id, parametres_de_production(reglages))


@task(name="feuille-d-emargement")
def _emargement(reunion_id: int) -> list[str]:
    return [str(chemin) for chemin in _lancer(comptes_rendus.produire_emargement, reunion_id)]


@flow(name="feuille-d-emargement")
def emargement(reunion_id: int) -> list[str]:
    """La feuille d'émargement d'une réunion, en Word (et en PDF avec LibreOffice)."""
    chemins = _emargement(reunion_id)
    publier_documents(reunion_id, "emargement", "feuille d'émargement", chemins)
    return chemins


@task(name="projet-de-compte-rendu")
def _projet(reunion_id: int) -> str:
    return str(_lancer(comptes_rendus.generer_compte_rendu, reunion_id))


@flow(name="generer-compte-rendu")
def generer_compte_rendu(reunion_id: int) -> str:
    """Le projet de compte rendu en Word, pré-rempli, que le secrétaire complète."""
    chemin = _projet(reunion_id)
    publier_documents(reunion_id, "projet-de-compte-rendu", "projet de compte rendu", [chemin])
    return chemin


@task(name="valider-compte-rendu")
def _valider(reunion_id: int) -> list[str]:
    return [str(chemin) for chemin in _lancer(comptes_rendus.valider_compte_rendu, reunion_id)]


@flow(name="valider-compte-rendu")
def valider(reunion_id: int) -> list[str]:
    """Écrit la version officielle du compte rendu importé, la fige et en tire le PDF."""
    chemins = _valider(reunion_id)
    publier_documents(reunion_id, "compte-rendu-valide", "compte rendu validé", chemins)
    return chemins


@task(name="preparer-diffusion-compte-rendu")
def _preparer_diffusion(reunion_id: int) -> list[int]:
    return _lancer(comptes_rendus.diffuser_compte_rendu, reunion_id)


@flow(name="diffuser-compte-rendu")
def diffuser(reunion_id: int) -> BilanEnvoi:
    """Envoie le compte rendu validé à chaque invité, une seule fois."""
    messages = _preparer_diffusion(reunion_id)
    bilan = envoyer_avec_reessais(messages)
    publier_envoi(
        f"reunion-{reunion_id}-compte-rendu", f"Réunion n°{reunion_id} : diffusion du compte rendu", bilan, messages
    )
    return bilan
