"""Suivi : les actions et décisions des réunions, filtrées ; le statut ou l'échéance d'une action changés sur place."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from flows.web.contexte import Coordinateur, Lecteur
from flows.web.gabarits import annoncer
from gouvernance.comptes_rendus.suivi import Filtres
from gouvernance.dates import lire_date
from gouvernance.erreurs import DonneesInvalides, ErreurCTG
from gouvernance.services.suivi import lire_suivi, modifier_action_du_territoire
from modeles import StatutAction

routeur = APIRouter()


@routeur.get("/suivi")
def suivi(
    ctx: Lecteur,
    *,
    enjeu: str = "",
    orientation: str = "",
    instance: str = "",
    responsable: str = "",
    statut: str = "",
    echeance: str = "",
) -> Response:
    filtres = Filtres(
        enjeu=int(enjeu) if enjeu.isdigit() else None,
        orientation=orientation or None,
        instance=instance or None,
        responsable=responsable.strip() or None,
        statut=statut or None,
        echeance_au_plus_tard=_jour(echeance),
    )
    with ctx.lecture() as session:
        vue = lire_suivi(session, ctx.territoire, filtres, aujourd_hui=ctx.maintenant().date())
    return ctx.rendre(
        "suivi.html",
        vue=vue,
        filtres=filtres,
        statuts=list(StatutAction),
        suite=str(ctx.request.url.path) + (f"?{ctx.request.url.query}" if ctx.request.url.query else ""),
    )


@routeur.post("/suivi/actions/{numero}")
def modifier(
    numero: int,
    ctx: Coordinateur,
    statut: Annotated[str, Form(max_length=40)],
    echeance: Annotated[str, Form(max_length=40)] = "",
    suite: Annotated[str, Form(max_length=2000)] = "/suivi",
) -> Response:
    retour = suite if suite.startswith("/suivi") else "/suivi"
    try:
        with ctx.ecriture() as session:
            action = modifier_action_du_territoire(
                session,
                ctx.territoire,
                numero,
                statut=statut,
                echeance=echeance or None,
                auteur=ctx.utilisateur,
                maintenant=ctx.maintenant(),
                aujourd_hui=ctx.maintenant().date(),
            )
    except ErreurCTG as erreur:
        if ctx.request.headers.get("HX-Request"):
            # htmx ne remplace pas la ligne sur une erreur : la page est rechargée et affiche le message.
            annoncer(ctx.request, str(erreur), erreur=True)
            return Response(status_code=200, headers={"HX-Refresh": "true"})
        return ctx.rediriger(retour, erreur=erreur)
    annonce = f"Action n°{numero} : {action['statut_libelle']}" + (
        f", échéance {date.fromisoformat(action['echeance']):%d/%m/%Y}." if action["echeance"] else "."
    )
    if ctx.request.headers.get("HX-Request"):
        return ctx.rendre(
            "suivi_action.html", action=action, statuts=list(StatutAction), annonce_ligne=annonce, suite=retour
        )
    return ctx.rediriger(retour, annonce)


def _jour(texte: str) -> date | None:
    """La date d'un champ `<input type="date">` (vide : pas de filtre) ; DonneesInvalides si elle est illisible."""
    if not texte.strip():
        return None
    try:
        return lire_date(texte)
    except ValueError as erreur:
        raise DonneesInvalides(f"Échéance : {erreur}.") from None
