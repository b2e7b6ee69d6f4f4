"""Les modèles SQLAlchemy de ctg-gouvernance. N'ouvre rien à l'import."""

from modeles.acteurs import Fonction, Partenaire, Personne, territoires_partenaires
from modeles.base import Base
from modeles.compte_rendu import Action, CompteRendu, Decision, actions_orientations, decisions_orientations
from modeles.courriels_recus import RESULTATS_COURRIEL, CourrielRecu
from modeles.envoi import ETATS_MESSAGE, NATURES_MESSAGE, Document, Message
from modeles.instance import ROLES_MEMBRE, TYPES_INSTANCE, Instance, Membre
from modeles.reponses_a_verifier import ETATS_A_VERIFIER, ReponseAVerifier
from modeles.reunion import Invitation, PointOrdreDuJour, Reunion, points_orientations
from modeles.strategie import ChampIntervention, Enjeu, Orientation, orientations_champs
from modeles.territoire import Convention, Dispositif, EtapePhase, Methode, Phase, Territoire

__all__ = [
    "ETATS_A_VERIFIER",
    "ETATS_MESSAGE",
    "NATURES_MESSAGE",
    "RESULTATS_COURRIEL",
    "ROLES_MEMBRE",
    "TYPES_INSTANCE",
    "Action",
    "Base",
    "ChampIntervention",
    "CompteRendu",
    "Convention",
    "CourrielRecu",
    "Decision",
    "Dispositif",
    "Document",
    "Enjeu",
    "EtapePhase",
    "Fonction",
    "Instance",
    "Invitation",
    "Membre",
    "Message",
    "Methode",
    "Orientation",
    "Partenaire",
    "Personne",
    "Phase",
    "PointOrdreDuJour",
    "ReponseAVerifier",
    "Reunion",
    "Territoire",
    "actions_orientations",
    "decisions_orientations",
    "orientations_champs",
    "points_orientations",
    "territoires_partenaires",
]
