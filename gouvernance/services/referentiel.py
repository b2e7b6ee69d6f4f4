"""Le référentiel de la CTG (territoire, enjeux, orientations, instances) chargé d'un fichier YAML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gouvernance.annuaire import adresses_du_territoire, decrire_instances
from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.referentiel.exporter import decrire_arbre, exporter_yaml, instances_du_territoire
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


def importer_texte_referentiel(
    moteur: Engine, texte: str, nom_fichier: str, *, territoires_permis: Sequence[str], simulation: bool = False
) -> BilanImport:
    """`importer_referentiel` pour un texte déjà lu (la page web), limité aux territoires de l'utilisateur."""
    referentiel = lire_referentiel(texte, nom_fichier)
    code = referentiel.territoire.code
    if code not in territoires_permis:
        raise DonneesInvalides(
            f"{nom_fichier} décrit le territoire « {code} », que votre compte ne gère pas "
            f"({', '.join(territoires_permis) or 'aucun'}) : rien n'a été enregistré. Vérifiez le code du "
            "territoire en tête du fichier (rubrique territoire, clé code)."
        )
    with ouvrir_session(moteur, ecriture=True) as session:
        bilan = appliquer_referentiel(session, referentiel)
        if simulation:
            session.rollback()
    return bilan


def exporter_referentiel(session: Session, territoire: str | None) -> tuple[str, str]:
    """Le nom de fichier et le texte YAML du référentiel du territoire (celui que relit l'import)."""
    choisi = choisir_territoire(session, territoire)
    return f"referentiel-{choisi.code}.yaml", exporter_yaml(session, choisi)


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
