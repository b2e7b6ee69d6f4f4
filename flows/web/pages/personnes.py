"""Personnes : la liste et sa recherche (en direct avec htmx), l'ajout, la fiche et sa modification."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import Response

from flows.web.contexte import Coordinateur, Lecteur
from gouvernance.erreurs import ErreurCTG
from gouvernance.personnes import FichePersonne
from gouvernance.services.annuaire import inscrire_personne
from gouvernance.services.repertoire import lire_personne, lister_personnes, modifier_personne_du_territoire

routeur = APIRouter()
Court = Annotated[str, Form(max_length=100)]
Long = Annotated[str, Form(max_length=300)]
Email = Annotated[str, Form(max_length=320)]


@routeur.get("/personnes")
def personnes(ctx: Lecteur, q: str = "") -> Response:
    with ctx.lecture() as session:
        liste = lister_personnes(session, ctx.territoire, q)
    # Une recherche tapée dans le champ (htmx) ne redemande que le tableau.
    gabarit = "personnes_tableau.html" if ctx.request.headers.get("HX-Request") else "personnes.html"
    return ctx.rendre(gabarit, liste=liste, recherche=q)


@routeur.post("/personnes")
def ajouter(
    *,
    ctx: Coordinateur,
    email: Email,
    prenom: Court,
    nom: Court,
    civilite: Court = "",
    telephone: Court = "",
    organisme: Long = "",
    fonction: Long = "",
) -> Response:
    fiche = FichePersonne(email=email, prenom=prenom, nom=nom, civilite=civilite or None, telephone=telephone or None)
    try:
        with ctx.ecriture() as session:
            personne = inscrire_personne(
                session,
                fiche,
                organisme=organisme or None,
                fonction=fonction or None,
                aujourd_hui=ctx.maintenant().date(),
            )
            adresse, nom_complet = personne.email, personne.nom_complet
    except ErreurCTG as erreur:
        return ctx.rediriger("/personnes", erreur=erreur)
    return ctx.rediriger(_page(adresse), f"{nom_complet} est dans l'annuaire.")


@routeur.get("/personnes/{email}")
def fiche(email: str, ctx: Lecteur) -> Response:
    with ctx.lecture() as session:
        personne = lire_personne(session, ctx.territoire, email)
    return ctx.rendre("personne.html", personne=personne)


@routeur.post("/personnes/{email}")
def modifier(
    email: str,
    *,
    ctx: Coordinateur,
    nouvel_email: Email,
    prenom: Court,
    nom: Court,
    civilite: Court = "",
    telephone: Court = "",
    organisme: Long = "",
    fonction: Long = "",
) -> Response:
    changee = FichePersonne(email=nouvel_email, prenom=prenom, nom=nom, civilite=civilite, telephone=telephone)
    try:
        with ctx.ecriture() as session:
            personne, modifies = modifier_personne_du_territoire(
                session,
                ctx.territoire,
                email,
                changee,
                organisme=organisme or None,
                fonction=fonction or None,
                aujourd_hui=ctx.maintenant().date(),
            )
            adresse = personne.email
    except ErreurCTG as erreur:
        return ctx.rediriger(_page(email), erreur=erreur)
    annonce = f"Modifié : {', '.join(modifies)}." if modifies else "Rien n'a changé."
    return ctx.rediriger(_page(adresse), annonce)


def _page(email: str) -> str:
    return f"/personnes/{quote(email, safe='@')}"
