"""La convention d'un territoire avec la CAF."""

from __future__ import annotations

from gouvernance import saisie
from gouvernance.dates import lire_date
from gouvernance.erreurs import DonneesInvalides
from modeles import Convention, Territoire


def modifier_convention(
    territoire: Territoire, *, debut: str | None, fin: str | None, intitule: str | None
) -> Convention:
    """Change la période ou l'intitulé ; crée la convention si le territoire n'en a pas."""
    try:
        nouvel_intitule = saisie.une_ligne("intitulé", intitule)
        date_debut = lire_date(debut) if debut else None
        date_fin = lire_date(fin) if fin else None
    except ValueError as erreur:
        raise DonneesInvalides(f"Convention : {erreur}.") from erreur
    convention = territoire.convention
    if convention is None:
        convention = territoire.convention = Convention(
            intitule=nouvel_intitule or f"Convention territoriale globale de {territoire.nom}"
        )
    if nouvel_intitule:
        convention.intitule = nouvel_intitule
    convention.debut = date_debut or convention.debut
    convention.fin = date_fin or convention.fin
    if convention.debut and convention.fin and convention.fin <= convention.debut:
        raise DonneesInvalides(
            f"Convention : la fin ({convention.fin:%d/%m/%Y}) doit venir après le début ({convention.debut:%d/%m/%Y})."
        )
    return convention
