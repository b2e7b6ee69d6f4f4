"""Partenaires : la liste et sa recherche, l'ajout, la fiche et sa modification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from flows.web.contexte import Coordinateur, Lecteur
from gouvernance.erreurs import ErreurCTG
from gouvernance.services.annuaire import ajouter_partenaire
from gouvernance.services.repertoire import lire_partenaire, lister_partenaires, modifier_partenaire_numero
from modeles import CategoriePartenaire

routeur = APIRouter()
CATEGORIES = [(categorie.value, categorie.libelle) for categorie in CategoriePartenaire]
Nom = Annotated[str, Form(max_length=200)]
Sigle = Annotated[str, Form(max_length=40)]
Categorie = Annotated[str, Form(max_length=40)]
Adresse = Annotated[str, Form(max_length=1000)]


@routeur.get("/partenaires")
def partenaires(ctx: Lecteur, q: str = "") -> Response:
    with ctx.lecture() as session:
        liste = lister_partenaires(session, ctx.territoire, q)
    return ctx.rendre("partenaires.html", partenaires=liste, recherche=q, categories=CATEGORIES)


@routeur.post("/partenaires")
def ajouter(*, ctx: Coordinateur, nom: Nom, categorie: Categorie, sigle: Sigle = "", adresse: Adresse = "") -> Response:
    try:
        with ctx.ecriture() as session:
            partenaire = ajouter_partenaire(
                session, ctx.territoire, nom=nom, sigle=sigle or None, categorie=categorie, adresse=adresse or None
            )
            numero, nom_enregistre = partenaire.id, partenaire.nom
    except ErreurCTG as erreur:
        return ctx.rediriger("/partenaires", erreur=erreur)
    return ctx.rediriger(f"/partenaires/{numero}", f"Partenaire ajouté : {nom_enregistre}.")


@routeur.get("/partenaires/{partenaire_id}")
def fiche(partenaire_id: int, ctx: Lecteur) -> Response:
    with ctx.lecture() as session:
        partenaire = lire_partenaire(session, ctx.territoire, partenaire_id)
    return ctx.rendre("partenaire.html", partenaire=partenaire, categories=CATEGORIES)


@routeur.post("/partenaires/{partenaire_id}")
def modifier(
    partenaire_id: int, *, ctx: Coordinateur, nom: Nom, categorie: Categorie, sigle: Sigle = "", adresse: Adresse = ""
) -> Response:
    try:
        with ctx.ecriture() as session:
            _, modifies = modifier_partenaire_numero(
                session, ctx.territoire, partenaire_id, nom=nom, sigle=sigle, categorie=categorie, adresse=adresse
            )
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/partenaires/{partenaire_id}", erreur=erreur)
    annonce = f"Modifié : {', '.join(modifies)}." if modifies else "Rien n'a changé."
    return ctx.rediriger(f"/partenaires/{partenaire_id}", annonce)
