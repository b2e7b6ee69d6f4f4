"""Les jours fériés en France métropolitaine, d'après le paquet `holidays` (calendrier officiel tenu à jour).

Par défaut hors Alsace-Moselle ; `alsace_moselle=True` ajoute le Vendredi saint et la Saint-Étienne.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

#: Les noms qui commencent par un nom commun s'écrivent en minuscule au milieu d'une phrase
#: (« le lundi de Pâques », « la fête du Travail ») ; « Ascension », « Toussaint », « Noël » gardent leur capitale.
_NOMS_COMMUNS = ("Lundi ", "Fête ")
_CORRECTIONS = {"Jour de l'an": "jour de l'An"}


def _en_phrase(nom: str) -> str:
    if nom in _CORRECTIONS:
        return _CORRECTIONS[nom]
    return nom[0].lower() + nom[1:] if nom.startswith(_NOMS_COMMUNS) else nom


@cache
def jours_feries(annee: int, *, alsace_moselle: bool = False) -> dict[date, str]:
    """Les jours fériés légaux de l'année (article L3133-1 du Code du travail), avec leur nom français."""
    calendrier = holidays.country_holidays("FR", years=annee, subdiv="57" if alsace_moselle else None, language="fr")
    return {jour: _en_phrase(nom) for jour, nom in sorted(calendrier.items())}


def jour_ferie(jour: date, *, alsace_moselle: bool = False) -> str | None:
    """Le nom du jour férié, ou None pour un jour ordinaire."""
    return jours_feries(jour.year, alsace_moselle=alsace_moselle).get(jour)
