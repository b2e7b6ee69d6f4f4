"""Fabrique les modèles Word livrés (convocation, ordre du jour, annulation, compte rendu et sa version
validée, bilan annuel).

Usage : `python templates_docx/fabriquer_modeles.py [dossier]`.

Les .docx produits sont versionnés : ce sont eux que les utilisateurs modifient dans Word. Ce script sert
à les refaire à l'identique après un changement de mise en page (voir mise_en_page.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocumentWord
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt
from docx.table import _Cell

DOSSIER = Path(__file__).resolve().parent
sys.path[:0] = [str(DOSSIER), str(DOSSIER.parent)]  # mise_en_page, et templates_docx pour le compte rendu

from mise_en_page import (  # noqa: E402 (le dossier des modèles n'est pas un paquet Python)
    GRIS,
    NB,
    element,
    nouveau_document,
    ombrer,
    p,
    si,
    tableau_sans_bordure,
    timbre,
    vider_premier_paragraphe,
)

from templates_docx.modele_bilan import bilan_annuel  # noqa: E402
from templates_docx.modele_compte_rendu import compte_rendu  # noqa: E402
from templates_docx.modele_compte_rendu_officiel import compte_rendu_officiel  # noqa: E402

# Les parties de phrase récurrentes.
LIEU = "{% if reunion.lieu %}, {{ reunion.lieu }}{% else %}, en visioconférence{% endif %}"
QUAND = "le {{ reunion.debut|date_complete }} à {{ reunion.debut|heure }}"
CONTACT = (
    "{{ coordinateur.nom }}{% if coordinateur.fonction %}, {{ coordinateur.fonction }}{% endif %} "
    "({{ coordinateur.email }}{% if coordinateur.telephone %}, {{ coordinateur.telephone }}{% endif %})"
)
#: Le contact quand le coordinateur signe lui-même : il ne se nomme pas à la troisième personne.
ME_CONTACTER = (
    "en m'écrivant à {{ coordinateur.email }}"
    "{% if coordinateur.telephone %} ou en m'appelant au {{ coordinateur.telephone }}{% endif %}"
)
#: Le coordinateur écrit à la présidence ou au signataire de la convention (le maire).
DEFERENCE = "courrier.par_coordinateur and courrier.a_une_autorite"


def _en_tete(document: DocumentWord) -> None:
    """Le timbre : logo, nom et adresse de l'institution."""
    timbre(document)
    p(document, "", style="Normal")


def _references_et_destinataire(document: DocumentWord) -> None:
    """À gauche, qui suit l'affaire ; à droite, à la place de la fenêtre d'enveloppe, le destinataire et la date."""
    gauche, droite = tableau_sans_bordure(document, (Mm(88), Mm(78)))
    p(
        gauche,
        f"Affaire suivie par{NB}: {{{{ coordinateur.nom }}}}"
        "{% if coordinateur.fonction %}, {{ coordinateur.fonction }}{% endif %}",
        style="Références",
    )
    si(gauche, "coordinateur.telephone", f"Tél.{NB}: {{{{ coordinateur.telephone }}}}", style="Références")
    p(gauche, f"Courriel{NB}: {{{{ coordinateur.email }}}}", style="Références")
    p(droite, "{{ destinataire.civilite_nom }}", style="Destinataire")
    si(droite, "destinataire.fonction", "{{ destinataire.fonction }}", style="Destinataire")
    si(droite, "destinataire.organisme", "{{ destinataire.organisme }}", style="Destinataire")
    p(droite, "{%p for ligne in destinataire.adresse_lignes %}")
    p(droite, "{{ ligne }}", style="Destinataire")
    p(droite, "{%p endfor %}")
    p(droite, "{{ lieu_courrier }}, le {{ date_courrier|date_longue }}", style="Date du courrier")
    for cellule in (gauche, droite):
        vider_premier_paragraphe(cellule)


def _objet(document: DocumentWord, objet: str) -> None:
    p(document, (f"Objet{NB}:", "gras"), f" {objet}", style="Objet")
    si(document, "reunion.titre_distinct", ("{{ reunion.titre }}", "italique"), style="Titre de la réunion")
    p(document, "{{ destinataire.appel }},", style="Appel")


