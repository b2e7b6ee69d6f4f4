"""Les pannes qu'un agent peut rencontrer, provoquées pour de vrai : chacune dit en français quoi faire.

Base endommagée (des octets écrits au hasard dans le fichier), en lecture seule (fichier immuable, chattr +i :
les tests tournent en root, que chmod n'arrête pas), disque plein (un tmpfs de 1 Mo rempli, monté dans un
espace de noms utilisateur : un vrai ENOSPC), serveur PostgreSQL fermé, base en retard ou en avance sur le
code, erreur inattendue : jamais de trace Python à l'écran.
"""

from __future__ import annotations

import errno
import re
import shlex
import shutil
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from gouvernance.base_donnees import _revisions_selon_alembic, revisions_du_code, sans_cles_etrangeres_sqlite
from gouvernance.erreurs import BaseVerrouillee, DisquePlein, ErreurDisque
from gouvernance.pannes import expliquer_panne
from gouvernance.reglages import lire_reglages
from tests.conftest import URL_SERVEUR_POSTGRESQL, manque
from tests.test_cli import CTG, LanceurCtg, Resultat, ctg_lunion, init_lunion, lancer_ctg, verifier_erreur

__all__ = ["ctg_lunion", "init_lunion", "lancer_ctg"]  # fixtures de test_cli, partagées

#: La ligne d'une erreur inattendue : la référence et le journal.
LIGNE_INATTENDUE = re.compile(r"^Erreur inattendue \(réf\. ([0-9A-F]{6})\) : le détail est dans (\S+ctg\.log)$")

#: `ctg partenaires` dans un processus où l'ouverture de la base lève une erreur que personne n'attend.
SCRIPT_INATTENDU = """\
import sys
import gouvernance.base_donnees

def panne(*arguments, **options):
    raise RuntimeError("panne imprévue au fond du code")

gouvernance.base_donnees.ouvrir_base = panne
from flows.cli.principal import main

sys.argv = ["ctg", "partenaires"]
main()
"""


def abimer(fichier: Path, position: int = 0) -> None:
    """Écrit des octets quelconques dans le fichier, comme une écriture interrompue ou un disque défaillant."""
    with fichier.open("r+b") as flux:
        flux.seek(position)
        flux.write(b"\x00ceci n'est plus une base\xff" * 8)


def sauvegarde_affichee(resultat: Resultat) -> Path:
    assert resultat.returncode == 0, resultat.stderr
    forme = re.search(r"sauvegardée dans (.+\.sqlite3) \(", resultat.stdout)
    assert forme is not None, resultat.stdout
    return Path(forme[1])


def integrite(fichier: Path) -> list[str]:
    with closing(sqlite3.connect(fichier)) as connexion:
        return [ligne[0] for ligne in connexion.execute("PRAGMA integrity_check")]


# --- Sauvegarder, puis restaurer une base endommagée --------------------------------------------------


def test_une_base_endommagee_dit_quelle_sauvegarde_restaurer_et_la_restauration_marche(
    ctg_lunion: LanceurCtg,
) -> None:
    sauvegarde = sauvegarde_affichee(ctg_lunion("sauvegarder"))
    assert sauvegarde.parent == ctg_lunion.dossier / "sauvegardes"
    assert integrite(sauvegarde) == ["ok"]
    assert ctg_lunion("partenaires", "ajouter", "Arrivé après la sauvegarde", "--sigle", "APRES").returncode == 0

    abimer(ctg_lunion.base)
    endommagee = ctg_lunion("partenaires")

    verifier_erreur(endommagee, "endommagée", f"cp {sauvegarde} {ctg_lunion.base}", "-wal")
    # Le remède affiché, appliqué à la lettre : mettre de côté, puis copier la sauvegarde.
    ctg_lunion.base.rename(ctg_lunion.base.with_name("ctg.sqlite3.abimee"))
    for annexe in ("ctg.sqlite3-wal", "ctg.sqlite3-shm"):
        (ctg_lunion.dossier / annexe).unlink(missing_ok=True)
    shutil.copyfile(sauvegarde, ctg_lunion.base)
    restauree = ctg_lunion("partenaires", "--json")
    assert restauree.returncode == 0, restauree.stderr
    assert "Ville de L'Union" in restauree.stdout
    assert "APRES" not in restauree.stdout


