"""Les pages d'erreur : une phrase française qui dit quoi faire, jamais une trace Python."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from flows.web.contexte import Interdit, NonConnecte, etat
from flows.web.gabarits import rendre
from flows.web.securite import JetonCSRFInvalide
from gouvernance.erreurs import ErreurCTG, Introuvable

PAGE_CONNEXION = "/connexion"

_MESSAGES_HTTP = {
    404: "Cette page n'existe pas. Vérifiez l'adresse, ou revenez au tableau de bord.",
    405: "Cette adresse ne s'utilise pas ainsi : passez par les liens et les boutons des pages.",
    413: "Le fichier envoyé est trop volumineux.",
}


def installer_pages_d_erreur(application: FastAPI) -> None:
    application.add_exception_handler(NonConnecte, _vers_la_connexion)  # type: ignore[arg-type]
    application.add_exception_handler(Interdit, _interdit)  # type: ignore[arg-type]
    application.add_exception_handler(JetonCSRFInvalide, _csrf)
    application.add_exception_handler(ErreurCTG, _erreur_attendue)  # type: ignore[arg-type]
    application.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    application.add_exception_handler(RequestValidationError, _saisie_invalide)  # type: ignore[arg-type]
    application.add_exception_handler(Exception, _inattendue)


def page_d_erreur(
    request: Request, statut: int, titre: str, message: str, details: list[str] | None = None
) -> Response:
    return rendre(request, "erreur.html", statut=statut, titre=titre, message=message, details=details or [])


async def _vers_la_connexion(request: Request, _erreur: NonConnecte) -> Response:
    cible = f"{PAGE_CONNEXION}?suite={quote(request.url.path)}" if request.method == "GET" else PAGE_CONNEXION
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": cible})
    return RedirectResponse(cible, status_code=303)


async def _interdit(request: Request, erreur: Interdit) -> Response:
    return page_d_erreur(request, 403, "Accès refusé", erreur.message)


async def _csrf(request: Request, _erreur: Exception) -> Response:
    return page_d_erreur(
        request,
        403,
        "Formulaire expiré",
        "Ce formulaire n'est plus valable (votre session a changé ou il vient d'une autre page). "
        "Rechargez la page, puis recommencez.",
    )


async def _erreur_attendue(request: Request, erreur: ErreurCTG) -> Response:
    if isinstance(erreur, Introuvable):
        return page_d_erreur(request, 404, "Introuvable", erreur.message, erreur.details)
    return page_d_erreur(request, 400, "Demande refusée", erreur.message, erreur.details)


async def _http(request: Request, erreur: HTTPException) -> Response:
    message = _MESSAGES_HTTP.get(erreur.status_code, "La demande n'a pas pu aboutir.")
    return page_d_erreur(request, erreur.status_code, "Erreur", message)


async def _saisie_invalide(request: Request, erreur: RequestValidationError) -> Response:
    champs = sorted({str(probleme["loc"][-1]) for probleme in erreur.errors() if probleme.get("loc")})
    return page_d_erreur(
        request,
        400,
        "Saisie refusée",
        "Une valeur envoyée est absente ou mal écrite ; corrigez-la puis recommencez.",
        [f"champ « {champ} »" for champ in champs],
    )


async def _inattendue(request: Request, erreur: Exception) -> Response:
    from flows.journal import journaliser_inattendue
    from gouvernance.pannes import expliquer_panne

    reglages = etat(request).reglages
    connue = expliquer_panne(erreur, reglages)
    if connue is not None:
        return page_d_erreur(request, 503, "Service indisponible", connue.message)
    incident = journaliser_inattendue(erreur, reglages.dossier, f"{request.method} {request.url.path}")
    return page_d_erreur(
        request,
        500,
        "Erreur inattendue",
        f"Une erreur inattendue s'est produite (réf. {incident.reference}). "
        "Réessayez ; si elle se reproduit, donnez cette référence à qui administre l'application : "
        "le détail est dans son journal.",
    )
