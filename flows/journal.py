"""Le journal des erreurs inattendues : la trace complète dans CTG_HOME/journal/ctg.log, une référence courte
pour l'utilisateur.

L'utilisateur ne voit jamais de trace Python : il lit une ligne en français avec une référence
(« réf. 7F3A2C ») qu'il transmet à qui l'aide ; la même référence ouvre l'entrée du journal. Dans un flux
Prefect, l'entrée va aussi aux journaux de Prefect (son interface). Si CTG_HOME n'est pas inscriptible, le
journal se replie dans le dossier temporaire du système ; si rien ne s'écrit, la ligne s'affiche quand même.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import tempfile
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path

#: Le journal tourne à 1 Mo et garde 5 fichiers anciens (ctg.log.1 … ctg.log.5).
TAILLE_MAXIMALE = 1_000_000
FICHIERS_GARDES = 5
NOM_JOURNAL = "ctg.log"
NOM_LOGGER = "ctg"

_FORMAT = "%(asctime)s %(levelname)s [pid %(process)d] %(message)s"


@dataclass(frozen=True)
class Incident:
    #: Six caractères hexadécimaux, à donner à qui aide l'utilisateur.
    reference: str
    #: Le fichier où la trace a été écrite ; None si aucun n'a pu l'être.
    journal: Path | None

    def message(self) -> str:
        """La ligne que voit l'utilisateur."""
        if self.journal is None:
            return (
                f"Erreur inattendue (réf. {self.reference}) : le détail n'a pu être écrit dans aucun journal "
                "(disque plein ou en lecture seule ?). Relancez la commande, et signalez ce problème s'il persiste."
            )
        return f"Erreur inattendue (réf. {self.reference}) : le détail est dans {self.journal}"


def dossier_journal(dossier_donnees: Path) -> Path:
    return dossier_donnees / "journal"


def journaliser_inattendue(erreur: BaseException, dossier_donnees: Path | None, commande: str = "") -> Incident:
    """Écrit la trace de `erreur` dans le journal (et dans celui du flux Prefect en cours) ; ne lève jamais."""
    reference = secrets.token_hex(3).upper()
    entete = f"réf. {reference} — erreur inattendue" + (f" pendant « {commande} »" if commande else "")
    journal = None
    for dossier in _dossiers_possibles(dossier_donnees):
        try:
            _ecrire(dossier / NOM_JOURNAL, entete, erreur)
        except Exception:  # noqa: S112 — un dossier refusé : on essaie le suivant
            continue
        journal = dossier / NOM_JOURNAL
        break
    _journaliser_dans_prefect(entete, erreur)
    return Incident(reference=reference, journal=journal)


def _dossiers_possibles(dossier_donnees: Path | None) -> list[Path]:
    dossiers = [dossier_journal(dossier_donnees)] if dossier_donnees is not None else []
    utilisateur = getattr(os, "getuid", lambda: "")()
    return [*dossiers, Path(tempfile.gettempdir()) / f"ctg-journal-{utilisateur}"]


def _ecrire(chemin: Path, entete: str, erreur: BaseException) -> None:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    # Le dossier temporaire est partagé : un dossier du même nom créé par un autre compte n'est pas le nôtre.
    temporaire = chemin.parent.parent == Path(tempfile.gettempdir())
    if temporaire and hasattr(os, "getuid") and chemin.parent.stat().st_uid != os.getuid():
        raise PermissionError(f"{chemin.parent} appartient à un autre compte")
    gestionnaire = _Gestionnaire(chemin, maxBytes=TAILLE_MAXIMALE, backupCount=FICHIERS_GARDES, encoding="utf-8")
    gestionnaire.setFormatter(logging.Formatter(_FORMAT))
    logger = logging.getLogger(NOM_LOGGER)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(gestionnaire)
    try:
        logger.error(entete, exc_info=(type(erreur), erreur, erreur.__traceback__))
    finally:
        logger.removeHandler(gestionnaire)
        gestionnaire.close()


class _Gestionnaire(RotatingFileHandler):
    """Un journal tournant qui signale ses échecs d'écriture au lieu de les imprimer (trace comprise) sur
    stderr, comme le fait `logging` : on essaie alors le dossier suivant."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 — nom imposé par logging
        raise OSError(f"le journal {self.baseFilename} n'a pas pu être écrit")


def _journaliser_dans_prefect(entete: str, erreur: BaseException) -> None:
    """Dans un flux ou une tâche Prefect en cours, la même entrée va à ses journaux (interface de Prefect)."""
    if "prefect" not in sys.modules:  # hors d'un flux, Prefect n'est pas chargé : on ne le charge pas pour rien
        return
    try:
        from prefect.context import FlowRunContext, TaskRunContext
        from prefect.logging import get_run_logger

        if FlowRunContext.get() is None and TaskRunContext.get() is None:
            return
        get_run_logger().error(entete, exc_info=(type(erreur), erreur, erreur.__traceback__))
    except Exception:  # le journal de Prefect est un plus : son absence n'empêche rien
        return


def message_d_erreur(erreur: BaseException, commande: str) -> str:
    """Ce que voit l'utilisateur d'une erreur qui n'est pas une ErreurCTG : la panne reconnue (base verrouillée,
    disque plein…) et quoi faire, sinon une ligne avec la référence de la trace écrite dans le journal."""
    dossier = None
    try:
        from gouvernance.pannes import expliquer_panne
        from gouvernance.reglages import lire_reglages

        reglages = lire_reglages()
        dossier = reglages.dossier
        connue = expliquer_panne(erreur, reglages)
    except Exception:  # les réglages eux-mêmes sont peut-être la cause : l'erreur reste inattendue
        connue = None
    if connue is not None:
        return f"Erreur : {connue}"
    return journaliser_inattendue(erreur, dossier, commande).message()
