"""Ouvrir sans risque le fichier .docx renvoyé par un secrétaire : le refuser clairement s'il est chiffré,
endommagé, démesuré (bombe de décompression) ou piégé (DTD, entités), avant d'en lire une seule balise.

Les tailles déclarées dans l'archive sont vérifiées avant toute décompression, puis la lecture elle-même
est bornée : une archive qui ment sur ses tailles est arrêtée aussi.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree  # type: ignore[import-untyped]

from gouvernance.erreurs import DonneesInvalides

#: Au-delà, ce n'est pas un compte rendu mais une bombe de décompression.
TAILLE_MAX = 50 * 1024 * 1024
ENTREES_MAX = 1000
#: Le taux de compression au-delà duquel une grande partie est suspecte (le XML d'un document : 5 à 20).
TAUX_MAX = 200
_GRANDE_PARTIE = 1024 * 1024
_MORCEAU = 64 * 1024

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # un fichier composé : .docx chiffré par Word, ou ancien .doc
_CHIFFRE = "EncryptedPackage".encode("utf-16-le")
_INTERDITS = tuple(
    marque.encode(codage) for marque in ("<!DOCTYPE", "<!ENTITY") for codage in ("ascii", "utf-16-le", "utf-16-be")
)
_RELATIONS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DOCUMENT_PRINCIPAL = "/officeDocument"
_ANALYSEUR = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
)
ENREGISTRER = "ouvrez-le dans Word ou LibreOffice, enregistrez-le au format « Document Word (.docx) » et renvoyez-le"


class _Demesure(Exception):
    """La lecture a dépassé la taille déclarée ou le plafond total."""


def _refus(nom_fichier: str, suite: str) -> DonneesInvalides:
    return DonneesInvalides(f"Le fichier « {nom_fichier} » {suite}")


def _reconnaitre(contenu: bytes, nom_fichier: str) -> None:
    """Refuse ce qui n'est manifestement pas un .docx : vide, chiffré, .doc, PDF, RTF."""
    if not contenu:
        raise _refus(nom_fichier, f"est vide : {ENREGISTRER}.")
    if contenu.startswith(_OLE):
        if _CHIFFRE in contenu:
            raise _refus(
                nom_fichier,
                "est protégé par un mot de passe : le logiciel ne peut pas le lire. Retirez le mot de passe (Word : "
                "Fichier › Informations › Protéger le document › Chiffrer avec mot de passe, puis effacez-le ; "
                "LibreOffice : Fichier › Enregistrer sous, en décochant « Enregistrer avec mot de passe ») et "
                "renvoyez le fichier.",
            )
        raise _refus(nom_fichier, f"est au format Word 97-2003 (.doc) : {ENREGISTRER}.")
    for signature, nature in ((b"%PDF", "un PDF"), (b"{\\rtf", "un document RTF")):
        if contenu.startswith(signature):
            raise _refus(nom_fichier, f"est {nature}, pas un document Word : {ENREGISTRER}.")
    if len(contenu) > TAILLE_MAX:
        raise _refus(nom_fichier, f"dépasse {TAILLE_MAX // 2**20} Mo : ce n'est pas un compte rendu.")


def _verifier_tailles(entrees: list[zipfile.ZipInfo], nom_fichier: str) -> None:
    """Refuse d'après les tailles déclarées, avant toute décompression."""
    demesure = len(entrees) > ENTREES_MAX or sum(e.file_size for e in entrees) > TAILLE_MAX
    comprimee = any(e.file_size > _GRANDE_PARTIE and e.file_size > TAUX_MAX * max(e.compress_size, 1) for e in entrees)
    if demesure or comprimee:
        raise _refus(
            nom_fichier,
            f"est refusé : une fois décompressé, il dépasserait {TAILLE_MAX // 2**20} Mo, compterait plus de "
            f"{ENTREES_MAX} parties ou serait anormalement comprimé. Un compte rendu n'est jamais aussi gros : "
            f"{ENREGISTRER}.",
        )
    if any(e.flag_bits & 0x1 for e in entrees):
        raise _refus(nom_fichier, f"est chiffré : retirez le mot de passe, puis {ENREGISTRER}.")


def _lire(archive: zipfile.ZipFile, entree: zipfile.ZipInfo, reste: int) -> bytes:
    """La partie décompressée, par morceaux, sans jamais dépasser sa taille déclarée ni `reste`."""
    morceaux: list[bytes] = []
    lus = 0
    with archive.open(entree) as flux:
        while morceau := flux.read(_MORCEAU):
            lus += len(morceau)
            if lus > entree.file_size or lus > reste:
                raise _Demesure
            morceaux.append(morceau)
    return b"".join(morceaux)


def _partie_principale(parties: dict[str, bytes], nom_fichier: str) -> str:
    """Le nom du corps du document, d'après _rels/.rels (« word/document.xml » d'ordinaire)."""
    if "_rels/.rels" in parties:
        relations = analyser(parties["_rels/.rels"], nom_fichier, "_rels/.rels")
        for relation in relations.iter(_RELATIONS):
            if (relation.get("Type") or "").endswith(_DOCUMENT_PRINCIPAL):
                return (relation.get("Target") or "").lstrip("/")
    return "word/document.xml"


def lire_parties(contenu: bytes, nom_fichier: str) -> tuple[str, dict[str, bytes]]:
    """Le nom du corps du document et toutes les parties XML du .docx, vérifiées ; DonneesInvalides sinon."""
    _reconnaitre(contenu, nom_fichier)
    endommage = _refus(nom_fichier, f"n'est pas un document Word (.docx) lisible ou il est endommagé : {ENREGISTRER}.")
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            entrees = archive.infolist()
            _verifier_tailles(entrees, nom_fichier)
            noms = {entree.filename for entree in entrees}
            if "content.xml" in noms and "[Content_Types].xml" not in noms:
                raise _refus(
                    nom_fichier,
                    "est au format OpenDocument (.odt) : dans LibreOffice, choisissez Fichier › Enregistrer sous, "
                    "type « Word 2007-365 (.docx) », et renvoyez ce fichier.",
                )
            parties: dict[str, bytes] = {}
            reste = TAILLE_MAX
            for entree in entrees:
                if entree.filename.endswith((".xml", ".rels")):
                    parties[entree.filename] = partie = _lire(archive, entree, reste)
                    reste -= len(partie)
    except _Demesure:
        raise _refus(
            nom_fichier,
            f"est refusé : il se décompresse au-delà de ce qu'il annonce. {ENREGISTRER[0].upper()}{ENREGISTRER[1:]}.",
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError, ValueError):
        raise endommage from None
    for nom, partie in parties.items():
        debut = partie.upper()
        if any(interdit in debut for interdit in _INTERDITS):
            raise _refus(
                nom_fichier,
                f"est refusé : sa partie « {nom} » contient une déclaration DOCTYPE ou ENTITY, interdite dans un "
                "document Word et propre aux fichiers piégés. Enregistrez à nouveau le compte rendu depuis Word "
                "ou LibreOffice et renvoyez-le.",
            )
    principale = _partie_principale(parties, nom_fichier)
    if principale not in parties:
        raise endommage
    return principale, parties


def analyser(xml: bytes, nom_fichier: str, partie: str) -> etree._Element:
    """L'arbre XML d'une partie, par un analyseur qui ne résout ni entité ni DTD et n'accède pas au réseau."""
    try:
        return etree.fromstring(xml, _ANALYSEUR)
    except etree.XMLSyntaxError:
        raise _refus(nom_fichier, f"est endommagé (sa partie « {partie} » est illisible) : {ENREGISTRER}.") from None
