"""`creer_application` : l'application FastAPI sur la base de CTG_HOME (ou de CTG_DATABASE_URL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from flows.web.cle import cle_de_session
from flows.web.contexte import EtatApplication
from flows.web.erreurs import installer_pages_d_erreur
from flows.web.pages import ROUTEURS
from flows.web.securite import CookieSecurise, EnTetesDeSecurite, LimiteCorps, Limiteur
from gouvernance.base_donnees import ouvrir_base
from gouvernance.reglages import Reglages

DOSSIER_STATIQUE = Path(__file__).resolve().parent / "statique"
#: Une session dure une journée de travail ; au-delà, on se reconnecte.
DUREE_SESSION = timedelta(hours=10)
NOM_COOKIE = "ctg_session"
#: Le plus gros envoi accepté (un compte rendu Word avec ses images, un tableur de contacts).
CORPS_MAXIMUM = 10 * 1024 * 1024


def maintenant() -> datetime:
    return datetime.now().astimezone()


def creer_application(reglages: Reglages, *, horloge: Callable[[], datetime] = maintenant) -> FastAPI:
    """L'application web ; BaseAbsente ou SchemaPerime (en français) si la base n'est pas prête."""
    moteur = ouvrir_base(reglages)
    # Ni /docs ni /openapi.json : toute route exige une connexion, sauf la connexion et les fichiers statiques.
    application = FastAPI(title="ctg-gouvernance", docs_url=None, redoc_url=None, openapi_url=None)
    application.state.ctg = EtatApplication(
        reglages=reglages, moteur=moteur, horloge=horloge, limiteur=Limiteur(horloge=horloge)
    )
    for routeur in ROUTEURS:
        application.include_router(routeur)
    application.mount("/statique", StaticFiles(directory=DOSSIER_STATIQUE), name="statique")
    installer_pages_d_erreur(application)
    application.add_middleware(
        SessionMiddleware,
        secret_key=cle_de_session(reglages.dossier),
        session_cookie=NOM_COOKIE,
        max_age=int(DUREE_SESSION.total_seconds()),
        same_site="lax",
        https_only=False,
    )
    application.add_middleware(CookieSecurise)
    application.add_middleware(LimiteCorps, maximum=CORPS_MAXIMUM)
    application.add_middleware(EnTetesDeSecurite)
    return application