def test_sauvegarder_dans_un_fichier_choisi_refuse_d_en_ecraser_un(ctg_lunion: LanceurCtg, tmp_path: Path) -> None:
    cible = tmp_path / "copie du 5 décembre.sqlite3"
    assert sauvegarde_affichee(ctg_lunion("sauvegarder", str(cible))) == cible
    assert integrite(cible) == ["ok"]
    with closing(sqlite3.connect(cible)) as connexion:
        assert connexion.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # un fichier autonome

    verifier_erreur(ctg_lunion("sauvegarder", str(cible)), "existe déjà")


def test_sauvegarder_une_base_postgresql_donne_la_commande_pg_dump(ctg_lunion: LanceurCtg) -> None:
    ctg_lunion.environnement["CTG_DATABASE_URL"] = "postgresql+psycopg://ctg:secret@db.example.org:5433/ctg"
    resultat = ctg_lunion("sauvegarder")
    verifier_erreur(resultat, "pg_dump --format=custom", "postgresql://ctg:MOT_DE_PASSE@db.example.org:5433/ctg")
    assert "secret" not in resultat.stderr


# --- La base ne peut pas être écrite ----------------------------------------------------------------


@pytest.fixture
def base_immuable(ctg_lunion: LanceurCtg) -> Iterator[LanceurCtg]:
    """La base marquée immuable (chattr +i) : même root ne peut plus l'écrire."""
    marquer = subprocess.run(["chattr", "+i", str(ctg_lunion.base)], capture_output=True, text=True, check=False)
    if marquer.returncode != 0:
        pytest.skip(f"chattr +i refusé ici : {marquer.stderr.strip()}")
    yield ctg_lunion
    subprocess.run(["chattr", "-i", str(ctg_lunion.base)], check=True)


def test_une_base_en_lecture_seule_se_lit_et_refuse_l_ecriture_en_le_disant(base_immuable: LanceurCtg) -> None:
    lecture, ecriture = base_immuable("partenaires"), base_immuable("partenaires", "ajouter", "Refusé", "--sigle", "R")

    assert lecture.returncode == 0, lecture.stderr
    verifier_erreur(ecriture, "lecture seule", "droit d'écriture", str(base_immuable.base))
    assert "verrouillée" not in ecriture.stderr


# --- Disque plein -------------------------------------------------------------------------------------


def dans_un_disque_plein(lanceur: LanceurCtg, tmp_path: Path, *commandes: list[str]) -> list[Resultat]:
    """Copie les données sur un tmpfs de 1 Mo rempli à ras bord, y lance chaque commande ctg, rend les résultats.

    Le tmpfs est monté dans un espace de noms utilisateur (unshare) : aucun droit particulier n'est demandé à
    la machine, et l'ENOSPC vient du noyau, comme sur un vrai disque plein. Dans les commandes, DISQUE
    désigne le point de montage.
    """
    if shutil.which("unshare") is None:
        manque("unshare", "util-linux n'est pas installé")
    point = tmp_path / "disque"
    point.mkdir()
    lignes = [
        "set -e",
        f"mount -t tmpfs -o size=1m ctg-plein {shlex.quote(str(point))}",
        f"cp -r {shlex.quote(str(lanceur.dossier))} {shlex.quote(str(point / 'donnees'))}",
        f"dd if=/dev/zero of={shlex.quote(str(point / 'remplissage'))} bs=4k 2>/dev/null || true",
    ]
    for n, commande in enumerate(commandes):
        arguments = shlex.join([str(CTG), *(a.replace("DISQUE", str(point)) for a in commande)])
        sorties = shlex.quote(str(tmp_path / f"{n}"))
        lignes.append(
            f"{arguments} > {sorties}.out 2> {sorties}.err && echo 0 > {sorties}.rc || echo $? > {sorties}.rc"
        )
    environnement = {**lanceur.environnement, "CTG_HOME": str(point / "donnees")}
    lance = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", "\n".join(lignes)],
        capture_output=True,
        text=True,
        env=environnement,
        timeout=300,
        check=False,
    )
    if lance.returncode != 0:
        manque("unshare", f"espace de noms ou tmpfs refusé : {lance.stderr.strip()}")
    return [
        subprocess.CompletedProcess(
            commande,
            int((tmp_path / f"{n}.rc").read_text()),
            (tmp_path / f"{n}.out").read_text(encoding="utf-8"),
            (tmp_path / f"{n}.err").read_text(encoding="utf-8"),
        )
        for n, commande in enumerate(commandes)
    ]


