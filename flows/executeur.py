"""L'exécuteur des flux : un processus où Prefect et nos flux sont déjà chargés, à qui l'on soumet un flux.

Une commande de flux (`ctg reunion convoquer`…) payait l'import de Prefect (plus d'une seconde) à chaque
lancement. Quand le serveur Prefect local tourne (flows/serveur_local.py), un exécuteur tourne à côté de lui :
il écoute sur une prise Unix, `CTG_HOME/prefect/executeur.sock` (lisible et inscriptible par son seul
propriétaire), et exécute chaque flux demandé dans un processus à lui (une copie de lui-même, `fork`), qui
prend l'environnement, le dossier courant et le masque de droits de la commande : le flux y voit les mêmes
réglages que s'il tournait dans la commande. Chaque demande est une vraie exécution Prefect, inscrite sur le
serveur local, avec son journal.

`soumettre(dossier, flux, parametres)` est l'entrée commune de la ligne de commande et de l'application web :
elle renvoie les événements de l'exécution (lignes du journal, puis le résultat ou l'erreur). Sans exécuteur
prêt, elle lève `ExecuteurAbsent` : l'appelant exécute alors le flux lui-même, comme avant.

Ce module n'importe pas Prefect : c'est tout l'intérêt. Le processus de l'exécuteur est
`python -m flows.executeur_processus` ; ce qui passe sur la prise (trames JSON) est dans flows/protocole_flux.py.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.protocole_flux import adresse_de, envoyer_trame, lire_trame, signature_du_code
from gouvernance.erreurs import ErreurCTG

#: Les flux que l'on peut soumettre, par le nom qu'ils portent dans Prefect : « module:fonction ».
FLUX: Mapping[str, str] = {
    "diffuser-reunion": "flows.convocation:diffuser_reunion",
    "rediger-documents-reunion": "flows.convocation:rediger_documents_reunion",
    "feuille-d-emargement": "flows.comptes_rendus:emargement",
    "generer-compte-rendu": "flows.comptes_rendus:generer_compte_rendu",
    "valider-compte-rendu": "flows.comptes_rendus:valider",
    "diffuser-compte-rendu": "flows.comptes_rendus:diffuser",
    "bilan-annuel": "flows.bilan:bilan_annuel",
    "relances-quotidiennes": "flows.relances:relances_quotidiennes",
    "relever-reponses": "flows.reponses:relever_reponses",
    "renvoyer-courriel": "flows.courriels:renvoyer_courriel",
}
#: La prise où l'exécuteur attend les demandes, son état (pid) et son journal, dans CTG_HOME/prefect.
FICHIER_PRISE = "executeur.sock"
FICHIER_ETAT = "executeur.json"
FICHIER_JOURNAL = "executeur.log"
#: Le module lancé pour exécuter ; il figure dans la ligne de commande du processus (contrôle du pid).
MODULE = "flows.executeur_processus"


class ExecuteurAbsent(ErreurCTG):
    """Aucun exécuteur prêt pour ce CTG_HOME : l'appelant exécute le flux lui-même."""


class ErreurDuFlux(ErreurCTG):
    """Le flux a échoué dans l'exécuteur ; le message est celui qu'aurait affiché la commande."""


@dataclass(frozen=True)
class Journal:
    """Une ligne du journal de l'exécution (celle qu'affiche l'onglet Logs de Prefect)."""

    niveau: int
    message: str


@dataclass(frozen=True)
class Termine:
    """Le flux a fini : ce qu'il renvoie."""

    resultat: Any


@dataclass(frozen=True)
class Echec:
    """Le flux a échoué : l'erreur, prête à être levée par l'appelant."""

    erreur: ErreurCTG


Evenement = Journal | Termine | Echec


def chemin_prise(dossier_ctg: Path) -> Path:
    return dossier_ctg / "prefect" / FICHIER_PRISE


