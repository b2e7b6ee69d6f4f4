"""Supprimer une réunion planifiée par erreur : elle, ses documents et leurs fichiers ; jamais une réunion convoquée.

Une réunion convoquée est dans l'agenda de ses invités : seule une annulation (`ctg reunion annuler`) la
leur retire. Une réunion jamais convoquée n'a rien laissé chez personne : elle peut disparaître.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides
from gouvernance.fichiers import chemin_reel
from gouvernance.francais import date_complete
from gouvernance.references import references_vers
from gouvernance.reunions.description import exiger_reunion
from modeles import Document, Message, Reunion, StatutReunion
from modeles.moteur import ouvrir_session


@dataclass(frozen=True)
class Suppression:
    reunion_id: int
    #: « COPIL du mardi 8 décembre 2026 », pour le message de la commande.
    designation: str
    #: Les fichiers de ses documents effacés du disque.
    fichiers_effaces: int


def supprimer_reunion(moteur: Engine, reunion_id: int, *, dossier: Path) -> Suppression:
    """Supprime la réunion jamais convoquée, ses points, ses invitations et ses documents, puis leurs fichiers.

    La base est écrite d'abord, dans une transaction courte ; les fichiers ne sont effacés qu'ensuite, une fois
    la suppression enregistrée. Une réunion convoquée (ou tenue) est refusée : elle s'annule.
    """
    with ouvrir_session(moteur, ecriture=True) as session:
        reunion = exiger_reunion(session, reunion_id)
        _verifier_supprimable(session, reunion)
        designation = f"{reunion.instance.code} du {date_complete(reunion.debut)}"
        chemins = list(session.scalars(select(Document.chemin).where(Document.reunion_id == reunion.id)))
        session.execute(delete(Document).where(Document.reunion_id == reunion.id))
        _refuser_references(session, reunion)
        session.delete(reunion)
    effaces = 0
    for enregistre in chemins:
        fichier = chemin_reel(dossier, enregistre)
        if fichier.is_file():
            fichier.unlink()
            effaces += 1
        _retirer_dossiers_vides(fichier.parent, dossier)
    return Suppression(reunion_id, designation, effaces)


def _verifier_supprimable(session: Session, reunion: Reunion) -> None:
    courriels = session.scalar(select(func.count()).select_from(Message).where(Message.reunion_id == reunion.id))
    convoquee = reunion.convoquee_le is not None or reunion.statut in (StatutReunion.CONVOQUEE, StatutReunion.TENUE)
    if not (convoquee or courriels):
        return
    if reunion.statut is StatutReunion.ANNULEE:
        raise DonneesInvalides(
            f"La réunion n°{reunion.id} a été convoquée puis annulée : ses invités ont reçu la convocation et "
            "l'annulation, elle reste dans l'historique. Elle ne peut pas être supprimée."
        )
    raise DonneesInvalides(
        f"La réunion n°{reunion.id} a été convoquée : elle est dans l'agenda de ses invités et ne peut pas "
        f"être supprimée. Annulez-la : `ctg reunion annuler {reunion.id} --motif « … »` (les invités sont "
        "prévenus et leur agenda la retire)."
    )


def _refuser_references(session: Session, reunion: Reunion) -> None:
    """Un compte rendu, une décision ou une action rattachés à la réunion ne disparaissent pas avec elle."""
    references = references_vers(session, "reunions", reunion.id)
    if references:
        raise DonneesInvalides(
            f"La réunion n°{reunion.id} est citée par {', '.join(references)} : elle ne peut pas être supprimée. "
            f"Annulez-la plutôt : `ctg reunion annuler {reunion.id} --motif « … »`."
        )


def _retirer_dossiers_vides(dossier: Path, racine: Path) -> None:
    """Retire les dossiers de la réunion devenus vides (« …/reunion-7/v0 », puis « …/reunion-7 »)."""
    documents = racine / "documents"
    while dossier != documents and documents in dossier.parents:
        try:
            dossier.rmdir()
        except OSError:
            return
        dossier = dossier.parent
