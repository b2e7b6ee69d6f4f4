"""Le référentiel exporté en YAML, modifié, puis réimporté après un aperçu de ce qui changerait."""

from __future__ import annotations

import re
from html import unescape

import yaml
from fastapi.testclient import TestClient

from tests.web.conftest import connecter, jeton


def _texte(page: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


def _exporter(client: TestClient) -> str:
    export = client.get("/referentiel/export")
    assert export.status_code == 200
    assert export.headers["content-disposition"] == 'attachment; filename="referentiel-lunion.yaml"'
    texte: str = export.text
    return texte


def test_un_referentiel_modifie_s_apercoit_puis_s_applique(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    texte = _exporter(client)
    document = yaml.safe_load(texte)
    ancien = document["enjeux"][0]["intitule"]
    modifie = texte.replace(ancien, "Accompagner toutes les familles", 1)
    apercu = client.post(
        "/referentiel/import",
        data={"csrf": csrf},
        files={"fichier": ("referentiel.yaml", modifie.encode(), "application/yaml")},
    )
    assert apercu.status_code == 200
    page = _texte(apercu.text)
    assert "Territoire « L'Union » mis à jour : enjeu 1 modifié" in page
    assert "Accompagner toutes les familles" not in client.get("/referentiel").text  # rien d'enregistré
    confirme = client.post("/referentiel/import/confirmer", data={"csrf": jeton(client, "/referentiel/import")})
    assert confirme.headers["location"] == "/referentiel"
    assert "Accompagner toutes les familles" in client.get("/referentiel").text


def test_le_referentiel_d_un_autre_territoire_ou_un_autre_fichier_est_refuse(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    autre = re.sub(r"(?m)^(\s*code:\s*)lunion\s*$", r"\1autreville", _exporter(client), count=1)
    refus = client.post(
        "/referentiel/import",
        data={"csrf": csrf},
        files={"fichier": ("autre.yaml", autre.encode(), "application/yaml")},
    )
    assert refus.status_code == 400
    assert "décrit le territoire « autreville », que votre compte ne gère pas (lunion)" in _texte(refus.text)
    document = client.post(
        "/referentiel/import", data={"csrf": csrf}, files={"fichier": ("ref.docx", b"PK", "application/zip")}
    )
    assert document.status_code == 400 and "n'est pas un fichier YAML" in _texte(document.text)
    mal_forme = client.post(
        "/referentiel/import", data={"csrf": csrf}, files={"fichier": ("ref.yaml", b"enjeux: [\n", "application/yaml")}
    )
    assert mal_forme.status_code == 400 and "ref.yaml" in _texte(mal_forme.text)
