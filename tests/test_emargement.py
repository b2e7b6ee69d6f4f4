"""La feuille d'émargement : ce qu'un agent de mairie imprime et fait signer à l'entrée d'une réunion."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from gouvernance.comptes_rendus.emargement import (
    EMARGEMENT,
    construire_emargement,
    contexte_emargement,
    reponse_donnee,
)
from gouvernance.comptes_rendus.vue import CompteRenduVue, ParticipantVue
from gouvernance.documents.pdf import convertir_en_pdf, libreoffice_disponible
from gouvernance.documents.rendu import MODELES_D_ORIGINE
from gouvernance.documents.securite import environnement
from gouvernance.reunions.vue import PersonneVue
from modeles import ReponseInvitation
from tests.conftest import manque
from tests.test_documents import creer_vue, personne, texte_docx

NOTICE = "Les informations recueillies sur cette feuille servent uniquement à établir la liste des présents"
INVITES = (
    personne(email="zoe.zola@caf31.example", prenom="Zoé", nom="Zola", role="membre"),
    personne(
        email="eloise.eluard@mairie-lunion.example",
        prenom="Éloïse",
        nom="Éluard",
        organisme="Mairie de L'Union",
        fonction="Adjointe à la petite enfance",
    ),
    personne(email="paul.dupont@example.org", prenom="Paul", nom="dupont", organisme=None, fonction=None),
)


def participant(invite: PersonneVue, reponse: str = "ACCEPTED", **changements: object) -> ParticipantVue:
    """La ligne pré-remplie d'un invité, d'après sa fiche et sa réponse à l'invitation."""
    valeurs: dict[str, object] = {
        "email": invite.email,
        "nom_complet": invite.nom_complet,
        "organisme": invite.organisme,
        "fonction": invite.fonction,
        "role": invite.role,
        "reponse": reponse,
        "presence": "present",
    }
    valeurs.update(changements)
    return ParticipantVue(**valeurs)  # type: ignore[arg-type]


def creer_compte_rendu(
    invites: tuple[PersonneVue, ...] = INVITES, reponses: tuple[str, ...] = (), **changements: object
) -> CompteRenduVue:
    """Le compte rendu du COPIL du 8 décembre 2026, un participant par invité (« a accepté » par défaut)."""
    reunion = creer_vue(invites=invites)
    valeurs: dict[str, object] = {
        "reunion": reunion,
        "identifiant": f"urn:ctg-gouvernance:reunion:{reunion.uid}",
        "version": 1,
        "participants": tuple(
            participant(invite, reponses[i] if i < len(reponses) else "ACCEPTED") for i, invite in enumerate(invites)
        ),
        "secretaire": None,
        "precedent": None,
        "decisions": (),
        "actions": (),
        "actions_ouvertes": (),
        "prochaine_reunion": None,
        "date_document": date(2026, 12, 1),
    }
    valeurs.update(changements)
    return CompteRenduVue(**valeurs)  # type: ignore[arg-type]


def emargement(vue: CompteRenduVue | None = None) -> bytes:
    return construire_emargement(vue or creer_compte_rendu(), modeles=MODELES_D_ORIGINE)


def tableaux(contenu: bytes) -> list[list[list[str]]]:
    """Les tableaux quadrillés du document (sans le bloc de titre), en lignes de textes de cellules."""
    document = docx.Document(io.BytesIO(contenu))
    return [[[cellule.text for cellule in ligne.cells] for ligne in tableau.rows] for tableau in document.tables[1:]]


def test_chaque_invite_a_sa_ligne_avec_son_organisme_sa_fonction_et_sa_reponse() -> None:
    vue = creer_compte_rendu(reponses=("DECLINED", "ACCEPTED", "NEEDS-ACTION"))
    invites, _ = tableaux(emargement(vue))
    assert invites[0] == ["Nom", "Prénom", "Organisme", "Fonction", "Réponse donnée", "Représenté(e) par", "Signature"]
    assert ["Éluard", "Éloïse", "Mairie de L'Union", "Adjointe à la petite enfance", "a accepté", "", ""] in invites
    zola = ["Zola", "Zoé", "Caf de la Haute-Garonne", "Directrice de l'action sociale", "s'est excusé(e)", "", ""]
    assert zola in invites
    assert ["dupont", "Paul", "", "", "sans réponse", "", ""] in invites
    assert len(invites) == 1 + len(INVITES)


def test_les_invites_sont_tries_par_nom_sans_tenir_compte_des_accents_ni_des_majuscules() -> None:
    invites, _ = tableaux(emargement())
    assert [ligne[0] for ligne in invites[1:]] == ["dupont", "Éluard", "Zola"]


def test_des_lignes_vides_attendent_les_personnes_presentes_non_inscrites() -> None:
    texte = texte_docx(emargement())
    _, non_inscrits = tableaux(emargement())
    assert "Personnes présentes non inscrites" in texte
    assert non_inscrits[0] == ["Nom", "Prénom", "Organisme", "Fonction", "Signature"]
    assert len(non_inscrits) > 5 and all(cellule == "" for ligne in non_inscrits[1:] for cellule in ligne)


@pytest.mark.parametrize(
    ("partstat", "libelle"),
    [
        ("ACCEPTED", "a accepté"),
        ("DECLINED", "s'est excusé(e)"),
        ("NEEDS-ACTION", "sans réponse"),
        ("TENTATIVE", "peut-être"),
        ("tentative", "peut-être"),
        ("DELEGATED", "se fait représenter"),
        ("INCONNU", "sans réponse"),
    ],
)
def test_la_reponse_donnee_est_ecrite_en_francais(partstat: str, libelle: str) -> None:
    assert reponse_donnee(participant(INVITES[0], partstat)) == libelle


