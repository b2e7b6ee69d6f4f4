"""La fabrique du modèle Word du bilan annuel (templates_docx/bilan_annuel.docx), appelée par fabriquer_modeles.py.

Un document que la mairie adresse à la CAF : timbre, titre, territoire, période, sommaire, puis six rubriques
numérotées. Les phrases (accords compris) viennent du logiciel ; le modèle les place.
"""

from __future__ import annotations

from docx.document import Document as DocumentWord
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Cell

from templates_docx.mise_en_page import BLEU, GRIS, NB, champ, element, nouveau_document, p, si, style, timbre
from templates_docx.modele_compte_rendu import tableau as tableau_quadrille

RUBRIQUES = (
    "L'essentiel",
    "Les réunions des instances",
    "La présence des partenaires",
    "Les enjeux et les orientations",
    "Le suivi des actions",
    "Définitions et fichiers joints",
)


def tableau(
    document: DocumentWord, colonnes: tuple[tuple[str, int], ...], boucle: str, lignes: list[list[str]]
) -> Table:
    """Le tableau quadrillé des modèles ; avec une ligne de total, il ne se coupe pas d'une page à l'autre.

    Chaque ligne reste avec la suivante, jusqu'au total qui, lui, ne retient rien : sans total, la dernière
    ligne retiendrait l'intertitre suivant et, de proche en proche, tout le reste du document.
    """
    resultat = tableau_quadrille(document, colonnes, boucle, lignes)
    for ligne in resultat.rows[:-1] if len(lignes) > 1 else []:
        for cellule in ligne.cells:
            for paragraphe in cellule.paragraphs:
                paragraphe.paragraph_format.keep_with_next = True
    return resultat


def _styles(document: DocumentWord) -> None:
    """Les styles du bilan ; les rubriques apparaissent dans le volet de navigation de Word."""
    style(document, "Rubrique", 13, avant=16, apres=6, gras=True, couleur=BLEU, lie=True)
    style(document, "Intertitre", 11, avant=10, apres=4, gras=True, lie=True)
    style(document, "Paragraphe du bilan", apres=6, alignement=WD_ALIGN_PARAGRAPH.JUSTIFY)
    style(document, "Puce", apres=3, retrait=Mm(6), alinea=Mm(-4))
    style(document, "Sommaire", apres=2, retrait=Mm(10))
    style(document, "Graphique", avant=6, apres=4, alignement=WD_ALIGN_PARAGRAPH.CENTER)
    style(document, "Légende", 9, avant=2, apres=6, italique=True, couleur=GRIS)
    document.styles["Rubrique"].element.get_or_add_pPr().append(element("w:outlineLvl", {"w:val": "0"}))


def _rubrique(document: DocumentWord, numero: int, *, saut_de_page: bool = False) -> None:
    titre = p(document, f"{numero}. {RUBRIQUES[numero - 1]}", style="Rubrique")
    titre.paragraph_format.page_break_before = saut_de_page or None


def _puces(document: DocumentWord, liste: str) -> None:
    p(document, f"{{%p for phrase in {liste} %}}")
    p(document, "–\t{{ phrase }}", style="Puce")
    p(document, "{%p endfor %}")


def _en_tete(document: DocumentWord) -> None:
    timbre(document)
    p(document, "", style="Normal")
    p(document, "Bilan annuel {{ bilan.annee }}", style="Titre du document")
    p(document, "Convention territoriale globale {{ bilan.de_territoire }}", style="Sous-titre du document")
    p(document, f"Période{NB}: {{{{ bilan.periode }}}}", style="Sous-titre du document")
    p(document, "{%p if bilan.convention %}")
    p(document, "{{ bilan.convention }}", style="Sous-titre du document")
    p(document, "{%p endif %}")
    p(document, "Bilan arrêté au {{ bilan.arrete_au|date_longue }}", style="Sous-titre du document")
    p(document, "Sommaire", style="Intertitre")
    for numero, titre in enumerate(RUBRIQUES, start=1):
        p(document, f"{numero}. {titre}", style="Sommaire")


