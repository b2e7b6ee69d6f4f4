"""Le suivi des actions décidées en réunion : changer leur statut ou leur échéance."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from gouvernance.comptes_rendus.suivi import changer_action, decrire_action


def modifier_action(
    session: Session,
    numero: int,
    *,
    statut: str | None,
    echeance: str | None,
    maintenant: datetime,
    aujourd_hui: date,
) -> dict[str, Any]:
    """Change le statut ou l'échéance de l'action `numero` ; renvoie sa description (celle de `ctg suivi`)."""
    action = changer_action(session, numero, statut=statut, echeance=echeance, maintenant=maintenant)
    return decrire_action(action, aujourd_hui=aujourd_hui)
