"""Le bac à sable des modèles Word : un modèle modifié ne peut ni exécuter de code, ni laisser passer une balise.

Les données sont échappées (« Dupont & Fils <SARL> » s'imprime tel quel) et jamais interprétées : une
accolade venue des données est mise de côté pendant le rendu, de sorte qu'une balise `{{`/`{%` restée
dans le document ne peut venir que du modèle, qui est alors refusé.
"""

from __future__ import annotations

import functools
import io
import re
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx.oxml.ns
import docxtpl  # noqa: F401 (importé avant la correction ci-dessous, qu'il annulerait sinon)
from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from gouvernance import francais
from gouvernance.documents.erreurs import ModeleInvalide

# docxcompose (importé par docxtpl quand il est installé) remplace l'espace de noms « cp » de
# python-docx : les mots-clés du document seraient écrits au mauvais endroit (docxcompose#101).
docx.oxml.ns.nsmap["cp"] = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"

#: Limites d'un modèle docx : au-delà, c'est une bombe de décompression, pas un courrier.
TAILLE_MAX_DECOMPRESSEE = 50 * 1024 * 1024
ENTREES_MAX = 1000
#: La plus longue chaîne ou liste qu'un modèle peut fabriquer avec `*`, ou la plus grande largeur qu'il peut
#: demander (`center`, `ljust`, `rjust`, `zfill`, filtres `center` et `indent`).
LONGUEUR_MAX = 100_000
#: Le plus long texte ou la plus longue liste qu'une méthode ou un filtre peut rendre à un modèle.
RESULTAT_MAX = 2_000_000

#: Les méthodes de str dont le premier argument est la largeur du résultat.
_METHODES_A_LARGEUR = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
#: Les filtres de Jinja dont le premier argument (après la valeur) est une largeur.
_FILTRES_A_LARGEUR = frozenset({"center", "indent"})

# Une accolade venue des données, mise de côté pendant le rendu (caractère à usage privé).
_ACCOLADE = "\ue000"
_CONTROLES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BALISE = re.compile(r"\{[{%]")
_PARTIES = {
    "word/document.xml": "le corps du document",
    "docProps/core.xml": "les propriétés du document",
    "word/footnotes.xml": "les notes de bas de page",
}
RESTAURER = "restaurez l'original depuis le dossier templates_docx/ du logiciel"


class _BacASable(SandboxedEnvironment):
    """Le bac à sable de Jinja, qui borne aussi `*` et `**` (« 'A' * 10**10 »)."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiles: dict[str, Template] = {}
        self._verrou = threading.Lock()

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 100:
            raise SecurityError("exposant trop grand")
        if operator == "*":
            for sequence, nombre in ((left, right), (right, left)):
                repetee = isinstance(sequence, str | list | tuple) and isinstance(nombre, int)
                if repetee and len(sequence) * nombre > LONGUEUR_MAX:
                    raise SecurityError("répétition trop longue")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (signature de Jinja)
        """Un appel de méthode depuis le modèle : largeur demandée et taille du résultat bornées."""
        if isinstance(getattr(__obj, "__self__", None), str) and getattr(__obj, "__name__", "") in _METHODES_A_LARGEUR:
            _borner_largeur([*args, *kwargs.values()][:1], f"str.{__obj.__name__}")
        return _borner_resultat(super().call(__context, __obj, *args, **kwargs), "un appel de méthode")

    def from_string(self, source: str | nodes.Template, *args: Any, **kwargs: Any) -> Template:
        """Compile une partie du modèle une seule fois : un lot de convocations la réutilise."""
        if not isinstance(source, str) or args or kwargs:
            return super().from_string(source, *args, **kwargs)
        with self._verrou:
            if (compile_ := self._compiles.get(source)) is None:
                compile_ = self._compiles[source] = super().from_string(source)
                while len(self._compiles) > 64:
                    del self._compiles[next(iter(self._compiles))]
            return compile_


def _finaliser(valeur: object) -> object:
    """Ce que `{{ … }}` imprime : une donnée texte sans caractère interdit en XML, accolades mises de côté."""
    if isinstance(valeur, str) and not hasattr(valeur, "__html__"):
        return _CONTROLES.sub(" ", valeur.replace(_ACCOLADE, "")).replace("{", _ACCOLADE)
    return valeur


def _borner_largeur(arguments: list[Any], nom: str) -> None:
    largeur = arguments[0] if arguments else 0
    if isinstance(largeur, str):
        largeur = len(largeur)
    if isinstance(largeur, int) and largeur > LONGUEUR_MAX:
        raise SecurityError(f"largeur démesurée demandée à {nom} : {largeur}, {LONGUEUR_MAX} au plus")


def _borner_resultat(resultat: Any, origine: str) -> Any:
    if isinstance(resultat, str | bytes | list | tuple) and len(resultat) > RESULTAT_MAX:
        raise SecurityError(f"texte ou liste démesuré produit par {origine}, {RESULTAT_MAX} éléments au plus")
    return resultat


def _filtre_borne(nom: str, filtre: Callable[..., Any]) -> Callable[..., Any]:
    """Le filtre `nom`, dont la largeur demandée et la taille du résultat sont bornées."""

    @functools.wraps(filtre)  # garde `jinja_pass_arg` (pass_environment…)
    def borne(*args: Any, **kwargs: Any) -> Any:
        if nom in _FILTRES_A_LARGEUR:
            valeur_en_tete = 1 if getattr(filtre, "jinja_pass_arg", None) is None else 2
            _borner_largeur([*args[valeur_en_tete:], *kwargs.values()][:1], f"le filtre {nom}")
        return _borner_resultat(filtre(*args, **kwargs), f"le filtre {nom}")

    return borne


@functools.cache
def environnement() -> SandboxedEnvironment:
    """Le bac à sable Jinja des modèles Word, avec les filtres français (date_longue, heure…)."""
    env = _BacASable(autoescape=True, undefined=StrictUndefined, finalize=_finaliser)
    env.filters.update({nom: _filtre_borne(nom, filtre) for nom, filtre in env.filters.items()})
    env.filters.update(
        date_longue=francais.date_longue,
        date_complete=francais.date_complete,
        heure=francais.heure,
        duree=francais.duree,
    )
    return env


def verifier_archive(modele: Path) -> None:
    """Refuse un fichier absent, qui n'est pas un .docx, ou qui se décompresserait démesurément."""
    if not modele.is_file():
        raise ModeleInvalide(f"Le modèle Word « {modele.name} » est introuvable dans {modele.parent} : {RESTAURER}.")
    try:
        with zipfile.ZipFile(modele) as archive:
            entrees = archive.infolist()
            noms = {entree.filename for entree in entrees}
            if len(entrees) > ENTREES_MAX or sum(e.file_size for e in entrees) > TAILLE_MAX_DECOMPRESSEE:
                raise ModeleInvalide(f"Le modèle Word « {modele.name} » est démesuré : {RESTAURER}.")
            if "word/document.xml" not in noms:
                raise zipfile.BadZipFile("word/document.xml absent")
            for nom in noms:
                if not nom.endswith((".xml", ".rels")):
                    continue
                with archive.open(nom) as partie:
                    debut = partie.read(4096)
                if b"<!DOCTYPE" in debut.upper() or b"<\x00!\x00D\x00O\x00C\x00" in debut.upper():
                    raise ModeleInvalide(f"Le modèle Word « {modele.name} » contient une DTD interdite : {RESTAURER}.")
    except (zipfile.BadZipFile, OSError, EOFError) as erreur:
        raise ModeleInvalide(
            f"Le modèle Word « {modele.name} » est illisible ou endommagé ({erreur}). Ouvrez-le dans Word et "
            f"enregistrez-le au format « Document Word (.docx) », ou {RESTAURER}."
        ) from None


