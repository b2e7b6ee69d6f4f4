"""Planifier une réunion : vérifier la demande contre le référentiel et l'annuaire, puis l'enregistrer."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.durees import lire_duree
from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import moment
from gouvernance.reunions.demande import DemandeReunion, PointDemande
from gouvernance.reunions.horaires import expliquer_delai, instant_a_paris, jours_francs, lire_date_heure
from gouvernance.reunions.vue import FUSEAU
from gouvernance.saisie import adresse_electronique
from modeles import (
    Enjeu,
    Instance,
    Invitation,
    Orientation,
    Personne,
    PointOrdreDuJour,
    Reunion,
    StatutReunion,
    Territoire,
)

_CODE_ORIENTATION = re.compile(r"^(?:orientation\s+|orient\.\s*)?(\d{1,2})\.(\d{1,2})$", re.IGNORECASE)


class _Problemes(list[str]):
    def ajouter(self, champ: str, message: str) -> None:
        self.append(f"{champ} : {message}")


def nouvel_uid() -> str:
    """L'UID iCalendar d'une nouvelle réunion : unique, il ne change plus jamais (RFC 5545 §3.8.4.7)."""
    return f"{uuid.uuid4()}@ctg-gouvernance"


def enregistrer_reunion(
    session: Session,
    territoire: Territoire,
    demande: DemandeReunion,
    *,
    maintenant: datetime,
    uid: str,
    urgence: bool = False,
    proposer: bool = True,
    doublon: bool = False,
) -> Reunion:
    """Enregistre la réunion, ses points et ses invitations ; DonneesInvalides avec chaque champ fautif sinon.

    Avec `proposer`, l'ordre du jour reprend l'approbation du dernier compte rendu de l'instance et le point
    sur les actions arrivées à échéance, s'il y en a. Une réunion de la même instance au même début (non
    annulée) est refusée, sauf avec `doublon` : planifier deux fois le même fichier n'en crée pas deux.
    """
    problemes = _Problemes()
    instance = _trouver_instance(session, territoire, demande.instance, problemes)
    debut, fin = _horaires(demande, instance, problemes)
    if debut is not None and fin is not None:
        _verifier_calendrier(instance, debut, maintenant, urgence, problemes)
    orientations = _orientations_du_territoire(session, territoire)
    points = [_construire_point(i, point, orientations, problemes) for i, point in enumerate(demande.points, 1)]
    invites = _invites_supplementaires(session, demande.invites, problemes)
    if problemes or instance is None or debut is None or fin is None:
        raise DonneesInvalides("La réunion n'a pas été planifiée. Corrigez ceci :", details=list(problemes))
    if not doublon:
        _refuser_doublon(session, instance, debut)
    reunion = Reunion(
        instance=instance,
        titre=demande.titre or instance.intitule,
        debut=debut,
        fin=fin,
        lieu=demande.lieu or instance.lieu,
        visio=demande.visio,
        uid=uid,
        urgence=urgence,
        cree_le=maintenant,
        points=points,
    )
    reunion.invitations = _invitations(instance, invites)
    session.add(reunion)
    session.flush()
    if proposer:
        from gouvernance.reunions.propositions import proposer_points

        proposer_points(session, reunion)
    return reunion


def _refuser_doublon(session: Session, instance: Instance, debut: datetime) -> None:
    """Refuse une seconde réunion de l'instance au même début : c'est presque toujours la même, replanifiée."""
    existante = session.scalar(
        select(Reunion)
        .where(Reunion.instance_id == instance.id, Reunion.debut == debut, Reunion.statut != StatutReunion.ANNULEE)
        .order_by(Reunion.id)
        .limit(1)
    )
    if existante is None:
        return
    raise DonneesInvalides(
        f"La réunion n°{existante.id} existe déjà : {instance.code} du {moment(debut)}, « {existante.titre} » "
        f"({existante.statut.libelle}). Rien n'a été enregistré. Pour la changer : "
        f"`ctg reunion modifier {existante.id}` ; ajoutez --doublon pour en planifier une seconde à la même heure."
    )


def construire_points(session: Session, territoire: Territoire, points: list[PointDemande]) -> list[PointOrdreDuJour]:
    """Les points d'ordre du jour décrits, reliés aux orientations du territoire ; DonneesInvalides sinon."""
    problemes = _Problemes()
    orientations = _orientations_du_territoire(session, territoire)
    construits = [_construire_point(i, point, orientations, problemes) for i, point in enumerate(points, 1)]
    if problemes:
        raise DonneesInvalides("L'ordre du jour n'a pas été modifié. Corrigez ceci :", details=list(problemes))
    return construits


def _trouver_instance(session: Session, territoire: Territoire, code: str, problemes: _Problemes) -> Instance | None:
    instances = list(
        session.scalars(select(Instance).where(Instance.territoire_id == territoire.id).order_by(Instance.id))
    )
    for instance in instances:
        if instance.code.upper() == code.upper():
            return instance
    codes = ", ".join(i.code for i in instances) or "aucune"
    problemes.ajouter("instance", f"« {code} » n'est pas une instance de {territoire.nom} (instances : {codes})")
    return None


