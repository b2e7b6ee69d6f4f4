"""Petits contrôles et normalisations de textes saisis par les utilisateurs."""

from __future__ import annotations

import unicodedata

# Les séparateurs de ligne Unicode coupent une ligne d'en-tête de courriel ou de calendrier
# aussi sûrement qu'un \n.
_SEPARATEURS_UNICODE = {"\u2028", "\u2029", "\u0085"}


def contient_controle(texte: str) -> bool:
    """Vrai si `texte` contient un saut de ligne, une tabulation ou un autre caractère de contrôle."""
    return any(unicodedata.category(c) == "Cc" or c in _SEPARATEURS_UNICODE for c in texte)


def contient_controle_hors_sauts_de_ligne(texte: str) -> bool:
    """Comme `contient_controle`, mais admet les sauts de ligne (adresse, description)."""
    return contient_controle(texte.replace("\r\n", "\n").replace("\n", ""))


def cle_de_comparaison(texte: str) -> str:
    """Une clé pour comparer deux noms saisis : sans accents, casse ni espaces superflues."""
    sans_accents = unicodedata.normalize("NFKD", texte)
    sans_accents = "".join(c for c in sans_accents if not unicodedata.combining(c))
    return " ".join(sans_accents.casefold().replace("’", "'").split())