def soumettre(
    dossier_ctg: Path, flux: str, parametres: Mapping[str, Any], *, commande: str = ""
) -> Iterator[Evenement]:
    """Soumet `flux` à l'exécuteur de ce CTG_HOME ; renvoie ses événements, le dernier étant Termine ou Echec.

    Lève ExecuteurAbsent s'il n'y a pas d'exécuteur prêt, ou s'il refuse la demande (il exécute une autre
    version du code, ou ne peut pas se placer dans le dossier courant de l'appelant) : rien n'a alors été exécuté.
    """
    if flux not in FLUX:
        raise ErreurCTG(f"Le flux « {flux} » n'existe pas ; flux connus : {', '.join(sorted(FLUX))}.")
    prise = _connecter(chemin_prise(dossier_ctg))
    try:
        demande = {
            "flux": flux,
            "parametres": dict(parametres),
            "signature": signature_du_code(),
            "environnement": dict(os.environ),
            "repertoire": os.getcwd(),
            "masque": _masque(),
            "commande": commande,
        }
        envoyer_trame(prise, demande)
        premiere = lire_trame(prise)
    except (OSError, ValueError):
        prise.close()
        raise ExecuteurAbsent("L'exécuteur des flux n'a pas répondu.") from None
    if premiere is None or premiere.get("type") != "accepte":
        prise.close()
        raise ExecuteurAbsent("L'exécuteur des flux a refusé la demande (autre version du code, dossier illisible).")
    return _evenements(prise)


def resultat_de(evenements: Iterator[Evenement]) -> Any:
    """Le résultat du flux, ou son erreur levée ; les lignes du journal sont ignorées."""
    for evenement in evenements:
        if isinstance(evenement, Termine):
            return evenement.resultat
        if isinstance(evenement, Echec):
            raise evenement.erreur
    raise ErreurDuFlux(  # pragma: no cover — _evenements finit toujours par Termine ou Echec
        "L'exécuteur des flux n'a rien renvoyé."
    )


def _connecter(chemin: Path) -> socket.socket:
    if not hasattr(socket, "AF_UNIX") or not chemin.exists():
        raise ExecuteurAbsent("Aucun exécuteur des flux ne tourne pour ce dossier de données.")
    prise = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with adresse_de(chemin) as adresse:
            prise.connect(adresse)
        _verifier_proprietaire(prise)
    except OSError:
        prise.close()
        raise ExecuteurAbsent("L'exécuteur des flux ne répond pas.") from None
    return prise


