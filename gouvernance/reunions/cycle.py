"""La vie d'une réunion planifiée : convoquer, modifier, annuler ; et ce qu'on en montre."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from gouvernance import saisie
from gouvernance.durees import lire_duree
from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import compte, date_complete, moment
from gouvernance.reunions.horaires import (
    dernier_jour_d_envoi,
    expliquer_delai,
    instant_a_paris,
    jours_francs,
    lire_date_heure,
)
from gouvernance.reunions.vue import FUSEAU
from modeles import Reunion, StatutReunion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from gouvernance.reunions.demande import PointDemande


def verifier_convocable(reunion: Reunion, maintenant: datetime, *, commencee: bool = False) -> None:
    """Refuse de convoquer une réunion annulée, passée, ou trop proche pour le délai de son instance.

    Une convocation `commencee` à temps (ses courriels préparés, certains pas encore partis) se reprend même
    une fois le délai passé : seuls les courriels qui manquent partent.
    """
    if reunion.statut is StatutReunion.ANNULEE:
        raise DonneesInvalides(
            f"La réunion n°{reunion.id} a été annulée : elle ne peut plus être convoquée. "
            "Planifiez-en une nouvelle avec `ctg reunion planifier`."
        )
    if reunion.debut <= maintenant:
        raise DonneesInvalides(
            f"La réunion n°{reunion.id} a déjà commencé ou est passée : elle ne peut plus être convoquée."
        )
    if not commencee:
        verifier_delai(reunion, reunion.debut, maintenant)


def verifier_delai(reunion: Reunion, debut: datetime, maintenant: datetime) -> None:
    """Refuse une date trop proche : le délai de convocation de l'instance en jours francs, 1 en urgence."""
    instance = reunion.instance
    delai = 1 if reunion.urgence else instance.delai_convocation_jours
    envoi, jour = maintenant.astimezone(FUSEAU).date(), debut.astimezone(FUSEAU).date()
    if jours_francs(envoi, jour) >= delai:
        return
    if reunion.urgence:
        raise DonneesInvalides(
            "Même en urgence, il faut au moins 1 jour franc entre la convocation et la réunion : pour le "
            f"{date_complete(jour)}, la convocation devait partir au plus tard le "
            f"{date_complete(dernier_jour_d_envoi(jour, 1))}."
        )
    raise DonneesInvalides(expliquer_delai(f"Le {instance.code}", delai, jour, envoi) + ".")


def ecrire_moment(instant: datetime) -> str:
    """« mardi 8 décembre 2026 à 18 h 00 », à l'heure de Paris."""
    return moment(instant)


@dataclass(frozen=True)
class Modification:
    #: Vrai si la date, l'heure, le lieu ou la visio ont changé : les invités doivent être prévenus.
    materielle: bool
    #: Ce qui a changé, en phrases pour le courrier et le courriel.
    changements: tuple[str, ...]


