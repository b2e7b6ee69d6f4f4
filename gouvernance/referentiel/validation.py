"""Valider un fichier de référentiel : les erreurs de pydantic et nos contrôles, en français, avec la ligne."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from gouvernance.erreurs import DonneesInvalides
from gouvernance.referentiel.schema import ReferentielYaml
from gouvernance.textes import cle_de_comparaison
from gouvernance.yaml_lignes import Chemin, DocumentYaml, lire_yaml

_MESSAGES = {
    "missing": "ce champ obligatoire manque",
    "extra_forbidden": "ce champ est inconnu",
    "int_parsing": "un nombre entier est attendu",
    "int_type": "un nombre entier est attendu",
    "string_type": "un texte est attendu",
    "list_type": "une liste est attendue (lignes commençant par « - »)",
    "model_type": "une rubrique est attendue (des lignes « champ: valeur »)",
    "model_attributes_type": "une rubrique est attendue (des lignes « champ: valeur »)",
    "date_from_datetime_parsing": "une date AAAA-MM-JJ est attendue",
    "date_parsing": "une date AAAA-MM-JJ est attendue",
    "date_type": "une date AAAA-MM-JJ est attendue",
    "greater_than_equal": "ce nombre est trop petit",
    "less_than_equal": "ce nombre est trop grand",
}


def lire_referentiel(texte: str, nom_fichier: str) -> ReferentielYaml:
    """Le référentiel décrit par `texte` ; DonneesInvalides avec chaque problème et sa ligne sinon."""
    document = lire_yaml(texte, nom_fichier)
    if not isinstance(document.valeur, dict):
        raise DonneesInvalides(
            f"{nom_fichier} ne décrit pas un référentiel : il doit commencer par les rubriques "
            "« territoire: » et « enjeux: » (partez de `ctg referentiel exporter`)."
        )
    try:
        referentiel = ReferentielYaml.model_validate(document.valeur)
    except ValidationError as erreur:
        raise DonneesInvalides(_entete(nom_fichier), details=decrire_erreurs(document, erreur)) from erreur
    problemes = [
        f"ligne {document.ligne(chemin) or '?'} ({_nommer(chemin)}) : {message}"
        for chemin, message in controler_coherence(referentiel)
    ]
    if problemes:
        raise DonneesInvalides(_entete(nom_fichier), details=problemes)
    return referentiel


def controler_coherence(referentiel: ReferentielYaml) -> list[tuple[Chemin, str]]:
    """Ce que le schéma ne voit pas : doublons, codes mal rangés, renvois vers l'inconnu."""
    problemes: list[tuple[Chemin, str]] = []
    problemes += _doublons(("enjeux",), [str(enjeu.numero) for enjeu in referentiel.enjeux], "numero", "l'enjeu")
    codes_champs = {champ.code for champ in referentiel.champs_intervention}
    problemes += _doublons(
        ("champs_intervention",), [c.code for c in referentiel.champs_intervention], "code", "le champ"
    )
    tous_codes: list[str] = []
    for i, enjeu in enumerate(referentiel.enjeux):
        for j, orientation in enumerate(enjeu.orientations):
            chemin: Chemin = ("enjeux", i, "orientations", j)
            tous_codes.append(orientation.code)
            if orientation.numeros[0] != enjeu.numero:
                problemes.append(
                    (
                        (*chemin, "code"),
                        f"l'orientation {orientation.code} est rangée sous l'enjeu {enjeu.numero} : "
                        f"son code doit commencer par « {enjeu.numero}. »",
                    )
                )
            problemes += [
                (
                    (*chemin, "champs"),
                    f"le champ d'intervention « {code} » n'est pas déclaré dans champs_intervention "
                    f"(déclarés : {', '.join(sorted(codes_champs)) or 'aucun'})",
                )
                for code in orientation.champs
                if code not in codes_champs
            ]
    problemes += _doublons(("enjeux",), tous_codes, None, "l'orientation")
    noms = [cle_de_comparaison(p.nom) for p in referentiel.partenaires]
    problemes += _doublons(("partenaires",), noms, "nom", "le partenaire")
    problemes += _doublons(
        ("dispositifs",), [d.sigle.upper() for d in referentiel.dispositifs], "sigle", "le dispositif"
    )
    problemes += _doublons(("instances",), [i.code.upper() for i in referentiel.instances], "code", "l'instance")
    designations = set(noms) | {cle_de_comparaison(p.sigle) for p in referentiel.partenaires if p.sigle}
    for i, instance in enumerate(referentiel.instances):
        if instance.partenaire and cle_de_comparaison(instance.partenaire) not in designations:
            problemes.append(
                (
                    ("instances", i, "partenaire"),
                    f"« {instance.partenaire} » n'est pas dans la liste des partenaires "
                    "(donnez le nom ou le sigle de l'un d'eux)",
                )
            )
    return problemes


def _doublons(liste: Chemin, valeurs: Iterable[str], champ: str | None, quoi: str) -> list[tuple[Chemin, str]]:
    valeurs = list(valeurs)
    compte = Counter(valeurs)
    vus: set[str] = set()
    problemes: list[tuple[Chemin, str]] = []
    for index, valeur in enumerate(valeurs):
        if compte[valeur] > 1 and valeur not in vus:
            vus.add(valeur)
            chemin = (*liste, index, champ) if champ else liste
            problemes.append(
                (chemin, f"{quoi} « {valeur} » apparaît {compte[valeur]} fois : chaque code doit être unique")
            )
    return problemes


def decrire_erreurs(document: DocumentYaml, erreur: ValidationError) -> list[str]:
    """Les erreurs de pydantic en français, chacune avec sa ligne dans le fichier."""
    return [_detail(document, probleme) for probleme in erreur.errors(include_url=False)]


def _detail(document: DocumentYaml, probleme: ErrorDetails) -> str:
    chemin = tuple(probleme["loc"])
    ligne = document.ligne(chemin)
    message = _MESSAGES.get(probleme["type"])
    if message is None:
        # Nos propres validateurs lèvent ValueError en français : pydantic préfixe « Value error, ».
        message = str(probleme.get("ctx", {}).get("error", "")) or probleme["msg"]
        if probleme["type"] == "literal_error":
            attendues = str(probleme.get("ctx", {}).get("expected", "")).replace(" or ", " ou ")
            message = f"valeur refusée ; valeurs possibles : {attendues}"
    return f"ligne {ligne or '?'} ({_nommer(chemin)}) : {message}"


def _nommer(chemin: Chemin) -> str:
    morceaux: list[str] = []
    for element in chemin:
        if isinstance(element, int):
            morceaux.append(f"n°{element + 1}")
        else:
            morceaux.append(str(element))
    return " › ".join(morceaux) or "racine"


def _entete(nom_fichier: str) -> str:
    return f"{nom_fichier} est refusé : la base n'a pas été modifiée. Corrigez ceci puis relancez l'import :"
