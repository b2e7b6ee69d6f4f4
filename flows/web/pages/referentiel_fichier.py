"""Le référentiel en fichier YAML : l'exporter, et l'importer après un aperçu de ce qui changerait."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response

from flows.web import televersements
from flows.web.contexte import Coordinateur, Lecteur
from gouvernance.erreurs import DonneesInvalides, ErreurCTG
from gouvernance.services.referentiel import exporter_referentiel, importer_texte_referentiel
from gouvernance.yaml_lignes import TAILLE_MAX

routeur = APIRouter()
CLE_SESSION = "import_referentiel"
EXTENSIONS = (".yaml", ".yml")


@routeur.get("/referentiel/export")
def exporter(ctx: Lecteur) -> Response:
    with ctx.lecture() as session:
        nom, texte = exporter_referentiel(session, ctx.territoire)
    return Response(
        texte.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{nom}"'},
    )


@routeur.get("/referentiel/import")
def formulaire(ctx: Coordinateur) -> Response:
    return ctx.rendre("referentiel_import.html", erreur=None)


@routeur.post("/referentiel/import")
def apercevoir(ctx: Coordinateur, fichier: Annotated[UploadFile, File()]) -> Response:
    try:
        nom, texte = _lire(fichier)
        bilan = importer_texte_referentiel(
            ctx.moteur, texte, nom, territoires_permis=ctx.utilisateur.codes_territoires, simulation=True
        )
    except ErreurCTG as erreur:
        return ctx.rendre("referentiel_import.html", statut=400, erreur=str(erreur))
    ancien = ctx.request.session.pop(CLE_SESSION, None) or {}
    televersements.effacer(ctx.reglages.dossier, ancien.get("jeton"))
    jeton = televersements.deposer(ctx.reglages.dossier, texte.encode("utf-8"))
    ctx.request.session[CLE_SESSION] = {"jeton": jeton, "nom": nom}
    return ctx.rendre("referentiel_apercu.html", bilan=bilan, nom=nom)


@routeur.post("/referentiel/import/confirmer")
def confirmer(ctx: Coordinateur) -> Response:
    attente = ctx.request.session.pop(CLE_SESSION, None) or {}
    contenu = televersements.reprendre(ctx.reglages.dossier, attente.get("jeton"))
    if contenu is None:
        erreur = DonneesInvalides("Aucun import en attente (déjà confirmé, ou trop ancien) : envoyez le fichier.")
        return ctx.rediriger("/referentiel/import", erreur=erreur)
    try:
        bilan = importer_texte_referentiel(
            ctx.moteur,
            contenu.decode("utf-8"),
            str(attente.get("nom")),
            territoires_permis=ctx.utilisateur.codes_territoires,
        )
    except ErreurCTG as erreur:
        return ctx.rediriger("/referentiel/import", erreur=erreur)
    finally:
        televersements.effacer(ctx.reglages.dossier, attente.get("jeton"))
    return ctx.rediriger("/referentiel", " ".join(ligne.strip() for ligne in bilan.lignes_resume()))


def _lire(fichier: UploadFile) -> tuple[str, str]:
    """Le nom et le texte du fichier envoyé ; refusé s'il n'est pas un .yaml, trop lourd ou pas en UTF-8."""
    nom = PurePath((fichier.filename or "").replace("\\", "/")).name or "referentiel.yaml"
    if not nom.lower().endswith(EXTENSIONS):
        raise DonneesInvalides(
            f"« {nom} » n'est pas un fichier YAML (.yaml). Partez du fichier que donne « Exporter le référentiel »."
        )
    contenu = fichier.file.read(TAILLE_MAX + 1)
    if len(contenu) > TAILLE_MAX:
        raise DonneesInvalides(f"« {nom} » est refusé : il dépasse {TAILLE_MAX // 1024} Ko.")
    try:
        return nom, contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DonneesInvalides(
            f"« {nom} » n'est pas un texte UTF-8 : enregistrez-le en UTF-8, puis recommencez."
        ) from None
