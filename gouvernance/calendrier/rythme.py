"""Le rythme des instances : celui enregistré en base, ou celui d'un fichier YAML qui le remplace pour une fois.

Exemple de fichier (`--rythmes`) :

    COPIL: {rrule: "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU", heure: "18:00"}
    COTECH: {par_an: 4, jour: mardi, heure: "14:00"}
    ATELIER: null        # aucune réunion planifiée d'avance
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from dateutil.rrule import rrulestr  # type: ignore[import-untyped,unused-ignore]
from pydantic import TypeAdapter, ValidationError

from gouvernance.calendrier.regle import EXEMPLE_RRULE, Rythme
from gouvernance.erreurs import DonneesInvalides
from gouvernance.referentiel.schema import RythmeYaml
from gouvernance.referentiel.validation import decrire_erreurs
from gouvernance.yaml_lignes import lire_yaml
from modeles import Instance

__all__ = ["Rythme", "dates_de_l_annee", "lire_rythmes", "rythme_enregistre"]


def rythme_enregistre(instance: Instance) -> Rythme | None:
    """Le rythme enregistré pour l'instance (`ctg instances modifier`, référentiel), ou None."""
    if instance.rythme_regle is None or instance.rythme_heure is None:
        return None
    return Rythme(instance.rythme_regle, instance.rythme_heure)


def dates_de_l_annee(rythme: Rythme, annee: int) -> list[date]:
    """Les jours de l'année où tombe la règle (la règle repart du 1er janvier chaque année)."""
    debut = datetime(annee, 1, 1)
    regle = rrulestr(rythme.regle, dtstart=debut)
    occurrences: list[datetime] = regle.between(debut, datetime(annee, 12, 31, 23, 59, 59), inc=True)
    return [occurrence.date() for occurrence in occurrences]


_FICHIER = TypeAdapter(dict[str, RythmeYaml | None])


def lire_rythmes(texte: str, nom_fichier: str) -> dict[str, Rythme | None]:
    """Le rythme de chaque instance (code en majuscules ; None : aucune réunion) ; DonneesInvalides sinon."""
    document = lire_yaml(texte, nom_fichier)
    if not isinstance(document.valeur, Mapping):
        raise DonneesInvalides(
            f"{nom_fichier} ne décrit aucun rythme : écrivez par exemple "
            f'COPIL: {{rrule: "{EXEMPLE_RRULE}", heure: "18:00"}}'
        )
    try:
        lus = _FICHIER.validate_python(document.valeur)
    except ValidationError as erreur:
        raise DonneesInvalides(
            f"{nom_fichier} est refusé : rien n'a été planifié. Corrigez ceci puis relancez :",
            details=decrire_erreurs(document, erreur),
        ) from erreur
    return {str(code).upper(): None if lu is None else lu.rythme() for code, lu in lus.items()}
