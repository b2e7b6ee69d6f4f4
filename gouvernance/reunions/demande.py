"""Le fichier YAML d'une réunion à planifier (`ctg reunion planifier reunion.yaml`), validé champ par champ."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import ErrorDetails

from gouvernance.durees import lire_duree
from gouvernance.erreurs import DonneesInvalides
from gouvernance.referentiel.schema import Ligne
from gouvernance.referentiel.validation import decrire_erreurs
from gouvernance.yaml_lignes import lire_yaml

#: Le nombre maximal de points à l'ordre du jour, et d'invités, d'une réunion.
POINTS_MAX = 100
INVITES_MAX = 500


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PointDemande(_Strict):
    titre: Ligne
    orientations: list[Ligne] = []
    rapporteur: Ligne | None = None
    duree: Ligne | None = None

    @field_validator("duree")
    @classmethod
    def _duree_lisible(cls, duree: str | None) -> str | None:
        if duree is not None:
            lire_duree(duree)
        return duree

    @field_validator("orientations", mode="before")
    @classmethod
    def _une_seule(cls, valeur: object) -> object:
        # « orientations: 3.3 » vaut « orientations: [3.3] ».
        return [valeur] if isinstance(valeur, str) else valeur


class DemandeReunion(_Strict):
    instance: Ligne
    titre: Ligne | None = None
    debut: Ligne
    duree: Ligne | None = None
    fin: Ligne | None = None
    lieu: Ligne | None = None
    visio: Ligne | None = None
    points: list[PointDemande] = []
    invites: list[Ligne] = []
    territoire: Ligne | None = None

    @field_validator("duree")
    @classmethod
    def _duree_lisible(cls, duree: str | None) -> str | None:
        if duree is not None:
            lire_duree(duree)
        return duree

    @field_validator("visio")
    @classmethod
    def _lien(cls, visio: str | None) -> str | None:
        if visio is not None and not visio.lower().startswith(("https://", "http://")):
            raise ValueError("le lien de visioconférence doit commencer par https://")
        return visio


def demande_des_options(valeurs: dict[str, object]) -> DemandeReunion:
    """La réunion décrite par les options de la ligne de commande ; DonneesInvalides option par option sinon."""
    try:
        return DemandeReunion.model_validate(valeurs)
    except ValidationError as erreur:
        raise DonneesInvalides(
            "La réunion n'a pas été planifiée : rien n'a été enregistré. Corrigez ceci puis relancez :",
            details=[decrire_option(probleme) for probleme in erreur.errors(include_url=False)],
        ) from erreur


def decrire_option(probleme: ErrorDetails) -> str:
    """Un problème signalé par pydantic, nommé comme l'option de la commande (« --titre : … »)."""
    champ = str(probleme["loc"][0]) if probleme["loc"] else "?"
    option = "--invite" if champ == "invites" else f"--{champ}"
    # Nos validateurs lèvent ValueError en français ; pydantic le range dans « ctx » (sinon il préfixe son texte).
    message = str(probleme.get("ctx", {}).get("error", "")) or probleme["msg"]
    return f"{option} : {message}"


def lire_demande(texte: str, nom_fichier: str) -> DemandeReunion:
    """La réunion décrite par le fichier ; DonneesInvalides avec chaque problème et sa ligne sinon."""
    document = lire_yaml(texte, nom_fichier)
    if not isinstance(document.valeur, dict):
        raise DonneesInvalides(
            f"{nom_fichier} ne décrit pas une réunion : il doit contenir au moins « instance: » et « debut: »."
        )
    for champ, maximum, quoi in (
        ("points", POINTS_MAX, "points à l'ordre du jour"),
        ("invites", INVITES_MAX, "invités"),
    ):
        liste = document.valeur.get(champ)
        if isinstance(liste, list) and len(liste) > maximum:
            raise DonneesInvalides(
                f"{nom_fichier}, ligne {document.ligne((champ,)) or '?'} : {len(liste)} {quoi}, {maximum} au plus "
                "pour une réunion. Rien n'a été enregistré."
            )
    try:
        return DemandeReunion.model_validate(document.valeur)
    except ValidationError as erreur:
        raise DonneesInvalides(
            f"{nom_fichier} est refusé : rien n'a été enregistré. Corrigez ceci puis relancez :",
            details=decrire_erreurs(document, erreur),
        ) from erreur


def refuser_options_du_fichier(
    demande: DemandeReunion, nom_fichier: str, options: Mapping[str, object], *, territoire: str | None = None
) -> None:
    """Refuse une option qui redit ce que le fichier décrit : laquelle l'emporterait n'a pas à être deviné.

    `options` sont les valeurs des options de la commande (None, vide ou faux : non données) ; `--territoire`
    n'est refusé que s'il contredit celui du fichier.
    """
    en_trop = [f"--{'invite' if cle == 'invites' else cle}" for cle, valeur in options.items() if valeur]
    if territoire and demande.territoire and territoire.casefold() != demande.territoire.casefold():
        en_trop.append("--territoire")
    if not en_trop:
        return
    options_refusees = " et ".join([", ".join(en_trop[:-1]), en_trop[-1]] if len(en_trop) > 1 else en_trop)
    raise DonneesInvalides(
        f"{nom_fichier} décrit déjà la réunion : {options_refusees} ne "
        f"{'peuvent' if len(en_trop) > 1 else 'peut'} pas s'y ajouter. Rien n'a été enregistré. "
        "Écrivez ces valeurs dans le fichier, ou planifiez sans fichier, avec les seules options."
    )
