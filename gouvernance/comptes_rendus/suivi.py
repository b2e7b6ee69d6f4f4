"""Le suivi des décisions et des actions d'une réunion à l'autre : filtrer, trier (en retard d'abord), mettre à jour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, false, func, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from gouvernance.comptes_rendus.preparation import ACTIONS_OUVERTES, origine
from gouvernance.dates import lire_date
from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.textes import cle_de_comparaison
from modeles import Action, Decision, Enjeu, Instance, Orientation, Reunion, StatutAction, Territoire

_Ligne = TypeVar("_Ligne", Action, Decision)


def est_en_retard(action: Action, jour: date) -> bool:
    """Une action encore à mener dont l'échéance est passée au `jour` dit : la seule définition du retard."""
    return action.statut in ACTIONS_OUVERTES and action.echeance is not None and action.echeance < jour


def actions_en_retard(session: Session, territoire: Territoire, jour: date) -> list[Action]:
    """Les actions en retard du territoire, l'échéance la plus ancienne d'abord (filtrées par la base)."""
    requete = (
        select(Action)
        .join(Reunion)
        .join(Instance)
        .where(
            Instance.territoire_id == territoire.id,
            Action.statut.in_(ACTIONS_OUVERTES),
            Action.echeance.is_not(None),
            Action.echeance < jour,
        )
        .options(selectinload(Action.reunion).selectinload(Reunion.instance))
        .order_by(Action.echeance, Action.id)
    )
    return list(session.scalars(requete))


@dataclass(frozen=True)
class Filtres:
    enjeu: int | None = None
    orientation: str | None = None
    instance: str | None = None
    responsable: str | None = None
    statut: str | None = None
    #: Les actions dont l'échéance tombe ce jour-là ou avant (les décisions, sans échéance, ne sont plus listées).
    echeance_au_plus_tard: date | None = None


def lire_statut(texte: str) -> StatutAction:
    """Le statut saisi (« terminé », « réalisé », « à faire »…), lu comme dans le compte rendu Word."""
    try:
        return StatutAction.lire(texte)
    except ValueError as erreur:
        raise DonneesInvalides(f"Statut inconnu : {erreur}.") from erreur


def _filtrer(requete: Select[_Ligne], relation: Any, territoire: Territoire, filtres: Filtres) -> Select[_Ligne]:
    """Le territoire, l'instance, l'enjeu et l'orientation filtrés par la base (pas de boucle en Python)."""
    requete = requete.join(Reunion).join(Instance).where(Instance.territoire_id == territoire.id)
    if filtres.instance:
        requete = requete.where(func.upper(Instance.code) == filtres.instance.upper())
    if filtres.enjeu is not None:
        requete = requete.where(relation.any(Orientation.enjeu.has(Enjeu.numero == filtres.enjeu)))
    code = (filtres.orientation or "").lower().removeprefix("orientation").strip()
    if code:
        enjeu, _, numero = code.partition(".")
        if not (enjeu.isdigit() and numero.isdigit()):
            return requete.where(false())
        requete = requete.where(
            relation.any(and_(Orientation.numero == int(numero), Orientation.enjeu.has(Enjeu.numero == int(enjeu))))
        )
    return requete


def lister_suivi(session: Session, territoire: Territoire, filtres: Filtres, *, aujourd_hui: date) -> dict[str, Any]:
    """Les actions (en retard d'abord, puis par échéance) et les décisions du territoire qui passent les filtres.

    Le même nombre de requêtes quelle que soit la taille de la base : les filtres sont faits par la base et
    réunions, instances, orientations et enjeux sont chargés d'un bloc.
    """
    statut = lire_statut(filtres.statut) if filtres.statut else None
    requete = _filtrer(select(Action), Action.orientations, territoire, filtres).options(
        contains_eager(Action.reunion).contains_eager(Reunion.instance),
        selectinload(Action.orientations).joinedload(Orientation.enjeu),
    )
    if statut:
        requete = requete.where(Action.statut == statut)
    if filtres.echeance_au_plus_tard is not None:
        requete = requete.where(Action.echeance <= filtres.echeance_au_plus_tard)
    actions = []
    for action in session.scalars(requete):
        if filtres.responsable and cle_de_comparaison(filtres.responsable) not in cle_de_comparaison(
            action.responsable or ""
        ):
            continue
        actions.append(decrire_action(action, aujourd_hui=aujourd_hui))
    actions.sort(key=lambda a: (not a["en_retard"], a["echeance"] or "9999", a["numero"]))
    decisions = []
    if not filtres.responsable and not statut and filtres.echeance_au_plus_tard is None:
        requete_decisions = _filtrer(select(Decision), Decision.orientations, territoire, filtres).options(
            contains_eager(Decision.reunion).contains_eager(Reunion.instance),
            selectinload(Decision.orientations).joinedload(Orientation.enjeu),
        )
        for decision in session.scalars(requete_decisions.order_by(Reunion.debut, Decision.numero)):
            decisions.append(
                {
                    "reunion": decision.reunion_id,
                    "origine": origine(decision.reunion),
                    "numero": decision.numero,
                    "texte": decision.texte,
                    "orientations": [o.code for o in decision.orientations],
                }
            )
    return {"actions": actions, "decisions": decisions}


def decrire_action(action: Action, *, aujourd_hui: date) -> dict[str, Any]:
    return {
        "numero": action.id,
        "libelle": action.libelle,
        "responsable": action.responsable,
        "echeance": action.echeance.isoformat() if action.echeance else None,
        "statut": action.statut,
        "statut_libelle": action.statut.libelle,
        "en_retard": est_en_retard(action, aujourd_hui),
        "reunion": action.reunion_id,
        "origine": origine(action.reunion),
        "orientations": [o.code for o in action.orientations],
    }


def changer_action(
    session: Session, numero: int, *, statut: str | None, echeance: str | None, maintenant: datetime
) -> Action:
    """Change le statut ou l'échéance d'une action."""
    action = session.get(Action, numero)
    if action is None:
        raise Introuvable(f"Aucune action n°{numero}. `ctg suivi` les liste avec leur numéro.")
    if statut is None and echeance is None:
        raise DonneesInvalides("Donnez --statut ou --echeance.")
    if statut is not None:
        action.statut = lire_statut(statut)
    if echeance is not None:
        try:
            action.echeance = lire_date(echeance)
        except ValueError as erreur:
            raise DonneesInvalides(f"--echeance : {erreur}.") from erreur
    action.modifie_le = maintenant
    session.flush()
    return action
