"""Les réponses des invités reçues par courriel : fichiers .eml et .ics, ou relevé de la boîte IMAP."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from gouvernance.reunions.imap.releve import BilanReleve, Releve, enregistrer_releve
from gouvernance.reunions.reponses import BilanReponses, appliquer_fichiers
from gouvernance.reunions.reponses_fichiers import lire_fichier, lister_fichiers
from modeles.moteur import ouvrir_session


def importer_reponses(
    moteur: Engine, chemins: Sequence[Path], *, maintenant: datetime, simulation: bool = False
) -> tuple[int, BilanReponses]:
    """Lit les fichiers et dossiers `chemins` (hors transaction) puis enregistre leurs réponses d'un bloc.

    Renvoie le nombre de fichiers lus et le bilan, ligne par fichier ; en `simulation`, rien n'est enregistré.
    """
    lus = [lire_fichier(fichier) for fichier in lister_fichiers(chemins)]
    with ouvrir_session(moteur, ecriture=True) as session:
        bilan = appliquer_fichiers(session, lus, maintenant=maintenant)
        if simulation:
            session.rollback()
    return len(lus), bilan


def enregistrer_reponses(
    moteur: Engine, releve: Releve, *, maintenant: datetime, simulation: bool = False
) -> BilanReleve:
    """Applique les réponses relevées dans la boîte (déjà lue, hors transaction) et note chaque courriel traité.

    En `simulation`, le bilan est le même et rien n'est enregistré : les courriels seront relus la fois suivante.
    """
    with ouvrir_session(moteur, ecriture=True) as session:
        bilan = enregistrer_releve(session, releve, maintenant=maintenant)
        if simulation:
            session.rollback()
    return bilan
