"""Les réponses mises de côté « à vérifier » : les lister, et les accepter ou les rejeter (c'est écrit).

Une réponse est mise de côté quand son expéditeur n'est pas une adresse de l'invité qu'elle nomme (un invité
qui répond pour un autre, une invitation transférée à un tiers) ou quand le serveur de réception n'a pas pu
authentifier l'expéditeur. Le coordinateur vérifie auprès de la personne, puis tranche.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.francais import date_complete, moment
from gouvernance.reunions.reponses import VERBES, ReponseEcartee, enregistrer_sur_invitation, verifier_fraicheur
from gouvernance.reunions.reponses_itip import ReponseItip, nettoyer
from modeles import EtatReponseAVerifier, Invitation, ReponseAVerifier, Reunion


@dataclass(frozen=True)
class ReponseMiseDeCote:
    """Une réponse à vérifier, telle qu'on la montre."""

    numero: int
    reunion: int
    #: « COPIL, mardi 8 décembre 2026 »
    designation: str
    participant: str
    reponse: str
    commentaire: str | None
    delegue_a: str | None
    expediteurs: str
    motif: str
    source: str
    recue_le: datetime
    etat: str

    @property
    def ligne(self) -> str:
        """« n°3 — réunion n°1 (COPIL, …) : karim@example.org s'est excusé(e), envoyée par x@y — motif »"""
        quoi = f"{self.participant} {VERBES[self.reponse].removesuffix(' la')}"
        if self.delegue_a:
            quoi += f" (à {self.delegue_a})"
        if self.commentaire:
            quoi += f" « {nettoyer(self.commentaire, 80)} »"
        de = f", envoyée par {self.expediteurs}" if self.expediteurs else ""
        return f"n°{self.numero} — réunion n°{self.reunion} ({self.designation}) : {quoi}{de} — {self.motif}"

    def en_json(self) -> dict[str, object]:
        return {
            "numero": self.numero,
            "reunion": self.reunion,
            "participant": self.participant,
            "reponse": self.reponse,
            "commentaire": self.commentaire,
            "delegue_a": self.delegue_a,
            "expediteurs": self.expediteurs.split(", ") if self.expediteurs else [],
            "motif": self.motif,
            "source": self.source,
            "recue_le": self.recue_le.isoformat(),
            "etat": self.etat,
            "etat_libelle": EtatReponseAVerifier(self.etat).libelle,
        }


def lister_a_verifier(session: Session, *, reunion: int | None = None) -> list[ReponseMiseDeCote]:
    """Les réponses encore à vérifier (de la réunion `reunion`, ou de toutes), les plus anciennes d'abord."""
    requete = (
        select(ReponseAVerifier)
        .where(ReponseAVerifier.etat == EtatReponseAVerifier.A_VERIFIER)
        .options(selectinload(ReponseAVerifier.invitation).selectinload(Invitation.reunion))
        .order_by(ReponseAVerifier.id)
    )
    if reunion is not None:
        requete = requete.join(Invitation).where(Invitation.reunion_id == reunion)
    return [_vue(ligne) for ligne in session.scalars(requete)]


def accepter_reponse(session: Session, numero: int, *, maintenant: datetime) -> str:
    """Enregistre la réponse à vérifier n°`numero` sur l'invitation, comme si elle venait de l'invité."""
    ligne = _a_trancher(session, numero)
    invitation = ligne.invitation
    reunion = invitation.reunion
    if reunion.statut == "annulee":
        raise DonneesInvalides(
            f"La réponse à vérifier n°{numero} porte sur une réunion annulée : elle ne peut plus être enregistrée. "
            f"Écartez-la avec `ctg reponses rejeter {numero}`."
        )
    reponse = ReponseItip(
        uid=reunion.uid,
        email=ligne.participant,
        partstat=ligne.reponse,
        sequence=ligne.sequence,
        horodatage=ligne.horodatage,
        commentaire=ligne.commentaire,
        delegue_a=ligne.delegue_a,
    )
    try:
        verifier_fraicheur(session, reponse, reunion, invitation, horodatage=ligne.horodatage, maintenant=maintenant)
    except ReponseEcartee as ecartee:
        if ecartee.etat == "refuse":
            raise DonneesInvalides(
                f"La réponse à vérifier n°{numero} ne peut pas être enregistrée : {ecartee.texte}. "
                f"Écartez-la avec `ctg reponses rejeter {numero}`."
            ) from None
        texte = f"Réponse n°{numero} acceptée, mais rien ne change : {ecartee.texte}."
    else:
        texte = (
            f"Réponse n°{numero} acceptée et enregistrée : "
            f"{enregistrer_sur_invitation(session, invitation, reponse, horodatage=ligne.horodatage)}."
        )
    ligne.etat = EtatReponseAVerifier.ACCEPTEE
    ligne.tranchee_le = maintenant
    session.flush()
    return texte


def rejeter_reponse(session: Session, numero: int, *, maintenant: datetime) -> str:
    """Écarte la réponse à vérifier n°`numero` : l'invitation ne change pas ; le rejet reste écrit."""
    ligne = _a_trancher(session, numero)
    ligne.etat = EtatReponseAVerifier.REJETEE
    ligne.tranchee_le = maintenant
    session.flush()
    return (
        f"Réponse n°{numero} rejetée : la réponse de {ligne.invitation.personne.email} à la réunion "
        f"n°{ligne.invitation.reunion_id} reste inchangée."
    )


def _a_trancher(session: Session, numero: int) -> ReponseAVerifier:
    ligne = session.get(ReponseAVerifier, numero)
    if ligne is None:
        raise Introuvable(f"Aucune réponse à vérifier ne porte le n°{numero} : `ctg reponses a-verifier` les liste.")
    if ligne.etat is not EtatReponseAVerifier.A_VERIFIER:
        quand = f" le {moment(ligne.tranchee_le)}" if ligne.tranchee_le else ""
        raise DonneesInvalides(
            f"La réponse à vérifier n°{numero} a déjà été {ligne.etat.libelle.split(' par ')[0]}{quand} : "
            "rien n'a changé."
        )
    return ligne


def _vue(ligne: ReponseAVerifier) -> ReponseMiseDeCote:
    reunion: Reunion = ligne.invitation.reunion
    return ReponseMiseDeCote(
        numero=ligne.id,
        reunion=reunion.id,
        designation=f"{reunion.instance.code}, {date_complete(reunion.debut)}",
        participant=ligne.participant,
        reponse=ligne.reponse,
        commentaire=ligne.commentaire,
        delegue_a=ligne.delegue_a,
        expediteurs=ligne.expediteurs,
        motif=ligne.motif,
        source=ligne.source,
        recue_le=ligne.recue_le,
        etat=ligne.etat,
    )
