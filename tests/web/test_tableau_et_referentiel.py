"""Le tableau de bord compte les réponses ; le référentiel montre les rythmes et gère les membres."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

from fastapi import FastAPI
from fastapi.testclient import TestClient

from gouvernance.membres import exiger_instance
from gouvernance.services.comptes import ajouter_utilisateur
from gouvernance.territoires import choisir_territoire
from modeles import (
    Action,
    EtatMessage,
    Invitation,
    Message,
    NatureMessage,
    ReponseInvitation,
    StatutReunion,
    Territoire,
)
from modeles.moteur import ouvrir_session
from tests.fabriques import creer_personne, creer_reunion
from tests.web.conftest import MAINTENANT, MOT_DE_PASSE, connecter, jeton


def _texte(page: str) -> str:
    sans_balises = unescape(re.sub(r"\s*<[^>]+>\s*", " ", page)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", sans_balises).replace("( ", "(").replace(" )", ")")


def test_le_tableau_de_bord_compte_les_reponses_et_montre_ce_qui_attend(
    client: TestClient, application: FastAPI
) -> None:
    with ouvrir_session(application.state.ctg.moteur, ecriture=True) as session:
        copil = exiger_instance(session, choisir_territoire(session, None), "COPIL")
        reunion = creer_reunion(session, copil, [], titre="COPIL de printemps", statut=StatutReunion.CONVOQUEE)
        for numero, reponse in enumerate(
            [ReponseInvitation.ACCEPTEE] * 3 + [ReponseInvitation.DECLINEE] + [ReponseInvitation.SANS_REPONSE] * 2
        ):
            personne = creer_personne(session, f"invite{numero}@example.org", f"Invité {numero}", None)
            session.add(Invitation(reunion=reunion, personne=personne, reponse=reponse))
        passee = creer_reunion(
            session,
            copil,
            [],
            titre="COPIL d'automne",
            statut=StatutReunion.CONVOQUEE,
            debut=MAINTENANT - timedelta(days=30),
            fin=MAINTENANT - timedelta(days=30, hours=-2),
            uid="copil-automne@ctg.example.org",
        )
        session.add(
            Action(
                reunion=passee, libelle="Recenser les places d'accueil", echeance=date(2026, 11, 30), cree_le=MAINTENANT
            )
        )
        session.add(
            Message(
                cle="essai",
                reunion=reunion,
                nature=NatureMessage.CONVOCATION,
                destinataire="invite0@example.org",
                objet="Convocation au COPIL",
                message_id="<essai@ctg.example.org>",
                chemin="boite-envoi/essai.eml",
                etat=EtatMessage.INCERTAIN,
                cree_le=MAINTENANT,
            )
        )
    connecter(client, "lecture")
    page = _texte(client.get("/").text)
    # Oui, non, sans réponse, à vérifier.
    assert re.search(r"COPIL de printemps \(COPIL\) mardi 9 mars 2027 à 18 h 00 convoquée 3 1 2 0", page), page
    assert "COPIL du 8 novembre 2026 : aucun projet encore" in page
    assert "Recenser les places d'accueil" in page and "échéance 30 novembre 2026" in page
    assert "Convocation au COPIL — invite0@example.org : incertain (interrompu pendant l'envoi)" in page
    # Sans coordinateur réglé, la relance du compte rendu lui revient : la page le dit.
    assert "relance du compte rendu au coordinateur (COPIL du 8 novembre 2026)" in page


def test_le_referentiel_dit_le_rythme_en_clair_et_les_orientations(client: TestClient) -> None:
    connecter(client, "lecture")
    page = _texte(client.get("/referentiel").text)
    assert "2e mardi de mars et d'octobre à 18 h 00" in page
    assert "Enjeu n° 1" in page and "1.1" in page


def test_le_coordinateur_ajoute_change_et_retire_un_membre(client: TestClient, application: FastAPI) -> None:
    with ouvrir_session(application.state.ctg.moteur, ecriture=True) as session:
        creer_personne(session, "helene.lefevre@caf31.fr", "Lefèvre", "CAF")
    csrf = connecter(client, "coordinateur")
    page = "/referentiel/instances/COPIL"
    ajout = client.post(f"{page}/membres", data={"csrf": csrf, "email": "helene.lefevre@caf31.fr", "role": "membre"})
    assert ajout.headers["location"] == page
    assert "Test Lefèvre est désormais membre (membre)." in _texte(client.get(page).text)
    client.post(f"{page}/membres/role", data={"csrf": csrf, "email": "helene.lefevre@caf31.fr", "role": "president"})
    assert "Rôle de Test Lefèvre : président(e)." in _texte(client.get(page).text)
    deja = client.post(f"{page}/membres", data={"csrf": csrf, "email": "helene.lefevre@caf31.fr", "role": "membre"})
    assert deja.headers["location"] == page and "déjà" in _texte(client.get(page).text)
    client.post(f"{page}/membres/retirer", data={"csrf": csrf, "email": "helene.lefevre@caf31.fr"})
    apres = _texte(client.get(page).text)
    assert "Test Lefèvre n'est plus membre de l'instance COPIL." in apres and "Aucun membre." in apres


def test_une_instance_inconnue_repond_404_en_francais(client: TestClient) -> None:
    connecter(client, "lecture")
    reponse = client.get("/referentiel/instances/INCONNUE")
    assert reponse.status_code == 404 and "Aucune instance « INCONNUE »" in reponse.text


def test_un_compte_de_deux_territoires_choisit_celui_qu_il_voit_et_pas_un_autre(
    client: TestClient, application: FastAPI
) -> None:
    moteur = application.state.ctg.moteur
    with ouvrir_session(moteur, ecriture=True) as session:
        session.add(Territoire(code="autreville", nom="Autreville"))
    ajouter_utilisateur(
        moteur,
        "deux@mairie-lunion.fr",
        MOT_DE_PASSE,
        "lecture",
        territoires=("lunion", "autreville"),
        maintenant=MAINTENANT,
    )
    client.post(
        "/connexion", data={"email": "deux@mairie-lunion.fr", "mot_de_passe": MOT_DE_PASSE, "csrf": jeton(client)}
    )
    assert "Tableau de bord — Autreville" in _texte(client.get("/").text)  # le premier, par code
    choix = client.post(
        "/territoire", data={"csrf": jeton(client, "/"), "territoire": "lunion", "suite": "/referentiel"}
    )
    assert choix.headers["location"] == "/referentiel"
    assert "Tableau de bord — L'Union" in _texte(client.get("/").text)
    # Un compte d'un seul territoire ne voit pas l'autre, même en le demandant.
    client.cookies.clear()
    csrf = connecter(client, "lecture")
    client.post("/territoire", data={"csrf": csrf, "territoire": "autreville"})
    page = _texte(client.get("/").text)
    assert "ne voit pas le territoire « autreville »" in page and "Tableau de bord — L'Union" in page
