"""Relire le compte rendu Word complété par le secrétaire de séance : présences, décisions, actions, suivi
des actions et échanges de chaque point.

Le fichier est reconnu à l'identifiant inscrit dans ses propriétés ; ses tableaux, à leurs signets ou à
défaut à leurs en-têtes. Tout ce qui empêche une lecture sûre est refusé par un DonneesInvalides en
français qui dit quoi faire : modifications suivies non acceptées, fichier chiffré, endommagé ou piégé,
document qui n'est pas un compte rendu, valeur illisible dans un tableau (avec le tableau et la ligne).
L'identifiant est rendu tel quel : c'est à l'appelant de vérifier qu'il désigne la bonne réunion.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree  # type: ignore[import-untyped]

from gouvernance.comptes_rendus import docx_corps as corps
from gouvernance.comptes_rendus.docx_ancres import (
    PROPRIETE_DATE,
    PROPRIETE_IDENTIFIANT,
    PROPRIETE_TYPE,
    PROPRIETE_VERSION,
    TYPE_COMPTE_RENDU,
    TYPE_COMPTE_RENDU_VALIDE,
)
from gouvernance.comptes_rendus.docx_archive import analyser, lire_parties
from gouvernance.comptes_rendus.docx_tableaux import Lecteur, reperer
from gouvernance.comptes_rendus.vue import CompteRenduLu
from gouvernance.erreurs import DonneesInvalides

_W = corps.W
#: Les marques de révision qui changent le texte ; les changements de mise en forme seuls sont sans effet.
_REVISIONS = tuple(
    f"{_W}{nom}" for nom in ("ins", "del", "moveFrom", "moveTo", "cellIns", "cellDel", "cellMerge", "numberingChange")
)
_DC, _CP = (
    "{http://purl.org/dc/elements/1.1/}",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}",
)
_SECOURS = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _proprietes(parties: dict[str, bytes], nom_fichier: str) -> dict[str, str]:
    """Les propriétés personnalisées (docProps/custom.xml), puis l'identifiant et la version principaux."""
    trouvees: dict[str, str] = {}
    if "docProps/custom.xml" in parties:
        for propriete in analyser(parties["docProps/custom.xml"], nom_fichier, "docProps/custom.xml"):
            trouvees[propriete.get("name") or ""] = "".join(propriete.itertext()).strip()
    if "docProps/core.xml" in parties:
        principales = analyser(parties["docProps/core.xml"], nom_fichier, "docProps/core.xml")
        for cle, balise in ((PROPRIETE_IDENTIFIANT, f"{_DC}identifier"), (PROPRIETE_VERSION, f"{_CP}version")):
            if not trouvees.get(cle) and (element := principales.find(balise)) is not None and element.text:
                trouvees[cle] = element.text.strip()
    return trouvees


def _refuser_les_revisions(document: etree._Element, nom_fichier: str) -> None:
    nombre = sum(1 for _ in document.iter(*_REVISIONS))
    if nombre:
        marques = "modification suivie non acceptée" if nombre == 1 else "modifications suivies non acceptées"
        raise DonneesInvalides(
            f"Le compte rendu « {nom_fichier} » contient {nombre} {marques} : le logiciel ne lirait ni tout à "
            "fait l'ancien texte, ni tout à fait le nouveau. Acceptez-les puis renvoyez le fichier : dans Word, "
            "Révision › Accepter › Accepter toutes les modifications ; dans LibreOffice, Édition › Suivi des "
            "modifications › Gérer… › Tout accepter."
        )


def _refus(nom_fichier: str, suite: str) -> DonneesInvalides:
    return DonneesInvalides(f"Le fichier « {nom_fichier} » {suite}")


