"""Les jours fériés en France métropolitaine (hors Alsace-Moselle), calculés à partir de Pâques."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from dateutil.easter import easter  # type: ignore[import-untyped,unused-ignore]


@cache
def jours_feries(annee: int) -> dict[date, str]:
    """Les onze jours fériés légaux de l'année (article L3133-1 du Code du travail), avec leur nom."""
    paques: date = easter(annee)
    return {
        date(annee, 1, 1): "jour de l'An",
        paques + timedelta(days=1): "lundi de Pâques",
        date(annee, 5, 1): "fête du Travail",
        date(annee, 5, 8): "Victoire 1945",
        paques + timedelta(days=39): "Ascension",
        paques + timedelta(days=50): "lundi de Pentecôte",
        date(annee, 7, 14): "fête nationale",
        date(annee, 8, 15): "Assomption",
        date(annee, 11, 1): "Toussaint",
        date(annee, 11, 11): "Armistice 1918",
        date(annee, 12, 25): "Noël",
    }


def jour_ferie(jour: date) -> str | None:
    """Le nom du jour férié, ou None pour un jour ordinaire."""
    return jours_feries(jour.year).get(jour)