def _politesse_et_signature(document: DocumentWord) -> None:
    """La formule de politesse et la signature dans une ligne de tableau sans bordure qui ne se coupe pas : le nom
    du signataire n'est jamais seul en haut d'une page (LibreOffice ignore « lié au suivant » en fin de document)."""
    (bloc,) = tableau_sans_bordure(document, (Mm(166),))
    bloc._tc.getparent().get_or_add_trPr().append(element("w:cantSplit", {}))
    p(
        bloc,
        f"Je vous prie d'agréer, {{{{ destinataire.appel }}}}, l'expression de {{% if {DEFERENCE} %}}ma "
        "respectueuse considération{% else %}mes salutations distinguées{% endif %}.",
        style="Formule de politesse",
    )
    p(bloc, "", style="Signature")
    signature = p(bloc, "{% if signataire.fonction %}{{ signataire.fonction }}{% endif %}", style="Signature")
    for _ in range(3):
        signature.add_run().add_break()
    signature.add_run("{{ signataire.nom }}").bold = True
    vider_premier_paragraphe(bloc)
    for paragraphe in bloc.paragraphs:  # « lié au suivant » dans la cellule lierait le tableau au vide qui le suit
        paragraphe.paragraph_format.keep_with_next = False


def _ordre_du_jour_en_liste(document: DocumentWord) -> None:
    p(document, "{%p if reunion.points %}")
    p(document, "L'ordre du jour de cette réunion sera le suivant\u00a0:", style="Corps de lettre")
    p(document, "{%p for point in reunion.points %}")
    p(
        document,
        ("{{ point.numero }}. {{ point.titre }}", "gras"),
        "{% if point.rapporteur %}, présenté par {{ point.rapporteur }}{% endif %}",
        style="Point de l'ordre du jour",
    )
    p(document, "{%p for orientation in point.orientations %}")
    p(
        document,
        "Orientation {{ orientation.code }} – {{ orientation.intitule }} "
        f"(enjeu {{{{ orientation.enjeu_numero }}}}{NB}: {{{{ orientation.enjeu_intitule }}}})",
        style="Orientation",
    )
    p(document, "{%p endfor %}")
    p(document, "{%p endfor %}")
    p(document, "", style="Normal")
    p(document, "{%p endif %}")


def _modification(document: DocumentWord) -> None:
    """Ce qui change, puis la réunion confirmée dans les mots qui vont à qui écrit à qui."""
    corps = "Corps de lettre"
    p(
        document,
        "J'ai l'honneur de vous informer que la réunion {{ reunion.de_instance }} de la Convention territoriale "
        f"globale {{{{ reunion.de_territoire }}}} est modifiée{NB}:",
        style=corps,
    )
    p(document, "{%p for changement in reunion.changements %}")
    p(document, "– {{ changement }}", style="Changement")
    p(document, "{%p endfor %}")
    p(document, "{%p if courrier.a_la_presidence %}")
    p(document, f"Cette réunion, que vous présiderez, se tiendra donc {QUAND}{LIEU}.", style=corps)
    p(document, "{%p elif courrier.par_coordinateur %}")
    p(document, f"Cette réunion se tiendra donc {QUAND}{LIEU}.", style=corps)
    p(document, "{%p else %}")
    p(document, f"Je vous confirme donc votre convocation à cette réunion, qui se tiendra {QUAND}{LIEU}.", style=corps)
    p(document, "{%p endif %}")


def _invitation(document: DocumentWord) -> None:
    """La première phrase : l'autorité convie ; le coordinateur invite un partenaire, informe un élu, et rappelle à
    la présidence la réunion qu'elle préside."""
    corps = "Corps de lettre"
    cadre = "Dans le cadre de la Convention territoriale globale (CTG) {{ reunion.de_territoire }}, "
    p(document, "{%p if courrier.a_la_presidence %}")
    p(
        document,
        f"{cadre}j'ai l'honneur de vous rappeler que la réunion {{{{ reunion.de_instance }}}}, que vous présiderez, "
        f"se tiendra {QUAND}{LIEU}.",
        style=corps,
    )
    p(document, f"{{%p elif {DEFERENCE} %}}")
    p(
        document,
        f"{cadre}j'ai l'honneur de vous informer que la réunion {{{{ reunion.de_instance }}}} se tiendra {QUAND}"
        f"{LIEU}. Votre présence y serait précieuse.",
        style=corps,
    )
    p(document, "{%p elif courrier.par_coordinateur %}")
    p(
        document,
        f"{cadre}j'ai le plaisir de vous inviter à la réunion {{{{ reunion.de_instance }}}}, qui se tiendra {QUAND}"
        f"{LIEU}.",
        style=corps,
    )
    p(document, "{%p else %}")
    p(
        document,
        f"{cadre}j'ai l'honneur de vous convier à la réunion {{{{ reunion.de_instance }}}}, qui se tiendra {QUAND}"
        f"{LIEU}.",
        style=corps,
    )
    p(document, "{%p endif %}")


