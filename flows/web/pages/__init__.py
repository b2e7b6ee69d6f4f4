"""Les pages, un module par page ; chacun expose `routeur`, ajouté ici à ROUTEURS."""

from fastapi import APIRouter

from flows.web.pages import (
    bilan,
    calendrier,
    comptes_rendus,
    connexion,
    contacts,
    partenaires,
    personnes,
    referentiel,
    referentiel_fichier,
    reunions,
    suivi,
    tableau_de_bord,
    taches,
    territoire,
)

ROUTEURS: list[APIRouter] = [
    connexion.routeur,
    tableau_de_bord.routeur,
    referentiel_fichier.routeur,
    referentiel.routeur,
    partenaires.routeur,
    contacts.routeur,
    personnes.routeur,
    territoire.routeur,
    suivi.routeur,
    calendrier.routeur,
    bilan.routeur,
    reunions.routeur,
    comptes_rendus.routeur,
    taches.routeur,
]
