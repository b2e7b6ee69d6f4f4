"""La fabrique du modèle Word du compte rendu (templates_docx/compte_rendu.docx), appelée par fabriquer_modeles.py.

Les ancres que le lecteur retrouve après édition : un signet (« ctg_participants », « ctg_decisions »,
« ctg_actions », « ctg_actions_ouvertes », « ctg_point_1 »…) dans l'intertitre de chaque rubrique, un signet
par ligne d'action connue (« ctg_action_12 ») et sa référence visible « A-12 » dans la colonne « Réf. ».
Les en-têtes des tableaux servent de repli quand les signets ont disparu.
"""

from __future__ import annotations

from docx.document import Document as DocumentWord
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from gouvernance.comptes_rendus.docx_ancres import (
    ACTIONS,
    ACTIONS_OUVERTES,
    DECISIONS,
    ECHANGES,
    PARTICIPANTS,
    SECRETAIRE,
    SIGNET_ACTIONS,
    SIGNET_ACTIONS_OUVERTES,
    SIGNET_DECISIONS,
    SIGNET_PARTICIPANTS,
    SIGNETS,
)
from templates_docx.mise_en_page import BLEU, GRIS, NB, element, nouveau_document, ombrer, p, si, style, timbre

LIGNES_VIDES = 3


def signet(paragraphe: Paragraph, nom: str, numero: str) -> None:
    """Pose un signet autour du contenu du paragraphe (`nom` et `numero` peuvent être des balises Jinja)."""
    debut = element("w:bookmarkStart", {"w:id": numero, "w:name": nom})
    fin = element("w:bookmarkEnd", {"w:id": numero})
    proprietes = paragraphe._p.find(qn("w:pPr"))
    if proprietes is not None:
        proprietes.addnext(debut)
    else:
        paragraphe._p.insert(0, debut)
    paragraphe._p.append(fin)


def styles_du_compte_rendu(document: DocumentWord) -> None:
    """Les styles propres au compte rendu ; les intertitres apparaissent dans le volet de navigation."""
    style(document, "Rubrique", 12.5, avant=16, apres=6, gras=True, couleur=BLEU, lie=True)
    style(document, "Point du compte rendu", 11.5, avant=10, apres=2, gras=True, lie=True)
    style(document, "Détail du point", 9.5, apres=1, retrait=Mm(6), italique=True, couleur=GRIS, lie=True)
    style(document, "Intertitre", avant=6, apres=2, retrait=Mm(6), gras=True, lie=True)
    justifie = WD_ALIGN_PARAGRAPH.JUSTIFY
    style(document, "Échanges", apres=6, retrait=Mm(6), alignement=justifie)
    style(document, "Légende", 9, avant=2, italique=True, couleur=GRIS)
    for nom, niveau in (("Rubrique", "0"), ("Point du compte rendu", "1")):
        document.styles[nom].element.get_or_add_pPr().append(element("w:outlineLvl", {"w:val": niveau}))


def _cellule(tableau: Table, ligne: int, colonne: int, texte: str, *, gras: bool = False) -> Paragraph:
    paragraphe: Paragraph = tableau.cell(ligne, colonne).paragraphs[0]
    paragraphe.style = "Cellule"
    if texte:
        paragraphe.add_run(texte).bold = gras or None
    return paragraphe


