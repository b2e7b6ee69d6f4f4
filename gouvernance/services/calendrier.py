"""Planifier les réunions de l'année : proposer (lecture), demander, puis enregistrer en revérifiant."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gouvernance.calendrier.planification_annuelle import Proposition, enregistrer_propositions, proposer_calendrier
from gouvernance.calendrier.rythme import Rythme
from gouvernance.calendrier.vacances import lire_zone
from gouvernance.comptes import UtilisateurConnecte
from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import compte
from gouvernance.reglages import Reglages
from gouvernance.services.comptes import journaliser
from gouvernance.territoires import choisir_territoire
from modeles import ActionJournal, Territoire
from modeles.moteur import ouvrir_session


@dataclass(frozen=True)
class CalendrierAnnuel:
    """Les réunions proposées pour l'année, et ce qui en a été enregistré."""

    annee: int
    territoire: str
    propositions: tuple[Proposition, ...]
    #: Combien étaient à enregistrer quand elles ont été proposées.
    a_enregistrer: int
    #: L'utilisateur a demandé l'enregistrement (option ou réponse « oui »).
    confirme: bool = False
    enregistrees: int = 0

    @property
    def refusees(self) -> list[Proposition]:
        """Les propositions acceptées que l'enregistrement n'a pas pu retenir."""
        return [p for p in self.propositions if p.etat in ("impossible", "trop-proche")]


#: Une proposition désignée par son instance, son jour et son heure (les cases cochées de la page Calendrier).
Cle = tuple[str, date, time]

#: Reçoit les propositions (sans transaction ouverte) et dit s'il faut les enregistrer.
Confirmation = Callable[[CalendrierAnnuel], bool]


def planifier_annee(
    moteur: Engine,
    designation_territoire: str | None,
    annee: int,
    rythmes: Mapping[str, Rythme | None],
    *,
    maintenant: datetime,
    confirmer: Confirmation,
    nouvel_uid: Callable[[], str],
    vacances_zone: str | None = None,
    alsace_moselle: bool = False,
    retenues: Collection[Cle] | None = None,
    auteur: UtilisateurConnecte | None = None,
) -> CalendrierAnnuel:
    """Propose les réunions de l'année, demande à `confirmer`, puis les enregistre s'il répond oui.

    La question est posée hors de toute transaction : pendant que l'utilisateur réfléchit, les relances
    et les autres commandes écrivent librement. L'enregistrement recalcule les propositions dans sa
    transaction courte et n'enregistre que celles qui ont été montrées et restent à enregistrer : une
    réunion planifiée entre-temps le même jour n'est pas doublée. `retenues` : seules celles-là parmi les
    propositions (celles que la page a laissées cochées). `auteur` : l'enregistrement va au journal des actions.
    """

    def proposer(session: Session, territoire: Territoire) -> list[Proposition]:
        return proposer_calendrier(
            session,
            territoire,
            annee,
            rythmes,
            maintenant=maintenant,
            vacances_zone=vacances_zone,
            alsace_moselle=alsace_moselle,
        )

    with ouvrir_session(moteur) as session:
        territoire = choisir_territoire(session, designation_territoire)
        territoire_id, nom = territoire.id, territoire.nom
        propositions = proposer(session, territoire)
    plan = CalendrierAnnuel(annee, nom, tuple(propositions), sum(p.a_enregistrer for p in propositions))
    if not plan.a_enregistrer or not confirmer(plan):
        return plan
    montrees = {_cle(p) for p in propositions if p.a_enregistrer}
    if retenues is not None:
        montrees &= set(retenues)
    with ouvrir_session(moteur, ecriture=True) as session:
        territoire = session.get_one(Territoire, territoire_id)
        revues = proposer(session, territoire)
        acceptees = [p for p in revues if p.a_enregistrer and _cle(p) in montrees]
        enregistrees = enregistrer_propositions(
            session, territoire, acceptees, maintenant=maintenant, nouvel_uid=nouvel_uid
        )
        if auteur is not None and enregistrees:
            details = f"{compte(enregistrees, 'réunion enregistrée', 'réunions enregistrées')} pour {annee}"
            journaliser(session, auteur, ActionJournal.CALENDRIER, le=maintenant, details=details)
    return CalendrierAnnuel(annee, nom, tuple(revues), plan.a_enregistrer, True, enregistrees)


def zone_et_feries(reglages: Reglages) -> tuple[str | None, bool]:
    """La zone de vacances scolaires à éviter (CTG_VACANCES_ZONE, None : aucune) et les fériés d'Alsace-Moselle."""
    texte = reglages.valeur("VACANCES_ZONE")
    alsace_moselle = reglages.valeur("ALSACE_MOSELLE") in ("1", "oui", "true")
    if texte is None or texte.strip().lower() in ("aucune", "non", ""):
        return None, alsace_moselle
    try:
        return lire_zone(texte), alsace_moselle
    except DonneesInvalides as erreur:
        raise DonneesInvalides(f"Réglage CTG_VACANCES_ZONE (ou vacances_zone dans ctg.toml) : {erreur}") from None


def _cle(proposition: Proposition) -> Cle:
    return proposition.instance.code, proposition.jour, proposition.heure
