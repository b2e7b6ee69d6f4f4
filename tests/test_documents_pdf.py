"""Les PDF des courriers, produits par LibreOffice sans interface : un seul appel pour tout le module."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from gouvernance.documents.erreurs import ConversionImpossible
from gouvernance.documents.pdf import convertir_en_pdf, libreoffice_disponible
from gouvernance.documents.rendu import (
    MODELES_D_ORIGINE,
    construire_annulation,
    construire_convocation,
    construire_ordre_du_jour,
)
from gouvernance.fichiers import ecrire_atomiquement
from gouvernance.reunions.vue import InstitutionVue, OrientationVue, PointVue
from tests.conftest import manque
from tests.test_documents import LE_1ER_DECEMBRE, creer_vue, image_png, personne


def texte_pdf(chemin: Path) -> str:
    """Le texte du PDF par pdftotext s'il est là, sinon par une lecture simple des PDF de LibreOffice."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", str(chemin), "-"], capture_output=True, text=True, check=True).stdout
    donnees = chemin.read_bytes()
    objets = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", donnees, re.S)}

    def flux(numero: int) -> str:
        corps = objets[numero]
        brut = re.search(rb"stream\r?\n(.*?)\r?\nendstream", corps, re.S)
        assert brut is not None
        return (zlib.decompress(brut[1]) if b"/FlateDecode" in corps[: brut.start()] else brut[1]).decode("latin-1")

    polices: dict[str, dict[int, str]] = {}
    for nom, numero in re.findall(rb"/(F\d+)\s+(\d+) 0 R", donnees):
        if cmap := re.search(rb"/ToUnicode\s+(\d+) 0 R", objets.get(int(numero), b"")):
            table = polices.setdefault(nom.decode(), {})
            for bloc in re.findall(r"beginbfchar(.*?)endbfchar", flux(int(cmap[1])), re.S):
                for code, cible in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", bloc):
                    table[int(code, 16)] = bytes.fromhex(cible).decode("utf-16-be")
    morceaux: list[str] = []
    for corps in objets.values():
        if contenu := re.search(rb"/Type\s*/Page\b.*?/Contents\s+(\d+) 0 R", corps, re.S):
            police: dict[int, str] = {}
            operations = r"/(F\d+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|\b(T\*|Td|TD)\b"
            for operation in re.finditer(operations, flux(int(contenu[1])), re.S):
                if operation[1]:
                    police = polices.get(operation[1], {})
                elif operation[4]:
                    morceaux.append("\n")
                for hexa in re.findall(r"<([0-9A-Fa-f]*)>", operation[2] or f"<{operation[3] or ''}>"):
                    morceaux += [police.get(int(hexa[i : i + 2], 16), "?") for i in range(0, len(hexa), 2)]
    return "".join(morceaux)


def sans_blancs(texte: str) -> str:
    """Le texte sur une ligne : les coupures de ligne et les espaces insécables deviennent une espace."""
    return " ".join(texte.split())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    if not libreoffice_disponible():
        manque("LibreOffice", "ni soffice ni libreoffice dans le PATH (paquet libreoffice-writer-nogui)")
    dossier = tmp_path_factory.mktemp("courriers")
    logo = dossier / "logo.png"
    logo.write_bytes(image_png(40, 40))
    reunion = creer_vue(institution=InstitutionVue("Mairie de L'Union", "Place de l'Hôtel de ville", logo))
    courriers = {
        "convocation": construire_convocation(
            reunion, personne(), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE
        ),
        "modification": construire_convocation(
            replace(reunion, changements=("Nouveau lieu : salle Jean Jaurès.",)),
            personne(
                civilite="Monsieur", prenom="Paul", nom="Durand", fonction="Gérant", organisme="Dupont & Fils <SARL>"
            ),
            date_courrier=LE_1ER_DECEMBRE,
            modeles=MODELES_D_ORIGINE,
        ),
        "ordre_du_jour": construire_ordre_du_jour(reunion, date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE),
        "annulation": construire_annulation(
            replace(reunion, motif_annulation="salle indisponible"),
            personne(),
            date_courrier=LE_1ER_DECEMBRE,
            modeles=MODELES_D_ORIGINE,
        ),
    }
    documents = []
    for nom, contenu in courriers.items():
        documents.append(dossier / f"{nom}.docx")
        ecrire_atomiquement(documents[-1], contenu)
    pdf = convertir_en_pdf(documents, dossier / "pdf")
    yield {chemin.stem: chemin for chemin in pdf}


