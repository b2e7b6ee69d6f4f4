"""Les noms de dossiers IMAP en UTF-7 modifié (RFC 3501 §5.1.3) : « Réponses » s'écrit « R&AOk-ponses »."""

from __future__ import annotations

import base64


def encoder_dossier(nom: str) -> str:
    """Le nom `nom` tel que l'attend le serveur, en ASCII."""
    resultat: list[str] = []
    autres: list[str] = []

    def vider() -> None:
        if autres:
            octets = "".join(autres).encode("utf-16-be")
            resultat.append("&" + base64.b64encode(octets).decode("ascii").rstrip("=").replace("/", ",") + "-")
            autres.clear()

    for caractere in nom:
        if 0x20 <= ord(caractere) <= 0x7E:
            vider()
            resultat.append("&-" if caractere == "&" else caractere)
        else:
            autres.append(caractere)
    vider()
    return "".join(resultat)


def decoder_dossier(nom: str) -> str:
    """Le nom lisible d'un dossier renvoyé par le serveur ; laissé tel quel s'il est mal formé."""
    morceaux: list[str] = []
    i = 0
    while i < len(nom):
        debut = nom.find("&", i)
        if debut < 0:
            morceaux.append(nom[i:])
            break
        fin = nom.find("-", debut)
        if fin < 0:
            return nom
        morceaux.append(nom[i:debut])
        code = nom[debut + 1 : fin]
        if not code:
            morceaux.append("&")
        else:
            try:
                octets = base64.b64decode(code.replace(",", "/") + "=" * (-len(code) % 4))
                morceaux.append(octets.decode("utf-16-be"))
            except (ValueError, UnicodeDecodeError):
                return nom
        i = fin + 1
    return "".join(morceaux)


def citer(nom: str) -> str:
    """Le nom encodé, entre guillemets IMAP (espaces, guillemets et barres obliques inverses protégés)."""
    encode = encoder_dossier(nom)
    return '"' + encode.replace("\\", "\\\\").replace('"', '\\"') + '"'
