"""Les heures de réunion à Paris (changements d'heure compris) et le délai de convocation en jours francs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from gouvernance.dates import lire_date
from gouvernance.francais import date_complete
from gouvernance.reunions.vue import FUSEAU

_HEURE = re.compile(r"^(?P<h>\d{1,2})\s*(?:h|:)\s*(?P<m>\d{2})?$")


def lire_date_heure(texte: str) -> tuple[date, time]:
    """« 2026-12-08 18:00 », « 08/12/2026 18h », « 8 décembre 2026 à 18 h 30 » ; ValueError en français sinon."""
    brut = " ".join(texte.replace("T", " ").replace("\u00a0", " ").split())
    morceaux = re.fullmatch(r"(?P<jour>.+?)\s+(?:à\s+)?(?P<heure>\d{1,2}\s*(?:h|:)\s*(?:\d{2})?)", brut)
    if morceaux is None:
        raise ValueError(f"« {texte} » : donnez la date et l'heure, par exemple 2026-12-08 18:00")
    jour = lire_date(morceaux["jour"])
    heure = _HEURE.match(morceaux["heure"].replace(" ", ""))
    if heure is None or int(heure["h"]) > 23 or int(heure["m"] or 0) > 59:
        raise ValueError(f"« {morceaux['heure']} » n'est pas une heure : écrivez par exemple 18:00 ou 18h30")
    return jour, time(int(heure["h"]), int(heure["m"] or 0))


def instant_a_paris(jour: date, heure: time) -> datetime:
    """L'instant (UTC) de cette heure murale à Paris ; ValueError si elle n'existe pas ou existe deux fois."""
    premiere = datetime.combine(jour, heure, tzinfo=FUSEAU)
    instant = premiere.astimezone(UTC)
    if instant.astimezone(FUSEAU).replace(tzinfo=None) != premiere.replace(tzinfo=None):
        avant, apres = _heures_voisines(premiere)
        raise ValueError(
            f"{_heure(heure)} n'existe pas le {_jour(jour)} : cette nuit-là, les horloges avancent de 2 h à 3 h. "
            f"Choisissez {avant} ou {apres}"
        )
    if premiere.utcoffset() != premiere.replace(fold=1).utcoffset():
        avant, apres = _heures_voisines(premiere)
        raise ValueError(
            f"{_heure(heure)} est une heure ambiguë le {_jour(jour)} : cette nuit-là, les horloges reculent "
            f"de 3 h à 2 h et cette heure existe deux fois. Choisissez {avant} ou {apres}"
        )
    return instant


def _heures_voisines(moment: datetime) -> tuple[str, str]:
    return _heure((moment - timedelta(hours=1)).time()), _heure((moment + timedelta(hours=1)).time())


def _heure(valeur: time) -> str:
    return f"{valeur.hour} h {valeur.minute:02d}"


def _jour(valeur: date) -> str:
    return date_complete(valeur)


def jours_francs(envoi: date, reunion: date) -> int:
    """Les jours pleins entre l'envoi et la réunion : ni le jour d'envoi ni celui de la réunion ne comptent."""
    return (reunion - envoi).days - 1


def dernier_jour_d_envoi(reunion: date, delai: int) -> date:
    """Le dernier jour où l'on peut encore convoquer en laissant `delai` jours francs."""
    return reunion - timedelta(days=delai + 1)


def expliquer_delai(instance: str, delai: int, reunion: date, aujourd_hui: date) -> str:
    """Pourquoi la date est trop proche, et la première date possible."""
    limite = dernier_jour_d_envoi(reunion, delai)
    premiere = aujourd_hui + timedelta(days=delai + 1)
    return (
        f"{instance} se convoque {delai} jours francs avant la réunion : pour le {_jour(reunion)}, "
        f"la convocation devait partir au plus tard le {_jour(limite)}. Choisissez une date à partir du "
        f"{_jour(premiere)}, ou ajoutez --urgence (il faut alors au moins 1 jour franc)"
    )
