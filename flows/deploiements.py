"""Le registre des déploiements : les flux que `ctg deployer` inscrit sur le serveur Prefect, et quand.

Ce module ne fait qu'énumérer (il n'importe pas Prefect) : `flows/publication.py` l'enregistre sur un
serveur. Un déploiement désigne son flux par « module:fonction » dans le projet installé ; chaque machine
qui fait tourner un worker installe donc le projet (`pip install …`) et y trouve le même code.

Les planifications s'écrivent en cron (minute, heure, jour du mois, mois, jour de la semaine) et se lisent
à l'heure de Paris : le serveur suit lui-même les changements d'heure d'été et d'hiver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: Le fuseau de toutes les planifications.
FUSEAU_PLANIFICATIONS = "Europe/Paris"


@dataclass(frozen=True)
class Planification:
    #: L'expression cron, à l'heure de Paris : « 0 7 * * * » pour chaque jour à 7 h 00.
    cron: str
    #: La même chose en français, telle que `ctg deployer` l'affiche.
    libelle: str
    fuseau: str = FUSEAU_PLANIFICATIONS


@dataclass(frozen=True)
class Deploiement:
    #: Le nom du déploiement sur le serveur (son nom complet est « flux/nom »).
    nom: str
    #: Le flux, sous la forme « module:fonction » (par exemple « flows.convocation:diffuser_reunion »).
    point_d_entree: str
    #: Ce que fait le déploiement, affiché dans l'interface de Prefect.
    description: str
    #: Quand le serveur le lance de lui-même ; sans planification, il ne part qu'à la demande.
    planification: Planification | None = None
    #: Les paramètres passés au flux quand rien d'autre n'est demandé.
    parametres: Mapping[str, object] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.point_d_entree.split(":", 1)[0]

    @property
    def fonction(self) -> str:
        return self.point_d_entree.split(":", 1)[1]


DEPLOIEMENTS: tuple[Deploiement, ...] = (
    Deploiement(
        nom="diffuser-reunion",
        point_d_entree="flows.convocation:diffuser_reunion",
        description=(
            "Prépare et envoie la convocation (ou la modification, ou l'annulation) d'une réunion "
            "à chaque invité, une seule fois. Paramètre : reunion_id (le numéro de `ctg reunions`)."
        ),
    ),
    Deploiement(
        nom="diffuser-compte-rendu",
        point_d_entree="flows.comptes_rendus:diffuser",
        description=(
            "Envoie le compte rendu validé d'une réunion à chaque invité, une seule fois. Paramètre : reunion_id."
        ),
    ),
    # Les flux planifiés : le serveur les lance de lui-même, un worker les exécute.
    Deploiement(
        nom="relances-quotidiennes",
        point_d_entree="flows.relances:relances_quotidiennes",
        description=(
            "Relance les invités qui n'ont pas répondu et les secrétaires dont le compte rendu se fait attendre ; "
            "le jour réglé, envoie au coordinateur le récapitulatif de la semaine."
        ),
        planification=Planification("0 7 * * *", "chaque jour à 7 h 00"),
    ),
    Deploiement(
        nom="relever-reponses",
        point_d_entree="flows.reponses:relever_reponses",
        description="Relève la boîte aux lettres (IMAP) et enregistre les réponses des invités.",
        planification=Planification(
            "*/15 8-18 * * 1-5", "toutes les 15 minutes de 8 h 00 à 18 h 45, du lundi au vendredi"
        ),
    ),
    Deploiement(
        nom="bilan-annuel",
        point_d_entree="flows.bilan:bilan_annuel",
        description="Produit le bilan annuel de la gouvernance de l'année précédente.",
        planification=Planification("0 8 15 1 *", "chaque 15 janvier à 8 h 00"),
    ),
)
