"""`ctg deployer` : inscrire les flux du registre sur un vrai serveur Prefect, avec leurs planifications.

Comment un worker trouve le code : chaque déploiement a pour point d'entrée un chemin de module
(« flows.convocation.diffuser_reunion », `EntrypointType.MODULE_PATH`) et aucune étape de récupération
(`pull_steps` vide). Le worker « process » lance le flux avec son propre Python, qui importe ce module
du projet installé sur sa machine (`pip install`). Pas de dossier source à partager ni de chemin propre à
une machine dans le déploiement (ce qu'imposeraient `flow.from_source` ou un `set_working_directory`) :
n'importe quelle machine où le projet est installé peut exécuter n'importe quel déploiement.

Ce qu'un flux lit (CTG_HOME, CTG_DATABASE_URL, SMTP, IMAP…) vient de l'environnement du worker, que le
worker « process » transmet à chaque exécution : aucun réglage, et donc aucun secret, n'est écrit dans
le déploiement. La connexion au serveur et le work pool sont dans `flows/serveur_prefect.py`.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from flows.deploiements import Deploiement, Planification
from flows.serveur_prefect import adresse_du_serveur, assurer_pool, refus_du_serveur, verifier_serveur
from gouvernance.erreurs import ErreurCTG

if TYPE_CHECKING:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.responses import DeploymentResponse

#: L'étiquette posée sur nos déploiements, pour les retrouver dans l'interface de Prefect.
ETIQUETTE = "ctg"

Etat = Literal["cree", "mis_a_jour", "inchange"]


@dataclass(frozen=True)
class Publication:
    """Ce que `ctg deployer` a fait (ou ferait) pour un déploiement."""

    deploiement: Deploiement
    #: « flux/déploiement », le nom que donnent `prefect deployment ls` et l'interface.
    nom_complet: str
    etat: Etat
    #: Ce qui a changé sur le serveur (« planification », « paramètres »…), pour un déploiement mis à jour.
    changements: tuple[str, ...] = ()
    prochaine_execution: datetime | None = None
    #: Les paramètres sans valeur par défaut, à donner à chaque lancement (« reunion_id »).
    parametres_a_donner: tuple[str, ...] = ()
    #: Mis en pause sur le serveur (dans l'interface de Prefect) : le serveur ne le lance pas de lui-même.
    en_pause: bool = False

    def en_json(self) -> dict[str, Any]:
        planification = self.deploiement.planification
        return {
            "deploiement": self.nom_complet,
            "point_d_entree": self.deploiement.point_d_entree,
            "etat": self.etat,
            "changements": list(self.changements),
            "planification": None
            if planification is None
            else {"cron": planification.cron, "fuseau": planification.fuseau, "libelle": planification.libelle},
            "prochaine_execution": self.prochaine_execution.isoformat() if self.prochaine_execution else None,
            "parametres": dict(self.deploiement.parametres),
            "parametres_a_donner": list(self.parametres_a_donner),
            "en_pause": self.en_pause,
        }


@dataclass(frozen=True)
class BilanPublication:
    pool: str
    #: « cree » si `ctg deployer` a créé le work pool, « existant » sinon.
    etat_pool: Literal["cree", "existant"]
    adresse: str
    publications: list[Publication] = field(default_factory=list)
    #: Nos déploiements (étiquette « ctg ») inscrits sur le serveur mais absents du registre.
    hors_registre: list[str] = field(default_factory=list)


def publier(deploiements: Sequence[Deploiement], *, pool: str, simulation: bool = False) -> BilanPublication:
    """Crée le work pool s'il manque, puis crée ou met à jour chaque déploiement ; rien n'est dupliqué."""
    from httpx import HTTPStatusError
    from prefect.deployments.runner import DeploymentApplyError

    adresse = adresse_du_serveur()
    flux = [(deploiement, charger_flux(deploiement)) for deploiement in deploiements]
    try:
        return _publier(flux, adresse=adresse, pool=pool, simulation=simulation)
    except HTTPStatusError as erreur:
        raise refus_du_serveur(adresse, erreur.response.status_code, erreur.response.text) from None
    except DeploymentApplyError as erreur:
        raise refus_du_serveur(adresse, None, str(erreur)) from None


def _publier(flux: list[tuple[Deploiement, Any]], *, adresse: str, pool: str, simulation: bool) -> BilanPublication:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        verifier_serveur(client, adresse)
        etat_pool = assurer_pool(client, pool, simulation=simulation)
        publications = [
            publier_un(client, deploiement, objet, pool=pool, simulation=simulation) for deploiement, objet in flux
        ]
        publies = {publication.nom_complet for publication in publications}
        hors_registre = [nom for nom in nos_deploiements(client) if nom not in publies]
    return BilanPublication(
        pool=pool, etat_pool=etat_pool, adresse=adresse, publications=publications, hors_registre=hors_registre
    )


def nos_deploiements(client: SyncPrefectClient) -> list[str]:
    """Les noms complets des déploiements qui portent l'étiquette de ctg."""
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterTags

    filtre = DeploymentFilter(tags=DeploymentFilterTags(all_=[ETIQUETTE]))
    deploiements = client.read_deployments(deployment_filter=filtre)
    noms_des_flux = {flux.id: flux.name for flux in client.read_flows()}
    return sorted(f"{noms_des_flux.get(d.flow_id, '?')}/{d.name}" for d in deploiements)


