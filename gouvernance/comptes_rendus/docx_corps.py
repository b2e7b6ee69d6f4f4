"""Le corps d'un compte rendu Word relu à plat : paragraphes et tableaux dans l'ordre, avec leurs signets.

Les tableaux se retrouvent par le signet de leur rubrique, à défaut par les intitulés de leur ligne
d'en-tête ; les colonnes, par leur intitulé (retapé, mis en gras, sans accent…), à défaut par leur place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped]

from gouvernance.comptes_rendus.docx_ancres import ACTIONS, ACTIONS_OUVERTES, DECISIONS, PARTICIPANTS, SIGNETS
from gouvernance.comptes_rendus.docx_ancres import PREFIXE_POINT as POINT
from gouvernance.textes import cle_de_comparaison

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T = f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}t"
_SIGNET, _NOM = f"{W}bookmarkStart", f"{W}name"
_SAUTS = {f"{W}br": "\n", f"{W}cr": "\n", f"{W}tab": " ", f"{W}noBreakHyphen": "-"}
_ENVELOPPES = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag"}

#: Les intitulés de colonnes reconnus (début du texte, sans accents ni casse) et ce qu'ils contiennent.
_COLONNES = (
    (("n", "no", "num", "numero"), "numero", True),
    (("decision",), "texte", False),
    (("orientation", "axe"), "orientations", False),
    (("ref",), "reference", False),
    (("action",), "libelle", False),
    (("responsable", "pilote", "porteur", "qui"), "responsable", False),
    (("echeance", "delai", "date"), "echeance", False),
    (("origine",), "origine", False),
    (("statut", "etat", "avancement"), "statut", False),
    (("nom", "participant", "prenom"), "nom", False),
    (("organisme", "structure", "institution"), "organisme", False),
    (("fonction", "qualite"), "fonction", False),
    (("presence", "present"), "presence", False),
)


@dataclass(frozen=True)
class Ligne:
    """Une ligne de tableau : le texte de chaque colonne, et les signets qui s'y trouvent."""

    cellules: tuple[str, ...]
    signets: frozenset[str]


@dataclass(frozen=True)
class Bloc:
    """Un paragraphe (`lignes` vide) ou un tableau du corps, et les signets qui s'y ouvrent ou juste avant."""

    texte: str
    signets: frozenset[str]
    lignes: tuple[Ligne, ...] | None = None


def _contenu(element: etree._Element) -> Iterator[etree._Element]:
    """Les enfants de `element`, contrôles de contenu et balises personnalisées ouverts."""
    for enfant in element:
        if enfant.tag in _ENVELOPPES:
            yield from _contenu(enfant)
        elif enfant.tag != f"{W}sdtPr":
            yield enfant


def texte(element: etree._Element) -> str:
    """Le texte visible d'un paragraphe ou d'une cellule (un paragraphe par ligne)."""
    if element.tag != _P:
        return "\n".join(texte(p) for p in element.iter(_P))
    return "".join(e.text or "" if e.tag == _T else _SAUTS[e.tag] for e in element.iter(_T, *_SAUTS))


def _signets(element: etree._Element) -> set[str]:
    return {s.get(_NOM) or "" for s in element.iter(_SIGNET)}


def _ligne(ligne: etree._Element) -> Ligne:
    """Les textes des cellules, une par colonne de la grille (une cellule fusionnée laisse les suivantes vides)."""
    avant = ligne.find(f"{W}trPr/{W}gridBefore")
    cellules = [""] * int(avant.get(f"{W}val") or 0 if avant is not None else 0)
    for cellule in _contenu(ligne):
        if cellule.tag == _TC:
            etendue = cellule.find(f"{W}tcPr/{W}gridSpan")
            cellules.append(texte(cellule).strip())
            cellules += [""] * (int(etendue.get(f"{W}val") or 1) - 1 if etendue is not None else 0)
    return Ligne(tuple(cellules), frozenset(_signets(ligne)))


def lire_blocs(corps: etree._Element) -> list[Bloc]:
    """Les paragraphes et tableaux du corps, dans l'ordre ; un signet entre deux blocs va au suivant."""
    blocs: list[Bloc] = []
    en_attente: set[str] = set()
    for element in _contenu(corps):
        if element.tag == _SIGNET:
            en_attente.add(element.get(_NOM) or "")
        elif element.tag in {_P, _TBL}:
            signets = frozenset(en_attente | _signets(element))
            if element.tag == _P:
                blocs.append(Bloc(texte(element), signets))
            else:
                blocs.append(Bloc("", signets, tuple(_ligne(r) for r in _contenu(element) if r.tag == _TR)))
            en_attente = set()
    return blocs


def est_ancre(nom: str) -> bool:
    """Vrai pour le signet d'une rubrique ou d'un point (« ctg_decisions », « ctg_point_2 »)."""
    return nom in SIGNETS or nom.startswith(POINT)


def colonnes(entete: tuple[str, ...]) -> dict[str, int]:
    """Ce que contient chaque colonne d'après son intitulé : {"libelle": 1, "echeance": 3…}."""
    trouvees: dict[str, int] = {}
    for rang, intitule in enumerate(entete):
        cle = " ".join(re.sub(r"[^a-z0-9]+", " ", cle_de_comparaison(intitule)).split())
        for debuts, nature, exact in _COLONNES:
            if any(cle == d if exact else cle.startswith(d) for d in debuts):
                trouvees.setdefault(nature, rang)
                break
    return trouvees