def _reunions(document: DocumentWord) -> None:
    _rubrique(document, 2)
    p(document, "{{ reunions.phrase }}", style="Paragraphe du bilan")
    p(document, "{%p if reunions.instances %}")
    colonnes = (("Instance", 76), ("Réunions tenues", 30), ("Réunions annulées", 30), ("Réunions à venir", 30))
    ligne = ["{{ instance.intitule }} ({{ instance.code }})", "{{ instance.tenues }}", "{{ instance.annulees }}"]
    total = ["Total", "{{ reunions.total.tenues }}", "{{ reunions.total.annulees }}", "{{ reunions.total.a_venir }}"]
    cellules = tableau(
        document, colonnes, "for instance in reunions.instances", [[*ligne, "{{ instance.a_venir }}"], total]
    )
    for cellule in cellules.rows[-1].cells:
        for run in cellule.paragraphs[0].runs:
            run.bold = True
    p(document, "{%p endif %}")
    p(document, "{%p if reunions.tenues %}")
    p(document, "Les réunions tenues", style="Intertitre")
    colonnes = (("Date", 34), ("Instance", 24), ("Titre", 78), ("Présences", 30))
    modele = ["{{ reunion.date }}", "{{ reunion.instance }}", "{{ reunion.titre }}", "{{ reunion.presences }}"]
    tableau(document, colonnes, "for reunion in reunions.tenues", [modele])
    p(document, "{%p endif %}")


def _presence(document: DocumentWord) -> None:
    _rubrique(document, 3)
    p(document, "{{ presence.phrase }}", style="Paragraphe du bilan")
    p(document, "{%p if presence.lignes %}")
    # Des colonnes où « Représentés » tient entier même dans la police de repli, plus large, qui remplace
    # Calibri sans Carlito : marges intérieures réduites à 1,2 mm (tests/test_documents_polices.py).
    colonnes = (
        ("Partenaire", 34),
        ("Invitations", 24),
        ("Présents", 21),
        ("Représentés", 28),
        ("Excusés", 19),
        ("Absents", 19),
        ("Taux de présence", 21),
    )
    champs = ("invitations", "presents", "representes", "excuses", "absents", "taux")
    modele = ["{{ ligne.partenaire }}", *(f"{{{{ ligne.{champ} }}}}" for champ in champs)]
    total = ["{{ presence.total.partenaire }}", *(f"{{{{ presence.total.{champ} }}}}" for champ in champs)]
    resultat = tableau(document, colonnes, "for ligne in presence.lignes", [modele, total])
    marges = element("w:tblCellMar", {})
    for cote in ("left", "right"):
        marges.append(element(f"w:{cote}", {"w:w": str(round(Mm(1.2).twips)), "w:type": "dxa"}))
    proprietes = resultat._tbl.tblPr
    apres = proprietes.find(qn("w:tblLook"))  # l'ordre du schéma : tblCellMar avant tblLook
    if apres is None:
        proprietes.append(marges)
    else:
        apres.addprevious(marges)
    for cellule in resultat.rows[-1].cells:
        for run in cellule.paragraphs[0].runs:
            run.bold = True
    p(document, "{{ presence.graphique }}", style="Graphique")
    p(document, "{%p endif %}")


def _liste_en_cellule(cellule: _Cell, liste: str) -> None:
    """Une ligne par élément de `liste` dans la cellule, ou un tiret quand elle est vide."""
    cellule.paragraphs[0].add_run(f"{{%p if {liste} %}}")
    p(cellule, f"{{%p for element in {liste} %}}", style="Cellule")
    p(cellule, "{{ element }}", style="Cellule")
    p(cellule, "{%p endfor %}", style="Cellule")
    p(cellule, "{%p else %}", style="Cellule")
    p(cellule, "–", style="Cellule")
    p(cellule, "{%p endif %}", style="Cellule")


