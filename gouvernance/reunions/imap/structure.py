"""Dire, d'après la BODYSTRUCTURE d'un courriel (RFC 3501 §7.4.2), s'il peut porter une réponse de calendrier.

Seuls ces courriels-là sont téléchargés : une partie text/calendar (ou application/ics), une pièce .ics,
un message transféré qui en contient une, ou une pièce .eml (à ouvrir pour le savoir).
"""

from __future__ import annotations

import email.header

from gouvernance.reunions.imap.reponse_imap import Valeur

#: Les types MIME d'un calendrier.
TYPES_CALENDRIER = frozenset({"text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics"})
_PROFONDEUR_MAX = 20


def porte_un_calendrier(structure: Valeur, profondeur: int = 0) -> bool:
    """Vrai si une des parties de `structure` est un calendrier, une pièce .ics ou un courriel joint qui en porte."""
    if not isinstance(structure, list) or not structure or profondeur > _PROFONDEUR_MAX:
        return False
    if isinstance(structure[0], list):  # multipart : les parties d'abord, puis le sous-type
        return any(porte_un_calendrier(partie, profondeur + 1) for partie in structure if isinstance(partie, list))
    type_mime = f"{_texte(structure[0])}/{_texte(structure[1] if len(structure) > 1 else None)}".lower()
    noms = _noms_de_fichier(structure, type_mime)
    if type_mime in TYPES_CALENDRIER or any(nom.endswith((".ics", ".eml")) for nom in noms):
        return True
    if type_mime == "message/rfc822" and len(structure) > 8:
        return porte_un_calendrier(structure[8], profondeur + 1)
    return False


def _noms_de_fichier(partie: list[Valeur], type_mime: str) -> list[str]:
    """Les noms annoncés par NAME (paramètres du type) et FILENAME (Content-Disposition), en minuscules."""
    parametres = [partie[2] if len(partie) > 2 else None]
    # La disposition suit les champs propres au type : lignes (text/*), enveloppe, corps et lignes (message/rfc822).
    rang = 10 if type_mime.startswith("text/") else 11 if type_mime == "message/rfc822" else 8
    disposition = partie[rang] if len(partie) > rang else None
    if isinstance(disposition, list) and len(disposition) > 1:
        parametres.append(disposition[1])
    noms: list[str] = []
    for liste in parametres:
        if isinstance(liste, list):
            paires = zip(liste[::2], liste[1::2], strict=False)
            noms += [_decoder(valeur) for cle, valeur in paires if _texte(cle).lower().startswith(("name", "filename"))]
    return [nom.strip().lower() for nom in noms]


def _texte(valeur: Valeur) -> str:
    return valeur.decode("utf-8", errors="replace") if isinstance(valeur, bytes) else ""


def _decoder(valeur: Valeur) -> str:
    """Un nom de fichier, encodé RFC 2047 (« =?utf-8?q?…?= ») ou non."""
    texte = _texte(valeur)
    try:
        return str(email.header.make_header(email.header.decode_header(texte)))
    except (ValueError, LookupError, UnicodeError):
        return texte
