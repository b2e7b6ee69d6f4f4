"""Les réglages : variables d'environnement `CTG_*` et fichier `ctg.toml` facultatif, lus au démarrage.

Dans `ctg.toml`, une clé s'écrit comme la variable sans le préfixe, en minuscules, les rubriques
donnant le début du nom : `[coordinateur] email = "…"` vaut `CTG_COORDINATEUR_EMAIL`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gouvernance.erreurs import DonneesInvalides
from gouvernance.fichiers import chemin_enregistre, chemin_reel

DOSSIER_PAR_DEFAUT = "ctg-donnees"
NOM_FICHIER_REGLAGES = "ctg.toml"


@dataclass(frozen=True)
class Reglages:
    #: Le dossier des données : base SQLite, documents produits, boîte d'envoi.
    dossier: Path
    #: L'URL SQLAlchemy de la base.
    url_base: str
    #: Toutes les variables CTG_* en vigueur (environnement, puis fichier).
    valeurs: Mapping[str, str] = field(default_factory=dict)

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

    def valeur(self, nom: str) -> str | None:
        """La variable `CTG_<nom>` si elle est renseignée."""
        return self.valeurs.get(f"CTG_{nom}") or None

    @property
    def logo(self) -> Path | None:
        """L'image de l'en-tête des courriers (CTG_LOGO) ; un chemin relatif part du dossier CTG_HOME."""
        chemin = self.valeur("LOGO")
        return None if chemin is None else self.dossier / Path(chemin).expanduser()

    @property
    def boite_envoi(self) -> Path:
        """Le dossier où les courriels sont déposés en .eml quand aucun serveur SMTP n'est réglé."""
        return self.dossier / "boite-envoi"

    @property
    def dossier_documents(self) -> Path:
        return self.dossier / "documents"

    def chemin_enregistre(self, chemin: Path) -> str:
        """Le chemin de `chemin` tel qu'il s'enregistre en base : relatif au dossier des données s'il s'y trouve."""
        return chemin_enregistre(self.dossier, chemin)

    def fichier(self, enregistre: str) -> Path:
        """Le fichier désigné par un chemin enregistré en base, dans le dossier des données d'aujourd'hui."""
        return chemin_reel(self.dossier, enregistre)


def lire_reglages(environnement: Mapping[str, str] | None = None, repertoire: Path | None = None) -> Reglages:
    """Les réglages en vigueur : l'environnement l'emporte sur `ctg.toml`, qui l'emporte sur les défauts."""
    env = os.environ if environnement is None else environnement
    base = repertoire or Path.cwd()
    _exiger_dossier_sur_un_worker(env)
    dossier = Path(env.get("CTG_HOME") or base / DOSSIER_PAR_DEFAUT)
    if not dossier.is_absolute():
        dossier = base / dossier
    fichier = _lire_fichier(Path(env["CTG_CONFIG"]) if env.get("CTG_CONFIG") else dossier / NOM_FICHIER_REGLAGES)
    valeurs = {**_aplatir(fichier), **{cle: val for cle, val in env.items() if cle.startswith("CTG_")}}
    url = valeurs.get("CTG_DATABASE_URL") or f"sqlite:///{dossier / 'ctg.sqlite3'}"
    return Reglages(dossier=dossier, url_base=url, valeurs=valeurs)


def _exiger_dossier_sur_un_worker(env: Mapping[str, str]) -> None:
    """Un worker Prefect lance le flux dans un dossier temporaire, effacé à la fin : sans CTG_HOME absolu,
    les documents et la boîte d'envoi y seraient écrits puis perdus, sans erreur. On refuse donc de démarrer."""
    if not env.get("PREFECT__FLOW_RUN_ID"):
        return
    dossier = env.get("CTG_HOME", "")
    if not dossier or not Path(dossier).is_absolute():
        raise DonneesInvalides(
            "Ce flux est exécuté par un worker Prefect, mais CTG_HOME n'y est pas réglé en chemin absolu "
            f"({'non réglé' if not dossier else f'« {dossier} »'}) : les documents et les courriels seraient "
            "écrits dans un dossier temporaire puis effacés. Réglez CTG_HOME (par exemple /srv/ctg) dans "
            "l'environnement du worker (/etc/ctg/worker.env), puis relancez le flux."
        )


def _aplatir(table: Mapping[str, object], prefixe: str = "CTG") -> dict[str, str]:
    valeurs: dict[str, str] = {}
    for cle, valeur in table.items():
        nom = f"{prefixe}_{cle.upper()}"
        if isinstance(valeur, Mapping):
            valeurs.update(_aplatir(valeur, nom))
        elif isinstance(valeur, bool):
            valeurs[nom] = "1" if valeur else "0"
        else:
            valeurs[nom] = str(valeur)
    return valeurs


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
