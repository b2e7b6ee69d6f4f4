"""Partenaires, personnes et import des contacts dans les pages : ce que voit et fait le coordinateur."""

from __future__ import annotations

import re
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from modeles import Fonction, Partenaire, Personne, Territoire
from modeles.moteur import ouvrir_session
from tests.web.conftest import connecter, jeton

CSV_VALIDE = (
    "civilite;prenom;nom;fonction;organisme;email;telephone;instances\n"
    "Mme;Hélène;Lefèvre;Directrice;CAF de la Haute-Garonne;helene.lefevre@caf31.fr;;COPIL\n"
    "M.;Karim;Benali;Directeur;Centre social;karim.benali@centre-social.fr;05 61 00 00 00;\n"
).encode()
CSV_FAUTIF = (
    "prenom;nom;email;instances\n"
    "Hélène;Lefèvre;helene.lefevre@caf31.fr;COPIL\n"
    "Karim;Benali;pas-une-adresse;\n"
    "Zoé;Martin;zoe.martin@ville.fr;COMITE-INCONNU\n"
).encode()


def _texte(html: str) -> str:
    """Le texte d'une page, apostrophes décodées, pour chercher une phrase."""
    return re.sub(r"\s+", " ", html.replace("&#39;", "'").replace("&amp;", "&"))


