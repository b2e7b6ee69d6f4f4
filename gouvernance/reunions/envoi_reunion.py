"""Préparer ce qu'une réunion envoie : courriers Word (et PDF), invitation iCalendar, courriels dans la boîte d'envoi.

Chaque courriel est identifié par une clé (réunion, révision, nature, destinataire) : préparer deux fois la
même révision ne crée rien de plus, et ce qui a déjà été envoyé ne l'est jamais une seconde fois.

La préparation se fait en trois temps, pour qu'aucun verrou d'écriture ne soit tenu pendant le rendu Word
ou LibreOffice : `lire_envoi` (une lecture courte : la vue figée de la réunion), `produire_envoi` (les
fichiers, hors de toute transaction) puis `enregistrer_envoi` (une écriture courte, qui vérifie d'abord que
la réunion n'a changé ni d'état ni de révision entre-temps).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.archives import consigner_empreinte, empreinte
from gouvernance.courriel import construire_courriel, construire_message_id, piece_jointe, texte_convocation
from gouvernance.documents.nommage import chemin_sous, nom_de_fichier
from gouvernance.documents.rendu import construire_annulation, construire_convocation, construire_ordre_du_jour
from gouvernance.envoi.boite import ecrire_courriel
from gouvernance.erreurs import DonneesInvalides
from gouvernance.fichiers import chemin_enregistre, ecrire_atomiquement
from gouvernance.reglages import Reglages
from gouvernance.reunions.invitation_ics import construire_invitation
from gouvernance.reunions.invitations import Actualisation
from gouvernance.reunions.lecture import construire_vue
from gouvernance.reunions.vue import FUSEAU, PersonneVue, ReunionVue
from modeles import Message, Reunion, StatutReunion, TypeDocument

Nature = Literal["convocation", "modification", "annulation"]
METHODES: dict[str, Literal["REQUEST", "CANCEL"]] = {
    "convocation": "REQUEST",
    "modification": "REQUEST",
    "annulation": "CANCEL",
}


@dataclass(frozen=True)
class Parametres:
    reglages: Reglages
    maintenant: datetime
    #: Le dossier des modèles Word (ceux du projet, ou une copie modifiée par l'utilisateur).
    modeles: Path
    #: Convertit des .docx en .pdf (LibreOffice) ; None quand LibreOffice n'est pas installé.
    convertir_en_pdf: Callable[[list[Path], Path], list[Path]] | None
    #: Vrai quand un serveur SMTP est réglé : les .eml attendent alors l'envoi hors de la boîte de dépôt.
    smtp: bool


@dataclass
class Lot:
    """Ce que la préparation a produit : les messages à envoyer et les documents écrits."""

    reunion_id: int
    messages: list[int] = field(default_factory=list)
    documents: list[Path] = field(default_factory=list)
    deja_prepares: int = 0
    #: Les invitations mises à jour des membres de l'instance avant la convocation.
    invitations: Actualisation = field(default_factory=Actualisation)


def dossier_reunion(reglages: Reglages, reunion: Reunion) -> Path:
    """Le dossier des documents d'une réunion : « documents/2026-12-08-COPIL-reunion-1 »."""
    jour = reunion.debut.astimezone(FUSEAU).date().isoformat()
    return reglages.dossier_documents / nom_de_fichier(f"{jour}-{reunion.instance.code}-reunion-{reunion.id}")


def cle_message(vue: ReunionVue, nature: str, email: str) -> str:
    return f"{vue.uid}/{vue.sequence}/{nature}/{email}"


@dataclass(frozen=True)
class Lecture:
    """La réunion figée au moment de la lecture : de quoi produire ses fichiers sans la base."""

    vue: ReunionVue
    nature: Nature
    #: Le dossier des documents de cette révision (« …/v2 »).
    dossier: Path
    #: La personne de chaque adresse invitée, pour consigner son courrier.
    personnes: dict[str, int]
    #: Les invités qui n'ont encore rien reçu de cette révision (tous, pour une simple rédaction).
    a_preparer: tuple[PersonneVue, ...]
    #: Les messages de cette révision déjà préparés lors d'un passage précédent.
    deja_prepares: tuple[int, ...] = ()


