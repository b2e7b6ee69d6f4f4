"""Ce que montre le tableau de bord d'un territoire : prochaines réunions et leurs réponses, messages à
surveiller, comptes rendus attendus, actions en retard, relances de la semaine, convention en cours."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from gouvernance.comptes_rendus.preparation import origine
from gouvernance.comptes_rendus.suivi import actions_en_retard
from gouvernance.relances.preparation import relances_dues
from gouvernance.relances.selection import REUNION_TENUE, attend_un_compte_rendu
from gouvernance.reunions.vue import CoordinateurVue, jour_a_paris
from modeles import (
    CompteRendu,
    EtatMessage,
    EtatReponseAVerifier,
    Instance,
    Invitation,
    Message,
    ReponseAVerifier,
    ReponseInvitation,
    Reunion,
    StatutCompteRendu,
    StatutReunion,
    Territoire,
)

#: Les messages qu'il faut surveiller : pas encore partis, ou dont on ne sait pas s'ils sont partis.
ETATS_A_SURVEILLER = (EtatMessage.INCERTAIN, EtatMessage.A_ENVOYER, EtatMessage.EN_COURS, EtatMessage.ECHEC_TEMPORAIRE)
REPONSES_OUI = (ReponseInvitation.ACCEPTEE, ReponseInvitation.DELEGUEE)
REPONSES_EN_ATTENTE = (ReponseInvitation.SANS_REPONSE, ReponseInvitation.PEUT_ETRE)
PROCHAINES = 8
LIGNES_AU_PLUS = 20


@dataclass(frozen=True)
class ProchaineReunion:
    id: int
    instance: str
    titre: str
    debut: datetime
    statut: StatutReunion
    oui: int
    non: int
    sans_reponse: int
    a_verifier: int


@dataclass(frozen=True)
class MessageASurveiller:
    destinataire: str
    objet: str
    etat: EtatMessage
    reunion_id: int | None


@dataclass(frozen=True)
class ReunionSansCompteRendu:
    id: int
    #: « COPIL du 8 décembre 2026 ».
    origine: str
    #: None : aucun projet encore ; PROJET : le fichier du secrétaire est attendu ; IMPORTE : à valider.
    statut: StatutCompteRendu | None


@dataclass(frozen=True)
class ActionEnRetard:
    id: int
    libelle: str
    responsable: str | None
    echeance: date
    origine: str


@dataclass(frozen=True)
class RelanceDeLaSemaine:
    jour: date
    nature: str
    destinataire: str
    sujet: str


@dataclass(frozen=True)
class ConventionEnCours:
    intitule: str
    debut: date | None
    fin: date | None
    statut: str


def prochaines_reunions(session: Session, territoire: Territoire, maintenant: datetime) -> list[ProchaineReunion]:
    """Les réunions planifiées ou convoquées à venir, avec le compte de leurs réponses (deux requêtes)."""
    reunions = list(
        session.scalars(
            select(Reunion)
            .join(Instance)
            .where(Instance.territoire_id == territoire.id, Reunion.debut >= maintenant)
            .where(Reunion.statut.in_((StatutReunion.PLANIFIEE, StatutReunion.CONVOQUEE)))
            .options(selectinload(Reunion.instance))
            .order_by(Reunion.debut, Reunion.id)
            .limit(PROCHAINES)
        )
    )
    identifiants = [reunion.id for reunion in reunions]
    reponses: Counter[tuple[int, str]] = Counter()
    for reunion_id, reponse, nombre in session.execute(
        select(Invitation.reunion_id, Invitation.reponse, func.count())
        .where(Invitation.reunion_id.in_(identifiants))
        .group_by(Invitation.reunion_id, Invitation.reponse)
    ):
        reponses[(reunion_id, reponse)] += nombre
    a_verifier: dict[int, int] = {}
    for reunion_id, nombre_a_verifier in session.execute(
        select(Invitation.reunion_id, func.count())
        .join(ReponseAVerifier, ReponseAVerifier.invitation_id == Invitation.id)
        .where(Invitation.reunion_id.in_(identifiants), ReponseAVerifier.etat == EtatReponseAVerifier.A_VERIFIER)
        .group_by(Invitation.reunion_id)
    ):
        a_verifier[reunion_id] = nombre_a_verifier
    return [
        ProchaineReunion(
            id=r.id,
            instance=r.instance.code,
            titre=r.titre,
            debut=r.debut,
            statut=r.statut,
            oui=sum(reponses[(r.id, reponse)] for reponse in REPONSES_OUI),
            non=reponses[(r.id, ReponseInvitation.DECLINEE)],
            sans_reponse=sum(reponses[(r.id, reponse)] for reponse in REPONSES_EN_ATTENTE),
            a_verifier=a_verifier.get(r.id, 0),
        )
        for r in reunions
    ]


def messages_a_surveiller(session: Session, territoire: Territoire) -> list[MessageASurveiller]:
    """Les courriels pas encore partis ou d'état incertain, des réunions du territoire (ou sans réunion)."""
    requete = (
        select(Message)
        .outerjoin(Reunion, Message.reunion_id == Reunion.id)
        .outerjoin(Instance, Reunion.instance_id == Instance.id)
        .where(Message.etat.in_(ETATS_A_SURVEILLER))
        .where((Instance.territoire_id == territoire.id) | Message.reunion_id.is_(None))
        .order_by(Message.cree_le, Message.id)
        .limit(LIGNES_AU_PLUS)
    )
    return [
        MessageASurveiller(destinataire=m.destinataire, objet=m.objet, etat=m.etat, reunion_id=m.reunion_id)
        for m in session.scalars(requete)
    ]


