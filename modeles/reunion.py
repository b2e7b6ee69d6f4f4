"""Les réunions des instances et leur ordre du jour, chaque point rattaché à des orientations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.acteurs import Personne
from modeles.base import Base
from modeles.instance import Instance
from modeles.strategie import Orientation
from modeles.types import EnVocabulaire, InstantUTC, contrainte_vocabulaire
from modeles.vocabulaire import Presence, ReponseInvitation, RoleMembre, StatutReunion

points_orientations = Table(
    "points_orientations",
    Base.metadata,
    Column("point_id", ForeignKey("points_ordre_du_jour.id", ondelete="CASCADE"), primary_key=True),
    # RESTRICT : une orientation citée par un point ne disparaît jamais en silence.
    Column("orientation_id", ForeignKey("orientations.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Reunion(Base):
    __tablename__ = "reunions"
    __table_args__ = (contrainte_vocabulaire("statut", StatutReunion),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id", ondelete="RESTRICT"), index=True)
    titre: Mapped[str] = mapped_column(String(300))
    debut: Mapped[datetime] = mapped_column(InstantUTC, index=True)
    fin: Mapped[datetime] = mapped_column(InstantUTC)
    lieu: Mapped[str | None] = mapped_column(String(300))
    visio: Mapped[str | None] = mapped_column(String(500))
    #: Planifiée, convoquée, tenue (son compte rendu importé) ou annulée.
    statut: Mapped[StatutReunion] = mapped_column(
        EnVocabulaire(StatutReunion, 20), default=StatutReunion.PLANIFIEE, index=True
    )
    #: L'UID iCalendar de la réunion : il ne change jamais.
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    #: Le SEQUENCE iCalendar, relevé à chaque changement matériel.
    sequence: Mapped[int] = mapped_column(default=0)
    motif_annulation: Mapped[str | None] = mapped_column(Text)
    #: Convocation autorisée sous le délai de l'instance (jamais sous 1 jour franc).
    urgence: Mapped[bool] = mapped_column(default=False)
    cree_le: Mapped[datetime] = mapped_column(InstantUTC)
    #: Dernière convocation envoyée (création ou modification matérielle).
    convoquee_le: Mapped[datetime | None] = mapped_column(InstantUTC)

    instance: Mapped[Instance] = relationship()
    points: Mapped[list[PointOrdreDuJour]] = relationship(
        back_populates="reunion", cascade="all, delete-orphan", order_by="PointOrdreDuJour.ordre"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="reunion", cascade="all, delete-orphan", order_by="Invitation.id"
    )

    def __repr__(self) -> str:
        return f"Reunion({self.id}, {self.titre!r}, {self.debut:%Y-%m-%d %H:%M}Z)"


class PointOrdreDuJour(Base):
    __tablename__ = "points_ordre_du_jour"

    id: Mapped[int] = mapped_column(primary_key=True)
    reunion_id: Mapped[int] = mapped_column(ForeignKey("reunions.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int]
    titre: Mapped[str] = mapped_column(String(300))
    rapporteur: Mapped[str | None] = mapped_column(String(200))
    duree_minutes: Mapped[int | None]

    reunion: Mapped[Reunion] = relationship(back_populates="points")
    orientations: Mapped[list[Orientation]] = relationship(secondary=points_orientations)

    def __repr__(self) -> str:
        return f"PointOrdreDuJour({self.ordre}, {self.titre!r})"


class Invitation(Base):
    """Une personne invitée à une réunion, et sa réponse (PARTSTAT iCalendar)."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("reunion_id", "personne_id"),
        contrainte_vocabulaire("role", RoleMembre),
        contrainte_vocabulaire("reponse", ReponseInvitation),
        contrainte_vocabulaire("presence", Presence),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reunion_id: Mapped[int] = mapped_column(ForeignKey("reunions.id", ondelete="CASCADE"))
    personne_id: Mapped[int] = mapped_column(ForeignKey("personnes.id", ondelete="RESTRICT"), index=True)
    #: Le rôle du membre dans l'instance, ou « invite » pour une personne invitée en plus.
    role: Mapped[RoleMembre] = mapped_column(EnVocabulaire(RoleMembre, 30), default=RoleMembre.MEMBRE)
    #: Le PARTSTAT iCalendar : NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE ou DELEGATED.
    reponse: Mapped[ReponseInvitation] = mapped_column(
        EnVocabulaire(ReponseInvitation, 20), default=ReponseInvitation.SANS_REPONSE
    )
    commentaire: Mapped[str | None] = mapped_column(Text)
    #: Avec DELEGATED : l'adresse de la personne à qui l'invité a délégué (DELEGATED-TO).
    delegue_a: Mapped[str | None] = mapped_column(String(320))
    repondu_le: Mapped[datetime | None] = mapped_column(InstantUTC)
    #: La présence relevée au compte rendu.
    presence: Mapped[Presence | None] = mapped_column(EnVocabulaire(Presence, 20))
    represente_par: Mapped[str | None] = mapped_column(String(200))

    reunion: Mapped[Reunion] = relationship(back_populates="invitations")
    personne: Mapped[Personne] = relationship()

    def __repr__(self) -> str:
        return f"Invitation({self.reunion_id}, {self.personne_id}, {self.reponse!r})"
