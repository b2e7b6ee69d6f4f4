"""Le bilan annuel : chiffres d'une année fabriquée, CSV, Word, PDF, graphiques, et la commande `ctg bilan`."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

import docx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gouvernance.base_donnees import creer_base, ouvrir_base
from gouvernance.bilan.calcul import categorie_action
from gouvernance.bilan.chiffres import Bilan, LignePresence
from gouvernance.bilan.lecture import lire_bilan, verifier_annee
from gouvernance.bilan.production import ResultatBilan
from gouvernance.bilan.textes import nombre, phrase_actions, phrase_orientations, phrase_presence
from gouvernance.documents.pdf import convertir_en_pdf, libreoffice_disponible
from gouvernance.documents.rendu import MODELES_D_ORIGINE
from gouvernance.erreurs import DonneesInvalides
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.services.bilan import produire_bilan
from modeles import Action, CompteRendu, Convention, Document
from modeles.moteur import ouvrir_session
from tests.conftest import manque
from tests.fabriques import BILAN_ARRETE_LE, charger_lunion, creer_annee_de_bilan

CTG = Path(sys.executable).with_name("ctg")
#: Un libellé piégé : balise Jinja, formule de tableur et balisage, qui doivent ressortir tels quels.
CONVENTION_2027 = "CTG de L'Union 2027–2031"
PIEGE = "=SOMME(A1) {{ 7*7 }} café & <b>parents</b>"


def test_les_nombres_s_accordent_en_francais() -> None:
    assert nombre(1, "réunion tenue") == "1\u00a0réunion tenue"
    assert nombre(0, "réunion") == "0\u00a0réunion"
    assert nombre(3, "réunion tenue") == "3\u00a0réunions tenues"
    assert nombre(2, "invitation") == "2\u00a0invitations"


def test_le_taux_de_presence_s_arrondit_a_l_unite_la_plus_proche() -> None:
    assert LignePresence("Ville", 8, 4, 1, 1, 2).taux == 63  # 62,5 %
    assert LignePresence("CAF", 3, 2, 0, 1, 0).taux == 67
    assert LignePresence("CCAS", 0, 0, 0, 0, 0).taux == 0


def test_une_action_ouverte_dont_l_echeance_est_passee_est_en_retard() -> None:
    jour = date(2028, 1, 15)
    assert categorie_action(Action(statut="en_cours", echeance=date(2028, 1, 14)), jour) == "en_retard"
    assert categorie_action(Action(statut="a_faire", echeance=date(2028, 1, 15)), jour) == "a_faire"
    assert categorie_action(Action(statut="fait", echeance=date(2027, 1, 1)), jour) == "fait"
    assert categorie_action(Action(statut="abandonnee", echeance=date(2027, 1, 1)), jour) == "abandonnee"
    assert categorie_action(Action(statut="a_faire", echeance=None), jour) == "a_faire"


def test_un_dollar_dans_un_nom_ne_fait_pas_echouer_le_graphique() -> None:
    """Régression : matplotlib lisait « $\\frac{1}$ » comme une formule LaTeX et levait une erreur de syntaxe."""
    from gouvernance.bilan.graphiques import graphique_presence

    png = graphique_presence((LignePresence(r"Asso $\frac{1}$ et $x^$", 2, 1, 0, 0, 1),), 2027)
    assert png.startswith(b"\x89PNG")


def test_le_modele_du_bilan_n_utilise_que_des_variables_connues(tmp_path: Path) -> None:
    from docxtpl import DocxTemplate

    from gouvernance.bilan.calcul import calculer_bilan
    from gouvernance.bilan.document import BILAN_ANNUEL, Entete, contexte_bilan
    from gouvernance.documents.securite import environnement

    bilan = calculer_bilan(
        territoire="L'Union",
        annee=2027,
        arrete_le=BILAN_ARRETE_LE,
        enjeux=[],
        reunions=[],
        statuts_comptes_rendus={},
        decisions=[],
        actions=[],
    )
    connues = set(
        contexte_bilan(bilan, Entete("Ville", None, None, ""), graphiques={"couverture": tmp_path}, fichiers_csv=[])
    )
    modele = DocxTemplate(MODELES_D_ORIGINE / BILAN_ANNUEL)
    assert modele.get_undeclared_template_variables(environnement()) <= connues


def test_une_annee_qui_n_a_pas_commence_est_refusee() -> None:
    with pytest.raises(DonneesInvalides, match="n'a pas encore commencé"):
        verifier_annee(2029, date(2028, 1, 15))
    with pytest.raises(DonneesInvalides, match="entre 2000 et 2100"):
        verifier_annee(1999, date(2028, 1, 15))


def test_les_chiffres_de_l_annee_fabriquee(session: Session) -> None:
    territoire = creer_annee_de_bilan(session)
    bilan = lire_bilan(session, territoire, 2027, arrete_le=BILAN_ARRETE_LE)
    instances = {ligne.code: (ligne.tenues, ligne.annulees, ligne.a_venir) for ligne in bilan.instances}
    # Ni la réunion de 2026 ni le séminaire du 1er janvier 2028 à 0 h 30 (heure de Paris) ne comptent.
    assert instances == {"COPIL": (2, 0, 0), "COTECH": (1, 1, 0)}
    assert [r.presences_relevees for r in bilan.reunions] == [True, False, True]
    presences = {ligne.partenaire: (ligne.invitations, ligne.taux) for ligne in bilan.presences}
    assert presences == {
        "Ville de L'Union": (3, 100),
        "Caisse d'allocations familiales de la Haute-Garonne": (2, 50),
        "Centre communal d'action sociale de L'Union": (2, 50),
        "Sans organisme renseigné": (1, 0),
    }
    assert [ligne.sigle for ligne in bilan.presences] == ["Ville", "CAF", "CCAS", ""]
    assert bilan.presence_totale.taux == 63
    couverture = {ligne.code: ligne for ligne in bilan.couverture}
    assert len(couverture) == 33
    assert couverture["3.3"].reunions == ("COPIL du 9 mars 2027", "COPIL du 7 décembre 2027")
    assert len(couverture["3.3"].decisions) == 1 and len(couverture["3.3"].actions) == 2
    assert couverture["5.3"].reunions == ("COPIL du 9 mars 2027",)  # citée par une action de la réunion
    assert {ligne.code for ligne in bilan.couverture if ligne.abordee} == {"1.1", "2.1", "3.1", "3.3", "5.3"}
    assert "8.6" in {ligne.code for ligne in bilan.non_abordees}  # citée seulement par la réunion annulée
    assert {ligne.categorie: ligne.nombre for ligne in bilan.actions} == dict.fromkeys(
        ("fait", "en_cours", "a_faire", "en_retard", "abandonnee"), 1
    )
    assert [a.libelle for a in bilan.en_retard] == ["Lancer le café des parents"]


def test_le_bilan_nomme_la_convention_en_vigueur_dans_l_annee(session: Session) -> None:
    territoire = creer_annee_de_bilan(session)
    (premiere,) = territoire.conventions
    premiere.debut, premiere.fin = date(2022, 1, 1), date(2026, 12, 31)
    territoire.conventions.append(Convention(intitule=CONVENTION_2027, debut=date(2027, 1, 1), fin=date(2031, 12, 31)))

    assert lire_bilan(session, territoire, 2027, arrete_le=BILAN_ARRETE_LE).convention == CONVENTION_2027
    assert lire_bilan(session, territoire, 2026, arrete_le=BILAN_ARRETE_LE).convention == premiere.intitule


def test_l_en_tete_du_bilan_ne_redit_pas_une_convention_au_nom_generique(session: Session) -> None:
    from gouvernance.bilan.document import Entete, contexte_bilan

    bilan = lire_bilan(session, creer_annee_de_bilan(session), 2027, arrete_le=BILAN_ARRETE_LE)
    entete = Entete(institution="Ville de L'Union", adresse=None, logo=None, etabli_par="")
    # « Convention territoriale globale de L'Union » est déjà le sous-titre : l'intitulé ne le redit pas.
    for intitule, attendu in (("Convention territoriale globale de L’Union", ""), (CONVENTION_2027, CONVENTION_2027)):
        variables = contexte_bilan(
            dataclasses.replace(bilan, convention=intitule),
            entete,
            graphiques={"couverture": Path("c.png")},
            fichiers_csv=[],
        )
        assert cast(dict[str, object], variables["bilan"])["convention"] == attendu


def test_arrete_en_cours_d_annee_une_reunion_future_est_a_venir_et_non_tenue(session: Session) -> None:
    territoire = creer_annee_de_bilan(session)
    bilan = lire_bilan(session, territoire, 2027, arrete_le=datetime(2027, 7, 1, tzinfo=UTC))
    instances = {ligne.code: (ligne.tenues, ligne.annulees, ligne.a_venir) for ligne in bilan.instances}
    assert instances == {"COPIL": (1, 0, 1), "COTECH": (1, 1, 0)}


def test_sans_compte_rendu_importe_les_presences_ne_sont_pas_inventees(session: Session) -> None:
    territoire = creer_annee_de_bilan(session)
    session.execute(delete(CompteRendu))
    bilan = lire_bilan(session, territoire, 2027, arrete_le=BILAN_ARRETE_LE)
    assert bilan.presences == () and bilan.reunions_relevees == 0
    assert phrase_presence(bilan) == "Présences non relevées\u00a0: aucun compte rendu de l'année n'a été importé."


# --- Production des fichiers : une fois pour le module, sur un fichier SQLite ------------------------------


@dataclass(frozen=True)
class Produit:
    home: Path
    resultat: ResultatBilan
    texte_pdf: str


def _parametres(home: Path, avec_pdf: bool) -> Parametres:
    reglages = lire_reglages(
        {
            "CTG_HOME": str(home),
            "CTG_COORDINATEUR_NOM": "Nadia Prototype",
            "CTG_COORDINATEUR_FONCTION": "Chargée de coopération CTG",
        }
    )
    return Parametres(
        reglages=reglages,
        maintenant=BILAN_ARRETE_LE,
        modeles=MODELES_D_ORIGINE,
        convertir_en_pdf=convertir_en_pdf if avec_pdf else None,
        smtp=False,
    )


@pytest.fixture(scope="module")
def produit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Produit]:
    if not libreoffice_disponible():
        manque("LibreOffice", "soffice introuvable dans le PATH")
    if shutil.which("pdftotext") is None:
        manque("poppler", "pdftotext introuvable dans le PATH")
    home = tmp_path_factory.mktemp("bilan")
    parametres = _parametres(home, avec_pdf=True)
    moteur = creer_base(parametres.reglages)
    with ouvrir_session(moteur, ecriture=True) as session:
        territoire = creer_annee_de_bilan(session)
        territoire.conventions.append(
            Convention(intitule=CONVENTION_2027, debut=date(2027, 1, 1), fin=date(2031, 12, 31))
        )
        session.scalars(select(Action).where(Action.libelle == "Lancer le café des parents")).one().libelle = PIEGE
    resultat = produire_bilan(moteur, territoire.code, 2027, parametres, arrete_le=BILAN_ARRETE_LE)
    moteur.dispose()
    assert resultat.pdf is not None
    texte = subprocess.run(
        ["pdftotext", "-layout", str(resultat.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    yield Produit(home, resultat, texte)


def _lire_csv(produit: Produit, nom: str) -> list[dict[str, str]]:
    (chemin,) = [c for c in produit.resultat.csv if c.name.endswith(f"-{nom}.csv")]
    brut = chemin.read_bytes()
    assert brut.startswith(b"\xef\xbb\xbf"), "le BOM qui fait lire l'UTF-8 à Excel manque"
    return list(csv.DictReader(io.StringIO(brut.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_les_fichiers_vont_dans_le_dossier_des_bilans_de_l_annee(produit: Produit) -> None:
    dossier = produit.home / "documents" / "bilans" / "2027"
    assert {chemin.parent for chemin in produit.resultat.fichiers} == {dossier}
    assert produit.resultat.docx.name == "bilan-annuel-2027-lunion.docx"
    assert len(produit.resultat.csv) == 6 and len(produit.resultat.graphiques) == 2


def test_les_csv_donnent_les_memes_chiffres_que_le_document(produit: Produit) -> None:
    instances = {ligne["Code"]: ligne for ligne in _lire_csv(produit, "reunions-par-instance")}
    assert instances["COPIL"]["Réunions tenues"] == "2"
    assert instances["COTECH"]["Réunions annulées"] == "1"
    presence = {ligne["Partenaire"]: ligne for ligne in _lire_csv(produit, "presence-par-partenaire")}
    assert presence["Ville de L'Union"]["Taux de présence (%)"] == "100"
    assert presence["Ensemble des invités"]["Invitations"] == "8"
    assert presence["Ensemble des invités"]["Taux de présence (%)"] == "63"
    couverture = _lire_csv(produit, "couverture-des-orientations")
    assert len(couverture) == 33
    ligne_33 = next(ligne for ligne in couverture if ligne["Orientation"] == "3.3")
    assert (ligne_33["Réunions tenues"], ligne_33["Décisions"], ligne_33["Actions"]) == ("2", "1", "2")
    assert next(ligne for ligne in couverture if ligne["Orientation"] == "8.6")["Abordée"] == "non"
    statuts = {ligne["Statut"]: ligne["Actions"] for ligne in _lire_csv(produit, "actions-par-statut")}
    assert statuts["En retard"] == "1" and statuts["Total"] == "5"
    (retard,) = _lire_csv(produit, "actions-en-retard")
    assert retard["Action"] == "'" + PIEGE  # une formule de tableur neutralisée


def test_le_document_word_se_relit_avec_ses_tableaux_et_ses_graphiques(produit: Produit) -> None:
    document = docx.Document(str(produit.resultat.docx))
    texte = "\n".join(p.text for p in document.paragraphs)
    assert "Bilan annuel 2027" in texte
    assert "Convention territoriale globale de L'Union" in texte
    assert CONVENTION_2027 in texte  # la convention en vigueur dans l'année
    assert texte.count("Convention territoriale globale de L'Union") == 1
    assert "Période\u00a0: du 1er janvier au 31 décembre 2027" in texte
    assert "3\u00a0réunions tenues en 2027 (2 du COPIL et 1 du COTECH) ; 1\u00a0réunion annulée." in texte
    assert "(s)" not in texte
    tableaux = [[[cellule.text for cellule in ligne.cells] for ligne in tableau.rows] for tableau in document.tables]
    instances = next(t for t in tableaux if t[0][0] == "Instance")
    assert instances[1:] == [
        ["Comité de pilotage de suivi (COPIL)", "2", "0", "0"],
        ["Comité technique (COTECH)", "1", "1", "0"],
        ["Total", "3", "1", "0"],
    ]
    presence = next(t for t in tableaux if t[0][0] == "Partenaire")
    assert presence[-1] == ["Ensemble des invités", "8", "4", "1", "1", "2", "63\u00a0%"]
    orientations = [ligne for t in tableaux if t[0][0] == "Orientation" for ligne in t[1:]]
    assert len(orientations) == 33
    ligne_33 = next(ligne for ligne in orientations if ligne[0].startswith("3.3 "))
    assert ligne_33[1] == "COPIL du 9 mars 2027\nCOPIL du 7 décembre 2027"
    assert "Ouvrir dix places de crèche" in ligne_33[2]
    assert "–\t8.6 Sensibiliser, informer et former habitants" in texte  # parmi les orientations non abordées
    retards = next(t for t in tableaux if t[0][0] == "N°")
    assert retards[1][1] == PIEGE  # la balise et le balisage des données ressortent tels quels
    with zipfile.ZipFile(produit.resultat.docx) as archive:
        images = [nom for nom in archive.namelist() if nom.startswith("word/media/")]
    assert len(images) == 2


def test_le_pdf_de_libreoffice_contient_les_chiffres_cles(produit: Produit) -> None:
    texte = " ".join(produit.texte_pdf.split())
    assert "Bilan annuel 2027" in texte
    assert "3 réunions tenues en 2027" in texte
    assert "Taux de présence des invités : 63 %" in texte
    assert "5 orientations sur 33 ont été abordées en réunion" in texte
    assert "1 décision et 5 actions décidées : 1 faite, 1 en cours, 1 à faire, 1 en retard, 1 abandonnée." in texte


def test_les_graphiques_sont_des_png_de_150_a_200_ppp(produit: Produit) -> None:
    from PIL import Image

    hauteurs = {}
    for chemin in produit.resultat.graphiques:
        with Image.open(chemin) as image:
            assert image.format == "PNG"
            assert all(150 <= round(valeur) <= 200 for valeur in image.info["dpi"])
            hauteurs[chemin.stem.rsplit("-", 1)[-1]] = image.height
    assert hauteurs["couverture"] > 2 * hauteurs["presence"]  # 33 orientations contre 4 partenaires


def test_refaire_le_bilan_remplace_les_fichiers_sans_doublon(produit: Produit) -> None:
    parametres = _parametres(produit.home, avec_pdf=False)
    moteur = ouvrir_base(parametres.reglages)
    with ouvrir_session(moteur) as session:
        avant = session.scalars(select(Document).where(Document.reunion_id.is_(None))).all()
    produire_bilan(moteur, None, 2027, parametres, arrete_le=BILAN_ARRETE_LE)
    with ouvrir_session(moteur) as session:
        apres = session.scalars(select(Document).where(Document.reunion_id.is_(None))).all()
    moteur.dispose()
    assert len(avant) == len(apres) == 10
    assert {d.type for d in apres} == {"bilan_annuel", "bilan_annuel_pdf", "bilan_csv", "bilan_graphique"}


def test_si_libreoffice_echoue_le_bilan_word_reste_produit_et_consigne(tmp_path: Path) -> None:
    from gouvernance.documents.erreurs import ConversionImpossible

    def echouer(_docx: list[Path], _dossier: Path) -> list[Path]:
        # Pendant LibreOffice, aucune transaction d'écriture ne tient la base : une autre écriture passe tout de suite.
        with closing(sqlite3.connect(tmp_path / "ctg.sqlite3", timeout=0)) as connexion:
            connexion.isolation_level = None
            connexion.execute("BEGIN IMMEDIATE")
            connexion.execute("ROLLBACK")
        raise ConversionImpossible("LibreOffice n'a pas terminé la conversion en PDF en 60 secondes.")

    parametres = dataclasses.replace(_parametres(tmp_path, avec_pdf=False), convertir_en_pdf=echouer)
    moteur = creer_base(parametres.reglages)
    with ouvrir_session(moteur, ecriture=True) as session:
        charger_lunion(session)
    resultat = produire_bilan(moteur, None, 2025, parametres, arrete_le=BILAN_ARRETE_LE)
    with ouvrir_session(moteur) as session:
        types = set(session.scalars(select(Document.type)))
    moteur.dispose()
    assert resultat.pdf is None and resultat.docx.is_file()
    assert resultat.avertissement.startswith("Pas de PDF : LibreOffice n'a pas terminé")
    assert "bilan_annuel" in types and "bilan_annuel_pdf" not in types


def test_une_annee_sans_reunion_donne_un_bilan_qui_le_dit(tmp_path: Path) -> None:
    parametres = _parametres(tmp_path, avec_pdf=False)
    moteur = creer_base(parametres.reglages)
    with ouvrir_session(moteur, ecriture=True) as session:
        charger_lunion(session)
    resultat = produire_bilan(moteur, None, 2025, parametres, arrete_le=BILAN_ARRETE_LE)
    moteur.dispose()
    texte = "\n".join(p.text for p in docx.Document(str(resultat.docx)).paragraphs)
    assert "Aucune réunion des instances de la CTG n'a été tenue en 2025." in texte
    assert "Aucune des 33 orientations de la CTG n'a été abordée en réunion." in texte
    assert "Aucune décision ni action n'a été prise en 2025." in texte
    assert resultat.chiffres["taux_de_presence"] is None
    assert len(resultat.graphiques) == 1  # pas de graphique de présence sans présence relevée


# --- La commande, en vrais processus ---------------------------------------------------------------------


def _ctg(home: Path, *arguments: str, url_prefect: str | None = None) -> subprocess.CompletedProcess[str]:
    environnement = {**os.environ, "CTG_HOME": str(home), "COLUMNS": "150"}
    environnement.pop("CTG_DATABASE_URL", None)
    if url_prefect:
        environnement["PREFECT_API_URL"] = url_prefect
    return subprocess.run(
        [str(CTG), *arguments], env=environnement, capture_output=True, text=True, timeout=300, check=False
    )


def test_une_annee_mal_ecrite_est_refusee_en_francais(tmp_path: Path) -> None:
    for annee, attendu in (("27", "quatre chiffres"), ("deux-mille", "quatre chiffres"), ("1850", "entre 2000")):
        resultat = _ctg(tmp_path, "bilan", annee)
        assert resultat.returncode == 1
        assert attendu in resultat.stderr and "Traceback" not in resultat.stderr


def test_matplotlib_ne_se_charge_pas_avec_la_commande() -> None:
    code = "import sys, flows.cli.principal, gouvernance.bilan.production; print('matplotlib' in sys.modules)"
    resultat = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert resultat.stdout.strip() == "False"


def test_ctg_bilan_passe_par_le_flux_prefect_et_donne_ses_chiffres_en_json(
    tmp_path: Path, serveur_prefect: str
) -> None:
    reglages = lire_reglages({"CTG_HOME": str(tmp_path)})
    moteur = creer_base(reglages)
    with ouvrir_session(moteur, ecriture=True) as session:
        creer_annee_de_bilan(session)
    moteur.dispose()
    resultat = _ctg(tmp_path, "bilan", "2027", "--au", "15/01/2028", "--json", url_prefect=serveur_prefect)
    assert resultat.returncode == 0, resultat.stderr
    chiffres = json.loads(resultat.stdout)
    assert chiffres["reunions_tenues"] == 3
    assert chiffres["taux_de_presence"] == 63
    assert chiffres["arrete_au"] == "2028-01-15"
    assert "8.6" in chiffres["orientations_non_abordees"]
    assert chiffres["actions"]["en_retard"] == 1
    assert any(f.endswith("bilan-annuel-2027-lunion.docx") for f in chiffres["fichiers"])
    assert all(Path(f).is_file() for f in chiffres["fichiers"])
    assert "3\u00a0réunions tenues en 2027" in _artefact("bilan-annuel-2027")["data"]
    tableau = json.loads(_artefact("bilan-annuel-2027-instances")["data"])
    assert {ligne["Instance"]: ligne["Réunions tenues"] for ligne in tableau} == {
        "Comité de pilotage de suivi (COPIL)": 2,
        "Comité technique (COTECH)": 1,
    }


def _artefact(cle: str) -> dict[str, Any]:
    """La dernière version de l'artefact `cle`, lue dans le serveur Prefect du banc d'essai."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artefacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[cle])))
    assert artefacts, f"artefact « {cle} » absent"
    return max(artefacts, key=lambda artefact: artefact.created or datetime.min.replace(tzinfo=UTC)).model_dump()


