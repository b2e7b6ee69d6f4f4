"""Un vrai serveur SMTP sur la boucle locale (aiosmtpd), qui peut mal se conduire exprès, et une garde anti-envoi.

À brancher dans conftest.py (`pytest_plugins = ["tests.serveur_smtp"]`) : la fixture `serveur_smtp` démarre un
serveur sur un port libre ; `interdire_smtp` (à rendre autouse) fait échouer toute autre connexion SMTP.
"""

from __future__ import annotations

import itertools
import smtplib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from gouvernance.envoi import ReglagesSmtp

HOTE = "127.0.0.1"
#: Le seul compte que le serveur de test accepte (AUTH PLAIN ou LOGIN, sans TLS : boucle locale).
UTILISATEUR, MOT_DE_PASSE = "ctg", "bon-mot-de-passe"
#: Les (hôte, port) des serveurs de test en marche : les seules connexions SMTP permises.
_AUTORISES: set[tuple[str, int]] = set()


@dataclass(frozen=True)
class Recu:
    expediteur: str
    destinataires: tuple[str, ...]
    contenu: bytes


@dataclass
class Pannes:
    """Les mauvaises conduites voulues ; les compteurs portent sur tous les messages reçus par le serveur."""

    #: Répond « 421 » à la fin des données de chaque message au-delà des n premiers (sans le garder).
    repondre_421_apres: int | None = None
    #: Refuse ce destinataire (« 550 ») à la commande RCPT.
    refuser: str | None = None
    #: Coupe la connexion dès la commande MAIL de chaque message au-delà des n premiers.
    couper_apres: int | None = None
    #: Garde le message suivant les n premiers, puis coupe sans répondre : accepté, mais la réponse est perdue.
    couper_apres_donnees: int | None = None
    #: Appelé à la réception des données de chaque message, pendant que le client attend la réponse.
    pendant_les_donnees: Callable[[], None] | None = None


@dataclass
class Collecteur:
    """Le gestionnaire aiosmtpd : garde chaque message accepté, et obéit aux pannes demandées."""

    pannes: Pannes = field(default_factory=Pannes)
    recus: list[Recu] = field(default_factory=list)
    connexions: int = 0
    _numeros: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _verrou: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(  # noqa: N802 (noms des crochets imposés par aiosmtpd)
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list[str]
    ) -> list[str]:
        self.connexions += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(  # noqa: N802 (noms des crochets imposés par aiosmtpd)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, mail_options: list[str]
    ) -> str:
        if self.pannes.couper_apres is not None and len(self.recus) >= self.pannes.couper_apres:
            _couper(server)
            return "421 4.4.2 coupure"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(  # noqa: N802 (noms des crochets imposés par aiosmtpd)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address == self.pannes.refuser:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(  # noqa: N802 (noms des crochets imposés par aiosmtpd)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        pannes = self.pannes
        if pannes.pendant_les_donnees is not None:
            pannes.pendant_les_donnees()
        if pannes.repondre_421_apres is not None and len(self.recus) >= pannes.repondre_421_apres:
            return "421 4.3.2 Service not available, closing transmission channel"
        contenu = envelope.original_content or b""
        with self._verrou:
            self.recus.append(Recu(envelope.mail_from or "", tuple(envelope.rcpt_tos), contenu))
            numero = next(self._numeros)
        if pannes.couper_apres_donnees is not None and len(self.recus) > pannes.couper_apres_donnees:
            _couper(server)
        return f"250 2.0.0 Ok: queued as CTG{numero:04d}"


def _couper(server: SMTP) -> None:
    transport: Any = server.transport
    if transport is not None:
        transport.abort()


@dataclass
class ServeurSmtp:
    """Le serveur de test : son adresse, ce qu'il a reçu, et les pannes à simuler (modifiables en cours de test)."""

    hote: str
    port: int
    collecteur: Collecteur

    @property
    def recus(self) -> list[Recu]:
        return self.collecteur.recus

    @property
    def pannes(self) -> Pannes:
        return self.collecteur.pannes

    def reparer(self) -> None:
        """Le serveur se conduit de nouveau bien (les messages reçus restent comptés)."""
        self.collecteur.pannes = Pannes()

    def reglages(self, **changements: Any) -> ReglagesSmtp:
        """Des réglages qui visent ce serveur : sans chiffrement ni authentification, délai court."""
        valeurs: dict[str, Any] = {
            "hote": self.hote,
            "port": self.port,
            "utilisateur": None,
            "mot_de_passe": None,
            "securite": "none",
            "expediteur": "ctg@mairie-exemple.fr",
            "delai": 5.0,
        }
        valeurs.update(changements)
        return ReglagesSmtp(**valeurs)


def port_libre() -> int:
    """Un port TCP libre sur la boucle locale (le système le choisit)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as prise:
        prise.bind((HOTE, 0))
        port: int = prise.getsockname()[1]
        return port


@pytest.fixture
def serveur_smtp() -> Iterator[ServeurSmtp]:
    """Un serveur aiosmtpd sur 127.0.0.1, sur un port libre, arrêté à la fin du test."""
    collecteur = Collecteur()
    port = port_libre()
    _AUTORISES.add((HOTE, port))
    controleur = Controller(
        collecteur,
        hostname=HOTE,
        port=port,
        server_hostname="smtp.test",
        ready_timeout=5,
        authenticator=_authentifier,
        auth_require_tls=False,
    )
    controleur.start()
    try:
        yield ServeurSmtp(HOTE, port, collecteur)
    finally:
        controleur.stop()
        _AUTORISES.discard((HOTE, port))


def _authentifier(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
    """Accepte le seul compte de test ; tout autre identifiant est refusé (« 535 »)."""
    bon = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        UTILISATEUR.encode(),
        MOT_DE_PASSE.encode(),
    )
    return AuthResult(success=bon, handled=False)  # handled=False : aiosmtpd répond lui-même (235 ou 535)


@pytest.fixture
def port_ferme() -> Iterator[int]:
    """Un port de la boucle locale où rien n'écoute : un serveur SMTP arrêté (connexion refusée)."""
    port = port_libre()
    _AUTORISES.add((HOTE, port))
    try:
        yield port
    finally:
        _AUTORISES.discard((HOTE, port))


@pytest.fixture
def interdire_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Toute connexion SMTP hors des serveurs de test échoue (à la manière du `disallow_emails` d'Indico)."""
    connecter = smtplib.SMTP.connect

    def connecter_seulement_aux_serveurs_de_test(
        self: smtplib.SMTP, host: str = "localhost", port: int = 0, source_address: Any = None
    ) -> tuple[int, bytes]:
        if (host, port) not in _AUTORISES:
            pytest.fail(f"connexion SMTP inattendue vers {host}:{port} pendant un test")
        return connecter(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", connecter_seulement_aux_serveurs_de_test)