def test_un_disque_plein_est_dit_en_francais_pour_la_base_et_pour_un_fichier(
    ctg_lunion: LanceurCtg, tmp_path: Path
) -> None:
    ajout, export, lecture = dans_un_disque_plein(
        ctg_lunion,
        tmp_path,
        ["partenaires", "ajouter", "Refusé", "--sigle", "R"],
        ["calendrier", "exporter", "--sortie", "DISQUE/donnees/calendrier.ics"],
        ["partenaires", "--json"],
    )

    verifier_erreur(ajout, "Le disque est plein", "rien n'a été enregistré", "Libérez de la place")
    verifier_erreur(export, "Le disque est plein")
    # En WAL, même une lecture doit agrandir le fichier -shm : SQLite répond « disk I/O error », pas « disque
    # plein » ; l'utilisateur lit pourtant la vraie cause, pas « disque défaillant ».
    verifier_erreur(lecture, "Le disque est plein")
    assert "défaillant" not in ajout.stderr + lecture.stderr


# --- PostgreSQL injoignable ----------------------------------------------------------------------------


def port_ferme() -> int:
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return int(prise.getsockname()[1])


def test_un_serveur_postgresql_qui_ne_repond_pas_est_nomme_sans_son_mot_de_passe(lancer_ctg: LanceurCtg) -> None:
    lancer_ctg.environnement["CTG_DATABASE_URL"] = f"postgresql+psycopg://ctg:secret@127.0.0.1:{port_ferme()}/ctg"
    resultat = lancer_ctg("partenaires")

    verifier_erreur(resultat, "Le serveur PostgreSQL", "ne répond pas", "CTG_DATABASE_URL")
    assert "secret" not in resultat.stderr


def test_une_base_postgresql_inconnue_du_serveur_est_signalee(lancer_ctg: LanceurCtg) -> None:
    url = make_url(URL_SERVEUR_POSTGRESQL)
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=2):
            pass
    except OSError as erreur:
        manque("PostgreSQL", f"{url.host}:{url.port} ne répond pas ({erreur})")
    inconnue = url.set(database="ctg_base_qui_n_existe_pas").render_as_string(hide_password=False)
    lancer_ctg.environnement["CTG_DATABASE_URL"] = inconnue

    verifier_erreur(lancer_ctg("partenaires"), "n'existe pas sur le serveur PostgreSQL", "createdb")


# --- Version du schéma -----------------------------------------------------------------------------------


def ramener_a(base: Path, revision: str) -> None:
    """Redescend la base à une révision antérieure, comme si elle venait de la version précédente."""
    from alembic import command
    from alembic.config import Config

    from modeles.moteur import creer_moteur

    moteur = creer_moteur(f"sqlite:///{base}")
    configuration = Config()
    configuration.set_main_option("script_location", "modeles:migrations")
    # Comme `ctg migrer` : sous SQLite, recréer une table citée exige les clés étrangères suspendues.
    with moteur.connect() as connexion, sans_cles_etrangeres_sqlite(connexion), connexion.begin():
        configuration.attributes["connection"] = connexion
        command.downgrade(configuration, revision)
    moteur.dispose()


def test_une_base_en_retard_demande_ctg_migrer_qui_sauvegarde_puis_migre(ctg_lunion: LanceurCtg) -> None:
    precedente, tete = revisions_du_code()[-2:]
    ramener_a(ctg_lunion.base, precedente)

    verifier_erreur(ctg_lunion("instances"), "`ctg migrer`", f"schéma {precedente}", f"attend {tete}")
    migration = ctg_lunion("migrer")
    assert migration.returncode == 0, migration.stderr
    forme = re.search(r"Sauvegarde de la base avant la mise à jour : (\S+)", migration.stdout)
    assert forme is not None, migration.stdout
    sauvegarde = Path(forme[1])
    assert sauvegarde.parent == ctg_lunion.dossier / "sauvegardes"
    assert integrite(sauvegarde) == ["ok"]
    with closing(sqlite3.connect(sauvegarde)) as connexion:
        assert connexion.execute("SELECT version_num FROM alembic_version").fetchall() == [(precedente,)]
    assert f"{precedente} → {tete}" in migration.stdout
    assert ctg_lunion("instances").returncode == 0
    deja = ctg_lunion("migrer")
    assert "déjà à jour" in deja.stdout
    assert len(list((ctg_lunion.dossier / "sauvegardes").iterdir())) == 1  # pas de sauvegarde inutile


