"""Jeton anti-CSRF, limitation des tentatives de connexion, cookie Secure derrière https.

Le jeton anti-CSRF est un jeton de synchronisation gardé dans la session (signée par Starlette) : chaque
formulaire le porte dans le champ `csrf`, chaque requête htmx dans l'en-tête `X-CSRF-Token` (posé une fois
sur <body> par `hx-headers`). Pas de bibliothèque pour cela : starlette-csrf vérifie un double cookie qu'il
faudrait relire en JavaScript, asgi-csrf n'est pas tenu pour Starlette ; la session signée en fait autant en
vingt lignes, et la comparaison est à temps constant.
"""

from __future__ import annotations

import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CHAMP_CSRF = "csrf"
EN_TETE_CSRF = "X-CSRF-Token"
METHODES_SURES = frozenset({"GET", "HEAD", "OPTIONS"})


class JetonCSRFInvalide(Exception):
    """Une requête qui modifie quelque chose sans le jeton de la session : refusée (403)."""


def jeton_csrf(request: Request) -> str:
    """Le jeton de la session, créé au premier besoin."""
    jeton = request.session.get(CHAMP_CSRF)
    if not isinstance(jeton, str):
        jeton = request.session[CHAMP_CSRF] = secrets.token_urlsafe(32)
    return jeton


async def verifier_csrf(request: Request) -> None:
    """Lève JetonCSRFInvalide si une requête POST (PUT, DELETE…) ne porte pas le jeton de sa session."""
    if request.method in METHODES_SURES:
        return
    attendu = request.session.get(CHAMP_CSRF)
    recu = request.headers.get(EN_TETE_CSRF)
    if recu is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        # Le formulaire a déjà été lu par FastAPI : Starlette le garde, cette lecture ne coûte rien.
        valeur = (await request.form()).get(CHAMP_CSRF)
        recu = valeur if isinstance(valeur, str) else None
    if not isinstance(attendu, str) or recu is None or not secrets.compare_digest(attendu.encode(), recu.encode()):
        raise JetonCSRFInvalide


@dataclass
class Limiteur:
    """Refuse une connexion après `maximum` échecs en `fenetre` pour la même adresse (ou la même origine).

    En mémoire du processus : `ctg web` est un seul processus ; derrière plusieurs, le mandataire inverse
    limite aussi (voir le README).
    """

    horloge: Callable[[], datetime]
    maximum: int = 5
    fenetre: timedelta = timedelta(minutes=15)
    #: Une origine (adresse IP) essaie plusieurs comptes : on lui permet davantage avant de la bloquer.
    maximum_origine: int = 20
    _echecs: dict[str, deque[datetime]] = field(default_factory=dict)
    _verrou: threading.Lock = field(default_factory=threading.Lock)

    def attente(self, email: str, origine: str) -> timedelta | None:
        """Le temps à attendre avant de pouvoir réessayer ; None si l'essai est permis."""
        maintenant = self.horloge()
        with self._verrou:
            attentes = [
                self._attente(cle, maximum, maintenant)
                for cle, maximum in ((_cle_compte(email), self.maximum), (_cle_origine(origine), self.maximum_origine))
            ]
        bloquees = [attente for attente in attentes if attente is not None]
        return max(bloquees) if bloquees else None

    def noter_echec(self, email: str, origine: str) -> None:
        maintenant = self.horloge()
        with self._verrou:
            for cle in (_cle_compte(email), _cle_origine(origine)):
                self._echecs.setdefault(cle, deque()).append(maintenant)

    def oublier(self, email: str) -> None:
        """Une connexion réussie efface les échecs de ce compte."""
        with self._verrou:
            self._echecs.pop(_cle_compte(email), None)

    def _attente(self, cle: str, maximum: int, maintenant: datetime) -> timedelta | None:
        echecs = self._echecs.get(cle)
        if echecs is None:
            return None
        while echecs and echecs[0] <= maintenant - self.fenetre:
            echecs.popleft()
        if len(echecs) < maximum:
            return None
        return echecs[-maximum] + self.fenetre - maintenant


def _cle_compte(email: str) -> str:
    return "compte:" + email.strip().casefold()


def _cle_origine(origine: str) -> str:
    return "origine:" + origine


class CookieSecurise:
    """Ajoute `Secure` aux cookies posés sur une requête https (derrière un mandataire inverse qui le dit).

    SessionMiddleware ne sait le faire que toujours ou jamais ; en local (http://127.0.0.1), un cookie Secure
    ne reviendrait pas.
    """

    def __init__(self, application: ASGIApp) -> None:
        self.application = application

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.application(scope, receive, send)
            return

        async def envoyer(message: Message) -> None:
            if message["type"] == "http.response.start":
                en_tetes = MutableHeaders(scope=message)
                cookies = en_tetes.getlist("set-cookie")
                if cookies:
                    del en_tetes["set-cookie"]
                    for cookie in cookies:
                        en_tetes.append("set-cookie", cookie if "; secure" in cookie.lower() else f"{cookie}; secure")
            await send(message)

        await self.application(scope, receive, envoyer)


class LimiteCorps:
    """Refuse (413) une requête dont le corps annoncé dépasse `maximum` octets, avant de le lire."""

    def __init__(self, application: ASGIApp, maximum: int) -> None:
        self.application = application
        self.maximum = maximum

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            longueur = dict(scope["headers"]).get(b"content-length", b"0")
            if not longueur.isdigit() or int(longueur) > self.maximum:
                reponse = PlainTextResponse(
                    f"Envoi refusé : il dépasse {self.maximum // (1024 * 1024)} Mo. Envoyez un fichier plus petit.",
                    status_code=413,
                )
                await reponse(scope, receive, send)
                return
        await self.application(scope, receive, send)


#: Ce que la page peut charger : rien d'ailleurs, aucun script en ligne, jamais dans un cadre d'un autre site.
POLITIQUE_DE_CONTENU = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
EN_TETES_DE_SECURITE = (
    (b"content-security-policy", POLITIQUE_DE_CONTENU.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


class EnTetesDeSecurite:
    """Pose sur chaque réponse la politique de contenu et les en-têtes qui ferment les attaques classiques."""

    def __init__(self, application: ASGIApp) -> None:
        self.application = application

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.application(scope, receive, send)
            return

        async def envoyer(message: Message) -> None:
            if message["type"] == "http.response.start":
                en_tetes = MutableHeaders(scope=message)
                for nom, valeur in EN_TETES_DE_SECURITE:
                    en_tetes[nom.decode()] = valeur.decode()
            await send(message)

        await self.application(scope, receive, envoyer)
