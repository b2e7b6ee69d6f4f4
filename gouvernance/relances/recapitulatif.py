"""Le récapitulatif de la semaine du coordinateur : réunions à venir et leurs réponses manquantes, actions en
retard, relances envoyées depuis le précédent récapitulatif, réponses à vérifier et courriels incertains à
trancher. Des valeurs figées, lues de la base."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from gouvernance.comptes_rendus.preparation import origine
from gouvernance.comptes_rendus.suivi import actions_en_retard
from gouvernance.envoi.incertains import est_incertain, pourquoi_perime
from gouvernance.francais import moment
from gouvernance.relances.calendrier import debut_du_jour
from gouvernance.relances.selection import NATURES
from gouvernance.reunions.reponses_a_verifier import lister_a_verifier
from modeles import (
    EtatMessage,
    Instance,
    Invitation,
    Message,
    NatureMessage,
    ReponseInvitation,
    Reunion,
    StatutReunion,
    Territoire,
)

#: Les relances (natures de message) que le récapitulatif rapporte.
NATURES_RELANCE = (NatureMessage.RELANCE_REPONSE, NatureMessage.RELANCE_COMPTE_RENDU)


@dataclass(frozen=True)
class ReunionAVenir:
    id: int
    instance_code: str
    instance_intitule: str
    titre: str
    debut: datetime
    lieu: str | None
    visio: str | None
    #: planifiee ou convoquee.
    statut: str
    #: « Claire Fictive (claire@example.org) », pour chaque invité sans réponse.
    sans_reponse: tuple[str, ...]
    reponses: int
    invites: int


@dataclass(frozen=True)
class ActionEnRetard:
    numero: int
    libelle: str
    responsable: str | None
    echeance: date
    #: « COPIL du 8 décembre 2026 » : la réunion qui l'a décidée.
    origine: str


@dataclass(frozen=True)
class RelanceEnvoyee:
    nature: str
    destinataire: str
    sujet: str
    le: datetime


@dataclass(frozen=True)
class Recapitulatif:
    territoire: str
    jour: date
    #: Le dernier jour couvert par les réunions à venir.
    jusqu_au: date
    semaines: int
    reunions: tuple[ReunionAVenir, ...]
    actions: tuple[ActionEnRetard, ...]
    relances: tuple[RelanceEnvoyee, ...]
    #: Depuis quand les relances sont rapportées (le précédent récapitulatif), s'il y en a eu un.
    depuis: datetime | None
    #: Les réponses mises de côté « à vérifier » (expéditeur qui n'est pas l'invité), une ligne chacune.
    a_verifier: tuple[str, ...] = ()
    #: Les courriels incertains que personne n'a encore tranchés (et qu'on pourrait renvoyer), une ligne chacun.
    incertains: tuple[str, ...] = ()


def construire_recapitulatif(
    session: Session,
    territoire: Territoire,
    jour: date,
    *,
    semaines: int,
    cle: str,
    organisateur: str,
    maintenant: datetime | None = None,
) -> Recapitulatif:
    """Le récapitulatif du territoire au jour `jour` ; `cle` est la sienne (le précédent est celui d'avant).

    L'`organisateur` (le coordinateur) n'est jamais compté parmi les invités sans réponse. `maintenant` (par
    défaut, le début du jour) dit quels messages restés « en cours » ont été interrompus.
    """
    fin = jour + timedelta(weeks=semaines)
    depuis = session.scalar(
        select(Message.cree_le)
        .where(Message.nature == NatureMessage.RECAPITULATIF, Message.cle.like(f"recapitulatif/{territoire.code}/%"))
        .where(Message.cle != cle)
        .order_by(Message.cree_le.desc())
        .limit(1)
    )
    return Recapitulatif(
        territoire=territoire.nom,
        jour=jour,
        jusqu_au=fin - timedelta(days=1),
        semaines=semaines,
        reunions=tuple(_reunions_a_venir(session, territoire, jour, fin, organisateur)),
        actions=tuple(_actions_en_retard(session, territoire, jour)),
        relances=tuple(_relances_envoyees(session, territoire, depuis)),
        depuis=depuis,
        a_verifier=tuple(
            ligne.ligne for ligne in lister_a_verifier(session) if ligne.reunion in _reunions_du(session, territoire)
        ),
        incertains=tuple(_incertains(session, territoire, maintenant or debut_du_jour(jour))),
    )


def _reunions_du(session: Session, territoire: Territoire) -> set[int]:
    requete = select(Reunion.id).join(Instance).where(Instance.territoire_id == territoire.id)
    return set(session.scalars(requete))


def _reunions_a_venir(
    session: Session, territoire: Territoire, jour: date, fin: date, organisateur: str
) -> list[ReunionAVenir]:
    requete = (
        select(Reunion)
        .join(Instance)
        .where(
            Instance.territoire_id == territoire.id,
            Reunion.statut.in_((StatutReunion.PLANIFIEE, StatutReunion.CONVOQUEE)),
        )
        .where(Reunion.debut >= debut_du_jour(jour), Reunion.debut < debut_du_jour(fin))
        .options(selectinload(Reunion.instance), selectinload(Reunion.invitations).selectinload(Invitation.personne))
        .order_by(Reunion.debut, Reunion.id)
    )
    reunions = []
    for reunion in session.scalars(requete):
        attendues = [i for i in reunion.invitations if i.personne.email.casefold() != organisateur.casefold()]
        sans_reponse = [i for i in attendues if i.reponse is ReponseInvitation.SANS_REPONSE]
        reunions.append(
            ReunionAVenir(
                id=reunion.id,
                instance_code=reunion.instance.code,
                instance_intitule=reunion.instance.intitule,
                titre=reunion.titre,
                debut=reunion.debut,
                lieu=reunion.lieu,
                visio=reunion.visio,
                statut=reunion.statut,
                sans_reponse=tuple(f"{i.personne.nom_complet} ({i.personne.email})" for i in sans_reponse),
                reponses=len(attendues) - len(sans_reponse),
                invites=len(attendues),
            )
        )
    return reunions


def _actions_en_retard(session: Session, territoire: Territoire, jour: date) -> list[ActionEnRetard]:
    """Les actions à faire ou en cours dont l'échéance est passée (la règle de `ctg suivi`)."""
    return [
        ActionEnRetard(
            numero=action.id,
            libelle=action.libelle,
            responsable=action.responsable,
            echeance=action.echeance,
            origine=origine(action.reunion),
        )
        for action in actions_en_retard(session, territoire, jour)
        if action.echeance is not None
    ]


def _relances_envoyees(session: Session, territoire: Territoire, depuis: datetime | None) -> list[RelanceEnvoyee]:
    requete = (
        select(Message, Reunion)
        .join(Reunion, Message.reunion_id == Reunion.id)
        .join(Instance)
        .where(Instance.territoire_id == territoire.id, Message.nature.in_(NATURES_RELANCE))
        .where(Message.etat.in_((EtatMessage.ENVOYE, EtatMessage.DEPOSE)), Message.accepte_le.is_not(None))
        .order_by(Message.accepte_le, Message.id)
    )
    if depuis is not None:
        requete = requete.where(Message.accepte_le > depuis)
    relances = []
    for message, reunion in session.execute(requete):
        assert message.accepte_le is not None  # noqa: S101  (filtré par la requête)
        relances.append(
            RelanceEnvoyee(
                nature=NATURES[message.nature],
                destinataire=f"{message.nom_destinataire or ''} ({message.destinataire})".strip(),
                sujet=origine(reunion),
                le=message.accepte_le,
            )
        )
    return relances


def _incertains(session: Session, territoire: Territoire, maintenant: datetime) -> list[str]:
    """« Courriel n°12 — convocation pour Karim Modèle (karim@example.org), COPIL du 9 mars 2027, envoi
    interrompu le … » : les incertains du territoire qu'un renvoi ne rendrait pas périmés."""
    requete = (
        select(Message)
        .outerjoin(Reunion, Message.reunion_id == Reunion.id)
        .outerjoin(Instance, Reunion.instance_id == Instance.id)
        .where(Message.etat.in_((EtatMessage.INCERTAIN, EtatMessage.EN_COURS)))
        .where(or_(Instance.territoire_id == territoire.id, Message.cle.like(f"recapitulatif/{territoire.code}/%")))
        .options(selectinload(Message.reunion).selectinload(Reunion.instance))
        .order_by(Message.id)
    )
    lignes = []
    for message in session.scalars(requete):
        if not est_incertain(message, maintenant) or pourquoi_perime(message):
            continue
        qui = message.destinataire
        if message.nom_destinataire:
            qui = f"{message.nom_destinataire} ({qui})"
        sujet = f", {origine(message.reunion)}" if message.reunion else ""
        quand = f", envoi interrompu le {moment(message.tente_le)}" if message.tente_le else ""
        lignes.append(f"Courriel n°{message.id} — {message.nature.libelle} pour {qui}{sujet}{quand}")
    return lignes
