"""Dans Chromium : la connexion, le tableau de bord, le référentiel ; ce qu'elle voit, accessible (axe-core)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Dialog, Page, expect

from gouvernance.membres import exiger_instance
from gouvernance.territoires import choisir_territoire
from modeles.moteur import creer_moteur, ouvrir_session
from tests.fabriques import creer_reunion
from tests.web.conftest import ServeurWeb, connecter_page, verifier_accessibilite

TITRE_HOSTILE = "<script>alert(1)</script>"


def test_un_titre_de_reunion_en_balises_s_affiche_comme_du_texte(page: Page, serveur_web: ServeurWeb) -> None:
    moteur = creer_moteur(serveur_web.reglages.url_base)
    with ouvrir_session(moteur, ecriture=True) as session:
        copil = exiger_instance(session, choisir_territoire(session, None), "COPIL")
        creer_reunion(session, copil, [], titre=TITRE_HOSTILE, uid="reunion-hostile@ctg.example.org")
    moteur.dispose()
    dialogues: list[str] = []

    def noter(dialogue: Dialog) -> None:
        dialogues.append(dialogue.message)
        dialogue.dismiss()

    page.on("dialog", noter)
    connecter_page(page, "coordinateur")
    expect(page.get_by_role("link", name=TITRE_HOSTILE)).to_be_visible()
    assert dialogues == []
    assert page.locator("main script").count() == 0


def test_chaque_page_est_accessible_et_photographiee(page: Page, tmp_path: Path) -> None:
    page.goto("/connexion")
    expect(page).to_have_title("Connexion — Gouvernance de la CTG")
    verifier_accessibilite(page)
    connecter_page(page, "coordinateur")
    for chemin, titre in (
        ("/", "Tableau de bord"),
        ("/referentiel", "Référentiel de la CTG"),
        ("/referentiel/instances/COPIL", "COPIL"),
        ("/partenaires", "Partenaires"),
        ("/partenaires/1", "Ville de L'Union"),
        ("/personnes", "Personnes"),
        ("/contacts/import", "Importer des contacts"),
        ("/referentiel/import", "Importer le référentiel"),
    ):
        page.goto(chemin)
        expect(page.get_by_role("heading", level=1)).to_contain_text(titre)
        verifier_accessibilite(page)
        page.screenshot(
            path=tmp_path / f"{chemin.strip('/').replace('/', '-') or 'tableau-de-bord'}.png", full_page=True
        )
    assert len(list(tmp_path.glob("*.png"))) == 8


def test_le_lien_d_evitement_mene_au_contenu_au_clavier(page: Page) -> None:
    connecter_page(page, "lecture")
    page.keyboard.press("Tab")
    lien = page.get_by_role("link", name="Aller au contenu")
    expect(lien).to_be_focused()
    expect(lien).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_la_recherche_des_personnes_se_met_a_jour_pendant_la_frappe(
    navigateur: Browser, serveur_web: ServeurWeb
) -> None:
    # Sans passe-droit sur la politique de contenu : htmx doit fonctionner sous elle, comme chez l'utilisatrice.
    contexte = navigateur.new_context(base_url=serveur_web.adresse, locale="fr-FR")
    page = contexte.new_page()
    erreurs: list[str] = []
    page.on("console", lambda message: erreurs.append(message.text) if message.type == "error" else None)
    connecter_page(page, "coordinateur")
    page.goto("/personnes")
    page.get_by_label("Prénom").fill("Zoé")
    page.get_by_label("Nom", exact=True).fill("Recherchée")
    page.get_by_label("Adresse électronique").fill("zoe.recherchee@example.org")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_role("status")).to_have_text("Zoé Recherchée est dans l'annuaire.")
    page.goto("/personnes")
    page.get_by_label("Chercher (nom, adresse, organisme, fonction)").press_sequentially("recherch")
    # htmx remplace le tableau sans recharger la page ; l'adresse suit la recherche.
    expect(page.get_by_role("table")).to_contain_text("1 personne pour « recherch »")
    expect(page).to_have_url(re.compile(r"/personnes\?q=recherch$"))
    expect(page.get_by_role("link", name="Zoé Recherchée")).to_be_visible()
    assert erreurs == []  # ni violation de la politique de contenu, ni erreur de htmx
    contexte.close()
