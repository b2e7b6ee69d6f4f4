"""`ctg demo` (la commande principale du README) et les commandes de réunion, en vrais processus.

Les flux Prefect de ces processus passent par le banc d'essai de la session (PREFECT_API_URL) : ils ne
démarrent pas chacun leur serveur temporaire.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections import Counter
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest
import vobject

CTG = Path(sys.executable).with_name("ctg")
#: Le début du nom des .eml de la boîte d'envoi, après la date, pour chaque nature de courriel.
NATURES_DES_FICHIERS = ("convocation", "modification", "relance-reponse", "compte-rendu", "annulation", "recapitulatif")


def lancer(
    dossier: Path, url_prefect: str, *arguments: str, entree: str | None = None
) -> subprocess.CompletedProcess[str]:
    environnement = {**os.environ, "CTG_HOME": str(dossier), "PREFECT_API_URL": url_prefect, "COLUMNS": "150"}
    environnement.pop("CTG_DATABASE_URL", None)
    return subprocess.run(
        [str(CTG), *arguments],
        env=environnement,
        capture_output=True,
        text=True,
        timeout=300,
        input=entree,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, serveur_prefect: str
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    dossier = tmp_path_factory.mktemp("demo") / "demo-ctg"
    return dossier, lancer(dossier, serveur_prefect, "demo")


def test_la_demo_deroule_tout_le_parcours_sans_erreur(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    dossier, resultat = demo
    assert resultat.returncode == 0, resultat.stderr
    assert "Traceback" not in resultat.stdout + resultat.stderr
    assert "8 enjeux, 33 orientations." in resultat.stdout
    assert "12 personnes créées" in resultat.stdout
    assert "8 courriels déjà préparés" in resultat.stdout
    courriels = sorted((dossier / "boite-envoi").glob("*.eml"))
    natures = Counter(
        next(n for n in NATURES_DES_FICHIERS if chemin.name[len("AAAA-MM-JJ-") :].startswith(n)) for chemin in courriels
    )
    # COPIL : 8 convocations, 8 modifications, 5 relances (les 5 invités sans réponse) et 9 comptes rendus (la
    # coordinatrice, qui organise, n'est ni convoquée ni relancée, mais reçoit le compte rendu) ;
    # COTECH : 5 convocations et 5 annulations ; le récapitulatif de la semaine au coordinateur.
    assert natures == {
        "convocation": 13,
        "modification": 8,
        "relance-reponse": 5,
        "compte-rendu": 9,
        "annulation": 5,
        "recapitulatif": 1,
    }
    assert "Les 6 messages ont déjà été traités lors d'un passage précédent : aucun ne repart." in resultat.stdout
    assert "Aucune nouvelle réunion à enregistrer." in resultat.stdout
    annee = re.search(r"Bilan annuel (\d{4}) de L'Union", resultat.stdout)
    assert annee is not None, resultat.stdout
    bilans = dossier / "documents" / "bilans" / annee[1]
    assert {chemin.suffix for chemin in bilans.iterdir()} >= {".docx", ".csv", ".png"}
    assert "Présences : 8 présents, 1 excusée." in resultat.stdout
    assert "Simulation : rien n'a été enregistré." in resultat.stdout
    assert "Compte rendu importé." in resultat.stdout
    assert "Action n°1 : en cours, échéance 31/03/" in resultat.stdout
    assert any(p.suffix == ".pdf" for p in (dossier / "documents").rglob("*")) or "LibreOffice" in resultat.stdout
    # Le logo de la Ville (CTG_LOGO, relatif au dossier de la démonstration) en tête de chaque convocation.
    convocation = next((dossier / "documents").rglob("convocation-COPIL-*.docx"))
    with zipfile.ZipFile(convocation) as archive:
        assert any(nom.startswith("word/media/") for nom in archive.namelist()), convocation.name


def test_la_demo_cree_le_compte_web_de_la_coordinatrice_qui_ouvre_l_application(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    from fastapi.testclient import TestClient

    from flows.web.application import creer_application
    from gouvernance.reglages import lire_reglages

    dossier, resultat = demo
    trouve = re.search(
        r"Compte créé : cooperation\.ctg@example\.org \(coordinateur\), mot de passe : (\S+)", resultat.stdout
    )
    assert trouve is not None, resultat.stdout
    assert f"CTG_HOME={dossier} ctg web" in resultat.stdout
    with TestClient(creer_application(lire_reglages({"CTG_HOME": str(dossier)})), follow_redirects=False) as client:
        jeton = re.search(r'name="csrf" value="([^"]+)"', client.get("/connexion").text)
        assert jeton is not None
        donnees = {"email": "cooperation.ctg@example.org", "mot_de_passe": trouve[1], "csrf": jeton[1]}
        assert client.post("/connexion", data=donnees).status_code == 303
        accueil = client.get("/")
    assert accueil.status_code == 200 and "Nadia Prototype" in accueil.text


def test_le_calendrier_de_la_demo_se_lit_avec_un_second_lecteur(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    dossier, _ = demo
    calendrier = vobject.readOne((dossier / "calendrier-ctg.ics").read_text(encoding="utf-8"))
    assert calendrier.method.value == "PUBLISH"
    evenements = sorted(calendrier.vevent_list, key=lambda e: e.dtstart.value)
    assert [e.status.value for e in evenements] == ["CONFIRMED", "CANCELLED"]
    assert evenements[0].location.value.startswith("Salle des fêtes")
    assert evenements[0].dtstart.value.hour == 18
    assert int(evenements[0].sequence.value) == 1


def test_reunion_voir_json_donne_les_invitations_documents_et_messages(
    demo: tuple[Path, subprocess.CompletedProcess[str]], serveur_prefect: str
) -> None:
    dossier, _ = demo
    resultat = lancer(dossier, serveur_prefect, "reunion", "voir", "1", "--json")
    assert resultat.returncode == 0, resultat.stderr
    reunion = json.loads(resultat.stdout)
    assert {"id", "uid", "sequence", "statut", "debut", "fin", "lieu", "invitations", "documents", "messages"} <= set(
        reunion
    )
    # La démonstration importe le compte rendu du comité : il est « tenue ».
    assert (reunion["statut"], reunion["sequence"]) == ("tenue", 1)
    assert {"email", "nom", "reponse"} <= set(reunion["invitations"][0])
    assert {"type", "chemin"} <= set(reunion["documents"][0])
    assert {"destinataire", "etat", "chemin"} <= set(reunion["messages"][0])
    assert all(Path(m["chemin"]).is_file() and m["etat"] == "depose" for m in reunion["messages"])
    assert all(Path(d["chemin"]).is_file() for d in reunion["documents"])


def test_une_reunion_annulee_ne_se_convoque_plus_et_les_erreurs_sont_en_francais(
    demo: tuple[Path, subprocess.CompletedProcess[str]], serveur_prefect: str, tmp_path: Path
) -> None:
    dossier, _ = demo
    annulee = lancer(dossier, serveur_prefect, "reunion", "convoquer", "2")
    assert annulee.returncode == 1
    assert "a été annulée : elle ne peut plus être convoquée" in annulee.stderr
    fichier = tmp_path / "faux.yaml"
    fichier.write_text("instance: COPIL\ndebut: 2027-03-28 02:30\npoints:\n  - titre: X\n    orientations: [9.9]\n")
    faux = lancer(dossier, serveur_prefect, "reunion", "planifier", str(fichier))
    assert faux.returncode == 1
    assert "2 h 30 n'existe pas le dimanche 28 mars 2027" in faux.stderr
    assert "« 9.9 » n'est pas une orientation" in faux.stderr
    assert "Traceback" not in faux.stderr
    inconnue = lancer(dossier, serveur_prefect, "reunion", "voir", "99")
    assert (inconnue.returncode, inconnue.stderr.strip()) == (
        1,
        "Erreur : Aucune réunion n°99. `ctg reunions` les liste.",
    )


def test_sans_coordinateur_regle_la_convocation_explique_quoi_ecrire(
    demo: tuple[Path, subprocess.CompletedProcess[str]], serveur_prefect: str
) -> None:
    dossier, _ = demo
    reglages = dossier / "ctg.toml"
    sauvegarde = reglages.read_text(encoding="utf-8")
    reglages.unlink()
    try:
        resultat = lancer(dossier, serveur_prefect, "reunion", "convoquer", "1")
    finally:
        reglages.write_text(sauvegarde, encoding="utf-8")
    assert resultat.returncode == 1
    assert "Le coordinateur de la CTG n'est pas réglé" in resultat.stderr
    assert "[coordinateur]" in resultat.stderr


def test_diffuser_une_seconde_fois_le_compte_rendu_n_envoie_rien(
    demo: tuple[Path, subprocess.CompletedProcess[str]], serveur_prefect: str
) -> None:
    dossier, _ = demo
    avant = sorted((dossier / "boite-envoi").iterdir())
    resultat = lancer(dossier, serveur_prefect, "compte-rendu", "diffuser", "1")
    assert resultat.returncode == 0, resultat.stderr
    assert "9 messages déjà traités, laissés tels quels." in resultat.stdout
    assert sorted((dossier / "boite-envoi").iterdir()) == avant
    suivi = json.loads(lancer(dossier, serveur_prefect, "suivi", "--json").stdout)
    assert [a["statut"] for a in suivi["actions"]] == ["a_faire", "en_cours"]
    assert len(suivi["decisions"]) == 2


def test_l_apercu_d_une_convocation_montre_qui_recoit_quoi_sans_rien_enregistrer_ni_envoyer(
    demo: tuple[Path, subprocess.CompletedProcess[str]], serveur_prefect: str
) -> None:
    dossier, _ = demo
    debut = f"{date.today() + timedelta(days=60):%Y-%m-%d} 14:00"
    planifiee = lancer(dossier, serveur_prefect, "reunion", "planifier", "--instance", "COTECH", "--debut", debut)
    assert planifiee.returncode == 0, planifiee.stderr
    numero = re.search(r"Réunion n°(\d+) planifiée", planifiee.stdout)
    assert numero is not None, planifiee.stdout

    def etat() -> tuple[object, ...]:
        with closing(sqlite3.connect(dossier / "ctg.sqlite3")) as base:
            comptes = tuple(
                base.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
                for table in ("reunions", "invitations", "messages", "documents")
            )
            statut = base.execute("SELECT statut FROM reunions WHERE id = ?", (int(numero[1]),)).fetchone()
        return comptes, statut, sorted((dossier / "boite-envoi").iterdir())

    avant = etat()
    apercu = lancer(dossier, serveur_prefect, "reunion", "convoquer", numero[1], "--simulation")

    assert apercu.returncode == 0, apercu.stderr
    assert etat() == avant
    assert f"Aperçu de la convocation de la réunion n°{numero[1]} (COTECH du " in apercu.stdout
    assert (
        "Pièces jointes de chaque courriel : son courrier, ordre-du-jour-COTECH.pdf, invitation.ics." in apercu.stdout
    )
    assert "Objet : Convocation — Comité technique, " in apercu.stdout
    assert "│ Nous avons le plaisir de vous convier à la réunion suivante" in apercu.stdout
    assert "Simulation : rien n'a été enregistré ni envoyé" in apercu.stdout
    exemples = list((dossier / "apercus").iterdir())
    # En PDF avec LibreOffice, en Word sans lui.
    assert [chemin.stem for chemin in exemples] == [f"apercu-convocation-reunion-{numero[1]}-COTECH"]
    assert f"Exemple de courrier, à ouvrir : {exemples[0]}" in apercu.stdout
