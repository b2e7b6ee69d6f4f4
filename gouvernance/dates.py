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

#: Les années que gère l'outil : au-delà, une date est une faute de frappe (9999-12-31, 0001-01-01), et les
#: calculs d'heure de Paris ou de jours fériés déborderaient du calendrier de Python.
PREMIERE_ANNEE = 1900
DERNIERE_ANNEE = 2199


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
        lue = date(annee, mois, jour)
    except ValueError:
        raise ValueError(f"« {texte} » n'est pas une date du calendrier") from None
    if not PREMIERE_ANNEE <= lue.year <= DERNIERE_ANNEE:
        raise ValueError(
            f"« {texte} » : l'année {lue.year} est hors des années que gère ctg "
            f"({PREMIERE_ANNEE} à {DERNIERE_ANNEE}) ; vérifiez la date"
        )
    return lue
