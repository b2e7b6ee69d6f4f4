"""Mesure les listes d'un territoire dans une base à l'échelle d'un département (200 territoires).

Lancement : `.venv/bin/python bench/echelle.py [--territoires 200] [--sqlite]` (5 minutes environ). La base
est construite avec les modèles du projet (`tests/fabriques_echelle.py`, insertions en masse) : sur PostgreSQL
quand il répond (`127.0.0.1:5432` ou `CTG_TESTS_POSTGRESQL`, base temporaire supprimée à la fin), sinon (ou
avec `--sqlite`) dans un fichier SQLite temporaire.
Par territoire : 60 personnes, 30 réunions de 40 invités, 960 courriels, 42 actions ; avec 200 territoires :
12 000 personnes, 6 000 réunions, 240 000 invitations, 192 000 courriels, 8 400 actions.

Chaque liste (`ctg personnes`, `ctg reunions`, `ctg suivi` et chacun de ses filtres, `ctg reunion voir`,
`ctg calendrier exporter`) est mesurée sur le même territoire deux fois : quand la base en compte un dixième
(20 territoires), puis quand elle les compte tous. Pour chacune : le nombre de requêtes SQL (il ne doit pas
changer) et le temps passé dans la base (médiane de 5 exécutions, entre l'envoi de chaque requête et sa
réponse, écouteurs `before/after_cursor_execute`), qui doit rester sous 100 ms. Référence mesurée dans la même
exécution : un parcours complet de la table des courriels (`SELECT count(*) … WHERE objet LIKE …`), ce que
faisait `ctg reunion voir` avant l'index sur `messages.reunion_id`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Engine, create_engine, event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fabriques_echelle import listes_du_territoire, peupler

REPETITIONS = 5
SEUIL_MS = 100.0
URL_POSTGRESQL = os.environ.get("CTG_TESTS_POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REFERENCE = "SELECT count(*) FROM messages WHERE objet LIKE '%introuvable%'"


@contextmanager
def base_temporaire(*, sqlite: bool) -> Iterator[str]:
    """Une base vide : PostgreSQL s'il répond (et que `sqlite` n'est pas demandé), sinon un fichier SQLite."""
    if sqlite:
        with tempfile.TemporaryDirectory() as dossier:
            yield f"sqlite:///{Path(dossier) / 'ctg.sqlite3'}"
        return
    try:
        administration = create_engine(URL_POSTGRESQL, isolation_level="AUTOCOMMIT")
        nom = f"ctg_echelle_{uuid.uuid4().hex[:8]}"
        with administration.connect() as connexion:
            connexion.execute(text(f'CREATE DATABASE "{nom}"'))
    except Exception as erreur:
        print(f"PostgreSQL ne répond pas ({type(erreur).__name__}) : mesure sur SQLite.")
        with tempfile.TemporaryDirectory() as dossier:
            yield f"sqlite:///{Path(dossier) / 'ctg.sqlite3'}"
        return
    try:
        yield administration.url.set(database=nom).render_as_string(hide_password=False)
    finally:
        with administration.connect() as connexion:
            connexion.execute(text(f'DROP DATABASE "{nom}" WITH (FORCE)'))
        administration.dispose()


class Mesure(NamedTuple):
    requetes: int
    #: Le temps passé dans la base (ms). Sur SQLite, `execute` ne calcule que la première ligne : le reste
    #: du travail de la base tombe dans la lecture des lignes, comptée dans la durée totale.
    base: float
    #: La durée de la fonction entière (ms) : requêtes, lecture des lignes, objets SQLAlchemy, mise en forme.
    totale: float


class Chronometre:
    """Le nombre de requêtes et le temps passé dans la base (de l'envoi à la réponse de chaque requête)."""

    def __init__(self, moteur: Engine) -> None:
        self.requetes = 0
        self.secondes = 0.0
        self._debut = 0.0
        event.listen(moteur, "before_cursor_execute", self._avant)
        event.listen(moteur, "after_cursor_execute", self._apres)

    def _avant(self, _connexion: Any, _curseur: Any, instruction: str, *_arguments: Any) -> None:
        self._debut = time.perf_counter()
        if not instruction.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            self.requetes += 1

    def _apres(self, *_arguments: Any) -> None:
        self.secondes += time.perf_counter() - self._debut

    def mesurer(self, moteur: Engine, liste: Callable[[Any], object]) -> Mesure:
        """Requêtes, temps médians dans la base et en tout (ms) de `REPETITIONS` exécutions de `liste`."""
        from modeles.moteur import ouvrir_session

        base, totale, requetes = [], [], 0
        for _ in range(REPETITIONS):
            self.requetes, self.secondes = 0, 0.0
            debut = time.perf_counter()
            with ouvrir_session(moteur) as session:
                liste(session)
            totale.append((time.perf_counter() - debut) * 1000)
            base.append(self.secondes * 1000)
            requetes = self.requetes
        return Mesure(requetes, statistics.median(base), statistics.median(totale))


def mesurer_tout(moteur: Engine, chronometre: Chronometre, code: str) -> dict[str, Mesure]:
    mesures = {nom: chronometre.mesurer(moteur, liste) for nom, liste in listes_du_territoire(moteur, code).items()}
    with moteur.connect() as connexion:
        connexion.execute(text(REFERENCE))  # à chaud, comme les listes
        debut = time.perf_counter()
        for _ in range(REPETITIONS):
            connexion.execute(text(REFERENCE))
    duree = (time.perf_counter() - debut) * 1000 / REPETITIONS
    mesures["référence : parcours complet des courriels"] = Mesure(1, duree, duree)
    return mesures


def main() -> None:
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("--territoires", type=int, default=200, help="La taille finale de la base (200).")
    parametres.add_argument("--sqlite", action="store_true", help="Mesure sur SQLite même si PostgreSQL répond.")
    arguments = parametres.parse_args()
    territoires = arguments.territoires
    premiere_etape = max(1, territoires // 10)

    from gouvernance.base_donnees import migrer
    from modeles.moteur import creer_moteur

    with base_temporaire(sqlite=arguments.sqlite) as url:
        moteur = creer_moteur(url)
        migrer(moteur)
        chronometre = Chronometre(moteur)
        etapes: list[tuple[int, dict[str, Mesure]]] = []
        deja = 0
        for taille in (premiere_etape, territoires):
            debut = time.perf_counter()
            peupler(moteur, taille - deja, premier=deja + 1)
            if moteur.dialect.name == "postgresql":
                with moteur.connect().execution_options(isolation_level="AUTOCOMMIT") as connexion:
                    connexion.execute(text("ANALYZE"))
            print(f"{taille - deja} territoires ajoutés en {time.perf_counter() - debut:.1f} s ({taille} en tout)")
            deja = taille
            etapes.append((taille, mesurer_tout(moteur, chronometre, "t0001")))
        moteur.dispose()
    _afficher(moteur.dialect.name, etapes)


def _afficher(base: str, etapes: list[tuple[int, dict[str, Mesure]]]) -> None:
    (petite, avant), (grande, apres) = etapes
    print(f"\nBase {base} ; chaque liste porte sur le territoire t0001, médiane de {REPETITIONS} exécutions.")
    tailles = (petite, grande)
    print("| commande | " + " | ".join(f"requêtes ({n} terr.)" for n in tailles), end=" | ")
    print(" | ".join(f"base ({n} terr.)" for n in tailles), end=" | rapport | ")
    print(" | ".join(f"en tout ({n} terr.)" for n in tailles) + " |")
    print("|---|---|---|---|---|---|---|---|")
    depassements = []
    for nom, mesure in avant.items():
        apres_ = apres[nom]
        rapport = apres_.base / mesure.base if mesure.base else float("nan")
        requetes = f"{mesure.requetes} | {apres_.requetes}"
        base = f"{mesure.base:.1f} ms | {apres_.base:.1f} ms | {rapport:.2f}"
        temps = f"{base} | {mesure.totale:.1f} ms | {apres_.totale:.1f} ms"
        print(f"| `{nom}` | {requetes} | {temps} |")
        if not nom.startswith("référence") and (apres_.requetes != mesure.requetes or apres_.base > SEUIL_MS):
            depassements.append(nom)
    if depassements:
        print(f"\nHors limite (requêtes qui changent ou plus de {SEUIL_MS:.0f} ms) : {', '.join(depassements)}")
        sys.exit(1)
    print(f"\nToutes les listes : même nombre de requêtes aux deux tailles, moins de {SEUIL_MS:.0f} ms dans la base.")


if __name__ == "__main__":
    main()
