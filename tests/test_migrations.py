"""Les migrations : chacune monte, descend et remonte, et une base de la version précédente monte sans rien perdre.

Sur un fichier SQLite et sur PostgreSQL (une base neuve par test), avec Alembic tel que `ctg migrer` l'emploie.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text

from gouvernance.base_donnees import sans_cles_etrangeres_sqlite, verifier_cles_etrangeres
from modeles import Base, CompteRendu, Document, Message, StatutConvention, Territoire
from modeles.moteur import creer_moteur, ouvrir_session
from tests.conftest import URL_SERVEUR_POSTGRESQL, manque

#: La dernière révision de la version précédente de l'outil.
REVISION_PRECEDENTE = "0005"
INSTANT = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


def _configuration() -> Config:
    configuration = Config()
    configuration.set_main_option("script_location", "modeles:migrations")
    return configuration


#: Toutes les révisions, de la première à la dernière.
REVISIONS = [script.revision for script in ScriptDirectory.from_config(_configuration()).walk_revisions()][::-1]


def alembic(moteur: Engine, action: str, cible: str, *, ctg_home: Path | None = None) -> None:
    """`alembic upgrade|downgrade cible` sur la base de `moteur`, comme `ctg migrer`."""
    configuration = _configuration()
    # Comme `ctg migrer` : sous SQLite, clés étrangères suspendues puis vérifiées (le mode batch recrée les tables).
    with moteur.connect() as connexion, sans_cles_etrangeres_sqlite(connexion), connexion.begin():
        configuration.attributes["connection"] = connexion
        if ctg_home is not None:
            configuration.attributes["ctg_home"] = str(ctg_home)
        getattr(command, action)(configuration, cible)
        verifier_cles_etrangeres(connexion)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def base_vierge(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """Une base sans aucune table : un fichier SQLite, puis une base PostgreSQL créée pour le test."""
    monkeypatch.delenv("CTG_HOME", raising=False)
    if request.param == "sqlite":
        moteur = creer_moteur(f"sqlite:///{tmp_path / 'ctg.sqlite3'}")
        yield moteur
        moteur.dispose()
        return
    nom = f"ctg_migrations_{uuid.uuid4().hex[:10]}"
    try:
        administration = create_engine(URL_SERVEUR_POSTGRESQL, isolation_level="AUTOCOMMIT")
        with administration.connect() as connexion:
            connexion.execute(text(f'CREATE DATABASE "{nom}"'))
    except Exception as erreur:
        manque("PostgreSQL", f"{URL_SERVEUR_POSTGRESQL} ne répond pas ({type(erreur).__name__})")
    moteur = creer_moteur(administration.url.set(database=nom).render_as_string(hide_password=False))
    yield moteur
    moteur.dispose()
    with administration.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE "{nom}" WITH (FORCE)'))
    administration.dispose()


def _schema(moteur: Engine) -> dict[str, list[str]]:
    with moteur.connect() as connexion:
        inspection = sa.inspect(connexion)
        return {
            table: sorted(c["name"] for c in inspection.get_columns(table)) for table in inspection.get_table_names()
        }


def test_chaque_migration_monte_descend_et_remonte(base_vierge: Engine) -> None:
    precedente = "base"
    for revision in REVISIONS:
        alembic(base_vierge, "upgrade", revision)
        montee = _schema(base_vierge)
        alembic(base_vierge, "downgrade", precedente)
        assert _schema(base_vierge).keys() < montee.keys() or revision != REVISIONS[0]
        alembic(base_vierge, "upgrade", revision)
        assert _schema(base_vierge) == montee, f"la révision {revision} ne remonte pas à l'identique"
        precedente = revision


def test_le_schema_migre_est_celui_des_modeles(base_vierge: Engine) -> None:
    """Une colonne, une table ou un index du modèle oublié dans les migrations se voit ici."""
    alembic(base_vierge, "upgrade", "head")
    with base_vierge.connect() as connexion:
        differences = compare_metadata(MigrationContext.configure(connexion), Base.metadata)
    assert differences == []


# --- Une base de la version précédente, avec de vraies lignes ------------------------------------------------------


def _remplir_version_precedente(moteur: Engine, ctg_home: Path, ailleurs: Path) -> None:
    """Ce qu'une CTG en service contient, écrit avec le schéma de la version précédente (révision 0005)."""
    convocation = ctg_home / "documents" / "2026" / "COPIL-2026-03-10" / "convocation-jeanne.docx"
    eml = ctg_home / "boite-envoi" / "2026-03-01-convocation-jeanne.eml"
    lignes: dict[str, list[dict[str, Any]]] = {
        "territoires": [{"id": 1, "code": "lunion", "nom": "L'Union"}],
        "conventions": [
            {
                "id": 1,
                "territoire_id": 1,
                "intitule": "CTG de L'Union",
                "debut": date(2022, 1, 1),
                "fin": date(2026, 12, 31),
            }
        ],
        "partenaires": [{"id": 1, "nom": "Ville de L'Union", "categorie": "commune"}],
        "territoires_partenaires": [{"territoire_id": 1, "partenaire_id": 1}],
        "personnes": [
            {"id": 1, "email": "jeanne.martin@example.org", "prenom": "Jeanne", "nom": "Martin"},
            {"id": 2, "email": "paul.durand@example.org", "prenom": "Paul", "nom": "Durand"},
        ],
        "fonctions": [
            {"id": 1, "personne_id": 1, "partenaire_id": 1, "intitule": "Adjointe", "debut": date(2020, 7, 1)}
        ],
        "enjeux": [{"id": 1, "territoire_id": 1, "numero": 1, "intitule": "L'accès aux droits", "precisions": []}],
        "orientations": [{"id": 1, "enjeu_id": 1, "numero": 1, "code": "1.1", "intitule": "Un accueil en mairie"}],
        "instances": [
            {
                "id": 1,
                "territoire_id": 1,
                "code": "COPIL",
                "intitule": "Comité de pilotage",
                "type": "copil",
                "duree_minutes": 120,
                "delai_convocation_jours": 5,
                "partenaire_id": 1,
            }
        ],
        "membres": [{"id": 1, "instance_id": 1, "personne_id": 1, "role": "president"}],
        "reunions": [
            {
                "id": 1,
                "instance_id": 1,
                "titre": "COPIL de mars",
                "debut": INSTANT,
                "fin": INSTANT,
                "statut": "convoquee",
                "uid": "reunion-1@ctg",
                "sequence": 0,
                "cree_le": INSTANT,
            }
        ],
        "points_ordre_du_jour": [
            {"id": 1, "reunion_id": 1, "ordre": 1, "titre": "Bilan petite enfance"},
            {"id": 2, "reunion_id": 1, "ordre": 2, "titre": "Questions diverses"},
        ],
        "points_orientations": [{"point_id": 1, "orientation_id": 1}],
        "invitations": [
            {
                "id": 1,
                "reunion_id": 1,
                "personne_id": 1,
                "role": "president",
                "reponse": "ACCEPTED",
                "presence": "present",
            },
            {"id": 2, "reunion_id": 1, "personne_id": 2, "role": "invite", "reponse": "NEEDS-ACTION"},
        ],
        "messages": [
            {
                "id": 1,
                "cle": "reunion-1@ctg/0/convocation/jeanne",
                "reunion_id": 1,
                "nature": "convocation",
                "sequence": 0,
                "destinataire": "jeanne.martin@example.org",
                "objet": "Convocation",
                "message_id": "<1@ctg>",
                "chemin": str(eml),
                "etat": "depose",
                "tentatives": 1,
                "cree_le": INSTANT,
            },
            {
                "id": 2,
                "cle": "reunion-1@ctg/0/convocation/paul",
                "reunion_id": 1,
                "nature": "convocation",
                "sequence": 0,
                "destinataire": "paul.durand@example.org",
                "objet": "Convocation",
                "message_id": "<2@ctg>",
                "chemin": str(ailleurs / "paul.eml"),
                "etat": "envoye",
                "tentatives": 1,
                "cree_le": INSTANT,
            },
        ],
        "documents": [
            {
                "id": 1,
                "reunion_id": 1,
                "personne_id": 1,
                "type": "convocation",
                "version": 0,
                "chemin": str(convocation),
                "empreinte": "a" * 64,
                "cree_le": INSTANT,
            },
            {
                "id": 2,
                "reunion_id": None,
                "personne_id": None,
                "type": "bilan_annuel",
                "version": 1,
                "chemin": str(ailleurs / "bilan.docx"),
                "empreinte": "b" * 64,
                "cree_le": INSTANT,
            },
        ],
        "comptes_rendus": [
            {
                "id": 1,
                "reunion_id": 1,
                "statut": "importe",
                "version": 2,
                "secretaire": "Paul Durand",
                "discussions": {"1": "Échanges nourris sur les crèches.", "2": ""},
                "genere_le": INSTANT,
                "importe_le": INSTANT,
            }
        ],
        "decisions": [{"id": 1, "reunion_id": 1, "numero": 1, "texte": "Ouvrir une crèche", "cree_le": INSTANT}],
        "decisions_orientations": [{"decision_id": 1, "orientation_id": 1}],
        "actions": [
            {
                "id": 1,
                "reunion_id": 1,
                "libelle": "Chiffrer la crèche",
                "responsable": "Jeanne Martin",
                "personne_id": 1,
                "echeance": date(2026, 6, 30),
                "statut": "en_cours",
                "cree_le": INSTANT,
            },
        ],
        "actions_orientations": [{"action_id": 1, "orientation_id": 1}],
    }
    tables = sa.MetaData()
    with moteur.begin() as connexion:
        tables.reflect(connexion)
        for nom, contenu in lignes.items():
            for ligne in contenu:  # une à une : les lignes d'une table n'ont pas toutes les mêmes colonnes
                connexion.execute(tables.tables[nom].insert(), ligne)


