"""Le bilan annuel : lire l'année, écrire ses fichiers hors transaction, puis les consigner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gouvernance.bilan.production import ResultatBilan, consigner_bilan, dossier_bilan, ecrire_bilan, lire_pour_bilan
from gouvernance.documents.nommage import nom_de_fichier
from gouvernance.erreurs import Introuvable
from gouvernance.reglages import Reglages
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.territoires import choisir_territoire
from modeles.moteur import ouvrir_session


def produire_bilan(
    moteur: Engine, designation_territoire: str | None, annee: int, parametres: Parametres, *, arrete_le: datetime
) -> ResultatBilan:
    """Le bilan de `annee` à l'instant `arrete_le` : graphiques, CSV, Word et PDF, chacun consigné.

    Les graphiques, le Word et LibreOffice prennent du temps : ils se font entre une lecture et une écriture
    courtes, si bien que la base reste libre pour les autres commandes et les flux planifiés.
    """
    with ouvrir_session(moteur) as session:
        territoire = choisir_territoire(session, designation_territoire)
        lecture = lire_pour_bilan(session, territoire, annee, parametres, arrete_le=arrete_le)
    resultat, fichiers = ecrire_bilan(lecture, parametres)
    with ouvrir_session(moteur, ecriture=True) as session:
        consigner_bilan(session, fichiers, maintenant=parametres.maintenant, dossier=parametres.reglages.dossier)
    return resultat


@dataclass(frozen=True)
class FichiersBilan:
    """Les fichiers du bilan d'une année déjà produit pour un territoire (la page Bilan), par genre."""

    annee: int
    territoire: str
    documents: tuple[Path, ...]
    tableaux: tuple[Path, ...]
    graphiques: tuple[Path, ...]

    @property
    def tous(self) -> tuple[Path, ...]:
        return self.documents + self.tableaux + self.graphiques


def lire_fichiers_bilan(
    session: Session, reglages: Reglages, designation_territoire: str | None, annee: int
) -> FichiersBilan:
    """Ce qu'a écrit le dernier bilan de `annee` du territoire (rien s'il n'a pas encore été produit)."""
    territoire = choisir_territoire(session, designation_territoire)
    dossier = dossier_bilan(reglages, annee)
    prefixes = (
        nom_de_fichier(f"bilan-{annee}-{territoire.code}") + "-",
        nom_de_fichier(f"bilan-annuel-{annee}-{territoire.code}") + ".",
    )
    presents = (
        sorted(p for p in dossier.glob("*") if p.is_file() and p.name.startswith(prefixes)) if dossier.is_dir() else []
    )
    return FichiersBilan(
        annee=annee,
        territoire=territoire.nom,
        documents=tuple(p for p in presents if p.suffix in {".docx", ".pdf"}),
        tableaux=tuple(p for p in presents if p.suffix == ".csv"),
        graphiques=tuple(p for p in presents if p.suffix == ".png"),
    )


def fichier_du_bilan(
    session: Session, reglages: Reglages, designation_territoire: str | None, annee: int, nom: str
) -> Path:
    """Le fichier `nom` du bilan de `annee` du territoire ; Introuvable pour tout autre nom (pas de chemin libre)."""
    for chemin in lire_fichiers_bilan(session, reglages, designation_territoire, annee).tous:
        if chemin.name == nom:
            return chemin
    raise Introuvable(f"Le bilan {annee} n'a pas de fichier « {nom} » : produisez-le de nouveau depuis la page Bilan.")
