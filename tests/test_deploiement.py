"""`ctg deployer` sur un vrai serveur Prefect, puis un vrai worker qui exécute un déploiement.

Le serveur est celui de la session (`serveur_prefect` : le serveur HTTP de Prefect dans un sous-processus,
sur une base SQLite temporaire) ; `ctg deployer` et le worker sont des processus à part qui le joignent
par PREFECT_API_URL, comme sur une installation répartie.
"""

from __future__ import annotations

import email
import email.policy
import inspect
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from flows.deploiements import DEPLOIEMENTS, Deploiement, Planification
from gouvernance.base_donnees import creer_base
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.demande import lire_demande
from gouvernance.reunions.planification import enregistrer_reunion
from gouvernance.territoires import charger_referentiel_exemple, choisir_territoire
from modeles import Message
from modeles.moteur import creer_moteur, ouvrir_session

BIN = Path(sys.executable).parent
POOL = "ctg-essai"
REUNION = """\
instance: COPIL
titre: Comité de pilotage — bilan de l'année
debut: 2027-01-12 18:00
lieu: Salle du conseil, mairie de L'Union
points:
  - titre: Bilan des actions petite enfance
    orientations: ["3.3"]
"""
INVITES = [("claire@example.org", "Claire", "Fictive"), ("karim@example.org", "Karim", "Modèle")]


def environnement(dossier: Path, url_prefect: str | None, **reglages: str) -> dict[str, str]:
    """L'environnement d'un processus : sans réglage CTG_* hérité, avec un PREFECT_HOME à lui."""
    env = {cle: valeur for cle, valeur in os.environ.items() if not cle.startswith(("CTG_", "PREFECT_"))}
    env.update({"PREFECT_HOME": str(dossier / "prefect"), "COLUMNS": "200", **reglages})
    if url_prefect:
        env["PREFECT_API_URL"] = url_prefect
    return env


def ctg_deployer(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "ctg"), "deployer", *arguments], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def premier_deploiement(
    tmp_path_factory: pytest.TempPathFactory, serveur_prefect: str
) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    """`ctg deployer --json` puis `ctg deployer` (lisible) sur le serveur de la session."""
    dossier = tmp_path_factory.mktemp("deployer")
    env = environnement(dossier, serveur_prefect)
    en_json = ctg_deployer(env, "--pool", POOL, "--json")
    assert en_json.returncode == 0, en_json.stderr
    return json.loads(en_json.stdout), ctg_deployer(env, "--pool", POOL)


def test_sans_serveur_ctg_deployer_explique_comment_en_demarrer_un(tmp_path: Path) -> None:
    resultat = ctg_deployer(environnement(tmp_path, None))
    assert resultat.returncode == 1
    assert "Traceback" not in resultat.stderr
    assert "Aucun serveur Prefect n'est réglé (PREFECT_API_URL est vide)" in resultat.stderr
    assert "prefect server start" in resultat.stderr
    assert "Sans serveur, les commandes ctg" in resultat.stderr


def test_un_serveur_injoignable_est_signale_en_francais(tmp_path: Path) -> None:
    resultat = ctg_deployer(environnement(tmp_path, "http://127.0.0.1:9/api"))
    assert resultat.returncode == 1
    assert "Traceback" not in resultat.stderr
    assert "Le serveur Prefect http://127.0.0.1:9/api ne répond pas" in resultat.stderr


def test_ctg_deployer_inscrit_le_pool_et_chaque_flux_du_registre(
    premier_deploiement: tuple[dict[str, Any], subprocess.CompletedProcess[str]],
) -> None:
    from prefect import get_client

    rapport, _ = premier_deploiement
    assert rapport["pool"] == {"nom": POOL, "etat": "cree"}
    assert [d["etat"] for d in rapport["deploiements"]] == ["cree"] * len(DEPLOIEMENTS)
    with get_client(sync_client=True) as client:
        pool = client.read_work_pool(POOL)
        assert pool.type == "process"
        for entree in DEPLOIEMENTS:
            module, fonction = entree.point_d_entree.split(":")
            nom_complet = next(
                d["deploiement"] for d in rapport["deploiements"] if d["point_d_entree"] == entree.point_d_entree
            )
            deploiement = client.read_deployment_by_name(nom_complet)
            # Un chemin de module : le worker importe le flux du projet installé, sans rien télécharger.
            assert deploiement.entrypoint == f"{module}.{fonction}"
            assert not deploiement.pull_steps
            assert deploiement.work_pool_name == POOL
            assert deploiement.description == entree.description
            assert "ctg" in deploiement.tags