def _reponse_attendue(document: DocumentWord) -> None:
    """Ce qu'on attend du destinataire : sa réponse, ou, pour la présidence, rien que de préparer la séance."""
    corps = "Corps de lettre"
    p(document, "{%p if courrier.a_la_presidence %}")
    p(
        document,
        "{% if courrier.par_coordinateur %}Je me tiens à votre disposition pour préparer cette séance avec vous"
        f"{{% else %}}{CONTACT} se tient à votre disposition pour préparer cette séance avec vous{{% endif %}}.",
        style=corps,
    )
    p(document, "{%p elif courrier.par_coordinateur %}")
    p(
        document,
        "Je vous remercie de bien vouloir me faire savoir si vous pourrez y participer ou, en cas d'empêchement, "
        f"le nom de la personne qui vous représentera, en répondant à l'invitation jointe ou {ME_CONTACTER}.",
        style=corps,
    )
    p(document, "{%p else %}")
    p(
        document,
        "Je vous remercie de bien vouloir confirmer votre présence ou, en cas d'empêchement, m'indiquer le nom "
        "de la personne qui vous représentera, en répondant à l'invitation jointe ou auprès de "
        f"{CONTACT}.",
        style=corps,
    )
    p(document, "{%p endif %}")


def convocation() -> DocumentWord:
    """La convocation ; avec `modification`, elle dit d'abord ce qui a changé."""
    document = nouveau_document("Convocation")
    _en_tete(document)
    _references_et_destinataire(document)
    _objet(
        document,
        "{% if modification %}modification de la réunion {{ reunion.de_instance }}{% elif courrier.a_la_presidence %}"
        "réunion {{ reunion.de_instance }}{% elif courrier.par_coordinateur %}invitation à la réunion "
        "{{ reunion.de_instance }}{% else %}convocation {{ reunion.a_instance }}{% endif %} du "
        "{{ reunion.debut|date_complete }}",
    )
    corps = "Corps de lettre"
    p(document, "{%p if modification %}")
    _modification(document)
    p(document, "{%p else %}")
    _invitation(document)
    p(document, "{%p endif %}")
    p(document, "{%p if reunion.visio %}")
    p(
        document,
        "{% if reunion.lieu %}Vous pourrez également y participer à distance, en visioconférence, par le lien "
        f"suivant{NB}:{{% else %}}Le lien de connexion à la visioconférence est le suivant{NB}:{{% endif %}}",
        style=corps,
    )
    p(document, "{{ reunion.visio }}", style="Lien")
    p(document, "{%p endif %}")
    _ordre_du_jour_en_liste(document)
    _reponse_attendue(document)
    _politesse_et_signature(document)
    return document


def annulation() -> DocumentWord:
    """Le courrier d'annulation, avec son motif."""
    document = nouveau_document("Annulation de réunion")
    _en_tete(document)
    _references_et_destinataire(document)
    _objet(document, "annulation de la réunion {{ reunion.de_instance }} du {{ reunion.debut|date_complete }}")
    corps = "Corps de lettre"
    p(
        document,
        "J'ai le regret de vous informer que la réunion {{ reunion.de_instance }} de la Convention territoriale "
        f"globale {{{{ reunion.de_territoire }}}}, prévue {QUAND}{{% if reunion.lieu %}}, {{{{ reunion.lieu }}}}"
        "{% endif %}, est annulée.",
        style=corps,
    )
    si(document, "reunion.motif_annulation", f"Motif{NB}: {{{{ reunion.motif_annulation }}}}", style=corps)
    p(
        document,
        "Je vous prie de bien vouloir excuser ce contretemps. Le cas échéant, {% if courrier.a_la_presidence %}une "
        "nouvelle date vous sera proposée{% else %}une nouvelle convocation vous sera adressée{% endif %}. "
        "Pour toute question, {% if courrier.par_coordinateur %}je reste à votre disposition ("
        "{{ coordinateur.email }}{% if coordinateur.telephone %}, {{ coordinateur.telephone }}{% endif %})"
        f"{{% else %}}vous pouvez contacter {CONTACT}{{% endif %}}.",
        style=corps,
    )
    _politesse_et_signature(document)
    return document


