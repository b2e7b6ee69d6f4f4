"""Mesure le temps de démarrage des commandes de lecture de `ctg`, rapporté à `python -c "import prefect"`.

Lancement : `.venv/bin/python bench/demarrage.py` (après `make demo`, ou sur n'importe quel CTG_HOME).
Chaque commande est lancée N fois dans un processus neuf ; on donne la médiane et le rapport à la
référence mesurée dans la même exécution, pour que les chiffres restent comparables d'une machine à l'autre.
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
        reference = chronometrer([sys.executable, "-c", "import prefect"], environnement)
        nu = chronometrer([sys.executable, "-c", "pass"], environnement)
        print(f"référence  python -c 'import prefect' : {reference * 1000:6.0f} ms")
        print(f"plancher   python -c 'pass'           : {nu * 1000:6.0f} ms")
        for arguments in (["--help"], ["referentiel"], ["referentiel", "--json"], ["instances"], ["personnes"]):
            duree = chronometrer([CTG, *arguments], environnement)
            print(f"ctg {' '.join(arguments):<28}: {duree * 1000:6.0f} ms  ({duree / reference:.2f} × import prefect)")


if __name__ == "__main__":
    main()
