"""`ctg utilisateurs` : créer un compte (mot de passe lu sur l'entrée standard), lister, désactiver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from flows.cli import contexte
from flows.cli.principal import ctg
from gouvernance.comptes import verifier
from gouvernance.erreurs import DonneesInvalides
from modeles import RoleUtilisateur, Utilisateur
from modeles.moteur import ouvrir_session
from tests.fabriques import fermer_base_cli, preparer_base_cli


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
