"""Les durées telles que les écrit un utilisateur : « 2h », « 1h30 », « 90min », « 45 min »."""

from __future__ import annotations

import re

_FORME = re.compile(
    r"^\s*(?:(?P<heures>\d{1,2})\s*h(?:eures?)?\s*(?P<reste>\d{1,2})?|(?P<minutes>\d{1,4})\s*(?:min|minutes?|mn))\s*$"
)


def lire_duree(texte: str | int) -> int:
    """La durée en minutes ; ValueError avec un message en français si elle est illisible."""
    if isinstance(texte, int):
        minutes = texte
    else:
        forme = _FORME.match(texte.strip().lower())
        if forme is None:
            raise ValueError(f"« {texte} » n'est pas une durée lisible : écrivez par exemple 2h, 1h30 ou 45min")
        if forme["minutes"] is not None:
            minutes = int(forme["minutes"])
        else:
            minutes = int(forme["heures"]) * 60 + int(forme["reste"] or 0)
    if not 0 < minutes <= 24 * 60:
        raise ValueError(f"une durée doit être comprise entre 1 minute et 24 heures (reçu : {texte})")
    return minutes


def ecrire_duree(minutes: int) -> str:
    """La durée comme on l'écrit : « 2h », « 1h30 », « 45min »."""
    heures, reste = divmod(minutes, 60)
    if heures == 0:
        return f"{reste}min"
    return f"{heures}h{reste:02d}" if reste else f"{heures}h"
