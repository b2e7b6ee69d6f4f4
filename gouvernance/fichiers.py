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


def chemin_enregistre(dossier: Path, chemin: Path) -> str:
    """Le chemin à enregistrer en base : relatif à CTG_HOME (`dossier`) s'il s'y trouve, absolu sinon.

    Relatif, il suit le dossier des données quand on le déplace ou qu'on le monte ailleurs.
    """
    absolu = Path(os.path.abspath(chemin))
    for racine, cible in ((Path(os.path.abspath(dossier)), absolu), (dossier.resolve(), absolu.resolve())):
        if cible.is_relative_to(racine):
            return cible.relative_to(racine).as_posix()
    return str(absolu)


def chemin_reel(dossier: Path | None, enregistre: str) -> Path:
    """Le fichier désigné par un chemin enregistré en base, dans le CTG_HOME (`dossier`) d'aujourd'hui."""
    chemin = Path(enregistre)
    if chemin.is_absolute() or dossier is None:
        return chemin
    return dossier / chemin
