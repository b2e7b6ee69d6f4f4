"""La clé secrète qui signe le cookie de session : créée une fois dans CTG_HOME, lisible du seul propriétaire."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

NOM_FICHIER = "cle-session-web"


def cle_de_session(dossier: Path) -> str:
    """La clé de `dossier`/cle-session-web, créée au premier appel (mode 0600) ; la même ensuite.

    Changer ce fichier déconnecte tous les utilisateurs : c'est la manière de fermer toutes les sessions.
    """
    chemin = dossier / NOM_FICHIER
    dossier.mkdir(parents=True, exist_ok=True)
    try:
        descripteur = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return chemin.read_text(encoding="ascii").strip()
    with os.fdopen(descripteur, "w", encoding="ascii") as fichier:
        fichier.write(secrets.token_urlsafe(48))
    return chemin.read_text(encoding="ascii").strip()