def charger_flux(deploiement: Deploiement) -> Any:
    """Le flux Prefect désigné par le registre ; une entrée qui ne mène à aucun flux est refusée clairement."""
    from prefect import Flow

    try:
        module = importlib.import_module(deploiement.module)
    except ModuleNotFoundError as erreur:
        if erreur.name != deploiement.module:
            raise ErreurCTG(
                f"Le module {deploiement.module} du déploiement « {deploiement.nom} » ne se charge pas : il lui "
                f"manque {erreur.name}. Réinstallez le projet (pip install) sur cette machine."
            ) from None
        raise ErreurCTG(
            f"Le déploiement « {deploiement.nom} » désigne le module {deploiement.module}, absent de cette "
            "installation. Mettez le projet à jour, ou retirez l'entrée de flows/deploiements.py."
        ) from None
    objet = getattr(module, deploiement.fonction, None)
    if not isinstance(objet, Flow):
        raise ErreurCTG(
            f"Le déploiement « {deploiement.nom} » désigne {deploiement.point_d_entree}, qui n'est pas un flux "
            "Prefect. Corrigez son point d'entrée dans flows/deploiements.py."
        )
    return objet


def publier_un(
    client: SyncPrefectClient, deploiement: Deploiement, flux: Any, *, pool: str, simulation: bool
) -> Publication:
    from prefect.deployments.runner import RunnerDeployment
    from prefect.exceptions import ObjectNotFound
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    nom_complet = f"{flux.name}/{deploiement.nom}"
    try:
        existant: DeploymentResponse | None = client.read_deployment_by_name(nom_complet)
    except ObjectNotFound:
        existant = None
    planification = deploiement.planification
    # Une pause décidée dans l'interface de Prefect (le déploiement, ou sa planification inchangée) est gardée.
    en_pause = bool(existant and existant.paused)
    a_publier = RunnerDeployment.from_flow(
        flux,
        name=deploiement.nom,
        description=deploiement.description,
        parameters=dict(deploiement.parametres),
        schedules=[]
        if planification is None
        else [Cron(planification.cron, timezone=planification.fuseau, active=reste_active(existant, planification))],
        paused=en_pause,
        work_pool_name=pool,
        tags=[ETIQUETTE],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    changements = () if existant is None else differences(existant, a_publier.entrypoint, deploiement, pool)
    if not simulation:
        identifiant = a_publier.apply()
        if planification is None:
            retirer_planifications(client, identifiant)
    etat: Etat = "cree" if existant is None else ("mis_a_jour" if changements else "inchange")
    return Publication(
        deploiement=deploiement,
        nom_complet=nom_complet,
        etat=etat,
        changements=changements,
        prochaine_execution=prochaine_execution(planification, datetime.now(UTC)) if planification else None,
        parametres_a_donner=parametres_a_donner(flux.fn, deploiement),
        en_pause=en_pause or not reste_active(existant, planification),
    )


def reste_active(existant: DeploymentResponse | None, planification: Planification | None) -> bool:
    """Faux si cette même planification (même cron, même fuseau) a été suspendue sur le serveur."""
    from prefect.client.schemas.schedules import CronSchedule

    if existant is None or planification is None:
        return True
    for presente in existant.schedules:
        calendrier = presente.schedule
        if isinstance(calendrier, CronSchedule) and (calendrier.cron, calendrier.timezone) == (
            planification.cron,
            planification.fuseau,
        ):
            return presente.active
    return True


def parametres_a_donner(fonction: Any, deploiement: Deploiement) -> tuple[str, ...]:
    signature = inspect.signature(fonction)
    return tuple(
        nom
        for nom, parametre in signature.parameters.items()
        if parametre.default is inspect.Parameter.empty and nom not in deploiement.parametres
    )


def differences(
    existant: DeploymentResponse, point_d_entree: str | None, voulu: Deploiement, pool: str
) -> tuple[str, ...]:
    """Ce que la publication change à un déploiement déjà inscrit, avec les mots d'un coordinateur."""
    from prefect.client.schemas.schedules import CronSchedule

    # Une planification d'un autre genre (intervalle, RRULE) ajoutée à la main compte comme une différence.
    presentes = [
        (s.schedule.cron, s.schedule.timezone) if isinstance(s.schedule, CronSchedule) else None
        for s in existant.schedules
    ]
    voulues = [] if voulu.planification is None else [(voulu.planification.cron, voulu.planification.fuseau)]
    comparaisons = {
        "planification": presentes != voulues,
        "paramètres": dict(existant.parameters) != dict(voulu.parametres),
        "description": (existant.description or "") != voulu.description,
        "point d'entrée": existant.entrypoint != point_d_entree,
        "work pool": existant.work_pool_name != pool,
    }
    return tuple(nom for nom, change in comparaisons.items() if change)


def retirer_planifications(client: SyncPrefectClient, identifiant: Any) -> None:
    """Un flux devenu « à la demande » perd ses anciennes planifications (Prefect garde une liste vide)."""
    for planification in client.read_deployment_schedules(identifiant):
        client.delete_deployment_schedule(identifiant, planification.id)


def prochaine_execution(planification: Planification, apres: datetime) -> datetime:
    """La prochaine date de la planification, calculée par le même code que le planificateur du serveur."""
    from prefect.server.schemas.schedules import CronSchedule

    calendrier = CronSchedule(cron=planification.cron, timezone=planification.fuseau)
    dates = asyncio.run(calendrier.get_dates(n=1, start=apres))
    return dates[0]
