"""Les réglages : variables d'environnement `CTG_*` et fichier `ctg.toml` facultatif, lus au démarrage."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gouvernance.erreurs import DonneesInvalides

DOSSIER_PAR_DEFAUT = "ctg-donnees"
NOM_FICHIER_REGLAGES = "ctg.toml"


@dataclass(frozen=True)
class Reglages:
    #: Le dossier des données : base SQLite, documents produits, boîte d'envoi.
    dossier: Path
    #: L'URL SQLAlchemy de la base.
    url_base: str

    @property
    def est_sqlite(self) -> bool:
        return self.url_base.startswith("sqlite")

    @property
    def chemin_sqlite(self) -> Path | None:
        """Le fichier SQLite, quand la base en est un."""
        if not self.est_sqlite:
            return None
        chemin = self.url_base.split("///", 1)[-1]
        return None if chemin in ("", ":memory:") else Path(chemin)


def lire_reglages(environnement: Mapping[str, str] | None = None, repertoire: Path | None = None) -> Reglages:
    """Les réglages en vigueur : l'environnement l'emporte sur `ctg.toml`, qui l'emporte sur les défauts."""
    env = os.environ if environnement is None else environnement
    base = repertoire or Path.cwd()
    dossier = Path(env.get("CTG_HOME") or base / DOSSIER_PAR_DEFAUT)
    if not dossier.is_absolute():
        dossier = base / dossier
    fichier = _lire_fichier(Path(env["CTG_CONFIG"]) if env.get("CTG_CONFIG") else dossier / NOM_FICHIER_REGLAGES)
    url = env.get("CTG_DATABASE_URL") or str(fichier.get("database_url") or "")
    if not url:
        url = f"sqlite:///{dossier / 'ctg.sqlite3'}"
    return Reglages(dossier=dossier, url_base=url)


def _lire_fichier(chemin: Path) -> dict[str, object]:
    if not chemin.is_file():
        return {}
    try:
        return tomllib.loads(chemin.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as erreur:
        raise DonneesInvalides(
            f"Le fichier de réglages {chemin} est illisible ({erreur}). "
            "Corrigez-le (format TOML, en UTF-8) ou supprimez-le."
        ) from erreur
