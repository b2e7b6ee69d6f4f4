"""Une tâche longue lancée d'une page : sa progression (la page se rafraîchit seule), puis son résultat."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from flows.web.contexte import Contexte, Lecteur
from flows.web.taches import Tache, taches_de
from gouvernance.erreurs import Introuvable

routeur = APIRouter()


def _tache(ctx: Contexte, identifiant: str) -> Tache:
    tache = taches_de(ctx.request.app.state, ctx.reglages).tache(identifiant)
    if tache is None:
        raise Introuvable(
            "Cette tâche n'est pas connue de l'application (elle a peut-être redémarré depuis) : son résultat est "
            "visible sur la page de la réunion."
        )
    return tache


@routeur.get("/taches/{identifiant}")
def tache(identifiant: str, ctx: Lecteur) -> Response:
    return ctx.rendre("tache.html", tache=_tache(ctx, identifiant))


@routeur.get("/taches/{identifiant}/etat")
def etat(identifiant: str, ctx: Lecteur) -> Response:
    """Le cadre de l'état seul, que htmx remplace toutes les secondes tant que la tâche est en cours."""
    return ctx.rendre("_tache_etat.html", tache=_tache(ctx, identifiant))
