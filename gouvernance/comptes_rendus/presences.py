"""La présence d'un participant écrite en toutes lettres, accordée avec sa civilité.

« présente », « excusé », « représentée par Luc Maquette » ; « présent(e) » quand la civilité n'est pas connue,
et « non renseigné » tant que personne n'a relevé la présence (ni réponse à l'invitation, ni compte rendu).
"""

from __future__ import annotations

from gouvernance.saisie import CIVILITES
from modeles.vocabulaire import Presence

#: Ce qu'affiche le compte rendu pour une présence que personne n'a encore relevée.
NON_RENSEIGNE = "non renseigné"

_RADICAUX = {
    Presence.PRESENT: "présent",
    Presence.EXCUSE: "excusé",
    Presence.ABSENT: "absent",
    Presence.REPRESENTE: "représenté",
}
#: L'ordre des participants au compte rendu validé : les présents d'abord, les absents à la fin.
ORDRE = {Presence.PRESENT: 0, Presence.REPRESENTE: 1, Presence.EXCUSE: 2, Presence.ABSENT: 3}


def terminaison(civilite: str | None) -> str:
    """« e » pour Madame, rien pour Monsieur, « (e) » quand la civilité n'est pas connue."""
    normale = CIVILITES.get((civilite or "").strip().casefold())
    return {"Madame": "e", "Monsieur": ""}.get(normale or "", "(e)")


def presence_ecrite(presence: Presence | None, civilite: str | None, represente_par: str | None = None) -> str:
    """« présente », « excusé », « représentée par Luc Maquette », « non renseigné »."""
    if presence is None:
        return NON_RENSEIGNE
    mot = _RADICAUX[Presence(presence)] + terminaison(civilite)
    if presence == Presence.REPRESENTE and represente_par:
        return f"{mot} par {represente_par}"
    return mot
