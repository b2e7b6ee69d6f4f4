"""Le choix du territoire, pour un compte qui en voit plusieurs (les pages montrent celui-là)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from flows.web.contexte import CLE_TERRITOIRE, Lecteur
from flows.web.pages.connexion import suite_sure
from gouvernance.erreurs import Introuvable

routeur = APIRouter()


@routeur.post("/territoire")
def choisir(
    ctx: Lecteur, territoire: Annotated[str, Form(max_length=40)], suite: Annotated[str, Form()] = "/"
) -> Response:
    if territoire not in ctx.utilisateur.codes_territoires:
        return ctx.rediriger("/", erreur=Introuvable(f"Votre compte ne voit pas le territoire « {territoire} »."))
    ctx.request.session[CLE_TERRITOIRE] = territoire
    return ctx.rediriger(suite_sure(suite))
