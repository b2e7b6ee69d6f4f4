"""La boîte d'envoi : sans serveur SMTP, chaque courriel y est déposé en .eml, à relire ou à envoyer à la main."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gouvernance.documents.nommage import chemin_sous, nom_de_fichier
from gouvernance.fichiers import ecrire_atomiquement
from gouvernance.reglages import Reglages


def ecrire_courriel(reglages: Reglages, *, smtp: bool, nom: str, contenu: bytes) -> Path:
    """Écrit un courriel préparé : dans la boîte d'envoi sans SMTP, sinon dans `messages/` en attente d'envoi.

    `nom` est rendu sûr (pas de chemin, pas de caractère interdit) ; le fichier est écrit d'un coup ou pas du tout.
    """
    dossier = reglages.dossier / "messages" if smtp else reglages.boite_envoi
    chemin = chemin_sous(dossier, nom_de_fichier(nom))
    ecrire_atomiquement(chemin, contenu)
    return chemin


def deposer_dans_la_boite(chemin: Path, boite: Path) -> Path:
    """Copie le .eml dans `boite` (sans rien écraser d'autre) ; s'il y est déjà, le laisse ; renvoie son chemin."""
    source = chemin.resolve()
    if not source.is_file():
        raise FileNotFoundError(f"le fichier du message est introuvable : {chemin}")
    dossier = boite.resolve()
    if source.parent == dossier:
        return source
    contenu = source.read_bytes()
    destination = dossier / source.name
    if destination.is_file() and destination.read_bytes() != contenu:
        # Un autre message porte déjà ce nom : on distingue celui-ci par son empreinte.
        empreinte = hashlib.sha256(contenu).hexdigest()[:12]
        destination = dossier / f"{source.stem}-{empreinte}{source.suffix}"
    if not destination.is_file() or destination.read_bytes() != contenu:
        ecrire_atomiquement(destination, contenu)
    return destination
