"""Le territoire, sa convention avec la CAF et la démarche qui l'a construite."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.base import Base


class Territoire(Base):
    __tablename__ = "territoires"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Code court choisi par l'utilisateur (`lunion`), utilisé par `--territoire`.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    nom: Mapped[str] = mapped_column(String(200))
    departement: Mapped[str | None] = mapped_column(String(100))
    #: D'où vient le référentiel (délibération, présentation en conseil…).
    source: Mapped[str | None] = mapped_column(Text)

    convention: Mapped[Convention | None] = relationship(
        back_populates="territoire", cascade="all, delete-orphan", uselist=False
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

    def __repr__(self) -> str:
        return f"Territoire({self.code!r}, {self.nom!r})"


class Convention(Base):
    __tablename__ = "conventions"

    id: Mapped[int] = mapped_column(primary_key=True)
    territoire_id: Mapped[int] = mapped_column(ForeignKey("territoires.id", ondelete="CASCADE"), unique=True)
    intitule: Mapped[str] = mapped_column(String(300))
    #: La période de la convention ; inconnue tant que l'utilisateur ne l'a pas saisie.
    debut: Mapped[date | None]
    fin: Mapped[date | None]
    #: Objet de la convention, tel que le présente le document source.
    objet: Mapped[str | None] = mapped_column(Text)

    territoire: Mapped[Territoire] = relationship(back_populates="convention")

    def __repr__(self) -> str:
        return f"Convention({self.intitule!r}, {self.debut}–{self.fin})"


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
