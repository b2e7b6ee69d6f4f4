"""Préparer ce qu'une réunion envoie : courriers Word (et PDF), invitation iCalendar, courriels dans la boîte d'envoi.

Chaque courriel est identifié par une clé (réunion, révision, nature, destinataire) : préparer deux fois la
même révision ne crée rien de plus, et ce qui a déjà été envoyé ne l'est jamais une seconde fois.
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

from gouvernance.archives import consigner_document
from gouvernance.courriel import construire_courriel, construire_message_id, piece_jointe, texte_convocation
from gouvernance.documents.nommage import chemin_sous, nom_de_fichier
from gouvernance.documents.rendu import construire_annulation, construire_convocation, construire_ordre_du_jour
from gouvernance.envoi.boite import ecrire_courriel
from gouvernance.reglages import Reglages
from gouvernance.reunions.cycle import verifier_convocable
from gouvernance.reunions.invitation_ics import construire_invitation
from gouvernance.reunions.invitations import Actualisation, actualiser_invitations
from gouvernance.reunions.lecture import construire_vue
from gouvernance.reunions.vue import FUSEAU, PersonneVue, ReunionVue
from modeles import Message, Reunion, TypeDocument

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


def cle_message(reunion: Reunion, nature: str, email: str) -> str:
    return f"{reunion.uid}/{reunion.sequence}/{nature}/{email}"


def preparer_envoi(
    session: Session, reunion: Reunion, nature: Nature, parametres: Parametres, *, changements: tuple[str, ...] = ()
) -> Lot:
    """Écrit les documents et les courriels de cette révision qui manquent encore ; renvoie les messages à envoyer.

    Une convocation est refusée pour une réunion annulée, passée ou trop proche (quel que soit son lanceur :
    commande, déploiement, worker) ; elle met d'abord les invitations à jour des membres de l'instance, et ne part
    qu'aux invités qui n'ont encore rien reçu de cette révision (ni convocation, ni modification).
    """
    lot = Lot(reunion_id=reunion.id)
    if nature == "convocation":
        verifier_convocable(reunion, parametres.maintenant)
        lot.invitations = actualiser_invitations(session, reunion)
    vue = construire_vue(reunion, parametres.reglages, changements=changements)
    existants = {m.cle: m for m in session.scalars(select(Message).where(Message.reunion_id == reunion.id))}
    a_preparer = []
    for invite in vue.invites:
        message = existants.get(cle_message(reunion, nature, invite.email))
        if message is None and nature == "convocation":
            message = existants.get(cle_message(reunion, "modification", invite.email))
        if message is None:
            a_preparer.append(invite)
        else:
            lot.deja_prepares += 1
            lot.messages.append(message.id)
    if a_preparer:
        _Preparation(session, reunion, vue, nature, parametres).preparer(a_preparer, lot)
    return lot


def rediger_documents(session: Session, reunion: Reunion, parametres: Parametres) -> list[Path]:
    """Réécrit l'ordre du jour et les courriers de la révision en cours, sans rien envoyer (changement mineur)."""
    vue = construire_vue(reunion, parametres.reglages)
    preparation = _Preparation(session, reunion, vue, "convocation", parametres)
    documents = preparation.rediger(vue.invites)
    return [*documents.values(), *preparation.en_pdf(documents).values()]


