"""Rassembler ce que contiennent la feuille d'émargement et le projet de compte rendu d'une réunion."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.comptes_rendus.vue import ActionVue, CompteRenduVue, DecisionVue, ParticipantVue
from gouvernance.francais import date_longue
from gouvernance.reglages import Reglages
from gouvernance.reunions.lecture import construire_vue, vue_orientation
from modeles import (
    Action,
    CompteRendu,
    Decision,
    Invitation,
    Orientation,
    Presence,
    ReponseInvitation,
    Reunion,
    RoleMembre,
    StatutAction,
    StatutReunion,
)

#: La présence proposée d'après la réponse à l'invitation ; le secrétaire la corrige dans le document. Sans
#: réponse (ou « peut-être »), elle reste « non renseigné » : personne n'est dit absent sans l'avoir été.
PRESENCE_SELON_REPONSE = {
    ReponseInvitation.ACCEPTEE: Presence.PRESENT,
    ReponseInvitation.DECLINEE: Presence.EXCUSE,
    ReponseInvitation.DELEGUEE: Presence.REPRESENTE,
}
ACTIONS_OUVERTES = (StatutAction.A_FAIRE, StatutAction.EN_COURS)


def identifiant_document(reunion: Reunion) -> str:
    """L'identifiant inscrit dans les propriétés du document : il dit à quelle réunion il appartient."""
    return f"urn:ctg-gouvernance:reunion:{reunion.uid}"


def origine(reunion: Reunion) -> str:
    """« COPIL du 8 décembre 2026 »."""
    return f"{reunion.instance.code} du {date_longue(reunion.debut)}"


def vue_action(action: Action, *, avec_origine: bool = False) -> ActionVue:
    return ActionVue(
        identifiant=action.id,
        libelle=action.libelle,
        responsable=action.responsable,
        echeance=action.echeance,
        orientations=tuple(vue_orientation(o) for o in sorted(action.orientations, key=_cle_orientation)),
        statut=action.statut,
        origine=origine(action.reunion) if avec_origine else None,
    )


def _cle_orientation(orientation: Orientation) -> tuple[int, int]:
    return orientation.enjeu.numero, orientation.numero


def construire_vue_compte_rendu(
    session: Session, reunion: Reunion, reglages: Reglages, *, date_document: date
) -> CompteRenduVue:
    """Participants (présence d'après les réponses), décisions et actions connues, actions ouvertes à revoir."""
    compte_rendu = session.scalar(select(CompteRendu).where(CompteRendu.reunion_id == reunion.id))
    decisions = session.scalars(select(Decision).where(Decision.reunion_id == reunion.id).order_by(Decision.numero))
    actions = session.scalars(select(Action).where(Action.reunion_id == reunion.id).order_by(Action.id))
    return CompteRenduVue(
        reunion=construire_vue(reunion, reglages),
        identifiant=identifiant_document(reunion),
        version=(compte_rendu.version + 1) if compte_rendu else 1,
        participants=tuple(_participant(i) for i in sorted(reunion.invitations, key=_cle_invitation)),
        secretaire=compte_rendu.secretaire if compte_rendu else _secretaire(reunion),
        precedent=_precedent(session, reunion),
        decisions=tuple(
            DecisionVue(d.numero, d.texte, tuple(vue_orientation(o) for o in d.orientations)) for d in decisions
        ),
        actions=tuple(vue_action(a) for a in actions),
        actions_ouvertes=tuple(vue_action(a, avec_origine=True) for a in actions_ouvertes(session, reunion)),
        prochaine_reunion=_prochaine(session, reunion),
        date_document=date_document,
    )


def _cle_invitation(invitation: Invitation) -> tuple[str, str]:
    from gouvernance.textes import cle_de_comparaison

    return cle_de_comparaison(invitation.personne.nom), cle_de_comparaison(invitation.personne.prenom)


def _participant(invitation: Invitation) -> ParticipantVue:
    personne = invitation.personne
    fonction = personne.fonction_actuelle
    return ParticipantVue(
        email=personne.email,
        nom_complet=personne.nom_complet,
        organisme=fonction.partenaire.nom if fonction and fonction.partenaire else None,
        fonction=fonction.intitule if fonction else None,
        role=invitation.role,
        reponse=invitation.reponse,
        presence=invitation.presence or PRESENCE_SELON_REPONSE.get(invitation.reponse),
        represente_par=invitation.represente_par,
        civilite=personne.civilite,
    )


def _secretaire(reunion: Reunion) -> str | None:
    membre = next((m for m in reunion.instance.membres if m.role is RoleMembre.SECRETAIRE), None)
    return membre.personne.nom_complet if membre else None


def reunions_precedentes(session: Session, reunion: Reunion) -> list[Reunion]:
    """Les réunions tenues avant celle-ci par la même instance, de la plus récente à la plus ancienne."""
    requete = (
        select(Reunion)
        .where(
            Reunion.instance_id == reunion.instance_id,
            Reunion.debut < reunion.debut,
            Reunion.statut != StatutReunion.ANNULEE,
        )
        .order_by(Reunion.debut.desc())
    )
    return list(session.scalars(requete))


def derniere_reunion_avec_compte_rendu(session: Session, reunion: Reunion) -> Reunion | None:
    """La plus récente des réunions précédentes de l'instance qui a un compte rendu (celui à approuver)."""
    requete = (
        select(Reunion)
        .join(CompteRendu, CompteRendu.reunion_id == Reunion.id)
        .where(
            Reunion.instance_id == reunion.instance_id,
            Reunion.debut < reunion.debut,
            Reunion.statut != StatutReunion.ANNULEE,
        )
        .order_by(Reunion.debut.desc())
        .limit(1)
    )
    return session.scalar(requete)


def _precedent(session: Session, reunion: Reunion) -> str | None:
    precedente = derniere_reunion_avec_compte_rendu(session, reunion)
    return f"réunion du {date_longue(precedente.debut)}" if precedente is not None else None


def actions_ouvertes(session: Session, reunion: Reunion) -> list[Action]:
    """Les actions encore ouvertes décidées par les réunions précédentes de la même instance."""
    precedentes = [r.id for r in reunions_precedentes(session, reunion)]
    if not precedentes:
        return []
    requete = (
        select(Action)
        .where(Action.reunion_id.in_(precedentes), Action.statut.in_(ACTIONS_OUVERTES))
        .order_by(Action.echeance.is_(None), Action.echeance, Action.id)
    )
    return list(session.scalars(requete))


def _prochaine(session: Session, reunion: Reunion) -> datetime | None:
    suivante = session.scalar(
        select(Reunion)
        .where(
            Reunion.instance_id == reunion.instance_id,
            Reunion.debut > reunion.debut,
            Reunion.statut != StatutReunion.ANNULEE,
        )
        .order_by(Reunion.debut)
    )
    return suivante.debut if suivante else None
