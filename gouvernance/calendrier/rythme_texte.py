"""Dire un rythme en français : « 2e mardi de mars et d'octobre à 18 h 00 »."""

from __future__ import annotations

import re
from datetime import date, time

from babel.dates import format_date

from gouvernance.calendrier.regle import JOURS, Rythme
from gouvernance.francais import INSECABLE

_JOURS = {code: nom for nom, code in JOURS.items()} | {"SU": "dimanche"}
_MOIS = {numero: format_date(date(2000, numero, 1), "MMMM", locale="fr_FR") for numero in range(1, 13)}
_RANGS = {1: "1er", 2: "2e", 3: "3e", 4: "4e", 5: "5e", -1: "dernier", -2: "avant-dernier"}
_TOUS_LES = {2: "deux", 3: "trois", 4: "quatre", 6: "six"}


def decrire_rythme(rythme: Rythme) -> str:
    """Le rythme en français ; la règle telle quelle quand elle sort des formes courantes."""
    return f"{_decrire_regle(rythme.regle)} à {_heure(rythme.heure)}"


def _heure(valeur: time) -> str:
    return f"{valeur.hour}{INSECABLE}h{INSECABLE}{valeur.minute:02d}"


def _decrire_regle(regle: str) -> str:
    morceaux = dict(morceau.split("=", 1) for morceau in regle.split(";") if "=" in morceau)
    frequence = morceaux.pop("FREQ", "")
    intervalle = int(morceaux.pop("INTERVAL", "1") or 1)
    jours = morceaux.pop("BYDAY", "")
    mois = morceaux.pop("BYMONTH", "")
    jour = re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", jours)
    if morceaux or jour is None or (jour[1] and int(jour[1]) not in _RANGS):
        return f"selon la règle {regle}"
    rang, code = jour.groups()
    nom_jour = _JOURS[code]
    if frequence == "YEARLY" and mois and rang and intervalle == 1:
        return f"{_RANGS[int(rang)]} {nom_jour} {_de_mois([int(m) for m in mois.split(',')])}"
    if frequence == "MONTHLY" and not mois and rang:
        chaque = "de chaque mois" if intervalle == 1 else f"d'un mois sur {_TOUS_LES.get(intervalle, intervalle)}"
        return f"{_RANGS[int(rang)]} {nom_jour} {chaque}"
    if frequence == "WEEKLY" and not mois and not rang:
        return f"chaque {nom_jour}" if intervalle == 1 else f"un {nom_jour} sur {_TOUS_LES.get(intervalle, intervalle)}"
    return f"selon la règle {regle}"


def _de(nom: str) -> str:
    return f"d'{nom}" if nom[0] in "aeiouyé" else f"de {nom}"


def _de_mois(numeros: list[int]) -> str:
    noms = [_MOIS[numero] for numero in sorted(numeros)]
    if len(noms) == 1:
        return _de(noms[0])
    if len(noms) == 2:
        return f"{_de(noms[0])} et {_de(noms[1])}"
    if len(noms) == 12:
        return "de chaque mois"
    return f"{_de(noms[0])}, {', '.join(noms[1:-1])} et {noms[-1]}"
