"""Choisir le territoire sur lequel porte une commande, et charger l'exemple de L'Union."""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.erreurs import Introuvable
from gouvernance.textes import cle_de_comparaison
from modeles import Territoire

if TYPE_CHECKING:
    from gouvernance.referentiel.importer import BilanImport

FICHIER_EXEMPLE = "referentiel_lunion.yaml"


def texte_referentiel_exemple() -> str:
    """Le référentiel embarqué : la CTG de L'Union (Haute-Garonne), 2021."""
    return files("gouvernance.donnees").joinpath(FICHIER_EXEMPLE).read_text(encoding="utf-8")


def charger_referentiel_exemple(session: Session) -> BilanImport:
    # Imports tardifs : les commandes de lecture choisissent un territoire sans charger pydantic ni YAML.
    from gouvernance.referentiel.importer import appliquer_referentiel
    from gouvernance.referentiel.validation import lire_referentiel

    return appliquer_referentiel(session, lire_referentiel(texte_referentiel_exemple(), FICHIER_EXEMPLE))


def lister_territoires(session: Session) -> list[dict[str, str | None]]:
    """Les territoires de la base, par code : code, nom et département."""
    return [
        {"code": t.code, "nom": t.nom, "departement": t.departement}
        for t in session.scalars(select(Territoire).order_by(Territoire.code))
    ]


def choisir_territoire(session: Session, designation: str | None) -> Territoire:
    """Le territoire désigné par son code ou son nom ; le seul qui existe si `designation` est vide."""
    territoires = list(session.scalars(select(Territoire).order_by(Territoire.code)))
    if not territoires:
        raise Introuvable(
            "La base ne contient aucun territoire. Chargez un référentiel avec "
            "`ctg referentiel importer FICHIER` (ou recréez la base avec `ctg init` pour l'exemple de L'Union)."
        )
    liste = ", ".join(f"{t.code} ({t.nom})" for t in territoires)
    if designation is None:
        if len(territoires) == 1:
            return territoires[0]
        raise Introuvable(f"La base contient plusieurs territoires : précisez lequel avec --territoire ({liste}).")
    cle = cle_de_comparaison(designation)
    for territoire in territoires:
        if cle in (cle_de_comparaison(territoire.code), cle_de_comparaison(territoire.nom)):
            return territoire
    raise Introuvable(f"Aucun territoire « {designation} ». Territoires enregistrés : {liste}.")
