"""Le flux du bilan annuel : chiffres de l'année, graphiques, Word et PDF, CSV, et ses artefacts Prefect.

`bilan_annuel(annee=None)` fait le bilan de l'année précédente (à Paris) : c'est l'appel d'un déploiement
planifié en janvier, sans paramètre.
"""

from __future__ import annotations

from datetime import date, datetime

from prefect import flow, task
from prefect.artifacts import create_table_artifact

from flows.artefacts import publier_resume
from flows.convocation import maintenant, parametres_de_production
from gouvernance.base_donnees import ouvrir_base
from gouvernance.bilan.lecture import fin_de_journee
from gouvernance.bilan.production import ResultatBilan
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.vue import FUSEAU
from gouvernance.services.bilan import produire_bilan


def annee_precedente(instant: datetime) -> int:
    """L'année civile qui précède `instant`, à Paris (le 1er janvier à 0 h 30 à Paris, c'est déjà la nouvelle)."""
    return instant.astimezone(FUSEAU).year - 1


@task(name="produire-bilan-annuel")
def produire(annee: int, territoire: str | None, arrete_au: date | None) -> ResultatBilan:
    """Lit l'année dans la base, écrit graphiques, CSV, Word et PDF, et les consigne."""
    reglages = lire_reglages()
    parametres = parametres_de_production(reglages)
    arrete_le = fin_de_journee(arrete_au) if arrete_au else parametres.maintenant
    return produire_bilan(ouvrir_base(reglages), territoire, annee, parametres, arrete_le=arrete_le)


def _resume(resultat: ResultatBilan) -> str:
    lignes = [
        f"## Bilan annuel {resultat.annee} — {resultat.territoire}",
        "",
        *(f"- {phrase}" for phrase in resultat.chiffres_cles),
        "",
        "### Fichiers",
        "",
        *(f"- `{chemin}`" for chemin in resultat.fichiers),
    ]
    if resultat.pdf is None:
        lignes += ["", resultat.avertissement or "LibreOffice n'est pas installé : pas de PDF, le Word est complet."]
    return "\n".join(lignes)


@flow(name="bilan-annuel")
def bilan_annuel(
    annee: int | None = None, territoire: str | None = None, arrete_au: date | None = None
) -> ResultatBilan:
    """Le bilan annuel de la CTG (l'année précédente par défaut) : Word, PDF, graphiques et CSV."""
    choisie = annee if annee is not None else annee_precedente(maintenant())
    resultat = produire(choisie, territoire, arrete_au)
    publier_resume(
        key=f"bilan-annuel-{choisie}",
        markdown=_resume(resultat),
        description=f"Chiffres clés du bilan annuel {choisie}",
    )
    create_table_artifact(
        key=f"bilan-annuel-{choisie}-instances",
        table=[
            {
                "Instance": f"{ligne.intitule} ({ligne.code})",
                "Réunions tenues": ligne.tenues,
                "Réunions annulées": ligne.annulees,
                "Réunions à venir": ligne.a_venir,
            }
            for ligne in resultat.instances
        ]
        or [{"Instance": "aucune réunion dans l'année", "Réunions tenues": 0}],
        description=f"Réunions {choisie} par instance",
    )
    return resultat