def tableau(
    document: DocumentWord, colonnes: tuple[tuple[str, int], ...], boucle: str | None, lignes: list[list[str]]
) -> Table:
    """Un tableau quadrillé à l'en-tête répété ; avec `boucle`, sa première ligne est répétée par `{%tr for %}`."""
    entourees = [[f"{{%tr {boucle} %}}"], *lignes[:1], ["{%tr endfor %}"], *lignes[1:]] if boucle else lignes
    resultat: Table = document.add_table(rows=1 + len(entourees), cols=len(colonnes))
    resultat.style = document.styles["Table Grid"]
    resultat.alignment = WD_TABLE_ALIGNMENT.CENTER
    resultat.autofit = False  # des colonnes fixes, que LibreOffice lit dans la grille
    largeurs = [Mm(largeur) for _, largeur in colonnes]
    for colonne, largeur in zip(resultat._tbl.tblGrid.gridCol_lst, largeurs, strict=True):
        colonne.w = largeur
    for ligne in resultat.rows:
        for cellule, largeur in zip(ligne.cells, largeurs, strict=True):
            cellule.width = largeur
    for ligne in resultat.rows:  # une ligne ne se coupe pas entre deux pages
        ligne._tr.get_or_add_trPr().append(element("w:cantSplit", {}))
    resultat.rows[0]._tr.get_or_add_trPr().append(element("w:tblHeader", {}))
    for numero, (titre, _) in enumerate(colonnes):
        ombrer(resultat.cell(0, numero), "D9E2F3")
        _cellule(resultat, 0, numero, titre, gras=True)
    for numero_ligne, textes in enumerate(entourees, start=1):
        for numero, texte in enumerate(textes + [""] * (len(colonnes) - len(textes))):
            _cellule(resultat, numero_ligne, numero, texte)
    return resultat


def _rubrique(document: DocumentWord, titre: str, nom_signet: str) -> None:
    signet(p(document, titre, style="Rubrique"), nom_signet, str(SIGNETS[nom_signet]))


def en_tete(document: DocumentWord) -> None:
    """Le timbre de l'institution, puis le titre, l'instance, la date, l'heure et le lieu de la réunion."""
    timbre(document)
    p(document, "Compte rendu", style="Titre du document")
    p(document, "{{ reunion.instance_intitule }}", style="Sous-titre du document")
    p(document, "Convention territoriale globale {{ reunion.de_territoire }}", style="Sous-titre du document")
    si(document, "reunion.titre_distinct", ("{{ reunion.titre }}", "italique"), style="Sous-titre du document")
    p(
        document,
        "Réunion du {{ reunion.debut|date_complete }} à {{ reunion.debut|heure }}",
        style="Sous-titre du document",
    )
    p(
        document,
        f"Lieu{NB}: {{% if reunion.lieu %}}{{{{ reunion.lieu }}}}{{% if reunion.visio %}} (également en "
        "visioconférence){% endif %}{% else %}en visioconférence{% endif %}",
        style="Sous-titre du document",
    )


def _participants(document: DocumentWord) -> None:
    _rubrique(document, "Participants", SIGNET_PARTICIPANTS)
    modele = ["{{ personne.nom }}", "{{ personne.organisme }}", "{{ personne.fonction }}", "{{ personne.presence }}"]
    tableau(document, PARTICIPANTS, "for personne in compte_rendu.participants", [modele, [], []])
    secretaire = p(
        document,
        (f"{SECRETAIRE}{NB}:", "gras"),
        " {% if compte_rendu.secretaire %}{{ compte_rendu.secretaire }}{% else %}…{% endif %}",
        style="Informations pratiques",
    )
    secretaire.paragraph_format.space_before = Pt(8)
    p(document, "{%p if compte_rendu.precedent %}")
    p(document, "Approbation du compte rendu précédent", style="Rubrique")
    p(
        document,
        "Le compte rendu de la {{ compte_rendu.precedent }} est soumis à l'approbation des membres.",
        style="Échanges",
    )
    p(document, "", style="Échanges")
    p(document, "{%p endif %}")


def _points(document: DocumentWord) -> None:
    p(document, "{%p if compte_rendu.points %}")
    p(document, "Points de l'ordre du jour", style="Rubrique")
    p(document, "{%p for point in compte_rendu.points %}")
    titre = p(document, "{{ point.numero }}. {{ point.titre }}", style="Point du compte rendu")
    signet(titre, "{{ point.signet }}", "{{ point.numero_signet }}")
    si(document, "point.rapporteur", "Présenté par {{ point.rapporteur }}", style="Détail du point")
    p(document, "{%p for orientation in point.orientations %}")
    p(
        document,
        "Orientation {{ orientation.code }} – {{ orientation.intitule }} "
        f"(enjeu {{{{ orientation.enjeu_numero }}}}{NB}: {{{{ orientation.enjeu_intitule }}}})",
        style="Détail du point",
    )
    p(document, "{%p endfor %}")
    p(document, f"{ECHANGES}{NB}:", style="Intertitre")
    p(document, "", style="Échanges")
    p(document, "{%p endfor %}")
    p(document, "{%p endif %}")


