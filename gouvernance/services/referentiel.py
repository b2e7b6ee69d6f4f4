"""Le référentiel de la CTG (territoire, enjeux, orientations, instances) chargé d'un fichier YAML."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from gouvernance.erreurs import DonneesInvalides
from gouvernance.referentiel.importer import BilanImport, appliquer_referentiel
from gouvernance.referentiel.validation import lire_referentiel
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
