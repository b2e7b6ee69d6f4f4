"""Décrire les réunions pour `ctg reunions` et `ctg reunion voir` (tableaux et JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from gouvernance.accords import accorder
from gouvernance.erreurs import Introuvable
from gouvernance.fichiers import chemin_reel
from gouvernance.reunions.cycle import ecrire_moment
from gouvernance.reunions.vue import FUSEAU
from modeles import (
    Document,
    EtatMessage,
    Instance,
    Invitation,
    Message,
    Orientation,
    PointOrdreDuJour,
    Reunion,
    RoleMembre,
    StatutReunion,
    Territoire,
)


@dataclass(frozen=True)
class FiltresReunions:
    """Ce qu'on cherche parmi les réunions ; None : pas de filtre sur ce critère."""

    instance: str | None = None
    du: date | None = None
    au: date | None = None
    statut: StatutReunion | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.instance:
            conditions.append(func.upper(Instance.code) == self.instance.upper())
        if self.du is not None:
            conditions.append(Reunion.debut >= datetime.combine(self.du, time(0), tzinfo=FUSEAU))
        if self.au is not None:
            conditions.append(Reunion.debut < datetime.combine(self.au + timedelta(days=1), time(0), tzinfo=FUSEAU))
        if self.statut is not None:
            conditions.append(Reunion.statut == self.statut)
        return conditions


def exiger_reunion(session: Session, identifiant: int) -> Reunion:
    reunion = session.get(Reunion, identifiant)
    if reunion is None:
        raise Introuvable(f"Aucune réunion n°{identifiant}. `ctg reunions` les liste.")
    return reunion


def lister_reunions(
    session: Session, territoire: Territoire, filtres: FiltresReunions | None = None
) -> list[dict[str, Any]]:
    """Les réunions du territoire, chacune avec son nombre d'invités : une requête, quel qu'en soit le nombre.

    Avec `filtres`, seulement celles de l'instance, de la période (jours de Paris, bornes comprises) et du
    statut demandés.
    """
    invites = (
        select(func.count(Invitation.id))
        .where(Invitation.reunion_id == Reunion.id)
        .correlate(Reunion)
        .scalar_subquery()
    )
    requete = (
        select(Reunion, invites)
        .join(Instance)
        .where(Instance.territoire_id == territoire.id)
        .options(contains_eager(Reunion.instance))
        .order_by(Reunion.debut, Reunion.id)
    )
    if filtres is not None:
        requete = requete.where(*filtres.conditions())
    return [_resume(reunion, nombre) for reunion, nombre in session.execute(requete)]


def _resume(reunion: Reunion, invites: int) -> dict[str, Any]:
    return {
        "id": reunion.id,
        "uid": reunion.uid,
        "sequence": reunion.sequence,
        "statut": reunion.statut,
        "statut_libelle": reunion.statut.libelle,
        "instance": reunion.instance.code,
        "titre": reunion.titre,
        "debut": reunion.debut.astimezone(FUSEAU).isoformat(),
        "fin": reunion.fin.astimezone(FUSEAU).isoformat(),
        "quand": ecrire_moment(reunion.debut),
        "lieu": reunion.lieu,
        "visio": reunion.visio,
        "invites": invites,
    }


