"""Un fichier envoyé, gardé entre son aperçu et sa confirmation : dans CTG_HOME/televersements, sous un jeton
aléatoire que seule la session (signée) connaît."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

_JETON = re.compile(r"^[0-9a-f]{32}$")


def dossier_televersements(dossier_donnees: Path) -> Path:
    return dossier_donnees / "televersements"


def deposer(dossier_donnees: Path, contenu: bytes) -> str:
    """Écrit `contenu` (lisible du seul propriétaire) et renvoie son jeton."""
    dossier = dossier_televersements(dossier_donnees)
    dossier.mkdir(mode=0o700, parents=True, exist_ok=True)
    jeton = secrets.token_hex(16)
    chemin = dossier / jeton
    chemin.touch(mode=0o600)
    chemin.write_bytes(contenu)
    return jeton


def reprendre(dossier_donnees: Path, jeton: object) -> bytes | None:
    """Le contenu déposé sous `jeton`, ou None (jeton invalide, déjà utilisé)."""
    if not isinstance(jeton, str) or not _JETON.match(jeton):
        return None
    chemin = dossier_televersements(dossier_donnees) / jeton
    return chemin.read_bytes() if chemin.is_file() else None


def effacer(dossier_donnees: Path, jeton: object) -> None:
    if isinstance(jeton, str) and _JETON.match(jeton):
        (dossier_televersements(dossier_donnees) / jeton).unlink(missing_ok=True)
