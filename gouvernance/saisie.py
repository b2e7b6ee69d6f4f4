"""Contrôler une valeur saisie par un utilisateur (ligne de commande ou fichier) ; ValueError en français."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from gouvernance.textes import contient_controle

CIVILITES = {"m": "Monsieur", "m.": "Monsieur", "monsieur": "Monsieur", "mme": "Madame", "madame": "Madame"}


def une_ligne(champ: str, texte: str | None, *, obligatoire: bool = False) -> str | None:
    """Le texte sans espaces autour ; refusé s'il contient un saut de ligne ou un caractère de contrôle."""
    texte = (texte or "").strip()
    if not texte:
        if obligatoire:
            raise ValueError(f"{champ} : ce champ est obligatoire")
        return None
    if contient_controle(texte):
        raise ValueError(f"{champ} : le texte doit tenir sur une ligne, sans tabulation ni caractère de contrôle")
    return texte


def adresse_electronique(texte: str) -> str:
    """L'adresse normalisée en minuscules ; refusée si elle n'est pas valide."""
    brute = (texte or "").strip()
    if contient_controle(brute):
        raise ValueError("e-mail : l'adresse contient un saut de ligne ou un caractère de contrôle")
    try:
        adresse = validate_email(brute, check_deliverability=False).normalized
    except EmailNotValidError as erreur:
        raise ValueError(f"e-mail : « {brute} » n'est pas une adresse électronique valide") from erreur
    return adresse.lower()


def civilite(texte: str | None) -> str | None:
    """« Monsieur », « Madame » ou rien ; accepte M., M, Mme."""
    brute = (texte or "").strip()
    if not brute:
        return None
    try:
        return CIVILITES[brute.lower()]
    except KeyError:
        raise ValueError(f"civilité : « {brute} » n'est pas reconnue (M., Mme, Monsieur, Madame ou vide)") from None
