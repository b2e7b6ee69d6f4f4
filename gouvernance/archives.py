"""Consigner chaque fichier produit ou reçu : son chemin, sa version et son empreinte SHA-256."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.fichiers import chemin_enregistre, ecrire_atomiquement
from modeles import Document, TypeDocument


def consigner_document(
    session: Session,
    *,
    reunion_id: int | None,
    personne_id: int | None,
    type_: TypeDocument,
    version: int,
    chemin: Path,
    contenu: bytes | None,
    maintenant: datetime,
    dossier: Path,
) -> Path:
    """Écrit le fichier (s'il est donné) puis crée ou met à jour sa ligne `Document` (un fichier, une ligne).

    Le chemin est enregistré relatif au dossier des données (`dossier`, CTG_HOME) quand il s'y trouve.
    """
    if contenu is not None:
        ecrire_atomiquement(chemin, contenu)
    # Le contenu qu'on vient d'écrire n'est pas relu ; un fichier produit par ailleurs (PDF) l'est.
    consigner_empreinte(
        session,
        reunion_id=reunion_id,
        personne_id=personne_id,
        type_=type_,
        version=version,
        chemin=chemin,
        empreinte=empreinte(contenu if contenu is not None else chemin.read_bytes()),
        maintenant=maintenant,
        dossier=dossier,
    )
    return chemin


def empreinte(contenu: bytes) -> str:
    """L'empreinte SHA-256 d'un fichier, en hexadécimal."""
    return hashlib.sha256(contenu).hexdigest()


def consigner_empreinte(
    session: Session,
    *,
    reunion_id: int | None,
    personne_id: int | None,
    type_: TypeDocument,
    version: int,
    chemin: Path,
    empreinte: str,
    maintenant: datetime,
    dossier: Path,
) -> None:
    """Crée ou met à jour la ligne `Document` d'un fichier déjà écrit (un fichier, une ligne) ; son chemin est
    enregistré relatif au dossier des données (`dossier`, CTG_HOME) quand il s'y trouve."""
    enregistre = chemin_enregistre(dossier, chemin)
    document = session.scalar(select(Document).where(Document.reunion_id == reunion_id, Document.chemin == enregistre))
    if document is None:
        document = Document(reunion_id=reunion_id, chemin=enregistre, type=type_, version=version)
        session.add(document)
    document.personne_id = personne_id
    document.empreinte = empreinte
    document.cree_le = maintenant


def dernier_document(session: Session, type_: str) -> Document | None:
    """Le dernier document consigné de ce type (le plus récent projet de compte rendu, par exemple)."""
    return session.scalars(select(Document).where(Document.type == type_).order_by(Document.id.desc())).first()
