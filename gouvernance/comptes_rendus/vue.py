"""Ce qu'on sait d'un compte rendu pour produire la feuille d'émargement et le projet Word, et ce qu'on en relit.

Des valeurs simples et figées, sans session : les constructeurs Word les reçoivent en paramètre, et le
lecteur rend des valeurs du même genre, que le domaine confronte ensuite à la base.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from gouvernance.reunions.vue import OrientationVue, ReunionVue
from modeles.vocabulaire import Presence, StatutAction


@dataclass(frozen=True)
class ParticipantVue:
    """Une ligne de la liste des participants (pré-remplie d'après les réponses aux invitations)."""

    email: str
    nom_complet: str  # « Claire Fictive »
    organisme: str | None
    fonction: str | None
    #: Le rôle dans l'instance (president, membre, invite…).
    role: str
    #: La réponse à l'invitation (PARTSTAT) : NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE, DELEGATED.
    reponse: str
    #: Pré-remplie d'après la réponse, corrigée par le secrétaire ; None tant que personne ne l'a relevée.
    presence: Presence | None
    represente_par: str | None = None
    civilite: str | None = None  # « Madame », « Monsieur » ou None : l'accord de « présente », « excusé »


@dataclass(frozen=True)
class DecisionVue:
    numero: int
    texte: str
    orientations: tuple[OrientationVue, ...]


@dataclass(frozen=True)
class ActionVue:
    #: L'identifiant de l'action en base (None pour une ligne que le secrétaire ajoute).
    identifiant: int | None
    libelle: str
    responsable: str | None
    echeance: date | None
    orientations: tuple[OrientationVue, ...]
    statut: StatutAction
    #: Pour une action reprise d'une réunion précédente : « COPIL du 8 décembre 2026 ».
    origine: str | None = None


@dataclass(frozen=True)
class CompteRenduVue:
    reunion: ReunionVue
    #: L'identifiant stable du document, inscrit dans ses propriétés : il dit à quelle réunion il appartient.
    identifiant: str  # « urn:ctg-gouvernance:reunion:<uid> »
    version: int  # 1 pour le premier projet, puis chaque nouvelle génération
    participants: tuple[ParticipantVue, ...]
    secretaire: str | None
    #: Le compte rendu précédent de la même instance, à approuver : « réunion du 8 décembre 2026 ».
    precedent: str | None
    decisions: tuple[DecisionVue, ...]
    actions: tuple[ActionVue, ...]
    #: Les actions encore ouvertes des réunions précédentes de la même instance, à passer en revue.
    actions_ouvertes: tuple[ActionVue, ...]
    prochaine_reunion: datetime | None
    date_document: date
    #: Les échanges écrits sous chaque point, par numéro de point (le compte rendu validé seulement).
    discussions: Mapping[int, str] = field(default_factory=dict)


# --- Ce que le lecteur rend du fichier édité par le secrétaire -----------------------------------


@dataclass(frozen=True)
class PresenceLue:
    ligne: int  # le numéro de la ligne dans le tableau des participants (à partir de 1), pour les messages
    nom: str
    organisme: str | None
    presence: Presence | None  # None : « non renseigné », laissé tel quel par le secrétaire
    represente_par: str | None


@dataclass(frozen=True)
class DecisionLue:
    ligne: int
    numero: int | None
    texte: str
    #: Les codes tels qu'écrits, normalisés en « 3.3 » (« orientation 3.3 », « 3.3 ; 5.1 »…).
    orientations: tuple[str, ...]


@dataclass(frozen=True)
class ActionLue:
    ligne: int
    identifiant: int | None  # l'action déjà connue que la ligne reprend, s'il y en a une
    libelle: str
    responsable: str | None
    echeance: date | None
    orientations: tuple[str, ...]
    statut: StatutAction | None  # si la ligne en donne un


@dataclass(frozen=True)
class CompteRenduLu:
    identifiant: str
    version: int | None
    presences: tuple[PresenceLue, ...]
    secretaire: str | None
    decisions: tuple[DecisionLue, ...]
    actions: tuple[ActionLue, ...]
    #: Les actions reprises des réunions précédentes, avec le statut que le secrétaire leur donne.
    actions_ouvertes: tuple[ActionLue, ...]
    #: Le texte libre de chaque point (discussion), par numéro de point.
    discussions: dict[int, str]
