"""Produire les courriers d'une réunion à partir des modèles Word : convocation (ou modification), ordre du
jour, annulation.

Des fonctions pures : une `ReunionVue` et une date de courrier en entrée, les octets du .docx en sortie.
`modeles` est le dossier des modèles Word, pour que chacun puisse pointer vers ses copies modifiées. Le
remplissage se fait dans le bac à sable de `securite` : un modèle modifié ne peut pas exécuter de code ; et dans
le processus de rendu d'`isolement`, borné en durée et en mémoire : il ne peut pas non plus épuiser la machine.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from jinja2.exceptions import SecurityError

from gouvernance.documents.contexte import contexte
from gouvernance.documents.erreurs import ErreurDocument, ModeleInvalide
from gouvernance.documents.image import Image
from gouvernance.documents.isolement import executer_isole
from gouvernance.documents.securite import RESTAURER, achever, environnement, expliquer, verifier_archive
from gouvernance.francais import avec_article, date_complete, de_commune
from gouvernance.reglages import Reglages
from gouvernance.reunions.vue import FUSEAU, PersonneVue, ReunionVue
from modeles.vocabulaire import StatutReunion

#: Les modèles livrés avec le logiciel ; les copies modifiées par les utilisateurs vivent ailleurs.
MODELES_D_ORIGINE = Path(__file__).resolve().parents[2] / "templates_docx"


def dossier_modeles(reglages: Reglages) -> Path:
    """Les modèles Word : CTG_MODELES s'il est réglé (copie modifiée par l'utilisateur), sinon ceux du projet."""
    choisi = reglages.valeur("MODELES")
    return Path(choisi) if choisi else MODELES_D_ORIGINE


CONVOCATION = "convocation.docx"
ORDRE_DU_JOUR = "ordre_du_jour.docx"
ANNULATION = "annulation.docx"


class _ImageEnLigne(InlineImage):  # type: ignore[misc]
    """Une image sans marge autour : sans `distL`…, LibreOffice la décale de 0,32 cm."""

    def _insert_image(self) -> str:
        xml: str = super()._insert_image()
        return xml.replace("<wp:inline ", '<wp:inline distT="0" distB="0" distL="0" distR="0" ', 1)


@dataclass(frozen=True)
class Proprietes:
    """Les métadonnées d'un document (titre, auteur, sujet, date) : Word les montre, le PDF/A les reprend en XMP."""

    titre: str
    #: L'institution au nom de laquelle le document est écrit (« Ville de L'Union »).
    auteur: str
    sujet: str
    date: date

    def appliquer(self, gabarit: DocxTemplate) -> None:
        # L'apostrophe typographique : LibreOffice 7.4 échappe deux fois l'apostrophe droite dans le XMP du PDF/A
        # (« L&apos;Union » dans les propriétés affichées par un lecteur de PDF).
        titre, auteur, sujet = (texte.replace("'", "’") for texte in (self.titre, self.auteur, self.sujet))
        proprietes = gabarit.docx.core_properties
        proprietes.title, proprietes.author, proprietes.subject = titre, auteur, sujet
        proprietes.last_modified_by = auteur
        proprietes.language = "fr-FR"
        proprietes.created = proprietes.modified = datetime(self.date.year, self.date.month, self.date.day)


def proprietes_reunion(reunion: ReunionVue, objet: str, *, date_courrier: date) -> Proprietes:
    """« Convocation au Comité de pilotage du mardi 8 décembre 2026 », par la Ville, pour la CTG de L'Union."""
    jour = date_complete(reunion.debut.astimezone(FUSEAU).date())
    return Proprietes(
        titre=f"{objet} {avec_article(reunion.instance_intitule, 'de')} du {jour}",
        auteur=reunion.institution.nom,
        sujet=f"Convention territoriale globale {de_commune(reunion.territoire)}",
        date=date_courrier,
    )


