"""Produire le bilan d'une année : graphiques PNG, tableaux CSV, document Word et PDF, chacun consigné.

Tout va dans CTG_HOME/documents/bilans/ANNEE/ ; refaire le bilan de la même année remplace ses fichiers
(les mêmes noms) et met à jour leurs lignes `Document`, sans doublon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.archives import consigner_document
from gouvernance.bilan.chiffres import Bilan, LigneInstance
from gouvernance.bilan.document import Entete, construire_bilan_docx, contexte_bilan
from gouvernance.bilan.graphiques import graphique_couverture, graphique_presence
from gouvernance.bilan.lecture import lire_bilan, verifier_annee
from gouvernance.bilan.tableurs import tableaux_csv
from gouvernance.bilan.textes import chiffres_cles
from gouvernance.documents.erreurs import ConversionImpossible
from gouvernance.documents.nommage import chemin_sous, nom_de_fichier
from gouvernance.fichiers import ecrire_atomiquement
from gouvernance.reglages import Reglages
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.reunions.vue import jour_a_paris
from modeles import Instance, Territoire, TypeDocument


@dataclass(frozen=True)
class ResultatBilan:
    """Ce que le bilan a produit, et ses chiffres clés pour la commande et les artefacts du flux."""

    annee: int
    territoire: str
    docx: Path
    #: La convention en vigueur dans l'année, s'il y en a une.
    convention: str | None
    pdf: Path | None
    csv: tuple[Path, ...]
    graphiques: tuple[Path, ...]
    chiffres_cles: tuple[str, ...]
    instances: tuple[LigneInstance, ...]
    chiffres: dict[str, Any] = field(default_factory=dict)
    #: Ce qui n'a pas pu être fait (le PDF, quand LibreOffice échoue), à dire à l'utilisateur.
    avertissement: str = ""

    @property
    def fichiers(self) -> list[Path]:
        return [self.docx, *([self.pdf] if self.pdf else []), *self.csv, *self.graphiques]


def dossier_bilan(reglages: Reglages, annee: int) -> Path:
    """« documents/bilans/2027 »."""
    return chemin_sous(reglages.dossier_documents, f"bilans/{annee}")


def entete_du_bilan(session: Session, territoire: Territoire, reglages: Reglages) -> Entete:
    """Le timbre est celui de l'organisme qui convoque les instances (la Ville), à défaut le territoire."""
    instance = session.scalar(
        select(Instance)
        .where(Instance.territoire_id == territoire.id, Instance.partenaire_id.is_not(None))
        .order_by(Instance.id)
    )
    partenaire = instance.partenaire if instance else None
    nom, fonction = reglages.valeur("COORDINATEUR_NOM"), reglages.valeur("COORDINATEUR_FONCTION")
    return Entete(
        institution=partenaire.nom if partenaire else territoire.nom,
        adresse=partenaire.adresse if partenaire else None,
        logo=reglages.logo,
        etabli_par=f"{nom}, {fonction[:1].lower()}{fonction[1:]}" if nom and fonction else (nom or ""),
    )


def chiffres_du_bilan(bilan: Bilan) -> dict[str, Any]:
    """Les chiffres clés en JSON (`ctg bilan --json`, artefact du flux)."""
    total = bilan.presence_totale
    return {
        "annee": bilan.annee,
        "territoire": bilan.territoire,
        "convention": bilan.convention,
        "arrete_au": bilan.arrete_au.isoformat(),
        "reunions_tenues": len(bilan.reunions),
        "reunions_annulees": sum(ligne.annulees for ligne in bilan.instances),
        "reunions_a_venir": sum(ligne.a_venir for ligne in bilan.instances),
        "reunions_presences_relevees": bilan.reunions_relevees,
        "taux_de_presence": total.taux if total.invitations else None,
        "orientations": len(bilan.couverture),
        "orientations_abordees": len(bilan.couverture) - len(bilan.non_abordees),
        "orientations_non_abordees": [ligne.code for ligne in bilan.non_abordees],
        "decisions": bilan.decisions,
        "actions": {ligne.categorie: ligne.nombre for ligne in bilan.actions},
        "actions_en_retard": [a.numero for a in bilan.en_retard],
    }


