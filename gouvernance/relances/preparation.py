"""Préparer les relances dues dans la boîte d'envoi : un courriel (.eml) et une ligne `Message` par clé, jamais deux."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.courriel import construire_courriel, construire_message_id, piece_jointe
from gouvernance.envoi.boite import ecrire_courriel
from gouvernance.envoi.expedition import A_ENVOYER
from gouvernance.reglages import Reglages
from gouvernance.relances.recapitulatif import construire_recapitulatif
from gouvernance.relances.selection import (
    NATURES,
    RelanceDue,
    jours_avant,
    relances_de_compte_rendu,
    relances_de_reponse,
    secretaire_de,
)
from gouvernance.relances.textes import texte_recapitulatif, texte_relance_compte_rendu, texte_relance_reponse
from gouvernance.reunions.invitation_ics import construire_invitation
from gouvernance.reunions.lecture import CHARGEMENT_VUE, construire_vue, vue_personne
from gouvernance.reunions.vue import CoordinateurVue, ReunionVue, jour_a_paris
from modeles import Document, EtatMessage, Message, Reunion, RoleMembre, Territoire, TypeDocument

#: L'état d'une relance due que la simulation montre : elle serait préparée puis envoyée.
A_PREPARER = "a_preparer"
#: L'état, en simulation, d'une relance préparée qui serait écartée comme caduque.
A_ECARTER = "a_ecarter"


@dataclass(frozen=True)
class ParametresRelances:
    reglages: Reglages
    #: L'heure de préparation (en-tête Date, DTSTAMP de l'invitation jointe).
    maintenant: datetime
    #: Le jour des relances, à Paris : celui qui décide de ce qui est dû.
    jour: date
    coordinateur: CoordinateurVue
    #: Vrai quand un serveur SMTP est réglé : les .eml attendent alors l'envoi hors de la boîte de dépôt.
    smtp: bool
    semaines: int = 4


@dataclass(frozen=True)
class LigneRelance:
    """Une relance, telle que la montrent la commande et les artefacts du flux."""

    nature: str
    sujet: str
    destinataire: str
    nom_destinataire: str
    #: Un état de message (EtatMessage), ou en simulation « a_preparer » ou « a_ecarter ».
    etat: str
    cle: str
    message: int | None = None
    #: Pourquoi une relance est caduque.
    raison: str | None = None

    @property
    def nature_libelle(self) -> str:
        return NATURES.get(self.nature, self.nature)

    @property
    def etat_libelle(self) -> str:
        libelles = {A_PREPARER: "à préparer et envoyer", A_ECARTER: "serait écartée (caduque)"}
        if self.etat in libelles:
            return libelles[self.etat]
        return EtatMessage(self.etat).libelle if self.etat in EtatMessage.valeurs() else self.etat

    def en_json(self) -> dict[str, Any]:
        return {
            "nature": self.nature,
            "nature_libelle": self.nature_libelle,
            "sujet": self.sujet,
            "destinataire": self.destinataire,
            "nom_destinataire": self.nom_destinataire,
            "etat": self.etat,
            "etat_libelle": self.etat_libelle,
            "raison": self.raison,
            "message": self.message,
            "cle": self.cle,
        }


def _ligne(due: RelanceDue, message: Message | None) -> LigneRelance:
    return LigneRelance(
        nature=due.nature,
        sujet=due.sujet,
        destinataire=due.destinataire,
        nom_destinataire=due.nom_destinataire,
        etat=message.etat if message else A_PREPARER,
        cle=due.cle,
        message=message.id if message else None,
    )


def _existants(session: Session, dues: Sequence[RelanceDue]) -> dict[str, Message]:
    cles = [due.cle for due in dues]
    return {m.cle: m for m in session.scalars(select(Message).where(Message.cle.in_(cles)))} if cles else {}


def simuler_relances(session: Session, dues: Sequence[RelanceDue]) -> list[LigneRelance]:
    """Ce que deviendrait chaque relance due, sans rien écrire : à préparer, ou l'état de celle déjà préparée."""
    existants = _existants(session, dues)
    return [_ligne(due, existants.get(due.cle)) for due in dues]


