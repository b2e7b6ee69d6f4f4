"""Le serveur Prefect de `ctg deployer` : exiger un vrai serveur, le joindre, y trouver le work pool.

Au contraire des commandes ctg (flows/prefect_local.py règle un serveur temporaire local), `ctg deployer`
n'a de sens qu'avec un serveur durable : sans lui, il s'arrête avec un message qui dit comment en démarrer un.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

from gouvernance.erreurs import ErreurCTG

if TYPE_CHECKING:
    from prefect.client.orchestration import SyncPrefectClient

#: Le work pool par défaut, que les workers écoutent (`prefect worker start --pool ctg`).
POOL_PAR_DEFAUT = "ctg"


class ServeurPrefectAbsent(ErreurCTG):
    """Aucun serveur Prefect n'est réglé, ou il ne répond pas."""


DEMARRER = (
    "Démarrez un serveur avec `prefect server start` sur la machine choisie, puis donnez son adresse : "
    "export PREFECT_API_URL=http://ADRESSE:4200/api."
)
SANS_SERVEUR = (
    "Sans serveur, les commandes ctg (ctg reunion convoquer…) exécutent toujours les flux sur cette machine ; "
    "seuls les flux planifiés et les workers ont besoin d'un serveur."
)


def preparer_environnement() -> None:
    """À appeler avant `import prefect` : jamais de serveur temporaire ici, et pas de traces au terminal."""
    os.environ["PREFECT_SERVER_ALLOW_EPHEMERAL_MODE"] = "false"
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def adresse_du_serveur() -> str:
    from prefect.settings import PREFECT_API_URL

    adresse = PREFECT_API_URL.value()
    if not adresse:
        raise ServeurPrefectAbsent(
            "Aucun serveur Prefect n'est réglé (PREFECT_API_URL est vide) : `ctg deployer` inscrit les flux "
            "sur un serveur pour qu'il les planifie et que des workers les exécutent. " + DEMARRER + " " + SANS_SERVEUR
        )
    return str(adresse)


def verifier_serveur(client: SyncPrefectClient, adresse: str) -> None:
    erreur = client.api_healthcheck()
    if erreur is not None:
        raise ServeurPrefectAbsent(
            f"Le serveur Prefect {adresse} ne répond pas ({type(erreur).__name__}). "
            "Vérifiez qu'il est démarré (`prefect server start`), que cette machine peut le joindre et que "
            "PREFECT_API_URL se termine par /api. " + SANS_SERVEUR
        )


def refus_du_serveur(adresse: str, code: int | None, detail: str) -> ErreurCTG:
    """Le serveur a répondu, mais refusé : l'authentification d'abord, sinon le plus souvent une autre version."""
    if code in (401, 403):
        return ServeurPrefectAbsent(
            f"Le serveur Prefect {adresse} demande une authentification. Réglez PREFECT_API_AUTH_STRING="
            "utilisateur:mot_de_passe, la valeur de PREFECT_SERVER_API_AUTH_STRING sur le serveur."
        )
    return ErreurCTG(
        f"Le serveur Prefect {adresse} a refusé l'enregistrement ({code or 'erreur'} : {detail[:300]}). "
        "Vérifiez que ce poste et le serveur ont la même version de Prefect (`prefect version`)."
    )


def assurer_pool(client: SyncPrefectClient, nom: str, *, simulation: bool) -> Literal["cree", "existant"]:
    """Le work pool « process » que les workers écoutent ; créé s'il manque."""
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    try:
        existant = client.read_work_pool(nom)
    except ObjectNotFound:
        if not simulation:
            modele = ProcessWorker.get_default_base_job_template()
            client.create_work_pool(
                WorkPoolCreate(
                    name=nom,
                    type=ProcessWorker.type,
                    base_job_template=modele,
                    description="Les flux de ctg-gouvernance, exécutés par `prefect worker start --pool " + nom + "`.",
                )
            )
        return "cree"
    if existant.type != ProcessWorker.type:
        raise ErreurCTG(
            f"Le work pool « {nom} » existe déjà sur le serveur, mais il est de type « {existant.type} » et non "
            "« process ». Choisissez un autre nom avec --pool, ou supprimez-le (prefect work-pool delete)."
        )
    return "existant"