def test_le_coordinateur_ajoute_cherche_et_modifie_un_partenaire(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    ajout = client.post(
        "/partenaires", data={"csrf": csrf, "nom": "Centre social Le Lien", "sigle": "", "categorie": "association"}
    )
    assert ajout.status_code == 303
    fiche = client.get(ajout.headers["location"])
    assert "Partenaire ajouté : Centre social Le Lien." in fiche.text and "association" in fiche.text
    trouve = client.get("/partenaires", params={"q": "lien"})
    assert "Centre social Le Lien" in trouve.text and "1 partenaire pour « lien »" in _texte(trouve.text)
    modif = client.post(
        ajout.headers["location"],
        data={
            "csrf": csrf,
            "nom": "Centre social Le Lien",
            "sigle": "CSL",
            "categorie": "association",
            "adresse": "1 rue\n31240 L'Union",
        },
    )
    apres = _texte(client.get(modif.headers["location"]).text)
    assert "Modifié : sigle, adresse." in apres and "Centre social Le Lien (CSL)" in apres


def test_un_partenaire_en_double_est_refuse_avec_le_message_du_domaine(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    for _ in range(2):
        refus = client.post("/partenaires", data={"csrf": csrf, "nom": "Centre social Le Lien", "categorie": "autre"})
    assert refus.headers["location"] == "/partenaires"
    assert "existe déjà" in _texte(client.get("/partenaires").text)


def test_le_coordinateur_inscrit_une_personne_la_retrouve_et_change_sa_fonction(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    ajout = client.post(
        "/personnes",
        data={
            "csrf": csrf,
            "civilite": "Madame",
            "prenom": "Hélène",
            "nom": "Lefèvre",
            "email": "Helene.Lefevre@caf31.fr",
            "organisme": "CAF",
            "fonction": "Conseillère territoriale",
        },
    )
    assert ajout.headers["location"] == "/personnes/helene.lefevre@caf31.fr"
    assert "Hélène Lefèvre est dans l'annuaire." in _texte(client.get(ajout.headers["location"]).text)
    recherche = client.get("/personnes", params={"q": "lefevre"}, headers={"HX-Request": "true"})
    assert recherche.text.lstrip().startswith("<table>")  # htmx : le tableau seul
    assert "Hélène Lefèvre" in recherche.text and "Conseillère territoriale" in recherche.text
    modif = client.post(
        "/personnes/helene.lefevre@caf31.fr",
        data={
            "csrf": csrf,
            "civilite": "Madame",
            "prenom": "Hélène",
            "nom": "Lefèvre",
            "nouvel_email": "helene.lefevre@caf31.fr",
            "organisme": "CAF",
            "fonction": "Directrice",
        },
    )
    page = _texte(client.get(modif.headers["location"]).text)
    assert "Modifié : fonction." in page and "Directrice" in page


def test_un_lecteur_voit_l_annuaire_sans_formulaire_d_ajout(client: TestClient) -> None:
    connecter(client, "lecture")
    for chemin in ("/personnes", "/partenaires"):
        page = client.get(chemin)
        assert page.status_code == 200 and "Ajouter" not in page.text
    assert "Importer des contacts" not in client.get("/personnes").text


def test_l_apercu_d_un_fichier_fautif_montre_chaque_ligne_refusee_et_n_enregistre_rien(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    apercu = client.post(
        "/contacts/import", data={"csrf": csrf}, files={"fichier": ("contacts.csv", CSV_FAUTIF, "text/csv")}
    )
    assert apercu.status_code == 200
    page = _texte(apercu.text)
    assert "2 lignes refusées" in page and "1 ligne acceptée" in page
    assert "ligne 3, colonne « email » : « pas-une-adresse » n'est pas une adresse électronique valide" in page
    assert "ligne 4, colonne « instances » : l'instance « COMITE-INCONNU » n'existe pas" in page
    assert "Importer ces contacts" not in page
    assert client.post("/contacts/import/confirmer", data={"csrf": csrf}).headers["location"] == "/contacts/import"
    assert "Hélène" not in client.get("/personnes").text


def test_l_import_des_contacts_se_confirme_apres_l_apercu(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    apercu = client.post(
        "/contacts/import", data={"csrf": csrf}, files={"fichier": ("contacts.csv", CSV_VALIDE, "text/csv")}
    )
    page = _texte(apercu.text)
    assert "2 personnes créées" in page and "2 lignes acceptées" in page
    assert "Hélène" not in client.get("/personnes").text  # l'aperçu n'a rien enregistré
    confirme = client.post("/contacts/import/confirmer", data={"csrf": jeton(client, "/contacts/import")})
    assert confirme.headers["location"] == "/personnes"
    liste = _texte(client.get("/personnes").text)
    assert "Contacts importés : 2 personnes créées" in liste and "Karim Benali" in liste
    # Confirmer une seconde fois ne refait rien : le fichier gardé a été effacé.
    encore = client.post("/contacts/import/confirmer", data={"csrf": jeton(client, "/contacts/import")})
    assert encore.headers["location"] == "/contacts/import"
    assert "Aucun import en attente" in _texte(client.get("/contacts/import").text)


def test_un_fichier_qui_n_est_pas_un_csv_ou_trop_lourd_est_refuse(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    classeur = client.post(
        "/contacts/import", data={"csrf": csrf}, files={"fichier": ("contacts.xlsx", b"PK\x03\x04", "application/zip")}
    )
    assert classeur.status_code == 400 and "« contacts.xlsx » n'est pas un fichier CSV" in _texte(classeur.text)
    lourd = client.post(
        "/contacts/import",
        data={"csrf": csrf},
        files={"fichier": ("contacts.csv", CSV_VALIDE + b"x" * (3 * 1024 * 1024), "text/csv")},
    )
    assert lourd.status_code == 400 and "Ko au plus" in _texte(lourd.text)
    # Un nom de fichier hostile est réduit à son dernier élément et montré échappé.
    hostile = client.post(
        "/contacts/import",
        data={"csrf": csrf},
        files={"fichier": ("..\\..\\<img src=x onerror=alert(1)>.csv", b"\xff\xfe\x00a", "text/csv")},
    )
    assert hostile.status_code == 400 and "encodé en UTF-16" in hostile.text
    assert "<img" not in hostile.text and "« &lt;img src=x onerror=alert(1)&gt;.csv »" in hostile.text


def test_une_personne_d_un_autre_territoire_ne_se_modifie_pas_d_ici(client: TestClient, application: FastAPI) -> None:
    with ouvrir_session(application.state.ctg.moteur, ecriture=True) as session:
        autreville = Territoire(code="autreville", nom="Autreville")
        mairie = Partenaire(nom="Mairie d'Autreville", sigle="MA", territoires=[autreville])
        personne = Personne(email="maire@autreville.fr", prenom="Jean", nom="Ailleurs")
        personne.fonctions.append(Fonction(partenaire=mairie, intitule="Maire", debut=date(2020, 1, 1)))
        session.add_all([autreville, mairie, personne])
    csrf = connecter(client, "coordinateur")  # un compte de L'Union seulement
    refus = client.post(
        "/personnes/maire@autreville.fr",
        data={"csrf": csrf, "prenom": "Piraté", "nom": "Ailleurs", "nouvel_email": "maire@autreville.fr"},
    )
    assert "Aucune personne « maire@autreville.fr » dans l'annuaire de L'Union" in _texte(
        client.get(refus.headers["location"]).text
    )
    assert client.get("/personnes/maire@autreville.fr").status_code == 404
    with ouvrir_session(application.state.ctg.moteur) as session:
        assert session.scalars(select(Personne.prenom).where(Personne.email == "maire@autreville.fr")).one() == "Jean"


def test_l_apercu_signale_un_organisme_qui_en_rappelle_un_existant(client: TestClient) -> None:
    csrf = connecter(client, "coordinateur")
    contenu = (
        "prenom;nom;email;organisme\n"
        "Hélène;Lefèvre;helene.lefevre@caf31.fr;CAF Haute-Garonne\n"
        "Léa;Durand;lea.durand@ville.fr;Ville de L'Unoin\n"
        "Karim;Benali;karim.benali@asso.fr;Association Les Petits Pas\n"
    ).encode()
    apercu = client.post("/contacts/import", data={"csrf": csrf}, files={"fichier": ("c.csv", contenu, "text/csv")})
    page = _texte(apercu.text)
    assert "Organismes à vérifier" in page
    assert "« CAF Haute-Garonne » ressemble à « Caisse d'allocations familiales de la Haute-Garonne (CAF) »" in page
    assert "« Ville de L'Unoin » ressemble à « Ville de L'Union (Ville) »" in page
    assert "« Association Les Petits Pas » ressemble" not in page
    assert "Importer ces contacts" in page  # un avertissement, pas un refus
