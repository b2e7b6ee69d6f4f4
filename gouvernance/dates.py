"""Lire une date comme l'écrit un utilisateur français : 2026-12-08, 08/12/2026, 8 décembre 2026."""

from __future__ import annotations

import re
from datetime import date

from gouvernance.textes import cle_de_comparaison

MOIS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}


def lire_date(texte: str) -> date:
    """La date écrite dans `texte` ; ValueError en français si elle n'existe pas ou est illisible."""
    brut = cle_de_comparaison(texte).replace("1er", "1")
    if forme := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", brut):
        annee, mois, jour = (int(x) for x in forme.groups())
    elif forme := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", brut):
        jour, mois, annee = (int(x) for x in forme.groups())
    elif (forme := re.fullmatch(r"(?:[a-z]+ )?(\d{1,2}) ([a-z]+) (\d{4})", brut)) and forme[2] in MOIS:
        jour, mois, annee = int(forme[1]), MOIS[forme[2]], int(forme[3])
    else:
        raise ValueError(f"« {texte} » n'est pas une date lisible : écrivez 2026-12-08 ou 08/12/2026")
    try:
        return date(annee, mois, jour)
    except ValueError:
        raise ValueError(f"« {texte} » n'est pas une date du calendrier") from None