def rediger_relances(
    session: Session, dues: Sequence[RelanceDue], parametres: ParametresRelances
) -> list[LigneRelance]:
    """Écrit le courriel de chaque relance due qui n'est pas déjà dans la boîte d'envoi ; renvoie toutes les lignes."""
    existants = _existants(session, dues)
    reunions = _Reunions(session, [due for due in dues if due.cle not in existants], parametres)
    lignes = []
    for due in dues:
        message = existants.get(due.cle)
        if message is None:
            message = _preparer(session, due, parametres, reunions)
            session.add(message)
            session.flush()
        lignes.append(_ligne(due, message))
    return lignes


class _Reunions:
    """Les réunions des relances à préparer, lues en quelques requêtes avec tout ce que leurs courriels citent.

    La vue de chaque réunion et son invitation .ics (la même pour tous ses invités) ne sont construites qu'une
    fois : une réunion de 30 invités sans réponse donne 30 relances. Garder les réunions ici les garde aussi
    dans la session, qui sinon les oublie et les relirait, invité par invité, à chaque relance.
    """

    def __init__(self, session: Session, dues: Sequence[RelanceDue], parametres: ParametresRelances) -> None:
        self.parametres = parametres
        identifiants = sorted({due.reunion_id for due in dues if due.reunion_id is not None})
        requete = select(Reunion).where(Reunion.id.in_(identifiants)).options(*CHARGEMENT_VUE)
        self.reunions = {reunion.id: reunion for reunion in session.scalars(requete)} if identifiants else {}
        self._vues: dict[int, ReunionVue] = {}
        self._invitations: dict[int, bytes] = {}

    def reunion(self, identifiant: int | None) -> Reunion:
        reunion = self.reunions.get(identifiant) if identifiant is not None else None
        assert reunion is not None  # noqa: S101  (la sélection vient de la lire)
        return reunion

    def vue(self, reunion: Reunion) -> ReunionVue:
        if reunion.id not in self._vues:
            self._vues[reunion.id] = construire_vue(reunion, self.parametres.reglages)
        return self._vues[reunion.id]

    def invitation_ics(self, reunion: Reunion) -> bytes:
        if reunion.id not in self._invitations:
            self._invitations[reunion.id] = construire_invitation(
                self.vue(reunion), methode="REQUEST", horodatage=self.parametres.maintenant
            )
        return self._invitations[reunion.id]


def relances_dues(
    session: Session, jour: date, coordinateur: CoordinateurVue, *, territoire_id: int | None = None
) -> list[RelanceDue]:
    """Les relances de réponse et du compte rendu dues ce jour-là (d'un seul territoire avec `territoire_id`)."""
    return [
        *relances_de_reponse(session, jour, coordinateur, territoire_id=territoire_id),
        *relances_de_compte_rendu(session, jour, coordinateur, territoire_id=territoire_id),
    ]


def relire(session: Session, lignes: Sequence[LigneRelance]) -> list[LigneRelance]:
    """Les lignes avec l'état enregistré de leur message (après l'envoi), et la raison d'une relance caduque."""
    identifiants = [ligne.message for ligne in lignes if ligne.message is not None]
    messages = {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(identifiants)))}
    relues = []
    for ligne in lignes:
        message = messages.get(ligne.message) if ligne.message is not None else None
        if message is None:
            relues.append(ligne)
            continue
        raison = (
            (message.reponse_serveur or "").removeprefix("non envoyé : ") if message.etat is EtatMessage.CADUC else None
        )
        relues.append(replace(ligne, etat=message.etat, raison=raison or ligne.raison))
    return relues


def a_envoyer(lignes: Sequence[LigneRelance]) -> list[int]:
    """Les messages des lignes qui restent à envoyer (les autres sont déjà partis, refusés ou caducs)."""
    return [ligne.message for ligne in lignes if ligne.message is not None and ligne.etat in A_ENVOYER]


