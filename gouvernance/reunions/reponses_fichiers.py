"""Trouver et lire les fichiers de réponses : courriels .eml, fichiers .ics, dossiers qui en contiennent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gouvernance.erreurs import Introuvable
from gouvernance.reunions.reponses_itip import TAILLE_MAX, ReponseIllisible, ReponseItip, lire_reponses

#: Les fichiers lus dans un dossier (la casse de l'extension ne compte pas).
EXTENSIONS = (".eml", ".ics")


@dataclass(frozen=True)
class FichierLu:
    """Un fichier lu : ses réponses, ou la raison pour laquelle il n'en donne aucune."""

    fichier: str
    reponses: tuple[ReponseItip, ...] = ()
    probleme: str | None = None


def lister_fichiers(chemins: Sequence[Path]) -> list[Path]:
    """Chaque fichier donné, puis les .eml et .ics de chaque dossier, triés ; Introuvable si un chemin manque."""
    absents = [str(chemin) for chemin in chemins if not chemin.exists()]
    if absents:
        raise Introuvable(
            ("Ce chemin n'existe pas : " if len(absents) == 1 else "Ces chemins n'existent pas : ")
            + ", ".join(absents)
            + ". Rien n'a été importé."
        )
    fichiers: list[Path] = []
    for chemin in chemins:
        if chemin.is_dir():
            contenus = (f for f in chemin.iterdir() if f.suffix.lower() in EXTENSIONS and not f.is_dir())
            fichiers.extend(sorted(contenus, key=lambda f: f.name))
        else:
            fichiers.append(chemin)
    return list(dict.fromkeys(fichiers))


def lire_fichier(chemin: Path) -> FichierLu:
    """Les réponses du fichier `chemin` ; un fichier trop gros, spécial ou illisible est signalé, jamais fatal."""
    nom = str(chemin)
    if not chemin.is_file():
        return FichierLu(nom, probleme="ce n'est pas un fichier ordinaire : il n'est pas lu")
    try:
        taille = chemin.stat().st_size
        if taille > TAILLE_MAX:
            mega = f"{taille / (1024 * 1024):.1f}".replace(".", ",")
            return FichierLu(
                nom, probleme=f"fichier trop volumineux ({mega} Mo ; {TAILLE_MAX // (1024 * 1024)} Mo au plus)"
            )
        with chemin.open("rb") as flux:
            octets = flux.read(TAILLE_MAX + 1)
    except PermissionError:
        return FichierLu(nom, probleme="vous n'avez pas le droit de lire ce fichier")
    except OSError as erreur:
        # Le message du système (erreur.strerror) serait en anglais.
        return FichierLu(nom, probleme=f"fichier illisible (erreur système {erreur.errno})")
    return lire_octets(nom, octets)


def lire_octets(nom: str, octets: bytes) -> FichierLu:
    """Les réponses du contenu `octets` du fichier `nom` (courriel .eml ou calendrier .ics)."""
    try:
        return FichierLu(nom, reponses=lire_reponses(octets))
    except ReponseIllisible as probleme:
        return FichierLu(nom, probleme=probleme.message)
