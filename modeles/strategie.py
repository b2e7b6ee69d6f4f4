"""La stratégie de la CTG : enjeux, orientations et champs d'intervention de la CAF."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.base import Base

orientations_champs = Table(
    "orientations_champs",
    Base.metadata,
    Column("orientation_id", ForeignKey("orientations.id", ondelete="CASCADE"), primary_key=True),
    Column("champ_id", ForeignKey("champs_intervention.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ChampIntervention(Base):
    """Un champ d'intervention de la CAF (petite enfance, parentalité…), étiquette des orientations."""

    __tablename__ = "champs_intervention"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Identifiant ASCII stable (`petite-enfance`), utilisé dans les fichiers YAML.
    code: Mapped[str] = mapped_column(String(60), unique=True)
    libelle: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"ChampIntervention({self.code!r})"


class Enjeu(Base):
    __tablename__ = "enjeux"
    __table_args__ = (UniqueConstraint("territoire_id", "numero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territoire_id: Mapped[int] = mapped_column(ForeignKey("territoires.id", ondelete="CASCADE"))
    numero: Mapped[int]
    intitule: Mapped[str] = mapped_column(Text)
    #: Titre court, quand le document source en donne un en plus de l'énoncé.
    intitule_court: Mapped[str | None] = mapped_column(String(300))
    #: Précisions que le document source place sous l'énoncé.
    precisions: Mapped[list[str]] = mapped_column(JSON, default=list)

    orientations: Mapped[list[Orientation]] = relationship(
        back_populates="enjeu", cascade="all, delete-orphan", order_by="Orientation.numero"
    )

    @property
    def libelle(self) -> str:
        """Le titre à afficher dans une liste : le titre court s'il existe, sinon l'énoncé."""
        return self.intitule_court or self.intitule

    def __repr__(self) -> str:
        return f"Enjeu({self.numero}, {self.libelle!r})"


class Orientation(Base):
    __tablename__ = "orientations"
    __table_args__ = (UniqueConstraint("enjeu_id", "numero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enjeu_id: Mapped[int] = mapped_column(ForeignKey("enjeux.id", ondelete="RESTRICT"))
    numero: Mapped[int]
    intitule: Mapped[str] = mapped_column(Text)

    enjeu: Mapped[Enjeu] = relationship(back_populates="orientations")
    champs: Mapped[list[ChampIntervention]] = relationship(
        secondary=orientations_champs, order_by="ChampIntervention.code"
    )

    @property
    def code(self) -> str:
        """Le code de l'orientation : `3.4` pour l'orientation 4 de l'enjeu 3."""
        return f"{self.enjeu.numero}.{self.numero}"

    def __repr__(self) -> str:
        return f"Orientation({self.code!r})"
