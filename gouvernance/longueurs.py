"""Les longueurs maximales des textes sont celles des modèles, contrôlées avant chaque écriture en base.

Un seul mécanisme pour toutes les entrées (options de la ligne de commande, YAML, CSV, Word) : avant
chaque `flush`, chaque texte nouveau ou modifié est comparé à la longueur de sa colonne (`String(n)`).
Sans lui, PostgreSQL refuserait la ligne par une trace en anglais et SQLite la garderait trop longue.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import String, Table, event, inspect
from sqlalchemy.orm import Mapper, Session, UOWTransaction

from gouvernance.erreurs import DonneesInvalides

#: Ce qu'on écrit après le nom du champ pour dire à quoi il appartient.
_OBJETS = {
    "territoires": "du territoire",
    "conventions": "de la convention",
    "phases": "de la phase",
    "etapes_phases": "de l'étape",
    "methodes": "de la méthode",
    "dispositifs": "du dispositif",
    "champs_intervention": "du champ d'intervention",
    "enjeux": "de l'enjeu",
    "orientations": "de l'orientation",
    "partenaires": "du partenaire",
    "personnes": "de la personne",
    "fonctions": "de la fonction",
    "instances": "de l'instance",
    "membres": "du membre",
    "reunions": "de la réunion",
    "points_ordre_du_jour": "du point de l'ordre du jour",
    "invitations": "de l'invitation",
    "comptes_rendus": "du compte rendu",
    "decisions": "de la décision",
    "actions": "de l'action",
    "messages": "du courriel",
    "documents": "du document",
    "courriels_recus": "du courriel relevé",
}

#: Le nom de chaque colonne tel qu'on l'écrit dans une phrase, quand il diffère du nom de la colonne.
_CHAMPS = {
    "intitule": "intitulé",
    "intitule_court": "intitulé court",
    "departement": "département",
    "prenom": "prénom",
    "civilite": "civilité",
    "telephone": "téléphone",
    "email": "adresse électronique",
    "categorie": "catégorie",
    "rythme_regle": "rythme",
    "visio": "lien de visioconférence",
    "uid": "identifiant iCalendar",
    "role": "rôle",
    "reponse": "réponse",
    "delegue_a": "délégué à",
    "presence": "présence",
    "represente_par": "représenté par",
    "secretaire": "secrétaire",
    "libelle": "libellé",
    "cle": "clé",
    "nom_destinataire": "nom du destinataire",
    "message_id": "Message-ID",
    "chemin": "chemin du fichier",
    "resultat": "résultat",
}


_BORNES: dict[type, tuple[tuple[str, str, str, int], ...]] = {}


def longueur_maximale(table: str, colonne: str) -> int | None:
    """La longueur maximale (en caractères) de `table.colonne` selon les modèles, ou None si elle n'en a pas."""
    from modeles import Base

    type_colonne = Base.metadata.tables[table].columns[colonne].type
    return type_colonne.length if isinstance(type_colonne, String) else None


def message_trop_long(table: str, colonne: str, longueur: int, maximum: int) -> str:
    """« Le champ « titre » de la réunion est trop long : 301 caractères pour 300 au plus. … »"""
    objet = _OBJETS.get(table, f"({table})")
    champ = _CHAMPS.get(colonne, colonne.replace("_", " "))
    return (
        f"Le champ « {champ} » {objet} est trop long : {longueur} caractères pour {maximum} au plus. "
        "Raccourcissez-le ; rien n'a été enregistré."
    )


def verifier_longueurs(objet: object) -> None:
    """Refuse (DonneesInvalides) un texte de `objet` plus long que sa colonne."""
    for table, colonne, attribut, maximum in _textes_bornes(type(objet)):
        valeur = getattr(objet, attribut, None)
        if isinstance(valeur, str) and len(valeur) > maximum:
            raise DonneesInvalides(message_trop_long(table, colonne, len(valeur), maximum))


def _textes_bornes(modele: type) -> tuple[tuple[str, str, str, int], ...]:
    """(table, colonne, attribut, longueur maximale) de chaque colonne `String(n)` du modèle, calculés une fois."""
    if modele in _BORNES:
        return _BORNES[modele]
    mapper: Mapper[Any] = inspect(modele)
    table = cast(Table, mapper.local_table)
    _BORNES[modele] = tuple(
        (table.name, colonne.name, mapper.get_property_by_column(colonne).key, colonne.type.length)
        for colonne in table.columns
        if isinstance(colonne.type, String) and colonne.type.length is not None
    )
    return _BORNES[modele]


def _avant_flush(session: Session, _transaction: UOWTransaction, _instances: object) -> None:
    for objet in (*session.new, *session.dirty):
        verifier_longueurs(objet)


def activer() -> None:
    """Contrôle les longueurs à chaque `flush` de toute session (une seule fois par processus)."""
    if not event.contains(Session, "before_flush", _avant_flush):
        event.listen(Session, "before_flush", _avant_flush)
