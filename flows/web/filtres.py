"""Les filtres des gabarits : dates, heures, durées et nombres à la française (ceux des courriers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from gouvernance import francais


def _ou_vide(fonction: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda valeur: "" if valeur is None else fonction(valeur)


def date_courte(valeur: date | datetime) -> str:
    """« 08/12/2021 », le jour à Paris."""
    jour = francais._locale(valeur)  # le même jour à Paris que les courriers
    return jour.strftime("%d/%m/%Y")


def date_iso(valeur: str) -> str:
    """« 2027-03-31 » (une date des descriptions en JSON) écrite « 31/03/2027 »."""
    return date.fromisoformat(valeur).strftime("%d/%m/%Y")


FILTRES: dict[str, Callable[..., Any]] = {
    "date_longue": _ou_vide(francais.date_longue),
    "date_complete": _ou_vide(francais.date_complete),
    "date_courte": _ou_vide(date_courte),
    "date_iso": _ou_vide(date_iso),
    "moment": _ou_vide(francais.moment),
    "heure": _ou_vide(francais.heure),
    "duree": francais.duree,
    "compte": francais.compte,
}
