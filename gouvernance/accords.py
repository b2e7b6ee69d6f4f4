"""Accorder les mots à la civilité des personnes : « Mme Martin s'est excusée », « 8 présents, 1 excusée ».

Les libellés des vocabulaires portent la marque « (e) » (« s'est excusé(e) », « président(e) ») ; elle
disparaît dès que la civilité est connue. Sans civilité, le libellé garde sa marque au singulier ; au pluriel,
le masculin l'emporte dès qu'un homme ou une personne de civilité inconnue est du groupe, comme en français.
"""

from __future__ import annotations

from collections.abc import Sequence

from gouvernance.saisie import CIVILITES

#: La marque du féminin dans nos libellés.
_MARQUE = "(e)"


def est_feminin(civilite: str | None) -> bool | None:
    """Vrai pour « Madame » (ou « Mme »), faux pour « Monsieur » (ou « M. »), None si elle n'est pas connue."""
    normale = CIVILITES.get((civilite or "").strip().casefold())
    return None if normale is None else normale == "Madame"


def accorder(libelle: str, civilite: str | None) -> str:
    """« s'est excusé(e) » → « s'est excusée » (Madame), « s'est excusé » (Monsieur) ; inchangé sans civilité."""
    feminin = est_feminin(civilite)
    if feminin is None:
        return libelle
    return libelle.replace(_MARQUE, "e" if feminin else "")


def accorder_nombre(nombre: int, libelle: str, civilites: Sequence[str | None]) -> str:
    """« 8 présents », « 3 présentes » (que des femmes), « 1 excusée » : le nombre et le libellé accordé."""
    if nombre < 2:
        return f"{nombre} {accorder(libelle, civilites[0] if civilites else None)}"
    feminin = bool(civilites) and all(est_feminin(civilite) for civilite in civilites)
    return f"{nombre} {libelle.replace(_MARQUE, 'es' if feminin else 's')}"


def civilite_abregee(civilite: str | None) -> str | None:
    """« Mme » ou « M. » ; None si la civilité n'est pas connue."""
    feminin = est_feminin(civilite)
    if feminin is None:
        return None
    return "Mme" if feminin else "M."


def designer(civilite: str | None, nom: str, email: str) -> str:
    """« Mme Martin (jeanne.martin@example.org) » quand la civilité est connue, sinon l'adresse seule."""
    abregee = civilite_abregee(civilite)
    if abregee is None or not nom.strip():
        return email
    return f"{abregee} {nom.strip()} ({email})"
