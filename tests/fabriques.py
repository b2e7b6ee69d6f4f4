"""Fabriques de données de test, avec des valeurs par défaut (à la manière d'Indico)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

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
