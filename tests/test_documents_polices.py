"""Sans la police Carlito : les tableaux ne coupent aucun mot, et `ctg` dit une fois quel paquet installer.

On simule une machine sans Carlito par un réglage de fontconfig (FONTCONFIG_FILE) qui la refuse : fontconfig,
et LibreOffice avec lui, la remplacent alors par la police de repli de la machine (DejaVu Sans, plus large).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from PIL import ImageFont

from gouvernance.documents import polices
from gouvernance.documents.pdf import convertir_en_pdf, libreoffice_disponible
from gouvernance.documents.polices import (
    PoliceAbsente,
    PolicesAbsentes,
    expliquer,
    polices_absentes,
    polices_nommees,
    signaler_polices_absentes,
)
from gouvernance.documents.rendu import MODELES_D_ORIGINE, construire_ordre_du_jour
from gouvernance.fichiers import ecrire_atomiquement
from tests.conftest import manque
from tests.test_documents import LE_1ER_DECEMBRE, creer_vue
from tests.test_documents_pdf import texte_des_pages

SANS_CARLITO = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*Carlito*</glob><pattern><patelt name="family"><string>Carlito</string></patelt>
  </pattern></rejectfont></selectfont>
</fontconfig>
"""
#: Les valeurs les plus larges qu'une cellule reçoit sans espace où passer à la ligne.
EXEMPLES = {
    "{{ point.duree_minutes|duree }}": "45\u00a0min",
    "{{ action.echeance }}": "31/12/2027",
    "A-{{ action.numero }}": "A-99",
    "{{ action.reference }}": "A-99",
    "{{ action.statut }}": "abandonnée",
    "{{ ligne.taux }}": "100\u00a0%",
    "{{ reunion.instance }}": "SEMINAIRE",
}
TWIPS_PAR_MM = 1440 / 25.4
#: Les marges intérieures des cellules du style « Table Grid » de Word : 0,19 cm à gauche et à droite.
MARGES_PAR_DEFAUT_MM = 2 * 108 / TWIPS_PAR_MM