def _tableau_des_points(document: DocumentWord) -> None:
    # « Durée » et « 45 min » tiennent entiers même dans la police de repli qui remplace Calibri sans Carlito.
    largeurs = (Mm(12), Mm(96), Mm(40), Mm(18))
    tableau = document.add_table(rows=4, cols=4)
    tableau.style = document.styles["Table Grid"]
    tableau.alignment = WD_TABLE_ALIGNMENT.CENTER
    tableau.autofit = False  # des colonnes fixes, que LibreOffice lit dans la grille
    for colonne, largeur in zip(tableau._tbl.tblGrid.gridCol_lst, largeurs, strict=True):
        colonne.w = largeur
    for ligne in tableau.rows:
        for cellule, largeur in zip(ligne.cells, largeurs, strict=True):
            cellule.width = largeur
    entete = tableau.rows[0]
    entete._tr.get_or_add_trPr().append(element("w:tblHeader", {}))
    for cellule, titre in zip(entete.cells, ("N°", "Point", "Présenté par", "Durée"), strict=True):
        ombrer(cellule, "D9E2F3")
        cellule.paragraphs[0].style = document.styles["Cellule"]
        cellule.paragraphs[0].add_run(titre).bold = True
    tableau.cell(1, 0).paragraphs[0].add_run("{%tr for point in reunion.points %}")
    tableau.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")
    cellules = tableau.rows[2].cells
    remplir: list[tuple[_Cell, Callable[[_Cell], None]]] = [
        (cellules[0], lambda c: c.paragraphs[0].add_run("{{ point.numero }}")),
        (cellules[2], lambda c: c.paragraphs[0].add_run("{{ point.rapporteur }}")),
        (cellules[3], lambda c: c.paragraphs[0].add_run("{{ point.duree_minutes|duree }}")),
    ]
    for cellule, action in remplir:
        cellule.paragraphs[0].style = document.styles["Cellule"]
        action(cellule)
    titre = cellules[1]
    titre.paragraphs[0].style = document.styles["Cellule"]
    titre.paragraphs[0].add_run("{{ point.titre }}").bold = True
    p(titre, "{%p for orientation in point.orientations %}", style="Cellule")
    ligne = p(
        titre,
        "Orientation {{ orientation.code }} – {{ orientation.intitule }} "
        f"(enjeu {{{{ orientation.enjeu_numero }}}}{NB}: {{{{ orientation.enjeu_intitule }}}})",
        style="Cellule",
    )
    ligne.runs[0].italic = True
    ligne.runs[0].font.size = Pt(9)
    ligne.runs[0].font.color.rgb = GRIS
    p(titre, "{%p endfor %}", style="Cellule")


