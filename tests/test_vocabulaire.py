"""Un vocabulaire par colonne : libellés français, un seul lecteur des mots saisis, une contrainte CHECK en base."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gouvernance.base_donnees import sans_cles_etrangeres_sqlite, verifier_cles_etrangeres
from gouvernance.comptes_rendus.docx_valeurs import lire_statut as lire_statut_word
from gouvernance.comptes_rendus.importation import appliquer_compte_rendu
from gouvernance.comptes_rendus.suivi import lire_statut as lire_statut_saisi
from gouvernance.erreurs import DonneesInvalides
from gouvernance.membres import exiger_instance
from modeles import Action, Base, Reunion, Territoire
from modeles.moteur import creer_moteur, ouvrir_session
from modeles.vocabulaire import (
    Presence,
    ReponseInvitation,
    RoleMembre,
    StatutAction,
    StatutCompteRendu,
    StatutReunion,
    TypeDocument,
)
from tests.conftest import URL_SERVEUR_POSTGRESQL, manque
from tests.fabriques import charger_lunion, creer_reunion, fermer_base_cli, preparer_base_cli
from tests.test_compte_rendu_import import MAINTENANT, lu, preparer

# --- Les libellés et le lecteur des mots saisis ---------------------------------------------------------------


def test_chaque_valeur_est_stockee_telle_quelle_et_porte_son_libelle_francais() -> None:
    annulee: StatutReunion = StatutReunion.ANNULEE
    assert annulee == "annulee" and annulee.libelle == "annulée"  # comparable à la chaîne stockée
    assert StatutReunion("annulee") is StatutReunion.ANNULEE
    assert f"{StatutAction.A_FAIRE}" == "a_faire" and StatutAction.A_FAIRE.libelle == "à faire"
    assert ReponseInvitation.SANS_REPONSE.value == "NEEDS-ACTION"
    assert ReponseInvitation.SANS_REPONSE.libelle == "sans réponse"
    assert [p.libelle for p in Presence] == ["présent(e)", "excusé(e)", "absent(e)", "représenté(e)"]
    assert RoleMembre.PRESIDENT.libelle == "président(e)"
    assert TypeDocument.EMARGEMENT.en_pdf is TypeDocument.EMARGEMENT_PDF
    assert StatutCompteRendu.DIFFUSE.est_fige and not StatutCompteRendu.IMPORTE.est_fige


MOTS_DE_STATUT = [
    ("terminé", StatutAction.FAIT),
    ("Terminée", StatutAction.FAIT),
    ("réalisé", StatutAction.FAIT),
    ("Réalisé le 3 mars", StatutAction.FAIT),
    ("fait", StatutAction.FAIT),
    ("FAITES", StatutAction.FAIT),
    ("clôturé", StatutAction.FAIT),
    ("à faire", StatutAction.A_FAIRE),
    ("a_faire", StatutAction.A_FAIRE),
    ("A FAIRE", StatutAction.A_FAIRE),
    ("non commencée", StatutAction.A_FAIRE),
    ("en cours", StatutAction.EN_COURS),
    ("en-cours", StatutAction.EN_COURS),
    ("en_cours", StatutAction.EN_COURS),
    ("abandonnée", StatutAction.ABANDONNEE),
    ("annulé", StatutAction.ABANDONNEE),
]


@pytest.mark.parametrize(("ecrit", "statut"), MOTS_DE_STATUT)
def test_un_mot_de_statut_est_lu_de_meme_en_ligne_de_commande_et_dans_le_compte_rendu_word(
    ecrit: str, statut: StatutAction
) -> None:
    assert StatutAction.lire(ecrit) is statut
    assert lire_statut_saisi(ecrit) is statut  # ctg action modifier --statut, ctg suivi --statut
    assert lire_statut_word(ecrit) is statut  # le tableau des actions du compte rendu


def test_un_mot_inconnu_est_refuse_partout_avec_la_liste_des_mots_acceptes() -> None:
    attendu = "« bientôt » n'est pas un statut reconnu (écrivez à faire, en cours, fait ou abandonnée)"
    with pytest.raises(ValueError) as word:
        lire_statut_word("bientôt")
    assert str(word.value) == attendu
    with pytest.raises(DonneesInvalides) as saisi:
        lire_statut_saisi("bientôt")
    assert saisi.value.message == f"Statut inconnu : {attendu}."


def test_les_presences_et_les_roles_se_lisent_sans_accents_ni_marque_du_feminin() -> None:
    assert Presence.lire("Présentes") is Presence.PRESENT
    assert Presence.lire("excusées") is Presence.EXCUSE
    assert RoleMembre.lire("Secrétaire") is RoleMembre.SECRETAIRE
    assert RoleMembre.lire("vice-président") is RoleMembre.VICE_PRESIDENT
    with pytest.raises(ValueError, match="écrivez président\\(e\\), vice-président\\(e\\), membre, secrétariat ou"):
        RoleMembre.lire("trésorier")


# --- La base : les valeurs relues sont des membres du vocabulaire, les autres sont refusées ----------------------


def test_la_base_rend_des_membres_du_vocabulaire_que_l_on_compare_aussi_a_leur_chaine(moteur: Engine) -> None:
    with Session(moteur) as session:
        territoire = charger_lunion(session)
        reunion = creer_reunion(session, exiger_instance(session, territoire, "COPIL"), [])
        session.commit()
        identifiant = reunion.id
    with Session(moteur) as session:
        relue = session.get(Reunion, identifiant)
        assert relue is not None and relue.statut is StatutReunion.PLANIFIEE
        relue.statut = StatutReunion.ANNULEE
        session.commit()
        assert session.scalar(select(Reunion.id).where(Reunion.statut == "annulee")) == identifiant
        assert session.scalar(select(Reunion.statut).where(Reunion.id == identifiant)) is StatutReunion.ANNULEE


#: Une valeur hors vocabulaire pour chaque colonne gardée par une contrainte CHECK.
CONTRAINTES = {
    ("partenaires", "categorie"),
    ("instances", "type"),
    ("membres", "role"),
    ("reunions", "statut"),
    ("invitations", "role"),
    ("invitations", "reponse"),
    ("invitations", "presence"),
    ("comptes_rendus", "statut"),
    ("actions", "statut"),
    ("messages", "nature"),
    ("messages", "etat"),
    ("documents", "type"),
    ("courriels_recus", "resultat"),
    ("reponses_a_verifier", "reponse"),
    ("reponses_a_verifier", "etat"),
}
#: Celles des comptes de l'application web et du journal des actions (migration 0015).
CONTRAINTES_WEB = {("utilisateurs", "role"), ("journal_actions", "action")}


def _contraintes(moteur: Engine) -> set[tuple[str, str]]:
    with moteur.connect() as connexion:
        inspecteur = inspect(connexion)
        return {
            (table, str(contrainte["name"]).removeprefix(f"ck_{table}_"))
            for table in inspecteur.get_table_names()
            for contrainte in inspecteur.get_check_constraints(table)
        }


def test_chaque_vocabulaire_est_garde_par_une_contrainte_nommee_et_la_base_refuse_une_valeur_inconnue(
    moteur: Engine,
) -> None:
    assert _contraintes(moteur) >= CONTRAINTES | CONTRAINTES_WEB
    with Session(moteur) as session:
        territoire = charger_lunion(session)
        creer_reunion(session, exiger_instance(session, territoire, "COPIL"), [])
        session.commit()
    for requete in (
        "UPDATE reunions SET statut = 'tenu'",
        "UPDATE instances SET type = 'comite'",
        "INSERT INTO partenaires (nom, categorie) VALUES ('Mutuelle', 'mutuelle')",
    ):
        with moteur.connect() as connexion, pytest.raises(IntegrityError) as refus:
            connexion.execute(text(requete))
        assert "ck_" in str(refus.value).lower() or "check" in str(refus.value).lower()


def test_l_import_du_compte_rendu_marque_la_reunion_tenue(session: Session) -> None:
    _, reunion = preparer(session)
    reunion.statut = StatutReunion.CONVOQUEE
    appliquer_compte_rendu(session, reunion, lu(reunion), maintenant=MAINTENANT)
    session.flush()
    assert reunion.statut is StatutReunion.TENUE


# --- La migration 0006, aller, retour et aller, sur SQLite et PostgreSQL ----------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def base_vierge(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Une base sans aucune migration : un fichier SQLite, puis une base PostgreSQL créée pour le test."""
    if request.param == "sqlite":
        moteur = creer_moteur(f"sqlite:///{tmp_path / 'ctg.sqlite3'}")
        yield moteur
        moteur.dispose()
        return
    nom = f"ctg_vocabulaire_{uuid.uuid4().hex[:10]}"
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


