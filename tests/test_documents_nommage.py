"""Les noms des fichiers produits : valides sous Windows, et jamais hors du dossier prévu."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gouvernance.documents.erreurs import CheminRefuse
from gouvernance.documents.nommage import LONGUEUR_MAX, chemin_sous, nom_de_fichier, nom_document
from tests.test_documents import creer_vue, personne

INTERDITS_WINDOWS = set('<>:"/\\|?*')


def test_le_nom_d_une_convocation_dit_le_document_l_instance_le_jour_et_le_destinataire() -> None:
    destinataire = personne(nom="Martin", prenom="Jeanne")
    assert nom_document("convocation", creer_vue(), destinataire) == "convocation-COPIL-2026-12-08-martin-jeanne.docx"
    assert nom_document("ordre du jour", creer_vue(), extension="pdf") == "ordre-du-jour-COPIL-2026-12-08.pdf"


def test_le_jour_du_nom_est_celui_de_paris() -> None:
    debut = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert nom_document("annulation", creer_vue(debut=debut, fin=debut)) == "annulation-COPIL-2027-01-01.docx"


def test_les_accents_et_ligatures_sont_translitteres() -> None:
    destinataire = personne(nom="Lefèvre-Cœur", prenom="Hélène Æsa")
    assert nom_document("convocation", creer_vue(), destinataire).endswith("-lefevre-coeur-helene-aesa.docx")


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("Réunion : budget/2025 ?", "Reunion-budget-2025"),
        ("../../etc/passwd", "etc-passwd"),
        ("a\\..\\b", "a-.-b"),
        ("CON", "_CON"),
        ("nul.docx", "_nul.docx"),
        ("COM¹", "_COM1"),
        ("LPT9.txt", "_LPT9.txt"),
        ("CONSEIL", "CONSEIL"),
        ("fin. ", "fin"),
        ("..", "document"),
        ("\x00\x1f\t", "document"),
        ('a<b>c:"d|e?f*g', "a-b-c-d-e-f-g"),
    ],
)
def test_un_nom_de_fichier_est_valide_sous_windows(nom: str, attendu: str) -> None:
    assert nom_de_fichier(nom) == attendu
    assert not INTERDITS_WINDOWS & set(attendu)
    assert not attendu.endswith((".", " "))


def test_un_nom_trop_long_est_raccourci_en_gardant_l_extension() -> None:
    nom = nom_de_fichier("é" * 300, extension="docx")
    assert len(nom) == LONGUEUR_MAX and nom.endswith("e.docx")
    assert nom_de_fichier("x", extension=".PDF") == "x.pdf"
    long = nom_de_fichier("ordre du jour " * 20 + ".docx")
    assert len(long) == LONGUEUR_MAX and long.endswith("-jo.docx")
    assert nom_de_fichier("2026-12-08-COPIL-reunion-5") == "2026-12-08-COPIL-reunion-5"


@pytest.mark.parametrize(
    "nom",
    [
        "../../etc/passwd",
        "../voisin.docx",
        "sous/../../dehors.docx",
        "/etc/passwd",
        "a:b",
        "C:\\Windows\\win.ini",
        "a\\..\\..\\b",
        "CON",
        "nul.docx",
        "fin.",
        "fin ",
        "",
        ".",
        "a\x00b",
    ],
)
def test_un_chemin_qui_sortirait_du_dossier_est_refuse(tmp_path: Path, nom: str) -> None:
    with pytest.raises(CheminRefuse, match="Nom de fichier refusé"):
        chemin_sous(tmp_path, nom)


def test_un_lien_symbolique_vers_l_exterieur_est_refuse(tmp_path: Path) -> None:
    dossier = tmp_path / "documents"
    dossier.mkdir()
    (dossier / "raccourci").symlink_to(tmp_path)
    with pytest.raises(CheminRefuse):
        chemin_sous(dossier, "raccourci/secret.docx")


def test_un_nom_ordinaire_reste_dans_le_dossier(tmp_path: Path) -> None:
    assert chemin_sous(tmp_path, "convocation-COPIL-2026-12-08-martin-jeanne.docx") == (
        tmp_path.resolve() / "convocation-COPIL-2026-12-08-martin-jeanne.docx"
    )
    assert chemin_sous(tmp_path, "2026/convocation.pdf") == tmp_path.resolve() / "2026" / "convocation.pdf"