def expliquer(erreur: Exception, nom: str) -> str:
    """Le message en français d'une erreur de rendu, avec l'extrait du modèle quand docxtpl le donne."""
    if isinstance(erreur, SecurityError):
        return (
            f"Le modèle Word « {nom} » tente une opération interdite ({erreur}) : il a peut-être été modifié "
            f"de façon malveillante. Aucun document n'a été produit ; {RESTAURER}."
        )
    extrait = " ".join(" ".join(getattr(erreur, "docx_context", None) or []).split())[:200]
    pres = f" près de « {extrait} »" if extrait else ""
    if isinstance(erreur, UndefinedError):
        inconnue = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", str(erreur))
        donnee = (inconnue[2] or inconnue[1]) if inconnue else str(erreur)
        return (
            f"Le modèle Word « {nom} » utilise une donnée inconnue, « {donnee} »{pres} : corrigez la balise "
            f"ou {RESTAURER}."
        )
    if isinstance(erreur, TemplateSyntaxError):
        return (
            f"Le modèle Word « {nom} » contient une balise incorrecte ({erreur.message}){pres} : corrigez-la "
            f"dans Word ou {RESTAURER}."
        )
    return f"Le modèle Word « {nom} » n'a pas pu être rempli ({type(erreur).__name__} : {erreur}){pres} : {RESTAURER}."


def achever(brut: bytes, nom: str) -> bytes:
    """Refuse un résultat où reste une balise du modèle, puis rend leurs accolades aux données."""
    sortie = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(brut)) as entree, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in entree.infolist():
            contenu = entree.read(info)
            if info.filename.endswith(".xml"):
                try:
                    texte = contenu.decode("utf-8")
                except UnicodeDecodeError:  # une partie UTF-16 que docxtpl ne remplit pas : laissée telle quelle
                    archive.writestr(info, contenu)
                    continue
                visible = re.sub(r"<[^>]+>", "", texte)
                if balise := _BALISE.search(visible):
                    partie = _PARTIES.get(info.filename, info.filename)
                    extrait = " ".join(visible[balise.start() : balise.start() + 60].split())
                    raise ModeleInvalide(
                        f"Le modèle Word « {nom} » contient une balise non remplie dans {partie} : « {extrait} ». "
                        f"Vérifiez son orthographe dans Word ou {RESTAURER}."
                    )
                contenu = texte.replace(_ACCOLADE, "{").encode("utf-8")
            archive.writestr(info, contenu)
    return sortie.getvalue()
