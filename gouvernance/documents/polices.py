"""Les polices que nomment les modèles Word, et celles qui manquent pour en tirer des PDF fidèles.

Les modèles sont en Calibri, que Word a partout ; LibreOffice la remplace d'office par sa jumelle libre Carlito,
aux mêmes métriques. Sans Carlito, une police plus large (DejaVu Sans) la remplace : la mise en page change.
`ctg` le dit une fois par commande, avec le paquet à installer (`signaler_polices_absentes`).
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

#: Les polices de Word et leurs jumelles libres aux mêmes métriques, avec le paquet Debian qui les installe.
JUMELLES: dict[str, tuple[str, str]] = {
    "Calibri": ("Carlito", "fonts-crosextra-carlito"),
    "Cambria": ("Caladea", "fonts-crosextra-caladea"),
    "Arial": ("Liberation Sans", "fonts-liberation2"),
    "Times New Roman": ("Liberation Serif", "fonts-liberation2"),
    "Courier New": ("Liberation Mono", "fonts-liberation2"),
}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Les parties du .docx où un paragraphe nomme sa police (texte, en-têtes, pieds de page).
_PARTIES = ("word/document.xml", "word/header", "word/footer")


class PolicesAbsentes(UserWarning):
    """Un PDF a été composé sans une police que nomment les modèles : le message dit quoi installer."""


@dataclass(frozen=True)
class PoliceAbsente:
    nommee: str  # « Calibri »
    #: Sa jumelle libre (« Carlito ») et le paquet qui l'installe, si on en connaît une.
    jumelle: str | None
    paquet: str | None


def polices_nommees(docx: Path) -> set[str]:
    """Les polices que le document emploie : celle du style par défaut, et celles nommées dans le texte.

    Les styles que le texte n'emploie pas (« Macro Text » en Courier, hérité du modèle de Word) ne comptent pas.
    """
    noms: set[str] = set()
    with zipfile.ZipFile(docx) as archive:
        parties = archive.namelist()
        if "word/styles.xml" in parties:
            styles = ElementTree.fromstring(archive.read("word/styles.xml"))  # noqa: S314 (modèles vérifiés)
            defauts = [*styles.iter(f"{_W}docDefaults")]
            defauts += [s for s in styles.iter(f"{_W}style") if s.get(f"{_W}default") == "1"]
            for element in defauts:
                noms |= _polices(element)
        for partie in parties:
            if partie.startswith(_PARTIES) and partie.endswith(".xml"):
                noms |= _polices(ElementTree.fromstring(archive.read(partie)))  # noqa: S314
    return noms


def _polices(element: ElementTree.Element) -> set[str]:
    return {v for f in element.iter(f"{_W}rFonts") for a in ("ascii", "hAnsi") if (v := f.get(f"{_W}{a}"))}


def police_installee(famille: str) -> bool:
    """Vrai si fontconfig connaît une police de cette famille (ou s'il est absent : on ne peut pas savoir)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    resultat = subprocess.run(  # noqa: S603 (fc-list trouvé dans le PATH, un nom de famille en argument)
        [fc_list, "-q", f":family={famille}"], check=False, capture_output=True, timeout=30
    )
    return resultat.returncode == 0


def polices_absentes(noms: Iterable[str]) -> list[PoliceAbsente]:
    """Les polices nommées qu'on ne trouve ni elles-mêmes ni par leur jumelle aux mêmes métriques."""
    absentes = []
    for nom in sorted(set(noms)):
        jumelle, paquet = JUMELLES.get(nom, (None, None))
        if police_installee(nom) or (jumelle is not None and police_installee(jumelle)):
            continue
        absentes.append(PoliceAbsente(nom, jumelle, paquet))
    return absentes


def expliquer(absentes: list[PoliceAbsente]) -> str:
    """L'avertissement en français : quelles polices manquent, ce que ça change, quel paquet installer."""
    noms = ", ".join(f"{p.jumelle} (pour {p.nommee})" if p.jumelle else p.nommee for p in absentes)
    paquets = sorted({p.paquet for p in absentes if p.paquet})
    conseil = (
        f" Installez {'le paquet' if len(paquets) == 1 else 'les paquets'} {' '.join(paquets)} "
        f"(sudo apt-get install {' '.join(paquets)}), puis refaites les documents."
        if paquets
        else f" Installez-{'la' if len(absentes) == 1 else 'les'}, puis refaites les documents."
    )
    return (
        f"Attention : les PDF sont composés sans {'la police' if len(absentes) == 1 else 'les polices'} "
        f"{noms} que nomment les modèles Word : une police de remplacement, plus large, change leur mise en page."
        + conseil
    )


#: Les polices déjà signalées par ce processus : l'avertissement ne se répète pas à chaque PDF d'une commande.
_SIGNALEES: set[str] = set()


def signaler_polices_absentes(docx: Iterable[Path]) -> list[PoliceAbsente]:
    """Avertit (`PolicesAbsentes`) une fois par processus si les documents nomment des polices introuvables."""
    noms: set[str] = set()
    for chemin in docx:
        noms |= polices_nommees(chemin)
    nouvelles = noms - _SIGNALEES
    if not nouvelles:
        return []
    _SIGNALEES.update(nouvelles)
    absentes = polices_absentes(nouvelles)
    if absentes:
        warnings.warn(expliquer(absentes), PolicesAbsentes, stacklevel=2)
    return absentes


def oublier_signalements() -> None:
    """Pour les tests : la prochaine conversion vérifie de nouveau les polices."""
    _SIGNALEES.clear()