def test_relancer_ctg_deployer_ne_duplique_rien(
    premier_deploiement: tuple[dict[str, Any], subprocess.CompletedProcess[str]],
) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterTags

    _, second = premier_deploiement
    assert second.returncode == 0, second.stderr
    assert f"Work pool « {POOL} » : déjà présent." in second.stdout
    assert f"{len(DEPLOIEMENTS)} déploiements : {len(DEPLOIEMENTS)} déjà à jour." in second.stdout
    assert "prefect worker start --pool ctg-essai" in second.stdout
    assert "--param reunion_id=" in second.stdout
    with get_client(sync_client=True) as client:
        filtre = DeploymentFilter(tags=DeploymentFilterTags(all_=["ctg"]))
        noms = [d.name for d in client.read_deployments(deployment_filter=filtre) if d.work_pool_name == POOL]
    assert sorted(noms) == sorted(entree.nom for entree in DEPLOIEMENTS)


def test_une_simulation_montre_ce_qui_serait_fait_sans_rien_inscrire(tmp_path: Path, serveur_prefect: str) -> None:
    from prefect import get_client
    from prefect.exceptions import ObjectNotFound

    from flows.publication import publier

    # Un déploiement de ctg que le registre ne connaît plus (renommé, retiré) : la commande le signale.
    ancien = Deploiement("ancien-nom", "flows.convocation:rediger_documents_reunion", "Un ancien déploiement.")
    publier([ancien], pool="ctg-ancien")
    resultat = ctg_deployer(environnement(tmp_path, serveur_prefect), "--pool", "ctg-simule", "--simulation")
    assert resultat.returncode == 0, resultat.stderr
    assert "Work pool « ctg-simule » (type process) : à créer." in resultat.stdout
    assert "« rediger-documents-reunion/ancien-nom » est sur le serveur mais plus dans le registre" in resultat.stdout
    assert "Simulation : rien n'a été enregistré." in resultat.stdout
    with get_client(sync_client=True) as client, pytest.raises(ObjectNotFound):
        client.read_work_pool("ctg-simule")


def test_un_pool_d_un_autre_type_est_refuse_sans_rien_inscrire(serveur_prefect: str) -> None:
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    from flows.publication import publier
    from gouvernance.erreurs import ErreurCTG

    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="ctg-docker", type="docker"))
    with pytest.raises(ErreurCTG, match="de type « docker » et non « process »"):
        publier(DEPLOIEMENTS, pool="ctg-docker")
    with get_client(sync_client=True) as client:
        assert not [d for d in client.read_deployments() if d.work_pool_name == "ctg-docker"]


def test_une_planification_est_inscrite_a_l_heure_de_paris_puis_remplacee_puis_retiree(serveur_prefect: str) -> None:
    """Le registre réel n'a pas encore de flux planifié : on publie un flux existant avec une planification."""
    from prefect import get_client
    from prefect.client.schemas.schedules import CronSchedule

    from flows.publication import Publication, publier

    def publier_avec(planification: Planification | None) -> tuple[Publication, list[tuple[str, str | None, bool]]]:
        """Publie l'essai ; renvoie ce que `ctg deployer` en dit et les planifications lues sur le serveur."""
        entree = Deploiement(
            nom="essai-planifie",
            point_d_entree="flows.convocation:rediger_documents_reunion",
            description="Essai de planification.",
            planification=planification,
            parametres={"reunion_id": 1},
        )
        publication = publier([entree], pool="ctg-planifie").publications[0]
        with get_client(sync_client=True) as client:
            deploiement = client.read_deployment_by_name("rediger-documents-reunion/essai-planifie")
        assert deploiement.parameters == {"reunion_id": 1}
        lues = [(p.schedule, p.active) for p in deploiement.schedules]
        return publication, [(s.cron, s.timezone, actif) for s, actif in lues if isinstance(s, CronSchedule)]

    publication, planifications = publier_avec(Planification("0 7 * * *", "chaque jour à 7 h 00"))
    assert publication.etat == "cree"
    assert planifications == [("0 7 * * *", "Europe/Paris", True)]
    prochaine = publication.prochaine_execution
    assert prochaine is not None and (prochaine.hour, prochaine.minute, str(prochaine.tzinfo)) == (7, 0, "Europe/Paris")

    # Suspendue dans l'interface de Prefect : relancer `ctg deployer` la laisse suspendue, et le dit.
    with get_client(sync_client=True) as client:
        deploiement = client.read_deployment_by_name("rediger-documents-reunion/essai-planifie")
        client.update_deployment_schedule(deploiement.id, deploiement.schedules[0].id, active=False)
    publication, planifications = publier_avec(Planification("0 7 * * *", "chaque jour à 7 h 00"))
    assert (publication.etat, publication.en_pause) == ("inchange", True)
    assert planifications == [("0 7 * * *", "Europe/Paris", False)]

    publication, planifications = publier_avec(Planification("30 8 * * 1-5", "du lundi au vendredi à 8 h 30"))
    assert (publication.etat, publication.changements) == ("mis_a_jour", ("planification",))
    assert planifications == [("30 8 * * 1-5", "Europe/Paris", True)]

    publication, planifications = publier_avec(None)
    assert (publication.etat, publication.changements) == ("mis_a_jour", ("planification",))
    assert planifications == []


