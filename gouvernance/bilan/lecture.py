"""Lire dans la base ce qu'il faut au bilan d'une année, en quelques requêtes, puis le calculer."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gouvernance.bilan.calcul import bornes_de_l_annee, calculer_bilan
from gouvernance.bilan.chiffres import Bilan
from gouvernance.erreurs import DonneesInvalides
from gouvernance.reunions.vue import FUSEAU
from modeles import (
    Action,
    CompteRendu,
    Decision,
    Enjeu,
    Fonction,
    Instance,
    Invitation,
    Orientation,
    Personne,
    PointOrdreDuJour,
    Reunion,
    Territoire,
)

#: Les années qu'un bilan accepte : au-delà, c'est une faute de frappe.
PREMIERE_ANNEE, DERNIERE_ANNEE = 2000, 2100


def fin_de_journee(jour: date) -> datetime:
    """Le dernier instant du jour `jour` à Paris : le bilan arrêté au 31 décembre compte les réunions de ce soir-là."""
    return datetime.combine(jour, time(23, 59, 59), tzinfo=FUSEAU)


def verifier_annee(annee: int, arrete_au: date) -> None:
    """Refuse une année hors des bornes, ou qui n'a pas commencé à la date du bilan."""
    if not PREMIERE_ANNEE <= annee <= DERNIERE_ANNEE:
        raise DonneesInvalides(
            f"L'année {annee} n'est pas valide : donnez une année entre {PREMIERE_ANNEE} et {DERNIERE_ANNEE}, "
            "par exemple 2027."
        )
    if date(annee, 1, 1) > arrete_au:
        raise DonneesInvalides(
            f"L'année {annee} n'a pas encore commencé (bilan arrêté au {arrete_au:%d/%m/%Y}) : "
            "un bilan porte sur une année en cours ou passée."
        )


def lire_bilan(session: Session, territoire: Territoire, annee: int, *, arrete_le: datetime) -> Bilan:
    """Le bilan de l'année `annee` pour `territoire`, tel qu'il est à l'instant `arrete_le`."""
    debut, fin = bornes_de_l_annee(annee)
    reunions = list(
        session.scalars(
            select(Reunion)
            .join(Instance)
            .where(Instance.territoire_id == territoire.id, Reunion.debut >= debut, Reunion.debut < fin)
            .options(
                selectinload(Reunion.instance),
                selectinload(Reunion.points).selectinload(PointOrdreDuJour.orientations),
                selectinload(Reunion.invitations)
                .selectinload(Invitation.personne)
                .selectinload(Personne.fonctions)
                .selectinload(Fonction.partenaire),
            )
        )
    )
    identifiants = [r.id for r in reunions]
    requete = select(CompteRendu.reunion_id, CompteRendu.statut).where(CompteRendu.reunion_id.in_(identifiants))
    statuts = {reunion_id: statut for reunion_id, statut in session.execute(requete)}
    decisions = list(
        session.scalars(
            select(Decision)
            .where(Decision.reunion_id.in_(identifiants))
            .order_by(Decision.reunion_id, Decision.numero)
            .options(selectinload(Decision.orientations).selectinload(Orientation.enjeu))
        )
    )
    actions = list(
        session.scalars(
            select(Action)
            .where(Action.reunion_id.in_(identifiants))
            .order_by(Action.id)
            .options(selectinload(Action.orientations).selectinload(Orientation.enjeu))
        )
    )
    enjeux = list(
        session.scalars(
            select(Enjeu)
            .where(Enjeu.territoire_id == territoire.id)
            .order_by(Enjeu.numero)
            .options(selectinload(Enjeu.orientations))
        )
    )
    convention = territoire.convention_en_vigueur(date(annee, 12, 31)) or territoire.convention_en_vigueur(
        date(annee, 1, 1)
    )
    return calculer_bilan(
        territoire=territoire.nom,
        convention=convention.intitule if convention is not None else None,
        annee=annee,
        arrete_le=arrete_le,
        enjeux=enjeux,
        reunions=reunions,
        statuts_comptes_rendus=statuts,
        decisions=decisions,
        actions=actions,
    )