def carlito_installee() -> bool:
    """Vrai si fontconfig connaît Carlito (la police de Calibri, aux mêmes métriques, sous LibreOffice)."""
    if not shutil.which("fc-list"):
        return False
    return "Carlito" in subprocess.run(["fc-list", ":", "family"], check=False, capture_output=True, text=True).stdout


def test_les_courriers_se_convertissent_en_pdf_d_une_page_en_calibri(pdfs: dict[str, Path]) -> None:
    if not carlito_installee():  # sans elle, une police de remplacement change la mise en page
        manque("La police Carlito", "paquet Debian fonts-crosextra-carlito (make prerequis l'installe)")
    assert sorted(pdfs) == ["annulation", "convocation", "modification", "ordre_du_jour"]
    for chemin in pdfs.values():
        donnees = chemin.read_bytes()
        assert donnees.startswith(b"%PDF-") and len(donnees) > 1024
        assert len(re.findall(rb"/Type\s*/Page\b", donnees)) == 1, f"{chemin.name} tient sur une page"
        assert b"Carlito" in donnees  # Calibri, ou sa jumelle Carlito : pas de police de remplacement
    assert b"/Subtype/Image" in pdfs["convocation"].read_bytes()  # le logo
    assert sorted(p.name for p in pdfs["convocation"].parent.iterdir()) == [f"{n}.pdf" for n in sorted(pdfs)]


def test_le_pdf_de_la_convocation_dit_ce_que_dit_le_courrier_word(pdfs: dict[str, Path]) -> None:
    texte = sans_blancs(texte_pdf(pdfs["convocation"]))
    assert "L'Union, le 1er décembre 2026" in texte
    assert "Objet : convocation au Comité de pilotage de suivi du mardi 8 décembre 2026" in texte
    assert "qui se tiendra le mardi 8 décembre 2026 à 18 h 00, salle du conseil municipal" in texte
    assert "Orientation 3.3 – Développer l'accueil des adolescents (enjeu 3 : Jeunesse et citoyenneté)" in texte
    assert "Je vous prie d'agréer, Madame, l'expression de mes salutations distinguées." in texte
    assert "{{" not in texte and "{%" not in texte
    modification = sans_blancs(texte_pdf(pdfs["modification"]))
    assert "Dupont & Fils <SARL>" in modification
    assert "est modifiée : – Nouveau lieu : salle Jean Jaurès." in modification
    assert "Je vous prie d'agréer, Monsieur," in modification
    assert "Motif : salle indisponible" in sans_blancs(texte_pdf(pdfs["annulation"]))
    assert "Date : mardi 8 décembre 2026, de 18 h 00 à 20 h 00" in sans_blancs(texte_pdf(pdfs["ordre_du_jour"]))


def test_sans_libreoffice_la_conversion_dit_quoi_installer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not libreoffice_disponible()
    document = tmp_path / "a.docx"
    document.write_bytes(b"")
    with pytest.raises(ConversionImpossible, match="libreoffice-writer-nogui"):
        convertir_en_pdf([document], tmp_path)
    assert convertir_en_pdf([], tmp_path) == []


def test_une_conversion_trop_longue_est_interrompue_sans_laisser_de_pdf(tmp_path: Path) -> None:
    if not libreoffice_disponible():
        manque("LibreOffice", "ni soffice ni libreoffice dans le PATH (paquet libreoffice-writer-nogui)")
    document = tmp_path / "lent.docx"
    document.write_bytes(
        construire_ordre_du_jour(creer_vue(), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE)
    )
    with pytest.raises(ConversionImpossible, match="n'a pas terminé la conversion en PDF"):
        convertir_en_pdf([document], tmp_path / "sortie", delai=0.05)
    assert list((tmp_path / "sortie").iterdir()) == []
    with pytest.raises(ConversionImpossible, match="introuvables"):
        convertir_en_pdf([tmp_path / "absent.docx"], tmp_path)