def appliquer_modification(
    reunion: Reunion,
    *,
    debut: str | None = None,
    fin: str | None = None,
    duree: str | None = None,
    lieu: str | None = None,
    visio: str | None = None,
    titre: str | None = None,
    maintenant: datetime,
    urgence: bool = False,
) -> Modification:
    """Applique les changements donnés ; un changement matériel relève le SEQUENCE (même UID).

    Une nouvelle date respecte le délai de convocation de l'instance, comme à la planification ; `urgence`
    le ramène à 1 jour franc (et la réunion le garde pour sa convocation)."""
    if reunion.statut is StatutReunion.ANNULEE:
        raise DonneesInvalides(f"La réunion n°{reunion.id} est annulée : elle ne peut plus être modifiée.")
    try:
        nouveau_debut, nouvelle_fin = _nouveaux_horaires(reunion, debut, fin, duree)
        nouveau_lieu = saisie.une_ligne("lieu", lieu)
        nouvelle_visio = saisie.une_ligne("visio", visio)
        nouveau_titre = saisie.une_ligne("titre", titre)
    except ValueError as erreur:
        raise DonneesInvalides(f"La réunion n'a pas été modifiée : {erreur}.") from erreur
    if nouveau_debut <= maintenant:
        raise DonneesInvalides("La réunion n'a pas été modifiée : la nouvelle date est passée.")
    if urgence:
        reunion.urgence = True
    if nouveau_debut != reunion.debut:
        verifier_delai(reunion, nouveau_debut, maintenant)
    changements: list[str] = []
    if nouveau_debut != reunion.debut or nouvelle_fin != reunion.fin:
        changements.append(
            f"Nouvel horaire : le {ecrire_moment(nouveau_debut)} (au lieu du {ecrire_moment(reunion.debut)}), "
            f"jusqu'à {ecrire_moment(nouvelle_fin).rpartition(' à ')[2]}."
        )
        reunion.debut, reunion.fin = nouveau_debut, nouvelle_fin
    if nouveau_lieu and nouveau_lieu != reunion.lieu:
        changements.append(f"Nouveau lieu : {nouveau_lieu} (au lieu de : {reunion.lieu or 'non précisé'}).")
        reunion.lieu = nouveau_lieu
    if nouvelle_visio and nouvelle_visio != reunion.visio:
        changements.append(f"Nouveau lien de visioconférence : {nouvelle_visio}.")
        reunion.visio = nouvelle_visio
    materielle = bool(changements)
    if materielle:
        reunion.sequence += 1
    if nouveau_titre and nouveau_titre != reunion.titre:
        changements.append(f"Nouvel intitulé : {nouveau_titre}.")
        reunion.titre = nouveau_titre
    return Modification(materielle=materielle, changements=tuple(changements))


def remplacer_ordre_du_jour(session: Session, reunion: Reunion, points: list[PointDemande]) -> tuple[str, ...]:
    """Remplace les points de l'ordre du jour (changement mineur) ; renvoie ce qui a changé, en phrases."""
    from gouvernance.reunions.planification import construire_points

    nouveaux = construire_points(session, reunion.instance.territoire, points)
    avant = [(p.titre, p.rapporteur, p.duree_minutes, sorted(o.code for o in p.orientations)) for p in reunion.points]
    apres = [(p.titre, p.rapporteur, p.duree_minutes, sorted(o.code for o in p.orientations)) for p in nouveaux]
    if avant == apres:
        return ()
    reunion.points.clear()
    session.flush()
    reunion.points.extend(nouveaux)
    session.flush()
    return (f"Ordre du jour mis à jour ({compte(len(nouveaux), 'point')}).",)


def _nouveaux_horaires(
    reunion: Reunion, debut: str | None, fin: str | None, duree: str | None
) -> tuple[datetime, datetime]:
    nouveau_debut = instant_a_paris(*lire_date_heure(debut)) if debut else reunion.debut
    if fin and duree:
        raise ValueError("donnez la fin ou la durée, pas les deux")
    if fin:
        jour = nouveau_debut.astimezone(FUSEAU).date().isoformat()
        nouvelle_fin = instant_a_paris(*lire_date_heure(fin if " " in fin.strip() else f"{jour} {fin}"))
    elif duree:
        nouvelle_fin = nouveau_debut + timedelta(minutes=lire_duree(duree))
    else:
        nouvelle_fin = nouveau_debut + (reunion.fin - reunion.debut)
    if nouvelle_fin <= nouveau_debut:
        raise ValueError("la réunion doit finir après son début")
    return nouveau_debut, nouvelle_fin


def marquer_annulee(reunion: Reunion, motif: str) -> None:
    """Marque la réunion annulée et relève son SEQUENCE, pour que le CANCEL l'emporte sur l'invitation."""
    if reunion.statut is StatutReunion.ANNULEE:
        raise DonneesInvalides(f"La réunion n°{reunion.id} est déjà annulée.")
    try:
        motif_valide = saisie.une_ligne("motif", motif, obligatoire=True)
    except ValueError as erreur:
        raise DonneesInvalides(f"La réunion n'a pas été annulée : {erreur}.") from erreur
    reunion.motif_annulation = motif_valide
    reunion.statut = StatutReunion.ANNULEE
    reunion.sequence += 1
