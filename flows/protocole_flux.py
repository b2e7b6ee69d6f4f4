"""Ce qui passe sur la prise de l'exécuteur des flux : des trames JSON, et la signature du code qui les lit.

Une trame est la longueur de son contenu (4 octets, gros-boutiste) suivie de ce contenu, un objet JSON en
UTF-8. La commande envoie une demande ; l'exécuteur répond « accepte » (ou « refus » s'il exécute une
autre version du code), puis des lignes de journal et, pour finir, le résultat ou l'erreur.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

#: Une demande ou une réponse plus grande est refusée (un résultat de flux tient en quelques centaines de Ko).
TAILLE_MAXIMALE = 256 * 1024 * 1024
#: Au-delà, une adresse de prise Unix est trop longue pour le système (108 octets sous Linux).
LONGUEUR_MAXIMALE = 100
RACINE = Path(__file__).resolve().parents[1]


def envoyer_trame(prise: socket.socket, contenu: dict[str, Any]) -> None:
    donnees = json.dumps(contenu, ensure_ascii=False, default=_en_json).encode()
    prise.sendall(struct.pack(">I", len(donnees)) + donnees)


def lire_trame(prise: socket.socket) -> dict[str, Any] | None:
    """La trame suivante ; None si l'autre côté a fermé la prise."""
    entete = _lire(prise, 4)
    if entete is None:
        return None
    (taille,) = struct.unpack(">I", entete)
    if taille > TAILLE_MAXIMALE:
        raise ValueError(f"trame de {taille} octets")
    donnees = _lire(prise, taille)
    if donnees is None:
        return None
    contenu = json.loads(donnees)
    if not isinstance(contenu, dict):
        raise ValueError("trame sans objet JSON")
    return contenu


def _lire(prise: socket.socket, taille: int) -> bytes | None:
    morceaux = bytearray()
    while len(morceaux) < taille:
        morceau = prise.recv(min(taille - len(morceaux), 1 << 20))
        if not morceau:
            return None
        morceaux += morceau
    return bytes(morceaux)


def _en_json(valeur: object) -> object:
    """Les paramètres des flux en JSON : une date devient « AAAA-MM-JJ » (Prefect la relit d'après le type)."""
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, (tuple, set, frozenset)):
        return list(valeur)
    if isinstance(valeur, Path):
        return str(valeur)
    raise TypeError(f"{type(valeur).__name__} ne passe pas en JSON")


@contextlib.contextmanager
def adresse_de(chemin: Path) -> Iterator[str]:
    """L'adresse à donner à bind/connect : le chemin, ou, s'il est trop long, le même par /proc/self/fd."""
    if len(os.fsencode(chemin)) <= LONGUEUR_MAXIMALE or not Path("/proc/self/fd").exists():
        yield str(chemin)
        return
    dossier = os.open(chemin.parent, os.O_RDONLY)
    try:
        yield f"/proc/self/fd/{dossier}/{chemin.name}"
    finally:
        os.close(dossier)


def signature_du_code() -> str:
    """Change dès qu'un module du projet change : un exécuteur démarré avant refuse les demandes d'après."""
    plus_recent, nombre = 0, 0
    for paquet in ("flows", "gouvernance", "modeles"):
        for chemin in (RACINE / paquet).rglob("*.py"):
            with contextlib.suppress(OSError):
                plus_recent = max(plus_recent, chemin.stat().st_mtime_ns)
                nombre += 1
    return f"{sys.prefix}:{nombre}:{plus_recent}"
