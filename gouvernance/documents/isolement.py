"""Remplir un modèle Word dans un processus à part, borné en durée et en mémoire.

Un modèle modifié peut demander un travail démesuré sans exécuter de code (boucles imbriquées, texte qui double
à chaque tour…). Le remplissage se fait donc dans un processus de rendu, réutilisé d'un document à l'autre pour
rester rapide, dont l'espace mémoire est plafonné (`RLIMIT_AS`) et que l'on tue s'il dépasse la durée permise :
le processus principal, lui, reste libre de répondre (Ctrl-C, arrêt par le service) et de dire ce qui s'est passé.

Le processus de rendu est un nouvel interpréteur Python (`python -c`), pas un `fork` : le processus principal
peut avoir des fils d'exécution (Prefect), et le script qui l'a lancé n'est pas ré-exécuté.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from gouvernance.documents.erreurs import ErreurDocument, ModeleInvalide

#: La durée permise pour remplir un document, en secondes (un courrier ordinaire en prend quelques centièmes).
DUREE_MAX = 20.0
#: L'espace mémoire permis au processus de rendu (bibliothèques comprises), en octets.
MEMOIRE_MAX = 1024 * 1024 * 1024
#: La durée permise au processus de rendu pour démarrer (importer docxtpl…).
DEMARRAGE_MAX = 60.0

_RESTAURER = "restaurez l'original depuis le dossier templates_docx/ du logiciel"
_LANCEMENT = (
    "import sys; from gouvernance.documents.isolement import servir; servir(int(sys.argv[1]), int(sys.argv[2]))"
)


def _en_megaoctets(octets: int) -> str:
    return f"{octets // (1024 * 1024)} Mo"


def _preparer_ouvrier(memoire_max: int) -> None:
    """Dans le processus de rendu : mémoire plafonnée, mort avec son parent, Ctrl-C laissé au parent."""
    _, plafond = resource.getrlimit(resource.RLIMIT_AS)
    if plafond != resource.RLIM_INFINITY:
        memoire_max = min(memoire_max, plafond)
    resource.setrlimit(resource.RLIMIT_AS, (memoire_max, plafond))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def surveiller() -> None:  # le processus principal a disparu (tué, arrêté) : le rendu en cours aussi
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=surveiller, name="ctg-rendu-surveillance", daemon=True).start()


def servir(descripteur: int, memoire_max: int) -> None:
    """Le processus de rendu : reçoit (fonction, arguments), renvoie ("ok", résultat) ou l'erreur."""
    canal = Connection(descripteur)
    _preparer_ouvrier(memoire_max)
    import gouvernance.documents.rendu  # noqa: F401 (importé d'avance : le premier document n'attend pas)

    canal.send(("pret", os.getpid()))
    while True:
        try:
            fonction, arguments = canal.recv()
        except (EOFError, OSError):
            return
        try:
            reponse: tuple[str, Any] = ("ok", fonction(*arguments))
        except MemoryError:
            reponse = ("memoire", None)
        except ErreurDocument as erreur:
            reponse = ("document", (type(erreur).__name__, erreur.message))
        except Exception:
            reponse = ("bogue", traceback.format_exc())
        try:
            canal.send(reponse)
        except MemoryError:
            canal.send(("memoire", None))
        if reponse[0] == "memoire":
            return  # un processus qui a manqué de mémoire est remplacé par un neuf


class _Ouvrier:
    """Le processus de rendu, démarré à la première demande et remplacé après un dépassement."""

    def __init__(self) -> None:
        self._verrou = threading.Lock()
        self._processus: subprocess.Popen[bytes] | None = None
        self._canal: Connection | None = None
        self._memoire = 0

    def _demarrer(self, memoire_max: int) -> Connection:
        vivant = self._processus is not None and self._processus.poll() is None
        if self._canal is not None and vivant and self._memoire == memoire_max:
            return self._canal
        self.arreter()
        bout_parent, bout_ouvrier = socket.socketpair()
        environnement = dict(os.environ)
        # Le même chemin d'import que le processus principal (un script peut l'avoir complété).
        chemins = [chemin or os.getcwd() for chemin in sys.path]
        environnement["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(chemins))
        with bout_ouvrier:
            processus = subprocess.Popen(  # noqa: S603 (notre interpréteur, nos arguments)
                [sys.executable, "-c", _LANCEMENT, str(bout_ouvrier.fileno()), str(memoire_max)],
                pass_fds=(bout_ouvrier.fileno(),),
                stdin=subprocess.DEVNULL,
                env=environnement,
            )
        canal = Connection(bout_parent.detach())
        self._processus, self._canal, self._memoire = processus, canal, memoire_max
        try:
            pret = canal.poll(DEMARRAGE_MAX) and canal.recv()[0] == "pret"
        except (EOFError, OSError):
            pret = False
        if not pret:
            code = self.arreter()
            raise ErreurDocument(
                f"Le processus qui remplit les modèles Word n'a pas pu démarrer (code {code}) : vérifiez "
                "l'installation du logiciel (make installer)."
            )
        return canal

    def arreter(self) -> int | None:
        """Tue le processus de rendu (il sera redémarré à la prochaine demande) ; son code de sortie."""
        code = None
        if self._canal is not None:
            self._canal.close()
        if self._processus is not None:
            if self._processus.poll() is None:
                self._processus.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = self._processus.wait(5)
        self._processus = self._canal = None
        return code

    def executer(
        self,
        fonction: Callable[..., bytes],
        arguments: tuple[Any, ...],
        *,
        nom: str,
        duree_max: float,
        memoire_max: int,
    ) -> bytes:
        with self._verrou:
            canal = self._demarrer(memoire_max)
            try:
                canal.send((fonction, arguments))
                if not canal.poll(duree_max):
                    self.arreter()
                    raise ModeleInvalide(
                        f"Le modèle Word « {nom} » n'a pas pu être rempli en {duree_max:g} secondes, la durée "
                        "permise pour un document : une boucle y est sans doute démesurée. Aucun document n'a été "
                        f"produit ; corrigez le modèle ou {_RESTAURER}."
                    )
                etat, valeur = canal.recv()
            except (EOFError, OSError):  # le processus de rendu est mort en route (mémoire épuisée…)
                etat, valeur = "memoire", None
            except BaseException:  # Ctrl-C, arrêt du service : le rendu en cours ne survit pas
                self.arreter()
                raise
            if etat == "memoire":
                self.arreter()
        if etat == "ok":
            resultat: bytes = valeur
            return resultat
        if etat == "memoire":
            raise ModeleInvalide(
                f"Le modèle Word « {nom} » demande plus de mémoire que les {_en_megaoctets(memoire_max)} permis pour "
                "un document : il fabrique sans doute un texte ou une liste démesurés. Aucun document n'a été "
                f"produit ; corrigez le modèle ou {_RESTAURER}."
            )
        if etat == "document":
            classe, message = valeur
            raise ModeleInvalide(message) if classe == "ModeleInvalide" else ErreurDocument(message)
        raise RuntimeError(f"Le rendu du modèle « {nom} » a échoué :\n{valeur}")


_OUVRIER = _Ouvrier()


def executer_isole(fonction: Callable[..., bytes], *arguments: Any, nom: str) -> bytes:
    """`fonction(*arguments)` exécutée dans le processus de rendu, sous les limites `DUREE_MAX` et `MEMOIRE_MAX`.

    `fonction` et ses arguments doivent pouvoir être transmis à un autre processus (pickle)."""
    return _OUVRIER.executer(fonction, arguments, nom=nom, duree_max=DUREE_MAX, memoire_max=MEMOIRE_MAX)
