"""Lire les réponses FETCH d'un serveur IMAP (RFC 3501 §7.4.2) : listes, chaînes, littéraux, NIL.

imaplib rend chaque réponse FETCH en morceaux : des lignes (bytes) et, pour chaque littéral `{n}`, un couple
(ligne qui l'annonce, contenu). On les recoud ici en une liste de valeurs, sans jamais rien évaluer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

#: Une valeur IMAP : atome ou chaîne (bytes), NIL (None), ou liste entre parenthèses.
Valeur = bytes | None | list["Valeur"]

_LITTERAL = re.compile(rb"\{(\d+)\}\s*$")
_PROFONDEUR_MAX = 100


class ReponseImapIllisible(ValueError):
    """La réponse du serveur ne suit pas la syntaxe IMAP."""


def lire_reponses_fetch(morceaux: Sequence[bytes | tuple[bytes, bytes]]) -> list[tuple[int, dict[bytes, Valeur]]]:
    """Les réponses FETCH de `morceaux` (tels qu'imaplib les rend) : (numéro, {NOM: valeur})."""
    jetons = list(_jetons(morceaux))
    position = 0
    reponses: list[tuple[int, dict[bytes, Valeur]]] = []
    while position < len(jetons):
        numero = jetons[position]
        if not isinstance(numero, bytes) or not numero.isdigit():
            raise ReponseImapIllisible("numéro de message attendu")
        liste, position = _liste(jetons, position + 1, 0)
        if len(liste) % 2:
            raise ReponseImapIllisible("attributs FETCH incomplets")
        attributs = {_nom(cle): liste[i + 1] for i, cle in enumerate(liste) if i % 2 == 0}
        reponses.append((int(numero), attributs))
    return reponses


class _Ouvrante:
    pass


class _Fermante:
    pass


class _Chaine(bytes):
    """Une chaîne entre guillemets ou un littéral : jamais NIL, même si elle vaut « NIL »."""


_OUVRANTE = _Ouvrante()
_FERMANTE = _Fermante()
_Jeton = bytes | _Ouvrante | _Fermante


def _nom(cle: Valeur) -> bytes:
    if not isinstance(cle, bytes):
        raise ReponseImapIllisible("nom d'attribut FETCH attendu")
    return cle.upper()


def _jetons(morceaux: Sequence[bytes | tuple[bytes, bytes]]) -> Iterator[_Jeton]:
    for morceau in morceaux:
        if isinstance(morceau, tuple):
            ligne, contenu = morceau
            annonce = _LITTERAL.search(ligne)
            if annonce is None:
                raise ReponseImapIllisible("littéral sans annonce {n}")
            yield from _jetons_de_ligne(ligne[: annonce.start()])
            yield _Chaine(contenu)
        elif isinstance(morceau, bytes):
            yield from _jetons_de_ligne(morceau)


def _jetons_de_ligne(ligne: bytes) -> Iterator[_Jeton]:
    i = 0
    while i < len(ligne):
        caractere = ligne[i : i + 1]
        if caractere in b" \t\r\n":
            i += 1
        elif caractere == b"(":
            yield _OUVRANTE
            i += 1
        elif caractere == b")":
            yield _FERMANTE
            i += 1
        elif caractere == b'"':
            chaine, i = _chaine_entre_guillemets(ligne, i + 1)
            yield _Chaine(chaine)
        else:
            atome, i = _atome(ligne, i)
            yield atome


def _chaine_entre_guillemets(ligne: bytes, i: int) -> tuple[bytes, int]:
    morceaux = bytearray()
    while i < len(ligne):
        caractere = ligne[i : i + 1]
        if caractere == b"\\" and i + 1 < len(ligne):
            morceaux += ligne[i + 1 : i + 2]
            i += 2
        elif caractere == b'"':
            return bytes(morceaux), i + 1
        else:
            morceaux += caractere
            i += 1
    raise ReponseImapIllisible("chaîne sans guillemet fermant")


def _atome(ligne: bytes, i: int) -> tuple[bytes, int]:
    """Un atome ; `BODY[HEADER.FIELDS (FROM)]<0>` en est un seul, crochets et espaces compris."""
    debut = i
    crochets = 0
    while i < len(ligne):
        caractere = ligne[i : i + 1]
        if caractere == b"[":
            crochets += 1
        elif caractere == b"]":
            crochets -= 1
        elif crochets == 0 and caractere in b" ()\t\r\n":
            break
        i += 1
    return ligne[debut:i], i


def _liste(jetons: list[_Jeton], position: int, profondeur: int) -> tuple[list[Valeur], int]:
    if profondeur > _PROFONDEUR_MAX:
        raise ReponseImapIllisible("listes imbriquées trop profondément")
    if position >= len(jetons) or jetons[position] is not _OUVRANTE:
        raise ReponseImapIllisible("liste attendue")
    position += 1
    valeurs: list[Valeur] = []
    while position < len(jetons):
        jeton = jetons[position]
        if jeton is _FERMANTE:
            return valeurs, position + 1
        if jeton is _OUVRANTE:
            sous_liste, position = _liste(jetons, position, profondeur + 1)
            valeurs.append(sous_liste)
            continue
        if not isinstance(jeton, bytes):
            raise ReponseImapIllisible("jeton inattendu")
        valeurs.append(None if jeton.upper() == b"NIL" and not isinstance(jeton, _Chaine) else bytes(jeton))
        position += 1
    raise ReponseImapIllisible("liste sans parenthèse fermante")
