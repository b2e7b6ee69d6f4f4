"""Lit des fichiers .ics avec libical (ICalGLib) et imprime en JSON ce qu'il en comprend.

Lancé par tests/test_invitation_ics.py avec le Python du système (/usr/bin/python3), seul à voir gir1.2-ical-3.0 :
`python3 lire_libical.py fichier.ics…`. Chaque fichier passe aussi `restriction_check` (les tables de la RFC 5546).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import gi  # type: ignore[import-not-found]

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # type: ignore[import-not-found]  # noqa: E402

UTC = ICalGLib.Timezone.get_utc_timezone()
PARAMETRES = ("CN", "CUTYPE", "ROLE", "PARTSTAT", "RSVP")


def _instant(temps: Any) -> str:
    return str(temps.convert_to_zone(UTC).as_ical_string())


def _adresse(propriete: Any) -> dict[str, str | None]:
    adresse: dict[str, str | None] = {"adresse": propriete.get_value_as_string()}
    for nom in PARAMETRES:
        adresse[nom] = propriete.get_parameter_as_string(nom)
    return adresse


def _evenement(evenement: Any) -> dict[str, Any]:
    participants = []
    propriete = evenement.get_first_property(ICalGLib.PropertyKind.ATTENDEE_PROPERTY)
    while propriete is not None:
        participants.append(_adresse(propriete))
        propriete = evenement.get_next_property(ICalGLib.PropertyKind.ATTENDEE_PROPERTY)
    organisateur = evenement.get_first_property(ICalGLib.PropertyKind.ORGANIZER_PROPERTY)
    debut = evenement.get_dtstart()
    return {
        "uid": evenement.get_uid(),
        "sequence": evenement.get_sequence(),
        "statut": ICalGLib.Property.status_to_string(evenement.get_status()),
        "debut": _instant(debut),
        "fuseau_du_debut": debut.get_tzid(),
        "fin": _instant(evenement.get_dtend()),
        "horodatage": _instant(evenement.get_dtstamp()),
        "resume": evenement.get_summary(),
        "lieu": evenement.get_location(),
        "description": evenement.get_description(),
        "organisateur": None if organisateur is None else _adresse(organisateur),
        "participants": participants,
    }


def _erreurs(calendrier: Any) -> list[str]:
    texte = str(calendrier.as_ical_string()).replace("\r\n ", "")
    return [ligne for ligne in texte.splitlines() if ligne.startswith("X-LIC-ERROR")]


def lire(chemin: str) -> dict[str, Any]:
    with open(chemin, encoding="utf-8", newline="") as fichier:
        calendrier = ICalGLib.Component.new_from_string(fichier.read())
    erreurs_de_lecture = _erreurs(calendrier)
    conforme = ICalGLib.restriction_check(calendrier)
    methode = calendrier.get_first_property(ICalGLib.PropertyKind.METHOD_PROPERTY)
    evenements = []
    evenement = calendrier.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    while evenement is not None:
        evenements.append(_evenement(evenement))
        evenement = calendrier.get_next_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    return {
        "methode": None if methode is None else methode.get_value_as_string(),
        "erreurs_de_lecture": erreurs_de_lecture,
        "restriction_check": conforme,
        "erreurs_itip": _erreurs(calendrier),
        "evenements": evenements,
    }


if __name__ == "__main__":
    print(json.dumps({chemin: lire(chemin) for chemin in sys.argv[1:]}))
