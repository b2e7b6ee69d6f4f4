"""Les réponses des invités (iTIP REPLY d'Outlook, Gmail, Thunderbird) : les vérifier, puis les enregistrer.

Une réponse s'enregistre sur l'invitation de la personne (PARTSTAT, COMMENT, DTSTAMP). Elle est refusée,
et signalée, quand sa réunion est inconnue ou annulée, quand la personne n'y est pas invitée ou quand elle
répond à une version dépassée ; elle est ignorée quand une réponse aussi récente est déjà enregistrée :
importer deux fois le même dossier ne change rien.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.francais import date_complete, moment
from gouvernance.reunions.reponses_fichiers import FichierLu, lire_fichier, lire_octets, lister_fichiers
from gouvernance.reunions.reponses_itip import ReponseItip, nettoyer
from modeles import Invitation, Reunion

Etat = Literal["applique", "ignore", "refuse"]

#: Ce qu'a répondu l'invité, en français, pour la ligne affichée.
VERBES = {
    "ACCEPTED": "a accepté la",
    "DECLINED": "s'est excusé(e) pour la",
    "TENTATIVE": "a répondu peut-être pour la",
    "DELEGATED": "a délégué sa participation à la",
}


@dataclass(frozen=True)
class ResultatReponse:
    """Ce qu'est devenue une réponse (ou un fichier sans réponse) : appliquée, ignorée ou refusée, et pourquoi."""

    fichier: str
    etat: Etat
    #: La phrase qui décrit la réponse (appliquée) ou la raison de l'écarter.
    texte: str
    reunion: int | None = None
    email: str | None = None
    reponse: str | None = None
    commentaire: str | None = None
    delegue_a: str | None = None

    @property
    def raison(self) -> str | None:
        """Pourquoi la réponse n'a pas été enregistrée ; None si elle l'a été."""
        return None if self.etat == "applique" else self.texte

    @property
    def ligne(self) -> str:
        """La ligne affichée pour ce fichier."""
        if self.etat == "applique":
            return f"{self.fichier} : {self.texte}"
        qui = ", ".join(filter(None, [self.email, f"réunion n°{self.reunion}" if self.reunion else None]))
        return f"{self.fichier}{f' ({qui})' if qui else ''} : {self.texte}"

    def en_json(self) -> dict[str, Any]:
        """Le résultat pour `--json`."""
        return {
            "fichier": self.fichier,
            "reunion": self.reunion,
            "email": self.email,
            "reponse": self.reponse,
            "etat": self.etat,
            "raison": self.raison,
            "commentaire": self.commentaire,
            "delegue_a": self.delegue_a,
        }


@dataclass(frozen=True)
class BilanReponses:
    """Les résultats d'un import, fichier par fichier, dans l'ordre de lecture."""

    resultats: tuple[ResultatReponse, ...]

    def nombre(self, etat: Etat) -> int:
        """Le nombre de résultats dans l'état `etat`."""
        return sum(1 for resultat in self.resultats if resultat.etat == etat)

    def resume(self, *, simulation: bool = False) -> str:
        """« 3 fichiers lus : 2 réponses enregistrées, 0 ignorée, 1 refusée. »"""
        fichiers = len({resultat.fichier for resultat in self.resultats})
        appliquees = self.nombre("applique")
        if simulation:
            enregistrees = f"{_compter(appliquees, 'réponse à enregistrer', 'réponses à enregistrer')}"
        else:
            enregistrees = f"{_compter(appliquees, 'réponse enregistrée', 'réponses enregistrées')}"
        debut = "Simulation, rien n'a été enregistré. " if simulation else ""
        return (
            f"{debut}{_compter(fichiers, 'fichier lu', 'fichiers lus')} : {enregistrees}, "
            f"{_compter(self.nombre('ignore'), 'ignorée', 'ignorées')}, "
            f"{_compter(self.nombre('refuse'), 'refusée', 'refusées')}."
        )


def importer_reponses(session: Session, chemins: Sequence[Path], *, maintenant: datetime) -> BilanReponses:
    """Lit les fichiers et dossiers `chemins` et enregistre leurs réponses ; Introuvable si un chemin manque."""
    lus = [lire_fichier(chemin) for chemin in lister_fichiers(chemins)]
    return appliquer_fichiers(session, lus, maintenant=maintenant)


def importer_octets(session: Session, fichiers: Sequence[tuple[str, bytes]], *, maintenant: datetime) -> BilanReponses:
    """Enregistre les réponses de contenus déjà lus, donnés par (nom du fichier, octets)."""
    return appliquer_fichiers(session, [lire_octets(nom, octets) for nom, octets in fichiers], maintenant=maintenant)


def appliquer_fichiers(session: Session, lus: Sequence[FichierLu], *, maintenant: datetime) -> BilanReponses:
    """Enregistre les réponses des fichiers lus, dans l'ordre ; un fichier sans réponse est signalé refusé."""
    resultats: list[ResultatReponse] = []
    for lu in lus:
        if lu.probleme is not None or not lu.reponses:
            resultats.append(ResultatReponse(lu.fichier, "refuse", lu.probleme or "aucune réponse dans ce fichier"))
        for reponse in lu.reponses:
            resultats.append(appliquer_reponse(session, reponse, fichier=lu.fichier, maintenant=maintenant))
    session.flush()
    return BilanReponses(tuple(resultats))


