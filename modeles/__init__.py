"""Les modèles SQLAlchemy de ctg-gouvernance. N'ouvre rien à l'import."""

from modeles.acteurs import Fonction, Partenaire, Personne, territoires_partenaires
from modeles.base import Base
from modeles.compte_rendu import Action, CompteRendu, Decision, Discussion, actions_orientations, decisions_orientations
from modeles.courriels_recus import CourrielRecu
from modeles.envoi import Document, Message, VerificationMessage
from modeles.instance import Instance, Membre
from modeles.reponses_a_verifier import ReponseAVerifier
from modeles.reunion import Invitation, PointOrdreDuJour, Reunion, points_orientations
from modeles.strategie import ChampIntervention, Enjeu, Orientation, orientations_champs
from modeles.territoire import (
    Convention,
    Dispositif,
    EtapePhase,
    Methode,
    Phase,
    Signataire,
    StatutConvention,
    Territoire,
)
from modeles.utilisateur import EntreeJournal, Utilisateur, utilisateurs_instances, utilisateurs_territoires
from modeles.vocabulaire import (
    ActionJournal,
    CategoriePartenaire,
    EtatMessage,
    EtatReponseAVerifier,
    IssueIncertain,
    NatureMessage,
    Presence,
    ReponseInvitation,
    ResultatCourriel,
    RoleMembre,
    RoleUtilisateur,
    StatutAction,
    StatutCompteRendu,
    StatutReunion,
    TypeDocument,
    TypeInstance,
    Vocabulaire,
)

__all__ = [
    "Action",
    "ActionJournal",
    "Base",
    "CategoriePartenaire",
    "ChampIntervention",
    "CompteRendu",
    "Convention",
    "CourrielRecu",
    "Decision",
    "Discussion",
    "Dispositif",
    "Document",
    "Enjeu",
    "EntreeJournal",
    "EtapePhase",
    "EtatMessage",
    "EtatReponseAVerifier",
    "Fonction",
    "Instance",
    "Invitation",
    "IssueIncertain",
    "Membre",
    "Message",
    "Methode",
    "NatureMessage",
    "Orientation",
    "Partenaire",
    "Personne",
    "Phase",
    "PointOrdreDuJour",
    "Presence",
    "ReponseAVerifier",
    "ReponseInvitation",
    "ResultatCourriel",
    "Reunion",
    "RoleMembre",
    "RoleUtilisateur",
    "Signataire",
    "StatutAction",
    "StatutCompteRendu",
    "StatutConvention",
    "StatutReunion",
    "Territoire",
    "TypeDocument",
    "TypeInstance",
    "Utilisateur",
    "VerificationMessage",
    "Vocabulaire",
    "actions_orientations",
    "decisions_orientations",
    "orientations_champs",
    "points_orientations",
    "territoires_partenaires",
    "utilisateurs_instances",
    "utilisateurs_territoires",
]
