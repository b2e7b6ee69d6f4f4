"""Connexion, session, jeton anti-CSRF, limitation des essais, pages d'erreur en français sans trace."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flows.web.application import NOM_COOKIE
from gouvernance.reglages import Reglages
from gouvernance.services.comptes import desactiver_utilisateur
from modeles.moteur import ouvrir_session
from tests.web.conftest import COMPTES, MOT_DE_PASSE, connecter, jeton


def test_la_connexion_ouvre_une_session_http_only_same_site_lax_et_la_deconnexion_la_ferme(client: TestClient) -> None:
    reponse = client.post(
        "/connexion",
        data={"email": COMPTES["coordinateur"], "mot_de_passe": MOT_DE_PASSE, "csrf": jeton(client), "suite": "/"},
    )
    assert reponse.status_code == 303 and reponse.headers["location"] == "/"
    cookie = reponse.headers["set-cookie"].lower()
    assert cookie.startswith(NOM_COOKIE) and "httponly" in cookie and "samesite=lax" in cookie
    assert "; secure" not in cookie  # en http (local), un cookie Secure ne reviendrait pas
    accueil = client.get("/")
    assert accueil.status_code == 200 and "Compte coordinateur" in accueil.text
    sortie = client.post("/deconnexion", data={"csrf": jeton(client, "/")})
    assert sortie.status_code == 303
    assert client.get("/").status_code == 303


def test_derriere_https_le_cookie_de_session_est_secure(application: FastAPI) -> None:
    with TestClient(application, base_url="https://ctg.example.org", follow_redirects=False) as client:
        reponse = client.post(
            "/connexion",
            data={"email": COMPTES["lecture"], "mot_de_passe": MOT_DE_PASSE, "csrf": jeton(client), "suite": "/"},
        )
    assert "; secure" in reponse.headers["set-cookie"].lower()


def test_un_mauvais_mot_de_passe_est_refuse_sans_dire_si_l_adresse_existe(client: TestClient) -> None:
    connue = client.post(
        "/connexion", data={"email": COMPTES["lecture"], "mot_de_passe": "pas le bon du tout", "csrf": jeton(client)}
    )
    inconnue = client.post(
        "/connexion", data={"email": "personne@nulle-part.test", "mot_de_passe": "pas le bon", "csrf": jeton(client)}
    )
    assert connue.status_code == inconnue.status_code == 401
    assert "Adresse électronique ou mot de passe incorrect" in connue.text
    assert connue.text.replace(COMPTES["lecture"], "X") == inconnue.text.replace("personne@nulle-part.test", "X")


def test_apres_cinq_echecs_meme_le_bon_mot_de_passe_attend(client: TestClient) -> None:
    email = COMPTES["coordinateur"]
    for _ in range(5):
        refus = client.post(
            "/connexion", data={"email": email, "mot_de_passe": "essai au hasard", "csrf": jeton(client)}
        )
        assert refus.status_code == 401
    bloque = client.post("/connexion", data={"email": email, "mot_de_passe": MOT_DE_PASSE, "csrf": jeton(client)})
    assert bloque.status_code == 429
    assert "Trop de tentatives de connexion ont échoué" in bloque.text and "15 minutes" in bloque.text
    # Les autres comptes ne sont pas bloqués par les échecs de celui-ci.
    assert connecter(client, "lecture")


def test_un_formulaire_sans_jeton_anti_csrf_est_refuse(client: TestClient) -> None:
    sans = client.post("/connexion", data={"email": COMPTES["lecture"], "mot_de_passe": MOT_DE_PASSE})
    assert sans.status_code == 403 and "Formulaire expiré" in sans.text
    connecter(client, "lecture")
    faux = client.post("/deconnexion", data={"csrf": "un jeton inventé"})
    assert faux.status_code == 403
    assert client.get("/").status_code == 200  # toujours connecté : la déconnexion forgée n'a rien fait


def test_la_connexion_ne_renvoie_jamais_vers_un_autre_site(client: TestClient) -> None:
    for suite in ("https://ailleurs.example/", "//ailleurs.example/", "/\\ailleurs.example"):
        reponse = client.post(
            "/connexion",
            data={"email": COMPTES["lecture"], "mot_de_passe": MOT_DE_PASSE, "csrf": jeton(client), "suite": suite},
        )
        assert reponse.headers["location"] == "/", suite


def test_un_compte_desactive_est_deconnecte_a_la_requete_suivante(client: TestClient, application: FastAPI) -> None:
    connecter(client, "secretaire")
    with ouvrir_session(application.state.ctg.moteur, ecriture=True) as session:
        desactiver_utilisateur(session, COMPTES["secretaire"])
    assert client.get("/").status_code == 303


def test_une_page_inconnue_repond_en_francais(client: TestClient) -> None:
    connecter(client, "lecture")
    reponse = client.get("/cette-page-n-existe-pas")
    assert reponse.status_code == 404 and "Cette page n’existe pas" in reponse.text.replace("&#39;", "’").replace(
        "'", "’"
    )


def test_une_erreur_inattendue_montre_une_reference_et_jamais_la_trace(
    application: FastAPI, reglages_web: Reglages, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.web.pages import tableau_de_bord

    def panne(*_arguments: object, **_options: object) -> object:
        raise RuntimeError("détail interne à ne pas montrer")

    with TestClient(application, follow_redirects=False, raise_server_exceptions=False) as client:
        connecter(client, "lecture")
        monkeypatch.setattr(tableau_de_bord, "lire_tableau_de_bord", panne)
        reponse = client.get("/")
    assert reponse.status_code == 500
    assert "Erreur inattendue" in reponse.text and "réf." in reponse.text
    assert "Traceback" not in reponse.text and "détail interne" not in reponse.text
    journal = (reglages_web.dossier / "journal" / "ctg.log").read_text(encoding="utf-8")
    assert "détail interne à ne pas montrer" in journal and "GET /" in journal


def test_un_envoi_de_plus_de_10_mo_est_refuse_avant_d_etre_lu(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    reponse = client.post(
        "/contacts/import", data={"csrf": csrf}, files={"fichier": ("gros.csv", b"x" * (11 * 1024 * 1024), "text/csv")}
    )
    assert reponse.status_code == 413 and "il dépasse 10 Mo" in reponse.text


def test_chaque_reponse_interdit_les_scripts_en_ligne_et_les_cadres(client: TestClient) -> None:
    for reponse in (client.get("/connexion"), client.get("/"), client.get("/statique/style.css")):
        politique = reponse.headers["content-security-policy"]
        assert "script-src 'self'" in politique and "frame-ancestors 'none'" in politique
        assert reponse.headers["x-content-type-options"] == "nosniff"


def test_un_secretaire_n_agit_que_sur_les_instances_qui_lui_sont_confiees(application: FastAPI) -> None:
    """ctx.exiger_instance, que les pages des réunions et des comptes rendus appellent avant d'agir."""
    from flows.web.contexte import Contexte, Interdit
    from gouvernance.comptes import UtilisateurConnecte
    from modeles import RoleUtilisateur

    def contexte(role: RoleUtilisateur, instances: tuple[int, ...]) -> Contexte:
        utilisateur = UtilisateurConnecte(1, "x@mairie.fr", "", role, (1,), ("lunion",), instances)
        return Contexte(request=None, utilisateur=utilisateur, application=application.state.ctg)  # type: ignore[arg-type]

    contexte(RoleUtilisateur.SECRETAIRE, (3,)).exiger_instance(3)
    with pytest.raises(Interdit, match="n'est pas confiée à votre compte"):
        contexte(RoleUtilisateur.SECRETAIRE, (3,)).exiger_instance(4)
    contexte(RoleUtilisateur.COORDINATEUR, ()).exiger_instance(4)
