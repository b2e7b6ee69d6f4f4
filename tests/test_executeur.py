"""L'exécuteur des flux (flows/executeur.py), en vrais processus : `ctg serveur demarrer` le lance à côté du
serveur Prefect local ; les commandes de flux lui confient leur flux sans importer Prefect.

Un seul serveur pour tout le module (son démarrage prend une à deux minutes sur une machine chargée) ; chaque
test convoque ses propres réunions. Le serveur ne dépend pas de la base de la CTG : SQLite seul.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.test_serveur import CTG, DEMARRAGE, api, attendre, ctg, environnement, processus_prefect


class Installation:
    """Un CTG_HOME avec L'Union, un COPIL de deux membres, et le serveur local démarré avec son exécuteur."""

    def __init__(self, dossier: Path) -> None:
        self.dossier = dossier
        self.env = environnement(dossier)
        self.reunions = 0

    def planifier(self) -> int:
        """Une réunion neuve du COPIL (deux invités), pas encore convoquée."""
        from gouvernance.base_donnees import ouvrir_base
        from gouvernance.reglages import lire_reglages
        from gouvernance.reunions.demande import lire_demande
        from gouvernance.reunions.planification import enregistrer_reunion
        from gouvernance.territoires import choisir_territoire
        from modeles.moteur import ouvrir_session

        self.reunions += 1
        jour = (datetime.now(UTC) + timedelta(days=30 + self.reunions)).date()
        demande = lire_demande(f"instance: COPIL\ndebut: {jour.isoformat()} 18:00\n", "test.yaml")
        with ouvrir_session(ouvrir_base(lire_reglages(self.env)), ecriture=True) as session:
            reunion = enregistrer_reunion(
                session,
                choisir_territoire(session, None),
                demande,
                maintenant=datetime.now(UTC),
                uid=f"executeur-{self.reunions}@ctg.example.org",
            )
            return reunion.id

    def api(self) -> str:
        return str(json_de(self.dossier / "prefect" / "serveur.json")["port"])

    def executions(self) -> list[dict[str, Any]]:
        return list(api(f"http://127.0.0.1:{self.api()}/api", "/flow_runs/filter", {}))