def _alembic(moteur: Engine, sens: str, cible: str) -> None:
    configuration = Config()
    configuration.set_main_option("script_location", "modeles:migrations")
    # Comme `ctg migrer` : clés étrangères suspendues sous SQLite, vérifiées avant de valider.
    with moteur.connect() as connexion, sans_cles_etrangeres_sqlite(connexion), connexion.begin():
        configuration.attributes["connection"] = connexion
        getattr(command, sens)(configuration, cible)
        verifier_cles_etrangeres(connexion)


#: Des lignes écrites par le schéma précédent (0005), avec les valeurs de chaque vocabulaire.
LIGNES_0005 = [
    "INSERT INTO territoires (id, code, nom) VALUES (1, 'lunion', 'L''Union')",
    "INSERT INTO partenaires (id, nom, categorie) VALUES (1, 'CAF', 'caf')",
    "INSERT INTO personnes (id, email, prenom, nom) VALUES (1, 'claire@example.org', 'Claire', 'Fictive')",
    "INSERT INTO instances (id, territoire_id, code, intitule, type, duree_minutes, delai_convocation_jours) "
    "VALUES (1, 1, 'COPIL', 'Comité de pilotage', 'copil', 120, 5)",
    "INSERT INTO membres (id, instance_id, personne_id, role) VALUES (1, 1, 1, 'secretaire')",
    "INSERT INTO reunions (id, instance_id, titre, debut, fin, statut, uid, sequence, urgence, cree_le) VALUES "
    "(1, 1, 'COPIL', '2027-03-09 17:00:00', '2027-03-09 19:00:00', 'convoquee', 'r1@ctg', 0, false, "
    "'2026-11-29 09:00:00')",
    "INSERT INTO invitations (id, reunion_id, personne_id, role, reponse, presence) "
    "VALUES (1, 1, 1, 'secretaire', 'ACCEPTED', 'present')",
    "INSERT INTO actions (id, reunion_id, libelle, statut, cree_le) "
    "VALUES (1, 1, 'Recenser', 'en_cours', '2027-03-10 09:00:00')",
    "INSERT INTO comptes_rendus (id, reunion_id, statut, version, discussions, genere_le) "
    "VALUES (1, 1, 'importe', 1, '{}', '2027-03-10 09:00:00')",
    "INSERT INTO messages (id, cle, reunion_id, nature, sequence, destinataire, objet, message_id, chemin, etat, "
    "tentatives, cree_le) VALUES (1, 'c1', 1, 'convocation', 0, 'claire@example.org', 'Convocation', 'm1@ctg', "
    "'/tmp/m1.eml', 'envoye', 1, '2026-11-29 09:00:00')",
    "INSERT INTO documents (id, reunion_id, type, version, chemin, empreinte, cree_le) "
    "VALUES (1, 1, 'ordre_du_jour_pdf', 0, '/tmp/odj.pdf', 'e', '2026-11-29 09:00:00')",
    "INSERT INTO courriels_recus (id, dossier, uidvalidity, uid, resultat, traite_le) "
    "VALUES (1, 'INBOX', 1, 1, 'sans_calendrier', '2026-11-29 09:00:00')",
]
#: Ce que les lignes doivent garder, migration après migration.
RELECTURE = (
    "SELECT r.statut, i.reponse, i.presence, i.role, a.statut, c.statut, m.nature, m.etat, d.type, cr.resultat "
    "FROM reunions r JOIN invitations i ON i.reunion_id = r.id JOIN actions a ON a.reunion_id = r.id "
    "JOIN comptes_rendus c ON c.reunion_id = r.id JOIN messages m ON m.reunion_id = r.id "
    "JOIN documents d ON d.reunion_id = r.id CROSS JOIN courriels_recus cr"
)
VALEURS = (
    "convoquee", "ACCEPTED", "present", "secretaire", "en_cours", "importe", "convocation", "envoye",
    "ordre_du_jour_pdf", "sans_calendrier",
)  # fmt: skip


