"""Le tableau de bord : la page d'accueil de tout utilisateur connecté."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from flows.web.contexte import Lecteur
from gouvernance.services.tableau_de_bord import lire_tableau_de_bord

routeur = APIRouter()


@routeur.get("/")
def tableau_de_bord(ctx: Lecteur) -> Response:
    with ctx.lecture() as session:
        tableau = lire_tableau_de_bord(session, ctx.territoire, reglages=ctx.reglages, maintenant=ctx.maintenant())
    return ctx.rendre("tableau_de_bord.html", tableau=tableau)
