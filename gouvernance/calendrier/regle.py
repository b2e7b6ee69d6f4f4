"""La règle d'un rythme de réunions : une RRULE iCalendar sans heure, et l'heure murale de Paris.

Module sans dépendance vers le référentiel : le schéma YAML du référentiel s'en sert pour valider.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from dateutil.rrule import rrulestr  # type: ignore[import-untyped,unused-ignore]

from gouvernance.reunions.horaires import lire_date_heure

JOURS = {"lundi": "MO", "mardi": "TU", "mercredi": "WE", "jeudi": "TH", "vendredi": "FR", "samedi": "SA"}

#: Les mois retenus pour N réunions par an : réparties sur l'année, jamais en août.
MOIS_PAR_AN = {
    1: (10,),
    2: (3, 10),
    3: (1, 5, 10),
    4: (2, 5, 9, 11),
    5: (1, 3, 5, 9, 11),
    6: (1, 3, 5, 7, 9, 11),
    7: (1, 3, 4, 6, 9, 10, 12),
    8: (1, 2, 4, 5, 6, 9, 10, 12),
    9: (1, 2, 3, 5, 6, 9, 10, 11, 12),
    10: (1, 2, 3, 4, 5, 6, 9, 10, 11, 12),
    11: (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12),
    12: tuple(range(1, 13)),
}
_FREQUENCES = ("FREQ=YEARLY", "FREQ=MONTHLY", "FREQ=WEEKLY")
EXEMPLE_RRULE = "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU"


@dataclass(frozen=True)
class Rythme:
    """Une règle de récurrence iCalendar (sans heure) et l'heure murale de Paris des réunions."""

    regle: str
    heure: time


def verifier_jour(jour: str) -> str:
    """« Mardi » → « mardi » ; ValueError en français pour un jour inconnu (ou un dimanche)."""
    if jour.strip().lower() not in JOURS:
        raise ValueError(f"« {jour} » : choisissez un jour du lundi au samedi ({', '.join(JOURS)})")
    return jour.strip().lower()


def regle_par_an(par_an: int, jour: str = "mardi", semaine: int = 2) -> str:
    """« 4 par an, le 2e mardi » : FREQ=YEARLY;BYMONTH=2,5,9,11;BYDAY=2TU."""
    if par_an not in MOIS_PAR_AN:
        raise ValueError(f"{par_an} réunions par an : choisissez un nombre de 1 à 12")
    if semaine not in (1, 2, 3, 4, -1):
        raise ValueError("la semaine vaut 1 à 4 (la 1re à la 4e semaine du mois) ou -1 (la dernière)")
    mois = ",".join(str(m) for m in MOIS_PAR_AN[par_an])
    return f"FREQ=YEARLY;BYMONTH={mois};BYDAY={semaine}{JOURS[verifier_jour(jour)]}"


def verifier_regle(regle: str) -> str:
    """La règle en majuscules si dateutil la comprend ; ValueError en français sinon."""
    texte = regle.strip().upper().removeprefix("RRULE:")
    morceaux = texte.split(";")
    if not any(morceau in _FREQUENCES for morceau in morceaux):
        raise ValueError(f"« {regle} » : la règle doit être annuelle, mensuelle ou hebdomadaire (FREQ=YEARLY…)")
    if any(morceau.startswith(("DTSTART", "BYHOUR", "BYMINUTE", "BYSECOND")) for morceau in morceaux):
        raise ValueError(
            f"« {regle} » : donnez l'heure à part (--heure, ou « heure » dans un fichier), pas dans la règle"
        )
    if any(morceau.startswith(("UNTIL", "COUNT")) for morceau in morceaux):
        raise ValueError(f"« {regle} » : le rythme vaut pour chaque année, retirez UNTIL et COUNT de la règle")
    try:
        # Quatre ans de dates : dateutil ne signale certaines erreurs (BYMONTH=13) qu'en calculant les dates.
        dates = list(rrulestr(f"{texte};UNTIL=20031231", dtstart=datetime(2000, 1, 1)))
    except (ValueError, TypeError, IndexError):
        raise ValueError(f"« {regle} » n'est pas une règle RRULE lisible (exemple : {EXEMPLE_RRULE})") from None
    if not dates:
        raise ValueError(f"« {regle} » ne tombe jamais : vérifiez le mois et le jour (exemple : {EXEMPLE_RRULE})")
    return texte


def lire_heure(texte: str) -> time:
    """« 18:00 », « 18h », « 18 h 30 » ; ValueError en français sinon."""
    try:
        return lire_date_heure(f"2000-01-01 {texte}")[1]
    except ValueError:
        raise ValueError(f"« {texte} » n'est pas une heure : écrivez par exemple 18:00 ou 18h30") from None
