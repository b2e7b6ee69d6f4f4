"""Reconnaître un organisme mal écrit : « Caf 31 » pour la CAF de la Haute-Garonne, « Mairie de l'Union » pour
la Ville de L'Union. L'import des contacts (et l'aperçu d'un envoi de fichier) nomme alors le partenaire
probable au lieu de créer un doublon en silence.

La comparaison est celle de rapidfuzz, sur les mots qui distinguent un organisme : sans accents ni articles,
les mots qui désignent la commune (« ville », « mairie », « commune ») tenus pour un seul, comme dans l'usage.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator

from rapidfuzz import fuzz

from gouvernance.textes import cle_de_comparaison
from modeles.acteurs import Partenaire

#: Le score (sur 100) à partir duquel un partenaire est donné comme probable.
SEUIL = 82
#: Les mots qui ne distinguent pas deux organismes.
_MOTS_VIDES = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"})
#: Les mots qui désignent la commune elle-même : « Mairie de L'Union » et « Ville de L'Union » sont la même.
_MOTS_DE_COMMUNE = frozenset({"commune", "mairie", "ville"})


def designations(partenaire: Partenaire) -> list[str]:
    """Les noms sous lesquels on connaît le partenaire : son nom, son sigle, ses autres noms."""
    return [partenaire.nom, *([partenaire.sigle] if partenaire.sigle else []), *(partenaire.autres_noms or [])]


def designe(nom: str, partenaire: Partenaire) -> bool:
    """Vrai si `nom` est, aux accents, à la casse et aux espaces près, l'une des désignations du partenaire."""
    cle = cle_de_comparaison(nom)
    return any(cle_de_comparaison(designation) == cle for designation in designations(partenaire))


def partenaires_proches(nom: str, partenaires: Iterable[Partenaire]) -> list[Partenaire]:
    """Les partenaires que `nom` désigne probablement, du plus au moins proche ; aucun s'il n'y en a pas."""
    mots = _mots_distinctifs(nom)
    if not mots:
        return []
    scores = [(max(_scores(mots, partenaire)), partenaire) for partenaire in partenaires]
    retenus = sorted(((score, p) for score, p in scores if score >= SEUIL), key=lambda paire: -paire[0])
    return [partenaire for _, partenaire in retenus]


def expliquer_proche(nom: str, partenaire: Partenaire) -> str:
    """« « Caf 31 » ressemble à « Caisse d'allocations… » (sigle CAF) : écrivez …, ou faites-en un autre nom … »."""
    sigle = f" (sigle {partenaire.sigle})" if partenaire.sigle else ""
    a_ecrire = f"« {partenaire.sigle} » ou « {partenaire.nom} »" if partenaire.sigle else f"« {partenaire.nom} »"
    commande = f"ctg partenaires modifier {_argument(partenaire.sigle or partenaire.nom)} --autre-nom {_argument(nom)}"
    return (
        f"« {nom} » ressemble à « {partenaire.nom} »{sigle} : écrivez {a_ecrire}, ou faites de « {nom} » un "
        f"autre nom de ce partenaire (`{commande}`)."
    )


def _argument(texte: str) -> str:
    """Le texte tel qu'on le tape dans un terminal : entre guillemets s'il contient une espace ou une apostrophe."""
    if re.fullmatch(r"[\w.@-]+", texte):
        return texte
    return f'"{texte}"' if not re.search(r'["$`\\!]', texte) else shlex.quote(texte)


def _scores(mots: list[str], partenaire: Partenaire) -> Iterator[float]:
    """Le score de chaque désignation du partenaire ; 95 si `mots` est son sigle précisé (« Caf 31 » et CAF)."""
    texte = " ".join(mots)
    for designation in designations(partenaire):
        autres = _mots_distinctifs(designation)
        if not autres:
            continue
        yield fuzz.token_sort_ratio(texte, " ".join(autres))
        en_plus = set(mots) - set(autres)
        if len(set(mots) & set(autres)) >= 2 and all(mot.isdigit() for mot in en_plus):
            # « Caisse d'allocations familiales 31 » : le début du nom complet, et un numéro de département.
            yield 0.9 * fuzz.token_set_ratio(texte, " ".join(autres))
    sigle = cle_de_comparaison(partenaire.sigle or "")
    if sigle in mots and sigle not in _MOTS_DE_COMMUNE:
        # « Caf 31 », « CCAS L'Union » : le sigle, et des mots qui ne désignent pas un autre organisme.
        nom = set(_mots_distinctifs(partenaire.nom))
        if len(mots) > 1 and all(mot.isdigit() or mot in nom for mot in mots if mot != sigle):
            yield 95.0
    yield 0.0


def _mots_distinctifs(texte: str) -> list[str]:
    mots = re.split(r"[\W_]+", cle_de_comparaison(texte))
    return ["commune" if mot in _MOTS_DE_COMMUNE else mot for mot in mots if mot and mot not in _MOTS_VIDES]
