"""Une seule diffusion à la fois par réunion : préparer et envoyer sa convocation se fait sous un verrou.

Sans lui, deux `ctg reunion convoquer` (ou deux exécutions du flux par des workers) préparent les mêmes
courriels en même temps, et le second envoi prend pour « incertain » le message que le premier est en train
d'envoyer. Le verrou n'est pas une transaction : aucune écriture n'est bloquée pendant le rendu ou l'envoi.

- PostgreSQL : un verrou consultatif de session (`pg_try_advisory_lock`), rendu par le serveur si le processus
  meurt ;
- SQLite : un verrou `flock` sur un fichier à côté de la base, rendu par le système si le processus meurt.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from gouvernance.erreurs import DiffusionEnCours

#: L'espace des verrous consultatifs de ctg-gouvernance sur PostgreSQL (« CTGD » en ASCII).
ESPACE_POSTGRESQL = 0x43544744


#: Ce que dit le refus d'une seconde diffusion simultanée, selon ce qu'elle diffuse.
DIFFUSIONS = {"convocation": "une convocation", "modification": "une modification", "annulation": "une annulation"}


@contextmanager
def verrouiller_diffusion(moteur: Engine, reunion_id: int, *, nature: str = "convocation") -> Iterator[None]:
    """Tient le verrou de la réunion le temps du bloc ; DiffusionEnCours s'il est déjà pris ailleurs."""
    quoi = DIFFUSIONS.get(nature, "un envoi aux invités")
    if moteur.dialect.name == "postgresql":
        with _verrou_postgresql(moteur, reunion_id, quoi):
            yield
        return
    with _verrou_fichier(_fichier_du_verrou(moteur, reunion_id), reunion_id, quoi):
        yield


def _refus(reunion_id: int, quoi: str) -> DiffusionEnCours:
    return DiffusionEnCours(
        f"{quoi[0].upper()}{quoi[1:]} de la réunion n°{reunion_id} est déjà en cours (autre commande ou worker) : "
        f"rien n'a été fait. Attendez qu'elle se termine ; `ctg reunion voir {reunion_id}` montre où en sont "
        "les courriels, et la commande relancée ensuite n'envoie que ceux qui manquent."
    )


@contextmanager
def _verrou_postgresql(moteur: Engine, reunion_id: int, quoi: str) -> Iterator[None]:
    cles = {"espace": ESPACE_POSTGRESQL, "cle": reunion_id}
    with moteur.connect() as connexion:
        pris = connexion.scalar(text("SELECT pg_try_advisory_lock(:espace, :cle)"), cles)
        connexion.commit()  # le verrou de session survit à la transaction : aucune transaction ne reste ouverte
        if not pris:
            raise _refus(reunion_id, quoi)
        try:
            yield
        finally:
            connexion.execute(text("SELECT pg_advisory_unlock(:espace, :cle)"), cles)
            connexion.commit()


@contextmanager
def _verrou_fichier(chemin: Path | None, reunion_id: int, quoi: str) -> Iterator[None]:
    if chemin is None:  # base en mémoire : un seul processus, rien à partager
        yield
        return
    import fcntl  # POSIX seulement : importé ici, pour que le module se charge partout

    chemin.parent.mkdir(parents=True, exist_ok=True)
    with chemin.open("a") as fichier:
        try:
            fcntl.flock(fichier.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _refus(reunion_id, quoi) from None
        try:
            yield
        finally:
            fcntl.flock(fichier.fileno(), fcntl.LOCK_UN)


def _fichier_du_verrou(moteur: Engine, reunion_id: int) -> Path | None:
    base = moteur.url.database
    if not base or base == ":memory:":
        return None
    chemin = Path(base)
    return chemin.with_name(f"{chemin.name}.verrous") / f"diffusion-reunion-{reunion_id}.lock"
