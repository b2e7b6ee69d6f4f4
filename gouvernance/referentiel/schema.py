"""Le format YAML du référentiel (`ctg referentiel exporter` / `importer`), validé champ par champ."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from gouvernance.durees import lire_duree
from gouvernance.textes import contient_controle, contient_controle_hors_sauts_de_ligne
from modeles.instance import TYPES_INSTANCE

CATEGORIES_PARTENAIRE = (
    "commune",
    "epci",
    "ccas",
    "caf",
    "msa",
    "departement",
    "etat",
    "association",
    "autre",
)


def _une_ligne(texte: str) -> str:
    texte = texte.strip()
    if not texte:
        raise ValueError("ce texte est vide")
    if contient_controle(texte):
        raise ValueError("ce texte doit tenir sur une ligne, sans tabulation ni caractère de contrôle")
    return texte


def _plusieurs_lignes(texte: str) -> str:
    texte = texte.strip()
    if contient_controle_hors_sauts_de_ligne(texte):
        raise ValueError("ce texte contient une tabulation ou un caractère de contrôle")
    return texte


def _code(texte: str) -> str:
    texte = _une_ligne(texte)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}", texte):
        raise ValueError("un code s'écrit en lettres sans accents, chiffres, « - » ou « _ » (40 au plus)")
    return texte


Ligne = Annotated[str, AfterValidator(_une_ligne)]
Texte = Annotated[str, AfterValidator(_plusieurs_lignes)]
Code = Annotated[str, AfterValidator(_code)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TerritoireYaml(_Strict):
    code: Code
    nom: Ligne
    departement: Ligne | None = None
    source: Texte | None = None


class ConventionYaml(_Strict):
    intitule: Ligne
    debut: date | None = None
    fin: date | None = None
    objet: Texte | None = None


class PhaseYaml(_Strict):
    numero: int = Field(ge=1, le=99)
    intitule: Ligne
    etapes: list[Ligne] = []


class DemarcheYaml(_Strict):
    phases: list[PhaseYaml] = []
    methodes: list[Ligne] = []


class ChampYaml(_Strict):
    code: Code
    libelle: Ligne


class OrientationYaml(_Strict):
    code: Ligne
    intitule: Ligne
    champs: list[Code] = []

    @field_validator("code")
    @classmethod
    def _forme_du_code(cls, code: str) -> str:
        if not re.fullmatch(r"\d{1,2}\.\d{1,2}", code):
            raise ValueError("un code d'orientation s'écrit « numéro d'enjeu.numéro d'orientation », par exemple 3.4")
        return code

    @property
    def numeros(self) -> tuple[int, int]:
        enjeu, orientation = self.code.split(".")
        return int(enjeu), int(orientation)


class EnjeuYaml(_Strict):
    numero: int = Field(ge=1, le=99)
    intitule: Ligne
    intitule_court: Ligne | None = None
    precisions: list[Ligne] = []
    orientations: list[OrientationYaml] = []


class PartenaireYaml(_Strict):
    nom: Ligne
    sigle: Ligne | None = None
    categorie: Literal[CATEGORIES_PARTENAIRE] = "autre"  # type: ignore[valid-type]
    adresse: Texte | None = None


class DispositifYaml(_Strict):
    sigle: Ligne
    intitule: Ligne


class InstanceYaml(_Strict):
    code: Code
    intitule: Ligne
    type: Literal[tuple(TYPES_INSTANCE)] = "autre"  # type: ignore[valid-type]
    description: Texte | None = None
    duree: str = "2h"
    lieu: Ligne | None = None
    delai_convocation_jours: int = Field(default=5, ge=1, le=60)
    #: Le nom ou le sigle de l'organisme au nom duquel l'instance convoque.
    partenaire: Ligne | None = None

    @field_validator("duree")
    @classmethod
    def _duree_lisible(cls, duree: str) -> str:
        lire_duree(duree)
        return duree

    @property
    def duree_minutes(self) -> int:
        return lire_duree(self.duree)


class ReferentielYaml(_Strict):
    format: Literal["ctg-referentiel/1"] = "ctg-referentiel/1"
    territoire: TerritoireYaml
    convention: ConventionYaml | None = None
    demarche: DemarcheYaml = DemarcheYaml()
    champs_intervention: list[ChampYaml] = []
    enjeux: list[EnjeuYaml]
    partenaires: list[PartenaireYaml] = []
    dispositifs: list[DispositifYaml] = []
    instances: list[InstanceYaml] = []
