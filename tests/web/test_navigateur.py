"""Dans Chromium : la connexion, le tableau de bord, le référentiel ; ce qu'elle voit, accessible (axe-core)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Dialog, Page, expect

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
    ):
        page.goto(chemin)
        expect(page.get_by_role("heading", level=1)).to_contain_text(titre)
        verifier_accessibilite(page)
        page.screenshot(
            path=tmp_path / f"{chemin.strip('/').replace('/', '-') or 'tableau-de-bord'}.png", full_page=True
        )
    assert len(list(tmp_path.glob("*.png"))) == 3


def test_le_lien_d_evitement_mene_au_contenu_au_clavier(page: Page) -> None:
    connecter_page(page, "lecture")
    page.keyboard.press("Tab")
    lien = page.get_by_role("link", name="Aller au contenu")
    expect(lien).to_be_focused()
    expect(lien).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
