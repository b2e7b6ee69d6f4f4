"""Le projet de compte rendu Word : ce qu'il contient, ce que le secrétaire y écrit et ce que le logiciel en
relit, après python-docx, LibreOffice (docx → docx et docx → odt → docx), ou face à un fichier refusé."""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import subprocess
import tempfile
import time
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table

from gouvernance.comptes_rendus import docx_ancres
from gouvernance.comptes_rendus.document import construire_compte_rendu
from gouvernance.comptes_rendus.docx_valeurs import lire_echeance, lire_orientations, lire_presence, lire_statut
from gouvernance.comptes_rendus.lecture_docx import lire_compte_rendu
from gouvernance.comptes_rendus.vue import ActionVue, CompteRenduLu, CompteRenduVue, DecisionVue, ParticipantVue
from gouvernance.documents.pdf import executable_libreoffice
from gouvernance.documents.rendu import MODELES_D_ORIGINE, construire_convocation
from gouvernance.erreurs import DonneesInvalides
from gouvernance.reunions.vue import OrientationVue, PointVue
from tests.conftest import manque
from tests.test_documents import A_18_H, LE_1ER_DECEMBRE, NB, ORIENTATION_33, creer_vue, personne, texte_docx

PARTICIPANTS, DECISIONS, ACTIONS, SUIVI = (
    tuple(titre for titre, _ in colonnes)
    for colonnes in (docx_ancres.PARTICIPANTS, docx_ancres.DECISIONS, docx_ancres.ACTIONS, docx_ancres.ACTIONS_OUVERTES)
)
IDENTIFIANT = "urn:ctg-gouvernance:reunion:reunion-COPIL-20261208@ctg.example.org"
ORIENTATION_51 = OrientationVue("5.1", "Accompagner les parents", 5, "Parentalité")
ACCEPTER = (
    "Révision › Accepter › Accepter toutes les modifications",
    "Édition › Suivi des modifications › Gérer… › Tout accepter",
)


def participant(**changements: object) -> ParticipantVue:
    valeurs: dict[str, object] = {
        "email": "jeanne.martin@caf31.example", "nom_complet": "Jeanne Martin", "organisme": "Caf de la Haute-Garonne",
        "fonction": "Directrice de l'action sociale", "role": "membre", "reponse": "DECLINED", "presence": "excuse",
    }  # fmt: skip
    return ParticipantVue(**(valeurs | changements))  # type: ignore[arg-type]


def action(**changements: object) -> ActionVue:
    valeurs: dict[str, object] = {
        "identifiant": 12, "libelle": "Rédiger la fiche action jeunesse", "responsable": "Claire Fictive",
        "echeance": date(2027, 3, 31), "orientations": (ORIENTATION_33, ORIENTATION_51), "statut": "a_faire",
    }  # fmt: skip
    return ActionVue(**(valeurs | changements))  # type: ignore[arg-type]


def creer_compte_rendu(**changements: object) -> CompteRenduVue:
    """Le compte rendu du COPIL de L'Union du mardi 8 décembre 2026, version 2."""
    valeurs: dict[str, object] = {
        "reunion": creer_vue(),
        "identifiant": IDENTIFIANT,
        "version": 2,
        "participants": (
            participant(nom_complet="Claire Fictive", organisme="Mairie de L'Union", presence="present"),
            participant(),
            participant(nom_complet="Paul Durand", organisme=None, presence="represente", represente_par="Luc Roux"),
        ),
        "secretaire": "Claire Fictive",
        "precedent": "réunion du 9 juin 2026",
        "decisions": (DecisionVue(1, "Le bilan 2026 est adopté.", (ORIENTATION_33,)),),
        "actions": (action(),),
        "actions_ouvertes": (
            action(identifiant=7, libelle="Recenser les places d'accueil", responsable="Caf", orientations=(),
                   echeance=date(2027, 1, 15), statut="en_cours", origine="COPIL du 9 juin 2026"),
        ),
        "prochaine_reunion": datetime(2027, 3, 9, 17, 0, tzinfo=UTC),
        "date_document": date(2026, 12, 10),
    }  # fmt: skip
    return CompteRenduVue(**(valeurs | changements))  # type: ignore[arg-type]


def generer(vue: CompteRenduVue | None = None) -> bytes:
    return construire_compte_rendu(vue or creer_compte_rendu(), modeles=MODELES_D_ORIGINE)


def lire(contenu: bytes, nom: str = "compte-rendu.docx") -> CompteRenduLu:
    return lire_compte_rendu(contenu, nom_fichier=nom)


