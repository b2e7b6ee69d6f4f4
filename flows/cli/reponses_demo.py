"""Pour `ctg demo` seulement : les réponses que renverraient les agendas des invités (iTIP REPLY).

Outlook, Gmail ou Thunderbird envoient au coordinateur un courriel avec une partie METHOD:REPLY ; la
démonstration en écrit trois, en .ics, comme si elles venaient d'arriver dans sa boîte.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar, Event, vCalAddress

from gouvernance.fichiers import ecrire_atomiquement

#: Qui répond, et comment.
REPONSES = (
    ("maire@example.org", "Claire Fictive", "ACCEPTED", None),
    ("adjoint.enfance@example.org", "Bruno Exemple", "ACCEPTED", "Je viendrai avec le bilan du service."),
    ("conseillere.departementale@example.org", "Agnès Témoin", "DECLINED", "Retenue par une session du Département."),
)


def ecrire_reponses(dossier: Path, *, uid: str, sequence: int, organisateur: str) -> list[Path]:
    """Une réponse REPLY par invité de REPONSES, pour la révision `sequence` de la réunion `uid`."""
    chemins = []
    for rang, (email, nom, reponse, commentaire) in enumerate(REPONSES, 1):
        calendrier = Calendar()
        calendrier.add("prodid", "-//Agenda d'un partenaire//FR")
        calendrier.add("version", "2.0")
        calendrier.add("method", "REPLY")
        evenement = Event()
        evenement.add("uid", uid)
        evenement.add("sequence", sequence)
        evenement.add("dtstamp", datetime.now(UTC))
        evenement.add("organizer", vCalAddress(f"mailto:{organisateur}"))
        participant = vCalAddress(f"mailto:{email}")
        participant.params["CN"] = nom
        participant.params["PARTSTAT"] = reponse
        evenement.add("attendee", participant)
        if commentaire:
            evenement.add("comment", commentaire)
        calendrier.add_component(evenement)
        chemin = dossier / f"reponse-{rang}.ics"
        ecrire_atomiquement(chemin, calendrier.to_ical())
        chemins.append(chemin)
    return chemins