def test_chaque_entree_du_registre_mene_a_un_flux_et_se_planifie_a_l_heure_de_paris() -> None:
    from prefect.server.schemas.schedules import CronSchedule

    from flows.publication import charger_flux

    assert len({entree.nom for entree in DEPLOIEMENTS}) == len(DEPLOIEMENTS)
    for entree in DEPLOIEMENTS:
        flux = charger_flux(entree)
        assert set(entree.parametres) <= set(inspect.signature(flux.fn).parameters), entree.nom
        if entree.planification is not None:
            assert entree.planification.fuseau == "Europe/Paris"
            assert entree.planification.libelle
            CronSchedule(cron=entree.planification.cron, timezone=entree.planification.fuseau)


def test_une_entree_dont_le_module_manque_est_refusee_clairement() -> None:
    from flows.publication import charger_flux
    from gouvernance.erreurs import ErreurCTG

    entree = Deploiement(nom="flux-a-venir", point_d_entree="flows.flux_a_venir:lancer", description="")
    with pytest.raises(ErreurCTG, match=r"désigne le module flows\.flux_a_venir, absent de cette installation"):
        charger_flux(entree)


def test_un_serveur_qui_demande_un_mot_de_passe_est_explique() -> None:
    from flows.serveur_prefect import refus_du_serveur

    erreur = refus_du_serveur("http://prefect.mairie.local:4200/api", 401, "Unauthorized")
    assert "demande une authentification" in str(erreur)
    assert "PREFECT_API_AUTH_STRING=utilisateur:mot_de_passe" in str(erreur)


def test_la_planification_s_affiche_en_francais_avec_la_prochaine_execution() -> None:
    from zoneinfo import ZoneInfo

    from flows.cli.deploiement import quand
    from flows.publication import Publication

    planifie = Deploiement(
        "relances", "flows.relances:relances_quotidiennes", "", Planification("0 7 * * *", "chaque jour à 7 h 00")
    )
    prochaine = datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Paris"))
    texte = quand(Publication(planifie, "relances/relances", "cree", prochaine_execution=prochaine))
    assert texte.replace("\u00a0", " ") == (
        "chaque jour à 7 h 00 (heure de Paris) ; prochaine exécution le lundi 30 novembre 2026 à 7 h 00."
    )
    a_la_demande = Deploiement("diffuser-reunion", "flows.convocation:diffuser_reunion", "")
    assert quand(Publication(a_la_demande, "diffuser-reunion/diffuser-reunion", "cree")) == "à la demande."


def test_la_prochaine_execution_suit_l_heure_d_ete_de_paris() -> None:
    from flows.publication import prochaine_execution

    # Le 28 mars 2027, Paris passe à l'heure d'été : 7 h 00 à Paris, c'est 5 h 00 UTC.
    prochaine = prochaine_execution(Planification("0 7 * * *", "chaque jour"), datetime(2027, 3, 27, 12, tzinfo=UTC))
    assert prochaine.astimezone(UTC) == datetime(2027, 3, 28, 5, 0, tzinfo=UTC)
    bilan = prochaine_execution(Planification("0 8 15 1 *", "le 15 janvier"), datetime(2026, 11, 29, tzinfo=UTC))
    assert bilan.astimezone(UTC) == datetime(2027, 1, 15, 7, 0, tzinfo=UTC)


@pytest.fixture
def donnees_du_worker(tmp_path: Path) -> Iterator[Path]:
    """Le CTG_HOME d'une machine worker : L'Union, un COPIL de deux membres, une réunion planifiée (n°1)."""
    dossier = tmp_path / "ctg"
    moteur = creer_base(lire_reglages({"CTG_HOME": str(dossier)}))
    with ouvrir_session(moteur, ecriture=True) as session:
        charger_referentiel_exemple(session)
        territoire = choisir_territoire(session, None)
        copil = exiger_instance(session, territoire, "COPIL")
        for adresse, prenom, nom in INVITES:
            personne = ajouter_personne(session, FichePersonne(email=adresse, prenom=prenom, nom=nom))
            ajouter_membre(session, copil, personne, "membre")
        enregistrer_reunion(
            session,
            territoire,
            lire_demande(REUNION, "reunion.yaml"),
            maintenant=datetime(2026, 11, 29, 9, 0, tzinfo=UTC),
            uid="copil-2027-01-12@ctg.example.org",
        )
    moteur.dispose()
    yield dossier


