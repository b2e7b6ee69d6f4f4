"""Le suivi des actions décidées en réunion : les lister avec leurs filtres, changer leur statut ou leur échéance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gouvernance.comptes import UtilisateurConnecte
from gouvernance.comptes_rendus.suivi import Filtres, changer_action, decrire_action, lister_suivi
from gouvernance.erreurs import Introuvable
from gouvernance.services.comptes import journaliser
from gouvernance.territoires import choisir_territoire
from modeles import Action, ActionJournal, Enjeu, Instance, Reunion, StatutAction


@dataclass(frozen=True)
class VueSuivi:
    """Les actions et décisions filtrées, et ce qu'il faut pour proposer les filtres (la page Suivi)."""

    actions: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    #: (numéro, intitulé) de chaque enjeu du territoire.
    enjeux: list[tuple[int, str]]
    #: (code, intitulé) de chaque orientation : (« 3.3 », « Favoriser… »).
    orientations: list[tuple[str, str]]
    #: Les codes des instances du territoire.
    instances: list[str]
    statuts: list[StatutAction]


def lire_suivi(session: Session, territoire: str | None, filtres: Filtres, *, aujourd_hui: date) -> VueSuivi:
    """Le suivi du territoire (celui de `ctg suivi`) avec les choix de chaque filtre."""
    choisi = choisir_territoire(session, territoire)
    resultat = lister_suivi(session, choisi, filtres, aujourd_hui=aujourd_hui)
    enjeux = list(
        session.scalars(
            select(Enjeu)
            .where(Enjeu.territoire_id == choisi.id)
            .options(selectinload(Enjeu.orientations))
            .order_by(Enjeu.numero)
        )
    )
    instances = session.scalars(
        select(Instance.code).where(Instance.territoire_id == choisi.id).order_by(Instance.code)
    )
    return VueSuivi(
        actions=resultat["actions"],
        decisions=resultat["decisions"],
        enjeux=[(e.numero, e.intitule_court or e.intitule) for e in enjeux],
        orientations=[(o.code, o.intitule) for e in enjeux for o in e.orientations],
        instances=list(instances),
        statuts=list(StatutAction),
    )


def modifier_action(
    session: Session,
    numero: int,
    *,
    statut: str | None,
    echeance: str | None,
    maintenant: datetime,
    aujourd_hui: date,
) -> dict[str, Any]:
    """Change le statut ou l'échéance de l'action `numero` ; renvoie sa description (celle de `ctg suivi`)."""
    action = changer_action(session, numero, statut=statut, echeance=echeance, maintenant=maintenant)
    return decrire_action(action, aujourd_hui=aujourd_hui)


def modifier_action_du_territoire(
    session: Session,
    territoire: str | None,
    numero: int,
    *,
    statut: str | None,
    echeance: str | None,
    auteur: UtilisateurConnecte,
    maintenant: datetime,
    aujourd_hui: date,
) -> dict[str, Any]:
    """Change une action d'une réunion du territoire (depuis la page Suivi) et le consigne au journal des actions."""
    choisi = choisir_territoire(session, territoire)
    action = session.scalars(
        select(Action)
        .join(Reunion)
        .join(Instance)
        .where(Action.id == numero, Instance.territoire_id == choisi.id)
        .options(selectinload(Action.reunion).selectinload(Reunion.instance), selectinload(Action.orientations))
    ).one_or_none()
    if action is None:
        raise Introuvable(f"Aucune action n°{numero} dans le territoire {choisi.nom} : rechargez la page Suivi.")
    avant = (action.statut.libelle, action.echeance)
    description = modifier_action(
        session, numero, statut=statut, echeance=echeance, maintenant=maintenant, aujourd_hui=aujourd_hui
    )
    changements = []
    if action.statut.libelle != avant[0]:
        changements.append(f"statut « {avant[0]} » → « {action.statut.libelle} »")
    if action.echeance != avant[1]:
        ancienne = f"{avant[1]:%d/%m/%Y}" if avant[1] else "aucune"
        nouvelle = f"{action.echeance:%d/%m/%Y}" if action.echeance else "aucune"
        changements.append(f"échéance {ancienne} → {nouvelle}")
    if changements:
        journaliser(
            session,
            auteur,
            ActionJournal.MODIFICATION_ACTION,
            le=maintenant,
            reunion_id=action.reunion_id,
            details=f"Action n°{numero} « {action.libelle} » : {', '.join(changements)}",
        )
    return description
