"""Les réglages de la boîte du coordinateur, lus dans les variables `CTG_IMAP_*` (ou la rubrique `[imap]`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

from gouvernance.erreurs import DonneesInvalides

Securite = Literal["ssl", "starttls", "none"]
#: Le port habituel de chaque mode de sécurité.
PORTS = {"ssl": 993, "starttls": 143, "none": 143}
#: Attente maximale d'une réponse du serveur, en secondes, par défaut.
DELAI_PAR_DEFAUT = 30
DOSSIER_PAR_DEFAUT = "INBOX"
#: Ce qu'il faut régler pour relever la boîte, dit à qui ne l'a pas fait.
A_REGLER = (
    "Pour relever les réponses dans la boîte du coordinateur, réglez CTG_IMAP_HOST (le serveur IMAP), "
    "CTG_IMAP_USER et CTG_IMAP_PASSWORD (l'identifiant et le mot de passe de la boîte), et au besoin "
    "CTG_IMAP_TLS (ssl, par défaut, port 993 ; starttls, port 143 ; none), CTG_IMAP_PORT et "
    "CTG_IMAP_DOSSIER (INBOX par défaut) ; ou la rubrique [imap] de ctg.toml (host, user, password…)."
)


@dataclass(frozen=True)
class ReglagesImap:
    hote: str
    port: int
    utilisateur: str
    #: Jamais affiché : ni dans repr, ni dans les journaux.
    mot_de_passe: str = field(repr=False)
    securite: Securite
    #: Le dossier relevé, en lecture seule.
    dossier: str = DOSSIER_PAR_DEFAUT
    #: Attente maximale d'une réponse du serveur, en secondes.
    delai: float = DELAI_PAR_DEFAUT

    @property
    def adresse(self) -> str:
        """« imap.example.org:993 », pour les messages."""
        return f"{self.hote}:{self.port}"


def lire_reglages_imap(environ: Mapping[str, str]) -> ReglagesImap | None:
    """Les réglages IMAP de `environ`, ou None si aucun n'est réglé ; DonneesInvalides s'ils sont incomplets."""
    hote = (environ.get("CTG_IMAP_HOST") or "").strip()
    if not hote:
        autres = sorted(nom for nom, valeur in environ.items() if nom.startswith("CTG_IMAP_") and valeur)
        if autres:
            raise DonneesInvalides(f"{', '.join(autres)} est réglé, mais pas CTG_IMAP_HOST. {A_REGLER}")
        return None
    securite = (environ.get("CTG_IMAP_TLS") or "ssl").strip().lower()
    if securite not in PORTS:
        raise DonneesInvalides(
            f"CTG_IMAP_TLS vaut « {environ['CTG_IMAP_TLS']} » : écrivez ssl (port 993), starttls (port 143) "
            "ou none (sans chiffrement, seulement sur un réseau de confiance)."
        )
    utilisateur = (environ.get("CTG_IMAP_USER") or "").strip()
    mot_de_passe = environ.get("CTG_IMAP_PASSWORD") or ""
    if not utilisateur or not mot_de_passe:
        requis = (("CTG_IMAP_USER", utilisateur), ("CTG_IMAP_PASSWORD", mot_de_passe))
        manquants = [nom for nom, valeur in requis if not valeur]
        raise DonneesInvalides(
            f"CTG_IMAP_HOST est réglé ({hote}) mais pas {' ni '.join(manquants)} : "
            "donnez l'identifiant et le mot de passe de la boîte du coordinateur."
        )
    dossier = (environ.get("CTG_IMAP_DOSSIER") or "").strip() or DOSSIER_PAR_DEFAUT
    return ReglagesImap(
        hote=hote,
        port=_nombre(environ, "CTG_IMAP_PORT", PORTS[securite], 65535, "un numéro de port entre 1 et 65535"),
        utilisateur=utilisateur,
        mot_de_passe=mot_de_passe,
        securite=cast(Securite, securite),
        dossier=dossier,
        delai=_nombre(environ, "CTG_IMAP_TIMEOUT", DELAI_PAR_DEFAUT, 600, "un nombre de secondes entre 1 et 600"),
    )


def exiger_reglages_imap(environ: Mapping[str, str]) -> ReglagesImap:
    """Les réglages IMAP ; DonneesInvalides, qui dit quoi régler, s'il n'y en a pas."""
    reglages = lire_reglages_imap(environ)
    if reglages is None:
        raise DonneesInvalides(f"Aucune boîte de réception n'est réglée. {A_REGLER}")
    return reglages


def _nombre(environ: Mapping[str, str], nom: str, defaut: int, maximum: int, attendu: str) -> int:
    brut = (environ.get(nom) or "").strip()
    if not brut:
        return defaut
    if not brut.isdigit() or not 1 <= int(brut) <= maximum:
        raise DonneesInvalides(f"{nom} vaut « {brut} » : écrivez {attendu}.")
    return int(brut)