def _horaires(
    demande: DemandeReunion, instance: Instance | None, problemes: _Problemes
) -> tuple[datetime | None, datetime | None]:
    try:
        jour, heure = lire_date_heure(demande.debut)
        debut = instant_a_paris(jour, heure)
    except ValueError as erreur:
        problemes.ajouter("debut", str(erreur))
        return None, None
    if demande.fin and demande.duree:
        problemes.ajouter("fin", "donnez la fin ou la durée, pas les deux")
        return debut, None
    if demande.fin:
        try:
            texte = demande.fin if " " in demande.fin.strip() else f"{jour.isoformat()} {demande.fin}"
            fin = instant_a_paris(*lire_date_heure(texte))
        except ValueError as erreur:
            problemes.ajouter("fin", str(erreur))
            return debut, None
    else:
        minutes = lire_duree(demande.duree) if demande.duree else (instance.duree_minutes if instance else 120)
        fin = debut + timedelta(minutes=minutes)
    if fin <= debut:
        problemes.ajouter("fin", "la réunion doit finir après son début")
    return debut, fin


def _verifier_calendrier(
    instance: Instance | None, debut: datetime, maintenant: datetime, urgence: bool, problemes: _Problemes
) -> None:
    if debut <= maintenant:
        problemes.ajouter("debut", "cette date est passée : une réunion se planifie dans le futur")
        return
    if instance is None:
        return
    envoi = maintenant.astimezone(FUSEAU).date()
    jour = debut.astimezone(FUSEAU).date()
    delai = 1 if urgence else instance.delai_convocation_jours
    if jours_francs(envoi, jour) < delai:
        if urgence:
            problemes.ajouter(
                "debut", "même en urgence, il faut au moins 1 jour franc entre la convocation et la réunion"
            )
        else:
            problemes.ajouter("debut", expliquer_delai(f"Le {instance.code}", delai, jour, envoi))


def _orientations_du_territoire(session: Session, territoire: Territoire) -> dict[tuple[int, int], Orientation]:
    requete = select(Orientation).join(Enjeu).where(Enjeu.territoire_id == territoire.id)
    return {(o.enjeu.numero, o.numero): o for o in session.scalars(requete)}


def _construire_point(
    ordre: int, point: PointDemande, orientations: dict[tuple[int, int], Orientation], problemes: _Problemes
) -> PointOrdreDuJour:
    retenues: list[Orientation] = []
    for code in point.orientations:
        forme = _CODE_ORIENTATION.match(code.strip())
        orientation = orientations.get((int(forme[1]), int(forme[2]))) if forme else None
        if orientation is None:
            problemes.ajouter(
                f"points › n°{ordre} › orientations",
                f"« {code} » n'est pas une orientation du référentiel (codes valides : {_resumer_codes(orientations)})",
            )
        elif orientation not in retenues:
            retenues.append(orientation)
    return PointOrdreDuJour(
        ordre=ordre,
        titre=point.titre,
        rapporteur=point.rapporteur,
        duree_minutes=lire_duree(point.duree) if point.duree else None,
        orientations=retenues,
    )


def _resumer_codes(orientations: dict[tuple[int, int], Orientation]) -> str:
    """« 1.1 à 1.5, 2.1 à 2.2, … » : tous les codes valides, sans les énumérer un par un."""
    morceaux = []
    for enjeu, groupe in groupby(sorted(orientations), key=lambda cle: cle[0]):
        numeros = [numero for _, numero in groupe]
        morceaux.append(
            f"{enjeu}.{numeros[0]}" if len(numeros) == 1 else f"{enjeu}.{numeros[0]} à {enjeu}.{numeros[-1]}"
        )
    return ", ".join(morceaux) or "aucun"


def _invites_supplementaires(session: Session, adresses: list[str], problemes: _Problemes) -> list[Personne]:
    personnes: list[Personne] = []
    for adresse in adresses:
        try:
            email = adresse_electronique(adresse)
        except ValueError as erreur:
            problemes.ajouter("invites", str(erreur))
            continue
        personne = session.scalar(select(Personne).where(Personne.email == email))
        if personne is None:
            problemes.ajouter(
                "invites",
                f"« {email} » n'est pas dans l'annuaire : ajoutez la personne avec "
                f"`ctg personnes ajouter {email} --prenom … --nom …`",
            )
        else:
            personnes.append(personne)
    return personnes


def _invitations(instance: Instance | None, invites: list[Personne]) -> list[Invitation]:
    invitations: dict[int, Invitation] = {}
    for membre in instance.membres if instance else []:
        invitations[membre.personne_id] = Invitation(personne=membre.personne, role=membre.role)
    for personne in invites:
        invitations.setdefault(personne.id, Invitation(personne=personne, role="invite"))
    return list(invitations.values())
