"""Le bilan annuel : lire l'année, écrire ses fichiers hors transaction, puis les consigner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from gouvernance.bilan.production import ResultatBilan, consigner_bilan, ecrire_bilan, lire_pour_bilan
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.territoires import choisir_territoire
from modeles.moteur import ouvrir_session


def produire_bilan(
    moteur: Engine, designation_territoire: str | None, annee: int, parametres: Parametres, *, arrete_le: datetime
) -> ResultatBilan:
    """Le bilan de `annee` à l'instant `arrete_le` : graphiques, CSV, Word et PDF, chacun consigné.

    Les graphiques, le Word et LibreOffice prennent du temps : ils se font entre une lecture et une écriture
    courtes, si bien que la base reste libre pour les autres commandes et les flux planifiés.
    """
    with ouvrir_session(moteur) as session:
        territoire = choisir_territoire(session, designation_territoire)
        lecture = lire_pour_bilan(session, territoire, annee, parametres, arrete_le=arrete_le)
    resultat, fichiers = ecrire_bilan(lecture, parametres)
    with ouvrir_session(moteur, ecriture=True) as session:
        consigner_bilan(session, fichiers, maintenant=parametres.maintenant, dossier=parametres.reglages.dossier)
    return resultat
