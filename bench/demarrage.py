"""Mesure le temps de démarrage des commandes de lecture de `ctg`, rapporté à `python -c "import sqlalchemy"`.

Lancement : `.venv/bin/python bench/demarrage.py` (sur un CTG_HOME neuf, créé par `ctg init`).
Chaque commande est lancée N fois dans un processus neuf ; on donne la médiane et le rapport à la
référence mesurée dans la même exécution, pour que les chiffres restent comparables d'une machine à l'autre.

Ce qu'importe encore une commande de lecture, et pourquoi : SQLAlchemy et son ORM (les requêtes), les
modèles (les tables ; leur déclaration est l'essentiel du reste), click et rich (la ligne de commande et les
tableaux). Ni Prefect, ni pydantic, babel, dateutil, icalendar, docx, Jinja ou matplotlib : chacun n'est
importé qu'à l'appel de ce qui s'en sert (`tests/test_cli.py` le vérifie). `ctg instances` charge en plus de
quoi écrire le rythme de chaque instance en clair (pydantic, dateutil, babel).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPETITIONS = 7
CTG = str(Path(sys.executable).with_name("ctg"))


def chronometrer(commande: list[str], environnement: dict[str, str]) -> float:
    durees = []
    for _ in range(REPETITIONS):
        debut = time.perf_counter()
        subprocess.run(commande, env=environnement, check=True, capture_output=True)  # noqa: S603
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees)


def main() -> None:
    with tempfile.TemporaryDirectory() as dossier:
        environnement = {**os.environ, "CTG_HOME": dossier}
        environnement.pop("CTG_DATABASE_URL", None)
        subprocess.run([CTG, "init"], env=environnement, check=True, capture_output=True)  # noqa: S603
        reference = chronometrer([sys.executable, "-c", "import sqlalchemy"], environnement)
        nu = chronometrer([sys.executable, "-c", "pass"], environnement)
        outils = chronometrer([sys.executable, "-c", "import sqlalchemy.orm, click, rich.table"], environnement)
        prefect = chronometrer([sys.executable, "-c", "import prefect"], environnement)
        print(f"référence  python -c 'import sqlalchemy'          : {reference * 1000:6.0f} ms")
        print(f"plancher   python -c 'pass'                       : {nu * 1000:6.0f} ms")
        for nom, duree in (("import sqlalchemy.orm, click, rich.table", outils), ("import prefect", prefect)):
            print(f"           {nom:<40} : {duree * 1000:6.0f} ms  ({duree / reference:.2f} ×)")
        commandes = (["--help"], ["referentiel"], ["referentiel", "--json"], ["reunions"], ["personnes"], ["suivi"])
        for arguments in (*commandes, ["instances"]):
            duree = chronometrer([CTG, *arguments], environnement)
            print(
                f"ctg {' '.join(arguments):<45}: {duree * 1000:6.0f} ms  ({duree / reference:.2f} × import sqlalchemy)"
            )


if __name__ == "__main__":
    main()