def comptes_rendus_attendus(
    session: Session, territoire: Territoire, maintenant: datetime
) -> list[ReunionSansCompteRendu]:
    """Les réunions passées dont le compte rendu est attendu du secrétaire ou reste à valider."""
    requete = (
        select(Reunion, CompteRendu)
        .join(Instance)
        .outerjoin(CompteRendu, CompteRendu.reunion_id == Reunion.id)
        .where(Instance.territoire_id == territoire.id, Reunion.statut.in_(REUNION_TENUE), Reunion.fin < maintenant)
        .options(selectinload(Reunion.instance))
        .order_by(Reunion.debut, Reunion.id)
    )
    attendus = []
    for reunion, compte_rendu in session.execute(requete).tuples():
        statut = compte_rendu.statut if compte_rendu is not None else None
        if attend_un_compte_rendu(reunion, compte_rendu) or statut is StatutCompteRendu.IMPORTE:
            attendus.append(ReunionSansCompteRendu(id=reunion.id, origine=origine(reunion), statut=statut))
    return attendus[-LIGNES_AU_PLUS:]


def actions_a_relancer(session: Session, territoire: Territoire, jour: date) -> list[ActionEnRetard]:
    """Les actions à faire ou en cours dont l'échéance est passée."""
    return [
        ActionEnRetard(
            id=a.id, libelle=a.libelle, responsable=a.responsable, echeance=a.echeance, origine=origine(a.reunion)
        )
        for a in actions_en_retard(session, territoire, jour)[:LIGNES_AU_PLUS]
        if a.echeance is not None
    ]


def relances_de_la_semaine(
    session: Session, territoire: Territoire, jour: date, coordinateur: CoordinateurVue
) -> list[RelanceDeLaSemaine]:
    """Les relances dues d'aujourd'hui à dimanche, pas encore préparées (chacune au premier jour où elle l'est)."""
    vues: dict[str, RelanceDeLaSemaine] = {}
    for decalage in range(7 - jour.weekday()):
        le = jour + timedelta(days=decalage)
        for due in relances_dues(session, le, coordinateur, territoire_id=territoire.id):
            vues.setdefault(
                due.cle,
                RelanceDeLaSemaine(
                    jour=le,
                    nature=due.nature_libelle,
                    destinataire=due.nom_destinataire or due.destinataire or "coordinateur",
                    sujet=due.sujet,
                ),
            )
    cles = list(vues)
    preparees = set(session.scalars(select(Message.cle).where(Message.cle.in_(cles)))) if cles else set()
    return [vue for cle, vue in vues.items() if cle not in preparees][:LIGNES_AU_PLUS]


def convention_en_cours(territoire: Territoire, jour: date) -> ConventionEnCours | None:
    convention = territoire.convention_courante(jour)
    if convention is None:
        return None
    return ConventionEnCours(
        intitule=convention.intitule, debut=convention.debut, fin=convention.fin, statut=convention.statut.libelle
    )


def jour_de(maintenant: datetime) -> date:
    return jour_a_paris(maintenant)
