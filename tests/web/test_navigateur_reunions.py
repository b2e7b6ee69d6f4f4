"""Les parcours des réunions dans Chromium : la coordinatrice, du COPIL planifié au compte rendu validé ; la
secrétaire, du projet téléchargé au compte rendu validé, et ce que son rôle lui refuse.

Les travaux longs passent par de vrais flux Prefect (le banc d'essai de la session) ; sans SMTP réglé, les
courriels vont à la boîte d'envoi de CTG_HOME.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from flows.cli.secretaire_demo import completer_compte_rendu
from flows.web.taches import Taches, lancer_flux
from gouvernance.base_donnees import ouvrir_base
from gouvernance.documents.rendu import MODELES_D_ORIGINE
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.services.consultation import consulter_reunion
from gouvernance.services.reponses import importer_reponses
from gouvernance.services.reunions import convoquer_reunion
from gouvernance.services.saisie_reunion import SaisiePoint, SaisieReunion, planifier_depuis_saisie
from modeles import Reunion
from modeles.moteur import ouvrir_session
from tests.test_reponses import reponse_ics
from tests.test_services_reunions import envoyer
from tests.web.conftest import ServeurWeb, connecter_page, copier_dossier, servir, verifier_accessibilite
from tests.web.test_pages_reunions import preparer_copil

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

#: Le temps laissé à un flux (documents, LibreOffice, courriels) pour finir.
ATTENTE_FLUX_MS = 180_000


@pytest.fixture(scope="module")
def serveur_reunions(
    modele_web: Path, serveur_prefect: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServeurWeb]:
    """L'application sur un CTG_HOME avec un COPIL de deux membres ; ses flux vont au banc d'essai de Prefect."""
    from flows.web.application import creer_application

    dossier = copier_dossier(modele_web, tmp_path_factory.mktemp("ctg-home-reunions")).dossier
    with pytest.MonkeyPatch.context() as environnement:
        # Les flux relisent leurs réglages dans l'environnement, comme sous `ctg web`.
        environnement.setenv("CTG_HOME", str(dossier))
        environnement.setenv("CTG_ENVOI_DELAIS", "0,0")
        for variable in ("CTG_DATABASE_URL", "CTG_CONFIG", "CTG_SMTP_HOST"):
            environnement.delenv(variable, raising=False)
        reglages = lire_reglages()
        preparer_copil(reglages)
        with ouvrir_session(ouvrir_base(reglages), ecriture=True) as session:
            # Le responsable d'action qu'écrit le secrétaire de la démonstration.
            ajouter_personne(session, FichePersonne(email="luc@example.org", prenom="Luc", nom="Maquette"))
        reglages = lire_reglages()
        application = creer_application(reglages)
        application.state.taches = Taches(lancer_flux(reglages, api=serveur_prefect))
        with servir(application) as adresse:
            yield ServeurWeb(adresse=adresse, reglages=reglages)


@pytest.fixture
def onglet(navigateur: Browser, serveur_reunions: ServeurWeb) -> Iterator[Page]:
    # bypass_csp : seul axe-core, injecté par le test, passe outre la politique de contenu (comme serveur_web).
    contexte = navigateur.new_context(
        base_url=serveur_reunions.adresse, locale="fr-FR", accept_downloads=True, bypass_csp=True
    )
    yield contexte.new_page()
    contexte.close()


def capturer(page: Page, dossier: Path, nom: str) -> None:
    verifier_accessibilite(page)
    page.screenshot(path=str(dossier / f"{nom}.png"), full_page=True)


def attendre_la_tache(page: Page) -> None:
    """La page de la tâche se met à jour seule (htmx) jusqu'au résultat ; puis retour à la réunion."""
    from playwright.sync_api import expect

    expect(page.get_by_text("Terminé.")).to_be_visible(timeout=ATTENTE_FLUX_MS)
    page.get_by_role("link", name="Revenir à la réunion").click()


def tenir_la_reunion(serveur: ServeurWeb, reunion_id: int) -> None:
    """Le temps passe : la réunion a eu lieu le mois dernier (son compte rendu peut être importé et validé)."""
    with ouvrir_session(ouvrir_base(serveur.reglages), ecriture=True) as session:
        reunion = session.get_one(Reunion, reunion_id)
        duree = reunion.fin - reunion.debut
        reunion.debut = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
        reunion.fin = reunion.debut + duree


def televerser_le_compte_rendu(page: Page, dossier: Path, *, captures: bool) -> None:
    """Télécharge le projet, le complète comme un secrétaire, le renvoie, vérifie l'aperçu et confirme."""
    from playwright.sync_api import expect

    page.reload()
    page.get_by_role("button", name="Préparer le projet de compte rendu").click()
    attendre_la_tache(page)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name=re.compile(r"compte-rendu.*\.docx$")).first.click()
    projet = Path(telechargement.value.path())
    complete = dossier / "compte-rendu-complete.docx"
    complete.write_bytes(completer_compte_rendu(projet.read_bytes(), annee=date.today().year + 1))
    page.get_by_label("Compte rendu complété par le secrétaire (.docx)").set_input_files(str(complete))
    page.get_by_role("button", name="Relire le fichier").click()
    decisions = page.get_by_role("table", name="Décisions")
    expect(decisions.get_by_role("row", name=re.compile("petite enfance est approuvé"))).to_contain_text("3.3")
    expect(page.get_by_role("table", name="Actions")).to_contain_text("Luc Maquette")
    if captures:
        capturer(page, dossier, "compte-rendu-apercu")
    page.get_by_role("button", name="Confirmer et enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Compte rendu enregistré")
    page.get_by_role("button", name="Valider le compte rendu").click()
    attendre_la_tache(page)
    expect(page.locator("dl.fiche")).to_contain_text("validé")


