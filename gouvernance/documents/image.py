"""Une image à insérer dans un document Word (le logo de l'en-tête)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Image:
    """Le chemin d'une image PNG, JPEG ou GIF et sa largeur dans le document."""

    chemin: Path
    largeur_mm: float