def _relire(moteur: Engine) -> tuple[object, ...]:
    with moteur.connect() as connexion:
        return tuple(connexion.execute(text(RELECTURE)).one())


def _statut_invalide_accepte(moteur: Engine) -> bool:
    with moteur.connect() as connexion:
        try:
            connexion.execute(text("UPDATE reunions SET statut = 'tenu'"))
        except IntegrityError:
            return False
        connexion.rollback()
        return True


def test_la_migration_0006_monte_descend_et_remonte_en_gardant_les_lignes(base_vierge: Engine) -> None:
    _alembic(base_vierge, "upgrade", "0005")
    with base_vierge.begin() as connexion:
        for ligne in LIGNES_0005:
            connexion.execute(text(ligne))
    assert _statut_invalide_accepte(base_vierge)
    _alembic(base_vierge, "upgrade", "0006")
    assert _relire(base_vierge) == VALEURS
    assert _contraintes(base_vierge) >= CONTRAINTES
    assert not _statut_invalide_accepte(base_vierge)
    _alembic(base_vierge, "downgrade", "-1")
    assert _relire(base_vierge) == VALEURS
    assert not _contraintes(base_vierge) & CONTRAINTES
    assert _statut_invalide_accepte(base_vierge)
    _alembic(base_vierge, "upgrade", "head")
    assert _relire(base_vierge) == VALEURS
    assert _contraintes(base_vierge) >= CONTRAINTES
    assert not _statut_invalide_accepte(base_vierge)


