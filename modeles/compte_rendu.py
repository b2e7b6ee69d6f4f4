"""Le compte rendu d'une réunion, ses décisions et les actions qui en découlent, reliées aux orientations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.acteurs import Partenaire, Personne
from modeles.base import Base
from modeles.reunion import Reunion
from modeles.strategie import Orientation
from modeles.types import EnVocabulaire, InstantUTC, contrainte_vocabulaire
from modeles.vocabulaire import StatutAction, StatutCompteRendu

decisions_orientations = Table(
    "decisions_orientations",
    Base.metadata,
    Column("decision_id", ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("orientation_id", ForeignKey("orientations.id", ondelete="RESTRICT"), primary_key=True, index=True),
)

actions_orientations = Table(
    "actions_orientations",
    Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("orientation_id", ForeignKey("orientations.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class CompteRendu(Base):
    __tablename__ = "comptes_rendus"
    __table_args__ = (contrainte_vocabulaire("statut", StatutCompteRendu),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reunion_id: Mapped[int] = mapped_column(ForeignKey("reunions.id", ondelete="RESTRICT"), unique=True)
    #: projet (généré), importe (relu du fichier du secrétaire), valide (figé), diffuse.
    statut: Mapped[StatutCompteRendu] = mapped_column(
        EnVocabulaire(StatutCompteRendu, 20), default=StatutCompteRendu.PROJET
    )
    #: Le numéro de la dernière version générée ou importée.
    version: Mapped[int] = mapped_column(default=1)
    secretaire: Mapped[str | None] = mapped_column(String(200))
    genere_le: Mapped[datetime] = mapped_column(InstantUTC)
    importe_le: Mapped[datetime | None] = mapped_column(InstantUTC)
    valide_le: Mapped[datetime | None] = mapped_column(InstantUTC)

    reunion: Mapped[Reunion] = relationship()
    #: Le texte des échanges de chaque point, relu du document.
    discussions: Mapped[list[Discussion]] = relationship(
        back_populates="compte_rendu", cascade="all, delete-orphan", order_by="Discussion.numero_point"
    )

    def __repr__(self) -> str:
        return f"CompteRendu(reunion={self.reunion_id}, {self.statut!r}, v{self.version})"


class Discussion(Base):
    """Les échanges sur un point de l'ordre du jour, tels que le secrétaire les a écrits."""

    __tablename__ = "discussions"
    __table_args__ = (UniqueConstraint("compte_rendu_id", "numero_point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    compte_rendu_id: Mapped[int] = mapped_column(ForeignKey("comptes_rendus.id", ondelete="CASCADE"))
    #: Le numéro du point dans l'ordre du jour du compte rendu (1, 2…).
    numero_point: Mapped[int]
    texte: Mapped[str] = mapped_column(Text)

    compte_rendu: Mapped[CompteRendu] = relationship(back_populates="discussions")

    def __repr__(self) -> str:
        return f"Discussion({self.compte_rendu_id}, point {self.numero_point})"


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("reunion_id", "numero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reunion_id: Mapped[int] = mapped_column(ForeignKey("reunions.id", ondelete="RESTRICT"))
    numero: Mapped[int]
    texte: Mapped[str] = mapped_column(Text)
    cree_le: Mapped[datetime] = mapped_column(InstantUTC)

    reunion: Mapped[Reunion] = relationship()
    orientations: Mapped[list[Orientation]] = relationship(secondary=decisions_orientations)

    def __repr__(self) -> str:
        return f"Decision({self.reunion_id}, n°{self.numero})"


class Action(Base):
    """Une action décidée en réunion : qui, pour quand, où elle en est."""

    __tablename__ = "actions"
    __table_args__ = (contrainte_vocabulaire("statut", StatutAction),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: La réunion qui l'a décidée.
    reunion_id: Mapped[int] = mapped_column(ForeignKey("reunions.id", ondelete="RESTRICT"), index=True)
    libelle: Mapped[str] = mapped_column(Text)
    #: Le responsable tel qu'écrit, et la personne ou l'organisme de l'annuaire qu'il désigne.
    responsable: Mapped[str | None] = mapped_column(String(200), index=True)
    personne_id: Mapped[int | None] = mapped_column(ForeignKey("personnes.id", ondelete="SET NULL"), index=True)
    partenaire_id: Mapped[int | None] = mapped_column(ForeignKey("partenaires.id", ondelete="SET NULL"), index=True)
    echeance: Mapped[date | None] = mapped_column(index=True)
    statut: Mapped[StatutAction] = mapped_column(
        EnVocabulaire(StatutAction, 20), default=StatutAction.A_FAIRE, index=True
    )
    cree_le: Mapped[datetime] = mapped_column(InstantUTC)
    modifie_le: Mapped[datetime | None] = mapped_column(InstantUTC)

    reunion: Mapped[Reunion] = relationship()
    personne: Mapped[Personne | None] = relationship()
    partenaire: Mapped[Partenaire | None] = relationship()
    orientations: Mapped[list[Orientation]] = relationship(secondary=actions_orientations)

    def __repr__(self) -> str:
        return f"Action({self.id}, {self.statut!r}, {self.echeance})"