# --- Le secrétaire complète le document avec Word (ici python-docx) ---------------------------------------


def tableau(document: docx.document.Document, entete: tuple[str, ...]) -> Table:
    return next(t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == entete)


def ecrire(table: Table, ligne: int, *textes: str | None) -> None:
    """Tape `textes` dans les cellules de la ligne (0 : l'en-tête) ; None laisse la cellule telle quelle."""
    for cellule, texte in zip(table.rows[ligne].cells, textes, strict=False):
        if texte is not None:
            cellule.paragraphs[0].text = texte


def retaper_en_gras(table: Table, colonne: int, texte: str) -> None:
    paragraphe = table.rows[0].cells[colonne].paragraphs[0]
    paragraphe.clear()
    paragraphe.add_run(texte).bold = True


def ajouter_ligne(table: Table, *textes: str) -> None:
    for cellule, texte in zip(table.add_row().cells, textes, strict=True):  # type: ignore[no-untyped-call]
        cellule.text = texte


def supprimer_ligne(table: Table, ligne: int) -> None:
    tr = table.rows[ligne]._tr
    tr.getparent().remove(tr)


def enregistrer(document: docx.document.Document) -> bytes:
    tampon = io.BytesIO()
    document.save(tampon)
    return tampon.getvalue()


def completer_comme_un_secretaire(contenu: bytes) -> bytes:
    """Présences corrigées, décisions et actions tapées dans les lignes vides ou ajoutées, échanges écrits."""
    document = docx.Document(io.BytesIO(contenu))
    participants = tableau(document, PARTICIPANTS)
    ecrire(participants, 1, None, None, None, "P")
    ecrire(participants, 2, None, None, None, "Présente")
    ecrire(participants, 3, None, None, None, "représenté par Mme Luce Roux")
    ecrire(participants, 4, "Hélène Invitée", "Centre social", "directrice", "présente en visio")
    supprimer_ligne(participants, 5)
    decisions = tableau(document, DECISIONS)
    ecrire(decisions, 2, None, "Le calendrier 2027 est adopté.", "orientation 5.1")
    supprimer_ligne(decisions, 3)
    ajouter_ligne(decisions, "3", "Une étude sur les adolescents est lancée.", "O3.3 ; 1.2")
    retaper_en_gras(decisions, 1, "Décisions prises")
    actions = tableau(document, ACTIONS)
    ecrire(actions, 1, None, None, None, "30 avril 2027")
    ecrire(actions, 2, None, "Organiser un forum des familles", "Centre social", "15/03/2027", "5.1")
    ajouter_ligne(actions, "", "Mettre à jour le diagnostic", "Caf", "30/06/27", "3.3, 5.1")
    retaper_en_gras(actions, 3, "ÉCHÉANCE")
    ouvertes = tableau(document, SUIVI)
    ecrire(ouvertes, 1, None, None, None, None, None, "Terminée")
    paragraphes = document.paragraphs
    echanges = [rang for rang, p in enumerate(paragraphes) if p.text == f"Échanges{NB}:"]
    paragraphes[echanges[0] + 1].text = "Claire Fictive présente le bilan « 2026 » : 12 actions sur 15 engagées."
    paragraphes[echanges[0] + 2].insert_paragraph_before("Les partenaires saluent le travail accompli.")
    paragraphes[echanges[1] + 2].insert_paragraph_before("Aucune question diverse.")
    return enregistrer(document)


ATTENDU = {
    "identifiant": IDENTIFIANT,
    "version": 2,
    "secretaire": "Claire Fictive",
    "presences": [
        ("Claire Fictive", "present", None),
        ("Jeanne Martin", "present", None),
        ("Paul Durand", "represente", "Mme Luce Roux"),
        ("Hélène Invitée", "present", None),
    ],
    "decisions": [
        (1, "Le bilan 2026 est adopté.", ("3.3",)),
        (None, "Le calendrier 2027 est adopté.", ("5.1",)),
        (3, "Une étude sur les adolescents est lancée.", ("3.3", "1.2")),
    ],
    "actions": [
        (12, "Rédiger la fiche action jeunesse", "Claire Fictive", date(2027, 4, 30), ("3.3", "5.1"), None),
        (None, "Organiser un forum des familles", "Centre social", date(2027, 3, 15), ("5.1",), None),
        (None, "Mettre à jour le diagnostic", "Caf", date(2027, 6, 30), ("3.3", "5.1"), None),
    ],
    "actions_ouvertes": [(7, "Recenser les places d'accueil", "Caf", date(2027, 1, 15), (), "fait")],
    "discussions": {
        1: "Claire Fictive présente le bilan « 2026 » : 12 actions sur 15 engagées.\n"
        "Les partenaires saluent le travail accompli.",
        2: "Aucune question diverse.",
    },
}


