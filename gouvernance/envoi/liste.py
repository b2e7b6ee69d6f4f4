"""La liste des courriels de la boîte d'envoi : l'état de chacun, la réponse du serveur, son Message-ID.

Un message resté « en cours » après l'arrêt brutal de son envoi s'y montre « incertain » (`incertains.py`),
avec la vérification du coordinateur quand il l'a tranché.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gouvernance.envoi.incertains import est_interrompu, etat_constate
from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import date_complete, moment
from modeles import EtatMessage, Message, Reunion, VerificationMessage
from modeles.vocabulaire import enumerer

#: Ce que demande `ctg courriels --etat …` : les états (tels que montrés) de chaque groupe.
GROUPES: dict[str, tuple[EtatMessage, ...]] = {
    "incertain": (EtatMessage.INCERTAIN,),
    "en-attente": (EtatMessage.A_ENVOYER, EtatMessage.EN_COURS, EtatMessage.ECHEC_TEMPORAIRE),
    "refuse": (EtatMessage.ECHEC,),
    "envoye": (EtatMessage.ENVOYE, EtatMessage.DEPOSE),
}


@dataclass(frozen=True)
class LigneCourriel:
    """Un courriel tel que le montre `ctg courriels`."""

    numero: int
    reunion: int | None
    #: « COPIL, mardi 8 décembre 2026 », ou vide pour un courriel sans réunion (le récapitulatif).
    designation: str
    nature: str
    destinataire: str
    nom_destinataire: str
    objet: str
    #: L'état montré : celui enregistré, sauf « incertain » pour un envoi interrompu resté « en cours ».
    etat: EtatMessage
    etat_libelle: str
    reponse_serveur: str | None
    message_id: str
    tentatives: int
    tente_le: datetime | None
    accepte_le: datetime | None
    #: « confirmé reçu par camille le … — « note » » : la dernière décision du coordinateur, s'il en a pris.
    verification: str | None

    def en_json(self) -> dict[str, object]:
        return {
            "numero": self.numero,
            "reunion": self.reunion,
            "designation": self.designation or None,
            "nature": self.nature,
            "destinataire": self.destinataire,
            "nom_destinataire": self.nom_destinataire or None,
            "objet": self.objet,
            "etat": str(self.etat),
            "etat_libelle": self.etat_libelle,
            "reponse_serveur": self.reponse_serveur,
            "message_id": self.message_id,
            "tentatives": self.tentatives,
            "tente_le": self.tente_le.isoformat() if self.tente_le else None,
            "accepte_le": self.accepte_le.isoformat() if self.accepte_le else None,
            "verification": self.verification,
        }


def lister_messages(
    session: Session, *, groupe: str | None = None, reunion: int | None = None, maintenant: datetime
) -> list[LigneCourriel]:
    """Les courriels (du `groupe` d'états et de la réunion `reunion` s'ils sont donnés), dans l'ordre d'envoi."""
    if groupe is not None and groupe not in GROUPES:
        raise DonneesInvalides(f"État « {groupe} » inconnu : choisissez {enumerer(list(GROUPES))}.")
    requete = select(Message).options(selectinload(Message.reunion).selectinload(Reunion.instance)).order_by(Message.id)
    if reunion is not None:
        requete = requete.where(Message.reunion_id == reunion)
    if groupe is not None:
        # Un message « en cours » peut être montré incertain : il est lu, puis classé par son état constaté.
        requete = requete.where(Message.etat.in_({*GROUPES[groupe], EtatMessage.EN_COURS}))
    messages = list(session.scalars(requete))
    verifications = _dernieres_verifications(session, [message.id for message in messages])
    lignes = [_ligne(message, verifications.get(message.id), maintenant) for message in messages]
    return [ligne for ligne in lignes if groupe is None or ligne.etat in GROUPES[groupe]]


def _dernieres_verifications(session: Session, numeros: list[int]) -> dict[int, VerificationMessage]:
    requete = (
        select(VerificationMessage)
        .where(VerificationMessage.message_id.in_(numeros))
        .order_by(VerificationMessage.le, VerificationMessage.id)
    )
    return {verification.message_id: verification for verification in session.scalars(requete)}


def _ligne(message: Message, verification: VerificationMessage | None, maintenant: datetime) -> LigneCourriel:
    reunion = message.reunion
    etat = etat_constate(message, maintenant)
    libelle = etat.libelle
    if est_interrompu(message, maintenant):
        depuis = f" le {moment(message.tente_le)}" if message.tente_le else ""
        libelle = f"incertain (envoi interrompu{depuis}, resté en cours)"
    return LigneCourriel(
        numero=message.id,
        reunion=message.reunion_id,
        designation=f"{reunion.instance.code}, {date_complete(reunion.debut)}" if reunion else "",
        nature=message.nature.libelle,
        destinataire=message.destinataire,
        nom_destinataire=message.nom_destinataire or "",
        objet=message.objet,
        etat=etat,
        etat_libelle=libelle,
        reponse_serveur=message.reponse_serveur,
        message_id=message.message_id,
        tentatives=message.tentatives,
        tente_le=message.tente_le,
        accepte_le=message.accepte_le,
        verification=decrire_verification(verification) if verification else None,
    )


def decrire_verification(verification: VerificationMessage) -> str:
    """« confirmé reçu par le destinataire (camille, le mardi 8 décembre 2026 à 9 h 00) — « appel » »."""
    texte = f"{verification.issue.libelle} ({verification.par}, le {moment(verification.le)})"
    return f"{texte} — « {verification.note} »" if verification.note else texte
