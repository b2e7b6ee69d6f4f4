"""Fabriques de données de test, avec des valeurs par défaut (à la manière d'Indico)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from gouvernance.territoires import charger_referentiel_exemple
from modeles import Instance, Orientation, PointOrdreDuJour, Reunion, Territoire

DONNEES = Path(__file__).parent / "donnees"
SOURCE_LUNION = DONNEES / "ctg_lunion_conseil_municipal_2021-12-08.txt"


def charger_lunion(session: Session) -> Territoire:
    charger_referentiel_exemple(session)
    session.flush()
    return session.query(Territoire).filter_by(code="lunion").one()


def creer_reunion(
    session: Session, instance: Instance, orientations: list[Orientation], **changements: object
) -> Reunion:
    """Une réunion d'une instance avec un point d'ordre du jour rattaché à `orientations`."""
    debut = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)
    valeurs: dict[str, object] = {
        "instance": instance,
        "titre": "Comité de pilotage",
        "debut": debut,
        "fin": debut + timedelta(hours=2),
        "uid": f"reunion-{instance.code}-{debut:%Y%m%d}@ctg.example.org",
        "cree_le": datetime(2026, 11, 29, 9, 0, tzinfo=UTC),
    }
    valeurs.update(changements)
    reunion = Reunion(**valeurs)
    reunion.points.append(PointOrdreDuJour(ordre=1, titre="Bilan", orientations=orientations))
    session.add(reunion)
    session.flush()
    return reunion


def preparer_base_cli(dossier: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Une base SQLite avec L'Union dans `dossier` (CTG_HOME), pour les commandes lancées par CliRunner."""
    from flows.cli import contexte
    from gouvernance.base_donnees import creer_base
    from gouvernance.reglages import lire_reglages
    from modeles.moteur import ouvrir_session

    monkeypatch.setenv("CTG_HOME", str(dossier))
    for variable in ("CTG_DATABASE_URL", "CTG_CONFIG", "CTG_VACANCES_ZONE"):
        monkeypatch.delenv(variable, raising=False)
    contexte.reglages.cache_clear()
    contexte.moteur.cache_clear()
    moteur = creer_base(lire_reglages())
    with ouvrir_session(moteur, ecriture=True) as ouverte:
        charger_referentiel_exemple(ouverte)
    moteur.dispose()


def fermer_base_cli() -> None:
    from flows.cli import contexte

    contexte.moteur().dispose()
    contexte.reglages.cache_clear()
    contexte.moteur.cache_clear()
