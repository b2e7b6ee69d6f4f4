"""Mesure ce qu'attend l'utilisateur d'une commande de flux, avec et sans le serveur Prefect local (`ctg serveur`).

Lancement : `.venv/bin/python bench/serveur.py [--invites 2] [--repetitions 3]` (quelques minutes). Tout
tourne dans un dossier temporaire : L'Union, un COPIL de `--invites` membres, une réunion neuve par mesure,
convoquée sans PDF (LibreOffice hors du PATH : sa durée ne masque pas celle de Prefect).

Chaque mesure est la durée, vue de l'utilisateur, d'un processus neuf (démarrage de Python et imports compris) ;
médiane de `--repetitions` réunions :
1. notre code seul : la même convocation (documents, invitations, courriels, boîte d'envoi, base), sans Prefect ;
2. à froid : le flux sur un serveur Prefect temporaire, démarré puis arrêté par le processus (avant
   `ctg serveur`, chaque commande de flux faisait ainsi) ;
3. le flux dans la commande, le serveur local en marche mais sans son exécuteur (avant flows/executeur.py,
   chaque commande de flux importait ainsi Prefect) ;
4. `ctg reunion convoquer N`, le serveur local et son exécuteur en marche : l'attente réelle de l'utilisateur
   (la commande n'importe pas Prefect ; l'exécuteur, où il est déjà chargé, exécute le flux).
Puis, dans ce processus-ci (Prefect déjà importé), notre code et le flux sur le serveur en marche : le coût
de Prefect par exécution, hors import.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from convocation import ligne, notre_code, planifier, preparer_dossier

RACINE = Path(__file__).resolve().parents[1]
CTG = Path(sys.executable).with_name("ctg")


def duree_processus(commande: list[str], environnement: dict[str, str]) -> float:
    debut = time.perf_counter()
    resultat = subprocess.run(commande, env=environnement, capture_output=True, text=True, check=False)  # noqa: S603
    duree = time.perf_counter() - debut
    if resultat.returncode != 0:
        raise SystemExit(f"{' '.join(commande)} a échoué :\n{resultat.stdout}\n{resultat.stderr}")
    return duree


def mediane_sur_reunions(mesurer: Callable[[int], float], repetitions: int, premiere: int) -> float:
    """La médiane de `mesurer(réunion)` sur `repetitions` réunions neuves, numérotées à partir de `premiere`."""
    return statistics.median(mesurer(planifier(premiere + rang)) for rang in range(repetitions))


def executer_seul(mode: str, reunion_id: int) -> None:
    """Dans un processus neuf (appelé par le banc lui-même) : notre code seul, ou le flux sur serveur temporaire."""
    from gouvernance.documents.rendu import MODELES_D_ORIGINE

    if mode == "notre-code":
        notre_code(reunion_id, MODELES_D_ORIGINE, pdf=False)
        return
    from flows.prefect_local import preparer_environnement
    from gouvernance.reglages import lire_reglages

    preparer_environnement(lire_reglages())
    from flows.convocation import diffuser_reunion
    from flows.prefect_local import reglages_d_execution
    from flows.serveur_local import lire_serveur

    serveur = lire_serveur(lire_reglages().dossier) if mode == "flux-serveur" else None
    # Sans API : Prefect démarre son serveur temporaire ; avec, le flux va au serveur local en marche.
    with reglages_d_execution(serveur.api if serveur else None):
        diffuser_reunion(reunion_id, "convocation", ())


def main() -> None:
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("--invites", type=int, default=2, help="membres du COPIL convoqué (2)")
    parametres.add_argument("--repetitions", type=int, default=3, help="réunions mesurées par cas (3)")
    parametres.add_argument("--seul", choices=["notre-code", "flux-temporaire", "flux-serveur"], help=argparse.SUPPRESS)
    parametres.add_argument("--reunion", type=int, help=argparse.SUPPRESS)
    options = parametres.parse_args()
    sys.path.insert(0, str(RACINE))
    if options.seul:
        executer_seul(options.seul, options.reunion)
        return
    repetitions = options.repetitions
    with tempfile.TemporaryDirectory() as temporaire:
        dossier = Path(temporaire) / "ctg"
        preparer_dossier(dossier, options.invites)
        environnement = {**os.environ, "PATH": "", "CTG_SERVEUR_INACTIVITE": "5"}
        environnement.pop("PREFECT_API_URL", None)

        def seul(mode: str) -> Callable[[int], float]:
            script = [sys.executable, str(Path(__file__).resolve()), "--seul", mode, "--reunion"]
            return lambda reunion: duree_processus([*script, str(reunion)], environnement)

        nous = mediane_sur_reunions(seul("notre-code"), repetitions, 0)
        froid = mediane_sur_reunions(seul("flux-temporaire"), repetitions, 100)

        from flows.executeur import attendre_executeur
        from flows.serveur_local import arreter_serveur, demarrer_serveur

        debut = time.perf_counter()
        serveur, _ = demarrer_serveur(dossier, inactivite=None)
        demarrage = time.perf_counter() - debut
        try:
            sans_executeur = mediane_sur_reunions(seul("flux-serveur"), repetitions, 150)
            if attendre_executeur(dossier, 600) is None:
                raise SystemExit("L'exécuteur des flux n'a pas démarré : voyez CTG_HOME/prefect/executeur.log.")
            commande = mediane_sur_reunions(
                lambda reunion: duree_processus([str(CTG), "reunion", "convoquer", str(reunion)], environnement),
                repetitions,
                200,
            )
            nous_dedans, flux_dedans = dans_ce_processus(serveur.api, repetitions)
            from prefect.logging.handlers import APILogHandler

            APILogHandler().flush()  # le journal des flux part au serveur avant son arrêt
        finally:
            arreter_serveur(dossier)

    print(f"Convocation d'un COPIL de {options.invites} invités, sans PDF ; médiane de {repetitions} réunions")
    print("Processus neufs (ce qu'attend l'utilisateur) :")
    ligne("notre code seul", nous)
    ligne("flux, serveur temporaire (froid)", froid, f"{froid / nous:.2f} × notre code")
    ligne("flux + serveur, sans exécuteur", sans_executeur, f"{sans_executeur / nous:.2f} × notre code")
    ligne("ctg reunion convoquer + exécuteur", commande, f"{commande / nous:.2f} × notre code (objectif ≤ 1,3)")
    ligne(
        "part de Prefect, avec exécuteur",
        commande - nous,
        f"objectif ≤ 0,5 s ; sans exécuteur : {sans_executeur - nous:.2f} s ; à froid : {froid - nous:.2f} s",
    )
    print("Dans un même processus, Prefect déjà importé :")
    ligne("notre code seul", nous_dedans)
    ligne("flux sur le serveur en marche", flux_dedans, f"{flux_dedans / nous_dedans:.2f} × notre code")
    ligne("part de Prefect par exécution", flux_dedans - nous_dedans)
    ligne("démarrage du serveur local", demarrage, "base de Prefect déjà créée ; exécuteur non compris")


def dans_ce_processus(api: str, repetitions: int) -> tuple[float, float]:
    """(notre code seul, flux sur le serveur `api`) dans ce processus ; un premier flux non compté (imports)."""
    from gouvernance.documents.rendu import MODELES_D_ORIGINE
    from gouvernance.reglages import lire_reglages

    os.environ["PATH"] = ""  # sans LibreOffice, comme les processus mesurés
    from flows.prefect_local import preparer_environnement

    preparer_environnement(lire_reglages())
    from flows.convocation import diffuser_reunion
    from flows.prefect_local import reglages_d_execution

    def flux(reunion: int) -> float:
        with reglages_d_execution(api):
            debut = time.perf_counter()
            diffuser_reunion(reunion, "convocation", ())
            return time.perf_counter() - debut

    def nous(reunion: int) -> float:
        debut = time.perf_counter()
        notre_code(reunion, MODELES_D_ORIGINE, pdf=False)
        return time.perf_counter() - debut

    flux(planifier(300))
    nous(planifier(301))
    return mediane_sur_reunions(nous, repetitions, 400), mediane_sur_reunions(flux, repetitions, 500)


if __name__ == "__main__":
    main()
