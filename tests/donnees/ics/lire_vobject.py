"""Lit des fichiers .ics avec vobject et imprime en JSON ce qu'il en comprend.

Lancé par tests/test_invitation_ics.py dans un sous-processus (avec TZ choisi) : `python lire_vobject.py fichier.ics…`.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any

import vobject

PARAMETRES = ("CN", "CUTYPE", "ROLE", "PARTSTAT", "RSVP")


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _valeur(evenement: Any, nom: str) -> Any:
    return getattr(evenement, nom).value if hasattr(evenement, nom) else None


def _adresse(ligne: Any) -> dict[str, str | None]:
    adresse: dict[str, str | None] = {"adresse": ligne.value}
    for nom in PARAMETRES:
        valeurs = ligne.params.get(nom)
        adresse[nom] = ",".join(valeurs) if valeurs else None
    return adresse


def _evenement(evenement: Any) -> dict[str, Any]:
    return {
        "uid": evenement.uid.value,
        "sequence": int(evenement.sequence.value),
        "statut": _valeur(evenement, "status"),
        "debut": _instant(evenement.dtstart.value),
        "fuseau_du_debut": evenement.dtstart.params.get("TZID", [None])[0],
        "fin": _instant(evenement.dtend.value),
        "horodatage": _instant(evenement.dtstamp.value),
        "resume": _valeur(evenement, "summary"),
        "lieu": _valeur(evenement, "location"),
        "description": _valeur(evenement, "description"),
        "organisateur": _adresse(evenement.organizer) if hasattr(evenement, "organizer") else None,
        "participants": [_adresse(ligne) for ligne in evenement.contents.get("attendee", [])],
    }


def lire(chemin: str) -> dict[str, Any]:
    with open(chemin, encoding="utf-8", newline="") as fichier:
        calendrier = vobject.readOne(fichier.read())
    calendrier.validate()
    return {
        "methode": _valeur(calendrier, "method"),
        "evenements": [_evenement(e) for e in calendrier.contents.get("vevent", [])],
    }


if __name__ == "__main__":
    print(json.dumps({chemin: lire(chemin) for chemin in sys.argv[1:]}))
