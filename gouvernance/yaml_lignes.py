"""Lire un YAML en gardant la ligne de chaque valeur, pour des erreurs qui disent où corriger.

Tous les scalaires sont lus comme du texte (`3.10` reste « 3.10 », `non` reste « non ») :
c'est la validation qui les convertit selon le champ attendu.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from gouvernance.erreurs import DonneesInvalides

Chemin = tuple[str | int, ...]

#: La taille maximale d'un fichier YAML (réunion, référentiel, calendrier), en octets : le référentiel complet
#: d'un territoire en fait une dizaine de milliers.
TAILLE_MAX = 1024 * 1024
#: Le nombre maximal de valeurs (textes, listes, rubriques) d'un fichier, et leur plus grande profondeur.
VALEURS_MAX = 50_000
PROFONDEUR_MAX = 20

# Les problèmes que PyYAML décrit en anglais, en français.
_PROBLEMES = {
    "mapping values are not allowed here": "un « : » est mal placé (une valeur qui en contient va entre guillemets)",
    "could not find expected ':'": "il manque un « : » après le nom du champ",
    "found character '\\t' that cannot start any token": "une tabulation sert d'indentation : utilisez des espaces",
    "expected <block end>, but found '<block mapping start>'": "l'indentation est incohérente",
    "expected <block end>, but found '-'": "l'indentation de la liste est incohérente",
    "found undefined alias": "un alias « * » désigne une ancre qui n'existe pas",
    "found unexpected end of stream": "le fichier s'arrête au milieu d'un texte entre guillemets",
    "while scanning a quoted scalar": "un texte entre guillemets n'est pas refermé",
}


@dataclass
class DocumentYaml:
    valeur: object
    #: La ligne (à partir de 1) de chaque valeur, par chemin depuis la racine.
    lignes: dict[Chemin, int] = field(default_factory=dict)
    noeuds_vus: set[int] = field(default_factory=set, repr=False)

    def ligne(self, chemin: Chemin) -> int | None:
        """La ligne de `chemin`, ou de son plus proche parent connu."""
        for longueur in range(len(chemin), -1, -1):
            if chemin[:longueur] in self.lignes:
                return self.lignes[chemin[:longueur]]
        return None


def lire_yaml(texte: str, nom_fichier: str) -> DocumentYaml:
    """Le document YAML `texte` ; une erreur en français avec la ligne s'il est mal formé ou démesuré."""
    taille = len(texte.encode("utf-8", "replace")) if len(texte) <= TAILLE_MAX else len(texte)
    if taille > TAILLE_MAX:
        raise DonneesInvalides(
            f"{nom_fichier} est refusé : il pèse {_en_ko(taille)}, {_en_ko(TAILLE_MAX)} au plus. "
            "Vérifiez qu'il s'agit du bon fichier ; rien n'a été enregistré."
        )
    try:
        noeud = yaml.compose(texte, Loader=yaml.SafeLoader)
    except RecursionError:
        raise DonneesInvalides(_trop_profond(nom_fichier)) from None
    except yaml.MarkedYAMLError as erreur:
        raise DonneesInvalides(_message_syntaxe(erreur, nom_fichier)) from erreur
    except yaml.reader.ReaderError as erreur:
        ligne = texte[: erreur.position].count("\n") + 1
        raise DonneesInvalides(
            f"{nom_fichier}, ligne {ligne} : le fichier contient un caractère de contrôle (code {erreur.character!r}) "
            "qui n'a rien à faire dans un texte. Supprimez-le."
        ) from erreur
    except yaml.YAMLError as erreur:
        raise DonneesInvalides(f"{nom_fichier} n'est pas un fichier YAML lisible.") from erreur
    document = DocumentYaml(valeur=None)
    if noeud is not None:
        document.valeur = _convertir(noeud, (), document, nom_fichier)
    return document


def _convertir(noeud: yaml.Node, chemin: Chemin, document: DocumentYaml, nom_fichier: str) -> object:
    if chemin in document.lignes or id(noeud) in document.noeuds_vus:
        # Un alias (*nom) réutilise un nœud : interdit, pour qu'un petit fichier ne puisse pas
        # se déplier en milliards de valeurs.
        raise DonneesInvalides(
            f"{nom_fichier}, ligne {noeud.start_mark.line + 1} : les ancres et alias YAML (« & » et « * ») "
            "ne sont pas acceptés. Écrivez la valeur en entier."
        )
    document.noeuds_vus.add(id(noeud))
    if len(document.noeuds_vus) > VALEURS_MAX:
        raise DonneesInvalides(
            f"{nom_fichier}, ligne {noeud.start_mark.line + 1} : le fichier contient plus de {VALEURS_MAX} valeurs, "
            "le maximum accepté. Vérifiez qu'il s'agit du bon fichier ; rien n'a été enregistré."
        )
    if len(chemin) > PROFONDEUR_MAX:
        raise DonneesInvalides(f"{_trop_profond(nom_fichier)} (ligne {noeud.start_mark.line + 1})")
    document.lignes[chemin] = noeud.start_mark.line + 1
    if isinstance(noeud, yaml.MappingNode):
        resultat: dict[str, object] = {}
        for noeud_cle, noeud_valeur in noeud.value:
            cle = str(noeud_cle.value)
            if cle in resultat:
                raise DonneesInvalides(
                    f"{nom_fichier}, ligne {noeud_cle.start_mark.line + 1} : le champ « {cle} » "
                    "est écrit deux fois au même endroit. Gardez-en un seul."
                )
            resultat[cle] = _convertir(noeud_valeur, (*chemin, cle), document, nom_fichier)
        return resultat
    if isinstance(noeud, yaml.SequenceNode):
        return [
            _convertir(element, (*chemin, index), document, nom_fichier) for index, element in enumerate(noeud.value)
        ]
    valeur = str(noeud.value)
    if noeud.tag == "tag:yaml.org,2002:null" or (
        getattr(noeud, "style", None) is None and valeur in ("", "~", "null", "Null")
    ):
        return None
    return valeur


def _en_ko(octets: int) -> str:
    return f"{(octets + 1023) // 1024} Ko"


def _trop_profond(nom_fichier: str) -> str:
    return (
        f"{nom_fichier} est refusé : ses listes et rubriques sont imbriquées sur plus de {PROFONDEUR_MAX} niveaux. "
        "Vérifiez l'indentation"
    )


def _message_syntaxe(erreur: yaml.MarkedYAMLError, nom_fichier: str) -> str:
    marque = erreur.problem_mark or erreur.context_mark
    position = f", ligne {marque.line + 1}, colonne {marque.column + 1}" if marque else ""
    probleme = str(erreur.problem or "")
    contexte = str(erreur.context or "")
    explication = next(
        (francais for anglais, francais in _PROBLEMES.items() if anglais in probleme or anglais in contexte),
        "la syntaxe YAML est incorrecte",
    )
    return f"{nom_fichier} n'est pas un YAML valide{position} : {explication}."
