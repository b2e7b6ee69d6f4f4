"""Les pages Réunions et Comptes rendus avec le client de test : planifier, filtrer, l'aperçu de la convocation,
la tâche qui la suit, le fichier du secrétaire refusé, les rôles. Le parcours complet est dans le navigateur."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flows.resultats import Resultat
from flows.web.taches import Flux, Taches
from gouvernance.envoi import BilanEnvoi
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import Reglages, lire_reglages
from gouvernance.reunions.envoi_reunion import Lot
from gouvernance.territoires import choisir_territoire
from modeles.moteur import creer_moteur, ouvrir_session
from tests.test_services_pages_reunions import _bombe
from tests.web.conftest import connecter, copier_dossier

COORDINATEUR = '[coordinateur]\nnom = "Nadia Prototype"\nemail = "cooperation.ctg@example.org"\n'
MEMBRES = [("claire@example.org", "Claire", "Fictive", "president"), ("karim@example.org", "Karim", "Modèle", "membre")]
COPIL = {
    "instance": "COPIL",
    "jour": "2027-01-12",
    "heure": "18:00",
    "lieu": "Salle du conseil",
    "point-1-titre": "Bilan petite enfance",
    "point-1-orientations": ["3.3", "5.1"],
    "point-1-rapporteur": "Claire Fictive",
    "point-2-titre": "Calendrier des ateliers",
    "point-2-orientations": ["1.2"],
}


def preparer_copil(reglages: Reglages) -> None:
    """Le coordinateur réglé et un COPIL de deux membres."""
    (reglages.dossier / "ctg.toml").write_text(COORDINATEUR, encoding="utf-8")
    moteur = creer_moteur(reglages.url_base)
    with ouvrir_session(moteur, ecriture=True) as session:
        copil = exiger_instance(session, choisir_territoire(session, None), "COPIL")
        for adresse, prenom, nom, role in MEMBRES:
            personne = ajouter_personne(session, FichePersonne(email=adresse, prenom=prenom, nom=nom))
            ajouter_membre(session, copil, personne, role)
    moteur.dispose()


@pytest.fixture
def reglages_web(modele_web: Path, tmp_path: Path) -> Reglages:
    reglages = copier_dossier(modele_web, tmp_path / "ctg-home")
    preparer_copil(reglages)
    return lire_reglages({"CTG_HOME": str(reglages.dossier)})


def planifier(client: TestClient, jeton: str, **changements: object) -> str:
    reponse = client.post("/reunions/nouvelle", data={"csrf": jeton, **COPIL, **changements})
    assert reponse.status_code == 303, reponse.text
    return str(reponse.headers["location"])


def test_la_coordinatrice_planifie_un_copil_et_le_retrouve_avec_ses_orientations(client: TestClient) -> None:
    jeton = connecter(client, "coordinateur")
    assert planifier(client, jeton) == "/reunions/1"
    page = client.get("/reunions/1").text
    assert "Orientation 3.3" in page and "Orientation 5.1" in page and "Orientation 1.2" in page
    assert "Claire Fictive" in page and "Karim Modèle" in page and "réunion planifiée" in page
    assert "Réunion planifiée : " in page  # l'annonce, une fois
    assert "/reunions/1" in client.get("/reunions?instance=copil&du=2027-01-01&au=2027-01-31").text
    assert "Aucune réunion ne répond" in client.get("/reunions?statut=convoquee").text
    refus = client.get("/reunions?du=12/01/2027")
    assert refus.status_code == 400 and "Du : « 12/01/2027 » n&#39;est pas une date" in refus.text


def test_le_formulaire_refuse_en_nommant_ses_champs_et_garde_la_saisie(client: TestClient) -> None:
    jeton = connecter(client, "coordinateur")
    reponse = client.post("/reunions/nouvelle", data={"csrf": jeton, **COPIL, "jour": "2027-03-28", "heure": "02:30"})
    assert reponse.status_code == 400
    assert "Date et heure : 2" in reponse.text and "n&#39;existe pas le dimanche 28" in reponse.text
    assert 'value="Bilan petite enfance"' in reponse.text and '<option value="3.3" selected>' in reponse.text
    planifier(client, jeton)
    doublon = client.post("/reunions/nouvelle", data={"csrf": jeton, **COPIL})
    assert doublon.status_code == 400 and re.search(r"La réunion n°1 existe déjà", doublon.text)


def test_convoquer_montre_qui_recoit_quoi_puis_suit_une_seule_tache(client: TestClient, application: FastAPI) -> None:
    liberer, lancements = threading.Event(), []

    def lanceur(flux: Flux) -> tuple[object, str | None]:
        lancements.append(flux)
        assert liberer.wait(10)
        return Resultat(lot=Lot(reunion_id=1), bilan=BilanEnvoi()), None

    application.state.taches = Taches(lanceur)
    jeton = connecter(client, "coordinateur")
    planifier(client, jeton)
    apercu = client.get("/reunions/1/convoquer").text
    assert "Claire Fictive" in apercu and "convocation-COPIL-Fictive-Claire" in apercu and "invitation.ics" in apercu
    assert "Objet :" in apercu and "Confirmer et convoquer" in apercu
    premiere = client.post("/reunions/1/convoquer", data={"csrf": jeton})
    seconde = client.post("/reunions/1/convoquer", data={"csrf": jeton})  # un second clic, ou une collègue
    assert premiere.status_code == seconde.status_code == 303
    assert premiere.headers["location"] == seconde.headers["location"]
    suivi = premiere.headers["location"]
    assert 'hx-trigger="every 1s"' in client.get(suivi).text
    liberer.set()
    application.state.taches.tache(suivi.rsplit("/", 1)[1]).fin.wait(10)
    etat = client.get(f"{suivi}/etat").text
    assert "Terminé." in etat and "hx-trigger" not in etat and 'href="/reunions/1"' in etat
    assert lancements == [Flux("flows.convocation", "diffuser_reunion", (1, "convocation", ()))]
    journal = client.get("/reunions/1").text
    assert journal.count("réunion convoquée") == 2  # deux demandes consignées, une seule tâche


def test_le_fichier_du_secretaire_hostile_est_refuse_par_la_page(client: TestClient) -> None:
    jeton = connecter(client, "coordinateur")
    planifier(client, jeton)
    client.post("/deconnexion", data={"csrf": jeton})
    jeton = connecter(client, "secretaire")
    bombe = client.post(
        "/reunions/1/compte-rendu", data={"csrf": jeton}, files={"fichier": ("cr.docx", _bombe(), "application/zip")}
    )
    assert bombe.status_code == 400 and "anormalement comprimé" in bombe.text and "Confirmer" not in bombe.text
    autre = client.post("/reunions/1/compte-rendu", data={"csrf": jeton}, files={"fichier": ("cr.pdf", b"%PDF", "x")})
    assert autre.status_code == 303
    assert "n&#39;est pas un document Word (.docx)" in client.get("/reunions/1").text


def test_la_secretaire_n_agit_que_sur_ses_instances_et_la_lecture_sur_rien(client: TestClient) -> None:
    jeton = connecter(client, "coordinateur")
    planifier(client, jeton, instance="COTECH", jour="2027-01-19")
    client.post("/deconnexion", data={"csrf": jeton})
    jeton = connecter(client, "secretaire")
    assert "COTECH" in client.get("/reunions/1").text  # elle consulte
    refus = client.post("/reunions/1/compte-rendu/projet", data={"csrf": jeton})
    assert refus.status_code == 403 and "Cette instance n&#39;est pas confiée à votre compte" in refus.text
    assert client.post("/reunions/1/convoquer", data={"csrf": jeton}).status_code == 403


def test_modifier_annuler_et_supprimer_une_reunion_jamais_convoquee(client: TestClient) -> None:
    jeton = connecter(client, "coordinateur")
    planifier(client, jeton)
    assert 'value="2027-01-12"' in client.get("/reunions/1/modifier").text
    # Le formulaire renvoie la date et l'heure pré-remplies : inchangées, elles ne comptent pas.
    lieu = {"csrf": jeton, "jour": "2027-01-12", "heure": "18:00", "lieu": "Salle Jean Moulin"}
    assert client.post("/reunions/1/modifier", data=lieu).status_code == 303
    page = client.get("/reunions/1").text
    assert "la convocation portera ces changements" in page and "Salle Jean Moulin" in page
    assert "Nouvel horaire" not in page and "Nouveau lieu : Salle Jean Moulin" in page
    assert "réunion modifiée" in page
    refus = client.post("/reunions/1/modifier", data={"csrf": jeton, "jour": "2027-03-28", "heure": "02:30"})
    assert refus.headers["location"] == "/reunions/1/modifier"
    assert "n&#39;existe pas le dimanche 28 mars 2027" in client.get("/reunions/1/modifier").text
    supprimee = client.post("/reunions/1/supprimer", data={"csrf": jeton})
    assert supprimee.headers["location"] == "/reunions"
    assert "Réunion n°1 supprimée" in client.get("/reunions").text
    assert client.get("/reunions/1").status_code == 404
    fiche = planifier(client, jeton, jour="2027-01-26")
    annulee = client.post(f"{fiche}/annuler", data={"csrf": jeton, "motif": "Salle indisponible"})
    assert annulee.headers["location"] == fiche
    page = client.get(fiche).text
    assert "elle n&#39;avait pas été convoquée" in page and "motif : Salle indisponible" in page
    assert "Supprimer</button>" not in page and "Convoquer</a>" not in page
