"""Le référentiel de la CTG (territoire, enjeux, orientations, instances) chargé d'un fichier YAML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gouvernance.annuaire import adresses_du_territoire, decrire_instances
from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.referentiel.exporter import decrire_arbre, instances_du_territoire
from gouvernance.referentiel.importer import BilanImport, appliquer_referentiel
from gouvernance.referentiel.validation import lire_referentiel
from gouvernance.territoires import choisir_territoire
from modeles.moteur import ouvrir_session


def importer_referentiel(moteur: Engine, fichier: Path, *, simulation: bool = False) -> BilanImport:
    """Lit et vérifie le fichier (hors transaction), puis crée le territoire ou le met à jour par ses codes.

    En `simulation`, le bilan est le même et rien n'est enregistré.
    """
    referentiel = lire_referentiel(_lire_texte(fichier), fichier.name)
    with ouvrir_session(moteur, ecriture=True) as session:
        bilan = appliquer_referentiel(session, referentiel)
        if simulation:
            session.rollback()
    return bilan


def _lire_texte(fichier: Path) -> str:
    try:
        return fichier.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DonneesInvalides(f"Le fichier {fichier} n'existe pas.") from None
    except IsADirectoryError:
        raise DonneesInvalides(f"{fichier} est un dossier : donnez le chemin d'un fichier YAML.") from None
    except UnicodeDecodeError:
        raise DonneesInvalides(
            f"{fichier.name} n'est pas un texte en UTF-8. Enregistrez-le en UTF-8 (« Unicode ») puis relancez."
        ) from None


@dataclass(frozen=True)
class VueReferentiel:
    """Ce que montre la page du référentiel : l'arbre enjeux → orientations, les instances et leurs membres."""

    arbre: dict[str, Any]
    instances: list[dict[str, Any]]


def lire_referentiel_complet(session: Session, territoire: str | None) -> VueReferentiel:
    """Le référentiel du territoire désigné (son code ; le seul de la base si None), en lecture."""
    choisi = choisir_territoire(session, territoire)
    return VueReferentiel(arbre=decrire_arbre(session, choisi), instances=decrire_instances(session, choisi))


@dataclass(frozen=True)
class VueInstance:
    """Une instance, ses réglages, ses membres, et les personnes du territoire qui pourraient la rejoindre."""

    instance: dict[str, Any]
    personnes: list[tuple[str, str]]


def lire_instance(session: Session, territoire: str | None, code: str, *, avec_personnes: bool = False) -> VueInstance:
    """L'instance de code `code` du territoire ; Introuvable (avec les codes existants) sinon."""
    choisi = choisir_territoire(session, territoire)
    trouvees = decrire_instances(session, choisi, code=code)
    if not trouvees:
        codes = ", ".join(i.code for i in instances_du_territoire(session, choisi)) or "aucune"
        raise Introuvable(f"Aucune instance « {code} » à {choisi.nom}. Instances : {codes}.")
    return VueInstance(trouvees[0], adresses_du_territoire(session, choisi) if avec_personnes else [])
