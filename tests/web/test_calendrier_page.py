"""Calendrier de l'année : les réunions proposées par les rythmes, relues (décochées au besoin), enregistrées."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from modeles import EntreeJournal, Reunion
from modeles.moteur import ouvrir_session
from tests.web.conftest import connecter
from tests.web.test_tableau_et_referentiel import _texte

CASE = re.compile(r'name="retenue" value="([^"]+)"')


def test_le_coordinateur_relit_les_reunions_proposees_et_n_enregistre_que_celles_cochees(
    client: TestClient, application: FastAPI
) -> None:
    csrf = connecter(client, "coordinateur")
    page = client.get("/calendrier?annee=2027").text
    texte = _texte(page)
    assert "Calendrier 2027 — L'Union" in texte
    assert "COPIL mardi 9 mars 2027 à 18 h 00" in texte, texte
    cases = CASE.findall(page)
    copil = [valeur for valeur in cases if valeur.startswith("COPIL|")]
    assert copil == ["COPIL|2027-03-09|18:00", "COPIL|2027-10-12|18:00"]
    # Elle décoche tout sauf le COPIL de mars.
    envoi = client.post("/calendrier", data={"csrf": csrf, "annee": "2027", "retenue": copil[:1]})
    assert envoi.headers["location"] == "/calendrier?annee=2027"
    apres = client.get("/calendrier?annee=2027").text
    assert "1 réunion enregistrée pour 2027." in _texte(apres)
    assert CASE.findall(apres) == [valeur for valeur in cases if valeur != copil[0]]
    assert re.search(r"COPIL mardi 9 mars 2027 à 18 h 00 déjà planifiée", _texte(apres)), _texte(apres)
    with ouvrir_session(application.state.ctg.moteur) as session:
        assert [r.debut.isoformat() for r in session.scalars(select(Reunion))] == ["2027-03-09T17:00:00+00:00"]
        journal = session.scalars(select(EntreeJournal).where(EntreeJournal.action == "calendrier")).one()
    assert journal.details == "1 réunion enregistrée pour 2027" and journal.auteur == "coordinatrice@mairie-lunion.fr"
    rien = client.post("/calendrier", data={"csrf": csrf, "annee": "2027"})
    assert "Aucune réunion cochée" in _texte(client.get(rien.headers["location"]).text)


def test_un_lecteur_voit_les_propositions_sans_rien_pouvoir_enregistrer(client: TestClient) -> None:
    connecter(client, "lecture")
    page = client.get("/calendrier?annee=2027").text
    assert "COPIL mardi 9 mars 2027 à 18 h 00" in _texte(page)
    assert "retenue" not in page and "Enregistrer les réunions cochées" not in page
