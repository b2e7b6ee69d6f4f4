"""Le rendu des pages : Jinja2 avec échappement automatique de tout ce qui vient des données."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from flows.web.filtres import FILTRES
from flows.web.securite import CHAMP_CSRF, EN_TETE_CSRF, jeton_csrf

DOSSIER = Path(__file__).resolve().parent / "gabarits"
#: Le message de la page suivante (« Membre ajouté. ») : posé avant une redirection, montré une fois.
CLE_ANNONCE = "annonce"

#: Le menu principal, dans l'ordre : une page qui y figure ajoute ici sa ligne (chemin, libellé).
NAVIGATION: list[tuple[str, str]] = [
    ("/", "Tableau de bord"),
    ("/reunions", "Réunions"),
    ("/referentiel", "Référentiel"),
    ("/partenaires", "Partenaires"),
    ("/personnes", "Personnes"),
    ("/suivi", "Suivi"),
    ("/calendrier", "Calendrier"),
    ("/bilan", "Bilan"),
]


@cache
def environnement() -> Environment:
    """L'environnement Jinja2, créé au premier rendu (rien à l'import)."""
    env = Environment(
        loader=FileSystemLoader(DOSSIER),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTRES)
    env.globals["navigation"] = NAVIGATION
    return env


def annoncer(request: Request, message: str, *, erreur: bool = False) -> None:
    """Le message que la prochaine page affichera une fois (après une redirection) : un succès ou une erreur."""
    request.session[CLE_ANNONCE] = {"genre": "erreur" if erreur else "succes", "texte": message}


def rendre(request: Request, gabarit: str, *, statut: int = 200, **valeurs: Any) -> HTMLResponse:
    """La page `gabarit` ; elle reçoit aussi `request`, le jeton anti-CSRF et le chemin courant."""
    contenu = (
        environnement()
        .get_template(gabarit)
        .render(
            request=request,
            csrf=jeton_csrf(request),
            champ_csrf=CHAMP_CSRF,
            en_tete_csrf=EN_TETE_CSRF,
            chemin=request.url.path,
            utilisateur=valeurs.pop("utilisateur", None),
            territoire_choisi=valeurs.pop("territoire_choisi", None),
            annonce=request.session.pop(CLE_ANNONCE, None) if "session" in request.scope else None,
            **valeurs,
        )
    )
    return HTMLResponse(contenu, status_code=statut)