def test_une_delegation_nomme_le_representant_dans_la_colonne_represente_par() -> None:
    delegue = participant(INVITES[0], "DELEGATED", represente_par="Luc Adjoint")
    vue = creer_compte_rendu(participants=(delegue, participant(INVITES[1])))
    invites, _ = tableaux(emargement(vue))
    colonne = invites[0].index("Représenté(e) par")
    zola = next(ligne for ligne in invites if ligne[0] == "Zola")
    assert (zola[colonne - 1], zola[colonne], zola[colonne + 1]) == ("se fait représenter", "Luc Adjoint", "")
    eluard = next(ligne for ligne in invites if ligne[0] == "Éluard")
    assert eluard[colonne] == ""  # à remplir à la main, le jour de la réunion
    assert set(ReponseInvitation) == {"ACCEPTED", "DECLINED", "NEEDS-ACTION", "TENTATIVE", "DELEGATED"}


def test_un_participant_sans_fiche_d_invite_est_coupe_en_prenom_et_nom() -> None:
    vue = creer_compte_rendu(
        participants=(participant(INVITES[0], email="autre@example.org", nom_complet="Jean-Luc de La Tour"),)
    )
    invites, _ = tableaux(emargement(vue))
    assert invites[1][:2] == ["de La Tour", "Jean-Luc"]


def test_les_donnees_sont_imprimees_telles_quelles_sans_etre_interpretees() -> None:
    sarl = personne(
        email="contact@dupont.example", prenom="{{ 7 * 7 }}", nom="Dupont", organisme="Dupont & Fils <SARL>"
    )
    invites, _ = tableaux(emargement(creer_compte_rendu(invites=(sarl,))))
    assert invites[1][:3] == ["Dupont", "{{ 7 * 7 }}", "Dupont & Fils <SARL>"]


def test_l_en_tete_presente_la_reunion_et_aucune_balise_ne_reste() -> None:
    texte = texte_docx(emargement())
    assert "Feuille d'émargement" in texte
    assert "Mairie de L'Union" in texte and "Comité de pilotage de suivi" in texte
    assert "Convention territoriale globale de L'Union" in texte and "Bilan annuel de la CTG" in texte
    assert "mardi 8 décembre 2026, de 18\u00a0h\u00a000 à 20\u00a0h\u00a000" in texte
    assert "salle du conseil municipal, mairie de L'Union (également en visioconférence)" in texte
    assert "{{" not in texte and "{%" not in texte


def test_la_mention_rgpd_et_la_numerotation_des_pages_sont_en_pied_de_page() -> None:
    document = docx.Document(io.BytesIO(emargement()))
    pied = document.sections[0].footer._element
    texte = "".join(t.text or "" for t in pied.iter(qn("w:t")))
    assert NOTICE in texte
    assert "responsable du traitement (Mairie de L'Union)" in texte
    assert "droits d'accès et de rectification auprès de Claire Fictive, chargée de coopération CTG" in texte
    assert [(i.text or "").strip() for i in pied.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert "Page 1 sur 1" in texte  # la valeur affichée avant que Word ou LibreOffice ne recalcule


def test_la_ligne_d_en_tete_des_tableaux_est_repetee_a_chaque_page_et_les_lignes_ne_se_coupent_pas() -> None:
    document = docx.Document(io.BytesIO(emargement()))
    for tableau in document.tables[1:]:
        en_tetes = [bool(ligne.xpath("./w:trPr/w:tblHeader")) for ligne in tableau._tbl.tr_lst]
        assert en_tetes == [True] + [False] * (len(en_tetes) - 1)
        assert all(ligne.xpath("./w:trPr/w:cantSplit") for ligne in tableau._tbl.tr_lst)


def test_la_feuille_est_un_a4_a_l_italienne_et_le_modele_n_utilise_que_des_variables_connues() -> None:
    section = docx.Document(str(MODELES_D_ORIGINE / EMARGEMENT)).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    connues = set(contexte_emargement(creer_compte_rendu()))
    assert DocxTemplate(MODELES_D_ORIGINE / EMARGEMENT).get_undeclared_template_variables(environnement()) <= connues


def test_soixante_invites_tiennent_sur_plusieurs_pages_numerotees_du_pdf(tmp_path: Path) -> None:
    if not libreoffice_disponible():
        manque("LibreOffice", "ni soffice ni libreoffice dans le PATH (paquet libreoffice-writer-nogui)")
    if shutil.which("pdftotext") is None:
        manque("pdftotext", "paquet poppler-utils absent")
    invites = tuple(
        personne(email=f"invite{numero:02d}@example.org", prenom="Camille", nom=f"Invité{numero:02d}")
        for numero in range(60)
    )
    chemin = tmp_path / "emargement.docx"
    chemin.write_bytes(emargement(creer_compte_rendu(invites=invites)))
    (pdf,) = convertir_en_pdf([chemin], tmp_path / "pdf")
    sortie = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = sortie.split("\f")[:-1]
    texte = " ".join(sortie.split())
    assert len(pages) > 1
    assert f"Page 1 sur {len(pages)}" in texte and f"Page {len(pages)} sur {len(pages)}" in texte
    assert all("Signature" in page and " ".join(NOTICE.split()) in " ".join(page.split()) for page in pages)
    assert all(f"Invité{numero:02d}" in texte for numero in range(60))