def test_la_coordinatrice_planifie_convoque_suit_les_reponses_et_fait_valider_le_compte_rendu(
    onglet: Page, serveur_reunions: ServeurWeb, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = onglet
    connecter_page(page, "coordinateur")
    page.get_by_role("link", name="Réunions").click()
    capturer(page, tmp_path, "reunions")
    page.get_by_role("link", name="Planifier une réunion").click()
    page.get_by_label("Instance", exact=True).select_option("COPIL")
    page.get_by_label("Date", exact=True).fill("2027-01-12")
    page.get_by_label("Heure de début").fill("18:00")
    page.get_by_label("Titre du point 1").fill("Bilan des actions petite enfance")
    page.get_by_label("Orientations du point 1").select_option(["3.3", "5.1"])
    page.get_by_label("Titre du point 2").fill("Calendrier des ateliers parentalité")
    page.get_by_label("Orientations du point 2").select_option(["5.3"])
    capturer(page, tmp_path, "reunion-planifier")
    page.get_by_role("button", name="Planifier la réunion").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("COPIL")
    ordre_du_jour = page.get_by_role("list", name="Ordre du jour")
    expect(ordre_du_jour).to_contain_text("Orientation 3.3")
    expect(ordre_du_jour).to_contain_text("Orientation 5.3")
    capturer(page, tmp_path, "reunion")

    page.get_by_role("link", name="Convoquer").click()
    expect(page.get_by_role("row", name=re.compile("Claire Fictive"))).to_contain_text(
        "convocation-COPIL-Fictive-Claire"
    )
    capturer(page, tmp_path, "reunion-convoquer")
    page.get_by_role("button", name="Confirmer et convoquer").click()
    expect(page.get_by_role("link", name="Voir cette exécution dans Prefect")).to_be_visible(timeout=ATTENTE_FLUX_MS)
    expect(page.locator("#etat-tache")).to_contain_text("messages déposés dans la boîte d'envoi")
    capturer(page, tmp_path, "tache")
    page.get_by_role("link", name="Revenir à la réunion").click()
    expect(page.get_by_role("row", name=re.compile("Karim Modèle"))).to_contain_text("convocation : déposé")

    reglages = serveur_reunions.reglages
    moteur = ouvrir_base(reglages)
    with ouvrir_session(moteur) as session:
        uid = consulter_reunion(session, 1)["uid"]
    reponse = tmp_path / "reponse-karim.ics"
    reponse.write_bytes(reponse_ics("karim@example.org", "ACCEPTED", uid=uid))
    importer_reponses(moteur, [reponse], maintenant=datetime.now(UTC))
    page.reload()
    expect(page.get_by_role("row", name=re.compile("Karim Modèle"))).to_contain_text("a accepté")
    expect(page.get_by_role("row", name=re.compile("Claire Fictive"))).to_contain_text("sans réponse")

    tenir_la_reunion(serveur_reunions, 1)
    televerser_le_compte_rendu(page, tmp_path, captures=True)
    expect(page.get_by_role("list", name="Journal")).to_contain_text("compte rendu validé")
    expect(page.get_by_role("list", name="Documents")).to_contain_text(".pdf")
    capturer(page, tmp_path, "reunion-compte-rendu-valide")


def test_la_secretaire_fait_le_compte_rendu_de_son_instance_et_ne_planifie_pas(
    onglet: Page, serveur_reunions: ServeurWeb, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    reglages = serveur_reunions.reglages
    moteur = ouvrir_base(reglages)
    with ouvrir_session(moteur, ecriture=True) as session:
        saisie = SaisieReunion(
            instance="COPIL", jour="2027-02-09", heure="18:00", points=(SaisiePoint("Bilan", ("3.3",)),)
        )
        reunion_id = planifier_depuis_saisie(session, saisie, territoire=None, maintenant=datetime.now(UTC)).reunion_id
    # Convoquée sans PDF : ce parcours est celui du compte rendu.
    lot = convoquer_reunion(
        moteur, reunion_id, Parametres(reglages, datetime.now(UTC), MODELES_D_ORIGINE, None, smtp=False)
    )
    # Convoquée une fois ses courriels partis (issue 10 §3) : ici déposés dans la boîte d'envoi.
    envoyer(moteur, reglages, lot.messages)

    page = onglet
    connecter_page(page, "secretaire")
    page.goto(f"/reunions/{reunion_id}")
    expect(page.get_by_role("link", name="Convoquer")).to_have_count(0)
    tenir_la_reunion(serveur_reunions, reunion_id)
    televerser_le_compte_rendu(page, tmp_path, captures=False)

    page.goto("/reunions/nouvelle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accès refusé")
    expect(page.get_by_role("alert")).to_contain_text("réservée au rôle « coordinateur »")