def _lire(contenu: bytes, nom_fichier: str) -> CompteRenduLu:
    principale, parties = lire_parties(contenu, nom_fichier)
    document = analyser(parties[principale], nom_fichier, principale)
    if str(document.tag).startswith("{http://purl.oclc.org/ooxml/"):
        raise _refus(
            nom_fichier,
            "est enregistré au format « Document Open XML strict » : enregistrez-le au format « Document Word "
            "(.docx) » et renvoyez-le.",
        )
    _refuser_les_revisions(document, nom_fichier)
    proprietes = _proprietes(parties, nom_fichier)
    if proprietes.get(PROPRIETE_TYPE) == TYPE_COMPTE_RENDU_VALIDE:
        raise _refus(
            nom_fichier,
            "est la version validée du compte rendu, écrite par le logiciel : elle ne se réimporte pas. Importez "
            "le fichier complété par le secrétaire de séance.",
        )
    if proprietes.get(PROPRIETE_TYPE, TYPE_COMPTE_RENDU) != TYPE_COMPTE_RENDU:
        raise _refus(nom_fichier, "n'est pas un compte rendu, mais un autre document produit par le logiciel.")
    for secours in list(document.iter(_SECOURS)):  # le double « de secours » d'une zone de texte
        secours.getparent().remove(secours)
    corps_du_document = document.find(f"{_W}body")
    blocs = corps.lire_blocs(corps_du_document) if corps_du_document is not None else []
    tableaux = reperer(blocs)
    identifiant = proprietes.get(PROPRIETE_IDENTIFIANT)
    if not identifiant or not {"participants", "decisions", "actions"} & tableaux.keys():
        raise _refus(
            nom_fichier,
            "n'est pas un compte rendu produit par le logiciel : "
            + (
                "il ne contient aucun de ses tableaux (participants, décisions, actions)."
                if identifiant
                else "ses propriétés ne portent pas l'identifiant de la réunion (il a peut-être été recopié dans "
                "un nouveau document). Repartez du projet de compte rendu produit par le logiciel pour cette réunion."
            ),
        )
    try:
        reference = date.fromisoformat(proprietes.get(PROPRIETE_DATE, ""))
    except ValueError:
        reference = date.today()
    lecteur = Lecteur(reference)
    version = re.search(r"\d+", proprietes.get(PROPRIETE_VERSION, ""))
    lu = CompteRenduLu(
        identifiant=identifiant,
        version=int(version[0]) if version else None,
        presences=lecteur.presences(tableaux.get("participants", ())),
        secretaire=corps.secretaire(blocs),
        decisions=lecteur.decisions(tableaux.get("decisions", ())),
        actions=lecteur.actions("actions", tableaux.get("actions", ())),
        actions_ouvertes=lecteur.actions("actions_ouvertes", tableaux.get("actions_ouvertes", ())),
        discussions=corps.discussions(blocs),
    )
    if len(lecteur.erreurs) == 1:
        raise DonneesInvalides(
            f"Le compte rendu « {nom_fichier} » n'a pas été importé : {lecteur.erreurs[0]}. Corrigez le document "
            "et renvoyez-le."
        )
    if lecteur.erreurs:
        raise DonneesInvalides(
            f"Le compte rendu « {nom_fichier} » n'a pas été importé : {len(lecteur.erreurs)} erreurs à corriger "
            "dans le document, puis renvoyez-le.",
            details=lecteur.erreurs,
        )
    return lu


def lire_compte_rendu(contenu: bytes, *, nom_fichier: str) -> CompteRenduLu:
    """Ce que le secrétaire a écrit dans le compte rendu Word `contenu` ; DonneesInvalides en français sinon."""
    try:
        return _lire(contenu, nom_fichier)
    except DonneesInvalides:
        raise
    except Exception as erreur:  # un fichier construit pour déjouer le lecteur : jamais autre chose qu'un refus
        raise _refus(
            nom_fichier,
            f"n'a pas pu être lu ({type(erreur).__name__}) : ouvrez-le dans Word ou LibreOffice, enregistrez-le au "
            "format « Document Word (.docx) » et renvoyez-le.",
        ) from erreur
