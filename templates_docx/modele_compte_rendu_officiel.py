"""La fabrique du modèle Word du compte rendu validé (templates_docx/compte_rendu_officiel.docx).

La version officielle, écrite d'après ce que l'import a relevé : pas de ligne vide à remplir, pas de signet
ni de référence d'action, les orientations en entier sous chaque décision et chaque action ; une rubrique
sans contenu n'apparaît pas.
"""

from __future__ import annotations

from docx.document import Document as DocumentWord
from docx.shared import Pt
from docx.table import Table

from gouvernance.comptes_rendus.docx_ancres import PARTICIPANTS, SECRETAIRE
from templates_docx.mise_en_page import GRIS, NB, nouveau_document, p, si, style
from templates_docx.modele_compte_rendu import en_tete, pied_de_page, styles_du_compte_rendu, tableau

DECISIONS = (("N°", 12), ("Décision", 154))
ACTIONS = (("Action", 96), ("Responsable", 40), ("Échéance", 30))
# « abandonnée » tient entier dans la colonne du statut, même dans la police de repli qui remplace Calibri sans
# Carlito (tests/test_documents_polices.py).
ACTIONS_SUIVIES = (("Action", 57), ("Responsable", 30), ("Échéance", 26), ("Décidée au", 26), ("Statut", 27))


def _orientations_sous(tableau_: Table, colonne: int, variable: str) -> None:
    """Sous le texte de la cellule modèle, une ligne par orientation de `variable` (« Orientation 3.3 – … »)."""
    cellule = tableau_.cell(2, colonne)
    cellule.add_paragraph("{%p for orientation in " + variable + ".orientations %}", style="Cellule")
    cellule.add_paragraph("{{ orientation }}", style="Orientation en cellule")
    cellule.add_paragraph("{%p endfor %}", style="Cellule")


def _participants(document: DocumentWord) -> None:
    p(document, "Participants", style="Rubrique")
    modele = ["{{ personne.nom }}", "{{ personne.organisme }}", "{{ personne.fonction }}", "{{ personne.presence }}"]
    tableau(document, PARTICIPANTS, "for personne in compte_rendu.participants", [modele])
    secretaire = p(
        document, (f"{SECRETAIRE}{NB}:", "gras"), " {{ compte_rendu.secretaire }}", style="Informations pratiques"
    )
    secretaire.paragraph_format.space_before = Pt(8)
    p(document, "{%p if compte_rendu.precedent %}")
    p(document, "Approbation du compte rendu précédent", style="Rubrique")
    p(
        document,
        "Le compte rendu de la {{ compte_rendu.precedent }} a été soumis à l'approbation des membres.",
        style="Échanges",
    )
    p(document, "{%p endif %}")


def _points(document: DocumentWord) -> None:
    p(document, "{%p if compte_rendu.points %}")
    p(document, "Points de l'ordre du jour", style="Rubrique")
    p(document, "{%p for point in compte_rendu.points %}")
    p(document, "{{ point.numero }}. {{ point.titre }}", style="Point du compte rendu")
    si(document, "point.rapporteur", "Présenté par {{ point.rapporteur }}", style="Détail du point")
    p(document, "{%p for orientation in point.orientations %}")
    p(document, "{{ orientation }}", style="Détail du point")
    p(document, "{%p endfor %}")
    p(document, "{%p for paragraphe in point.echanges %}")
    p(document, "{{ paragraphe }}", style="Échanges")
    p(document, "{%p endfor %}")
    p(document, "{%p endfor %}")
    p(document, "{%p endif %}")


def _releves(document: DocumentWord) -> None:
    p(document, "{%p if compte_rendu.decisions %}")
    p(document, "Relevé des décisions", style="Rubrique")
    ligne = ["{{ decision.numero }}", "{{ decision.texte }}"]
    decisions = tableau(document, DECISIONS, "for decision in compte_rendu.decisions", [ligne])
    _orientations_sous(decisions, 1, "decision")
    p(document, "{%p endif %}")
    p(document, "{%p if compte_rendu.actions %}")
    p(document, "Relevé des actions", style="Rubrique")
    ligne = ["{{ action.libelle }}", "{{ action.responsable }}", "{{ action.echeance }}"]
    actions = tableau(document, ACTIONS, "for action in compte_rendu.actions", [ligne])
    _orientations_sous(actions, 0, "action")
    p(document, "{%p endif %}")
    p(document, "{%p if compte_rendu.actions_ouvertes %}")
    p(document, "Suivi des actions des réunions précédentes", style="Rubrique")
    ligne = [*ligne, "{{ action.origine }}", "{{ action.statut }}"]
    suivies = tableau(document, ACTIONS_SUIVIES, "for action in compte_rendu.actions_ouvertes", [ligne])
    _orientations_sous(suivies, 0, "action")
    p(document, "{%p endif %}")


def compte_rendu_officiel() -> DocumentWord:
    """Le compte rendu validé : participants, points et échanges, décisions, actions, suivi, signature."""
    document = nouveau_document("Compte rendu")
    styles_du_compte_rendu(document)
    style(document, "Orientation en cellule", 8.5, avant=0, apres=1, italique=True, couleur=GRIS)
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
