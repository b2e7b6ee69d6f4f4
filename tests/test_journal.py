"""Le journal des erreurs inattendues : rotation, et copie dans les journaux d'un flux Prefect en cours."""

from __future__ import annotations

import logging
from pathlib import Path

from flows.journal import FICHIERS_GARDES, NOM_JOURNAL, TAILLE_MAXIMALE, journaliser_inattendue


def _erreur(message: str) -> RuntimeError:
    try:
        raise RuntimeError(message)
    except RuntimeError as erreur:
        return erreur


def test_le_journal_tourne_et_ne_garde_que_les_derniers_fichiers(tmp_path: Path) -> None:
    trace = "x" * 20_000
    references = [journaliser_inattendue(_erreur(trace), tmp_path).reference for _ in range(400)]

    journaux = sorted(p.name for p in (tmp_path / "journal").iterdir())
    assert journaux == [NOM_JOURNAL, *(f"{NOM_JOURNAL}.{n}" for n in range(1, FICHIERS_GARDES + 1))]
    assert all(p.stat().st_size <= TAILLE_MAXIMALE + 30_000 for p in (tmp_path / "journal").iterdir())
    assert f"réf. {references[-1]}" in (tmp_path / "journal" / NOM_JOURNAL).read_text(encoding="utf-8")


class _Releve(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.enregistrements: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.enregistrements.append(record)


def test_dans_un_flux_prefect_l_erreur_va_aussi_aux_journaux_du_flux(tmp_path: Path, serveur_prefect: str) -> None:
    from prefect import flow

    @flow(name="essai-journal")
    def essai() -> str:
        return journaliser_inattendue(_erreur("panne dans le flux"), tmp_path, "essai").reference

    # Le logger des exécutions de flux, celui dont Prefect envoie les messages à son API (son interface).
    releve, logger = _Releve(), logging.getLogger("prefect.flow_runs")
    logger.addHandler(releve)
    try:
        reference = essai()
    finally:
        logger.removeHandler(releve)

    messages = [r for r in releve.enregistrements if f"réf. {reference}" in r.getMessage()]
    assert messages, [r.getMessage() for r in releve.enregistrements]
    assert messages[0].exc_info is not None
    assert f"réf. {reference}" in (tmp_path / "journal" / NOM_JOURNAL).read_text(encoding="utf-8")
