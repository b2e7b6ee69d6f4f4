"""Ce que partagent les bancs : la médiane de plusieurs exécutions, et le compte des requêtes SQL."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: Combien d'exécutions pour une médiane, sauf mention contraire.
REPETITIONS = 5


def mediane(action: Callable[[], object], repetitions: int = REPETITIONS) -> float:
    """La durée médiane, en secondes, de `repetitions` exécutions de `action`."""
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        action()
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees)


@contextmanager
def compter_requetes(moteur: Any) -> Iterator[list[str]]:
    """Les requêtes SQL émises dans le bloc (hors BEGIN/COMMIT), par l'écouteur `before_cursor_execute`."""
    from sqlalchemy import event

    requetes: list[str] = []

    def noter(_connexion: Any, _curseur: Any, instruction: str, *_arguments: Any) -> None:
        if not instruction.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            requetes.append(instruction)

    event.listen(moteur, "before_cursor_execute", noter)
    try:
        yield requetes
    finally:
        event.remove(moteur, "before_cursor_execute", noter)
