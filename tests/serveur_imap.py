"""Un vrai serveur IMAP (dovecot de Debian) sur la boucle locale, démarré pour les tests et arrêté après eux.

Dovecot tourne sans privilège particulier, tout dans un dossier temporaire : configuration, comptes
(passwd-file), boîtes (maildir), journal. Sous root (la CI), les processus de connexion de dovecot refusent
root : ils prennent l'utilisateur système `dovenull` et les boîtes appartiennent à `dovecot`, comme dans
une installation Debian. Chaque test prend une boîte neuve (`nouvelle_boite`), donc vide.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gouvernance.reunions.imap.noms_de_dossier import citer
from gouvernance.reunions.imap.reglages import ReglagesImap
from tests.conftest import manque

DOVECOT = Path("/usr/sbin/dovecot")
HOTE = "127.0.0.1"
MOT_DE_PASSE = "Mot de passe très secret"
#: Les comptes sont tous créés au démarrage : dovecot ne relit son fichier de comptes qu'une fois par seconde.
COMPTES = 100


@dataclass
class ServeurImap:
    dossier: Path
    #: IMAP en clair, qui propose STARTTLS quand le certificat existe.
    port: int
    #: IMAP sur TLS (imaps) ; 0 sans certificat.
    port_ssl: int
    processus: subprocess.Popen[bytes]
    comptes: list[str] = field(default_factory=list)

    @property
    def journal(self) -> Path:
        return self.dossier / "dovecot.log"

    def nouvelle_boite(self) -> str:
        """Un compte pas encore servi, à la boîte vide ; son identifiant."""
        return self.comptes.pop(0)

    def reglages(self, utilisateur: str, **changements: object) -> ReglagesImap:
        """Les réglages qui relèvent la boîte `utilisateur` sur la connexion en clair."""
        valeurs: dict[str, object] = {
            "hote": HOTE,
            "port": self.port,
            "utilisateur": utilisateur,
            "mot_de_passe": MOT_DE_PASSE,
            "securite": "none",
            "delai": 10,
        }
        return ReglagesImap(**(valeurs | changements))  # type: ignore[arg-type]

    def client(self, utilisateur: str) -> imaplib.IMAP4:
        imap = imaplib.IMAP4(HOTE, self.port, timeout=10)
        secret = f"\0{utilisateur}\0{MOT_DE_PASSE}".encode()
        imap.authenticate("PLAIN", lambda _defi: secret)
        return imap

    def deposer(self, utilisateur: str, *contenus: bytes, dossier: str = "INBOX", lu: bool = False) -> None:
        """Dépose des courriels dans la boîte, comme un serveur de messagerie qui les reçoit (IMAP APPEND)."""
        imap = self.client(utilisateur)
        try:
            for contenu in contenus:
                etat, reponse = imap.append(citer(dossier), r"(\Seen)" if lu else None, None, contenu)
                assert etat == "OK", reponse
        finally:
            imap.logout()

    def drapeaux(self, utilisateur: str, dossier: str = "INBOX") -> dict[int, str]:
        """Les drapeaux de chaque courriel, lus sans rien changer."""
        imap = self.client(utilisateur)
        try:
            imap.select(citer(dossier), readonly=True)
            _, donnees = imap.uid("FETCH", "1:*", "(UID FLAGS)")
        finally:
            imap.logout()
        drapeaux: dict[int, str] = {}
        for ligne in donnees:
            trouve = re.search(rb"UID (\d+) FLAGS \(([^)]*)\)", ligne if isinstance(ligne, bytes) else b"")
            if trouve:
                drapeaux[int(trouve[1])] = trouve[2].decode()
        return drapeaux

    def sessions_terminees(self, utilisateur: str) -> list[dict[str, int]]:
        """Les compteurs de chaque session IMAP terminée (corps téléchargés, octets envoyés), lus au journal."""
        motif = re.compile(rf"imap\({re.escape(utilisateur)}\).*Disconnected: (.*)$")
        sessions = []
        for ligne in self.journal.read_text(encoding="utf-8", errors="replace").splitlines():
            trouve = motif.search(ligne)
            if trouve:
                sessions.append({cle: int(val) for cle, val in re.findall(r"(\w+)=(\d+)", trouve[1])})
        return sessions


def _port_libre() -> int:
    with socket.socket() as sonde:
        sonde.bind((HOTE, 0))
        port: int = sonde.getsockname()[1]
        return port


def _certificat(dossier: Path) -> bool:
    """Un certificat auto-signé pour 127.0.0.1, par openssl ; False si openssl manque."""
    if shutil.which("openssl") is None:
        return False
    cle, certificat = str(dossier / "cle.pem"), str(dossier / "certificat.pem")
    sujet = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            *sujet,
            "-keyout",
            cle,
            "-out",
            certificat,
        ],
        check=True,
        capture_output=True,
    )
    return True


def _utilisateurs() -> tuple[str, str, str]:
    """(interne, connexion, courrier) : les comptes système sous lesquels tournent les processus de dovecot."""
    if os.geteuid() != 0:
        nom = pwd.getpwuid(os.geteuid()).pw_name
        return nom, nom, nom
    for compte in ("dovenull", "dovecot"):
        try:
            pwd.getpwnam(compte)
        except KeyError:
            manque("dovecot", f"l'utilisateur système « {compte} » manque (paquet dovecot-core mal installé)")
    # Sous root : les processus de connexion refusent root, et dovecot refuse d'ouvrir une boîte en root.
    return "dovecot", "dovenull", "dovecot"


def _configuration(dossier: Path, port: int, port_ssl: int, tls: bool) -> str:
    interne, connexion, courrier = _utilisateurs()
    ssl = f"ssl = yes\nssl_cert = <{dossier}/certificat.pem\nssl_key = <{dossier}/cle.pem\n" if tls else "ssl = no\n"
    return f"""\
