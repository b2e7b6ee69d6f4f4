"""Les réglages du serveur SMTP, lus dans les variables `CTG_SMTP_*` ; sans serveur, les courriels sont déposés."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

from gouvernance.erreurs import DonneesInvalides

Securite = Literal["starttls", "ssl", "none"]
#: Le port habituel de chaque mode de sécurité.
PORTS = {"starttls": 587, "ssl": 465, "none": 25}
#: Attente maximale d'une réponse du serveur, en secondes, par défaut.
DELAI_PAR_DEFAUT = 30.0


@dataclass(frozen=True)
class ReglagesSmtp:
    hote: str
    port: int
    utilisateur: str | None
    #: Jamais affiché : ni dans repr, ni dans les journaux.
    mot_de_passe: str | None = field(repr=False)
    securite: Securite
    #: L'adresse d'enveloppe (MAIL FROM), où reviennent les avis de non-remise.
    expediteur: str
    #: Attente maximale d'une réponse du serveur, en secondes.
    delai: float = DELAI_PAR_DEFAUT


def lire_reglages_smtp(environ: Mapping[str, str]) -> ReglagesSmtp | None:
    """Les réglages SMTP de `environ`, ou None si CTG_SMTP_HOST n'est pas réglé (dépôt en .eml)."""
    hote = environ.get("CTG_SMTP_HOST", "").strip()
    if not hote:
        return None
    securite = (environ.get("CTG_SMTP_TLS") or "starttls").strip().lower()
    if securite not in PORTS:
        raise DonneesInvalides(
            f"CTG_SMTP_TLS vaut « {environ['CTG_SMTP_TLS']} » : écrivez starttls (port 587), ssl (port 465) "
            "ou none (sans chiffrement, port 25)."
        )
    utilisateur = environ.get("CTG_SMTP_USER", "").strip() or None
    mot_de_passe = environ.get("CTG_SMTP_PASSWORD") or None
    if utilisateur and mot_de_passe is None:
        raise DonneesInvalides(f"CTG_SMTP_USER est réglé ({utilisateur}) mais pas CTG_SMTP_PASSWORD : réglez les deux.")
    expediteur = (environ.get("CTG_SMTP_FROM") or "").strip() or (
        utilisateur if utilisateur and "@" in utilisateur else ""
    )
    if not expediteur:
        raise DonneesInvalides(
            "Réglez CTG_SMTP_FROM : l'adresse d'expédition des courriels (par exemple ctg@mairie-exemple.fr)."
        )
    return ReglagesSmtp(
        hote=hote,
        port=_nombre(
            environ, "CTG_SMTP_PORT", PORTS[securite], maximum=65535, attendu="un numéro de port entre 1 et 65535"
        ),
        utilisateur=utilisateur,
        mot_de_passe=mot_de_passe,
        securite=cast(Securite, securite),
        expediteur=expediteur,
        delai=_nombre(
            environ, "CTG_SMTP_TIMEOUT", DELAI_PAR_DEFAUT, maximum=600, attendu="un nombre de secondes entre 1 et 600"
        ),
    )


def _nombre(environ: Mapping[str, str], nom: str, defaut: float, *, maximum: int, attendu: str) -> int:
    brut = (environ.get(nom) or "").strip()
    if not brut:
        return int(defaut)
    if not brut.isdigit() or not 1 <= int(brut) <= maximum:
        raise DonneesInvalides(f"{nom} vaut « {brut} » : écrivez {attendu}.")
    return int(brut)