def _ligne_d_action(*suite: str) -> list[str]:
    return [
        "{{ action.reference }}",
        "{{ action.libelle }}",
        "{{ action.responsable }}",
        "{{ action.echeance }}",
        *suite,
    ]


def _releves(document: DocumentWord) -> None:
    _rubrique(document, "Relevé des décisions", SIGNET_DECISIONS)
    decision = ["{{ decision.numero }}", "{{ decision.texte }}", "{{ decision.orientations }}"]
    tableau(document, DECISIONS, "for decision in compte_rendu.decisions", [decision] + [[]] * LIGNES_VIDES)
    _rubrique(document, "Relevé des actions", SIGNET_ACTIONS)
    lignes = [_ligne_d_action("{{ action.orientations }}")] + [[]] * LIGNES_VIDES
    actions = tableau(document, ACTIONS, "for action in compte_rendu.actions", lignes)
    signet(actions.cell(2, 0).paragraphs[0], "{{ action.signet }}", "{{ action.numero_signet }}")
    p(document, "{%p if compte_rendu.actions_ouvertes %}")
    _rubrique(document, "Suivi des actions des réunions précédentes", SIGNET_ACTIONS_OUVERTES)
    lignes = [_ligne_d_action("{{ action.origine }}", "{{ action.statut }}")]
    ouvertes = tableau(document, ACTIONS_OUVERTES, "for action in compte_rendu.actions_ouvertes", lignes)
    signet(ouvertes.cell(2, 0).paragraphs[0], "{{ action.signet }}", "{{ action.numero_signet }}")
    p(document, f"Statut d'une action{NB}: à faire, en cours, fait ou abandonnée.", style="Légende")
    p(document, "{%p endif %}")


def pied_de_page(document: DocumentWord) -> None:
    pied = document.sections[0].footer.paragraphs[0]
    pied.style = document.styles["Pied de page"]
    pied.add_run("Compte rendu – {{ reunion.instance_intitule }} – {{ reunion.debut|date_complete }} – page ")
    for champ, texte in ((" PAGE ", "1"), ("", " sur "), (" NUMPAGES ", "1")):
        if not champ:
            pied.add_run(texte)
            continue
        simple = element("w:fldSimple", {"w:instr": champ})
        run = element("w:r", {})
        texte_champ = element("w:t", {})
        texte_champ.text = texte
        run.append(texte_champ)
        simple.append(run)
        pied._p.append(simple)


def compte_rendu() -> DocumentWord:
    """Le projet de compte rendu : participants, points et échanges, décisions, actions, suivi des actions."""
    document = nouveau_document("Compte rendu")
    styles_du_compte_rendu(document)
    en_tete(document)
    _participants(document)
    _points(document)
    _releves(document)
    p(document, "{%p if compte_rendu.prochaine_reunion %}")
    p(
        document,
        (f"Prochaine réunion{NB}:", "gras"),
        " {{ compte_rendu.prochaine_reunion|date_complete }} à {{ compte_rendu.prochaine_reunion|heure }}",
        style="Date du courrier",
    )
    p(document, "{%p endif %}")
    p(document, "{{ lieu_courrier }}, le {{ date_courrier|date_longue }}", style="Date du courrier")
    p(document, "", style="Signature")
    si(document, "signataire.fonction", "{{ signataire.fonction }}", style="Signature")
    p(document, ("{{ signataire.nom }}", "gras"), style="Signature")
    pied_de_page(document)
    return document
