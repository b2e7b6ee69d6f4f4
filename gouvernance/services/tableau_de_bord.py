"""Le tableau de bord : ce qui demande l'attention du coordinateur aujourd'hui, sur son territoire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from gouvernance.erreurs import ErreurCTG
from gouvernance.reglages import Reglages
from gouvernance.reunions.lecture import lire_coordinateur
from gouvernance.reunions.vue import CoordinateurVue
from gouvernance.tableau_de_bord import (
    ActionEnRetard,
    ConventionEnCours,
    MessageASurveiller,
    ProchaineReunion,
    RelanceDeLaSemaine,
    ReunionSansCompteRendu,
    actions_a_relancer,
    comptes_rendus_attendus,
    convention_en_cours,
    jour_de,
    messages_a_surveiller,
    prochaines_reunions,
    relances_de_la_semaine,
)
from gouvernance.territoires import choisir_territoire


@dataclass(frozen=True)
class TableauDeBord:
    territoire: str
    jour: date
    convention: ConventionEnCours | None
    reunions: list[ProchaineReunion]
    messages: list[MessageASurveiller]
    comptes_rendus: list[ReunionSansCompteRendu]
    actions: list[ActionEnRetard]
    relances: list[RelanceDeLaSemaine]


def lire_tableau_de_bord(
    session: Session, territoire: str | None, *, reglages: Reglages, maintenant: datetime
) -> TableauDeBord:
    """Le tableau de bord du territoire `territoire` (son code) au moment `maintenant` ; lecture seule."""
    choisi = choisir_territoire(session, territoire)
    jour = jour_de(maintenant)
    return TableauDeBord(
        territoire=choisi.nom,
        jour=jour,
        convention=convention_en_cours(choisi, jour),
        reunions=prochaines_reunions(session, choisi, maintenant),
        messages=messages_a_surveiller(session, choisi),
        comptes_rendus=comptes_rendus_attendus(session, choisi, maintenant),
        actions=actions_a_relancer(session, choisi, jour),
        relances=relances_de_la_semaine(session, choisi, jour, _organisateur(reglages)),
    )


def _organisateur(reglages: Reglages) -> CoordinateurVue:
    # Sans coordinateur réglé, aucun invité n'est l'organisateur : toutes les relances dues sont montrées.
    try:
        return lire_coordinateur(reglages)
    except ErreurCTG:
        return CoordinateurVue(nom="", fonction=None, email="", telephone=None)
