"""Dates, heures, durées et articles écrits comme dans un courrier administratif français.

Typographie : une espace insécable (U+00A0) autour du « h » des heures (« 18 h 00 »), avant
« min » et avant les deux-points ; le premier jour du mois s'écrit « 1er ».
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from gouvernance.reunions.vue import FUSEAU

#: L'espace insécable de toutes nos compositions (heures, durées, « Objet : »).
INSECABLE = "\u00a0"

# Les premiers mots féminins des intitulés d'instances (« à la Commission », « de la Conférence »).
_FEMININS = frozenset(
    {
        "assemblee",
        "cellule",
        "commission",
        "conference",
        "coordination",
        "equipe",
        "instance",
        "journee",
        "pleniere",
        "rencontre",
        "reunion",
        "revue",
        "seance",
        "table",
    }
)
# Les premiers mots en -s ou -x qui restent au singulier (« au Relais petite enfance »).
_SINGULIERS_EN_S = frozenset({"campus", "concours", "congres", "corps", "cours", "processus", "relais"})
_ARTICLES = {
    ("le", "à"): "au ",
    ("le", "de"): "du ",
    ("la", "à"): "à la ",
    ("la", "de"): "de la ",
    ("les", "à"): "aux ",
    ("les", "de"): "des ",
    ("l'", "à"): "à l'",
    ("l'", "de"): "de l'",
}


def _locale(valeur: date) -> date:
    """Le jour à Paris d'un instant avec fuseau ; une date ou une heure sans fuseau telle quelle."""
    if isinstance(valeur, datetime):
        return (valeur.astimezone(FUSEAU) if valeur.tzinfo else valeur).date()
    return valeur


def date_longue(valeur: date) -> str:
    """« 1er décembre 2026 », « 8 décembre 2026 »."""
    jour = _locale(valeur)
    numero = "1er" if jour.day == 1 else str(jour.day)
    from babel.dates import format_date  # à l'appel : babel pèse sur le démarrage des commandes de lecture

    return f"{numero} {format_date(jour, 'MMMM y', locale='fr_FR')}"


def date_complete(valeur: date) -> str:
    """« mardi 8 décembre 2026 », « mardi 1er décembre 2026 »."""
    jour = _locale(valeur)
    from babel.dates import format_date

    return f"{format_date(jour, 'EEEE', locale='fr_FR')} {date_longue(jour)}"


def heure(valeur: datetime) -> str:
    """« 18 h 00 », à l'heure de Paris, avec des espaces insécables."""
    locale = valeur.astimezone(FUSEAU) if valeur.tzinfo else valeur
    return f"{locale.hour}{INSECABLE}h{INSECABLE}{locale.minute:02d}"


def moment(valeur: datetime) -> str:
    """« mardi 8 décembre 2026 à 18 h 00 », à l'heure de Paris."""
    return f"{date_complete(valeur)} à {heure(valeur)}"


def duree(minutes: int | None) -> str:
    """« 45 min », « 1 h 30 », « 2 h » ; une chaîne vide si la durée est inconnue."""
    if not minutes:
        return ""
    heures, reste = divmod(minutes, 60)
    if heures == 0:
        return f"{reste}{INSECABLE}min"
    return f"{heures}{INSECABLE}h{INSECABLE}{reste:02d}" if reste else f"{heures}{INSECABLE}h"


def _sans_accents(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c)).casefold()


def avec_article(intitule: str, preposition: str) -> str:
    """« au Comité de pilotage », « à la Commission », « de l'Assemblée », « aux Ateliers » (`preposition` :
    « à » ou « de »)."""
    if preposition not in {"à", "de"}:
        raise ValueError(f"préposition inattendue : « {preposition} » (à ou de)")
    texte = " ".join(intitule.replace("’", "'").split())
    mots = texte.split(" ", 1)
    premier = _sans_accents(mots[0])
    if premier in {"le", "la", "les"} and len(mots) == 2:
        return _ARTICLES[(premier, preposition)] + mots[1]
    if premier.startswith("l'") and len(premier) > 2:
        return _ARTICLES[("l'", preposition)] + texte[2:]
    if premier.endswith(("s", "x")) and premier not in _SINGULIERS_EN_S:  # « aux Ateliers », « des Ateliers »
        return _ARTICLES[("les", preposition)] + texte
    if premier[:1] in set("aeiouy"):
        return _ARTICLES[("l'", preposition)] + texte
    article = "la" if premier in _FEMININS else "le"
    return _ARTICLES[(article, preposition)] + texte


def de_commune(nom: str) -> str:
    """« de L'Union », « du Havre », « des Lilas », « d'Albi », « de La Rochelle »."""
    texte = " ".join(nom.replace("’", "'").split())
    mots = texte.split(" ", 1)
    premier = _sans_accents(mots[0])
    if premier in {"le", "les"} and len(mots) == 2:
        return ("du " if premier == "le" else "des ") + mots[1]
    if premier[:1] in set("aeiouy") and not premier.startswith("l'"):
        return f"d'{texte}"
    return f"de {texte}"


def compte(nombre: int, singulier: str, pluriel: str | None = None) -> str:
    """« 0 réunion », « 1 réunion », « 3 réunions » : en français, 0 et 1 gardent le singulier.

    `pluriel` sert aux mots qui ne prennent pas simplement un « s » (« 2 courriels déjà préparés »).
    """
    return f"{nombre} {singulier if abs(nombre) < 2 else (pluriel or singulier + 's')}"
