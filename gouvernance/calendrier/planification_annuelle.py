"""Proposer les réunions d'une année selon le rythme de chaque instance, puis les enregistrer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.calendrier.jours_feries import jour_ferie
from gouvernance.calendrier.rythme import Rythme, dates_de_l_annee, rythme_enregistre
from gouvernance.calendrier.vacances import vacances_le, verifier_annee
from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import date_complete
from gouvernance.reunions.demande import DemandeReunion
from gouvernance.reunions.horaires import instant_a_paris, jours_francs
from gouvernance.reunions.planification import enregistrer_reunion
from gouvernance.reunions.vue import FUSEAU
from modeles import Instance, Reunion, StatutReunion, Territoire

#: L'état d'une proposition, et son libellé.
ETATS = {
    "proposee": "à enregistrer",
    "existante": "déjà planifiée",
    "passee": "date passée",
    "trop-proche": "trop proche",
    "impossible": "impossible",
    "enregistree": "enregistrée",
}


@dataclass
class Proposition:
    """Une réunion proposée par le rythme d'une instance."""

    instance: Instance
    jour: date
    heure: time
    titre: str
    debut: datetime | None = None
    #: « déplacée du lundi 29 mars 2027 au lundi 5 avril 2027 : lundi de Pâques », quand un obstacle l'a repoussée.
    note: str = ""
    etat: str = "proposee"
    #: Pourquoi elle est écartée (délai de convocation, réunion existante…).
    detail: str = ""
    reunion_id: int | None = None

    @property
    def a_enregistrer(self) -> bool:
        return self.etat == "proposee"

    def en_dict(self) -> dict[str, object]:
        return {
            "instance": self.instance.code,
            "titre": self.titre,
            "jour": self.jour.isoformat(),
            "heure": f"{self.heure:%H:%M}",
            "debut": self.debut.isoformat() if self.debut else None,
            "note": self.note or None,
            "etat": self.etat,
            "detail": self.detail or None,
            "reunion": self.reunion_id,
        }


#: Une fonction qui dit pourquoi un jour ne convient pas (« Ascension », « vacances d'hiver (zone C) »), ou None.
Obstacle = Callable[[date], str | None]

#: Au-delà, la règle ne trouve plus de jour libre : mieux vaut le dire que chercher sans fin.
_SEMAINES_AU_PLUS = 26


def deplacer(jour: date, obstacles: Sequence[Obstacle]) -> tuple[date, str]:
    """Le jour, repoussé de semaine en semaine (même jour de la semaine) tant qu'un obstacle l'interdit,
    et la note qui le dit ; le jour tel quel et une note vide s'il convient."""
    raisons: list[str] = []
    retenu = jour
    for _ in range(_SEMAINES_AU_PLUS):
        trouvees = [raison for obstacle in obstacles if (raison := obstacle(retenu)) is not None]
        if not trouvees:
            break
        raisons += [raison for raison in trouvees if raison not in raisons]
        retenu += timedelta(days=7)
    else:
        raise DonneesInvalides(
            f"Aucun {format_date(jour, 'EEEE', locale='fr_FR')} libre dans les {_SEMAINES_AU_PLUS} semaines qui "
            f"suivent le {date_complete(jour)} ({', '.join(raisons)}) : changez le rythme de l'instance."
        )
    if not raisons:
        return jour, ""
    return retenu, f"déplacée du {date_complete(jour)} au {date_complete(retenu)} : {', '.join(raisons)}"


def obstacles_de_l_annee(annee: int, vacances_zone: str | None, *, alsace_moselle: bool = False) -> list[Obstacle]:
    """Les jours fériés, et les vacances scolaires de la zone s'il y en a une (DonneesInvalides si inconnues)."""
    obstacles: list[Obstacle] = [partial(jour_ferie, alsace_moselle=alsace_moselle)]
    if vacances_zone is not None:
        verifier_annee(annee)
        obstacles.append(vacances_le(vacances_zone))
    return obstacles


def titre_reunion(instance: Instance, jour: date) -> str:
    """« Comité de pilotage de suivi — mars 2027 »."""
    return f"{instance.intitule} — {format_date(jour, 'MMMM y', locale='fr_FR')}"


