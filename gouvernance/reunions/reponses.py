"""Les réponses des invités (iTIP REPLY d'Outlook, Gmail, Thunderbird) : les vérifier, puis les enregistrer.

Une réponse s'enregistre sur l'invitation de la personne (PARTSTAT, COMMENT, DTSTAMP). Elle est refusée,
et signalée, quand sa réunion est inconnue ou annulée, quand la personne n'y est pas invitée, quand elle
répond à une version dépassée ou à une version jamais envoyée ; elle est ignorée quand une réponse aussi
récente est déjà enregistrée : importer deux fois le même dossier ne change rien.

Personne ne répond pour un autre : une réponse dont l'expéditeur (From, Sender, Reply-To) n'est pas une
adresse de l'invité qu'elle nomme, ou dont le serveur de réception dit que l'authentification a échoué,
est mise de côté « à vérifier » (`reponses_a_verifier.py`) ; le coordinateur l'accepte ou la rejette.
Un fichier .ics nu, sans courriel autour, n'a pas d'expéditeur : le coordinateur l'importe lui-même,
il est enregistré.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.accords import accorder, designer
from gouvernance.francais import date_complete, moment
from gouvernance.reunions.reponses_fichiers import FichierLu, lire_fichier, lire_octets, lister_fichiers
from gouvernance.reunions.reponses_itip import ReponseItip, nettoyer
from modeles import (
    EtatMessage,
    EtatReponseAVerifier,
    Invitation,
    Message,
    Personne,
    ReponseAVerifier,
    ReponseInvitation,
    Reunion,
)

Etat = Literal["applique", "a_verifier", "ignore", "refuse"]

#: Un DTSTAMP plus tard que l'import de plus que cette marge (horloges décalées) n'est pas cru.
TOLERANCE_HORLOGE = timedelta(minutes=10)
#: Les états d'un message qui a pu arriver chez son destinataire.
ETATS_PARTIS = (EtatMessage.ENVOYE, EtatMessage.DEPOSE, EtatMessage.INCERTAIN, EtatMessage.EN_COURS)

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
        """« 3 fichiers lus : 2 réponses enregistrées, 0 ignorée, 1 refusée. » (et « 1 à vérifier » s'il y en a)."""
        fichiers = len({resultat.fichier for resultat in self.resultats})
        appliquees = self.nombre("applique")
        if simulation:
            enregistrees = f"{_compter(appliquees, 'réponse à enregistrer', 'réponses à enregistrer')}"
        else:
            enregistrees = f"{_compter(appliquees, 'réponse enregistrée', 'réponses enregistrées')}"
        debut = "Simulation, rien n'a été enregistré. " if simulation else ""
        a_verifier = self.nombre("a_verifier")
        return (
            f"{debut}{_compter(fichiers, 'fichier lu', 'fichiers lus')} : {enregistrees}, "
            + (f"{a_verifier} à vérifier (`ctg reponses a-verifier`), " if a_verifier else "")
            + f"{_compter(self.nombre('ignore'), 'ignorée', 'ignorées')}, "
            f"{_compter(self.nombre('refuse'), 'refusée', 'refusées')}."
        )


def appliquer_chemins(session: Session, chemins: Sequence[Path], *, maintenant: datetime) -> BilanReponses:
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
    """Enregistre une réponse sur l'invitation de son auteur, la met de côté « à vérifier », ou dit pourquoi
    elle est refusée ou ignorée."""
    details: dict[str, Any] = {
        "email": reponse.email,
        "reponse": reponse.partstat,
        "commentaire": reponse.commentaire,
        "delegue_a": reponse.delegue_a,
    }
    horodatage, note = horodatage_retenu(reponse, maintenant=maintenant)
    try:
        reunion, invitation = _destinataire(session, reponse, details)
        verifier_fraicheur(session, reponse, reunion, invitation, horodatage=horodatage, maintenant=maintenant)
        motif = motif_de_verification(reponse, invitation.personne)
        if motif is not None:
            mise_de_cote = _mettre_de_cote(
                session, reponse, invitation, motif, fichier=fichier, horodatage=horodatage, maintenant=maintenant
            )
            return replace(mise_de_cote, texte=mise_de_cote.texte + note)
    except ReponseEcartee as ecartee:
        return ResultatReponse(fichier, ecartee.etat, ecartee.texte, **details)
    texte = enregistrer_sur_invitation(session, invitation, reponse, horodatage=horodatage) + note
    return ResultatReponse(fichier, "applique", texte, **details)


def horodatage_retenu(reponse: ReponseItip, *, maintenant: datetime) -> tuple[datetime, str]:
    """L'heure qui ordonne la réponse : son DTSTAMP, ou son arrivée s'il manque ou s'il est dans le futur.

    Renvoie aussi la précision à ajouter au message quand le DTSTAMP n'est pas cru (sinon une chaîne vide).
    """
    if reponse.horodatage is None:
        return maintenant, ""
    if reponse.horodatage > maintenant + TOLERANCE_HORLOGE:
        return maintenant, (
            f" (son horodatage DTSTAMP, {moment(reponse.horodatage)}, est dans le futur : "
            f"elle est datée de son arrivée, {moment(maintenant)})"
        )
    return reponse.horodatage, ""


def enregistrer_sur_invitation(
    session: Session, invitation: Invitation, reponse: ReponseItip, *, horodatage: datetime
) -> str:
    """Écrit la réponse sur l'invitation (le délégué devient invité) ; renvoie la phrase qui la décrit."""
    invitation.reponse = ReponseInvitation(reponse.partstat)
    invitation.commentaire = reponse.commentaire
    invitation.delegue_a = reponse.delegue_a
    invitation.repondu_le = horodatage
    texte = decrire_reponse(reponse, invitation.reunion, personne=invitation.personne)
    if reponse.partstat == "DELEGATED" and reponse.delegue_a:
        texte += inviter_le_delegue(session, invitation.reunion, reponse.delegue_a)
    return texte


def inviter_le_delegue(session: Session, reunion: Reunion, adresse: str) -> str:
    """Invite à la réunion la personne à qui la participation est déléguée ; l'ajoute à l'annuaire au besoin."""
    cle = adresse.strip().casefold()
    if any(cle in invitation.personne.adresses for invitation in reunion.invitations):
        return ""
    personne = _personne_par_adresse(session, cle)
    complement = ""
    if personne is None:
        personne = Personne(email=cle, prenom="", nom=cle[:100])
        session.add(personne)
        complement = (
            f", ajouté(e) à l'annuaire sous son adresse : complétez sa fiche avec "
            f"`ctg personnes modifier {cle} --prenom … --nom …`"
        )
    reunion.invitations.append(Invitation(personne=personne, role="invite"))
    session.flush()
    return f" ; {cle} est désormais {accorder('invité(e)', personne.civilite)}{complement}"


def motif_de_verification(reponse: ReponseItip, personne: Personne) -> str | None:
    """Pourquoi la réponse doit être vérifiée avant d'être enregistrée ; None si rien ne s'y oppose.

    Un fichier .ics nu (sans courriel, donc sans expéditeur) est importé par le coordinateur lui-même : il
    n'est pas mis de côté.
    """
    if reponse.expediteurs is None:
        return None
    adresses = personne.adresses
    if not reponse.expediteurs:
        return f"le courriel n'a pas d'expéditeur (From) : rien ne dit qu'il vient de {personne.email}"
    etrangers = [adresse for adresse in reponse.expediteurs if adresse not in adresses]
    if etrangers:
        return (
            f"envoyée par {', '.join(etrangers)} au nom de {reponse.email}, qui n'est pas une adresse connue de "
            f"{personne.nom_complet or personne.email}"
        )
    if reponse.authentification is not None:
        return (
            f"le serveur de réception n'a pas pu authentifier l'expéditeur ({reponse.authentification}) : "
            "l'adresse a pu être usurpée"
        )
    return None


def _mettre_de_cote(
    session: Session,
    reponse: ReponseItip,
    invitation: Invitation,
    motif: str,
    *,
    fichier: str,
    horodatage: datetime,
    maintenant: datetime,
) -> ResultatReponse:
    """Garde la réponse « à vérifier » (une seule fois, même relue) et le dit."""
    expediteurs = ", ".join(reponse.expediteurs or ())
    details: dict[str, Any] = {
        "reunion": invitation.reunion_id,
        "email": invitation.personne.email,
        "reponse": reponse.partstat,
        "commentaire": reponse.commentaire,
        "delegue_a": reponse.delegue_a,
    }
    requete = select(ReponseAVerifier).where(
        ReponseAVerifier.invitation_id == invitation.id,
        ReponseAVerifier.reponse == reponse.partstat,
        ReponseAVerifier.expediteurs == expediteurs,
    )
    if reponse.horodatage == horodatage:  # sinon, l'heure retenue est celle de l'arrivée : elle change à chaque lecture
        requete = requete.where(ReponseAVerifier.horodatage == horodatage)
    deja = session.scalars(requete.order_by(ReponseAVerifier.id.desc())).first()
    if deja is not None and (deja.commentaire, deja.delegue_a) == (reponse.commentaire, reponse.delegue_a):
        return ResultatReponse(fichier, "ignore", f"réponse déjà mise de côté (à vérifier n°{deja.id})", **details)
    a_verifier = ReponseAVerifier(
        invitation=invitation,
        participant=reponse.email,
        expediteurs=expediteurs,
        motif=motif,
        source=nettoyer(fichier, 1000),
        reponse=ReponseInvitation(reponse.partstat),
        commentaire=reponse.commentaire,
        delegue_a=reponse.delegue_a,
        sequence=reponse.sequence,
        horodatage=horodatage,
        recue_le=maintenant,
        etat=EtatReponseAVerifier.A_VERIFIER,
    )
    session.add(a_verifier)
    session.flush()
    texte = (
        f"à vérifier n°{a_verifier.id}, non enregistrée : {motif}. Après avoir vérifié auprès de la personne, "
        f"`ctg reponses accepter {a_verifier.id}` l'enregistre, `ctg reponses rejeter {a_verifier.id}` l'écarte"
    )
    return ResultatReponse(fichier, "a_verifier", texte, **details)


class ReponseEcartee(Exception):
    """Une réponse qui ne s'enregistre pas : refusée (à corriger) ou ignorée (rien de nouveau)."""

    def __init__(self, etat: Etat, texte: str) -> None:
        super().__init__(texte)
        self.etat: Etat = etat
        self.texte = texte


def _destinataire(session: Session, reponse: ReponseItip, details: dict[str, Any]) -> tuple[Reunion, Invitation]:
    """La réunion et l'invitation auxquelles répond `reponse` ; complète `details` au fur et à mesure."""
    reunion = session.scalar(select(Reunion).where(Reunion.uid == reponse.uid))
    if reunion is None:
        raise ReponseEcartee(
            "refuse", f"aucune réunion ne porte l'UID « {nettoyer(reponse.uid, 120)} » dans cette base"
        )
    details["reunion"] = reunion.id
    if reunion.statut == "annulee":
        raise ReponseEcartee(
            "refuse", f"réponse à une réunion annulée (la {_designation(reunion)}) : elle n'est pas enregistrée"
        )
    invitation = _invitation(reunion, reponse.email)
    if invitation is None:
        raise ReponseEcartee(
            "refuse",
            f"{reponse.email} n'est pas invité(e) à la {_designation(reunion)} : "
            "vérifiez son adresse dans l'annuaire (`ctg personnes`)",
        )
    details["email"] = invitation.personne.email
    return reunion, invitation


def verifier_fraicheur(
    session: Session,
    reponse: ReponseItip,
    reunion: Reunion,
    invitation: Invitation,
    *,
    horodatage: datetime,
    maintenant: datetime,
) -> None:
    """Écarte une réponse à une version dépassée ou jamais envoyée, plus ancienne que l'enregistrée, ou déjà
    enregistrée."""
    if reponse.sequence < reunion.sequence:
        raise ReponseEcartee(
            "refuse",
            f"réponse à une version dépassée (révision {reponse.sequence} ; la réunion en est à la révision "
            f"{reunion.sequence}) : le participant doit répondre à la dernière invitation",
        )
    envoyee = _derniere_revision_envoyee(session, reunion, invitation)
    if reponse.sequence > envoyee:
        raise ReponseEcartee(
            "refuse",
            f"réponse à une version de l'invitation qui n'a jamais été envoyée (révision {reponse.sequence} ; "
            f"la dernière envoyée à {invitation.personne.email} est la révision {envoyee})",
        )
    recue = invitation.repondu_le
    if recue is not None and recue > maintenant + TOLERANCE_HORLOGE:
        recue = None  # une heure dans le futur, enregistrée avant cette règle : elle ne bloque plus rien.
    if recue is not None and horodatage < recue:
        raise ReponseEcartee(
            "ignore", f"réponse plus ancienne que celle déjà enregistrée (du {moment(recue)}) : elle ne la remplace pas"
        )
    identique = (invitation.reponse, invitation.commentaire, invitation.delegue_a) == (
        reponse.partstat,
        reponse.commentaire,
        reponse.delegue_a,
    )
    # Sans DTSTAMP (ou avec un DTSTAMP pas cru), la même réponse relue ne change rien ; avec, une confirmation
    # plus récente met l'heure à jour.
    if identique and (horodatage == recue or reponse.horodatage is None or reponse.horodatage != horodatage):
        raise ReponseEcartee("ignore", "réponse déjà enregistrée")


def _derniere_revision_envoyee(session: Session, reunion: Reunion, invitation: Invitation) -> int:
    """La plus haute révision (SEQUENCE) envoyée à l'invité ; celle de la réunion si rien ne lui a été envoyé
    par la boîte d'envoi (délégué, invitation transmise par un autre)."""
    revisions = session.scalars(
        select(Message.sequence)
        .where(
            Message.reunion_id == reunion.id,
            Message.etat.in_(ETATS_PARTIS),
            Message.nature.in_(("convocation", "modification", "annulation", "relance_reponse")),
        )
        .where(Message.destinataire.in_(_variantes(invitation.personne)))
    ).all()
    return max(revisions, default=reunion.sequence)


def _variantes(personne: Personne) -> list[str]:
    return sorted({*personne.adresses, personne.email})


def _personne_par_adresse(session: Session, adresse: str) -> Personne | None:
    """La personne dont `adresse` est l'adresse principale ou secondaire."""
    cle = adresse.strip().casefold()
    trouvee = session.scalar(select(Personne).where(Personne.email == cle))
    if trouvee is not None:
        return trouvee
    # Les adresses secondaires sont une liste JSON, que PostgreSQL ne compare pas : l'annuaire est parcouru
    # (quelques centaines de fiches au plus, et seulement pour une délégation à une adresse inconnue).
    return next((p for p in session.scalars(select(Personne)) if cle in p.adresses), None)


def decrire_reponse(reponse: ReponseItip, reunion: Reunion, *, personne: Personne | None = None) -> str:
    """« Mme Fictive (claire@example.org) a accepté la réunion n°1 (COPIL, mardi 8 décembre 2026) », et son
    commentaire ; le verbe s'accorde à la civilité de la personne (« Mme Martin s'est excusée »)."""
    if personne is None:
        sujet, civilite = reponse.email, None
    else:
        sujet, civilite = designer(personne.civilite, personne.nom, personne.email), personne.civilite
    phrase = f"{sujet} {accorder(VERBES[reponse.partstat], civilite)} {_designation(reunion)}"
    if reponse.delegue_a:
        phrase += f", à {reponse.delegue_a}"
    if reponse.commentaire:
        phrase += f" — « {nettoyer(reponse.commentaire, 120)} »"
    return phrase


def _designation(reunion: Reunion) -> str:
    return f"réunion n°{reunion.id} ({reunion.instance.code}, {date_complete(reunion.debut)})"


def _invitation(reunion: Reunion, adresse: str) -> Invitation | None:
    """L'invitation de la personne dont `adresse` est l'adresse principale, sinon l'une des secondaires."""
    cle = adresse.strip().casefold()
    principale = next((i for i in reunion.invitations if i.personne.email.strip().casefold() == cle), None)
    return principale or next((i for i in reunion.invitations if cle in i.personne.adresses), None)


def _compter(nombre: int, singulier: str, pluriel: str) -> str:
    return f"{nombre} {singulier if nombre <= 1 else pluriel}"
