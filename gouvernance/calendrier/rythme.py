"""Le rythme des instances : une règle iCalendar (RRULE) et une heure de Paris, lus d'un fichier YAML.

Exemple de fichier (`--rythmes`) :

    COPIL: {rrule: "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU", heure: "18:00"}
    COTECH: {par_an: 4, jour: mardi, heure: "14:00"}
    ATELIER: null        # aucune réunion planifiée d'avance
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.rrule import rrulestr  # type: ignore[import-untyped,unused-ignore]
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from gouvernance.erreurs import DonneesInvalides
from gouvernance.referentiel.schema import Ligne
from gouvernance.referentiel.validation import decrire_erreurs
from gouvernance.reunions.horaires import lire_date_heure
from gouvernance.yaml_lignes import lire_yaml

JOURS = {"lundi": "MO", "mardi": "TU", "mercredi": "WE", "jeudi": "TH", "vendredi": "FR", "samedi": "SA"}

#: Les mois retenus pour N réunions par an : réparties sur l'année, jamais en août.
MOIS_PAR_AN = {
    1: (10,),
    2: (3, 10),
    3: (1, 5, 10),
    4: (2, 5, 9, 11),
    5: (1, 3, 5, 9, 11),
    6: (1, 3, 5, 7, 9, 11),
    7: (1, 3, 4, 6, 9, 10, 12),
    8: (1, 2, 4, 5, 6, 9, 10, 12),
    9: (1, 2, 3, 5, 6, 9, 10, 11, 12),
    10: (1, 2, 3, 4, 5, 6, 9, 10, 11, 12),
    11: (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12),
    12: tuple(range(1, 13)),
}
_FREQUENCES = ("FREQ=YEARLY", "FREQ=MONTHLY", "FREQ=WEEKLY")
EXEMPLE_RRULE = "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU"


@dataclass(frozen=True)
class Rythme:
    """Une règle de récurrence iCalendar (sans heure) et l'heure murale de Paris des réunions."""

    regle: str
    heure: time


def regle_par_an(par_an: int, jour: str = "mardi", semaine: int = 2) -> str:
    """« 4 par an, le 2e mardi » : FREQ=YEARLY;BYMONTH=2,5,9,11;BYDAY=2TU."""
    mois = ",".join(str(m) for m in MOIS_PAR_AN[par_an])
    return f"FREQ=YEARLY;BYMONTH={mois};BYDAY={semaine}{JOURS[jour]}"


#: Les rythmes par défaut, selon le type de l'instance ; les autres types n'ont pas de rythme.
RYTHMES_PAR_DEFAUT = {
    "copil": Rythme(EXEMPLE_RRULE, time(18, 0)),
    "cotech": Rythme(regle_par_an(4), time(14, 0)),
}

AIDE_PAR_DEFAUT = (
    "Sans fichier, ou pour une instance qu'il ne cite pas : comité de pilotage (type copil) deux fois par an, "
    "le 2e mardi de mars et d'octobre à 18 h 00 ; comité technique (type cotech) quatre fois par an, "
    "le 2e mardi de février, mai, septembre et novembre à 14 h 00 ; ateliers, séminaires et autres "
    "instances : aucune réunion."
)


def rythme_par_defaut(type_instance: str) -> Rythme | None:
    return RYTHMES_PAR_DEFAUT.get(type_instance)


def dates_de_l_annee(rythme: Rythme, annee: int) -> list[date]:
    """Les jours de l'année où tombe la règle (la règle repart du 1er janvier chaque année)."""
    debut = datetime(annee, 1, 1)
    regle = rrulestr(rythme.regle, dtstart=debut)
    occurrences: list[datetime] = regle.between(debut, datetime(annee, 12, 31, 23, 59, 59), inc=True)
    return [occurrence.date() for occurrence in occurrences]


def verifier_regle(regle: str) -> str:
    """La règle en majuscules si dateutil la comprend ; ValueError en français sinon."""
    texte = regle.strip().upper().removeprefix("RRULE:")
    if not any(morceau in _FREQUENCES for morceau in texte.split(";")):
        raise ValueError(f"« {regle} » : la règle doit être annuelle, mensuelle ou hebdomadaire (FREQ=YEARLY…)")
    if any(morceau.startswith(("DTSTART", "BYHOUR", "BYMINUTE")) for morceau in texte.split(";")):
        raise ValueError(f"« {regle} » : donnez l'heure dans « heure », pas dans la règle")
    try:
        rrulestr(texte, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError):
        raise ValueError(f"« {regle} » n'est pas une règle RRULE lisible (exemple : {EXEMPLE_RRULE})") from None
    return texte


def lire_heure(texte: str) -> time:
    """« 18:00 », « 18h », « 18 h 30 » ; ValueError en français sinon."""
    return lire_date_heure(f"2000-01-01 {texte}")[1]


class RythmeFichier(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rrule: Ligne | None = None
    par_an: int | None = Field(default=None, ge=1, le=12)
    jour: Ligne | None = None
    semaine: int | None = Field(default=None, ge=-1, le=4)
    heure: Ligne

    @field_validator("rrule")
    @classmethod
    def _regle(cls, regle: str | None) -> str | None:
        return None if regle is None else verifier_regle(regle)

    @field_validator("heure")
    @classmethod
    def _heure(cls, heure: str) -> str:
        lire_heure(heure)
        return heure

    @field_validator("jour")
    @classmethod
    def _jour(cls, jour: str | None) -> str | None:
        if jour is not None and jour.lower() not in JOURS:
            raise ValueError(f"« {jour} » : choisissez un jour du lundi au samedi ({', '.join(JOURS)})")
        return None if jour is None else jour.lower()

    @model_validator(mode="after")
    def _un_seul_rythme(self) -> RythmeFichier:
        if (self.rrule is None) == (self.par_an is None):
            raise ValueError("donnez soit « rrule », soit « par_an » (un nombre de réunions par an)")
        if self.rrule is not None and (self.jour or self.semaine):
            raise ValueError("« jour » et « semaine » vont avec « par_an », pas avec « rrule »")
        if self.semaine == 0:
            raise ValueError("« semaine » vaut 1 à 4 (la 1re à la 4e semaine du mois) ou -1 (la dernière)")
        return self

    def rythme(self) -> Rythme:
        if self.rrule is not None:
            return Rythme(self.rrule, lire_heure(self.heure))
        assert self.par_an is not None  # garanti par _un_seul_rythme  # noqa: S101
        return Rythme(regle_par_an(self.par_an, self.jour or "mardi", self.semaine or 2), lire_heure(self.heure))


_FICHIER = TypeAdapter(dict[str, RythmeFichier | None])


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
