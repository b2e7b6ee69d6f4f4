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


def produire_bilan(
    session: Session, territoire: Territoire, annee: int, parametres: Parametres, *, arrete_le: datetime
) -> ResultatBilan:
    """Calcule le bilan de `annee` à l'instant `arrete_le`, écrit et consigne ses fichiers."""
    verifier_annee(annee, jour_a_paris(arrete_le))
    bilan = lire_bilan(session, territoire, annee, arrete_le=arrete_le)
    dossier = dossier_bilan(parametres.reglages, annee)
    prefixe = nom_de_fichier(f"bilan-{annee}-{territoire.code}")

    def consigner(nom: str, type_: TypeDocument, contenu: bytes | None) -> Path:
        return consigner_document(
            session,
            reunion_id=None,
            personne_id=None,
            type_=type_,
            version=1,
            chemin=chemin_sous(dossier, nom),
            contenu=contenu,
            maintenant=parametres.maintenant,
            dossier=parametres.reglages.dossier,
        )

    images = {"couverture": graphique_couverture(bilan.couverture, annee)}
    if bilan.presences:
        images["presence"] = graphique_presence(bilan.presences, annee)
    graphiques = {
        cle: consigner(f"{prefixe}-{cle}.png", TypeDocument.BILAN_GRAPHIQUE, png) for cle, png in images.items()
    }
    csv = [
        consigner(f"{prefixe}-{nom}.csv", TypeDocument.BILAN_CSV, contenu)
        for nom, contenu in tableaux_csv(bilan).items()
    ]
    contexte = contexte_bilan(
        bilan,
        entete_du_bilan(session, territoire, parametres.reglages),
        graphiques=graphiques,
        fichiers_csv=[chemin.name for chemin in csv],
    )
    docx = consigner(
        nom_de_fichier(f"bilan-annuel-{annee}-{territoire.code}.docx"),
        TypeDocument.BILAN_ANNUEL,
        construire_bilan_docx(contexte, modeles=parametres.modeles),
    )
    pdf, avertissement = None, ""
    if parametres.convertir_en_pdf is not None:
        try:
            (converti,) = parametres.convertir_en_pdf([docx], dossier)
            pdf = consigner(converti.name, TypeDocument.BILAN_ANNUEL_PDF, None)
        except ConversionImpossible as erreur:  # le bilan Word, complet, reste produit et consigné
            avertissement = f"Pas de PDF : {erreur.message}"
    return ResultatBilan(
        annee=annee,
        territoire=territoire.nom,
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