@dataclass(frozen=True)
class DocumentProduit:
    chemin: Path
    type_: TypeDocument
    personne_id: int | None
    empreinte: str


@dataclass
class Production:
    """Les fichiers écrits hors transaction, et les lignes à enregistrer ensuite."""

    documents: list[DocumentProduit] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    #: Le .eml de chaque message, dans le même ordre (le message, lui, l'enregistre relatif à CTG_HOME).
    courriels: list[Path] = field(default_factory=list)

    @property
    def fichiers(self) -> list[Path]:
        return [document.chemin for document in self.documents] + list(self.courriels)


def lire_envoi(
    session: Session,
    reunion: Reunion,
    nature: Nature,
    reglages: Reglages,
    *,
    changements: tuple[str, ...] = (),
    rediger: bool = False,
) -> Lecture:
    """La vue de la réunion et les invités à qui il manque un courriel de cette révision (lecture seule).

    Une convocation ne part qu'aux invités qui n'ont encore rien reçu de cette révision (ni convocation,
    ni modification) ; avec `rediger`, tous les courriers sont réécrits et aucun courriel n'est préparé.
    """
    vue = construire_vue(reunion, reglages, changements=changements)
    dossier = dossier_reunion(reglages, reunion) / f"v{reunion.sequence}"
    personnes = {invitation.personne.email: invitation.personne_id for invitation in reunion.invitations}
    if rediger:
        return Lecture(vue, nature, dossier, personnes, vue.invites)
    existants = _messages_existants(session, reunion.id)
    a_preparer, deja = [], []
    for invite in vue.invites:
        identifiant = _deja_prepare(existants, vue, nature, invite.email)
        if identifiant is None:
            a_preparer.append(invite)
        else:
            deja.append(identifiant)
    return Lecture(vue, nature, dossier, personnes, tuple(a_preparer), tuple(deja))


def _messages_existants(session: Session, reunion_id: int) -> dict[str, int]:
    requete = select(Message.cle, Message.id).where(Message.reunion_id == reunion_id)
    return {cle: identifiant for cle, identifiant in session.execute(requete)}


def _deja_prepare(existants: dict[str, int], vue: ReunionVue, nature: Nature, email: str) -> int | None:
    identifiant = existants.get(cle_message(vue, nature, email))
    if identifiant is None and nature == "convocation":
        identifiant = existants.get(cle_message(vue, "modification", email))
    return identifiant


def produire_envoi(lecture: Lecture, parametres: Parametres, production: Production) -> None:
    """Écrit l'invitation .ics, les courriers (et leurs PDF) et un .eml par invité à prévenir, en les notant
    dans `production` au fil de l'eau (même en cas d'échec, on sait ce qui a été écrit) ; aucune base."""
    if lecture.a_preparer:
        _Production(lecture, parametres, production).preparer()


def produire_documents(lecture: Lecture, parametres: Parametres, production: Production) -> None:
    """Réécrit l'ordre du jour et les courriers de la révision en cours, sans courriel (changement mineur)."""
    fabrique = _Production(lecture, parametres, production)
    fabrique.en_pdf(fabrique.rediger(lecture.a_preparer))


def verifier_inchangee(reunion: Reunion, lecture: Lecture) -> None:
    """Refuse d'enregistrer des fichiers produits pour une révision qui n'est plus celle de la réunion."""
    vue = lecture.vue
    if reunion.statut is StatutReunion.ANNULEE and lecture.nature != "annulation":
        raise DonneesInvalides(
            f"La réunion n°{reunion.id} a été annulée pendant la préparation des documents : "
            "rien n'a été enregistré ni envoyé."
        )
    if reunion.sequence != vue.sequence:
        raise DonneesInvalides(
            f"La réunion n°{reunion.id} a été modifiée pendant la préparation des documents (révision "
            f"{vue.sequence} → {reunion.sequence}) : rien n'a été enregistré ni envoyé. "
            "Relancez la commande pour préparer la révision en cours."
        )


