"""Suivi : les actions d'une réunion validée, filtrées ; leur statut et leur échéance changés sur place, au journal."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from gouvernance.membres import exiger_instance
from gouvernance.territoires import choisir_territoire
from modeles import Action, CompteRendu, Decision, EntreeJournal, Orientation, StatutAction, StatutReunion
from modeles.moteur import creer_moteur, ouvrir_session
from tests.fabriques import creer_reunion
from tests.web.conftest import MAINTENANT, ServeurWeb, connecter, connecter_page, verifier_accessibilite
from tests.web.test_tableau_et_referentiel import _texte


def preparer_reunion_validee(moteur: Engine, *, uid: str) -> list[int]:
    """Un COPIL tenu dont le compte rendu est validé : une décision et trois actions (l'une en retard)."""
    with ouvrir_session(moteur, ecriture=True) as session:
        territoire = choisir_territoire(session, None)
        copil = exiger_instance(session, territoire, "COPIL")
        orientations = {
            o.code: o for o in session.scalars(select(Orientation)) if o.enjeu.territoire_id == territoire.id
        }
        debut = datetime(2026, 11, 17, 17, 0, tzinfo=UTC)
        reunion = creer_reunion(
            session,
            copil,
            [orientations["3.3"]],
            debut=debut,
            fin=debut.replace(hour=19),
            uid=uid,
            statut=StatutReunion.CONVOQUEE,
        )
        session.add(CompteRendu(reunion=reunion, statut="valide", genere_le=MAINTENANT, valide_le=MAINTENANT))
        decision = Decision(reunion=reunion, numero=1, texte="Ouvrir dix places de crèche", cree_le=MAINTENANT)
        decision.orientations.append(orientations["3.3"])
        session.add(decision)
        actions = []
        for libelle, responsable, echeance, code in (
            ("Chiffrer les places de crèche", "Service petite enfance", date(2027, 3, 31), "3.3"),
            ("Relancer le bailleur", "Direction du patrimoine", date(2026, 11, 30), "1.1"),
            ("Écrire au <b>département</b>", "Cabinet du maire", None, "3.3"),
        ):
            action = Action(
                reunion=reunion, libelle=libelle, responsable=responsable, echeance=echeance, cree_le=MAINTENANT
            )
            action.orientations.append(orientations[code])
            session.add(action)
            actions.append(action)
        session.flush()
        return [a.id for a in actions]


def _libelles(page: str) -> list[str]:
    return re.findall(r'<tr id="action-\d+"[^>]*>\s*<td>\d+</td>\s*<td>([^<]*(?:&lt;[^<]*)*)</td>', page)


def test_le_suivi_filtre_les_actions_et_montre_les_decisions(client: TestClient, application: FastAPI) -> None:
    preparer_reunion_validee(application.state.ctg.moteur, uid="suivi-filtres@ctg.example.org")
    connecter(client, "lecture")
    page = client.get("/suivi").text
    # En retard d'abord, puis par échéance ; un libellé en balises reste du texte.
    assert _libelles(page) == [
        "Relancer le bailleur",
        "Chiffrer les places de crèche",
        "Écrire au &lt;b&gt;département&lt;/b&gt;",
    ]
    texte = _texte(page)
    assert "3 actions" in texte and "En retard" in texte
    assert "n°1 : Ouvrir dix places de crèche 3.3 COPIL du 17 novembre 2026" in texte
    assert "à faire, échéance 31/03/2027" in texte
    assert 'id="statut-' not in page  # un lecteur voit le statut, sans formulaire pour le changer
    assert _libelles(client.get("/suivi?orientation=3.3").text) == [
        "Chiffrer les places de crèche",
        "Écrire au &lt;b&gt;département&lt;/b&gt;",
    ]
    assert _libelles(client.get("/suivi?enjeu=1").text) == ["Relancer le bailleur"]
    assert _libelles(client.get("/suivi?responsable=petite+enfance").text) == ["Chiffrer les places de crèche"]
    assert _libelles(client.get("/suivi?echeance=2026-12-31").text) == ["Relancer le bailleur"]
    assert _libelles(client.get("/suivi?instance=COTECH").text) == []
    filtree = _texte(client.get("/suivi?statut=fait").text)
    assert "Aucune action pour ces filtres." in filtree and "Ouvrir dix places" not in filtree


def test_le_coordinateur_change_une_action_sur_place_et_le_journal_le_garde(
    client: TestClient, application: FastAPI
) -> None:
    moteur = application.state.ctg.moteur
    numero = preparer_reunion_validee(moteur, uid="suivi-modifier@ctg.example.org")[1]
    csrf = connecter(client, "coordinateur")
    ligne = client.post(
        f"/suivi/actions/{numero}",
        data={"csrf": csrf, "statut": "fait", "echeance": "2026-12-15"},
        headers={"HX-Request": "true"},
    )
    assert ligne.status_code == 200 and ligne.text.lstrip().startswith(f'<tr id="action-{numero}"')
    assert f"Action n°{numero} : fait, échéance 15/12/2026." in _texte(ligne.text)
    assert "En retard" not in ligne.text
    # Sans htmx : le formulaire ordinaire revient à la page filtrée d'où il est parti.
    retour = client.post(
        f"/suivi/actions/{numero}",
        data={"csrf": csrf, "statut": "en_cours", "echeance": "2026-12-15", "suite": "/suivi?instance=COPIL"},
    )
    assert retour.status_code == 303 and retour.headers["location"] == "/suivi?instance=COPIL"
    assert f"Action n°{numero} : en cours, échéance 15/12/2026." in _texte(client.get(retour.headers["location"]).text)
    with ouvrir_session(moteur) as session:
        action = session.get(Action, numero)
        assert action is not None and action.statut is StatutAction.EN_COURS
        journal = session.scalars(select(EntreeJournal).where(EntreeJournal.reunion_id == action.reunion_id)).all()
    assert [(e.auteur, e.action.libelle, e.details) for e in journal] == [
        (
            "coordinatrice@mairie-lunion.fr",
            "action modifiée",
            f"Action n°{numero} « Relancer le bailleur » : statut « à faire » → « fait », "
            "échéance 30/11/2026 → 15/12/2026",
        ),
        (
            "coordinatrice@mairie-lunion.fr",
            "action modifiée",
            f"Action n°{numero} « Relancer le bailleur » : statut « fait » → « en cours »",
        ),
    ]


def test_une_echeance_hors_des_annees_gerees_est_refusee_en_francais(client: TestClient, application: FastAPI) -> None:
    numero = preparer_reunion_validee(application.state.ctg.moteur, uid="suivi-refus@ctg.example.org")[0]
    csrf = connecter(client, "coordinateur")
    envoi = client.post(
        f"/suivi/actions/{numero}",
        data={"csrf": csrf, "statut": "fait", "echeance": "1899-12-31"},
        headers={"HX-Request": "true"},
    )
    assert envoi.headers["HX-Refresh"] == "true"
    assert "l'année 1899 est hors des années que gère ctg" in _texte(client.get("/suivi").text)
    inconnue = client.post("/suivi/actions/999999", data={"csrf": csrf, "statut": "fait"})
    assert "Aucune action n°999999 dans le territoire" in _texte(client.get(inconnue.headers["location"]).text)


def test_dans_le_navigateur_une_action_de_la_reunion_validee_passe_a_fait(
    page: Page, serveur_web: ServeurWeb, tmp_path: Path
) -> None:
    moteur = creer_moteur(serveur_web.reglages.url_base)
    numero = preparer_reunion_validee(moteur, uid="suivi-navigateur@ctg.example.org")[0]
    moteur.dispose()
    connecter_page(page, "coordinateur")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Suivi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivi des actions et des décisions")
    ligne = page.locator(f"#action-{numero}")
    expect(ligne).to_contain_text("Chiffrer les places de crèche")
    verifier_accessibilite(page)
    page.screenshot(path=tmp_path / "suivi.png", full_page=True)
    ligne.get_by_label(f"Statut de l'action n°{numero}").select_option(label="fait")
    ligne.get_by_role("button", name=f"Enregistrer l'action n°{numero}").click()
    expect(page.locator(f"#action-{numero}").get_by_role("status")).to_have_text(
        f"Action n°{numero} : fait, échéance 31/03/2027."
    )
    verifier_accessibilite(page)
    page.reload()
    expect(page.get_by_label(f"Statut de l'action n°{numero}")).to_have_value("fait")
    page.get_by_label("Statut", exact=True).select_option(label="fait")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(f"#action-{numero}")).to_be_visible()
    assert (tmp_path / "suivi.png").stat().st_size > 0


def test_calendrier_et_bilan_sont_accessibles_et_photographies(page: Page, tmp_path: Path) -> None:
    connecter_page(page, "coordinateur")
    for chemin, titre in (("/calendrier?annee=2027", "Calendrier 2027"), ("/bilan?annee=2026", "Bilan annuel 2026")):
        page.goto(chemin)
        expect(page.get_by_role("heading", level=1)).to_contain_text(titre)
        verifier_accessibilite(page)
        page.screenshot(path=tmp_path / f"{titre.split()[0].lower()}.png", full_page=True)
    expect(page.get_by_role("button", name="Produire le bilan 2026")).to_be_visible()
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["bilan.png", "calendrier.png"]
