"""Le territoire, sa convention avec la CAF et la démarche qui l'a construite."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.base import Base
from modeles.types import EnVocabulaire, contrainte_vocabulaire
from modeles.vocabulaire import Vocabulaire


class StatutConvention(Vocabulaire):
    """Où en est une convention : préparée, signée, puis échue à la fin de sa période."""

    EN_PREPARATION = "en_preparation", "en préparation", "preparation", "en cours de preparation"
    SIGNEE = "signee", "signée"
    ECHUE = "echue", "échue", "expiree", "terminee"


class Territoire(Base):
    __tablename__ = "territoires"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Code court choisi par l'utilisateur (`lunion`), utilisé par `--territoire`.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    nom: Mapped[str] = mapped_column(String(200))
    departement: Mapped[str | None] = mapped_column(String(100))
    #: D'où vient le référentiel (délibération, présentation en conseil…).
    source: Mapped[str | None] = mapped_column(Text)

    #: Ses conventions successives (une CTG dure 4 ou 5 ans, puis est renouvelée), par date de début.
    conventions: Mapped[list[Convention]] = relationship(
        back_populates="territoire", cascade="all, delete-orphan", order_by="Convention.debut"
    )
    phases: Mapped[list[Phase]] = relationship(
        back_populates="territoire", cascade="all, delete-orphan", order_by="Phase.numero"
    )
    methodes: Mapped[list[Methode]] = relationship(
        back_populates="territoire", cascade="all, delete-orphan", order_by="Methode.ordre"
    )
    dispositifs: Mapped[list[Dispositif]] = relationship(
        back_populates="territoire", cascade="all, delete-orphan", order_by="Dispositif.sigle"
    )

    def convention_en_vigueur(self, jour: date) -> Convention | None:
        """La convention dont la période contient `jour`, s'il y en a une."""
        return next((c for c in self.conventions if c.est_en_vigueur(jour)), None)

    def convention_courante(self, jour: date) -> Convention | None:
        """La convention en vigueur le `jour` ; à défaut, la plus récente."""
        if (en_vigueur := self.convention_en_vigueur(jour)) is not None:
            return en_vigueur
        return max(self.conventions, key=lambda c: (c.debut or date.min, c.id or 0), default=None)

    @property
    def convention(self) -> Convention | None:
        """La convention d'aujourd'hui (en vigueur, sinon la plus récente) : celle des courriers et des commandes."""
        return self.convention_courante(date.today())

    def __repr__(self) -> str:
        return f"Territoire({self.code!r}, {self.nom!r})"


class Convention(Base):
    """Une convention territoriale globale signée avec la CAF, pour une période de quelques années.

    Les réunions, décisions et bilans d'un territoire appartiennent à la convention en vigueur à leur date :
    ce lien se déduit de la période (deux conventions d'un territoire ne se chevauchent jamais).
    """

    __tablename__ = "conventions"
    __table_args__ = (contrainte_vocabulaire("statut", StatutConvention),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territoire_id: Mapped[int] = mapped_column(ForeignKey("territoires.id", ondelete="CASCADE"), index=True)
    intitule: Mapped[str] = mapped_column(String(300))
    #: La période de la convention ; inconnue tant que l'utilisateur ne l'a pas saisie.
    debut: Mapped[date | None]
    fin: Mapped[date | None]
    statut: Mapped[StatutConvention] = mapped_column(
        EnVocabulaire(StatutConvention, 20), default=StatutConvention.EN_PREPARATION
    )
    #: Objet de la convention, tel que le présente le document source.
    objet: Mapped[str | None] = mapped_column(Text)

    territoire: Mapped[Territoire] = relationship(back_populates="conventions")
    signataires: Mapped[list[Signataire]] = relationship(
        back_populates="convention", cascade="all, delete-orphan", order_by="Signataire.id"
    )

    def est_en_vigueur(self, jour: date) -> bool:
        """Vrai si `jour` tombe dans la période (connue) de la convention."""
        return self.debut is not None and self.fin is not None and self.debut <= jour <= self.fin

    def __repr__(self) -> str:
        return f"Convention({self.intitule!r}, {self.debut}–{self.fin})"


class Signataire(Base):
    """Un organisme signataire d'une convention, la personne qui a signé pour lui et la date de signature."""

    __tablename__ = "signataires"
    __table_args__ = (UniqueConstraint("convention_id", "partenaire_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id", ondelete="CASCADE"))
    partenaire_id: Mapped[int] = mapped_column(ForeignKey("partenaires.id", ondelete="RESTRICT"), index=True)
    personne_id: Mapped[int | None] = mapped_column(ForeignKey("personnes.id", ondelete="SET NULL"), index=True)
    signe_le: Mapped[date | None]

    convention: Mapped[Convention] = relationship(back_populates="signataires")
    partenaire: Mapped[Partenaire] = relationship()
    personne: Mapped[Personne | None] = relationship()

    def __repr__(self) -> str:
        return f"Signataire({self.convention_id}, {self.partenaire_id}, {self.signe_le})"


class Phase(Base):
    __tablename__ = "phases"
    __table_args__ = (UniqueConstraint("territoire_id", "numero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territoire_id: Mapped[int] = mapped_column(ForeignKey("territoires.id", ondelete="CASCADE"))
    numero: Mapped[int]
    intitule: Mapped[str] = mapped_column(Text)

    territoire: Mapped[Territoire] = relationship(back_populates="phases")
    etapes: Mapped[list[EtapePhase]] = relationship(
        back_populates="phase", cascade="all, delete-orphan", order_by="EtapePhase.ordre"
    )

    def __repr__(self) -> str:
        return f"Phase({self.numero}, {self.intitule!r})"


class EtapePhase(Base):
    __tablename__ = "etapes_phases"

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phases.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int]
    intitule: Mapped[str] = mapped_column(Text)

    phase: Mapped[Phase] = relationship(back_populates="etapes")

    def __repr__(self) -> str:
        return f"EtapePhase({self.ordre}, {self.intitule!r})"


class Methode(Base):
    """Une méthode employée par la démarche (entretiens, questionnaire en ligne…)."""

    __tablename__ = "methodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    territoire_id: Mapped[int] = mapped_column(ForeignKey("territoires.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int]
    intitule: Mapped[str] = mapped_column(String(300))

    territoire: Mapped[Territoire] = relationship(back_populates="methodes")

    def __repr__(self) -> str:
        return f"Methode({self.intitule!r})"


class Dispositif(Base):
    """Un dispositif ou projet que la CTG articule (PEDT, CLAS, CEJ, ABS…)."""

    __tablename__ = "dispositifs"
    __table_args__ = (UniqueConstraint("territoire_id", "sigle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territoire_id: Mapped[int] = mapped_column(ForeignKey("territoires.id", ondelete="CASCADE"))
    sigle: Mapped[str] = mapped_column(String(20))
    intitule: Mapped[str] = mapped_column(String(300))

    territoire: Mapped[Territoire] = relationship(back_populates="dispositifs")

    def __repr__(self) -> str:
        return f"Dispositif({self.sigle!r})"


from modeles.acteurs import Partenaire, Personne  # noqa: E402  (référence circulaire pour le typage)