def enregistrer_envoi(
    session: Session, lecture: Lecture, production: Production, maintenant: datetime, *, donnees: Path
) -> Lot:
    """Consigne les documents et crée les messages qui manquent encore ; un message déjà créé par une autre
    préparation concurrente est repris tel quel (la clé unique `cle` garde l'unicité)."""
    lot = Lot(reunion_id=lecture.vue.id, messages=list(lecture.deja_prepares), deja_prepares=len(lecture.deja_prepares))
    for document in production.documents:
        consigner_empreinte(
            session,
            reunion_id=lecture.vue.id,
            personne_id=document.personne_id,
            type_=document.type_,
            version=lecture.vue.sequence,
            chemin=document.chemin,
            empreinte=document.empreinte,
            maintenant=maintenant,
            dossier=donnees,
        )
        lot.documents.append(document.chemin)
    existants = _messages_existants(session, lecture.vue.id)
    doublons: set[Path] = set()
    for message, courriel in zip(production.messages, production.courriels, strict=True):
        identifiant = existants.get(message.cle)
        if identifiant is None:
            message.chemin = chemin_enregistre(donnees, courriel)
            session.add(message)
            session.flush()
            identifiant = message.id
        else:
            lot.deja_prepares += 1
            doublons.add(courriel)
        lot.messages.append(identifiant)
    _effacer_doublons(session, doublons, donnees)
    return lot


def _effacer_doublons(session: Session, doublons: set[Path], donnees: Path) -> None:
    """Supprime les .eml d'une préparation doublée, sauf ceux qu'un message enregistré désigne (même nom)."""
    if not doublons:
        return
    enregistres = {chemin: chemin_enregistre(donnees, chemin) for chemin in doublons}
    designes = set(session.scalars(select(Message.chemin).where(Message.chemin.in_(list(enregistres.values())))))
    for chemin, enregistre in enregistres.items():
        if enregistre not in designes:
            chemin.unlink(missing_ok=True)