def ordre_du_jour() -> DocumentWord:
    """L'ordre du jour d'une réunion : un document pour tous les participants."""
    document = nouveau_document("Ordre du jour")
    _en_tete(document)
    p(document, "Ordre du jour", style="Titre du document")
    p(document, "{{ reunion.instance_intitule }}", style="Sous-titre du document")
    p(document, "Convention territoriale globale {{ reunion.de_territoire }}", style="Sous-titre du document")
    si(document, "reunion.titre_distinct", ("{{ reunion.titre }}", "italique"), style="Sous-titre du document")
    p(document, "", style="Normal")
    p(
        document,
        (f"Date{NB}:", "gras"),
        " {% if reunion.meme_jour %}{{ reunion.debut|date_complete }}, de {{ reunion.debut|heure }} à "
        "{{ reunion.fin|heure }}{% else %}du {{ reunion.debut|date_complete }} à {{ reunion.debut|heure }} au "
        "{{ reunion.fin|date_complete }} à {{ reunion.fin|heure }}{% endif %}",
        style="Informations pratiques",
    )
    si(document, "reunion.lieu", (f"Lieu{NB}:", "gras"), " {{ reunion.lieu }}", style="Informations pratiques")
    si(
        document,
        "reunion.visio",
        (f"Visioconférence{NB}:", "gras"),
        " {{ reunion.visio }}",
        style="Informations pratiques",
    )
    p(document, "", style="Normal")
    p(document, "{%p if reunion.points %}")
    _tableau_des_points(document)
    p(document, "{%p else %}")
    p(document, "L'ordre du jour sera communiqué ultérieurement.", style="Corps de lettre")
    p(document, "{%p endif %}")
    p(document, "", style="Normal")
    p(document, "{{ lieu_courrier }}, le {{ date_courrier|date_longue }}", style="Signature")
    p(document, "", style="Signature")
    si(document, "signataire.fonction", "{{ signataire.fonction }}", style="Signature")
    p(document, ("{{ signataire.nom }}", "gras"), style="Signature")
    pied = document.sections[0].footer.paragraphs[0]
    pied.style = document.styles["Pied de page"]
    pied.add_run("Ordre du jour – {{ reunion.instance_intitule }} – {{ reunion.debut|date_complete }}")
    return document


# --- Feuille d'émargement (A4 à l'italienne) ------------------------------------------------------------

#: Les colonnes (titre, largeur en mm) : 267 mm utiles entre les marges de 15 mm.
COLONNES_INVITES = (
    ("Nom", 36),
    ("Prénom", 28),
    ("Organisme", 44),
    ("Fonction", 44),
    ("Réponse donnée", 30),
    ("Représenté(e) par", 36),
    ("Signature", 49),
)
COLONNES_NON_INSCRITS = (("Nom", 40), ("Prénom", 32), ("Organisme", 68), ("Fonction", 68), ("Signature", 59))
#: Les lignes vides pour les personnes venues sans invitation : on en ajoute ou en retire dans Word.
LIGNES_NON_INSCRITS = 8
HAUTEUR_LIGNE_MM = 12  # de quoi signer


