"""Les longueurs maximales sont celles des modèles : un texte trop long est refusé en français, rien n'est enregistré.

Même message sur SQLite (qui garderait le texte trop long) et sur PostgreSQL (qui refuserait la ligne par une
trace en anglais), quelle que soit l'entrée : option de la ligne de commande, fichier YAML ou CSV.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gouvernance.comptes_rendus.importation import appliquer_compte_rendu
from gouvernance.erreurs import DonneesInvalides
from gouvernance.longueurs import longueur_maximale, message_trop_long
from modeles import CompteRendu, Personne, Reunion
from modeles.moteur import ouvrir_session
from tests.fabriques import charger_lunion
from tests.test_compte_rendu_import import MAINTENANT, lu, preparer

CTG = Path(sys.executable).with_name("ctg")
TITRE_TROP_LONG = "Comité de pilotage " + "x" * (301 - len("Comité de pilotage "))
MESSAGE_TITRE = "Le champ « titre » de la réunion est trop long : 301 caractères pour 300 au plus."


def ctg(url: str, dossier: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environnement = {cle: valeur for cle, valeur in os.environ.items() if not cle.startswith("CTG_")}
    environnement.update(CTG_HOME=str(dossier), CTG_DATABASE_URL=url, COLUMNS="200", NO_COLOR="1")
    return subprocess.run(
        [str(CTG), *arguments], env=environnement, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def base_lunion(url_base: str, moteur: Engine) -> str:
    with ouvrir_session(moteur, ecriture=True) as session:
        charger_lunion(session)
    return url_base


def _compter(moteur: Engine, modele: type[Reunion] | type[Personne]) -> int:
    with ouvrir_session(moteur) as session:
        return session.scalar(select(func.count()).select_from(modele)) or 0


def test_un_titre_trop_long_en_option_est_refuse_en_francais_sans_rien_enregistrer(
    base_lunion: str, moteur: Engine, tmp_path: Path
) -> None:
    resultat = ctg(
        base_lunion,
        tmp_path,
        "reunion",
        "planifier",
        "--instance",
        "COPIL",
        "--debut",
        "2027-03-09 18:00",
        "--titre",
        TITRE_TROP_LONG,
    )

    assert resultat.returncode == 1, resultat.stdout + resultat.stderr
    assert "Traceback" not in resultat.stderr
    assert MESSAGE_TITRE in resultat.stderr
    assert len(resultat.stderr.strip().splitlines()) <= 3
    assert _compter(moteur, Reunion) == 0


def test_un_titre_de_300_caracteres_passe(base_lunion: str, moteur: Engine, tmp_path: Path) -> None:
    resultat = ctg(
        base_lunion,
        tmp_path,
        "reunion",
        "planifier",
        "--instance",
        "COPIL",
        "--debut",
        "2027-03-09 18:00",
        "--titre",
        TITRE_TROP_LONG[:300],
    )

    assert resultat.returncode == 0, resultat.stderr
    with ouvrir_session(moteur) as session:
        assert session.scalars(select(Reunion.titre)).one() == TITRE_TROP_LONG[:300]


def test_un_titre_trop_long_dans_le_fichier_yaml_est_refuse(base_lunion: str, moteur: Engine, tmp_path: Path) -> None:
    fichier = tmp_path / "reunion.yaml"
    fichier.write_text(f"instance: COPIL\ntitre: {TITRE_TROP_LONG}\ndebut: 2027-03-09 18:00\n", encoding="utf-8")

    resultat = ctg(base_lunion, tmp_path, "reunion", "planifier", str(fichier))

    assert resultat.returncode == 1, resultat.stdout + resultat.stderr
    assert MESSAGE_TITRE in resultat.stderr
    assert "Traceback" not in resultat.stderr
    assert _compter(moteur, Reunion) == 0


def test_un_prenom_trop_long_dans_le_tableur_des_contacts_est_refuse(
    base_lunion: str, moteur: Engine, tmp_path: Path
) -> None:
    fichier = tmp_path / "contacts.csv"
    prenom = "J" * 101
    fichier.write_text(
        "prenom;nom;email\nClaire;Fictive;claire.fictive@example.org\n"
        + f"{prenom};Martin;jeanne.martin@example.org\n",
        encoding="utf-8",
    )

    resultat = ctg(base_lunion, tmp_path, "personnes", "importer", str(fichier))

    assert resultat.returncode == 1, resultat.stdout + resultat.stderr
    # Le lecteur du tableur connaît déjà la limite du modèle et nomme la ligne fautive.
    assert "ligne 3, colonne « prenom » : 101 caractères, 100 au plus." in resultat.stderr
    assert "rien n'a été enregistré" in resultat.stderr
    assert "Traceback" not in resultat.stderr
    assert _compter(moteur, Personne) == 0


def test_la_limite_vient_du_modele_et_vaut_pour_toute_ecriture(session: Session) -> None:
    territoire = charger_lunion(session)
    assert longueur_maximale("reunions", "titre") == 300
    assert longueur_maximale("reunions", "motif_annulation") is None  # Text : pas de limite

    territoire.nom = "N" * 201
    with pytest.raises(DonneesInvalides) as erreur:
        session.flush()
    assert str(erreur.value) == message_trop_long("territoires", "nom", 201, 200)
    assert str(erreur.value).startswith(
        "Le champ « nom » du territoire est trop long : 201 caractères pour 200 au plus."
    )
    session.rollback()


def test_un_secretaire_trop_long_dans_le_compte_rendu_word_est_refuse(session: Session) -> None:
    """Ce que `lire_compte_rendu` relit du document Word passe par le même contrôle avant d'être écrit."""
    _, reunion = preparer(session)

    with pytest.raises(DonneesInvalides) as erreur:
        appliquer_compte_rendu(session, reunion, lu(reunion, secretaire="S" * 201), maintenant=MAINTENANT)

    assert str(erreur.value).startswith(
        "Le champ « secrétaire » du compte rendu est trop long : 201 caractères pour 200 au plus."
    )
    with session.no_autoflush:
        assert session.scalar(select(func.count()).select_from(CompteRendu)) == 0
    session.rollback()
