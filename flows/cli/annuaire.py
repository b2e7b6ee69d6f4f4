"""Ce que partagent les commandes de l'annuaire (`ctg partenaires`, `personnes`, `instances`, `membres`)."""

from __future__ import annotations

from rich.text import Text

CATEGORIES = "commune, epci, ccas, caf, msa, departement, etat, association ou autre"
ROLES = "president, vice-president, membre, secretaire ou invite"

#: Le nom de chaque champ modifiable, tel qu'on l'écrit dans une phrase.
_CHAMPS = {
    "nom": "nom",
    "sigle": "sigle",
    "categorie": "catégorie",
    "adresse": "adresse",
    "email": "adresse électronique",
    "emails_secondaires": "adresses secondaires",
    "prenom": "prénom",
    "civilite": "civilité",
    "telephone": "téléphone",
    "fonction": "fonction",
    "autres_noms": "autres noms",
}


def cellule(valeur: object) -> Text:
    """Une cellule de tableau : le texte tel quel, jamais interprété comme du balisage."""
    return Text("" if valeur is None else str(valeur))


def decrire_changements(modifies: list[str]) -> str:
    """« modifié : adresse, téléphone. » ou « rien n'a changé. »"""
    if not modifies:
        return "rien n'a changé."
    return "modifié : " + ", ".join(_CHAMPS.get(champ, champ) for champ in modifies) + "."


def lire_adresse(adresse: str | None) -> str | None:
    """L'adresse postale saisie sur une ligne, « \\n » séparant ses lignes."""
    return adresse.replace("\\n", "\n") if adresse else adresse
