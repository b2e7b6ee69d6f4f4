"""Ce qu'on sait d'une réunion au moment de produire ses documents, ses invitations et ses courriels.

Des valeurs simples, figées, sans session ni base : les constructeurs (iCalendar, Word, courriel) les
reçoivent en paramètre, ce qui les rend reproductibles octet pour octet dans les tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

#: Toutes les heures de réunion s'entendent à l'heure de Paris.
FUSEAU = ZoneInfo("Europe/Paris")


def jour_a_paris(instant: datetime) -> date:
    """Le jour du calendrier à Paris de cet instant."""
    return instant.astimezone(FUSEAU).date()


def est_meme_adresse(premiere: str, seconde: str) -> bool:
    """Vrai si les deux adresses électroniques désignent la même boîte (casse et blancs ignorés)."""
    return premiere.strip().casefold() == seconde.strip().casefold()


@dataclass(frozen=True)
class OrientationVue:
    code: str  # « 3.4 »
    intitule: str
    enjeu_numero: int
    #: Le titre de l'enjeu à afficher (titre court s'il existe, sinon l'énoncé).
    enjeu_intitule: str


@dataclass(frozen=True)
class PointVue:
    ordre: int  # à partir de 1
    titre: str
    rapporteur: str | None
    duree_minutes: int | None
    orientations: tuple[OrientationVue, ...]


@dataclass(frozen=True)
class PersonneVue:
    email: str
    prenom: str
    nom: str
    civilite: str | None  # « Madame », « Monsieur » ou None
    fonction: str | None
    organisme: str | None
    #: president, vice-president, membre, secretaire, invite.
    role: str
    #: L'adresse postale de son organisme, plusieurs lignes séparées par \n (bloc du destinataire des courriers).
    adresse: str | None = None

    @property
    def nom_complet(self) -> str:
        """« Claire Fictive »."""
        return f"{self.prenom} {self.nom}".strip()


@dataclass(frozen=True)
class InstitutionVue:
    """L'organisme au nom duquel l'instance convoque : l'en-tête des courriers."""

    nom: str
    adresse: str | None  # plusieurs lignes séparées par \n
    logo: Path | None


@dataclass(frozen=True)
class CoordinateurVue:
    """Le ou la chargé(e) de coopération : organisateur des invitations, reçoit les réponses."""

    nom: str
    fonction: str | None
    email: str
    telephone: str | None


@dataclass(frozen=True)
class SignataireVue:
    """La personne qui a signé la convention pour l'institution (le maire) : elle signe les courriers d'une
    instance sans présidence."""

    email: str
    nom_complet: str
    civilite: str | None
    fonction: str | None


@dataclass(frozen=True)
class ReunionVue:
    id: int
    #: L'UID iCalendar : le même pour toute la vie de la réunion.
    uid: str
    #: Le SEQUENCE iCalendar de cette révision.
    sequence: int
    #: planifiee, convoquee, annulee, tenue.
    statut: str
    territoire: str  # « L'Union »
    instance_code: str  # « COPIL »
    instance_intitule: str  # « Comité de pilotage de suivi »
    titre: str
    debut: datetime  # avec fuseau (UTC en base) ; à afficher en FUSEAU
    fin: datetime
    lieu: str | None
    visio: str | None
    points: tuple[PointVue, ...]
    invites: tuple[PersonneVue, ...]
    #: Qui signe la convocation : la présidence de l'instance, s'il y en a une.
    president: PersonneVue | None
    institution: InstitutionVue
    coordinateur: CoordinateurVue
    #: Pour une annulation : le motif donné par le coordinateur.
    motif_annulation: str | None = None
    #: Qui signe à défaut de présidence : le signataire de la convention en cours pour l'institution.
    signataire_convention: SignataireVue | None = None
    #: Pour une modification : ce qui a changé, en phrases (« Nouvelle date : … »).
    changements: tuple[str, ...] = ()

    @property
    def a_convoquer(self) -> tuple[PersonneVue, ...]:
        """Les invités moins le coordinateur : il organise la réunion, il ne s'y convoque pas lui-même."""
        return tuple(invite for invite in self.invites if not est_meme_adresse(invite.email, self.coordinateur.email))

    @property
    def debut_local(self) -> datetime:
        return self.debut.astimezone(FUSEAU)

    @property
    def fin_local(self) -> datetime:
        return self.fin.astimezone(FUSEAU)