def test_sans_annee_le_flux_fait_le_bilan_de_l_annee_precedente_a_paris() -> None:
    from flows.bilan import annee_precedente

    # Le 1er janvier 2028 à 0 h 30 à Paris : l'année précédente est déjà 2027.
    assert annee_precedente(datetime(2027, 12, 31, 23, 30, tzinfo=UTC)) == 2027
    assert annee_precedente(datetime(2027, 12, 31, 22, 30, tzinfo=UTC)) == 2026


def _bilan_de(orientations_abordees: int, orientations: int, decisions: int, actions: dict[str, int]) -> Bilan:
    """Un bilan réduit à ce que disent les phrases des orientations et des actions."""
    from gouvernance.bilan.chiffres import CATEGORIES_ACTION, LigneCouverture, LigneStatut

    couverture = tuple(
        LigneCouverture(1, "Enjeu", f"1.{n}", "Orientation", ("COPIL",) if n <= orientations_abordees else (), (), ())
        for n in range(1, orientations + 1)
    )
    statuts = tuple(LigneStatut(cle, libelle, actions.get(cle, 0)) for cle, libelle in CATEGORIES_ACTION.items())
    return Bilan("L'Union", 2027, date(2028, 1, 15), (), (), (), couverture, decisions, statuts, ())