def test_une_valeur_inconnue_arrete_la_migration_sans_rien_changer_et_dit_laquelle(base_vierge: Engine) -> None:
    _alembic(base_vierge, "upgrade", "0005")
    with base_vierge.begin() as connexion:
        for ligne in LIGNES_0005:
            connexion.execute(text(ligne.replace("'en_cours'", "'bientot'")))
    with pytest.raises(RuntimeError, match="La table actions contient des valeurs inconnues dans la colonne statut"):
        _alembic(base_vierge, "upgrade", "0006")
    with base_vierge.connect() as connexion:
        assert connexion.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
    assert not _contraintes(base_vierge) & CONTRAINTES


def test_les_modeles_declarent_les_memes_contraintes_que_la_migration() -> None:
    declarees = {
        (table.name, str(contrainte.name).removeprefix(f"ck_{table.name}_"))
        for table in Base.metadata.sorted_tables
        for contrainte in table.constraints
        if contrainte.__class__.__name__ == "CheckConstraint"
    }
    # 0006 pose les contraintes des vocabulaires d'alors ; 0007 ajoute celle du statut des conventions ;
    # 0011 celle de l'issue des messages incertains vérifiés ; 0015 celles des comptes web.
    assert declarees == CONTRAINTES | {("conventions", "statut"), ("verifications_messages", "issue")} | CONTRAINTES_WEB


def test_ctg_action_modifier_accepte_termine_et_refuse_un_mot_inconnu_en_listant_les_mots_acceptes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from flows.cli import contexte
    from flows.cli.principal import ctg

    preparer_base_cli(tmp_path, monkeypatch)
    try:
        with ouvrir_session(contexte.moteur(), ecriture=True) as session:
            territoire = session.scalars(select(Territoire)).one()
            reunion = creer_reunion(session, exiger_instance(session, territoire, "COPIL"), [])
            action = Action(reunion=reunion, libelle="Recenser les places d'accueil", cree_le=MAINTENANT)
            session.add(action)
            session.flush()
            numero = action.id
        modifiee = CliRunner().invoke(ctg, ["action", "modifier", str(numero), "--statut", "Terminé", "--json"])
        assert modifiee.exit_code == 0, modifiee.output
        assert json.loads(modifiee.output)["statut"] == "fait"
        inconnu = CliRunner().invoke(ctg, ["action", "modifier", str(numero), "--statut", "bientôt"])
        assert isinstance(inconnu.exception, DonneesInvalides)
        assert "(écrivez à faire, en cours, fait ou abandonnée)" in str(inconnu.exception)
        with ouvrir_session(contexte.moteur()) as session:
            assert session.scalar(select(Action.statut).where(Action.id == numero)) is StatutAction.FAIT
    finally:
        fermer_base_cli()
