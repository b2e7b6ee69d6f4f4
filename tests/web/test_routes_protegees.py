"""Toute route exige une connexion et le bon rôle, sauf la connexion et les fichiers statiques.

Le test énumère les routes de l'application (app.routes) : une route ajoutée plus tard sans rôle, ou qui
laisserait passer un anonyme ou un rôle moindre, le fait échouer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Mount

from flows.web.pages.connexion import ROUTES_PUBLIQUES
from modeles import RoleUtilisateur
from tests.web.conftest import connecter

#: Les seuls montages permis : les fichiers statiques.
MONTAGES_PUBLICS = {"/statique"}


def _role_requis(route: APIRoute) -> RoleUtilisateur | None:
    """Le rôle qu'exige la route, lu dans ses dépendances (le paramètre `ctx: Lecteur|Secretaire|Coordinateur`)."""
    a_voir = list(route.dependant.dependencies)
    while a_voir:
        dependance = a_voir.pop()
        role = getattr(dependance.call, "role_requis", None)
        if role is not None:
            return role  # type: ignore[no-any-return]
        a_voir.extend(dependance.dependencies)
    return None


def _routes(routes: Sequence[BaseRoute], prefixe: str = "") -> Iterator[tuple[str, BaseRoute]]:
    """Toutes les routes, celles des routeurs inclus comprises (FastAPI ≥ 0.150 les garde dans leur routeur)."""
    for route in routes:
        inclus = getattr(route, "original_router", None)
        if inclus is None:
            yield prefixe, route
            continue
        contexte = route.include_context  # type: ignore[attr-defined]
        assert not contexte.dependencies, "un routeur inclus avec des dépendances : à lire aussi ici"
        yield from _routes(inclus.routes, prefixe + contexte.prefix)


def _requetes(application: FastAPI) -> list[tuple[str, str, RoleUtilisateur]]:
    """(méthode, chemin avec des paramètres remplis, rôle requis) de chaque route protégée."""
    requetes = []
    for prefixe, route in _routes(application.routes):
        if isinstance(route, Mount):
            assert route.path in MONTAGES_PUBLICS, f"montage inattendu : {route.path}"
            continue
        assert isinstance(route, APIRoute), f"route d'un type inattendu : {route}"
        for methode in sorted(route.methods or ()):
            if (methode, prefixe + route.path) in ROUTES_PUBLIQUES:
                continue
            role = _role_requis(route)
            assert role is not None, f"{methode} {route.path} n'exige aucun rôle : ajoutez `ctx: Lecteur` (ou plus)"
            chemin = re.sub(r"\{[^}]+\}", "1", prefixe + route.path)
            requetes.append((methode, chemin, role))
    return requetes


def test_un_anonyme_est_renvoye_a_la_connexion_sur_toute_route(application: FastAPI, client: TestClient) -> None:
    requetes = _requetes(application)
    assert len(requetes) >= 3
    for methode, chemin, _role in requetes:
        reponse = client.request(methode, chemin)
        assert reponse.status_code == 303, f"{methode} {chemin} → {reponse.status_code}"
        assert reponse.headers["location"].startswith("/connexion"), f"{methode} {chemin}"


def test_un_role_moindre_est_refuse_sur_toute_route_qui_en_exige_un_plus_grand(
    application: FastAPI, client: TestClient
) -> None:
    refusees = 0
    for role in (RoleUtilisateur.LECTURE, RoleUtilisateur.SECRETAIRE):
        client.cookies.clear()
        jeton = connecter(client, role.value)
        for methode, chemin, requis in _requetes(application):
            if role.rang >= requis.rang:
                continue
            # Le jeton anti-CSRF est valable : c'est bien le rôle qui est refusé.
            reponse = client.request(methode, chemin, headers={"X-CSRF-Token": jeton})
            assert reponse.status_code == 403, f"{role} : {methode} {chemin} → {reponse.status_code}"
            assert "Accès refusé" in reponse.text
            refusees += 1
    assert refusees > 0


def test_les_fichiers_statiques_et_la_connexion_sont_ouverts_sans_compte(client: TestClient) -> None:
    assert client.get("/connexion").status_code == 200
    assert client.get("/statique/htmx.min.js").status_code == 200
    assert client.get("/statique/style.css").status_code == 200
    # Ni documentation d'API, ni schéma : rien d'autre n'est ouvert.
    for chemin in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(chemin).status_code in (303, 404), chemin
