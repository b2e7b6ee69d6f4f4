"""La mise en page commune des modèles Word : A4, Calibri 11, styles nommés en français, paragraphes à balises.

Chaque balise Jinja est écrite d'un seul tenant dans un seul « run » ; les balises `{%p … %}` et `{%tr … %}`
occupent seules leur paragraphe ou leur ligne de tableau.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from docx import Document
from docx.document import Document as DocumentWord
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

NB = "\u00a0"  # espace insécable : « Objet : », « Tél. : »
POLICE = "Calibri"  # Carlito sous LibreOffice, aux mêmes métriques
GRIS = RGBColor(0x59, 0x59, 0x59)
BLEU = RGBColor(0x1F, 0x38, 0x64)
RETRAIT_DROITE = Mm(88)  # la signature, sous le bloc du destinataire

Conteneur = DocumentWord | _Cell
Morceau = str | tuple[str, str]  # un texte, ou (texte, « gras » / « italique »)


def style(document: DocumentWord, nom: str, taille: float = 11, **reglages: Any) -> None:
    """Un style de paragraphe nommé en français, que l'utilisateur retrouve dans Word."""
    style = document.styles.add_style(nom, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(taille)
    format_ = style.paragraph_format
    format_.space_after = Pt(reglages.get("apres", 0))
    format_.space_before = Pt(reglages.get("avant", 0))
    format_.left_indent = reglages.get("retrait")
    format_.first_line_indent = reglages.get("alinea")
    format_.alignment = reglages.get("alignement")
    format_.keep_with_next = bool(reglages.get("lie"))
    style.font.bold = bool(reglages.get("gras"))
    style.font.italic = bool(reglages.get("italique"))
    if couleur := reglages.get("couleur"):
        style.font.color.rgb = couleur


def nouveau_document(titre: str) -> DocumentWord:
    """Un document A4 en français, marges administratives, Calibri 11, et ses styles."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = POLICE
    normal.font.size = Pt(11)
    polices = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribut in ("w:eastAsia", "w:cs"):
        polices.set(qn(attribut), POLICE)
    normal.paragraph_format.space_after = Pt(0)
    defauts = document.styles.element.find(qn("w:docDefaults"))
    if defauts is not None:
        for langue in defauts.iter(qn("w:lang")):
            langue.set(qn("w:val"), "fr-FR")
    normal.element.get_or_add_rPr().append(element("w:lang", {"w:val": "fr-FR", "w:eastAsia": "fr-FR"}))
    justifie, centre = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER
    style(document, "Institution", 13, gras=True, couleur=BLEU)
    style(document, "Adresse de l'institution", 9, couleur=GRIS)
    style(document, "Références", 9, couleur=GRIS)
    style(document, "Destinataire")
    style(document, "Date du courrier", avant=18)
    style(document, "Objet", avant=24)
    style(document, "Titre de la réunion")
    style(document, "Appel", avant=14, apres=10)
    style(document, "Corps de lettre", apres=8, alinea=Mm(10), alignement=justifie)
    style(document, "Lien", apres=8, retrait=Mm(15))
    style(document, "Changement", apres=4, retrait=Mm(15), alignement=justifie)
    style(document, "Point de l'ordre du jour", avant=4, apres=2, retrait=Mm(15), lie=True)
    style(document, "Orientation", 9.5, apres=1, retrait=Mm(21), italique=True, couleur=GRIS)
    style(document, "Formule de politesse", avant=4, apres=8, alinea=Mm(10), alignement=justifie, lie=True)
    style(document, "Signature", retrait=RETRAIT_DROITE, lie=True)
    style(document, "Titre du document", 18, avant=12, apres=4, gras=True, couleur=BLEU, alignement=centre)
    style(document, "Sous-titre du document", 12, apres=2, alignement=centre)
    style(document, "Informations pratiques", avant=2, apres=2)
    style(document, "Cellule", 10, avant=2, apres=2)
    style(document, "Pied de page", 8, couleur=GRIS, alignement=centre)
    proprietes = document.core_properties
    proprietes.title, proprietes.author, proprietes.comments = titre, "ctg-gouvernance", ""
    proprietes.language, proprietes.revision = "fr-FR", 1
    proprietes.created = proprietes.modified = datetime(2026, 1, 1)
    proprietes.last_modified_by = "ctg-gouvernance"
    return document


def element(nom: str, attributs: dict[str, str]) -> Any:
    """Un élément WordprocessingML (« w:shd »…) avec ses attributs."""
    element = OxmlElement(nom)
    for cle, valeur in attributs.items():
        element.set(qn(cle), valeur)
    return element


def p(conteneur: Conteneur, *morceaux: Morceau, style: str = "Normal") -> Paragraph:
    """Un paragraphe ; chaque morceau est un run entier (une balise n'est jamais coupée)."""
    paragraphe = conteneur.add_paragraph(style=style)
    for morceau in morceaux:
        texte, mise_en_forme = (morceau, "") if isinstance(morceau, str) else morceau
        run = paragraphe.add_run(texte)
        run.bold = True if mise_en_forme == "gras" else None
        run.italic = True if mise_en_forme == "italique" else None
    return paragraphe


def si(conteneur: Conteneur, condition: str, *morceaux: Morceau, style: str) -> None:
    """Un paragraphe qui n'apparaît que si `condition` est vraie."""
    p(conteneur, f"{{%p if {condition} %}}")
    p(conteneur, *morceaux, style=style)
    p(conteneur, "{%p endif %}")


def tableau_sans_bordure(document: DocumentWord, largeurs: tuple[Mm, ...]) -> list[_Cell]:
    """Une ligne de cellules de largeurs fixes, sans bordure : pour placer des blocs côte à côte."""
    tableau = document.add_table(rows=1, cols=len(largeurs))
    tableau.autofit = False
    for colonne, cellule, largeur in zip(
        tableau._tbl.tblGrid.gridCol_lst, tableau.rows[0].cells, largeurs, strict=True
    ):
        colonne.w = cellule.width = largeur
    return list(tableau.rows[0].cells)


def vider_premier_paragraphe(cellule: _Cell) -> None:
    """Une cellule naît avec un paragraphe vide : on le retire une fois la cellule remplie."""
    premier = cellule.paragraphs[0]
    premier._p.getparent().remove(premier._p)


def ombrer(cellule: _Cell, couleur: str) -> None:
    """Un fond de cellule (« D9E2F3 »)."""
    cellule._tc.get_or_add_tcPr().append(element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": couleur}))


def paysage(document: DocumentWord, marge_mm: float = 15) -> None:
    """La première section en A4 à l'italienne (paysage), pour les tableaux larges."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(marge_mm)
    section.footer_distance = Mm(8)


def champ(paragraphe: Paragraph, code: str) -> None:
    """Un champ que Word et LibreOffice calculent à l'affichage (« PAGE », « NUMPAGES »)."""
    for nom, attributs in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {"xml:space": "preserve"}),
        ("w:fldChar", {"w:fldCharType": "separate"}),
        ("w:t", {}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        run = paragraphe.add_run()
        contenu = element(nom, attributs)
        if nom == "w:instrText":
            contenu.text = f" {code} "
        elif nom == "w:t":
            contenu.text = "1"
        run._r.append(contenu)


def timbre(conteneur: Any) -> None:
    """Le timbre de l'institution : son logo s'il y en a un, son nom, puis son adresse ligne à ligne."""
    si(conteneur, "institution.logo", "{{ institution.logo }}", style="Normal")
    p(conteneur, "{{ institution.nom }}", style="Institution")
    p(conteneur, "{%p for ligne in institution.adresse_lignes %}")
    p(conteneur, "{{ ligne }}", style="Adresse de l'institution")
    p(conteneur, "{%p endfor %}")
