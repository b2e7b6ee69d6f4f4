"""Bilan : produit depuis la page par un vrai flux Prefect (hors de la requête), ses fichiers téléchargés, ses
graphiques montrés ; une année à venir refusée en français."""

from __future__ import annotations

import csv
import io
import re

import docx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flows.web.taches import Taches, lancer_flux
from gouvernance.reglages import Reglages
from tests.web.conftest import connecter
from tests.web.test_suivi import preparer_reunion_validee
from tests.web.test_tableau_et_referentiel import _texte


def test_le_bilan_se_produit_en_arriere_plan_puis_se_telecharge_et_montre_ses_graphiques(
    client: TestClient,
    application: FastAPI,
    reglages_web: Reglages,
    serveur_prefect: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Le flux relit ses réglages dans l'environnement, comme sous `ctg web`.
    monkeypatch.setenv("CTG_HOME", str(reglages_web.dossier))
    for variable in ("CTG_DATABASE_URL", "CTG_CONFIG", "CTG_SMTP_HOST"):
        monkeypatch.delenv(variable, raising=False)
    application.state.taches = Taches(lancer_flux(reglages_web, api=serveur_prefect))
    preparer_reunion_validee(application.state.ctg.moteur, uid="bilan-page@ctg.example.org")
    csrf = connecter(client, "coordinateur")
    assert "Le bilan 2026 n'a pas encore été produit." in _texte(client.get("/bilan").text)

    lancement = client.post("/bilan", data={"csrf": csrf, "annee": "2026"})
    assert lancement.status_code == 303 and lancement.headers["location"].startswith("/taches/")
    tache = application.state.taches.tache(lancement.headers["location"].rsplit("/", 1)[1])
    assert tache.fin.wait(240), "le flux du bilan n'a pas fini"
    etat = client.get(f"{lancement.headers['location']}/etat").text
    assert "Terminé." in etat, _texte(etat)
    assert "Fichier écrit : bilan-annuel-2026-lunion.docx" in etat and "Revenir au bilan" in etat
    assert re.search(r'href="http[^"]+/runs/flow-run/[0-9a-f-]{36}"', etat), "pas de lien vers l'exécution Prefect"

    page = client.get("/bilan?annee=2026").text
    liens = re.findall(r'href="(/bilan/2026/fichiers/[^"]+)"', page)
    noms = [lien.rsplit("/", 1)[1] for lien in liens]
    assert noms[:2] == ["bilan-annuel-2026-lunion.docx", "bilan-annuel-2026-lunion.pdf"]
    assert "bilan-2026-lunion-actions-par-statut.csv" in noms
    images = re.findall(r'<img src="(/bilan/2026/fichiers/[^"]+\.png)" alt="([^"]+)"', page)
    assert [alt for _, alt in images] == [
        "Graphique : les orientations de la convention abordées en réunion dans l&#39;année"
    ]
    png = client.get(images[0][0])
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")

    word = client.get("/bilan/2026/fichiers/bilan-annuel-2026-lunion.docx")
    assert word.headers["content-disposition"].startswith("attachment")
    texte_word = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "2026" in texte_word
    pdf = client.get("/bilan/2026/fichiers/bilan-annuel-2026-lunion.pdf")
    assert pdf.content.startswith(b"%PDF")
    tableau = client.get("/bilan/2026/fichiers/bilan-2026-lunion-actions-par-statut.csv").content.decode("utf-8-sig")
    statuts = {ligne["Statut"]: ligne["Actions"] for ligne in csv.DictReader(io.StringIO(tableau), delimiter=";")}
    assert statuts["Total"] == "3" and statuts["En retard"] == "1"

    # Rien d'autre que les fichiers du bilan ne sort par cette adresse.
    assert client.get("/bilan/2026/fichiers/..%2F..%2F..%2Fctg.sqlite3").status_code == 404
    assert client.get("/bilan/2026/fichiers/ctg.sqlite3").status_code == 404


def test_une_annee_a_venir_est_refusee_et_un_lecteur_ne_voit_pas_le_bouton(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    refus = client.post("/bilan", data={"csrf": csrf, "annee": "2027"})
    assert refus.headers["location"] == "/bilan"
    assert "L'année 2027 n'a pas encore commencé" in _texte(client.get("/bilan").text)
    client.cookies.clear()
    connecter(client, "lecture")
    assert "Produire le bilan" not in client.get("/bilan").text
