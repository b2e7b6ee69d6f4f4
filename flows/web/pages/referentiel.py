"""Le référentiel : enjeux et orientations (lecture), instances avec leur rythme, leurs membres."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import Response

from flows.web.contexte import Coordinateur, Lecteur
from gouvernance.erreurs import ErreurCTG
from gouvernance.services.annuaire import inscrire_membre, modifier_membre, supprimer_membre
from gouvernance.services.referentiel import lire_instance, lire_referentiel_complet
from modeles import RoleMembre

routeur = APIRouter()
ROLES = [(role.value, role.libelle) for role in RoleMembre if role is not RoleMembre.INVITE] + [
    (RoleMembre.INVITE.value, RoleMembre.INVITE.libelle)
]
Email = Annotated[str, Form(max_length=320)]


@routeur.get("/referentiel")
def referentiel(ctx: Lecteur) -> Response:
    with ctx.lecture() as session:
        vue = lire_referentiel_complet(session, ctx.territoire)
    return ctx.rendre("referentiel.html", vue=vue)


@routeur.get("/referentiel/instances/{code}")
def instance(code: str, ctx: Lecteur) -> Response:
    with ctx.lecture() as session:
        vue = lire_instance(session, ctx.territoire, code, avec_personnes=ctx.utilisateur.est_coordinateur)
    return ctx.rendre("instance.html", instance=vue.instance, personnes=vue.personnes, roles=ROLES)


@routeur.post("/referentiel/instances/{code}/membres")
def ajouter_membre(code: str, email: Email, role: Annotated[str, Form(max_length=40)], ctx: Coordinateur) -> Response:
    try:
        with ctx.ecriture() as session:
            adhesion = inscrire_membre(session, ctx.territoire, code, email, role)
    except ErreurCTG as erreur:
        return _retour_avec_erreur(ctx, code, erreur)
    return ctx.rediriger(_page(code), f"{adhesion.nom_complet} est désormais membre ({adhesion.role}).")


@routeur.post("/referentiel/instances/{code}/membres/role")
def changer_role(code: str, email: Email, role: Annotated[str, Form(max_length=40)], ctx: Coordinateur) -> Response:
    try:
        with ctx.ecriture() as session:
            adhesion = modifier_membre(session, ctx.territoire, code, email, role)
    except ErreurCTG as erreur:
        return _retour_avec_erreur(ctx, code, erreur)
    return ctx.rediriger(_page(code), f"Rôle de {adhesion.nom_complet} : {adhesion.role}.")


@routeur.post("/referentiel/instances/{code}/membres/retirer")
def retirer_membre(code: str, email: Email, ctx: Coordinateur) -> Response:
    try:
        with ctx.ecriture() as session:
            adhesion = supprimer_membre(session, ctx.territoire, code, email)
    except ErreurCTG as erreur:
        return _retour_avec_erreur(ctx, code, erreur)
    return ctx.rediriger(_page(code), f"{adhesion.nom_complet} n'est plus membre de l'instance {adhesion.instance}.")


def _page(code: str) -> str:
    return f"/referentiel/instances/{quote(code, safe='')}"


def _retour_avec_erreur(ctx: Coordinateur, code: str, erreur: ErreurCTG) -> Response:
    return ctx.rediriger(_page(code), erreur=erreur)
