"""Pour `ctg demo` seulement : ce que fait un secrétaire de séance dans le projet Word du compte rendu.

Il corrige les présences, écrit son nom de secrétaire de séance, tape les décisions et les actions dans les
lignes vides des tableaux, ajoute une ligne et écrit les échanges du point du bilan ; puis il enregistre le
fichier. Le vrai secrétaire le fait dans Word ou LibreOffice : ce module n'est qu'une main qui tape à sa place.
"""

from __future__ import annotations

import io
import re
from datetime import date

import docx
from docx.table import Table

from gouvernance.comptes_rendus.docx_ancres import ACTIONS, DECISIONS, PARTICIPANTS


def _tableau(document: docx.document.Document, colonnes: tuple[tuple[str, int], ...]) -> Table:
    entete = tuple(titre for titre, _ in colonnes)
    return next(t for t in document.tables if tuple(c.text.strip() for c in t.rows[0].cells) == entete)


def _ecrire(table: Table, ligne: int, textes: dict[int, str]) -> None:
    while len(table.rows) <= ligne:
        table.add_row()  # type: ignore[no-untyped-call]
    for colonne, texte in textes.items():
        table.rows[ligne].cells[colonne].paragraphs[0].text = texte


def completer_compte_rendu(contenu: bytes, *, annee: int) -> bytes:
    """Le projet de compte rendu tel que le rend un secrétaire, prêt à être importé."""
    document = docx.Document(io.BytesIO(contenu))
    participants = _tableau(document, PARTICIPANTS)
    for ligne in range(1, len(participants.rows)):  # le pré-rempli d'après les réponses est gardé
        cellules = participants.rows[ligne].cells
        if cellules[0].text.strip() and cellules[3].text.strip() == "non renseigné":
            _ecrire(participants, ligne, {3: "présent(e)"})
    decisions = _tableau(document, DECISIONS)
    _ecrire(decisions, 1, {0: "1", 1: "Le bilan des actions petite enfance est approuvé.", 2: "3.3"})
    _ecrire(decisions, 2, {0: "2", 1: "Le calendrier 2027 des ateliers parentalité est adopté.", 2: "orientation 5.3"})
    actions = _tableau(document, ACTIONS)
    _ecrire(
        actions,
        1,
        {1: "Recenser les places d'accueil du jeune enfant", 2: "Luc Maquette", 3: f"31/03/{annee}", 4: "3.3"},
    )
    _ecrire(
        actions,
        2,
        {1: "Publier le programme des ateliers parentalité", 2: "CCAS", 3: f"15 février {annee}", 4: "5.3, 5.4"},
    )
    secretaire = next(p for p in document.paragraphs if p.text.startswith("Secrétaire de séance"))
    secretaire.runs[-1].text = " Nadia Prototype"
    bilan = next(rang for rang, p in enumerate(document.paragraphs) if re.match(r"\d+\. Bilan", p.text))
    echanges = next(
        rang
        for rang, p in enumerate(document.paragraphs)
        if rang > bilan and p.text.replace("\u00a0", " ").startswith("Échanges :")
    )
    document.paragraphs[echanges + 1].text = (
        "Le service petite enfance présente le bilan de l'année : 48 places d'accueil ouvertes, deux projets "
        "de crèche à l'étude. Les partenaires saluent le travail accompli."
    )
    tampon = io.BytesIO()
    document.save(tampon)
    return tampon.getvalue()


def annee_suivante() -> int:
    return date.today().year + 1