def appliquer_reponse(session: Session, reponse: ReponseItip, *, fichier: str, maintenant: datetime) -> ResultatReponse:
    """Enregistre une réponse sur l'invitation de son auteur, ou dit pourquoi elle est refusée ou ignorée."""
    details: dict[str, Any] = {
        "email": reponse.email,
        "reponse": reponse.partstat,
        "commentaire": reponse.commentaire,
        "delegue_a": reponse.delegue_a,
    }
    try:
        reunion, invitation = _destinataire(session, reponse, details)
        _verifier_fraicheur(reponse, reunion, invitation)
    except _Ecartee as ecartee:
        return ResultatReponse(fichier, ecartee.etat, ecartee.texte, **details)
    invitation.reponse = reponse.partstat
    invitation.commentaire = reponse.commentaire
    invitation.delegue_a = reponse.delegue_a
    invitation.repondu_le = reponse.horodatage or maintenant
    texte = decrire_reponse(reponse, reunion, email=invitation.personne.email)
    return ResultatReponse(fichier, "applique", texte, **details)


class _Ecartee(Exception):
    """Une réponse qui ne s'enregistre pas : refusée (à corriger) ou ignorée (rien de nouveau)."""

    def __init__(self, etat: Etat, texte: str) -> None:
        super().__init__(texte)
        self.etat: Etat = etat
        self.texte = texte


def _destinataire(session: Session, reponse: ReponseItip, details: dict[str, Any]) -> tuple[Reunion, Invitation]:
    """La réunion et l'invitation auxquelles répond `reponse` ; complète `details` au fur et à mesure."""
    reunion = session.scalar(select(Reunion).where(Reunion.uid == reponse.uid))
    if reunion is None:
        raise _Ecartee("refuse", f"aucune réunion ne porte l'UID « {nettoyer(reponse.uid, 120)} » dans cette base")
    details["reunion"] = reunion.id
    if reunion.statut == "annulee":
        raise _Ecartee(
            "refuse", f"réponse à une réunion annulée (la {_designation(reunion)}) : elle n'est pas enregistrée"
        )
    invitation = _invitation(reunion, reponse.email)
    if invitation is None:
        raise _Ecartee(
            "refuse",
            f"{reponse.email} n'est pas invité(e) à la {_designation(reunion)} : "
            "vérifiez son adresse dans l'annuaire (`ctg personnes`)",
        )
    details["email"] = invitation.personne.email
    return reunion, invitation


def _verifier_fraicheur(reponse: ReponseItip, reunion: Reunion, invitation: Invitation) -> None:
    """Écarte une réponse à une version dépassée, plus ancienne que l'enregistrée, ou déjà enregistrée."""
    if reponse.sequence < reunion.sequence:
        raise _Ecartee(
            "refuse",
            f"réponse à une version dépassée (révision {reponse.sequence} ; la réunion en est à la révision "
            f"{reunion.sequence}) : le participant doit répondre à la dernière invitation",
        )
    recue = invitation.repondu_le
    if reponse.horodatage is not None and recue is not None and reponse.horodatage < recue:
        raise _Ecartee(
            "ignore", f"réponse plus ancienne que celle déjà enregistrée (du {moment(recue)}) : elle ne la remplace pas"
        )
    identique = (invitation.reponse, invitation.commentaire, invitation.delegue_a) == (
        reponse.partstat,
        reponse.commentaire,
        reponse.delegue_a,
    )
    # Sans DTSTAMP, la même réponse relue ne change rien ; avec, une confirmation plus récente met l'heure à jour.
    if identique and (reponse.horodatage is None or reponse.horodatage == recue):
        raise _Ecartee("ignore", "réponse déjà enregistrée")


def decrire_reponse(reponse: ReponseItip, reunion: Reunion, *, email: str | None = None) -> str:
    """« claire@example.org a accepté la réunion n°1 (COPIL, mardi 8 décembre 2026) », et son commentaire."""
    phrase = f"{email or reponse.email} {VERBES[reponse.partstat]} {_designation(reunion)}"
    if reponse.delegue_a:
        phrase += f", à {reponse.delegue_a}"
    if reponse.commentaire:
        phrase += f" — « {nettoyer(reponse.commentaire, 120)} »"
    return phrase


def _designation(reunion: Reunion) -> str:
    return f"réunion n°{reunion.id} ({reunion.instance.code}, {date_complete(reunion.debut)})"


def _invitation(reunion: Reunion, adresse: str) -> Invitation | None:
    cle = adresse.strip().casefold()
    return next((i for i in reunion.invitations if i.personne.email.strip().casefold() == cle), None)


def _compter(nombre: int, singulier: str, pluriel: str) -> str:
    return f"{nombre} {singulier if nombre <= 1 else pluriel}"
