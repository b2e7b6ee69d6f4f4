"""Les étapes des documents du compte rendu : lire la base, écrire les fichiers, noter l'état, diffuser."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.archives import consigner_document
from gouvernance.comptes_rendus.preparation import construire_vue_compte_rendu
from gouvernance.comptes_rendus.vue import CompteRenduVue
from gouvernance.courriel import construire_courriel, construire_message_id, piece_jointe, texte_compte_rendu
from gouvernance.documents.nommage import chemin_sous, nom_de_fichier
from gouvernance.envoi.boite import ecrire_courriel
from gouvernance.erreurs import DonneesInvalides
from gouvernance.fichiers import ecrire_atomiquement
from gouvernance.reglages import Reglages
from gouvernance.reunions.envoi_reunion import Parametres, dossier_reunion
from gouvernance.reunions.lecture import construire_vue, vue_personne
from gouvernance.reunions.vue import FUSEAU, PersonneVue, ReunionVue
from modeles import (
    CompteRendu,
    Document,
    EtatMessage,
    Message,
    NatureMessage,
    Reunion,
    StatutCompteRendu,
    StatutReunion,
    TypeDocument,
)


def dossier_compte_rendu(reglages: Reglages, reunion: Reunion) -> Path:
    return dossier_reunion(reglages, reunion) / "compte-rendu"


@dataclass(frozen=True)
class Piece:
    """Un fichier de la réunion à consigner : son type, sa version et son chemin."""

    type_: TypeDocument
    version: int
    chemin: Path


@dataclass(frozen=True)
class Redaction:
    """Ce que la base dit d'un document à écrire : son contenu (la vue) et le fichier qui le recevra."""

    vue: CompteRenduVue
    piece: Piece


def ecrire_avec_pdf(piece: Piece, contenu: bytes | None, parametres: Parametres) -> list[Piece]:
    """Écrit le .docx (s'il est donné) et en tire le PDF avec LibreOffice : du travail lent, hors transaction."""
    if contenu is not None:
        ecrire_atomiquement(piece.chemin, contenu)
    if parametres.convertir_en_pdf is None:
        return [piece]
    (pdf,) = parametres.convertir_en_pdf([piece.chemin], piece.chemin.parent)
    return [piece, Piece(piece.type_.en_pdf, piece.version, pdf)]


def consigner_pieces(
    session: Session, reunion_id: int, pieces: list[Piece], *, maintenant: datetime, dossier: Path
) -> list[Path]:
    """Consigne les fichiers déjà écrits (leur empreinte est relue), sans destinataire particulier."""
    return [
        consigner_document(
            session,
            reunion_id=reunion_id,
            personne_id=None,
            type_=piece.type_,
            version=piece.version,
            chemin=piece.chemin,
            contenu=None,
            maintenant=maintenant,
            dossier=dossier,
        )
        for piece in pieces
    ]


def lire_emargement(session: Session, reunion: Reunion, parametres: Parametres) -> Redaction:
    """Ce que porte la feuille d'émargement, et où l'écrire."""
    vue = construire_vue_compte_rendu(session, reunion, parametres.reglages, date_document=jour_du_document(parametres))
    dossier = dossier_compte_rendu(parametres.reglages, reunion)
    chemin = chemin_sous(dossier, nom_de_fichier(f"emargement-{reunion.instance.code}.docx"))
    return Redaction(vue, Piece(TypeDocument.EMARGEMENT, reunion.sequence, chemin))


def exiger_projet_possible(session: Session, reunion: Reunion) -> CompteRendu | None:
    """Le compte rendu de la réunion (None s'il n'y en a pas encore) ; DonneesInvalides s'il n'est plus à écrire."""
    if reunion.statut is StatutReunion.ANNULEE:
        raise DonneesInvalides(f"La réunion n°{reunion.id} a été annulée : elle n'a pas de compte rendu.")
    compte_rendu = session.scalar(select(CompteRendu).where(CompteRendu.reunion_id == reunion.id))
    if compte_rendu is not None and compte_rendu.statut.est_fige:
        raise DonneesInvalides(f"Le compte rendu de la réunion n°{reunion.id} est validé : il n'est plus régénéré.")
    return compte_rendu


def lire_projet(session: Session, reunion: Reunion, parametres: Parametres) -> Redaction:
    """Le projet de compte rendu à écrire ; chaque génération est une nouvelle version."""
    exiger_projet_possible(session, reunion)
    vue = construire_vue_compte_rendu(session, reunion, parametres.reglages, date_document=jour_du_document(parametres))
    nom = nom_de_fichier(f"compte-rendu-{reunion.instance.code}-v{vue.version}.docx")
    chemin = chemin_sous(dossier_compte_rendu(parametres.reglages, reunion), nom)
    return Redaction(vue, Piece(TypeDocument.COMPTE_RENDU_PROJET, vue.version, chemin))