def texte_des_pages(chemin: Path) -> list[str]:
    """Le texte de chaque page du PDF, par pdftotext (poppler-utils)."""
    if not shutil.which("pdftotext") or not shutil.which("pdfinfo"):
        manque("poppler-utils", "pdftotext et pdfinfo sont introuvables")
    infos = subprocess.run(["pdfinfo", str(chemin)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", infos, re.M)[1])  # type: ignore[index]
    return [
        sans_blancs(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(chemin), "-"], capture_output=True, text=True, check=True
            ).stdout
        )
        for n in range(1, pages + 1)
    ]


def test_la_signature_ne_se_retrouve_jamais_seule_sur_une_page(tmp_path: Path) -> None:
    """Des courriers de plus en plus longs font tomber la fin de la page à chaque ligne de la signature."""
    if not libreoffice_disponible():
        manque("LibreOffice", "ni soffice ni libreoffice dans le PATH (paquet libreoffice-writer-nogui)")
    orientation = OrientationVue(
        "3.1",
        "Assurer des espaces et environnements adaptés offrant une égalité et une qualité d'accueil sur toutes les "
        "structures d'accueil de l'enfant",
        3,
        "Le maintien d'une offre d'accueil de qualité pour chaque enfant, quel que soit son profil",
    )
    changement = "Nouveau lieu : salle des fêtes (au lieu de : salle du conseil municipal, mairie de L'Union)."
    documents = []
    for nombre, decalage in itertools.product(range(1, 6), range(3)):
        points = tuple(
            PointVue(
                rang,
                f"Point n°{rang}",
                "Service petite enfance" if rang % 2 else None,
                None,
                (orientation,) * ((rang + decalage) % 3),
            )
            for rang in range(1, nombre + 1)
        )
        vue = replace(creer_vue(points=points), changements=(changement,))
        chemin = tmp_path / f"modification-{nombre}-{decalage}.docx"
        contenu = construire_convocation(vue, personne(), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE)
        ecrire_atomiquement(chemin, contenu)
        documents.append(chemin)
    sur_deux_pages = 0
    for pdf in convertir_en_pdf(documents, tmp_path / "pdf"):
        pages = texte_des_pages(pdf)
        sur_deux_pages += len(pages) > 1
        for numero, page in enumerate(pages, start=1):
            if "Marc Péré" in page:
                assert "salutations distinguées" in page, f"{pdf.name}, page {numero} : la signature est seule"
    assert sur_deux_pages >= 5  # la série franchit bien la fin de la première page


def test_les_pdf_sont_des_pdf_a_balises_avec_leurs_metadonnees(pdfs: dict[str, Path]) -> None:
    """PDF/A-2b (archivage) et balisé en français (lecteurs d'écran), titre et auteur lisibles dans le lecteur."""
    for nom, chemin in pdfs.items():
        donnees = chemin.read_bytes()
        assert b"<pdfaid:part>2</pdfaid:part>" in donnees, f"{nom} : PDF/A-2"
        assert b"<pdfaid:conformance>B</pdfaid:conformance>" in donnees, f"{nom} : PDF/A-2b"
        assert b"/StructTreeRoot" in donnees and b"/Marked true" in donnees, f"{nom} : PDF balisé"
        assert b"/Lang(fr-FR)" in donnees, f"{nom} : langue du document"
        assert "<dc:creator><rdf:Seq><rdf:li>Mairie de L’Union</rdf:li>" in _xmp(donnees), f"{nom} : auteur"
    assert "Convocation du Comité de pilotage de suivi du mardi 8 décembre 2026" in _xmp(
        pdfs["convocation"].read_bytes()
    )
    assert "Annulation de la réunion du Comité de pilotage" in _xmp(pdfs["annulation"].read_bytes())
    assert "Ordre du jour du Comité de pilotage" in _xmp(pdfs["ordre_du_jour"].read_bytes())


def _xmp(donnees: bytes) -> str:
    """Les métadonnées XMP du PDF, sur une ligne (LibreOffice les écrit sans compression, comme le veut PDF/A)."""
    debut, fin = donnees.index(b"<x:xmpmeta"), donnees.index(b"</x:xmpmeta>")
    return re.sub(r">\s+<", "><", donnees[debut:fin].decode())