def nature(colonnes_: dict[str, int]) -> str | None:
    """Le tableau que désignent ces colonnes : participants, decisions, actions ou actions_ouvertes."""
    if {"nom", "presence"} <= colonnes_.keys():
        return "participants"
    if "texte" in colonnes_:
        return "decisions"
    if "libelle" in colonnes_:
        return "actions_ouvertes" if {"statut", "origine"} & colonnes_.keys() else "actions"
    return None


#: Les colonnes du modèle, pour un tableau dont l'en-tête a été retapé au point d'être méconnaissable.
PAR_DEFAUT = {
    nom: colonnes(tuple(titre for titre, _ in definition))
    for nom, definition in (
        ("participants", PARTICIPANTS),
        ("decisions", DECISIONS),
        ("actions", ACTIONS),
        ("actions_ouvertes", ACTIONS_OUVERTES),
    )
}


def entete(lignes: tuple[Ligne, ...]) -> int | None:
    """Le rang de la ligne d'en-tête : la première des trois premières dont on reconnaît les intitulés."""
    return next((rang for rang, ligne in enumerate(lignes[:3]) if len(colonnes(ligne.cellules)) >= 2), None)


def tableau_sous_signet(blocs: list[Bloc], signet: str) -> int | None:
    """Le tableau de la rubrique au signet `signet`, s'il n'a pas été supprimé."""
    debut = next((rang for rang, bloc in enumerate(blocs) if signet in bloc.signets), None)
    if debut is None:
        return None
    for rang in range(debut, len(blocs)):
        if rang > debut and any(est_ancre(nom) and nom != signet for nom in blocs[rang].signets):
            return None
        if blocs[rang].lignes is not None:
            return rang
    return None


# --- Les échanges de chaque point et le secrétaire de séance ----------------------------------------------

_TITRE_DE_POINT = re.compile(r"\s*(\d{1,2})\s*[.)–-]\s+\S")
_ENGENDREES = re.compile(r"\s*(?:présenté(?:e)? par |orientation \d{1,2}[.,]\d{1,2}\b)", re.IGNORECASE)
#: Les intertitres des rubriques qui suivent les points : ils closent les échanges du dernier point.
_RUBRIQUES = ("releve des", "suivi des actions", "prochaine reunion", "participants", "approbation du compte rendu")
_VIDE = re.compile(r"[\s.…_\-–]*")


def _cle(texte_: str) -> str:
    return cle_de_comparaison(texte_)


def _points(blocs: list[Bloc]) -> list[tuple[int, int]]:
    """(rang du bloc, numéro) du titre de chaque point : par son signet, à défaut par sa numérotation suivie."""
    signes = [
        (rang, int(nom.removeprefix(POINT)))
        for rang, bloc in enumerate(blocs)
        for nom in sorted(bloc.signets)
        if nom.startswith(POINT) and nom.removeprefix(POINT).isdigit()
    ]
    if signes:
        return signes
    trouves: list[tuple[int, int]] = []
    for rang, bloc in enumerate(blocs):
        titre = _TITRE_DE_POINT.match(bloc.texte) if bloc.lignes is None else None
        if titre and int(titre[1]) == len(trouves) + 1:
            trouves.append((rang, int(titre[1])))
    return trouves


def _fin_de_point(bloc: Bloc) -> bool:
    if any(est_ancre(nom) for nom in bloc.signets):
        return True
    if bloc.lignes is not None:
        return (rang := entete(bloc.lignes)) is not None and nature(colonnes(bloc.lignes[rang].cellules)) is not None
    return len(bloc.texte) < 60 and _cle(bloc.texte).startswith(_RUBRIQUES)


def _echanges(region: list[Bloc]) -> str:
    """Ce qui suit l'intitulé « Échanges : » (à défaut, tout sauf les lignes du modèle : rapporteur, orientations)."""
    intitules = (r for r, b in enumerate(region) if b.lignes is None and _cle(b.texte[:12]).startswith("echanges"))
    etiquette = next(intitules, None)
    lignes: list[str] = []
    for rang, bloc in enumerate(region):
        if bloc.lignes is not None:  # un tableau glissé dans les échanges
            lignes += [" | ".join(c for c in ligne.cellules if c) for ligne in bloc.lignes]
        elif rang == etiquette:
            lignes.append(re.sub(r"^\s*\S+changes\s*:?", "", bloc.texte).strip())
        elif (rang > etiquette) if etiquette is not None else not _ENGENDREES.match(bloc.texte):
            lignes.append(bloc.texte.rstrip())
    return "\n".join(ligne for ligne in lignes if ligne.strip()).strip()


def discussions(blocs: list[Bloc]) -> dict[int, str]:
    """Le texte écrit sous « Échanges » pour chaque point, par numéro de point (vide s'il n'y a rien)."""
    points = _points(blocs)
    titres = {rang for rang, _ in points}
    resultat: dict[int, str] = {}
    for debut, numero in points:
        region: list[Bloc] = []
        for rang in range(debut + 1, len(blocs)):
            if rang in titres or _fin_de_point(blocs[rang]):
                break
            region.append(blocs[rang])
        resultat[numero] = _echanges(region)
    return resultat


def secretaire(blocs: list[Bloc]) -> str | None:
    """Le nom écrit après « Secrétaire de séance : », sauf s'il est resté en blanc."""
    for bloc in blocs:
        if bloc.lignes is None and _cle(bloc.texte[:24]).startswith("secretaire de seance"):
            nom = bloc.texte.split(":", 1)[1] if ":" in bloc.texte else bloc.texte[len("secrétaire de séance") :]
            nom = " ".join(nom.split())
            return None if _VIDE.fullmatch(nom) else nom
    return None