def decrire_reunion(
    session: Session, reunion: Reunion, *, dossier: Path | None = None, maintenant: datetime | None = None
) -> dict[str, Any]:
    """Tout ce qu'on sait d'une réunion : points, invitations et réponses, documents, messages et leur état.

    Avec `maintenant`, un message resté « en cours » après l'arrêt brutal de son envoi est dit « incertain ».

    Les chemins enregistrés relatifs le sont au dossier des données `dossier` (CTG_HOME) : ils sont rendus complets
    (sans `dossier`, tels qu'enregistrés).

    Le même nombre de requêtes quels que soient ses invités et la taille de la base : les points, les
    invitations et leurs personnes sont chargés d'un bloc, documents et messages par leur index `reunion_id`.
    """
    session.execute(
        select(Reunion)
        .where(Reunion.id == reunion.id)
        .options(
            # L'instance, son territoire et ses conventions : celle en vigueur à la date de la réunion.
            joinedload(Reunion.instance).joinedload(Instance.territoire).selectinload(Territoire.conventions),
            selectinload(Reunion.points).selectinload(PointOrdreDuJour.orientations).joinedload(Orientation.enjeu),
            selectinload(Reunion.invitations).joinedload(Invitation.personne),
        )
        .execution_options(populate_existing=True)
    ).unique().all()
    documents = session.scalars(
        select(Document).where(Document.reunion_id == reunion.id).order_by(Document.version, Document.id)
    )
    messages = list(session.scalars(select(Message).where(Message.reunion_id == reunion.id).order_by(Message.id)))
    # À l'appel : les réponses à vérifier chargent icalendar, et le paquet de l'envoi smtplib et email, dont la
    # liste des réunions n'a pas besoin.
    from gouvernance.envoi.incertains import etat_constate
    from gouvernance.reunions.reponses_a_verifier import lister_a_verifier

    a_verifier = lister_a_verifier(session, reunion=reunion.id)
    convention = reunion.instance.territoire.convention_en_vigueur(reunion.debut.astimezone(FUSEAU).date())
    return {
        **_resume(reunion, len(reunion.invitations)),
        # La convention en vigueur à la date de la réunion : celle dont elle relève.
        "convention": convention.intitule if convention is not None else None,
        "urgence": reunion.urgence,
        "motif_annulation": reunion.motif_annulation,
        "points": [
            {
                "ordre": point.ordre,
                "titre": point.titre,
                "rapporteur": point.rapporteur,
                "duree_minutes": point.duree_minutes,
                "orientations": [{"code": o.code, "intitule": o.intitule} for o in point.orientations],
            }
            for point in reunion.points
        ],
        "invitations": [
            {
                "email": invitation.personne.email,
                "nom": invitation.personne.nom_complet,
                "role": invitation.role,
                "role_libelle": accorder(
                    "invité(e)" if invitation.role is RoleMembre.INVITE else invitation.role.libelle,
                    invitation.personne.civilite,
                ),
                "reponse": invitation.reponse,
                "reponse_libelle": accorder(invitation.reponse.libelle, invitation.personne.civilite),
                "commentaire": invitation.commentaire,
                "delegue_a": invitation.delegue_a,
            }
            for invitation in reunion.invitations
        ],
        "documents": [
            {
                "type": d.type,
                "version": d.version,
                "chemin": str(chemin_reel(dossier, d.chemin)),
                "empreinte": d.empreinte,
            }
            for d in documents
        ],
        "messages": [
            {
                "destinataire": m.destinataire,
                "nature": m.nature,
                "nature_libelle": m.nature.libelle,
                "sequence": m.sequence,
                "etat": etat_constate(m, maintenant) if maintenant else m.etat,
                "etat_libelle": (etat_constate(m, maintenant) if maintenant else m.etat).libelle,
                "chemin": str(chemin_reel(dossier, m.chemin)),
                "message_id": m.message_id,
                "accepte_le": m.accepte_le.isoformat() if m.accepte_le else None,
                "reponse_serveur": m.reponse_serveur,
                "tentatives": m.tentatives,
                "derniere_erreur": m.derniere_erreur,
                "erreur_depuis": m.erreur_depuis.isoformat() if m.erreur_depuis else None,
            }
            for m in messages
        ],
        "a_verifier": [ligne.en_json() | {"ligne": ligne.ligne} for ligne in a_verifier],
        "diffusion": _diffusion(reunion, messages, maintenant or datetime.now(UTC)),
    }


def _diffusion(reunion: Reunion, messages: list[Message], maintenant: datetime) -> dict[str, Any] | None:
    """Où en sont les courriels de la révision en cours : « convocation en cours : 12 envoyés, 28 en attente… »."""
    # À l'appel, comme les réponses à vérifier : la liste des réunions n'a besoin ni de smtplib ni de babel.
    from gouvernance.reunions.diffusion import NATURES_DIFFUSION, resumer

    courants = [
        m
        for m in messages
        if m.sequence == reunion.sequence and m.nature in NATURES_DIFFUSION and m.etat != EtatMessage.CADUC
    ]
    if not courants:
        return None
    etat = resumer(reunion.id, courants)
    return {
        "nature": etat.nature,
        "envoyes": etat.envoyes,
        "en_attente": etat.en_attente,
        "refuses": etat.refuses,
        "incertains": etat.incertains,
        "en_cours": etat.est_en_cours,
        "derniere_erreur": etat.cause,
        "erreur_depuis": etat.depuis.isoformat() if etat.depuis else None,
        "ligne": etat.ligne(maintenant=maintenant),
    }