def _preparer(session: Session, due: RelanceDue, parametres: ParametresRelances, reunions: _Reunions) -> Message:
    if due.nature == "recapitulatif":
        territoire = session.get(Territoire, due.territoire_id)
        assert territoire is not None  # noqa: S101  (la sélection vient de le lire)
        recapitulatif = construire_recapitulatif(
            session,
            territoire,
            parametres.jour,
            semaines=parametres.semaines,
            cle=due.cle,
            organisateur=parametres.coordinateur.email,
            maintenant=parametres.maintenant,
        )
        objet, texte, html = texte_recapitulatif(recapitulatif, parametres.coordinateur)
        return _deposer(due, parametres, objet, texte, html)
    reunion = reunions.reunion(due.reunion_id)
    vue = reunions.vue(reunion)
    if due.nature == "relance_reponse":
        invite = next(i for i in vue.invites if i.email == due.destinataire)
        ics = reunions.invitation_ics(reunion)
        objet, texte, html = texte_relance_reponse(vue, invite, jours=jours_avant(reunion, parametres.jour))
        return _deposer(
            due, parametres, objet, texte, html, calendrier=ics, pieces=[("invitation.ics", "application/ics", ics)]
        )
    secretaire = secretaire_de(reunion.instance)
    projet = _dernier_projet(session, reunion, parametres.reglages)
    objet, texte, html = texte_relance_compte_rendu(
        vue,
        vue_personne(secretaire, RoleMembre.SECRETAIRE)
        if secretaire and secretaire.email == due.destinataire
        else None,
        jours=(parametres.jour - jour_a_paris(reunion.fin)).days,
        projet_joint=projet is not None,
        est_coordinateur=due.destinataire.casefold() == parametres.coordinateur.email.casefold(),
        secretaire_designe=secretaire is not None,
    )
    pieces = [piece_jointe(projet)] if projet else []
    return _deposer(due, parametres, objet, texte, html, pieces=pieces)


def _dernier_projet(session: Session, reunion: Reunion, reglages: Reglages) -> Path | None:
    """Le dernier projet de compte rendu généré pour la réunion, s'il existe encore sur le disque."""
    documents = session.scalars(
        select(Document)
        .where(Document.reunion_id == reunion.id, Document.type == TypeDocument.COMPTE_RENDU_PROJET)
        .order_by(Document.cree_le.desc(), Document.id.desc())
    )
    fichiers = (reglages.fichier(document.chemin) for document in documents)
    return next((fichier for fichier in fichiers if fichier.is_file()), None)


def _deposer(
    due: RelanceDue,
    parametres: ParametresRelances,
    objet: str,
    texte: str,
    html: str,
    *,
    calendrier: bytes | None = None,
    pieces: Sequence[tuple[str, str, bytes]] = (),
) -> Message:
    """Écrit le .eml (boîte d'envoi, ou en attente d'envoi SMTP) et renvoie sa ligne `Message`, à envoyer."""
    coordinateur = parametres.coordinateur
    message_id = construire_message_id(coordinateur.email.rpartition("@")[2] or "ctg.invalid", due.cle)
    contenu = construire_courriel(
        expediteur=(coordinateur.nom, coordinateur.email),
        destinataire=(due.nom_destinataire, due.destinataire),
        objet=objet,
        texte=texte,
        html=html,
        calendrier=calendrier,
        methode="REQUEST" if calendrier is not None else None,
        pieces_jointes=pieces,
        message_id=message_id,
        horodatage=parametres.maintenant,
        repondre_a=coordinateur.email,
    )
    court = hashlib.sha256(due.cle.encode()).hexdigest()[:10]
    nom = f"{parametres.jour.isoformat()}-{due.nature.replace('_', '-')}-{due.reunion_id or 'ctg'}-{court}.eml"
    chemin = ecrire_courriel(parametres.reglages, smtp=parametres.smtp, nom=nom, contenu=contenu)
    return Message(
        cle=due.cle,
        reunion_id=due.reunion_id,
        nature=due.nature,
        sequence=due.sequence,
        destinataire=due.destinataire,
        nom_destinataire=due.nom_destinataire,
        objet=objet,
        message_id=message_id,
        chemin=parametres.reglages.chemin_enregistre(chemin),
        etat=EtatMessage.A_ENVOYER,
        cree_le=parametres.maintenant,
    )
