"""La validation du compte rendu : quand elle est possible, ce qu'elle écrit, et ce qu'elle fige."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.comptes_rendus.lecture_docx import lire_compte_rendu
from gouvernance.comptes_rendus.officiel import construire_vue_officielle
from gouvernance.comptes_rendus.production import Piece, Redaction, jour_du_document
from gouvernance.comptes_rendus.regles import exiger_compte_rendu_complet, exiger_reunion_tenue
from gouvernance.documents.nommage import chemin_sous, nom_de_fichier
from gouvernance.erreurs import DonneesInvalides
from gouvernance.reglages import Reglages
from gouvernance.reunions.envoi_reunion import Parametres
from modeles import CompteRendu, Document, Reunion, StatutCompteRendu, TypeDocument


def exiger_validation_possible(session: Session, reunion: Reunion, *, maintenant: datetime) -> CompteRendu:
    """Le compte rendu importé, complet, d'une réunion tenue, pas encore validé ; DonneesInvalides sinon."""
    exiger_reunion_tenue(reunion, maintenant, "validé")
    compte_rendu = session.scalar(select(CompteRendu).where(CompteRendu.reunion_id == reunion.id))
    if compte_rendu is None or compte_rendu.statut is StatutCompteRendu.PROJET:
        raise DonneesInvalides(
            f"Le compte rendu de la réunion n°{reunion.id} n'a pas encore été relu : importez d'abord le fichier "
            f"du secrétaire avec `ctg compte-rendu importer {reunion.id} FICHIER.docx`."
        )
    if compte_rendu.statut.est_fige:
        raise DonneesInvalides(f"Le compte rendu de la réunion n°{reunion.id} est déjà validé.")
    exiger_compte_rendu_complet(reunion, compte_rendu)
    return compte_rendu


@dataclass(frozen=True)
class Validation:
    """La version officielle à écrire, et l'import dont elle est tirée (un réimport d'ici là la périme)."""

    redaction: Redaction
    importe_le: datetime | None


def lire_validation(session: Session, reunion: Reunion, parametres: Parametres) -> Validation:
    """La version officielle à écrire, d'après ce que l'import a relevé, et le fichier qui la recevra.

    Le fichier du secrétaire, gardé à l'import, reste la source ; il n'est relu que pour savoir quelles actions
    des réunions précédentes la réunion a passées en revue.
    """
    compte_rendu = exiger_validation_possible(session, reunion, maintenant=parametres.maintenant)
    importe = _dernier_import(session, reunion, parametres.reglages)
    lu = lire_compte_rendu(importe.read_bytes(), nom_fichier=importe.name)
    vue = construire_vue_officielle(
        session,
        reunion,
        parametres.reglages,
        date_document=jour_du_document(parametres),
        actions_suivies=[a.identifiant for a in lu.actions_ouvertes if a.identifiant is not None],
    )
    chemin = chemin_sous(importe.parent, nom_de_fichier(f"compte-rendu-{reunion.instance.code}-valide.docx"))
    redaction = Redaction(vue, Piece(TypeDocument.COMPTE_RENDU_VALIDE, compte_rendu.version, chemin))
    return Validation(redaction, compte_rendu.importe_le)


def noter_validation(session: Session, reunion: Reunion, *, maintenant: datetime, importe_le: datetime | None) -> None:
    """Fige le compte rendu (plus d'import ni de génération), après avoir revérifié qu'il peut l'être et que
    la version officielle écrite vient bien du dernier import (`importe_le`)."""
    compte_rendu = exiger_validation_possible(session, reunion, maintenant=maintenant)
    if compte_rendu.importe_le != importe_le:
        raise DonneesInvalides(
            f"Le compte rendu de la réunion n°{reunion.id} a été réimporté pendant sa validation : rien n'est "
            f"figé. Relancez `ctg compte-rendu valider {reunion.id}`."
        )
    compte_rendu.statut = StatutCompteRendu.VALIDE
    compte_rendu.valide_le = maintenant


def _dernier_import(session: Session, reunion: Reunion, reglages: Reglages) -> Path:
    document = session.scalar(
        select(Document)
        .where(Document.reunion_id == reunion.id, Document.type == TypeDocument.COMPTE_RENDU_IMPORTE)
        .order_by(Document.cree_le.desc(), Document.id.desc())
    )
    if document is None or not reglages.fichier(document.chemin).is_file():
        raise DonneesInvalides("Le fichier importé du compte rendu est introuvable : importez-le de nouveau.")
    return reglages.fichier(document.chemin)