def _tableau_d_emargement(
    document: DocumentWord, colonnes: tuple[tuple[str, int], ...], lignes: int
) -> list[list[_Cell]]:
    """Un tableau quadrillé, colonnes fixes, lignes hautes insécables, en-tête répété à chaque page ; ses cellules."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE

    largeurs = [Mm(largeur) for _, largeur in colonnes]
    tableau = document.add_table(rows=1 + lignes, cols=len(colonnes))
    tableau.style = document.styles["Table Grid"]
    tableau.alignment = WD_TABLE_ALIGNMENT.CENTER
    tableau.autofit = False
    for colonne, largeur in zip(tableau._tbl.tblGrid.gridCol_lst, largeurs, strict=True):
        colonne.w = largeur
    for numero, ligne in enumerate(tableau.rows):
        ligne._tr.get_or_add_trPr().append(element("w:cantSplit", {}))
        if numero == 0:
            ligne._tr.get_or_add_trPr().append(element("w:tblHeader", {}))
        else:
            ligne.height, ligne.height_rule = Mm(HAUTEUR_LIGNE_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cellule, largeur in zip(ligne.cells, largeurs, strict=True):
            cellule.width = largeur
            cellule.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cellule.paragraphs[0].style = document.styles["Cellule"]
    for cellule, (titre, _) in zip(tableau.rows[0].cells, colonnes, strict=True):
        ombrer(cellule, "D9E2F3")
        cellule.paragraphs[0].add_run(titre).bold = True
    return [list(ligne.cells) for ligne in tableau.rows]


def emargement() -> DocumentWord:
    """La feuille d'émargement : une ligne à signer par invité, puis des lignes pour les non-inscrits."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from mise_en_page import BLEU, champ, paysage, style

    document = nouveau_document("Feuille d'émargement")
    paysage(document)
    style(document, "Intertitre", 11, avant=10, apres=4, gras=True, couleur=BLEU, lie=True)
    style(document, "Mention d'information", 7.5, apres=2, couleur=GRIS, alignement=WD_ALIGN_PARAGRAPH.JUSTIFY)
    cellule_timbre, titre = tableau_sans_bordure(document, (Mm(85), Mm(182)))
    timbre(cellule_timbre)
    p(titre, "Feuille d'émargement", style="Titre du document")
    p(titre, "{{ reunion.instance_intitule }}", style="Sous-titre du document")
    p(titre, "Convention territoriale globale {{ reunion.de_territoire }}", style="Sous-titre du document")
    si(titre, "reunion.titre_distinct", ("{{ reunion.titre }}", "italique"), style="Sous-titre du document")
    for cellule in (cellule_timbre, titre):
        vider_premier_paragraphe(cellule)
    p(document, "", style="Normal")
    p(
        document,
        (f"Date{NB}:", "gras"),
        " {% if reunion.meme_jour %}{{ reunion.debut|date_complete }}, de {{ reunion.debut|heure }} à "
        "{{ reunion.fin|heure }}{% else %}du {{ reunion.debut|date_complete }} à {{ reunion.debut|heure }} au "
        "{{ reunion.fin|date_complete }} à {{ reunion.fin|heure }}{% endif %}",
        style="Informations pratiques",
    )
    p(
        document,
        (f"Lieu{NB}:", "gras"),
        " {% if reunion.lieu %}{{ reunion.lieu }}{% if reunion.visio %} (également en visioconférence){% endif %}"
        "{% else %}en visioconférence{% endif %}",
        style="Informations pratiques",
    )
    p(document, "Personnes invitées", style="Intertitre")
    invites = _tableau_d_emargement(document, COLONNES_INVITES, 3)
    invites[1][0].paragraphs[0].add_run("{%tr for participant in participants %}")
    invites[3][0].paragraphs[0].add_run("{%tr endfor %}")
    cellules = invites[2]
    cellules[0].paragraphs[0].add_run("{{ participant.nom }}").bold = True
    variables = ("prenom", "organisme", "fonction", "reponse", "represente_par")
    for cellule, variable in zip(cellules[1:6], variables, strict=True):
        cellule.paragraphs[0].add_run(f"{{{{ participant.{variable} }}}}")
    p(document, "Personnes présentes non inscrites", style="Intertitre")
    _tableau_d_emargement(document, COLONNES_NON_INSCRITS, LIGNES_NON_INSCRITS)
    total = p(document, f"Nombre de personnes présentes{NB}: ………", style="Informations pratiques")
    total.paragraph_format.space_before = Pt(8)
    pied = document.sections[0].footer
    mention = pied.paragraphs[0]
    mention.style = document.styles["Mention d'information"]
    mention.add_run(
        "Les informations recueillies sur cette feuille servent uniquement à établir la liste des présents au "
        "compte rendu de la réunion ; elles sont conservées avec ce compte rendu par le responsable du "
        "traitement ({{ institution.nom }}). Conformément au règlement général sur la protection des données "
        f"(RGPD), vous pouvez exercer vos droits d'accès et de rectification auprès de {CONTACT}."
    )
    page = pied.add_paragraph(style="Pied de page")
    page.add_run("Feuille d'émargement – {{ reunion.instance_intitule }} – {{ reunion.debut|date_complete }} – Page ")
    champ(page, "PAGE")
    page.add_run(" sur ")
    champ(page, "NUMPAGES")
    return document


MODELES: dict[str, Callable[[], DocumentWord]] = {
    "convocation.docx": convocation,
    "ordre_du_jour.docx": ordre_du_jour,
    "annulation.docx": annulation,
    "emargement.docx": emargement,
    "compte_rendu.docx": compte_rendu,
    "compte_rendu_officiel.docx": compte_rendu_officiel,
    "bilan_annuel.docx": bilan_annuel,
}


def fabriquer(dossier: Path = DOSSIER) -> list[Path]:
    """Écrit les modèles dans `dossier` et renvoie leurs chemins."""
    chemins = []
    for nom, fabrique in MODELES.items():
        document = fabrique()
        chemin = dossier / nom
        document.save(str(chemin))
        chemins.append(chemin)
    return chemins


if __name__ == "__main__":
    for chemin in fabriquer(Path(sys.argv[1]) if len(sys.argv) > 1 else DOSSIER):
        print(chemin)