@dataclass(frozen=True)
class LectureBilan:
    """Ce que la base dit de l'année : les chiffres et l'en-tête du document (des valeurs, plus de session)."""

    annee: int
    territoire_code: str
    bilan: Bilan
    entete: Entete


def lire_pour_bilan(
    session: Session, territoire: Territoire, annee: int, parametres: Parametres, *, arrete_le: datetime
) -> LectureBilan:
    """Vérifie l'année puis lit ses chiffres à l'instant `arrete_le`."""
    verifier_annee(annee, jour_a_paris(arrete_le))
    return LectureBilan(
        annee=annee,
        territoire_code=territoire.code,
        bilan=lire_bilan(session, territoire, annee, arrete_le=arrete_le),
        entete=entete_du_bilan(session, territoire, parametres.reglages),
    )


@dataclass(frozen=True)
class FichierBilan:
    """Un fichier du bilan déjà écrit, à consigner."""

    type_: TypeDocument
    chemin: Path


def ecrire_bilan(lecture: LectureBilan, parametres: Parametres) -> tuple[ResultatBilan, list[FichierBilan]]:
    """Écrit graphiques, CSV, Word et PDF (le travail lent, hors transaction) ; et la liste à consigner."""
    bilan, annee = lecture.bilan, lecture.annee
    dossier = dossier_bilan(parametres.reglages, annee)
    prefixe = nom_de_fichier(f"bilan-{annee}-{lecture.territoire_code}")
    fichiers: list[FichierBilan] = []

    def ecrire(nom: str, type_: TypeDocument, contenu: bytes) -> Path:
        chemin = chemin_sous(dossier, nom)
        ecrire_atomiquement(chemin, contenu)
        fichiers.append(FichierBilan(type_, chemin))
        return chemin

    images = {"couverture": graphique_couverture(bilan.couverture, annee)}
    if bilan.presences:
        images["presence"] = graphique_presence(bilan.presences, annee)
    graphiques = {cle: ecrire(f"{prefixe}-{cle}.png", TypeDocument.BILAN_GRAPHIQUE, png) for cle, png in images.items()}
    csv = [
        ecrire(f"{prefixe}-{nom}.csv", TypeDocument.BILAN_CSV, contenu) for nom, contenu in tableaux_csv(bilan).items()
    ]
    contexte = contexte_bilan(
        bilan, lecture.entete, graphiques=graphiques, fichiers_csv=[chemin.name for chemin in csv]
    )
    docx = ecrire(
        nom_de_fichier(f"bilan-annuel-{annee}-{lecture.territoire_code}.docx"),
        TypeDocument.BILAN_ANNUEL,
        construire_bilan_docx(contexte, modeles=parametres.modeles),
    )
    pdf, avertissement = None, ""
    if parametres.convertir_en_pdf is not None:
        try:
            (pdf,) = parametres.convertir_en_pdf([docx], dossier)
            fichiers.append(FichierBilan(TypeDocument.BILAN_ANNUEL_PDF, pdf))
        except ConversionImpossible as erreur:  # le bilan Word, complet, reste produit et consigné
            avertissement = f"Pas de PDF : {erreur.message}"
    resultat = ResultatBilan(
        annee=annee,
        territoire=bilan.territoire,
        docx=docx,
        convention=bilan.convention,
        pdf=pdf,
        csv=tuple(csv),
        graphiques=tuple(graphiques.values()),
        chiffres_cles=tuple(chiffres_cles(bilan)),
        instances=bilan.instances,
        chiffres=chiffres_du_bilan(bilan),
        avertissement=avertissement,
    )
    return resultat, fichiers


def consigner_bilan(session: Session, fichiers: list[FichierBilan], *, maintenant: datetime, dossier: Path) -> None:
    """Une ligne `Document` par fichier du bilan (mise à jour quand le bilan de l'année est refait)."""
    for fichier in fichiers:
        consigner_document(
            session,
            reunion_id=None,
            personne_id=None,
            type_=fichier.type_,
            version=1,
            chemin=fichier.chemin,
            contenu=None,
            maintenant=maintenant,
            dossier=dossier,
        )
