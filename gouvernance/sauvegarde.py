"""Sauvegarder la base SQLite : une copie cohérente (API de sauvegarde en ligne de SQLite), vérifiée.

La copie se fait pendant que d'autres commandes écrivent : SQLite recopie les pages modifiées entre-temps.
Elle est écrite sous un nom temporaire, vérifiée (PRAGMA integrity_check), puis renommée : un fichier de
sauvegarde qui porte son nom définitif est toujours complet et lisible.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gouvernance.erreurs import DonneesInvalides, ErreurCTG
from gouvernance.reglages import Reglages

#: Le dossier des sauvegardes, sous CTG_HOME.
NOM_DOSSIER = "sauvegardes"
#: Le début du nom d'une sauvegarde faite sans nom de fichier ; la suite est l'horodatage.
PREFIXE = "ctg-"
SUFFIXE = ".sqlite3"


class SauvegardeImpossible(ErreurCTG):
    """La base n'est pas un fichier SQLite (PostgreSQL), ou la copie n'a pas pu être vérifiée."""


@dataclass(frozen=True)
class Sauvegarde:
    chemin: Path
    taille: int


def dossier_sauvegardes(reglages: Reglages) -> Path:
    return reglages.dossier / NOM_DOSSIER


def chemin_par_defaut(reglages: Reglages, maintenant: datetime, *, motif: str = "") -> Path:
    """CTG_HOME/sauvegardes/ctg-AAAAMMJJ-HHMMSS[-motif].sqlite3, à l'heure locale de `maintenant`."""
    suffixe = f"-{motif}" if motif else ""
    return dossier_sauvegardes(reglages) / f"{PREFIXE}{maintenant:%Y%m%d-%H%M%S}{suffixe}{SUFFIXE}"


def derniere_sauvegarde(reglages: Reglages) -> Path | None:
    """La sauvegarde la plus récente du dossier des sauvegardes, s'il y en a une."""
    try:
        candidates = [c for c in dossier_sauvegardes(reglages).glob(f"{PREFIXE}*{SUFFIXE}") if c.is_file()]
    except OSError:
        return None
    return max(candidates, key=lambda chemin: (chemin.stat().st_mtime, chemin.name), default=None)


def sauvegarder_base(reglages: Reglages, destination: Path | None = None, *, maintenant: datetime) -> Sauvegarde:
    """Copie la base SQLite dans `destination` (par défaut sous CTG_HOME/sauvegardes), vérifiée ; jamais écrasée."""
    source = reglages.chemin_sqlite
    if source is None:
        raise SauvegardeImpossible(message_postgresql(reglages, maintenant))
    if not source.is_file():
        raise DonneesInvalides(f"Il n'y a pas de base à sauvegarder ({source}) : lancez d'abord `ctg init`.")
    cible = destination or chemin_par_defaut(reglages, maintenant)
    if cible.exists():
        raise DonneesInvalides(f"{cible} existe déjà : choisissez un autre nom de fichier, rien n'a été écrasé.")
    cible.parent.mkdir(parents=True, exist_ok=True)
    temporaire = cible.with_name(f".{cible.name}.partielle")
    temporaire.unlink(missing_ok=True)
    try:
        _copier(source, temporaire)
        _verifier(temporaire)
        os.replace(temporaire, cible)
    finally:
        temporaire.unlink(missing_ok=True)
    return Sauvegarde(chemin=cible, taille=cible.stat().st_size)


def _copier(source: Path, cible: Path) -> None:
    # La source est ouverte en lecture seule : une sauvegarde n'écrit jamais dans la base.
    with (
        closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as depart,
        closing(sqlite3.connect(cible)) as arrivee,
    ):
        depart.backup(arrivee)
        # La copie est un fichier autonome, sans -wal à côté : on la repasse en journal classique.
        arrivee.execute("PRAGMA journal_mode=DELETE")


def _verifier(copie: Path) -> None:
    with closing(sqlite3.connect(f"{copie.resolve().as_uri()}?mode=ro", uri=True)) as connexion:
        resultat = [ligne[0] for ligne in connexion.execute("PRAGMA integrity_check")]
    if resultat != ["ok"]:
        raise SauvegardeImpossible(
            "La copie de la base n'est pas intègre (" + "; ".join(resultat[:3]) + ") : elle a été supprimée. "
            "La base elle-même est peut-être endommagée : gardez vos sauvegardes précédentes."
        )


def message_postgresql(reglages: Reglages, maintenant: datetime) -> str:
    """La commande pg_dump à lancer pour sauvegarder une base PostgreSQL."""
    from sqlalchemy.engine import make_url

    url = make_url(reglages.url_base).set(drivername="postgresql")
    fichier = f"ctg-{maintenant:%Y%m%d-%H%M%S}.dump"
    adresse = url.render_as_string(hide_password=True).replace("***", "MOT_DE_PASSE")
    return (
        "La base est sur un serveur PostgreSQL : ctg ne la copie pas lui-même. Sauvegardez-la avec pg_dump "
        f'(le mot de passe peut aussi venir de ~/.pgpass) : pg_dump --format=custom --file={fichier} "{adresse}" '
        f"; elle se restaure avec pg_restore --clean --dbname=… {fichier}."
    )
