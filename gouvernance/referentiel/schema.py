"""Le format YAML du référentiel (`ctg referentiel exporter` / `importer`), validé champ par champ."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from gouvernance.calendrier.regle import Rythme, lire_heure, regle_par_an, verifier_jour, verifier_regle
from gouvernance.durees import lire_duree
from gouvernance.textes import contient_controle, contient_controle_hors_sauts_de_ligne
from modeles.vocabulaire import CategoriePartenaire, TypeInstance


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
    categorie: Literal[CategoriePartenaire.valeurs()] = "autre"  # type: ignore[valid-type]
    adresse: Texte | None = None
    #: Les autres noms sous lesquels on le connaît (« Mairie de L'Union ») : l'import des contacts les reconnaît.
    autres_noms: list[Ligne] = []


class DispositifYaml(_Strict):
    sigle: Ligne
    intitule: Ligne


class RythmeYaml(_Strict):
    """`{rrule: "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU", heure: "18:00"}` ou `{par_an: 4, jour: mardi, heure: …}`."""

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
        return None if jour is None else verifier_jour(jour)

    @model_validator(mode="after")
    def _un_seul_rythme(self) -> RythmeYaml:
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


class RelancesYaml(_Strict):
    """Les relances automatiques, en jours (0 : aucune relance)."""

    #: Relancer les invités sans réponse, tant de jours avant la réunion.
    reponse_jours: int = Field(default=7, ge=0, le=60)
    #: Relancer le secrétaire quand le compte rendu manque, tant de jours après la réunion.
    compte_rendu_jours: int = Field(default=15, ge=0, le=180)


class InstanceYaml(_Strict):
    code: Code
    intitule: Ligne
    type: Literal[TypeInstance.valeurs()] = "autre"  # type: ignore[valid-type]
    description: Texte | None = None
    duree: str = "2h"
    lieu: Ligne | None = None
    delai_convocation_jours: int = Field(default=5, ge=1, le=60)
    #: Le nom ou le sigle de l'organisme au nom duquel l'instance convoque.
    partenaire: Ligne | None = None
    #: Absent : l'instance n'a pas de réunions planifiées d'avance (`ctg calendrier planifier` l'ignore).
    rythme: RythmeYaml | None = None
    relances: RelancesYaml = RelancesYaml()

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
