"""Les travaux longs lancés d'une page (convocation, PDF, diffusion) : des flux Prefect, jamais dans la requête.

`Taches.soumettre` lance le flux dans un fil d'exécution à part et rend aussitôt la tâche ; la page l'interroge
(htmx) jusqu'à son résultat. Une même tâche (même clé, par exemple « convocation-12 ») déjà en cours n'est pas
relancée : deux coordinateurs qui cliquent ensemble suivent la même. Entre deux processus de l'application, ce
sont les règles du moteur qui tiennent (un message par invité et par révision, clé unique en base).

Provisoire : quand `flows/executeur.py` (un exécuteur chaud qui reçoit les flux) sera là, seul `lancer_flux`
changera ; la page et l'interface de `Taches` restent.
"""

from __future__ import annotations

import contextvars
import importlib
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from gouvernance.erreurs import ErreurCTG
from gouvernance.reglages import Reglages

journal = logging.getLogger(__name__)

Etat = Literal["en_cours", "reussie", "echouee"]


@dataclass(frozen=True)
class Flux:
    """Le flux à lancer : `module.nom(*arguments)` (par exemple flows.convocation, diffuser_reunion, (12,))."""

    module: str
    nom: str
    arguments: tuple[object, ...] = ()


#: Lance le flux ; rend son résultat et l'adresse de son exécution dans l'interface de Prefect (ou None).
Lanceur = Callable[[Flux], tuple[object, str | None]]
Resumeur = Callable[[Any], list[str]]


@dataclass
class Tache:
    identifiant: str
    cle: str
    #: Ce que fait la tâche, pour la page (« Convocation de la réunion n°12 »).
    libelle: str
    etat: Etat = "en_cours"
    #: Le bilan en phrases une fois finie (messages envoyés, fichiers écrits).
    resultat: list[str] = field(default_factory=list)
    erreur: str | None = None
    #: L'exécution du flux dans l'interface de Prefect.
    lien_prefect: str | None = None
    #: La page d'où elle a été lancée, où revenir une fois finie.
    retour: str = "/"
    fin: threading.Event = field(default_factory=threading.Event, repr=False)


def lancer_flux(reglages: Reglages, *, api: str | None = None) -> Lanceur:
    """Le lanceur de l'installation : le serveur Prefect `api`, sinon celui réglé (PREFECT_API_URL), sinon le
    serveur local de CTG_HOME, démarré au besoin ; le flux s'exécute dans ce processus, son suivi est dans Prefect."""

    def lancer(demande: Flux) -> tuple[object, str | None]:
        from flows.prefect_local import preparer_environnement

        preparer_environnement(reglages)
        from flows.prefect_local import api_reglee, reglages_d_execution
        from flows.serveur_local import api_pour_les_flux

        choisie = api or (None if api_reglee() else api_pour_les_flux(reglages.dossier))
        flux = getattr(importlib.import_module(demande.module), demande.nom)
        from prefect.settings import PREFECT_UI_URL

        with reglages_d_execution(choisie):
            etat = flux(*demande.arguments, return_state=True)
            interface = PREFECT_UI_URL.value()
        execution = etat.state_details.flow_run_id
        return etat.result(), f"{interface}/runs/flow-run/{execution}" if interface and execution else None

    return lancer


class Taches:
    """Les tâches lancées par ce processus de l'application, par identifiant (impossible à deviner)."""

    def __init__(self, lanceur: Lanceur) -> None:
        self._lanceur = lanceur
        self._verrou = threading.Lock()
        self._par_identifiant: dict[str, Tache] = {}
        self._en_cours: dict[str, Tache] = {}

    def soumettre(self, cle: str, libelle: str, flux: Flux, resumer: Resumeur, *, retour: str = "/") -> Tache:
        """Lance le flux `module.nom(*arguments)` hors de la requête ; la tâche en cours de même clé sinon."""
        with self._verrou:
            if (en_cours := self._en_cours.get(cle)) is not None:
                return en_cours
            tache = Tache(secrets.token_urlsafe(12), cle, libelle, retour=retour)
            self._par_identifiant[tache.identifiant] = tache
            self._en_cours[cle] = tache
        # Le fil reprend le contexte de la requête : les réglages de Prefect ouverts par l'appelant (un test, un
        # serveur réglé) valent aussi pour le flux.
        contexte = contextvars.copy_context()
        fil = threading.Thread(
            target=contexte.run, args=(self._executer, tache, flux, resumer), name=f"tache-{cle}", daemon=True
        )
        fil.start()
        return tache

    def tache(self, identifiant: str) -> Tache | None:
        return self._par_identifiant.get(identifiant)

    def _executer(self, tache: Tache, flux: Flux, resumer: Resumeur) -> None:
        try:
            resultat, tache.lien_prefect = self._lanceur(flux)
            tache.resultat = resumer(resultat)
            tache.etat = "reussie"
        except ErreurCTG as erreur:
            tache.erreur, tache.etat = str(erreur), "echouee"
        except Exception:
            journal.exception("La tâche %s a échoué", tache.cle)
            tache.erreur = (
                f"{tache.libelle} n'a pas abouti à cause d'une erreur inattendue. Rien n'est envoyé deux fois : "
                "relancez-la ; si l'erreur revient, son détail est dans le journal de l'application et dans Prefect."
            )
            tache.etat = "echouee"
        finally:
            with self._verrou:
                self._en_cours.pop(tache.cle, None)
            tache.fin.set()


_CREATION = threading.Lock()


def taches_de(etat: Any, reglages: Reglages) -> Taches:
    """Les tâches de l'application (`app.state`), créées au premier travail long avec le lanceur de l'installation.

    Un test y pose avant ses requêtes ses propres `Taches` (un autre serveur Prefect, un lanceur factice)."""
    with _CREATION:
        taches = getattr(etat, "taches", None)
        if not isinstance(taches, Taches):
            taches = Taches(lancer_flux(reglages))
            etat.taches = taches
        return taches