@dataclass
class _Preparation:
    session: Session
    reunion: Reunion
    vue: ReunionVue
    nature: Nature
    parametres: Parametres

    @property
    def jour(self) -> date:
        return self.parametres.maintenant.astimezone(FUSEAU).date()

    @property
    def dossier(self) -> Path:
        return dossier_reunion(self.parametres.reglages, self.reunion) / f"v{self.reunion.sequence}"

    def preparer(self, invites: Sequence[PersonneVue], lot: Lot) -> None:
        ics = construire_invitation(self.vue, methode=METHODES[self.nature], horodatage=self.parametres.maintenant)
        chemin_ics = self.dossier / ("annulation.ics" if self.nature == "annulation" else "invitation.ics")
        self.enregistrer(None, "invitation", chemin_ics, ics)
        a_convertir = self.rediger(invites)
        convertis = self.en_pdf(a_convertir)
        # Les pièces communes à tous les invités (invitation, ordre du jour) sont lues une fois, pas une par invité.
        communs = [(chemin_ics.name, "application/ics", ics)]
        if "ordre_du_jour" in convertis:
            communs.append(piece_jointe(convertis["ordre_du_jour"]))
        lot.documents += [chemin_ics, *a_convertir.values(), *convertis.values()]
        for invite in invites:
            message = self.deposer_courriel(invite, ics, [piece_jointe(convertis[invite.email]), *communs])
            self.session.add(message)
            self.session.flush()
            lot.messages.append(message.id)

    def rediger(self, invites: Sequence[PersonneVue]) -> dict[str, Path]:
        """L'ordre du jour (sauf pour une annulation) et un courrier par invité, en .docx, par clé (e-mail)."""
        modeles, vue = self.parametres.modeles, self.vue
        documents: dict[str, Path] = {}
        if self.nature != "annulation":
            contenu = construire_ordre_du_jour(vue, date_courrier=self.jour, modeles=modeles)
            chemin = chemin_sous(self.dossier, nom_de_fichier(f"ordre-du-jour-{self.reunion.instance.code}.docx"))
            documents["ordre_du_jour"] = self.enregistrer(None, "ordre_du_jour", chemin, contenu)
        for invite in invites:
            if self.nature == "annulation":
                contenu = construire_annulation(vue, invite, date_courrier=self.jour, modeles=modeles)
            else:
                contenu = construire_convocation(vue, invite, date_courrier=self.jour, modeles=modeles)
            nom = f"{self.nature}-{self.reunion.instance.code}-{invite.nom}-{invite.prenom}-{_court(invite.email)}.docx"
            documents[invite.email] = self.enregistrer(
                invite.email, self.nature, chemin_sous(self.dossier, nom_de_fichier(nom)), contenu
            )
        return documents

    def en_pdf(self, docx: dict[str, Path]) -> dict[str, Path]:
        """Les PDF des .docx (un seul appel à LibreOffice pour tous), ou les .docx eux-mêmes sans LibreOffice."""
        convertir = self.parametres.convertir_en_pdf
        if convertir is None or not docx:
            return dict(docx)
        cles = list(docx)
        resultat = dict(zip(cles, convertir([docx[cle] for cle in cles], self.dossier), strict=True))
        for cle, pdf in resultat.items():
            if cle == "ordre_du_jour":
                self.enregistrer(None, "ordre_du_jour_pdf", pdf, None)
            else:
                self.enregistrer(cle, f"{self.nature}_pdf", pdf, None)
        return resultat

    def enregistrer(self, email: str | None, type_: str, chemin: Path, contenu: bytes | None) -> Path:
        """Écrit le fichier (s'il est donné) et le consigne comme Document de cette révision, avec son empreinte."""
        reunion = self.reunion
        return consigner_document(
            self.session,
            reunion_id=reunion.id,
            personne_id=next((i.personne_id for i in reunion.invitations if i.personne.email == email), None),
            type_=TypeDocument(type_),
            version=reunion.sequence,
            chemin=chemin,
            contenu=contenu,
            maintenant=self.parametres.maintenant,
            dossier=self.parametres.reglages.dossier,
        )

    def deposer_courriel(self, invite: PersonneVue, ics: bytes, pieces: list[tuple[str, str, bytes]]) -> Message:
        """Écrit le .eml (dans la boîte d'envoi, ou en attente d'envoi SMTP) et crée sa ligne `Message`."""
        reunion, vue, nature = self.reunion, self.vue, self.nature
        cle = cle_message(reunion, nature, invite.email)
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
        nom = f"{self.jour.isoformat()}-{nature}-{reunion.id}-v{reunion.sequence}-{_court(invite.email)}.eml"
        chemin = ecrire_courriel(reglages, smtp=self.parametres.smtp, nom=nom, contenu=contenu)
        return Message(
            cle=cle,
            reunion_id=reunion.id,
            nature=nature,
            sequence=reunion.sequence,
            destinataire=invite.email,
            nom_destinataire=invite.nom_complet,
            objet=objet,
            message_id=message_id,
            chemin=reglages.chemin_enregistre(chemin),
            etat="a_envoyer",
            cree_le=self.parametres.maintenant,
        )


def _court(email: str) -> str:
    """Une empreinte courte de l'adresse : deux homonymes n'ont jamais le même fichier."""
    return hashlib.sha256(email.encode()).hexdigest()[:8]
