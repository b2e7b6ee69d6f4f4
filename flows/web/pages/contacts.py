"""Import des contacts d'un tableur (CSV) : envoi du fichier, aperçu ligne à ligne, puis confirmation."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response

from flows.web import televersements
from flows.web.contexte import Coordinateur
from gouvernance.contacts_csv import COLONNES, COLONNES_OBLIGATOIRES, TAILLE_MAX
from gouvernance.erreurs import DonneesInvalides, ErreurCTG
from gouvernance.services.annuaire import apercevoir_contacts, importer_contenu_contacts

routeur = APIRouter()
CLE_SESSION = "import_contacts"
EXTENSIONS = (".csv", ".txt")


@routeur.get("/contacts/import")
def formulaire(ctx: Coordinateur) -> Response:
    return _formulaire(ctx)


@routeur.post("/contacts/import")
def apercevoir(ctx: Coordinateur, fichier: Annotated[UploadFile, File()]) -> Response:
    try:
        nom, contenu = _lire(fichier)
        apercu = apercevoir_contacts(ctx.moteur, ctx.territoire, contenu, nom, aujourd_hui=ctx.maintenant().date())
    except ErreurCTG as erreur:
        return _formulaire(ctx, erreur=str(erreur), statut=400)
    ancien = ctx.request.session.pop(CLE_SESSION, None)
    televersements.effacer(ctx.reglages.dossier, (ancien or {}).get("jeton"))
    if apercu.bilan is not None:
        jeton = televersements.deposer(ctx.reglages.dossier, contenu)
        ctx.request.session[CLE_SESSION] = {"jeton": jeton, "nom": nom}
    return ctx.rendre("contacts_apercu.html", apercu=apercu, nom=nom)


@routeur.post("/contacts/import/confirmer")
def confirmer(ctx: Coordinateur) -> Response:
    attente = ctx.request.session.pop(CLE_SESSION, None) or {}
    contenu = televersements.reprendre(ctx.reglages.dossier, attente.get("jeton"))
    if contenu is None:
        return ctx.rediriger(
            "/contacts/import",
            erreur=DonneesInvalides("Aucun import en attente (déjà confirmé, ou trop ancien) : envoyez le fichier."),
        )
    try:
        # L'aperçu a signalé les organismes qui rappellent un partenaire : confirmer, c'est les créer quand même.
        bilan = importer_contenu_contacts(
            ctx.moteur,
            ctx.territoire,
            contenu,
            str(attente.get("nom")),
            aujourd_hui=ctx.maintenant().date(),
            creer_organismes=True,
        )
    except ErreurCTG as erreur:
        return ctx.rediriger("/contacts/import", erreur=erreur)
    finally:
        televersements.effacer(ctx.reglages.dossier, attente.get("jeton"))
    return ctx.rediriger("/personnes", "Contacts importés : " + " ; ".join(bilan.lignes_resume()) + ".")


def _lire(fichier: UploadFile) -> tuple[str, bytes]:
    """Le nom et le contenu du fichier envoyé ; refusé s'il n'est pas un CSV ou s'il est trop lourd."""
    nom = PurePath((fichier.filename or "").replace("\\", "/")).name or "contacts.csv"
    if not nom.lower().endswith(EXTENSIONS):
        raise DonneesInvalides(
            f"« {nom} » n'est pas un fichier CSV. Depuis le tableur, « Enregistrer sous » au format « CSV UTF-8 » "
            "(séparateur point-virgule ou virgule), puis envoyez ce fichier .csv."
        )
    # Un octet de plus que permis suffit à savoir qu'il est trop lourd : on ne lit pas au-delà.
    contenu = fichier.file.read(TAILLE_MAX + 1)
    if not contenu:
        raise DonneesInvalides(f"Le fichier « {nom} » est vide.")
    return nom, contenu


def _formulaire(ctx: Coordinateur, *, erreur: str | None = None, statut: int = 200) -> Response:
    return ctx.rendre(
        "contacts_import.html",
        statut=statut,
        erreur=erreur,
        colonnes=COLONNES,
        obligatoires=COLONNES_OBLIGATOIRES,
        taille_max_mo=TAILLE_MAX // (1024 * 1024),
    )
