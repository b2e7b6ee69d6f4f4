"""Un modèle Word modifié ne peut ni exécuter de code ni laisser passer une balise ; les données restent des données."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from gouvernance.documents.contexte import contexte
from gouvernance.documents.erreurs import ModeleInvalide
from gouvernance.documents.rendu import rendre_docx
from gouvernance.fichiers import ecrire_atomiquement
from tests.test_documents import LE_1ER_DECEMBRE, convocation, creer_vue, personne


def test_les_donnees_s_impriment_telles_quelles_sans_etre_interpretees() -> None:
    titre = "Budget {{ 7*7 }} {% if true %}oui{% endif %} ]]> </w:t></w:r></w:p><w:p><w:r><w:t>INJECTÉ"
    reunion = creer_vue(titre=titre, lieu="Salle 2 & <Annexe>")
    texte = convocation(reunion, personne(organisme="Dupont & Fils <SARL>", fonction="Chef\x0bde\x0cprojet"))
    assert "\nDupont & Fils <SARL>\n" in texte
    assert f"\n{titre}\n" in texte
    assert "49" not in texte
    assert "salle 2 & <annexe>" in texte.lower()
    assert "\nChef de projet\n" in texte


@pytest.mark.parametrize(
    "charge",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('touch {sentinelle}').read() }}",
        "{{ 'A' * 10**10 }}",
    ],
)
@pytest.mark.parametrize("emplacement", ["corps", "pied de page", "propriétés"])
def test_un_modele_malveillant_est_refuse_sans_rien_executer_ni_ecrire(
    tmp_path: Path, charge: str, emplacement: str
) -> None:
    sentinelle = tmp_path / "PIRATE"
    charge = charge.replace("{sentinelle}", str(sentinelle))
    document = docx.Document()
    document.add_paragraph("Bonjour {{ destinataire.appel }}")
    if emplacement == "corps":
        document.add_paragraph(charge)
    elif emplacement == "pied de page":
        document.sections[0].footer.paragraphs[0].add_run(charge)
    else:
        document.core_properties.title = charge
    modele = tmp_path / "convocation.docx"
    document.save(str(modele))
    sortie = tmp_path / "sortie.docx"
    with pytest.raises(ModeleInvalide) as erreur:
        ecrire_atomiquement(
            sortie, rendre_docx(modele, contexte(creer_vue(), personne(), date_courrier=LE_1ER_DECEMBRE))
        )
    assert "Le modèle Word « convocation.docx » tente une opération interdite" in str(erreur.value)
    assert "templates_docx" in str(erreur.value)
    assert not sentinelle.exists()
    assert not sortie.exists()


def modele_avec(tmp_path: Path, *paragraphes: str) -> Path:
    document = docx.Document()
    for texte in paragraphes:
        document.add_paragraph(texte)
    chemin = tmp_path / "ordre_du_jour.docx"
    document.save(str(chemin))
    return chemin


def rendu(modele: Path) -> bytes:
    return rendre_docx(modele, contexte(creer_vue(), personne(), date_courrier=LE_1ER_DECEMBRE))


@pytest.mark.parametrize(
    ("paragraphes", "message"),
    [
        (["{_{ reunion.titre }_}"], "contient une balise non remplie dans le corps du document : « {{ reunion.titre"),
        (["{% if reunion.lieu %}", "sans fin"], "contient une balise incorrecte"),
        (["{{ reunion.salle }}"], "utilise une donnée inconnue, « salle »"),
        (["{{ reunion.titre | }}"], "contient une balise incorrecte"),
    ],
)
def test_un_modele_mal_modifie_est_refuse_avec_un_message_qui_dit_ou_et_comment_reparer(
    tmp_path: Path, paragraphes: list[str], message: str
) -> None:
    with pytest.raises(ModeleInvalide) as erreur:
        rendu(modele_avec(tmp_path, *paragraphes))
    assert str(erreur.value).startswith("Le modèle Word « ordre_du_jour.docx »")
    assert message in str(erreur.value)
    assert "restaurez l'original depuis le dossier templates_docx/" in str(erreur.value)


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (None, "est introuvable dans"),
        (b"", "est illisible ou endommagé"),
        (b"PK\x03\x04 ceci n'est pas un docx", "est illisible ou endommagé"),
        ("document Word 97".encode("cp1252"), "enregistrez-le au format « Document Word (.docx) »"),
    ],
)
def test_un_modele_absent_ou_endommage_donne_une_erreur_qui_dit_comment_reparer(
    tmp_path: Path, contenu: bytes | None, message: str
) -> None:
    modele = tmp_path / "annulation.docx"
    if contenu is not None:
        modele.write_bytes(contenu)
    with pytest.raises(ModeleInvalide) as erreur:
        rendu(modele)
    assert "« annulation.docx »" in str(erreur.value)
    assert message in str(erreur.value)
    assert "templates_docx/" in str(erreur.value)


def test_un_modele_avec_une_dtd_est_refuse(tmp_path: Path) -> None:
    modele = modele_avec(tmp_path, "Bonjour")
    avec_dtd = tmp_path / "avec_dtd.docx"
    with zipfile.ZipFile(modele) as source, zipfile.ZipFile(avec_dtd, "w") as cible:
        for info in source.infolist():
            contenu = source.read(info)
            if info.filename == "word/document.xml":
                contenu = contenu.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
            cible.writestr(info, contenu)
    with pytest.raises(ModeleInvalide, match="DTD interdite"):
        rendu(avec_dtd)