protocols = imap
listen = {HOTE}
base_dir = {dossier}/run
state_dir = {dossier}/etat
instance_name = ctg-tests-{port}
log_path = {dossier}/dovecot.log
{ssl}disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {interne}
default_internal_group = {grp.getgrgid(pwd.getpwnam(interne).pw_gid).gr_name}
default_login_user = {connexion}
mail_uid = {courrier}
mail_gid = {grp.getgrgid(pwd.getpwnam(courrier).pw_gid).gr_name}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{dossier}/boites/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dossier}/comptes
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {dossier}/comptes
}}
# Pas de pénalité (jusqu'à 15 s d'attente à chaque connexion) après un mot de passe refusé exprès par un test :
# le processus d'authentification ne peut pas joindre le compteur de pénalités (recette de la documentation).
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {HOTE}
    port = {port}
  }}
  inet_listener imaps {{
    address = {HOTE}
    port = {port_ssl}
    ssl = yes
  }}
}}
"""


def _attendre(serveur: ServeurImap) -> None:
    limite = time.monotonic() + 20
    while time.monotonic() < limite:
        if serveur.processus.poll() is not None:
            break
        try:
            with socket.create_connection((HOTE, serveur.port), timeout=1) as connexion:
                if connexion.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    journal = serveur.journal.read_text(errors="replace") if serveur.journal.exists() else ""
    _arreter(serveur)
    manque("dovecot", f"il n'a pas démarré ; son journal : {journal[-800:]}")


def _arreter(serveur: ServeurImap) -> None:
    if serveur.processus.poll() is None:
        serveur.processus.terminate()
        try:
            serveur.processus.wait(timeout=15)
        except subprocess.TimeoutExpired:
            serveur.processus.kill()
            serveur.processus.wait()


@pytest.fixture(scope="module")
def serveur_imap() -> Iterator[ServeurImap]:
    """Dovecot sur 127.0.0.1 (port libre), pour tout le module de tests ; arrêté à la fin."""
    with demarrer_dovecot() as serveur:
        yield serveur


@contextmanager
def demarrer_dovecot() -> Iterator[ServeurImap]:
    """Dovecot sur 127.0.0.1 (port libre), arrêté à la sortie du bloc (les tests, le banc du relevé)."""
    if not DOVECOT.exists():
        manque("dovecot", f"{DOVECOT} absent (paquet Debian dovecot-imapd)")
    # Hors de tmp_path (0700 sous root) : les comptes système de dovecot doivent pouvoir traverser le dossier.
    dossier = Path(tempfile.mkdtemp(prefix="ctg-dovecot-"))
    dossier.chmod(0o711)
    (dossier / "boites").mkdir()
    _, _, courrier = _utilisateurs()
    compte = pwd.getpwnam(courrier)
    os.chown(dossier / "boites", compte.pw_uid, compte.pw_gid)
    comptes = [f"coordinateur{numero}@mairie.example.org" for numero in range(1, COMPTES + 1)]
    lignes = "".join(f"{compte}:{{PLAIN}}{MOT_DE_PASSE}::::::\n" for compte in comptes)
    (dossier / "comptes").write_text(lignes, encoding="utf-8")
    tls = _certificat(dossier)
    port, port_ssl = _port_libre(), _port_libre() if tls else 0
    configuration = dossier / "dovecot.conf"
    configuration.write_text(_configuration(dossier, port, port_ssl, tls), encoding="utf-8")
    processus = subprocess.Popen(
        [str(DOVECOT), "-F", "-c", str(configuration)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    serveur = ServeurImap(dossier, port, port_ssl, processus, comptes=comptes)
    _attendre(serveur)
    try:
        yield serveur
    finally:
        _arreter(serveur)
        shutil.rmtree(dossier, ignore_errors=True)