def _verifier_proprietaire(prise: socket.socket) -> None:
    """L'exécuteur tourne sous notre compte : on ne lit de résultats que de lui (Linux : SO_PEERCRED)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return
    import struct

    _pid, uid, _gid = struct.unpack("3i", prise.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    if uid != os.getuid():
        raise OSError("l'exécuteur appartient à un autre utilisateur")


def _masque() -> int:
    masque = os.umask(0o022)
    os.umask(masque)
    return masque


def _evenements(prise: socket.socket) -> Iterator[Evenement]:
    with prise:
        while True:
            try:
                trame = lire_trame(prise)
            except (OSError, ValueError):
                trame = None
            if trame is None:
                yield Echec(_interrompue())
                return
            evenement = _evenement(trame)
            yield evenement
            if not isinstance(evenement, Journal):
                return


def _evenement(trame: dict[str, Any]) -> Evenement:
    if trame["type"] == "journal":
        return Journal(int(trame["niveau"]), str(trame["message"]))
    if trame["type"] == "resultat":
        return Termine(pickle.loads(base64.b64decode(trame["pickle"])))  # noqa: S301 (voir l'import)
    return Echec(_erreur(trame))


def _erreur(trame: dict[str, Any]) -> ErreurCTG:
    """L'erreur telle que le flux l'a levée (sa classe, si c'est une des nôtres), ou son message en français."""
    classe: type[ErreurCTG] = ErreurDuFlux
    with contextlib.suppress(ImportError, AttributeError, ValueError, TypeError):
        module, nom = str(trame.get("classe") or "").split(":")
        trouvee = getattr(importlib.import_module(module), nom)
        if isinstance(trouvee, type) and issubclass(trouvee, ErreurCTG):
            classe = trouvee
    erreur = classe.__new__(classe)
    ErreurCTG.__init__(erreur, str(trame["message"]), details=[str(d) for d in trame.get("details") or []])
    return erreur


def _interrompue() -> ErreurDuFlux:
    return ErreurDuFlux(
        "L'exécuteur des flux s'est arrêté pendant l'exécution : son journal est dans CTG_HOME/prefect/"
        f"{FICHIER_JOURNAL}. Relancez la commande : ce qui a déjà été fait (documents, envois) n'est pas refait."
    )


# --- Démarrer, trouver, arrêter l'exécuteur ----------------------------------------------------------------


@dataclass(frozen=True)
class Executeur:
    """Un exécuteur en marche, tel qu'il s'est inscrit dans executeur.json."""

    pid: int
    #: Le pid du serveur Prefect local qu'il suit : il s'arrête avec lui.
    serveur: int
    demarre_le: str


def lire_executeur(dossier_ctg: Path) -> Executeur | None:
    """L'exécuteur inscrit pour ce CTG_HOME s'il tourne encore."""
    from flows.serveur_local import est_processus_de

    try:
        donnees = json.loads((dossier_ctg / "prefect" / FICHIER_ETAT).read_text(encoding="utf-8"))
        executeur = Executeur(**donnees)
    except (OSError, ValueError, TypeError):
        return None
    return executeur if est_processus_de(executeur.pid, MODULE) else None


def lancer_executeur(dossier_ctg: Path, serveur_pid: int, api: str) -> None:
    """Lance l'exécuteur en arrière-plan s'il ne tourne pas ; n'attend pas qu'il soit prêt (voir attendre_executeur)."""
    if not hasattr(os, "fork") or lire_executeur(dossier_ctg) is not None:
        return
    from flows.serveur_local import environnement_prefect

    dossier = dossier_ctg / "prefect"
    environnement = {**os.environ, **environnement_prefect(dossier_ctg)}
    environnement.pop("PREFECT_API_URL", None)
    with open(dossier / FICHIER_JOURNAL, "ab") as sortie:
        sortie.write(f"\n--- démarrage demandé le {datetime.now(UTC).isoformat(timespec='seconds')}\n".encode())
        sortie.flush()
        subprocess.Popen(  # noqa: S603 (notre module, lancé par ce même Python)
            [sys.executable, "-m", MODULE, str(dossier_ctg), "--serveur", str(serveur_pid), "--api", api],
            stdin=subprocess.DEVNULL,
            stdout=sortie,
            stderr=subprocess.STDOUT,
            env=environnement,
            cwd=dossier,
            close_fds=True,
            start_new_session=True,
        )


def attendre_executeur(dossier_ctg: Path, delai: float) -> Executeur | None:
    """L'exécuteur, une fois prêt à recevoir des demandes ; None s'il ne l'est pas au bout de `delai` secondes."""
    limite = time.monotonic() + delai
    while True:
        executeur = lire_executeur(dossier_ctg)
        if executeur is not None and chemin_prise(dossier_ctg).exists():
            return executeur
        if time.monotonic() > limite:
            return None
        time.sleep(0.1)


def arreter_executeur(dossier_ctg: Path, attente: float = 30.0) -> Executeur | None:
    """Arrête l'exécuteur : plus de nouvelle demande, et les flux en cours finissent (`attente` secondes au plus)."""
    from flows.serveur_local import est_processus_de

    executeur = lire_executeur(dossier_ctg)
    if executeur is None:
        return None
    with contextlib.suppress(ProcessLookupError):
        os.kill(executeur.pid, signal.SIGTERM)
    limite = time.monotonic() + attente
    while est_processus_de(executeur.pid, MODULE) and time.monotonic() < limite:
        time.sleep(0.05)
    if est_processus_de(executeur.pid, MODULE):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(executeur.pid, signal.SIGKILL)  # l'exécuteur et les flux qu'il exécutait encore
    for nom in (FICHIER_ETAT, FICHIER_PRISE):
        with contextlib.suppress(OSError):
            (dossier_ctg / "prefect" / nom).unlink()
    return executeur