def _orientations(document: DocumentWord) -> None:
    _rubrique(document, 4, saut_de_page=True)
    p(document, "{{ orientations.phrase }}", style="Paragraphe du bilan")
    p(document, "{{ orientations.graphique }}", style="Graphique")
    p(
        document,
        "En italique et en gris, les orientations qu'aucune réunion tenue n'a abordées.",
        style="Légende",
    )
    p(document, "{%p for enjeu in orientations.enjeux %}")
    p(document, f"Enjeu n°{{{{ enjeu.numero }}}}{NB}: {{{{ enjeu.intitule }}}}", style="Intertitre")
    colonnes = (("Orientation", 58), ("Réunions", 30), ("Décisions", 42), ("Actions", 36))
    resultat = tableau(document, colonnes, "for orientation in enjeu.orientations", [["", "", "", ""]])
    modele = resultat.rows[2].cells
    nom = modele[0].paragraphs[0]
    nom.add_run("{{ orientation.code }}").bold = True
    nom.add_run(" {{ orientation.intitule }}")
    for cellule, liste in zip(modele[1:], ("reunions", "decisions", "actions"), strict=True):
        _liste_en_cellule(cellule, f"orientation.{liste}")
    p(document, "{%p endfor %}")
    p(document, "Les orientations qu'aucune réunion n'a abordées", style="Intertitre")
    p(document, "{{ orientations.phrase_non_abordees }}", style="Paragraphe du bilan")
    p(document, "{%p for orientation in orientations.non_abordees %}")
    p(document, "–\t{{ orientation.code }} {{ orientation.intitule }}", style="Puce")
    p(document, "{%p endfor %}")


def _actions(document: DocumentWord) -> None:
    _rubrique(document, 5)
    p(document, "{{ actions.phrase }}", style="Paragraphe du bilan")
    p(document, "{%p if actions.total %}")
    total = ["Total", "{{ actions.total }}"]
    resultat = tableau(
        document,
        (("Actions décidées dans l'année", 90), ("Nombre", 30)),
        "for statut in actions.statuts",
        [["{{ statut.libelle }}", "{{ statut.nombre }}"], total],
    )
    for cellule in resultat.rows[-1].cells:
        for run in cellule.paragraphs[0].runs:
            run.bold = True
    p(document, "{%p endif %}")
    p(document, "{%p if actions.en_retard %}")
    p(document, "Les actions en retard", style="Intertitre")
    colonnes = (("N°", 14), ("Action", 56), ("Responsable", 32), ("Échéance", 26), ("Décidée en", 38))
    modele = [
        "A-{{ action.numero }}",
        "{{ action.libelle }}",
        "{{ action.responsable }}",
        "{{ action.echeance }}",
        "{{ action.origine }}",
    ]
    tableau(document, colonnes, "for action in actions.en_retard", [modele])
    p(document, "{%p endif %}")


def _definitions(document: DocumentWord) -> None:
    _rubrique(document, 6)
    _puces(document, "definitions")
    p(document, "{{ fichiers.legende }}", style="Paragraphe du bilan")
    p(document, "{%p for fichier in fichiers.noms %}")
    p(document, "–\t{{ fichier }}", style="Puce")
    p(document, "{%p endfor %}")


def _signature_et_pied(document: DocumentWord) -> None:
    p(document, "{{ bilan.lieu }}, le {{ bilan.arrete_au|date_longue }}", style="Date du courrier")
    si(document, "bilan.etabli_par", "Établi par {{ bilan.etabli_par }}", style="Signature")
    pied = document.sections[0].footer.paragraphs[0]
    pied.style = document.styles["Pied de page"]
    pied.add_run("Bilan annuel {{ bilan.annee }} – Convention territoriale globale {{ bilan.de_territoire }} – page ")
    champ(pied, "PAGE")
    pied.add_run(" sur ")
    champ(pied, "NUMPAGES")


def bilan_annuel() -> DocumentWord:
    """Le bilan annuel : l'essentiel, réunions, présence, orientations, actions, définitions."""
    document = nouveau_document("Bilan annuel de la CTG")
    _styles(document)
    _en_tete(document)
    _rubrique(document, 1)
    _puces(document, "essentiel")
    _reunions(document)
    _presence(document)
    _orientations(document)
    _actions(document)
    _definitions(document)
    _signature_et_pied(document)
    return document
