"""Pour `ctg demo` seulement : ce que la démonstration fait à la place du temps qui passe."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine

from gouvernance.reunions.description import exiger_reunion
from modeles.moteur import ouvrir_session


def reculer_reunion(moteur: Engine, reunion_id: int, *, semaines: int) -> datetime:
    """Date la réunion de `semaines` semaines plus tôt (même jour, même heure) : elle a eu lieu, son compte
    rendu peut s'importer. Rien n'est envoyé : la démonstration ne fait que gagner du temps."""
    with ouvrir_session(moteur, ecriture=True) as session:
        reunion = exiger_reunion(session, reunion_id)
        reunion.debut -= timedelta(weeks=semaines)
        reunion.fin -= timedelta(weeks=semaines)
        return reunion.debut
