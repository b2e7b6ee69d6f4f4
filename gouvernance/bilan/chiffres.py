"""Les chiffres du bilan d'une année civile : une dataclass par tableau, et les définitions qu'ils suivent.

Les définitions, reprises telles quelles dans le document (DEFINITIONS), sont appliquées par `calcul` :
- une réunion est **tenue** si elle n'est pas annulée et qu'elle est finie au moment où le bilan est arrêté ;
  elle appartient à l'année du jour (à Paris) où elle commence ;
- la **présence** est celle que le compte rendu a relevée (présent ou représenté) : une réunion sans compte
  rendu importé n'a pas de présences relevées et ne compte pas dans les taux, plutôt que d'en inventer ;
- une action est **en retard** si son échéance est passée au jour du bilan et qu'elle n'est ni faite ni
  abandonnée.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from modeles.vocabulaire import StatutCompteRendu

DEFINITIONS = (
    "Une réunion est comptée comme tenue si elle n'a pas été annulée et qu'elle était terminée à la date du bilan.",
    "La présence est celle que le compte rendu importé a relevée (présent ou représenté) ; les réunions "
    "dont le compte rendu n'a pas été importé n'entrent pas dans les taux de présence.",
    "Le taux de présence d'un partenaire rapporte les présences de ses représentants aux invitations qu'ils "
    "ont reçues pour ces réunions.",
    "Une action est en retard quand son échéance est passée à la date du bilan et qu'elle n'est ni faite "
    "ni abandonnée.",
)

#: Les comptes rendus dont les présences ont été relues dans le fichier du secrétaire.
STATUTS_RELEVES = frozenset({StatutCompteRendu.IMPORTE, StatutCompteRendu.VALIDE, StatutCompteRendu.DIFFUSE})
SANS_ORGANISME = "Sans organisme renseigné"

#: Les catégories d'action du bilan, dans l'ordre des tableaux : chaque action est dans une seule.
CATEGORIES_ACTION = {
    "fait": "Faites",
    "en_cours": "En cours, dans les délais",
    "a_faire": "À faire, dans les délais",
    "en_retard": "En retard",
    "abandonnee": "Abandonnées",
}


@dataclass(frozen=True)
class LigneInstance:
    """Les réunions de l'année d'une instance."""

    code: str
    intitule: str
    tenues: int
    annulees: int
    a_venir: int


@dataclass(frozen=True)
class ReunionTenue:
    identifiant: int
    jour: date
    instance_code: str
    instance_intitule: str
    titre: str
    presences_relevees: bool


@dataclass(frozen=True)
class LignePresence:
    """Les invitations d'un partenaire aux réunions tenues dont les présences ont été relevées."""

    partenaire: str
    invitations: int
    presents: int
    representes: int
    excuses: int
    absents: int
    #: Le nom court des graphiques (« CAF ») ; à défaut, le nom.
    sigle: str = ""

    @property
    def taux(self) -> int:
        """Le taux de présence en pour cent, arrondi à l'unité (présents et représentés sur invitations)."""
        if not self.invitations:
            return 0
        return (200 * (self.presents + self.representes) + self.invitations) // (2 * self.invitations)


@dataclass(frozen=True)
class LigneCouverture:
    """Ce qui, dans l'année, a concerné une orientation : réunions tenues, décisions, actions."""

    enjeu_numero: int
    enjeu_intitule: str
    code: str
    intitule: str
    reunions: tuple[str, ...]
    decisions: tuple[str, ...]
    actions: tuple[str, ...]

    @property
    def abordee(self) -> bool:
        return bool(self.reunions)


@dataclass(frozen=True)
class LigneStatut:
    categorie: str
    libelle: str
    nombre: int


@dataclass(frozen=True)
class ActionEnRetard:
    numero: int
    libelle: str
    responsable: str
    echeance: date
    origine: str
    orientations: tuple[str, ...]


@dataclass(frozen=True)
class Bilan:
    territoire: str
    annee: int
    arrete_au: date
    instances: tuple[LigneInstance, ...]
    reunions: tuple[ReunionTenue, ...]
    presences: tuple[LignePresence, ...]
    couverture: tuple[LigneCouverture, ...]
    decisions: int
    actions: tuple[LigneStatut, ...]
    en_retard: tuple[ActionEnRetard, ...]
    #: L'intitulé de la convention en vigueur dans l'année (à sa fin, sinon à son début), s'il y en a une.
    convention: str | None = None

    @property
    def reunions_relevees(self) -> int:
        return sum(reunion.presences_relevees for reunion in self.reunions)

    @property
    def presence_totale(self) -> LignePresence:
        """Toutes les invitations relevées, tous partenaires confondus."""
        return LignePresence(
            "Ensemble des invités",
            *(sum(getattr(ligne, champ) for ligne in self.presences) for champ in _CHAMPS_PRESENCE),
        )

    @property
    def non_abordees(self) -> tuple[LigneCouverture, ...]:
        return tuple(ligne for ligne in self.couverture if not ligne.abordee)

    @property
    def total_actions(self) -> int:
        return sum(ligne.nombre for ligne in self.actions)


_CHAMPS_PRESENCE = ("invitations", "presents", "representes", "excuses", "absents")
