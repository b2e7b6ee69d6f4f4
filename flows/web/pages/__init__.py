"""Les pages, un module par page ; chacun expose `routeur`, ajouté ici à ROUTEURS."""

from fastapi import APIRouter

from flows.web.pages import annuaire, connexion, referentiel, tableau_de_bord

ROUTEURS: list[APIRouter] = [
    connexion.routeur,
    tableau_de_bord.routeur,
    referentiel.routeur,
    annuaire.routeur,
]