@dataclass
class _Production:
    lecture: Lecture
    parametres: Parametres
    production: Production

    @property
    def jour(self) -> date:
        return self.parametres.maintenant.astimezone(FUSEAU).date()

    @property
    def nature(self) -> Nature:
        return self.lecture.nature

    def preparer(self) -> None:
        vue, dossier = self.lecture.vue, self.lecture.dossier
        ics = construire_invitation(vue, methode=METHODES[self.nature], horodatage=self.parametres.maintenant)
        chemin_ics = dossier / ("annulation.ics" if self.nature == "annulation" else "invitation.ics")
        self.ecrire(None, "invitation", chemin_ics, ics)
        convertis = self.en_pdf(self.rediger(self.lecture.a_preparer))
        # Les pièces communes à tous les invités (invitation, ordre du jour) sont lues une fois, pas une par invité.
        communs = [(chemin_ics.name, "application/ics", ics)]
        if "ordre_du_jour" in convertis:
            communs.append(piece_jointe(convertis["ordre_du_jour"]))
        for invite in self.lecture.a_preparer:
            pieces = [piece_jointe(convertis[invite.email]), *communs]
            message = self.deposer_courriel(invite, ics, pieces)
            self.production.messages.append(message)
            self.production.courriels.append(Path(message.chemin))

    def rediger(self, invites: Sequence[PersonneVue]) -> dict[str, Path]:
        """L'ordre du jour (sauf pour une annulation) et un courrier par invité, en .docx, par clé (e-mail)."""
        modeles, vue, dossier = self.parametres.modeles, self.lecture.vue, self.lecture.dossier
        documents: dict[str, Path] = {}
        if self.nature != "annulation":
            contenu = construire_ordre_du_jour(vue, date_courrier=self.jour, modeles=modeles)
            chemin = chemin_sous(dossier, nom_de_fichier(f"ordre-du-jour-{vue.instance_code}.docx"))
            documents["ordre_du_jour"] = self.ecrire(None, "ordre_du_jour", chemin, contenu)
        for invite in invites:
            if self.nature == "annulation":
                contenu = construire_annulation(vue, invite, date_courrier=self.jour, modeles=modeles)
            else:
                contenu = construire_convocation(vue, invite, date_courrier=self.jour, modeles=modeles)
            nom = nom_du_courrier(vue, self.nature, invite)
            documents[invite.email] = self.ecrire(invite.email, self.nature, chemin_sous(dossier, nom), contenu)
        return documents

    def en_pdf(self, docx: dict[str, Path]) -> dict[str, Path]:
        """Les PDF des .docx (un seul appel à LibreOffice pour tous), ou les .docx eux-mêmes sans LibreOffice."""
        convertir = self.parametres.convertir_en_pdf
        if convertir is None or not docx:
            return dict(docx)
        cles = list(docx)
        resultat = dict(zip(cles, convertir([docx[cle] for cle in cles], self.lecture.dossier), strict=True))
        for cle, pdf in resultat.items():
            if cle == "ordre_du_jour":
                self.noter(None, "ordre_du_jour_pdf", pdf, pdf.read_bytes())
            else:
                self.noter(cle, f"{self.nature}_pdf", pdf, pdf.read_bytes())
        return resultat

    def ecrire(self, email: str | None, type_: str, chemin: Path, contenu: bytes) -> Path:
        """Écrit le fichier d'un coup ou pas du tout, et le note pour qu'il soit consigné comme Document."""
        ecrire_atomiquement(chemin, contenu)
        self.noter(email, type_, chemin, contenu)
        return chemin

    def noter(self, email: str | None, type_: str, chemin: Path, contenu: bytes) -> None:
        personne_id = self.lecture.personnes.get(email) if email else None
        self.production.documents.append(DocumentProduit(chemin, TypeDocument(type_), personne_id, empreinte(contenu)))

    def deposer_courriel(self, invite: PersonneVue, ics: bytes, pieces: list[tuple[str, str, bytes]]) -> Message:
        """Écrit le .eml (dans la boîte d'envoi, ou en attente d'envoi SMTP) et construit sa ligne `Message`."""
        vue, nature = self.lecture.vue, self.nature
        cle = cle_message(vue, nature, invite.email)
        message_id = construire_message_id(vue.coordinateur.email.rpartition("@")[2] or "ctg.invalid", cle)
        objet, texte, html = texte_convocation(vue, invite, nature)
        contenu = construire_courriel(
            expediteur=(vue.coordinateur.nom, vue.coordinateur.email),
            destinataire=(invite.nom_complet, invite.email),
            objet=objet,
            texte=texte,
            html=html,
            calendrier=ics,
            methode=METHODES[nature],
            pieces_jointes=pieces,
            message_id=message_id,
            horodatage=self.parametres.maintenant,
            repondre_a=vue.coordinateur.email,
        )
        reglages = self.parametres.reglages
        nom = f"{self.jour.isoformat()}-{nature}-{vue.id}-v{vue.sequence}-{_court(invite.email)}.eml"
        chemin = ecrire_courriel(reglages, smtp=self.parametres.smtp, nom=nom, contenu=contenu)
        return Message(
            cle=cle,
            reunion_id=vue.id,
            nature=nature,
            sequence=vue.sequence,
            destinataire=invite.email,
            nom_destinataire=invite.nom_complet,
            objet=objet,
            message_id=message_id,
            chemin=str(chemin),  # `enregistrer_envoi` l'enregistre relatif à CTG_HOME
            etat="a_envoyer",
            cree_le=self.parametres.maintenant,
        )


def nom_du_courrier(vue: ReunionVue, nature: Nature, invite: PersonneVue, *, extension: str = ".docx") -> str:
    """« convocation-COPIL-Fictive-Claire-1a2b3c4d.docx » : le fichier du courrier de l'invité."""
    nom = f"{nature}-{vue.instance_code}-{invite.nom}-{invite.prenom}-{_court(invite.email)}{extension}"
    return nom_de_fichier(nom)


def _court(email: str) -> str:
    """Une empreinte courte de l'adresse : deux homonymes n'ont jamais le même fichier."""
    return hashlib.sha256(email.encode()).hexdigest()[:8]
