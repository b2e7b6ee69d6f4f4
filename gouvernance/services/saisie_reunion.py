"""Planifier une réunion depuis un formulaire (la page « Réunions ») : mêmes règles que `ctg reunion planifier`.

Les champs saisis deviennent la même `DemandeReunion` que le fichier YAML ou les options de la commande, et
passent par le même cas d'usage `planifier_reunion` : délai de convocation, changements d'heure, orientations
du référentiel, annuaire, doublons. Seuls les noms des champs dans les messages changent : ceux du formulaire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides
from gouvernance.reunions.demande import DemandeReunion
from gouvernance.services.reunions import Planification, planifier_reunion

#: Le nom de chaque champ de la demande, tel que le formulaire l'affiche.
LIBELLES = {
    "instance": "Instance",
    "titre": "Intitulé",
    "debut": "Date et heure",
    "duree": "Durée",
    "fin": "Fin",
    "lieu": "Lieu",
    "visio": "Lien de visioconférence",
    "invites": "Invités en plus",
    "orientations": "orientations",
    "rapporteur": "rapporteur",
}
_CHAMP_DE_POINT = re.compile(r"^points › n°(\d+) › (\w+)$")


@dataclass(frozen=True)
class SaisiePoint:
    titre: str
    orientations: tuple[str, ...] = ()
    rapporteur: str = ""
    duree: str = ""


@dataclass(frozen=True)
class SaisieReunion:
    """Les champs du formulaire, tels que saisis (chaînes ; vides quand rien n'est saisi)."""

    instance: str
    #: La date (AAAA-MM-JJ, du sélecteur de date) et l'heure (HH:MM) : heure de Paris.
    jour: str
    heure: str
    duree: str = ""
    titre: str = ""
    lieu: str = ""
    visio: str = ""
    points: tuple[SaisiePoint, ...] = ()
    invites: tuple[str, ...] = field(default_factory=tuple)


def planifier_depuis_saisie(
    session: Session,
    saisie: SaisieReunion,
    *,
    territoire: str | None,
    maintenant: datetime,
    urgence: bool = False,
    doublon: bool = False,
) -> Planification:
    """Planifie la réunion saisie ; DonneesInvalides avec chaque problème nommé comme son champ sinon."""
    demande = demande_de_saisie(saisie)
    try:
        return planifier_reunion(
            session, demande, territoire=territoire, maintenant=maintenant, urgence=urgence, doublon=doublon
        )
    except DonneesInvalides as erreur:
        raise DonneesInvalides(erreur.message, details=[nommer_champ(detail) for detail in erreur.details]) from None


def demande_de_saisie(saisie: SaisieReunion) -> DemandeReunion:
    """La demande décrite par le formulaire ; les points sans titre (lignes laissées vides) sont ignorés."""
    if not saisie.jour.strip() or not saisie.heure.strip():
        manque = [nom for nom, valeur in (("la date", saisie.jour), ("l'heure", saisie.heure)) if not valeur.strip()]
        raise DonneesInvalides(
            "La réunion n'a pas été planifiée. Corrigez ceci :",
            details=[f"Date et heure : indiquez {' et '.join(manque)} de la réunion"],
        )
    valeurs: dict[str, object] = {
        "instance": saisie.instance,
        "debut": f"{saisie.jour.strip()} {saisie.heure.strip()}",
        "points": [
            {
                "titre": point.titre,
                "orientations": [code for code in point.orientations if code.strip()],
                **({"rapporteur": point.rapporteur} if point.rapporteur.strip() else {}),
                **({"duree": point.duree} if point.duree.strip() else {}),
            }
            for point in saisie.points
            if point.titre.strip()
        ],
        "invites": [adresse for adresse in saisie.invites if adresse.strip()],
    }
    for champ in ("duree", "titre", "lieu", "visio"):
        if texte := getattr(saisie, champ).strip():
            valeurs[champ] = texte
    try:
        return DemandeReunion.model_validate(valeurs)
    except ValidationError as erreur:
        raise DonneesInvalides(
            "La réunion n'a pas été planifiée : rien n'a été enregistré. Corrigez ceci :",
            details=[_decrire(probleme) for probleme in erreur.errors(include_url=False)],
        ) from erreur


def nommer_champ(detail: str) -> str:
    """« debut : … » → « Date et heure : … » ; « points › n°2 › orientations : … » → « Point 2, orientations : … »."""
    champ, separateur, message = detail.partition(" : ")
    if not separateur:
        return detail
    if point := _CHAMP_DE_POINT.match(champ):
        return f"Point {point[1]}, {LIBELLES.get(point[2], point[2])} : {message}"
    return f"{LIBELLES.get(champ, champ)} : {message}"


def _decrire(probleme: ErrorDetails) -> str:
    loc = probleme["loc"]
    # Nos validateurs lèvent ValueError en français ; pydantic le range dans « ctx » (sinon il préfixe son texte).
    message = str(probleme.get("ctx", {}).get("error", "")) or probleme["msg"]
    if len(loc) >= 3 and loc[0] == "points" and isinstance(loc[1], int):
        return f"Point {loc[1] + 1}, {LIBELLES.get(str(loc[2]), str(loc[2]))} : {message}"
    return f"{LIBELLES.get(str(loc[0]), str(loc[0])) if loc else '?'} : {message}"