def proposer_calendrier(
    session: Session,
    territoire: Territoire,
    annee: int,
    rythmes: Mapping[str, Rythme | None],
    *,
    maintenant: datetime,
    vacances_zone: str | None = None,
    alsace_moselle: bool = False,
) -> list[Proposition]:
    """Les réunions de l'année pour chaque instance du territoire, dans l'ordre des dates.

    `rythmes` (un fichier, par code d'instance en majuscules) l'emporte sur le rythme enregistré de l'instance ;
    une instance sans l'un ni l'autre n'a pas de réunion proposée. Les jours fériés, et les vacances scolaires
    de `vacances_zone` (A, B ou C), repoussent une réunion à la semaine suivante ; `alsace_moselle` ajoute
    le Vendredi saint et la Saint-Étienne aux jours fériés.
    """
    obstacles = obstacles_de_l_annee(annee, vacances_zone, alsace_moselle=alsace_moselle)
    instances = list(
        session.scalars(select(Instance).where(Instance.territoire_id == territoire.id).order_by(Instance.id))
    )
    inconnus = sorted(set(rythmes) - {instance.code.upper() for instance in instances})
    if inconnus:
        codes = ", ".join(instance.code for instance in instances) or "aucune"
        raise DonneesInvalides(
            f"Le fichier des rythmes cite des instances inconnues de {territoire.nom} : {', '.join(inconnus)} "
            f"(instances : {codes}). Rien n'a été planifié."
        )
    propositions: list[Proposition] = []
    for instance in instances:
        code = instance.code.upper()
        rythme = rythmes[code] if code in rythmes else rythme_enregistre(instance)
        if rythme is None:
            continue
        occupes = _jours_occupes(session, instance, annee)
        for jour_prevu in dates_de_l_annee(rythme, annee):
            jour, note = deplacer(jour_prevu, obstacles)
            proposition = Proposition(instance, jour, rythme.heure, titre_reunion(instance, jour), note=note)
            _qualifier(proposition, occupes, maintenant)
            occupes.setdefault(jour, None)
            propositions.append(proposition)
    return sorted(propositions, key=lambda p: (p.jour, p.heure, p.instance.code))


def _jours_occupes(session: Session, instance: Instance, annee: int) -> dict[date, int | None]:
    """Les jours (à Paris) où l'instance a déjà une réunion non annulée, avec son numéro."""
    debut = datetime(annee - 1, 12, 30, tzinfo=UTC)
    fin = datetime(annee + 1, 1, 3, tzinfo=UTC)
    requete = select(Reunion).where(
        Reunion.instance_id == instance.id,
        Reunion.statut != StatutReunion.ANNULEE,
        Reunion.debut >= debut,
        Reunion.debut < fin,
    )
    return {reunion.debut.astimezone(FUSEAU).date(): reunion.id for reunion in session.scalars(requete)}


def _qualifier(proposition: Proposition, occupes: Mapping[date, int | None], maintenant: datetime) -> None:
    jour = proposition.jour
    try:
        proposition.debut = instant_a_paris(jour, proposition.heure)
    except ValueError as erreur:
        proposition.etat, proposition.detail = "impossible", str(erreur)
        return
    if jour in occupes:
        numero = occupes[jour]
        proposition.etat = "existante"
        proposition.detail = f"réunion n°{numero}" if numero is not None else "une autre proposition ce jour-là"
        return
    delai = proposition.instance.delai_convocation_jours
    if proposition.debut <= maintenant:
        proposition.etat = "passee"
    elif jours_francs(maintenant.astimezone(FUSEAU).date(), jour) < delai:
        proposition.etat = "trop-proche"
        proposition.detail = (
            f"le {proposition.instance.code} se convoque {delai} jours francs avant : trop tard pour cette date "
            "(en cas de besoin : `ctg reunion planifier --urgence`)"
        )


def enregistrer_propositions(
    session: Session,
    territoire: Territoire,
    propositions: list[Proposition],
    *,
    maintenant: datetime,
    nouvel_uid: Callable[[], str],
) -> int:
    """Planifie chaque proposition à enregistrer ; renvoie leur nombre. Les refus restent dans `detail`.

    L'ordre du jour n'est pas proposé ici : il se prépare plus près de la date (`ctg reunion modifier`).
    """
    enregistrees = 0
    for proposition in propositions:
        if not proposition.a_enregistrer:
            continue
        demande = DemandeReunion(
            instance=proposition.instance.code,
            titre=proposition.titre,
            debut=f"{proposition.jour.isoformat()} {proposition.heure:%H:%M}",
        )
        try:
            # enregistrer_reunion vérifie tout avant d'ajouter quoi que ce soit : un refus ne laisse rien en session.
            reunion = enregistrer_reunion(
                session, territoire, demande, maintenant=maintenant, uid=nouvel_uid(), urgence=False, proposer=False
            )
        except DonneesInvalides as erreur:
            proposition.etat = "impossible"
            proposition.detail = " ; ".join(erreur.details) or erreur.message
            continue
        proposition.etat, proposition.reunion_id = "enregistree", reunion.id
        enregistrees += 1
    return enregistrees
