"""Les réunions : la liste filtrée, le formulaire de planification, la fiche d'une réunion et ses actions
(convoquer après l'aperçu, modifier, annuler, supprimer). Les mêmes cas d'usage que `ctg reunion …`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from flows.web.contexte import Contexte, Coordinateur, Lecteur
from flows.web.formulaire_reunion import lire_saisie
from flows.web.lancement import lancer_diffusion, lancer_redaction
from gouvernance.documents.pdf import libreoffice_disponible
from gouvernance.documents.rendu import dossier_modeles
from gouvernance.erreurs import ErreurCTG
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.services.apercu_convocation import apercevoir_convocation
from gouvernance.services.comptes import journaliser
from gouvernance.services.consultation import (
    chercher_reunions,
    choix_de_planification,
    consulter_reunion,
    document_de_reunion,
    lire_filtres,
)
from gouvernance.services.reunions import annuler_reunion, modifier_reunion, verifier_convocation
from gouvernance.services.saisie_reunion import SaisieReunion, planifier_depuis_saisie
from gouvernance.services.suppression_reunion import supprimer_reunion
from modeles import ActionJournal, StatutReunion

routeur = APIRouter()
Texte = Annotated[str, Form(max_length=300)]
Court = Annotated[str, Form(max_length=40)]
STATUTS = [(statut.value, statut.libelle) for statut in StatutReunion]


@routeur.get("/reunions")
def liste(ctx: Lecteur, instance: str = "", du: str = "", au: str = "", statut: str = "") -> Response:
    choisis = {"instance": instance[:40], "du": du[:20], "au": au[:20], "statut": statut[:40]}
    erreur = None
    with ctx.lecture() as session:
        choix = choix_de_planification(session, ctx.territoire)
        try:
            reunions = chercher_reunions(session, ctx.territoire, lire_filtres(**choisis))
        except ErreurCTG as refus:
            reunions, erreur = [], refus
    return ctx.rendre(
        "reunions.html",
        reunions=reunions,
        choix=choix,
        filtres=choisis,
        statuts=STATUTS,
        erreur=erreur,
        statut=400 if erreur else 200,
    )


@routeur.get("/reunions/nouvelle")
def nouvelle(ctx: Coordinateur) -> Response:
    return _formulaire(ctx, SaisieReunion(instance="", jour="", heure=""), None)


@routeur.post("/reunions/nouvelle")
async def planifier(ctx: Coordinateur) -> Response:
    saisie, urgence, doublon = lire_saisie(await ctx.request.form())
    return await run_in_threadpool(_planifier, ctx, saisie, urgence, doublon)


def _planifier(ctx: Contexte, saisie: SaisieReunion, urgence: bool, doublon: bool) -> Response:
    try:
        with ctx.ecriture() as session:
            planifiee = planifier_depuis_saisie(
                session,
                saisie,
                territoire=ctx.territoire,
                maintenant=ctx.maintenant(),
                urgence=urgence,
                doublon=doublon,
            )
            journaliser(
                session,
                ctx.utilisateur,
                ActionJournal.PLANIFICATION,
                le=ctx.maintenant(),
                reunion_id=planifiee.reunion_id,
                details=planifiee.titre,
            )
    except ErreurCTG as erreur:
        return _formulaire(ctx, saisie, erreur)
    ajoutes = "".join(f" Ajouté à l'ordre du jour : « {titre} »." for titre in planifiee.points_ajoutes)
    return ctx.rediriger(f"/reunions/{planifiee.reunion_id}", f"Réunion planifiée : {planifiee.titre}.{ajoutes}")


def _formulaire(ctx: Contexte, saisie: SaisieReunion, erreur: ErreurCTG | None) -> Response:
    with ctx.lecture() as session:
        choix = choix_de_planification(session, ctx.territoire)
    return ctx.rendre("reunion_nouvelle.html", choix=choix, saisie=saisie, erreur=erreur, statut=400 if erreur else 200)


@routeur.get("/reunions/{reunion_id}")
def reunion(reunion_id: int, ctx: Lecteur) -> Response:
    with ctx.lecture() as session:
        fiche = consulter_reunion(
            session, reunion_id, dossier=ctx.reglages.dossier, territoires=ctx.utilisateur.territoires
        )
    secretaire_de_l_instance = ctx.utilisateur.est_coordinateur or fiche["instance_id"] in ctx.utilisateur.instances
    return ctx.rendre("reunion.html", r=fiche, tient_le_compte_rendu=secretaire_de_l_instance)


@routeur.get("/reunions/{reunion_id}/documents/{numero}")
def document(reunion_id: int, numero: int, ctx: Lecteur) -> Response:
    with ctx.lecture() as session:
        chemin = document_de_reunion(
            session, reunion_id, numero, dossier=ctx.reglages.dossier, territoires=ctx.utilisateur.territoires
        )
    return FileResponse(chemin, filename=chemin.name)


@routeur.get("/reunions/{reunion_id}/convoquer")
def apercu(reunion_id: int, ctx: Coordinateur) -> Response:
    # Sans LibreOffice ici : l'exemple de courrier s'écrit en Word dans la requête ; la conversion est au flux.
    parametres = Parametres(ctx.reglages, ctx.maintenant(), dossier_modeles(ctx.reglages), None, smtp=False)
    try:
        with ctx.lecture() as session:
            consulter_reunion(session, reunion_id, territoires=ctx.utilisateur.territoires)
        vue = apercevoir_convocation(ctx.moteur, reunion_id, parametres)
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/reunions/{reunion_id}", erreur=erreur)
    # L'aperçu est fait sans LibreOffice (rapide) ; le flux, lui, joint les PDF quand LibreOffice est là.
    extension = ".pdf" if libreoffice_disponible() else ".docx"
    return ctx.rendre("reunion_convoquer.html", apercu=vue, extension=extension)


@routeur.post("/reunions/{reunion_id}/convoquer")
def convoquer(reunion_id: int, ctx: Coordinateur, urgence: Annotated[bool, Form()] = False) -> Response:
    try:
        with ctx.ecriture() as session:
            consulter_reunion(session, reunion_id, territoires=ctx.utilisateur.territoires)
            verifier_convocation(session, reunion_id, ctx.reglages, maintenant=ctx.maintenant(), urgence=urgence)
            journaliser(session, ctx.utilisateur, ActionJournal.CONVOCATION, le=ctx.maintenant(), reunion_id=reunion_id)
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/reunions/{reunion_id}", erreur=erreur)
    return lancer_diffusion(ctx, reunion_id, "convocation", ())


@routeur.get("/reunions/{reunion_id}/modifier")
def formulaire_modification(reunion_id: int, ctx: Coordinateur) -> Response:
    with ctx.lecture() as session:
        fiche = consulter_reunion(session, reunion_id, territoires=ctx.utilisateur.territoires)
    return ctx.rendre("reunion_modifier.html", r=fiche, erreur=None)


@routeur.post("/reunions/{reunion_id}/modifier")
def modifier(
    *,
    reunion_id: int,
    ctx: Coordinateur,
    jour: Court = "",
    heure: Court = "",
    duree: Court = "",
    titre: Texte = "",
    lieu: Texte = "",
    visio: Annotated[str, Form(max_length=500)] = "",
    renvoyer: Annotated[bool, Form()] = False,
) -> Response:
    debut = f"{jour.strip()} {heure.strip()}" if jour.strip() and heure.strip() else None
    try:
        with ctx.ecriture() as session:
            consulter_reunion(session, reunion_id, territoires=ctx.utilisateur.territoires)
            modifiee = modifier_reunion(
                session,
                reunion_id,
                reglages=ctx.reglages,
                maintenant=ctx.maintenant(),
                renvoyer=renvoyer,
                debut=debut,
                duree=duree.strip() or None,
                titre=titre.strip() or None,
                lieu=lieu.strip() or None,
                visio=visio.strip() or None,
            )
            if modifiee.changements:
                journaliser(
                    session,
                    ctx.utilisateur,
                    ActionJournal.MODIFICATION_REUNION,
                    le=ctx.maintenant(),
                    reunion_id=reunion_id,
                    details=" ; ".join(modifiee.changements),
                )
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/reunions/{reunion_id}/modifier", erreur=erreur)
    if modifiee.suite == "diffuser":
        return lancer_diffusion(ctx, reunion_id, "modification", modifiee.changements)
    if modifiee.suite == "rediger":
        return lancer_redaction(ctx, reunion_id)
    annonce = {
        "rien": "Rien n'a changé.",
        "a_convoquer": "Réunion modifiée ; elle n'est pas encore convoquée : la convocation portera ces changements.",
    }[modifiee.suite]
    return ctx.rediriger(f"/reunions/{reunion_id}", annonce)


@routeur.post("/reunions/{reunion_id}/annuler")
def annuler(reunion_id: int, motif: Annotated[str, Form(max_length=2000)], ctx: Coordinateur) -> Response:
    try:
        with ctx.ecriture() as session:
            consulter_reunion(session, reunion_id, territoires=ctx.utilisateur.territoires)
            annulation = annuler_reunion(session, reunion_id, motif, reglages=ctx.reglages)
            journaliser(
                session,
                ctx.utilisateur,
                ActionJournal.ANNULATION,
                le=ctx.maintenant(),
                reunion_id=reunion_id,
                details=f"motif : {motif}",
            )
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/reunions/{reunion_id}", erreur=erreur)
    if annulation.a_prevenir:
        return lancer_diffusion(ctx, reunion_id, "annulation", ())
    return ctx.rediriger(f"/reunions/{reunion_id}", "Réunion annulée ; elle n'avait pas été convoquée.")


@routeur.post("/reunions/{reunion_id}/supprimer")
def supprimer(reunion_id: int, ctx: Coordinateur) -> Response:
    try:
        with ctx.lecture() as session:
            fiche = consulter_reunion(session, reunion_id, territoires=ctx.utilisateur.territoires)
        supprimer_reunion(ctx.moteur, reunion_id, dossier=ctx.reglages.dossier)
        with ctx.ecriture() as session:
            journaliser(
                session,
                ctx.utilisateur,
                ActionJournal.SUPPRESSION_REUNION,
                le=ctx.maintenant(),
                details=f"n°{reunion_id} : {fiche['titre']}, {fiche['quand']}",
            )
    except ErreurCTG as erreur:
        return ctx.rediriger(f"/reunions/{reunion_id}", erreur=erreur)
    return ctx.rediriger("/reunions", f"Réunion n°{reunion_id} supprimée : {fiche['titre']}.")
