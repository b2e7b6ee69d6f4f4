"""Bilan : produire le bilan annuel d'une année (un flux Prefect, suivi par sa tâche), télécharger ses fichiers,
voir ses graphiques."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import FileResponse, Response

from flows.web.contexte import Coordinateur, Lecteur
from flows.web.lancement import lancer
from flows.web.taches import Flux
from gouvernance.bilan.lecture import verifier_annee
from gouvernance.erreurs import ErreurCTG
from gouvernance.reunions.vue import FUSEAU
from gouvernance.services.bilan import fichier_du_bilan, lire_fichiers_bilan

routeur = APIRouter()
Annee = Annotated[int, Form(ge=1000, le=9999)]
#: Le texte de remplacement de chaque graphique, d'après la fin de son nom (« …-couverture.png »).
GRAPHIQUES = {
    "couverture": "Graphique : les orientations de la convention abordées en réunion dans l'année",
    "presence": "Graphique : la présence de chaque partenaire aux réunions de l'année",
}


@routeur.get("/bilan")
def bilan(ctx: Lecteur, annee: int | None = None) -> Response:
    choisie = annee if annee is not None else ctx.maintenant().astimezone(FUSEAU).year
    with ctx.lecture() as session:
        fichiers = lire_fichiers_bilan(session, ctx.reglages, ctx.territoire, choisie)
    graphiques = [(chemin.name, _texte_graphique(chemin.stem)) for chemin in fichiers.graphiques]
    return ctx.rendre("bilan.html", fichiers=fichiers, graphiques=graphiques)


@routeur.post("/bilan")
def produire(annee: Annee, ctx: Coordinateur) -> Response:
    try:
        verifier_annee(annee, ctx.maintenant().astimezone(FUSEAU).date())
    except ErreurCTG as erreur:
        return ctx.rediriger("/bilan", erreur=erreur)
    flux = Flux("flows.bilan", "bilan_annuel", (annee, ctx.territoire, None))
    cle = f"bilan-{ctx.territoire}-{annee}"
    return lancer(ctx, cle, f"Le bilan annuel {annee}", flux, resumer_bilan, retour=f"/bilan?annee={annee}")


@routeur.get("/bilan/{annee}/fichiers/{nom}")
def telecharger(annee: int, nom: str, ctx: Lecteur) -> Response:
    with ctx.lecture() as session:
        chemin = fichier_du_bilan(session, ctx.reglages, ctx.territoire, annee, nom)
    # Les graphiques s'affichent dans la page ; Word, PDF et CSV se téléchargent.
    disposition = "inline" if chemin.suffix == ".png" else "attachment"
    return FileResponse(chemin, filename=chemin.name, content_disposition_type=disposition)


def resumer_bilan(resultat: Any) -> list[str]:
    """Le bilan d'un bilan annuel (gouvernance.bilan.production.ResultatBilan) : chiffres clés et fichiers."""
    lignes = [*resultat.chiffres_cles, *(f"Fichier écrit : {chemin.name}" for chemin in resultat.fichiers)]
    return [*lignes, resultat.avertissement] if resultat.avertissement else lignes


def _texte_graphique(nom: str) -> str:
    cle = nom.rsplit("-", 1)[-1]
    return GRAPHIQUES.get(cle, "Graphique du bilan")