def test_une_base_de_la_version_precedente_monte_sans_rien_perdre(base_vierge: Engine, tmp_path: Path) -> None:
    ctg_home, ailleurs = tmp_path / "ctg-donnees", tmp_path / "ailleurs"
    alembic(base_vierge, "upgrade", REVISION_PRECEDENTE)
    _remplir_version_precedente(base_vierge, ctg_home, ailleurs)
    avant = _comptes(base_vierge)

    alembic(base_vierge, "upgrade", "head", ctg_home=ctg_home)

    assert {table: nombre for table, nombre in _comptes(base_vierge).items() if table in avant} == avant
    with ouvrir_session(base_vierge) as session:
        compte_rendu = session.get_one(CompteRendu, 1)
        assert [(d.numero_point, d.texte) for d in compte_rendu.discussions] == [
            (1, "Échanges nourris sur les crèches."),
            (2, ""),
        ]
        assert (compte_rendu.secretaire, compte_rendu.version) == ("Paul Durand", 2)
        documents = {d.id: d.chemin for d in session.query(Document)}
        messages = {m.id: m.chemin for m in session.query(Message)}
        (convention,) = session.get_one(Territoire, 1).conventions
        assert (convention.intitule, convention.debut, convention.statut) == (
            "CTG de L'Union",
            date(2022, 1, 1),
            StatutConvention.SIGNEE,
        )
    assert documents == {
        1: "documents/2026/COPIL-2026-03-10/convocation-jeanne.docx",
        2: str(ailleurs / "bilan.docx"),  # hors de CTG_HOME : laissé tel quel
    }
    assert messages == {1: "boite-envoi/2026-03-01-convocation-jeanne.eml", 2: str(ailleurs / "paul.eml")}


