"""Lancer d'une page un travail long (diffusion, documents, compte rendu) et suivre sa tâche (`/taches/…`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import Response

from flows.web.contexte import Contexte
from flows.web.taches import Flux, Resumeur, taches_de
from gouvernance.francais import compte

LIBELLES_DIFFUSION = {"convocation": "La convocation", "modification": "La modification", "annulation": "L'annulation"}


def lancer(ctx: Contexte, cle: str, libelle: str, flux: Flux, resumer: Resumeur, *, retour: str) -> Response:
    """Soumet le flux et mène à la page de sa tâche, qui suit sa progression puis montre son résultat."""
    tache = taches_de(ctx.request.app.state, ctx.reglages).soumettre(cle, libelle, flux, resumer, retour=retour)
    return ctx.rediriger(f"/taches/{tache.identifiant}")


def lancer_diffusion(ctx: Contexte, reunion_id: int, nature: str, changements: tuple[str, ...]) -> Response:
    libelle = f"{LIBELLES_DIFFUSION[nature]} de la réunion n°{reunion_id}"
    flux = Flux("flows.convocation", "diffuser_reunion", (reunion_id, nature, changements))
    return lancer(ctx, f"{nature}-{reunion_id}", libelle, flux, resumer_diffusion, retour=f"/reunions/{reunion_id}")


def lancer_redaction(ctx: Contexte, reunion_id: int) -> Response:
    flux = Flux("flows.convocation", "rediger_documents_reunion", (reunion_id,))
    libelle = f"La mise à jour des documents de la réunion n°{reunion_id}"
    return lancer(ctx, f"documents-{reunion_id}", libelle, flux, resumer_fichiers, retour=f"/reunions/{reunion_id}")


def resumer_diffusion(resultat: Any) -> list[str]:
    """Le bilan d'une diffusion (flows.convocation.Resultat) : invitations mises à jour, courriels, états."""
    lot, bilan = resultat.lot, resultat.bilan
    lignes: list[str] = list(lot.invitations.lignes())
    if lot.deja_prepares:
        deja = compte(lot.deja_prepares, "courriel déjà préparé", "courriels déjà préparés")
        lignes.append(f"{deja} lors d'un passage précédent : ils ne sont pas refaits.")
    return lignes + list(bilan.lignes_resume())


def resumer_fichiers(resultat: Any) -> list[str]:
    chemins = resultat if isinstance(resultat, list) else [resultat]
    return [f"Fichier écrit : {Path(str(chemin)).name}" for chemin in chemins]


def resumer_envoi(resultat: Any) -> list[str]:
    return list(resultat.lignes_resume())