def _preparer(valeur: object, modele: DocxTemplate) -> object:
    """Le contexte tel que docxtpl l'attend : les `Image` deviennent des images du document."""
    if isinstance(valeur, Image):
        if not valeur.chemin.is_file() or valeur.chemin.suffix.lower() not in {".png", ".jpg", ".jpeg", ".gif"}:
            raise ModeleInvalide(
                f"Le logo « {valeur.chemin} » est introuvable ou n'est pas une image PNG, JPEG ou GIF."
            )
        return _ImageEnLigne(modele, str(valeur.chemin), width=Mm(valeur.largeur_mm))
    if isinstance(valeur, Mapping):
        return {str(cle): _preparer(v, modele) for cle, v in valeur.items()}
    if isinstance(valeur, list | tuple):
        return [_preparer(v, modele) for v in valeur]
    return valeur


def rendre_docx(modele: Path, contexte: Mapping[str, object], proprietes: Proprietes | None = None) -> bytes:
    """Le document Word obtenu en remplissant `modele` avec `contexte` ; ModeleInvalide sinon.

    `proprietes` remplacent les métadonnées du modèle (titre, auteur, sujet, date) : le PDF/A les reprend.
    Un modèle modifiable par l'utilisateur (hors des modèles livrés) est rempli dans le processus de rendu, sous
    les limites de durée et de mémoire d'`isolement` ; les modèles livrés, relus par nous, le sont ici, sans le
    coût du démarrage de ce processus (le bac à sable s'applique aux deux)."""
    if modele.resolve().parent == MODELES_D_ORIGINE:
        return _rendre_ici(modele, contexte, proprietes)
    return executer_isole(_rendre_ici, modele, contexte, proprietes, nom=modele.name)


def _rendre_ici(modele: Path, contexte: Mapping[str, object], proprietes: Proprietes | None) -> bytes:
    """`rendre_docx` dans le processus courant, sans autre limite que le bac à sable."""
    verifier_archive(modele)
    try:
        gabarit = DocxTemplate(modele)
        gabarit.init_docx()
    except Exception as erreur:
        raise ModeleInvalide(
            f"Le modèle Word « {modele.name} » est illisible ({type(erreur).__name__}) : ouvrez-le dans Word et "
            f"enregistrez-le au format .docx, ou {RESTAURER}."
        ) from None
    donnees = _preparer(contexte, gabarit)
    try:
        gabarit.render(donnees, jinja_env=environnement())
        if proprietes is not None:
            proprietes.appliquer(gabarit)
        tampon = io.BytesIO()
        gabarit.save(tampon)
    except (TemplateError, SecurityError) as erreur:
        raise ModeleInvalide(expliquer(erreur, modele.name)) from None
    except MemoryError:
        raise  # le processus de rendu a atteint sa limite de mémoire : `isolement` le dit
    except Exception as erreur:  # XML cassé par une balise mal placée, calcul impossible…
        raise ModeleInvalide(expliquer(erreur, modele.name)) from erreur
    return achever(tampon.getvalue(), modele.name)


def construire_convocation(
    reunion: ReunionVue, destinataire: PersonneVue, *, date_courrier: date, modeles: Path
) -> bytes:
    """La lettre de convocation (ou de modification, si `reunion.changements`) adressée à `destinataire`."""
    if reunion.statut == StatutReunion.ANNULEE:
        raise ErreurDocument(
            f"La réunion « {reunion.titre} » est annulée : envoyez un courrier d'annulation, pas une convocation."
        )
    objet = "Modification de la réunion" if reunion.changements else "Convocation"
    return rendre_docx(
        modeles / CONVOCATION,
        contexte(reunion, destinataire, date_courrier=date_courrier),
        proprietes_reunion(reunion, objet, date_courrier=date_courrier),
    )


def construire_ordre_du_jour(reunion: ReunionVue, *, date_courrier: date, modeles: Path) -> bytes:
    """L'ordre du jour de la réunion : points numérotés, rapporteurs, durées et orientations."""
    return rendre_docx(
        modeles / ORDRE_DU_JOUR,
        contexte(reunion, None, date_courrier=date_courrier),
        proprietes_reunion(reunion, "Ordre du jour", date_courrier=date_courrier),
    )


def construire_annulation(
    reunion: ReunionVue, destinataire: PersonneVue, *, date_courrier: date, modeles: Path
) -> bytes:
    """La lettre qui annonce à `destinataire` l'annulation de la réunion, avec son motif."""
    return rendre_docx(
        modeles / ANNULATION,
        contexte(reunion, destinataire, date_courrier=date_courrier),
        proprietes_reunion(reunion, "Annulation de la réunion", date_courrier=date_courrier),
    )