def noter_projet(session: Session, reunion: Reunion, version: int, *, maintenant: datetime) -> None:
    """Enregistre la génération du projet `version`, après avoir revérifié qu'il est encore à écrire."""
    compte_rendu = exiger_projet_possible(session, reunion)
    if compte_rendu is None:
        compte_rendu = CompteRendu(reunion_id=reunion.id, genere_le=maintenant, version=version)
        session.add(compte_rendu)
    compte_rendu.version = version
    compte_rendu.genere_le = maintenant


def archiver_import(
    session: Session, reunion: Reunion, contenu: bytes, version: int, *, reglages: Reglages, maintenant: datetime
) -> Path:
    """Garde le fichier relu du secrétaire, avec son empreinte : la trace de ce qui a été importé."""
    court = hashlib.sha256(contenu).hexdigest()[:10]
    nom = nom_de_fichier(f"compte-rendu-{reunion.instance.code}-v{version}-importe-{court}.docx")
    return consigner_document(
        session,
        reunion_id=reunion.id,
        personne_id=None,
        type_=TypeDocument.COMPTE_RENDU_IMPORTE,
        version=version,
        chemin=chemin_sous(dossier_compte_rendu(reglages, reunion), nom),
        contenu=contenu,
        maintenant=maintenant,
        dossier=reglages.dossier,
    )


def preparer_diffusion(session: Session, reunion: Reunion, parametres: Parametres) -> list[int]:
    """Un courriel par invité (présent ou non) avec le compte rendu validé ; jamais deux pour la même version."""
    compte_rendu = session.scalar(select(CompteRendu).where(CompteRendu.reunion_id == reunion.id))
    if compte_rendu is None or not compte_rendu.statut.est_fige:
        raise DonneesInvalides(
            f"Le compte rendu de la réunion n°{reunion.id} doit être validé avant d'être diffusé "
            f"(`ctg compte-rendu valider {reunion.id}`)."
        )
    piece = piece_jointe(_piece_validee(session, reunion, parametres.reglages))  # lue une fois pour tous les invités
    vue = construire_vue(reunion, parametres.reglages)
    existants = {m.cle: m.id for m in session.scalars(select(Message).where(Message.reunion_id == reunion.id))}
    identifiants = []
    for invitation in reunion.invitations:
        personne = vue_personne(invitation.personne, invitation.role)
        cle = f"{reunion.uid}/compte-rendu/v{compte_rendu.version}/{personne.email}"
        if cle in existants:
            identifiants.append(existants[cle])
            continue
        message = _message(reunion, vue, personne, cle=cle, piece=piece, parametres=parametres)
        session.add(message)
        session.flush()
        identifiants.append(message.id)
    compte_rendu.statut = StatutCompteRendu.DIFFUSE
    return identifiants


def _piece_validee(session: Session, reunion: Reunion, reglages: Reglages) -> Path:
    for type_ in (TypeDocument.COMPTE_RENDU_VALIDE_PDF, TypeDocument.COMPTE_RENDU_VALIDE):
        document = session.scalar(
            select(Document)
            .where(Document.reunion_id == reunion.id, Document.type == type_)
            .order_by(Document.id.desc())
        )
        if document is not None and reglages.fichier(document.chemin).is_file():
            return reglages.fichier(document.chemin)
    raise DonneesInvalides("Le compte rendu validé est introuvable : validez-le de nouveau.")


def _message(
    reunion: Reunion,
    vue: ReunionVue,
    personne: PersonneVue,
    *,
    cle: str,
    piece: tuple[str, str, bytes],
    parametres: Parametres,
) -> Message:
    objet, texte, html = texte_compte_rendu(vue, personne)
    message_id = construire_message_id(vue.coordinateur.email.rpartition("@")[2] or "ctg.invalid", cle)
    contenu = construire_courriel(
        expediteur=(vue.coordinateur.nom, vue.coordinateur.email),
        destinataire=(personne.nom_complet, personne.email),
        objet=objet,
        texte=texte,
        html=html,
        calendrier=None,
        methode=None,
        pieces_jointes=[piece],
        message_id=message_id,
        horodatage=parametres.maintenant,
        repondre_a=vue.coordinateur.email,
    )
    court = hashlib.sha256(personne.email.encode()).hexdigest()[:8]
    nom = f"{jour_du_document(parametres).isoformat()}-compte-rendu-{reunion.id}-{court}.eml"
    chemin = ecrire_courriel(parametres.reglages, smtp=parametres.smtp, nom=nom, contenu=contenu)
    return Message(
        cle=cle,
        reunion_id=reunion.id,
        nature=NatureMessage.COMPTE_RENDU,
        sequence=reunion.sequence,
        destinataire=personne.email,
        nom_destinataire=personne.nom_complet,
        objet=objet,
        message_id=message_id,
        chemin=parametres.reglages.chemin_enregistre(chemin),
        etat=EtatMessage.A_ENVOYER,
        cree_le=parametres.maintenant,
    )


def jour_du_document(parametres: Parametres) -> date:
    """Le jour à Paris de `parametres.maintenant` : la date écrite sur les documents."""
    return parametres.maintenant.astimezone(FUSEAU).date()
