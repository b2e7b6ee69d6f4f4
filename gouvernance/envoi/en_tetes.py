"""Des en-têtes de courriel sûrs, écrits sans le paquet `email` : aucune saisie n'y ouvre une ligne.

Les protections de `email` contre l'injection d'en-têtes dépendent de la version de Python (CVE-2024-6923,
encore présente en 3.11.7) : les caractères de contrôle sont donc neutralisés ou refusés ici, avant tout encodage.
"""

from __future__ import annotations

import re
from email.header import Header

from gouvernance.erreurs import DonneesInvalides

#: Caractères de contrôle (C0, DEL, C1) et séparateurs de ligne Unicode : tous coupent une ligne d'en-tête.
_CONTROLES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_CONTROLES_ENTOURES = re.compile(r" *[\x00-\x1f\x7f-\x9f\u2028\u2029]+ *")
#: Une adresse sans commentaire ni guillemets : partie locale « atext » pointée, domaine en ASCII.
_ADRESSE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)
#: Un nom affichable tel quel : lettres ASCII, chiffres, espaces et signes sans rôle dans un en-tête.
_NOM_SIMPLE = re.compile(r"[A-Za-z0-9!#$%&'*+/=^_`{|}~ -]+")
_CRLF = "\r\n"


def neutraliser(texte: str) -> str:
    """Le texte sur une seule ligne : chaque suite de caractères de contrôle devient une espace."""
    return _CONTROLES_ENTOURES.sub(" ", texte).strip(" ")


def ligne_d_en_tete(nom: str, valeur: str) -> bytes:
    """« Nom: valeur » terminé par CRLF ; refuse tout caractère de contrôle hors des replis « CRLF espace »."""
    if not valeur.isascii() or _CONTROLES.search(valeur.replace(_CRLF + " ", " ")):
        raise ValueError(f"en-tête {nom} invalide : {valeur!r}")
    return f"{nom}: {valeur}{_CRLF}".encode("ascii")


def texte_d_en_tete(texte: str, nom: str) -> str:
    """Le texte neutralisé, tel quel s'il est en ASCII, sinon en mots encodés RFC 2047 (UTF-8), replié."""
    texte = neutraliser(texte)
    a_encoder = not texte.isascii() or "=?" in texte
    return Header(texte, "utf-8" if a_encoder else "us-ascii", header_name=nom).encode(linesep=_CRLF)


def adresse_nommee(nom: str, adresse: str) -> str:
    """« Nom <adresse> », le nom encodé ou entre guillemets s'il le faut ; l'adresse seule sans nom."""
    adresse = adresse_verifiee(adresse)
    nom = neutraliser(nom)
    if not nom:
        return adresse
    if _NOM_SIMPLE.fullmatch(nom):
        return f"{nom} <{adresse}>"
    if nom.isascii() and "=?" not in nom:
        echappe = nom.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{echappe}" <{adresse}>'
    return f"{Header(nom, 'utf-8', header_name='From').encode(linesep=_CRLF)} <{adresse}>"


def adresse_verifiee(adresse: str) -> str:
    """L'adresse, domaine en ASCII (IDNA) ; DonneesInvalides si elle ne peut pas servir telle quelle."""
    locale, _, domaine = adresse.strip(" ").rpartition("@")
    try:
        candidate = f"{locale}@{domaine_ascii(domaine)}"
    except ValueError:
        candidate = ""
    if not locale or not _ADRESSE.fullmatch(candidate) or len(candidate) > 254:
        raise DonneesInvalides(
            f"L'adresse électronique {adresse!r} ne peut pas recevoir de courriel : "
            "corrigez-la dans l'annuaire (forme attendue : prenom.nom@exemple.fr)."
        )
    return candidate


def domaine_ascii(domaine: str) -> str:
    """Le domaine en ASCII : un domaine accentué passe en IDNA (xn--…) ; ValueError s'il est invalide."""
    if domaine.isascii():
        return domaine
    try:
        return domaine.encode("idna").decode("ascii")
    except UnicodeError as erreur:
        raise ValueError(f"domaine invalide : {domaine!r}") from erreur
