"""`ctg utilisateurs` : créer un compte (mot de passe lu sur l'entrée standard), lister, désactiver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from flows import serveur_local
from flows.cli import contexte
from flows.cli.principal import ctg
from flows.serveur_local import Serveur
from gouvernance.comptes import verifier
from gouvernance.erreurs import DonneesInvalides
from modeles import RoleUtilisateur, Utilisateur
from modeles.moteur import ouvrir_session
from tests.fabriques import fermer_base_cli, preparer_base_cli
from tests.web.conftest import MAINTENANT


@pytest.fixture
def base_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    preparer_base_cli(tmp_path, monkeypatch)
    yield
    fermer_base_cli()


def test_ctg_utilisateurs_ajouter_lit_le_mot_de_passe_et_n_enregistre_que_son_empreinte(base_cli: None) -> None:
    ajout = CliRunner().invoke(
        ctg,
        [
            "utilisateurs",
            "ajouter",
            "Claire.Martin@Mairie-LUnion.fr",
            "--role",
            "secretaire",
            "--nom",
            "Claire Martin",
            "--instance",
            "COPIL",
        ],
        input="une longue phrase secrète\n",
    )
    assert ajout.exit_code == 0, ajout.output
    assert "Compte créé : claire.martin@mairie-lunion.fr (secrétaire)" in ajout.output
    assert "Instances confiées : COPIL" in ajout.output
    with ouvrir_session(contexte.moteur()) as session:
        compte = session.scalars(select(Utilisateur)).one()
        assert compte.role is RoleUtilisateur.SECRETAIRE and [t.code for t in compte.territoires] == ["lunion"]
        assert compte.mot_de_passe.startswith("$argon2id$") and "phrase" not in compte.mot_de_passe
        assert verifier("une longue phrase secrète", compte.mot_de_passe)
    liste = CliRunner().invoke(ctg, ["utilisateurs", "--json"])
    assert json.loads(liste.output)[0] | {"actif": True} == {
        "email": "claire.martin@mairie-lunion.fr",
        "nom": "Claire Martin",
        "role": "secretaire",
        "actif": True,
        "territoires": ["lunion"],
        "instances": ["COPIL"],
    }
    desactive = CliRunner().invoke(ctg, ["utilisateurs", "desactiver", "claire.martin@mairie-lunion.fr"])
    assert desactive.exit_code == 0, desactive.output
    assert json.loads(CliRunner().invoke(ctg, ["utilisateurs", "--json"]).output)[0]["actif"] is False
    nouveau = CliRunner().invoke(
        ctg, ["utilisateurs", "mot-de-passe", "claire.martin@mairie-lunion.fr"], input="un autre mot de passe long\n"
    )
    assert nouveau.exit_code == 0, nouveau.output
    with ouvrir_session(contexte.moteur()) as session:
        compte = session.scalars(select(Utilisateur)).one()
        assert compte.actif and verifier("un autre mot de passe long", compte.mot_de_passe)
        assert not verifier("une longue phrase secrète", compte.mot_de_passe)


@pytest.mark.parametrize(
    ("arguments", "mot_de_passe", "message"),
    [
        (
            ["--role", "coordinateur"],
            "court\n",
            "Le mot de passe est trop court (5 caractères) : il en faut au moins 12.",
        ),
        (
            ["--role", "chef"],
            "une longue phrase secrète\n",
            "« chef » n'est pas un rôle d'utilisateur reconnu (écrivez coordinateur, secrétaire ou lecture seule)",
        ),
        (
            ["--role", "lecture", "--instance", "COPIL"],
            "une longue phrase secrète\n",
            "Seul un compte secrétaire reçoit des instances",
        ),
        (["--role", "lecture"], "", "Aucun mot de passe lu sur l'entrée standard"),
    ],
)
def test_ctg_utilisateurs_ajouter_refuse_en_disant_quoi_corriger(
    base_cli: None, arguments: list[str], mot_de_passe: str, message: str
) -> None:
    resultat = CliRunner().invoke(
        ctg, ["utilisateurs", "ajouter", "a@mairie-lunion.fr", *arguments], input=mot_de_passe
    )
    assert isinstance(resultat.exception, DonneesInvalides)
    assert message in str(resultat.exception)
    with ouvrir_session(contexte.moteur()) as session:
        assert session.scalars(select(Utilisateur)).all() == []


def test_une_adresse_deja_prise_est_refusee(base_cli: None) -> None:
    for _ in range(2):
        resultat = CliRunner().invoke(
            ctg,
            ["utilisateurs", "ajouter", "a@mairie-lunion.fr", "--role", "lecture"],
            input="une longue phrase secrète\n",
        )
    assert isinstance(resultat.exception, DonneesInvalides)
    assert "Un compte « a@mairie-lunion.fr » existe déjà" in str(resultat.exception)


def test_ctg_web_sert_l_application_sur_la_base_de_ctg_home_et_dit_son_adresse(
    base_cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from fastapi import FastAPI

    lancements: list[tuple[object, str, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **_: lancements.append((app, host, port)))
    demarres: list[Path] = []

    def demarrer(dossier: Path, *, inactivite: float | None) -> tuple[Serveur, bool]:
        demarres.append(dossier)
        return Serveur(pid=1, port=4299, demarre_le="", inactivite=inactivite), True

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(serveur_local, "demarrer_serveur", demarrer)
    resultat = CliRunner().invoke(ctg, ["web", "--port", "8765"])
    assert resultat.exit_code == 0, resultat.output
    assert "Application web : http://127.0.0.1:8765/" in resultat.output
    # Installation intégrée : le serveur Prefect de CTG_HOME démarre avec l'application, sans arrêt automatique.
    assert demarres == [contexte.reglages().dossier]
    assert "Prefect : http://127.0.0.1:4299 (chaque travail long y a son exécution)" in resultat.output
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.interne:4200/api")
    ailleurs = CliRunner().invoke(ctg, ["web", "--port", "8765"])
    assert "Travaux longs suivis par le serveur Prefect http://prefect.interne:4200/api." in ailleurs.output
    assert len(demarres) == 1 and len(lancements) == 2
    lancements.pop()
    [(application, hote, port)] = lancements
    assert isinstance(application, FastAPI) and (hote, port) == ("127.0.0.1", 8765)
    assert application.state.ctg.reglages.dossier == contexte.reglages().dossier


def test_ctg_web_sur_un_port_deja_pris_le_dit_en_francais(base_cli: None) -> None:
    import socket

    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        prise.listen()
        port = prise.getsockname()[1]
        resultat = CliRunner().invoke(ctg, ["web", "--port", str(port)])
    assert isinstance(resultat.exception, DonneesInvalides)
    assert f"Impossible d'écouter sur 127.0.0.1, port {port} : il est déjà pris" in str(resultat.exception)


def test_ctg_web_sans_base_dit_comment_la_creer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gouvernance.erreurs import BaseAbsente

    monkeypatch.setenv("CTG_HOME", str(tmp_path / "vide"))
    monkeypatch.delenv("CTG_DATABASE_URL", raising=False)
    contexte.reglages.cache_clear()
    try:
        resultat = CliRunner().invoke(ctg, ["web"])
    finally:
        contexte.reglages.cache_clear()
    assert isinstance(resultat.exception, BaseAbsente)


def test_le_journal_d_une_reunion_dit_qui_a_fait_quoi_et_quand_dans_l_ordre(session: Session) -> None:
    from gouvernance.comptes import UtilisateurConnecte
    from gouvernance.membres import exiger_instance
    from gouvernance.services.comptes import journaliser, lire_journal
    from modeles import ActionJournal
    from tests.fabriques import charger_lunion, creer_reunion

    copil = exiger_instance(session, charger_lunion(session), "COPIL")
    reunion, autre = creer_reunion(session, copil, []), creer_reunion(session, copil, [], uid="autre@ctg.example.org")
    compte = Utilisateur(
        email="c@mairie.fr", nom="C", mot_de_passe="x", role=RoleUtilisateur.COORDINATEUR, cree_le=MAINTENANT
    )
    session.add(compte)
    session.flush()
    auteur = UtilisateurConnecte(compte.id, compte.email, "C", compte.role, (), (), ())
    journaliser(
        session,
        auteur,
        ActionJournal.ANNULATION,
        le=MAINTENANT + timedelta(hours=1),
        reunion_id=reunion.id,
        details="motif : salle indisponible",
    )
    journaliser(session, auteur, ActionJournal.CONVOCATION, le=MAINTENANT, reunion_id=reunion.id)
    journaliser(session, auteur, ActionJournal.CONVOCATION, le=MAINTENANT, reunion_id=autre.id)
    session.flush()
    lignes = lire_journal(session, reunion_id=reunion.id)
    assert [(ligne.action.libelle, ligne.auteur, ligne.details) for ligne in lignes] == [
        ("réunion convoquée", "c@mairie.fr", None),
        ("réunion annulée", "c@mairie.fr", "motif : salle indisponible"),
    ]
    assert lignes[0].le == MAINTENANT