def json_de(chemin: Path) -> dict[str, Any]:
    import json

    return dict(json.loads(chemin.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    from gouvernance.base_donnees import creer_base
    from gouvernance.membres import ajouter_membre, exiger_instance
    from gouvernance.personnes import FichePersonne, ajouter_personne
    from gouvernance.reglages import lire_reglages
    from gouvernance.territoires import charger_referentiel_exemple, choisir_territoire
    from modeles.moteur import ouvrir_session

    lieu = Installation(tmp_path_factory.mktemp("executeur") / "ctg-donnees")
    with ouvrir_session(creer_base(lire_reglages(lieu.env)), ecriture=True) as session:
        charger_referentiel_exemple(session)
        copil = exiger_instance(session, choisir_territoire(session, None), "COPIL")
        for numero, role in enumerate(("president", "membre")):
            fiche = FichePersonne(email=f"invite{numero}@example.org", prenom="Invité", nom=f"Numéro {numero}")
            ajouter_membre(session, copil, ajouter_personne(session, fiche), role)
    demarre = ctg(lieu.env, "serveur", "demarrer", attente=2 * DEMARRAGE)
    try:
        assert demarre.returncode == 0, demarre.stderr
        assert "Exécuteur des flux prêt (pid" in demarre.stdout
        yield lieu
    finally:
        arrete = ctg(lieu.env, "serveur", "arreter")
        restants = processus_prefect(lieu.dossier)
        for pid in restants:  # ne rien laisser derrière soi, même quand le test échoue
            os.kill(pid, signal.SIGKILL)
    assert arrete.returncode == 0, arrete.stderr
    assert not restants
    assert not (lieu.dossier / "prefect" / "executeur.sock").exists()
    assert "Exécuteur arrêté." in (lieu.dossier / "prefect" / "executeur.log").read_text(encoding="utf-8")


def test_la_commande_confie_le_flux_a_l_executeur_sans_importer_prefect(installation: Installation) -> None:
    reunion = installation.planifier()
    prise = installation.dossier / "prefect" / "executeur.sock"
    assert stat.S_IMODE(prise.stat().st_mode) == 0o600  # seul son propriétaire peut lui soumettre un flux
    # La commande elle-même, avec la liste de ce qu'elle importe (-X importtime, sur stderr).
    commande = [sys.executable, "-X", "importtime", "-c", "from flows.cli.principal import main; main()"]
    resultat = subprocess.run(
        [*commande, "reunion", "convoquer", str(reunion)],
        env=installation.env,
        capture_output=True,
        text=True,
        timeout=DEMARRAGE,
        check=False,
    )
    assert resultat.returncode == 0, resultat.stderr[-3000:]
    assert resultat.stdout.splitlines() == [
        "Préparation des documents et des courriels…",
        "2 messages déposés dans la boîte d'envoi.",
        f"Documents : {installation.dossier / 'documents'} ; détail : ctg reunion voir {reunion}",
    ]
    importes = [ligne.rsplit("|", 1)[-1].strip() for ligne in resultat.stderr.splitlines() if "|" in ligne]
    assert "flows.cli.reunions" in importes  # le relevé des imports est bien celui de la commande
    assert not [module for module in importes if module.split(".")[0] == "prefect"]
    # Une vraie exécution Prefect, sur le serveur local, avec son journal en français.
    execution = next(e for e in installation.executions() if e["parameters"].get("reunion_id") == reunion)
    assert execution["state_type"] == "COMPLETED"
    adresse = f"http://127.0.0.1:{installation.api()}/api"
    journal = api(adresse, "/logs/filter", {"logs": {"flow_run_id": {"any_": [execution["id"]]}}})
    assert "2 messages déposés dans la boîte d'envoi." in [ligne["message"] for ligne in journal]


def test_le_flux_prend_les_reglages_de_la_commande_et_ses_erreurs_restent_en_francais(
    installation: Installation,
) -> None:
    reunion = installation.planifier()
    env = {**installation.env, "CTG_ENVOI_DELAIS": "bientôt"}  # lu par le flux, dans l'exécuteur
    resultat = ctg(env, "reunion", "convoquer", str(reunion))
    assert resultat.returncode == 1
    assert resultat.stderr.startswith("Erreur : CTG_ENVOI_DELAIS = « bientôt » : donnez des secondes")
    assert "Traceback" not in resultat.stderr + resultat.stdout


def test_plusieurs_commandes_a_la_fois_ont_chacune_leur_execution(installation: Installation) -> None:
    reunions = [installation.planifier() for _ in range(3)]
    resultats: dict[int, subprocess.CompletedProcess[str]] = {}

    def convoquer(reunion: int) -> None:
        resultats[reunion] = ctg(installation.env, "reunion", "convoquer", str(reunion))

    fils = [threading.Thread(target=convoquer, args=(reunion,)) for reunion in reunions]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    for reunion in reunions:
        assert resultats[reunion].returncode == 0, resultats[reunion].stderr
        assert "2 messages déposés dans la boîte d'envoi." in resultats[reunion].stdout
    executions = [e for e in installation.executions() if e["parameters"].get("reunion_id") in reunions]
    assert sorted(e["parameters"]["reunion_id"] for e in executions) == reunions
    assert {e["state_type"] for e in executions} == {"COMPLETED"}


def test_un_kill_9_de_la_commande_laisse_l_executeur_finir_proprement(installation: Installation) -> None:
    reunion = installation.planifier()
    executeur = json_de(installation.dossier / "prefect" / "executeur.json")["pid"]
    commande = subprocess.Popen(
        [str(CTG), "reunion", "convoquer", str(reunion)],
        env=installation.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def execution() -> dict[str, Any] | None:
        trouvees = [e for e in installation.executions() if e["parameters"].get("reunion_id") == reunion]
        return trouvees[0] if trouvees else None

    try:
        assert attendre(lambda: execution() is not None, DEMARRAGE)
    finally:
        commande.send_signal(signal.SIGKILL)
        commande.wait()
    # L'exécution va à son terme, puis sa copie de l'exécuteur s'arrête : ne restent que le serveur et l'exécuteur.
    assert attendre(lambda: (execution() or {}).get("state_type") == "COMPLETED", DEMARRAGE)
    serveur = json_de(installation.dossier / "prefect" / "serveur.json")["pid"]
    assert attendre(lambda: sorted(processus_prefect(installation.dossier)) == sorted([serveur, executeur]), 60)
    # Rien n'est à refaire : la même commande, relancée, ne renvoie rien.
    relance = ctg(installation.env, "reunion", "convoquer", str(reunion))
    assert "2 courriels déjà préparés lors d'un passage précédent" in relance.stdout + relance.stderr