def test_un_worker_execute_le_deploiement_diffuser_reunion_avec_les_reglages_de_sa_machine(
    premier_deploiement: tuple[dict[str, Any], subprocess.CompletedProcess[str]],
    donnees_du_worker: Path,
    serveur_prefect: str,
) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        deploiement = client.read_deployment_by_name("diffuser-reunion/diffuser-reunion")
        execution = client.create_flow_run_from_deployment(deploiement.id, parameters={"reunion_id": 1})
    # Les réglages viennent de l'environnement du worker, que le worker « process » transmet au flux.
    env = environnement(
        donnees_du_worker,
        serveur_prefect,
        CTG_HOME=str(donnees_du_worker),
        CTG_COORDINATEUR_NOM="Nadia Prototype",
        CTG_COORDINATEUR_EMAIL="cooperation.ctg@example.org",
        CTG_ENVOI_DELAIS="0",
        # Sans LibreOffice dans le PATH, pas de PDF : le test reste court (la conversion est vérifiée ailleurs).
        PATH=str(BIN),
    )
    # --run-once : un seul tour de ramassage ; avec --limit, le worker attend la fin du flux puis s'arrête.
    worker = subprocess.run(
        [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process", "--run-once", "--limit", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        cwd=donnees_du_worker.parent,
    )
    journal = f"--- sortie du worker ---\n{worker.stdout}\n{worker.stderr}"
    assert worker.returncode == 0, journal
    with get_client(sync_client=True) as client:
        etat = client.read_flow_run(execution.id).state
        filtre = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[execution.id]))
        artefacts = client.read_artifacts(artifact_filter=filtre)
    assert etat is not None and etat.is_completed(), journal
    # Le résumé que le coordinateur lit dans l'interface, laissé par le flux exécuté sur le worker.
    types = {a.key: a.type for a in artefacts}
    assert types == {"reunion-1-convocation": "markdown", "reunion-1-convocation-destinataires": "table"}
    resume = next(a for a in artefacts if a.type == "markdown")
    assert "## Réunion n°1 : convocation" in str(resume.data)

    moteur = creer_moteur(f"sqlite:///{donnees_du_worker / 'ctg.sqlite3'}")
    with ouvrir_session(moteur) as session:
        messages = session.scalars(select(Message).order_by(Message.destinataire)).all()
        assert [(m.destinataire, m.etat) for m in messages] == [
            ("claire@example.org", "depose"),
            ("karim@example.org", "depose"),
        ], journal
        for message in messages:
            chemin = donnees_du_worker / message.chemin
            assert chemin.parent == donnees_du_worker / "boite-envoi"
            lu = email.message_from_bytes(chemin.read_bytes(), policy=email.policy.default)
            assert lu["To"].addresses[0].addr_spec == message.destinataire
            assert any(partie.get_content_type() == "text/calendar" for partie in lu.walk())
    moteur.dispose()


@pytest.mark.parametrize("dossier", [None, "ctg-donnees"])
def test_sur_un_worker_un_ctg_home_absent_ou_relatif_est_refuse_avant_d_ecrire_quoi_que_ce_soit(
    tmp_path: Path, dossier: str | None
) -> None:
    from gouvernance.erreurs import DonneesInvalides
    from gouvernance.reglages import lire_reglages

    env = {"PREFECT__FLOW_RUN_ID": "5f53ef5b-30d4-4895-847a-417d57421c11"}
    if dossier is not None:
        env["CTG_HOME"] = dossier
    with pytest.raises(
        DonneesInvalides, match=r"CTG_HOME n.y est pas réglé en chemin absolu .*\(/etc/ctg/worker.env\)"
    ):
        lire_reglages(env, tmp_path)
    assert list(tmp_path.iterdir()) == []
    # Hors d'un worker (commande ctg), le dossier par défaut reste ./ctg-donnees.
    assert lire_reglages({}, tmp_path).dossier == tmp_path / "ctg-donnees"
    assert lire_reglages({**env, "CTG_HOME": str(tmp_path / "srv")}, tmp_path).dossier == tmp_path / "srv"