def test_redescendre_a_la_version_precedente_rend_les_discussions_et_les_chemins(
    base_vierge: Engine, tmp_path: Path
) -> None:
    ctg_home, ailleurs = tmp_path / "ctg-donnees", tmp_path / "ailleurs"
    alembic(base_vierge, "upgrade", REVISION_PRECEDENTE)
    _remplir_version_precedente(base_vierge, ctg_home, ailleurs)
    alembic(base_vierge, "upgrade", "head", ctg_home=ctg_home)

    alembic(base_vierge, "downgrade", REVISION_PRECEDENTE, ctg_home=ctg_home)

    with base_vierge.connect() as connexion:
        discussions = connexion.execute(text("SELECT discussions FROM comptes_rendus")).scalar_one()
        chemins = connexion.execute(text("SELECT chemin FROM documents ORDER BY id")).scalars().all()
    contenu = json.loads(discussions) if isinstance(discussions, str) else discussions
    assert contenu == {"1": "Échanges nourris sur les crèches.", "2": ""}
    assert chemins == [
        str(ctg_home / "documents" / "2026" / "COPIL-2026-03-10" / "convocation-jeanne.docx"),
        str(ailleurs / "bilan.docx"),
    ]


def _comptes(moteur: Engine) -> dict[str, int]:
    with moteur.connect() as connexion:
        noms = [n for n in sa.inspect(connexion).get_table_names() if n != "alembic_version"]
        # Les noms viennent de l'inspection de la base, pas d'une saisie.
        return {nom: connexion.execute(text(f'SELECT COUNT(*) FROM "{nom}"')).scalar_one() for nom in noms}  # noqa: S608
