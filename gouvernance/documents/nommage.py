"""Des noms de fichiers sûrs pour les documents, valides aussi sous Windows, et jamais hors du dossier prévu.

Les accents sont translittérés (« Péré » → « pere ») : un nom ASCII survit aux archives zip ouvertes sous
Windows, aux pièces jointes des vieux clients de messagerie et aux formes Unicode différentes (NFC/NFD)
de macOS et de Linux, qui feraient deux fichiers distincts d'un même nom.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from gouvernance.documents.erreurs import CheminRefuse
from gouvernance.reunions.vue import PersonneVue, ReunionVue

#: Un nom court laisse de la place au chemin du dossier (260 caractères en tout sous Windows).
LONGUEUR_MAX = 100
# Les noms de périphériques de Windows, interdits quelle que soit l'extension (« NUL.docx »).
_RESERVES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{prefixe}{n}" for prefixe in ("COM", "LPT") for n in range(10)}
)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l"})


def _ascii(texte: str) -> str:
    """`texte` sans accents ni ligatures (« Œuvre » → « OEuvre », « ² » → « 2 »)."""
    decompose = unicodedata.normalize("NFKD", texte.translate(_LIGATURES))
    return decompose.encode("ascii", "ignore").decode("ascii")


def segment(texte: str) -> str:
    """Un morceau de nom en lettres et chiffres ASCII et tirets : « Hélène d'Aubin » → « Helene-d-Aubin »."""
    return "-".join(re.findall(r"[A-Za-z0-9]+", _ascii(texte)))


def nom_de_fichier(nom: str, *, extension: str = "") -> str:
    """Un nom valide sous Windows, macOS et Linux : « Réunion : budget/2025 ? » → « Reunion-budget-2025 »."""
    if not extension and (forme := re.fullmatch(r"(.+)\.([A-Za-z0-9]{1,8})", nom.strip())):
        nom, extension = forme[1], forme[2]  # « ordre-du-jour.docx » : l'extension survit au raccourcissement
    suffixe = "." + segment(extension).lower() if segment(extension) else ""
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", _ascii(nom))
    base = re.sub(r"-{2,}", "-", re.sub(r"\.{2,}", ".", base)).strip(".-_ ")
    base = base[: LONGUEUR_MAX - len(suffixe)].rstrip(".-_ ") or "document"
    if base.split(".")[0].upper() in _RESERVES:
        base = f"_{base}"
    return base + suffixe


def nom_document(
    genre: str, reunion: ReunionVue, destinataire: PersonneVue | None = None, *, extension: str = "docx"
) -> str:
    """« convocation-COPIL-2026-12-08-martin-jeanne.docx » : genre, instance, jour, destinataire."""
    morceaux = [segment(genre).lower(), segment(reunion.instance_code), f"{reunion.debut_local:%Y-%m-%d}"]
    if destinataire is not None:
        morceaux += [segment(destinataire.nom).lower(), segment(destinataire.prenom).lower()]
    return nom_de_fichier("-".join(m for m in morceaux if m), extension=extension)


def chemin_sous(dossier: Path, nom: str) -> Path:
    """Le chemin de `nom` dans `dossier` ; CheminRefuse s'il en sortirait (« ../ », chemin absolu, lecteur, lien)."""
    refus = CheminRefuse(f"Nom de fichier refusé : « {nom} » sortirait du dossier {dossier} ou n'est pas valide.")
    if not nom or "\x00" in nom or ":" in nom or "\\" in nom:
        raise refus
    relatif = PurePosixPath(nom)
    if relatif.is_absolute() or PureWindowsPath(nom).drive or any(p in {"", ".", ".."} for p in relatif.parts):
        raise refus
    if any(p.rstrip(" .") != p or p.split(".")[0].upper() in _RESERVES for p in relatif.parts):
        raise refus
    racine = dossier.resolve()
    chemin = (racine / relatif).resolve()
    if chemin == racine or not chemin.is_relative_to(racine):
        raise refus
    return chemin
