"""Connexion et déconnexion : les seules pages ouvertes sans compte (avec les fichiers statiques)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from flows.web.contexte import CLE_UTILISATEUR, Lecteur, etat
from flows.web.gabarits import rendre
from flows.web.securite import verifier_csrf
from gouvernance.francais import compte
from gouvernance.services.comptes import IdentifiantsRefuses, authentifier

routeur = APIRouter()

#: Les routes ouvertes sans connexion : le test qui énumère les routes les connaît par ce nom.
ROUTES_PUBLIQUES = frozenset({("GET", "/connexion"), ("POST", "/connexion")})


@routeur.get("/connexion")
def formulaire(request: Request, suite: str = "/") -> Response:
    return rendre(request, "connexion.html", suite=suite_sure(suite), email="", erreur=None)


@routeur.post("/connexion", dependencies=[Depends(verifier_csrf)])
async def connecter(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    mot_de_passe: Annotated[str, Form(max_length=1000)] = "",
    suite: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    application = etat(request)
    origine = request.client.host if request.client else "inconnue"
    attente = application.limiteur.attente(email, origine)
    if attente is not None:
        minutes = max(1, round(attente.total_seconds() / 60))
        message = (
            "Trop de tentatives de connexion ont échoué : par sécurité, réessayez dans "
            f"{compte(minutes, 'minute')}. Si vous avez oublié votre mot de passe, demandez-en un nouveau au "
            "coordinateur."
        )
        return rendre(request, "connexion.html", statut=429, suite=suite_sure(suite), email=email, erreur=message)
    try:
        utilisateur = await run_in_threadpool(
            authentifier, application.moteur, email, mot_de_passe, maintenant=application.horloge()
        )
    except IdentifiantsRefuses as refus:
        application.limiteur.noter_echec(email, origine)
        return rendre(request, "connexion.html", statut=401, suite=suite_sure(suite), email=email, erreur=refus.message)
    application.limiteur.oublier(email)
    # Une session neuve à la connexion : ni le jeton anti-CSRF ni rien d'autre d'avant ne survit.
    request.session.clear()
    request.session[CLE_UTILISATEUR] = utilisateur.id
    return RedirectResponse(suite_sure(suite), status_code=303)


@routeur.post("/deconnexion")
def deconnecter(ctx: Lecteur) -> Response:
    ctx.request.session.clear()
    return RedirectResponse("/connexion", status_code=303)


def suite_sure(suite: str) -> str:
    """La page où revenir après la connexion : un chemin de ce site, jamais une adresse ailleurs."""
    morceaux = urlsplit(suite)
    if morceaux.scheme or morceaux.netloc or not suite.startswith("/") or suite.startswith("//") or "\\" in suite:
        return "/"
    return suite