@pytest.mark.parametrize(
    ("abordees", "total", "attendu"),
    [
        (1, 33, "1\u00a0orientation sur 33 a été abordée en réunion ; 32 ne l'ont pas été."),
        (32, 33, "32\u00a0orientations sur 33 ont été abordées en réunion ; 1 ne l'a pas été."),
        (33, 33, "Les 33 orientations de la CTG ont toutes été abordées en réunion."),
        (0, 33, "Aucune des 33 orientations de la CTG n'a été abordée en réunion."),
    ],
)
def test_la_phrase_des_orientations_s_accorde(abordees: int, total: int, attendu: str) -> None:
    assert phrase_orientations(_bilan_de(abordees, total, 0, {})) == attendu


@pytest.mark.parametrize(
    ("decisions", "actions", "attendu"),
    [
        (0, {}, "Aucune décision ni action n'a été prise en 2027."),
        (2, {}, "2\u00a0décisions prises en 2027, aucune action."),
        (1, {"fait": 1}, "1\u00a0décision et 1\u00a0action décidées\u00a0: 1\u00a0faite, aucune en retard."),
        (
            0,
            {"fait": 2, "en_retard": 3, "abandonnee": 1},
            "Aucune décision et 6\u00a0actions décidées\u00a0: 2\u00a0faites, 3 en retard, 1\u00a0abandonnée.",
        ),
    ],
)
def test_la_phrase_des_actions_s_accorde(decisions: int, actions: dict[str, int], attendu: str) -> None:
    assert phrase_actions(_bilan_de(0, 1, decisions, actions)) == attendu
