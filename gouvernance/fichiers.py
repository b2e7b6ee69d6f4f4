"""Écrire un fichier sans jamais laisser une moitié de fichier derrière soi."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def ecrire_atomiquement(chemin: Path, contenu: bytes) -> None:
    """Écrit `contenu` dans un fichier temporaire du même dossier, puis le renomme en `chemin`."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    descripteur, temporaire = tempfile.mkstemp(dir=chemin.parent, prefix=f".{chemin.name}.", suffix=".tmp")
    try:
        with os.fdopen(descripteur, "wb") as fichier:
            fichier.write(contenu)
            fichier.flush()
            os.fsync(fichier.fileno())
        os.replace(temporaire, chemin)
    except BaseException:
        Path(temporaire).unlink(missing_ok=True)
        raise