def resume(lu: CompteRenduLu) -> dict[str, object]:
    """Ce que le logiciel enregistre, sans les numéros de ligne."""
    actions = [
        [(a.identifiant, a.libelle, a.responsable, a.echeance, a.orientations, a.statut) for a in liste]
        for liste in (lu.actions, lu.actions_ouvertes)
    ]
    return {
        "identifiant": lu.identifiant,
        "version": lu.version,
        "secretaire": lu.secretaire,
        "presences": [(p.nom, p.presence, p.represente_par) for p in lu.presences],
        "decisions": [(d.numero, d.texte, d.orientations) for d in lu.decisions],
        "actions": actions[0],
        "actions_ouvertes": actions[1],
        "discussions": lu.discussions,
    }


@pytest.fixture(scope="module")
def complete() -> bytes:
    return completer_comme_un_secretaire(generer())


def convertir(fichiers: list[Path], format_: str, dossier: Path) -> None:
    """Un appel à LibreOffice pour tout le lot, avec son propre profil."""
    executable = executable_libreoffice()
    if executable is None:
        manque("LibreOffice", "soffice est introuvable dans le PATH")
    assert executable is not None
    with tempfile.TemporaryDirectory(prefix="ctg-test-lo-") as profil:
        commande = [executable, f"-env:UserInstallation={Path(profil).as_uri()}", "--headless", "--norestore"]
        commande += ["--convert-to", format_, "--outdir", str(dossier), *map(str, fichiers)]
        subprocess.run(commande, check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": profil})


@pytest.fixture(scope="module")
def apres_libreoffice(complete: bytes, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Le document complété, ouvert et enregistré par LibreOffice : en .docx, et en passant par .odt."""
    dossier = tmp_path_factory.mktemp("libreoffice")
    for nom in ("direct.docx", "via_odt.docx"):
        (dossier / nom).write_bytes(complete)
    convertir([dossier / "via_odt.docx"], "odt", dossier / "odt")
    convertir([dossier / "direct.docx", dossier / "odt" / "via_odt.odt"], "docx", dossier / "sortie")
    return {
        "docx → docx": (dossier / "sortie" / "direct.docx").read_bytes(),
        "docx → odt → docx": (dossier / "sortie" / "via_odt.docx").read_bytes(),
    }


def version(chemin: str, complete: bytes, request: pytest.FixtureRequest) -> bytes:
    return complete if chemin == "python-docx" else request.getfixturevalue("apres_libreoffice")[chemin]


CHEMINS = ["python-docx", "docx → docx", "docx → odt → docx"]


# --- Le document produit -------------------------------------------------------------------------------


def test_le_compte_rendu_a_l_en_tete_la_liste_des_participants_et_les_points_d_un_compte_rendu_de_mairie() -> None:
    texte = texte_docx(generer())
    assert texte.startswith("Mairie de L'Union\nPlace de l'Hôtel de ville\n31240 L'Union\nCompte rendu\n")
    assert "Comité de pilotage de suivi\nConvention territoriale globale de L'Union\nBilan annuel de la CTG" in texte
    assert f"Réunion du {A_18_H}" in texte
    assert f"Lieu{NB}: salle du conseil municipal, mairie de L'Union (également en visioconférence)" in texte
    assert f"Secrétaire de séance{NB}: Claire Fictive" in texte
    assert "Le compte rendu de la réunion du 9 juin 2026 est soumis à l'approbation des membres." in texte
    assert (
        "1. Bilan des actions de l'année\nPrésenté par Claire Fictive\nOrientation 3.3 – Développer l'accueil des "
        f"adolescents (enjeu 3{NB}: Jeunesse et citoyenneté)\n" in texte
    )
    assert f"2. Questions diverses\nÉchanges{NB}:\n" in texte
    assert f"Prochaine réunion{NB}: mardi 9 mars 2027 à 18{NB}h{NB}00" in texte
    assert "L'Union, le 10 décembre 2026\n\nMaire de L'Union\nMarc Péré" in texte
    document = docx.Document(io.BytesIO(generer()))
    lignes = [[c.text for c in ligne.cells] for ligne in tableau(document, PARTICIPANTS).rows]
    assert lignes[1:4] == [
        ["Claire Fictive", "Mairie de L'Union", "Directrice de l'action sociale", "présent(e)"],
        ["Jeanne Martin", "Caf de la Haute-Garonne", "Directrice de l'action sociale", "excusé(e)"],
        ["Paul Durand", "", "Directrice de l'action sociale", "représenté(e) par Luc Roux"],
    ]
    assert lignes[4:] == [["", "", "", ""]] * 2
    decisions = tableau(document, DECISIONS)
    assert [c.text for c in decisions.rows[1].cells] == ["1", "Le bilan 2026 est adopté.", "3.3"]
    assert len(decisions.rows) == 5
    actions = tableau(document, ACTIONS)
    assert [c.text for c in actions.rows[1].cells] == [
        "A-12", "Rédiger la fiche action jeunesse", "Claire Fictive", "31/03/2027", "3.3, 5.1"
    ]  # fmt: skip
    ouvertes = tableau(document, SUIVI)
    assert [c.text for c in ouvertes.rows[1].cells] == [
        "A-7", "Recenser les places d'accueil", "Caf", "15/01/2027", "COPIL du 9 juin 2026", "en cours"
    ]  # fmt: skip


def test_sans_compte_rendu_precedent_ni_actions_ouvertes_ni_prochaine_reunion_ces_rubriques_disparaissent() -> None:
    vue = creer_compte_rendu(precedent=None, actions_ouvertes=(), prochaine_reunion=None, secretaire=None)
    texte = texte_docx(generer(vue))
    for absent in ("Approbation", "Suivi des actions", "Prochaine réunion", "A-7"):
        assert absent not in texte
    assert f"Secrétaire de séance{NB}: …" in texte
    assert lire(generer(vue)).secretaire is None


def test_les_donnees_sont_imprimees_telles_quelles_sans_etre_interpretees() -> None:
    nom = "Dupont & Fils <SARL> {{ 7*7 }} </w:t></w:r></w:p><w:p><w:r><w:t>INJECTÉ"
    vue = creer_compte_rendu(participants=(participant(nom_complet=nom),), secretaire="{% raw %}")
    texte = texte_docx(generer(vue))
    assert f"\n{nom}\n" in texte and "49" not in texte
    assert f"Secrétaire de séance{NB}: {{% raw %}}" in texte
    assert lire(generer(vue)).presences[0].nom == nom


def test_l_identifiant_et_la_version_sont_dans_les_proprietes_du_fichier() -> None:
    contenu = generer()
    proprietes = docx.Document(io.BytesIO(contenu)).core_properties
    assert (proprietes.identifier, proprietes.version) == (IDENTIFIANT, "2")
    assert proprietes.subject == "Compte rendu – Comité de pilotage de suivi – réunion du 8 décembre 2026"
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        personnalisees = archive.read("docProps/custom.xml").decode()
        assert "/docProps/custom.xml" in archive.read("[Content_Types].xml").decode()
    for nom, valeur in [("ctg_identifiant", IDENTIFIANT), ("ctg_version", "2"), ("ctg_type", "compte_rendu")]:
        assert f'name="{nom}"><vt:lpwstr>{valeur}</vt:lpwstr>' in personnalisees


def test_le_modele_est_en_a4_et_n_utilise_que_des_variables_connues() -> None:
    from docxtpl import DocxTemplate

    from gouvernance.comptes_rendus.document import contexte_compte_rendu
    from gouvernance.documents.securite import environnement

    section = docx.Document(str(MODELES_D_ORIGINE / "compte_rendu.docx")).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    variables = DocxTemplate(MODELES_D_ORIGINE / "compte_rendu.docx").get_undeclared_template_variables(environnement())
    assert variables <= set(contexte_compte_rendu(creer_compte_rendu()))


# --- Relire ce que le secrétaire a écrit ---------------------------------------------------------------


def test_le_projet_non_modifie_se_relit_tel_qu_il_a_ete_produit() -> None:
    lu = lire(generer())
    assert (lu.identifiant, lu.version, lu.secretaire) == (IDENTIFIANT, 2, "Claire Fictive")
    assert [(p.ligne, p.nom, p.organisme, p.presence) for p in lu.presences] == [
        (1, "Claire Fictive", "Mairie de L'Union", "present"),
        (2, "Jeanne Martin", "Caf de la Haute-Garonne", "excuse"),
        (3, "Paul Durand", None, "represente"),
    ]
    assert lu.discussions == {1: "", 2: ""}
    assert [(a.identifiant, a.statut) for a in lu.actions_ouvertes] == [(7, "en_cours")]


@pytest.mark.parametrize("chemin", CHEMINS)
def test_les_saisies_du_secretaire_se_relisent_a_l_identique_apres_word_et_libreoffice(
    chemin: str, complete: bytes, request: pytest.FixtureRequest
) -> None:
    assert resume(lire(version(chemin, complete, request))) == ATTENDU


@pytest.mark.parametrize("chemin", CHEMINS[1:])
def test_les_signets_et_les_proprietes_personnalisees_survivent_a_libreoffice(
    chemin: str, complete: bytes, request: pytest.FixtureRequest
) -> None:
    contenu = version(chemin, complete, request)
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        corps = archive.read("word/document.xml").decode()
        personnalisees = archive.read("docProps/custom.xml").decode()
        principales = archive.read("docProps/core.xml").decode()
    signets = set(re.findall(r'w:name="(ctg_[a-z_0-9]+)"', corps))
    attendus = {"ctg_participants", "ctg_decisions", "ctg_actions", "ctg_actions_ouvertes", "ctg_point_1"}
    assert attendus | {"ctg_point_2", "ctg_action_12", "ctg_action_7"} <= signets
    assert IDENTIFIANT in personnalisees and "ctg_version" in personnalisees
    assert (
        f"<dc:identifier>{IDENTIFIANT}</dc:identifier>" in principales and "<cp:version>2</cp:version>" in principales
    )


def test_sans_signets_ni_proprietes_personnalisees_les_en_tetes_et_l_identifiant_principal_suffisent(
    complete: bytes,
) -> None:
    document = docx.Document(io.BytesIO(complete))
    for signet in [
        *document.element.body.iter(qn("w:bookmarkStart")),
        *document.element.body.iter(qn("w:bookmarkEnd")),
    ]:
        signet.getparent().remove(signet)
    sans_signets = enregistrer(document)
    assert resume(lire(remplacer_partie(sans_signets, "docProps/custom.xml", None))) == ATTENDU


def test_une_action_reprise_est_reconnue_a_sa_reference_visible_ou_a_defaut_a_son_signet() -> None:
    document = docx.Document(io.BytesIO(generer()))
    actions = tableau(document, ACTIONS)
    ouvertes = tableau(document, SUIVI)
    actions.rows[1].cells[0].paragraphs[0].add_run(" ")  # la référence reste, le signet aussi
    for signet in ouvertes.rows[1]._tr.iter(qn("w:bookmarkStart")):
        signet.set(qn("w:name"), "renomme")  # signet perdu : la référence « A-7 » suffit
    lu = lire(enregistrer(document))
    assert [a.identifiant for a in lu.actions + lu.actions_ouvertes] == [12, 7]
    actions.rows[1].cells[0].text = ""  # référence effacée : le signet « ctg_action_12 » est parti avec elle
    assert lire(enregistrer(document)).actions[0].identifiant is None


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        (("Organiser un forum", "Caf", "fin mars", ""), "« fin mars » n'est pas une date lisible (écrivez 31/03/2027)"),
        (("Organiser un forum", "Caf", "31/02/2027", ""), "« 31/02/2027 » n'est pas une date du calendrier (vérifiez le jour et le mois)"),
        (("Organiser un forum", "Caf", "", "petite enfance"), "« petite enfance » n'est pas une liste de codes d'orientation (écrivez par exemple 3.3 ; 5.1)"),
        (("", "Caf", "31/03/2027", ""), "l'action n'est pas écrite (écrivez-la ou videz la ligne)"),
    ],
)  # fmt: skip
def test_une_valeur_illisible_est_refusee_en_citant_le_tableau_et_la_ligne(
    saisie: tuple[str, ...], message: str
) -> None:
    document = docx.Document(io.BytesIO(generer()))
    ecrire(tableau(document, ACTIONS), 3, None, *saisie)
    with pytest.raises(DonneesInvalides) as erreur:
        lire(enregistrer(document))
    assert str(erreur.value) == (
        f"Le compte rendu « compte-rendu.docx » n'a pas été importé : tableau des actions, ligne 3 : {message}. "
        "Corrigez le document et renvoyez-le."
    )


def test_toutes_les_erreurs_du_document_sont_signalees_d_un_coup() -> None:
    document = docx.Document(io.BytesIO(generer()))
    ecrire(tableau(document, PARTICIPANTS), 2, None, None, None, "peut-être")
    ecrire(tableau(document, DECISIONS), 3, "trois", "Adopté.", "3.3")
    ecrire(tableau(document, SUIVI), 1, None, None, None, None, None, "bientôt")
    with pytest.raises(DonneesInvalides, match="3 erreurs à corriger") as erreur:
        lire(enregistrer(document))
    assert erreur.value.details == [
        "tableau des participants, ligne 2 : « peut-être » n'est pas une présence reconnue (écrivez présent, excusé, absent ou représenté par …)",
        "tableau des décisions, ligne 3 : « trois » n'est pas un numéro de décision (écrivez 1, 2, 3…)",
        "tableau des actions en cours, ligne 1 : « bientôt » n'est pas un statut reconnu (écrivez à faire, en cours, fait ou abandonnée)",
    ]


@pytest.mark.parametrize(
    ("ecrit", "presence", "par"),
    [
        ("présent(e)", "present", None), ("Présente", "present", None), ("P", "present", None), ("x", "present", None),
        ("présente en visio", "present", None), ("excusée", "excuse", None), ("E", "excuse", None),
        ("Absent excusé", "excuse", None), ("absent(e)", "absent", None), ("ABSENTES", "absent", None),
        ("A", "absent", None), ("représenté par M. Martin", "represente", "M. Martin"),
        ("Excusée, représentée par Mme Luce Roux.", "represente", "Mme Luce Roux"),
        ("pouvoir donné à Paul Durand", "represente", "Paul Durand"), ("R", "represente", None),
    ],
)  # fmt: skip
def test_la_presence_se_lit_sous_toutes_ses_formes_usuelles(ecrit: str, presence: str, par: str | None) -> None:
    assert lire_presence(ecrit) == (presence, par)


@pytest.mark.parametrize(
    ("ecrit", "codes"),
    [
        ("3.3", ("3.3",)), ("orientation 3.3", ("3.3",)), ("3.3, 5.1", ("3.3", "5.1")), ("3.3 ; 5.1", ("3.3", "5.1")),
        ("O3.3", ("3.3",)), ("Orientations 3.3 et 5.1.", ("3.3", "5.1")), ("3,3;5,1", ("3.3", "5.1")),
        ("03.3 – 3.3", ("3.3",)), ("", ()),
    ],
)  # fmt: skip
def test_les_codes_d_orientation_se_lisent_sous_toutes_leurs_formes_usuelles(
    ecrit: str, codes: tuple[str, ...]
) -> None:
    assert lire_orientations(ecrit) == codes


@pytest.mark.parametrize(
    "ecrit",
    ["31/03/2027", "31/03/27", "31.03.2027", "31 - 03 - 2027", "31 mars 2027", "mercredi 31 mars 2027", "2027-03-31"],
)
def test_l_echeance_se_lit_sous_ses_formes_usuelles(ecrit: str) -> None:
    assert lire_echeance(ecrit, date(2026, 12, 8)) == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("ecrit", "statut"),
    [("à faire", "a_faire"), ("En cours", "en_cours"), ("Terminée", "fait"), ("fait", "fait"),
     ("Réalisé le 3 mars", "fait"), ("abandonnée", "abandonnee")],
)  # fmt: skip
def test_le_statut_d_une_action_se_lit_sous_ses_formes_usuelles(ecrit: str, statut: str) -> None:
    assert lire_statut(ecrit) == statut


# --- Les fichiers refusés ------------------------------------------------------------------------------


def remplacer_partie(contenu: bytes, nom: str, nouveau: bytes | None) -> bytes:
    """Le même .docx, avec la partie `nom` remplacée, ajoutée ou (None) retirée."""
    sortie = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(contenu)) as entree, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in entree.infolist():
            if info.filename != nom:
                archive.writestr(info, entree.read(info))
        if nouveau is not None:
            archive.writestr(nom, nouveau)
    return sortie.getvalue()


def avec_corps(contenu: bytes, remplacer: tuple[str, str]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        corps = archive.read("word/document.xml").decode()
    assert remplacer[0] in corps
    return remplacer_partie(contenu, "word/document.xml", corps.replace(remplacer[0], remplacer[1], 1).encode())


@pytest.mark.parametrize(
    "marque",
    [
        '<w:ins w:id="901" w:author="Secrétaire" w:date="2026-12-09T10:00:00Z"><w:r><w:t>ajouté</w:t></w:r></w:ins>',
        '<w:del w:id="902" w:author="Secrétaire" w:date="2026-12-09T10:00:00Z"><w:r><w:delText>retiré</w:delText></w:r></w:del>',
        '<w:moveFrom w:id="903" w:author="Secrétaire" w:date="2026-12-09T10:00:00Z"><w:r><w:t>déplacé</w:t></w:r></w:moveFrom>',
    ],
)
def test_des_modifications_suivies_non_acceptees_sont_refusees_avec_la_marche_a_suivre(marque: str) -> None:
    contenu = avec_corps(generer(), ("</w:p>", marque + "</w:p>"))
    with pytest.raises(DonneesInvalides, match="1 modification suivie non acceptée") as erreur:
        lire(contenu)
    assert all(chemin in str(erreur.value) for chemin in ACCEPTER)


def document_quelconque() -> bytes:
    document = docx.Document()
    document.add_paragraph("Notes de la réunion")
    return enregistrer(document)


def test_un_document_qui_n_est_pas_un_de_nos_comptes_rendus_est_refuse() -> None:
    convocation = construire_convocation(
        creer_vue(), personne(), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE
    )
    for contenu in (document_quelconque(), convocation):
        with pytest.raises(
            DonneesInvalides, match="n'est pas un compte rendu produit par le logiciel : ses propriétés"
        ):
            lire(contenu)
    document = docx.Document(io.BytesIO(generer()))
    for table in document.tables:
        table._tbl.getparent().remove(table._tbl)
    with pytest.raises(DonneesInvalides, match="il ne contient aucun de ses tableaux"):
        lire(enregistrer(document))
    with zipfile.ZipFile(io.BytesIO(generer())) as archive:
        emargement = archive.read("docProps/custom.xml").replace(b">compte_rendu<", b">emargement<")
    with pytest.raises(DonneesInvalides, match="un autre document produit par le logiciel"):
        lire(remplacer_partie(generer(), "docProps/custom.xml", emargement))


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "est vide"),
        (b"Ceci n'est pas un document Word.", "n'est pas un document Word (.docx) lisible ou il est endommagé"),
        (OLE + "EncryptedPackage".encode("utf-16-le") + bytes(64), "est protégé par un mot de passe"),
        (OLE, "est au format Word 97-2003 (.doc)"),
        (b"%PDF-1.7\n", "est un PDF, pas un document Word"),
    ],
)
def test_un_fichier_vide_chiffre_ancien_ou_d_un_autre_format_est_refuse(contenu: bytes, message: str) -> None:
    with pytest.raises(DonneesInvalides, match=re.escape(f"Le fichier « cr.docx » {message}")):
        lire(contenu, "cr.docx")


def test_un_fichier_tronque_sans_corps_au_format_strict_ou_odt_est_refuse() -> None:
    contenu = generer()
    for abime in (contenu[: len(contenu) // 2], remplacer_partie(contenu, "word/document.xml", None)):
        with pytest.raises(DonneesInvalides, match=r"n'est pas un document Word .* lisible ou il est endommagé"):
            lire(abime)
    with pytest.raises(DonneesInvalides, match="endommagé"):
        lire(remplacer_partie(contenu, "word/document.xml", b"<w:document><w:body>"))
    w = (
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    )
    with pytest.raises(DonneesInvalides, match="au format « Document Open XML strict »"):
        lire(avec_corps(contenu, w))
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(DonneesInvalides, match=r"au format OpenDocument \(.odt\)"):
        lire(odt.getvalue())


XXE = '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
RIRES = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


@pytest.mark.parametrize(
    ("partie", "contenu"),
    [
        ("word/document.xml", lambda xml: XXE.encode() + xml.split(b"?>", 1)[1]),
        ("docProps/custom.xml", lambda xml: RIRES.encode() + xml.split(b"?>", 1)[1]),
        ("word/settings.xml", lambda xml: '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x>'.encode("utf-16-le")),
        ("customXml/piege.xml", lambda xml: b'<!doctype x [<!entity e SYSTEM "http://example.org/">]><x>&e;</x>'),
    ],
)
def test_un_fichier_piege_par_une_dtd_ou_des_entites_est_refuse_avant_toute_analyse(
    partie: str, contenu: object
) -> None:
    docx_ = generer()
    with zipfile.ZipFile(io.BytesIO(docx_)) as archive:
        origine = archive.read(partie) if partie in archive.namelist() else b""
    piege = remplacer_partie(docx_, partie, contenu(origine))  # type: ignore[operator]
    with pytest.raises(
        DonneesInvalides, match=f"sa partie « {re.escape(partie)} » contient une déclaration DOCTYPE ou ENTITY"
    ):
        lire(piege)


def archive(parties: dict[str, bytes]) -> bytes:
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as zip_:
        for nom, contenu in parties.items():
            zip_.writestr(nom, contenu)
    return sortie.getvalue()


def test_une_bombe_de_decompression_est_refusee_d_apres_les_tailles_declarees() -> None:
    enorme = remplacer_partie(generer(), "word/media/image1.png", bytes(51 * 1024 * 1024))
    comprimee = remplacer_partie(generer(), "word/media/image1.png", bytes(3 * 1024 * 1024))
    nombreuse = archive({f"word/p{n}.xml": b"<a/>" for n in range(1001)})
    for contenu in (enorme, comprimee, nombreuse):
        assert len(contenu) < 200_000
        with pytest.raises(
            DonneesInvalides, match="dépasserait 50 Mo, compterait plus de 1000 parties ou serait anormalement comprimé"
        ):
            lire(contenu)


def test_une_archive_qui_ment_sur_la_taille_de_ses_parties_est_arretee_pendant_la_lecture() -> None:
    vraie_taille = 900_000
    contenu = bytearray(archive({"word/document.xml": b"<w:document>" + b"a" * vraie_taille + b"</w:document>"}))
    local, central = contenu.find(b"PK\x03\x04"), contenu.find(b"PK\x01\x02")
    for position in (local + 22, central + 24):  # la taille décompressée annoncée : 1 000 octets
        contenu[position : position + 4] = (1000).to_bytes(4, "little")
    with pytest.raises(DonneesInvalides, match="lisible ou il est endommagé"):
        lire(bytes(contenu))


def test_un_fichier_abime_au_hasard_n_est_jamais_que_relu_ou_refuse() -> None:
    origine = generer()
    hasard = random.Random(20261208)  # noqa: S311 (du hasard reproductible, pas de la cryptographie)
    for _ in range(40):
        abime = bytearray(origine)
        for _ in range(hasard.randint(1, 8)):
            abime[hasard.randrange(len(abime))] = hasard.randrange(256)
        with contextlib.suppress(DonneesInvalides):
            lire(bytes(abime))


# --- Un long compte rendu ------------------------------------------------------------------------------


def long_compte_rendu() -> bytes:
    """Vingt pages A4 : 40 participants, 12 points aux longs échanges, 30 décisions, 40 actions, 20 à suivre."""
    points = tuple(
        PointVue(n, f"Point {n} de l'ordre du jour", "Claire Fictive", 20, (ORIENTATION_33,)) for n in range(1, 13)
    )
    vue = creer_compte_rendu(
        reunion=replace(creer_vue(), points=points),
        participants=tuple(participant(nom_complet=f"Personne {n}") for n in range(40)),
        decisions=tuple(
            DecisionVue(n, f"Décision {n} : " + "le comité adopte la proposition. " * 4, (ORIENTATION_51,))
            for n in range(1, 31)
        ),
        actions=tuple(
            action(identifiant=n, libelle=f"Action {n} : " + "préparer le dossier. " * 3) for n in range(100, 140)
        ),
        actions_ouvertes=tuple(action(identifiant=n, origine="COPIL du 9 juin 2026") for n in range(200, 220)),
    )
    document = docx.Document(io.BytesIO(generer(vue)))
    phrase = "Les partenaires échangent longuement sur les besoins des familles et les moyens à mobiliser. "
    for paragraphe in [p for p in document.paragraphs if p.text == f"Échanges{NB}:"]:
        suivant = paragraphe._p.getnext()
        for n in range(15):
            nouveau = paragraphe.insert_paragraph_before(f"Intervention {n} : " + phrase * 3)
            suivant.addprevious(nouveau._p)
    return enregistrer(document)


def test_un_compte_rendu_d_une_vingtaine_de_pages_se_relit_en_bien_moins_d_une_seconde() -> None:
    contenu = long_compte_rendu()
    durees = []
    for _ in range(3):
        debut = time.perf_counter()
        lu = lire(contenu)
        durees.append(time.perf_counter() - debut)
    assert (len(lu.presences), len(lu.decisions), len(lu.actions), len(lu.actions_ouvertes)) == (40, 30, 40, 20)
    assert lu.discussions[12].count("Intervention") == 15
    assert min(durees) < 0.5