def test_une_base_d_une_version_plus_recente_est_refusee_meme_par_migrer(ctg_lunion: LanceurCtg) -> None:
    with closing(sqlite3.connect(ctg_lunion.base)) as connexion, connexion:
        connexion.execute("UPDATE alembic_version SET version_num = '9999'")

    for resultat in ctg_lunion.ensemble(["partenaires"], ["migrer"]):
        verifier_erreur(resultat, "version plus récente", "schéma 9999")


def test_les_revisions_lues_sans_alembic_sont_celles_d_alembic() -> None:
    assert revisions_du_code() == _revisions_selon_alembic()


# --- Saisies impossibles ------------------------------------------------------------------------------


def test_un_titre_sur_deux_lignes_et_les_annees_9999_ou_1_sont_refuses_a_la_saisie(ctg_lunion: LanceurCtg) -> None:
    titre, tard, tot = ctg_lunion.ensemble(
        ["reunion", "planifier", "--instance", "COPIL", "--debut", "2030-03-12 18:00", "--titre", "Bilan\nannuel"],
        ["reunion", "planifier", "--instance", "COPIL", "--debut", "9999-12-31 18:00"],
        ["reunion", "planifier", "--instance", "COPIL", "--debut", "0001-01-01 18:00"],
    )

    verifier_erreur(titre, "--titre : ce texte doit tenir sur une ligne")
    verifier_erreur(tard, "l'année 9999 est hors des années que gère ctg")
    verifier_erreur(tot, "l'année 1 est hors des années que gère ctg")
    assert ctg_lunion.requete("SELECT count(*) FROM reunions") == [(0,)]


# --- L'inattendu -----------------------------------------------------------------------------------------


def test_une_erreur_inattendue_tient_en_une_ligne_et_sa_trace_est_au_journal(ctg_lunion: LanceurCtg) -> None:
    resultat = ctg_lunion.python(SCRIPT_INATTENDU)

    assert resultat.returncode == 1
    lignes = resultat.stderr.strip().splitlines()
    assert len(lignes) == 1, resultat.stderr
    forme = LIGNE_INATTENDUE.match(lignes[0])
    assert forme is not None, lignes
    reference, journal = forme[1], Path(forme[2])
    assert journal == ctg_lunion.dossier / "journal" / "ctg.log"
    contenu = journal.read_text(encoding="utf-8")
    assert f"réf. {reference} — erreur inattendue pendant « ctg partenaires »" in contenu
    assert "Traceback (most recent call last)" in contenu
    assert "RuntimeError: panne imprévue au fond du code" in contenu


def test_sans_journal_possible_sous_ctg_home_la_ligne_s_affiche_et_la_trace_va_ailleurs(
    ctg_lunion: LanceurCtg, tmp_path: Path
) -> None:
    (ctg_lunion.dossier / "journal").write_text("un fichier là où le dossier du journal devrait être")
    temporaire = tmp_path / "tmp"
    temporaire.mkdir()
    ctg_lunion.environnement["TMPDIR"] = str(temporaire)

    resultat = ctg_lunion.python(SCRIPT_INATTENDU)

    assert resultat.returncode == 1
    forme = LIGNE_INATTENDUE.match(resultat.stderr.strip())
    assert forme is not None, resultat.stderr
    assert Path(forme[2]).parent.parent == temporaire
    assert "RuntimeError: panne imprévue" in Path(forme[2]).read_text(encoding="utf-8")


# --- Les pannes qu'on ne sait pas provoquer ici -----------------------------------------------------------


def test_une_erreur_d_entree_sortie_n_est_plus_prise_pour_un_verrou(tmp_path: Path) -> None:
    reglages = lire_reglages({"CTG_HOME": str(tmp_path)})
    disque = expliquer_panne(sqlite3.OperationalError("disk I/O error"), reglages)
    systeme = expliquer_panne(OSError(errno.EIO, "Input/output error", str(tmp_path / "x.docx")), reglages)
    verrou = expliquer_panne(sqlite3.OperationalError("database is locked"), reglages)
    quota = expliquer_panne(OSError(errno.EDQUOT, "Disk quota exceeded"), reglages)

    assert isinstance(disque, ErreurDisque)
    assert isinstance(systeme, ErreurDisque)
    assert "x.docx" in str(systeme)
    assert isinstance(verrou, BaseVerrouillee)
    assert "Réessayez dans un instant" in str(verrou)
    assert isinstance(quota, DisquePlein)
    assert expliquer_panne(RuntimeError("autre chose"), reglages) is None
