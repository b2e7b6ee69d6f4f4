"""Le compte rendu d'une réunion : émargement et projet à télécharger, fichier du secrétaire relu puis confirmé,
validation, diffusion. Les mêmes cas d'usage que `ctg compte-rendu …` ; les documents sont des flux Prefect."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from flows.web.contexte import Contexte, Coordinateur, Secretaire
from flows.web.lancement import lancer, resumer_envoi, resumer_fichiers
from flows.web.taches import Flux
from gouvernance.comptes_rendus.docx_archive import TAILLE_MAX
from gouvernance.erreurs import DonneesInvalides, ErreurCTG
from gouvernance.reunions.lecture import lire_coordinateur
from gouvernance.services.comptes import journaliser
from gouvernance.services.comptes_rendus import confirmer_compte_rendu, deposer_compte_rendu
from gouvernance.services.consultation import consulter_reunion
from modeles import ActionJournal

routeur = APIRouter()


def _fiche(ctx: Contexte, reunion_id: int) -> dict[str, Any]:
    """La réunion, si l'utilisateur en tient le compte rendu (un secrétaire : seulement ses instances)."""
    with ctx.lecture() as session:
        fiche = consulter_reunion(
            session, reunion_id, dossier=ctx.reglages.dossier, territoires=ctx.utilisateur.territoires
        )
    ctx.exiger_instance(fiche["instance_id"])
    return fiche


def _document(ctx: Contexte, reunion_id: int, nom: str, libelle: str) -> Response:
    _fiche(ctx, reunion_id)
    try:
        lire_coordinateur(ctx.reglages)  # le projet porte sa signature : le refus vient avant le flux
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/reunions/{reunion_id}", erreur=erreur)
    flux = Flux("flows.comptes_rendus", nom, (reunion_id,))
    libelle = f"{libelle} de la réunion n°{reunion_id}"
    return lancer(ctx, f"{nom}-{reunion_id}", libelle, flux, resumer_fichiers, retour=f"/reunions/{reunion_id}")


@routeur.post("/reunions/{reunion_id}/emargement")
def emargement(reunion_id: int, ctx: Secretaire) -> Response:
    return _document(ctx, reunion_id, "emargement", "La feuille d'émargement")


@routeur.post("/reunions/{reunion_id}/compte-rendu/projet")
def projet(reunion_id: int, ctx: Secretaire) -> Response:
    return _document(ctx, reunion_id, "generer_compte_rendu", "Le projet de compte rendu")


@routeur.post("/reunions/{reunion_id}/compte-rendu")
async def televerser(reunion_id: int, fichier: UploadFile, ctx: Secretaire) -> Response:
    # Lu avec une limite : un envoi démesuré n'est jamais chargé en entier.
    contenu = await fichier.read(TAILLE_MAX + 1)
    nom = (fichier.filename or "compte-rendu.docx")[-200:]
    return await run_in_threadpool(_relire, ctx, reunion_id, contenu, nom)


def _relire(ctx: Contexte, reunion_id: int, contenu: bytes, nom: str) -> Response:
    fiche = _fiche(ctx, reunion_id)
    try:
        depot = deposer_compte_rendu(
            ctx.moteur, reunion_id, contenu, nom, reglages=ctx.reglages, maintenant=ctx.maintenant()
        )
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/reunions/{reunion_id}", erreur=erreur)
    return ctx.rendre("compte_rendu_apercu.html", r=fiche, depot=depot, statut=200 if depot.apercu.acceptable else 400)


@routeur.post("/reunions/{reunion_id}/compte-rendu/confirmer")
def confirmer(
    reunion_id: int,
    jeton: Annotated[str, Form(max_length=100)],
    nom_fichier: Annotated[str, Form(max_length=200)],
    ctx: Secretaire,
) -> Response:
    _fiche(ctx, reunion_id)
    try:
        bilan = confirmer_compte_rendu(
            ctx.moteur, reunion_id, jeton, nom_fichier, reglages=ctx.reglages, maintenant=ctx.maintenant()
        )
        with ctx.ecriture() as session:
            journaliser(
                session,
                ctx.utilisateur,
                ActionJournal.IMPORT_COMPTE_RENDU,
                le=ctx.maintenant(),
                reunion_id=reunion_id,
                details=nom_fichier,
            )
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/reunions/{reunion_id}", erreur=erreur)
    resume = " ".join(bilan.lignes_resume()[:1])
    annonce = f"Compte rendu enregistré. {resume} Validez-le quand il est définitif."
    return ctx.rediriger(f"/reunions/{reunion_id}", annonce)


@routeur.post("/reunions/{reunion_id}/compte-rendu/valider")
def valider(reunion_id: int, ctx: Secretaire) -> Response:
    fiche = _fiche(ctx, reunion_id)
    if not fiche["possibilites"].valider:
        erreur = DonneesInvalides(
            "Il n'y a pas de compte rendu importé à valider : relisez d'abord le fichier du secrétaire."
        )
        return ctx.rediriger(f"/reunions/{reunion_id}", erreur=erreur)
    with ctx.ecriture() as session:
        journaliser(
            session, ctx.utilisateur, ActionJournal.VALIDATION_COMPTE_RENDU, le=ctx.maintenant(), reunion_id=reunion_id
        )
    flux = Flux("flows.comptes_rendus", "valider", (reunion_id,))
    libelle = f"La validation du compte rendu de la réunion n°{reunion_id}"
    return lancer(ctx, f"valider-{reunion_id}", libelle, flux, resumer_fichiers, retour=f"/reunions/{reunion_id}")


@routeur.post("/reunions/{reunion_id}/compte-rendu/diffuser")
def diffuser(reunion_id: int, ctx: Coordinateur) -> Response:
    fiche = _fiche(ctx, reunion_id)
    try:
        lire_coordinateur(ctx.reglages)
        if not fiche["possibilites"].diffuser:
            raise DonneesInvalides("Le compte rendu doit être validé avant d'être diffusé.")
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/reunions/{reunion_id}", erreur=erreur)
    with ctx.ecriture() as session:
        journaliser(
            session, ctx.utilisateur, ActionJournal.DIFFUSION_COMPTE_RENDU, le=ctx.maintenant(), reunion_id=reunion_id
        )
    flux = Flux("flows.comptes_rendus", "diffuser", (reunion_id,))
    libelle = f"La diffusion du compte rendu de la réunion n°{reunion_id}"
    return lancer(ctx, f"diffuser-{reunion_id}", libelle, flux, resumer_envoi, retour=f"/reunions/{reunion_id}")
