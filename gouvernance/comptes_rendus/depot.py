"""Garder un compte rendu téléversé entre son aperçu et sa confirmation, sous un jeton impossible à deviner.

Le fichier attend dans CTG_HOME/televersements/ ; il est effacé une fois importé, ou au bout d'un jour.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from gouvernance.comptes_rendus.docx_archive import TAILLE_MAX
from gouvernance.erreurs import DonneesInvalides
from gouvernance.fichiers import ecrire_atomiquement

#: Au-delà, un dépôt jamais confirmé est effacé.
DUREE_DE_GARDE_SECONDES = 24 * 3600
_JETON = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def dossier_des_depots(donnees: Path) -> Path:
    return donnees / "televersements"


def verifier_televersement(contenu: bytes, nom_fichier: str) -> None:
    """Refuse d'emblée ce qui ne peut pas être un compte rendu Word : autre extension, fichier vide ou trop gros.
    Le contenu lui-même est ensuite vérifié par la lecture (archive piégée, chiffrée, autre format…)."""
    if not nom_fichier.lower().endswith(".docx"):
        raise DonneesInvalides(
            f"« {nom_fichier} » n'est pas un document Word (.docx) : envoyez le compte rendu enregistré au format "
            "« Document Word (.docx) »."
        )
    if not contenu:
        raise DonneesInvalides(f"Le fichier « {nom_fichier} » est vide : choisissez le compte rendu complété.")
    if len(contenu) > TAILLE_MAX:
        raise DonneesInvalides(
            f"Le fichier « {nom_fichier} » dépasse {TAILLE_MAX // 2**20} Mo : ce n'est pas un compte rendu."
        )


def deposer(donnees: Path, reunion_id: int, contenu: bytes) -> str:
    """Range le fichier et rend son jeton ; efface au passage les dépôts trop anciens."""
    dossier = dossier_des_depots(donnees)
    limite = time.time() - DUREE_DE_GARDE_SECONDES
    for ancien in dossier.glob("*.docx") if dossier.is_dir() else ():
        if ancien.stat().st_mtime < limite:
            ancien.unlink(missing_ok=True)
    jeton = secrets.token_urlsafe(24)
    ecrire_atomiquement(_chemin(donnees, reunion_id, jeton), contenu)
    return jeton


def reprendre(donnees: Path, reunion_id: int, jeton: str) -> bytes:
    """Le fichier déposé sous ce jeton pour cette réunion ; DonneesInvalides s'il n'y est plus."""
    if _JETON.match(jeton):
        try:
            return _chemin(donnees, reunion_id, jeton).read_bytes()
        except FileNotFoundError:
            pass
    raise DonneesInvalides(
        "Le fichier téléversé n'est plus disponible (déjà importé, ou déposé il y a plus d'un jour) : "
        "téléversez-le de nouveau."
    )


def retirer(donnees: Path, reunion_id: int, jeton: str) -> None:
    if _JETON.match(jeton):
        _chemin(donnees, reunion_id, jeton).unlink(missing_ok=True)


def _chemin(donnees: Path, reunion_id: int, jeton: str) -> Path:
    return dossier_des_depots(donnees) / f"reunion-{reunion_id}-{jeton}.docx"
