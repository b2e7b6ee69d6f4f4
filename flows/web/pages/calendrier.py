"""Calendrier de l'année : les réunions que proposent les rythmes des instances (jours fériés et vacances
scolaires évités), relues puis enregistrées par le coordinateur."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from flows.web.contexte import Contexte, Coordinateur, Lecteur
from gouvernance.calendrier.planification_annuelle import ETATS
from gouvernance.erreurs import DonneesInvalides, ErreurCTG
from gouvernance.francais import compte
from gouvernance.reunions.planification import nouvel_uid
from gouvernance.reunions.vue import FUSEAU
from gouvernance.services.calendrier import CalendrierAnnuel, Cle, planifier_annee, zone_et_feries

routeur = APIRouter()
Annee = Annotated[int, Form(ge=2000, le=2100)]


@routeur.get("/calendrier")
def calendrier(ctx: Lecteur, annee: int | None = None) -> Response:
    choisie = annee if annee is not None else ctx.maintenant().astimezone(FUSEAU).year + 1
    if not 2000 <= choisie <= 2100:
        raise DonneesInvalides(f"L'année {choisie} n'est pas valide : choisissez une année entre 2000 et 2100.")
    plan = _planifier(ctx, choisie, enregistrer=False)
    return ctx.rendre("calendrier.html", plan=plan, etats=ETATS, valeur=_valeur)


@routeur.post("/calendrier")
def enregistrer(
    annee: Annee, ctx: Coordinateur, retenue: Annotated[list[str] | None, Form(max_length=60)] = None
) -> Response:
    page = f"/calendrier?annee={annee}"
    try:
        retenues = [_cle(valeur) for valeur in retenue or []]
        if not retenues:
            raise DonneesInvalides("Aucune réunion cochée : cochez celles à enregistrer.")
        plan = _planifier(ctx, annee, enregistrer=True, retenues=retenues)
    except ErreurCTG as erreur:
        return ctx.rediriger(page, erreur=erreur)
    lignes = [f"{compte(plan.enregistrees, 'réunion enregistrée', 'réunions enregistrées')} pour {annee}."]
    lignes += [f"Non enregistrée : {p.titre} : {p.detail}." for p in plan.refusees]
    return ctx.rediriger(page, "\n".join(lignes))


def _planifier(ctx: Contexte, annee: int, *, enregistrer: bool, retenues: list[Cle] | None = None) -> CalendrierAnnuel:
    zone, alsace_moselle = zone_et_feries(ctx.reglages)
    return planifier_annee(
        ctx.moteur,
        ctx.territoire,
        annee,
        {},
        maintenant=ctx.maintenant(),
        confirmer=lambda _plan: enregistrer,
        nouvel_uid=nouvel_uid,
        vacances_zone=zone,
        alsace_moselle=alsace_moselle,
        retenues=retenues,
        auteur=ctx.utilisateur,
    )


def _valeur(code: str, jour: date, heure: time) -> str:
    """La valeur d'une case à cocher : « COPIL|2027-03-09|18:00 »."""
    return f"{code}|{jour.isoformat()}|{heure:%H:%M}"


def _cle(valeur: str) -> Cle:
    try:
        code, jour, heure = valeur.split("|")
        return code, date.fromisoformat(jour), datetime.strptime(heure, "%H:%M").time()
    except ValueError:
        raise DonneesInvalides(f"« {valeur} » ne désigne pas une réunion proposée : rechargez la page.") from None