@pytest.fixture(scope="module")
def sans_carlito(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Un réglage de fontconfig qui cache Carlito ; à passer dans FONTCONFIG_FILE."""
    if not shutil.which("fc-match") or not shutil.which("fc-list"):
        manque("fontconfig", "fc-match et fc-list sont introuvables (paquet fontconfig)")
    chemin = tmp_path_factory.mktemp("fontconfig") / "sans-carlito.conf"
    chemin.write_text(SANS_CARLITO)
    return chemin


@pytest.fixture
def machine_sans_carlito(sans_carlito: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("FONTCONFIG_FILE", str(sans_carlito))
    polices.oublier_signalements()
    yield
    polices.oublier_signalements()


def fichier_de_police(motif: str) -> str:
    """Le fichier que fontconfig choisit pour `motif` (« Calibri:bold ») sur cette machine."""
    return subprocess.run(["fc-match", "-f", "%{file}", motif], capture_output=True, text=True, check=True).stdout


def _largeurs_mm(tableau: Table) -> list[float]:
    return [int(colonne.get(qn("w:w"))) / TWIPS_PAR_MM for colonne in tableau._tbl.tblGrid.iter(qn("w:gridCol"))]


def _a_un_en_tete(tableau: Table) -> bool:
    return tableau._tbl.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def _marges_mm(tableau: Table) -> float:
    marges = tableau._tbl.tblPr.find(qn("w:tblCellMar"))
    if marges is None:
        return MARGES_PAR_DEFAUT_MM
    return sum(int(marges.find(qn(f"w:{cote}")).get(qn("w:w"))) for cote in ("left", "right")) / TWIPS_PAR_MM


def test_les_en_tetes_et_les_dates_des_tableaux_tiennent_dans_leurs_colonnes_avec_la_police_de_repli(
    machine_sans_carlito: None,
) -> None:
    """« Durée », « Invitations », « 31/12/2027 » : chaque mot insécable tient dans sa colonne, marges comprises,
    mesuré avec la police qui remplace Calibri quand Carlito manque."""
    assert "carlito" not in fichier_de_police("Calibri").casefold()
    mesures = {
        gras: ImageFont.truetype(fichier_de_police("Calibri" + (":bold" if gras else "")), 100) for gras in (0, 1)
    }
    trop_larges = []
    for modele in sorted(MODELES_D_ORIGINE.glob("*.docx")):
        document = docx.Document(str(modele))
        taille = document.styles["Cellule"].font.size.pt
        for tableau in filter(_a_un_en_tete, document.tables):
            largeurs, marges = _largeurs_mm(tableau), _marges_mm(tableau)
            cellules = [(1, c.text) for c in tableau.rows[0].cells]
            cellules += [(0, EXEMPLES.get(c.text.strip(), "")) for ligne in tableau.rows[1:] for c in ligne.cells]
            for rang, (gras, texte) in enumerate(cellules):
                largeur = largeurs[rang % len(largeurs)]
                for mot in texte.split(" "):  # l'espace insécable ne coupe pas : « 45 min » est un seul mot
                    besoin = mesures[gras].getlength(mot) / 100 * taille * 25.4 / 72 + marges
                    if besoin > largeur:
                        trop_larges.append(f"{modele.name} : « {mot} » ({besoin:.1f} mm) dans {largeur:.0f} mm")
    assert trop_larges == [], "\n".join(trop_larges)


def test_les_modeles_ne_nomment_que_calibri_et_sans_carlito_l_avertissement_dit_le_paquet(
    machine_sans_carlito: None,
) -> None:
    assert {nom for modele in MODELES_D_ORIGINE.glob("*.docx") for nom in polices_nommees(modele)} == {"Calibri"}
    (absente,) = polices_absentes({"Calibri"})
    assert (absente.nommee, absente.jumelle, absente.paquet) == ("Calibri", "Carlito", "fonts-crosextra-carlito")
    modele = MODELES_D_ORIGINE / "ordre_du_jour.docx"
    with pytest.warns(PolicesAbsentes) as avertis:
        signaler_polices_absentes([modele])
    (message,) = [str(a.message) for a in avertis]
    assert message.startswith("Attention : les PDF sont composés sans la police Carlito (pour Calibri)")
    assert "Installez le paquet fonts-crosextra-carlito (sudo apt-get install fonts-crosextra-carlito)" in message
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert signaler_polices_absentes([modele, MODELES_D_ORIGINE / "convocation.docx"]) == []  # une fois
    inconnue = PoliceAbsente("Marianne", None, None)
    assert expliquer([inconnue]).endswith(
        "sans la police Marianne que nomment les modèles Word : une police de "
        "remplacement, plus large, change leur mise en page. Installez-la, puis "
        "refaites les documents."
    )


def test_avec_carlito_rien_n_est_signale() -> None:
    polices.oublier_signalements()
    if polices_absentes({"Calibri"}):
        manque("La police Carlito", "paquet Debian fonts-crosextra-carlito (make prerequis l'installe)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert signaler_polices_absentes([MODELES_D_ORIGINE / "ordre_du_jour.docx"]) == []
    polices.oublier_signalements()


def test_sans_carlito_l_ordre_du_jour_en_pdf_garde_ses_mots_entiers_et_ctg_avertit_une_fois(
    machine_sans_carlito: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """LibreOffice compose vraiment avec la police de repli ; la commande montre l'avertissement une seule fois."""
    if not libreoffice_disponible():
        manque("LibreOffice", "ni soffice ni libreoffice dans le PATH (paquet libreoffice-writer-nogui)")
    from flows.cli.contexte import montrer_avertissements

    documents = []
    for numero in (1, 2):
        documents.append(tmp_path / f"ordre-du-jour-{numero}.docx")
        contenu = construire_ordre_du_jour(creer_vue(), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE)
        ecrire_atomiquement(documents[-1], contenu)
    avant = warnings.showwarning
    try:
        montrer_avertissements()
        pdf = [convertir_en_pdf([chemin], tmp_path / "pdf")[0] for chemin in documents]
    finally:
        warnings.showwarning = avant
    sortie = capsys.readouterr().err
    assert sortie.count("fonts-crosextra-carlito") == 2  # le paquet, et la commande qui l'installe, une fois
    assert sortie.count("Attention") == 1 and "Traceback" not in sortie and ".py" not in sortie
    (page,) = texte_des_pages(pdf[0])
    assert re.search(r"N° Point Présenté par Durée 1 Bilan des actions de l'année", page), page
    assert "45 min" in page
    assert b"Carlito" not in pdf[0].read_bytes()  # c'est bien la police de repli qui compose
