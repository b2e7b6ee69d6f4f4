"""Les comptes de l'application web et le journal de ce que chacun y a fait."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.base import Base
from modeles.instance import Instance
from modeles.territoire import Territoire
from modeles.types import EnVocabulaire, InstantUTC, contrainte_vocabulaire
from modeles.vocabulaire import ActionJournal, RoleUtilisateur

utilisateurs_territoires = Table(
    "utilisateurs_territoires",
    Base.metadata,
    Column("utilisateur_id", ForeignKey("utilisateurs.id", ondelete="CASCADE"), primary_key=True),
    Column("territoire_id", ForeignKey("territoires.id", ondelete="CASCADE"), primary_key=True, index=True),
)

utilisateurs_instances = Table(
    "utilisateurs_instances",
    Base.metadata,
    Column("utilisateur_id", ForeignKey("utilisateurs.id", ondelete="CASCADE"), primary_key=True),
    Column("instance_id", ForeignKey("instances.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Utilisateur(Base):
    """Un compte de l'application web : le coordinateur, un secrétaire d'instance, un lecteur."""

    __tablename__ = "utilisateurs"
    __table_args__ = (contrainte_vocabulaire("role", RoleUtilisateur),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: En minuscules : l'identifiant de connexion.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    nom: Mapped[str] = mapped_column(String(200), default="")
    #: L'empreinte argon2 du mot de passe (jamais le mot de passe lui-même).
    mot_de_passe: Mapped[str] = mapped_column(String(200))
    role: Mapped[RoleUtilisateur] = mapped_column(EnVocabulaire(RoleUtilisateur, 20))
    #: Un compte désactivé ne se connecte plus ; ses sessions ouvertes sont refusées à la requête suivante.
    actif: Mapped[bool] = mapped_column(default=True)
    cree_le: Mapped[datetime] = mapped_column(InstantUTC)

    #: Les territoires qu'il voit (une base peut en tenir plusieurs).
    territoires: Mapped[list[Territoire]] = relationship(secondary=utilisateurs_territoires, order_by="Territoire.code")
    #: Pour un secrétaire : les instances dont il tient les comptes rendus.
    instances: Mapped[list[Instance]] = relationship(secondary=utilisateurs_instances, order_by="Instance.code")

    def __repr__(self) -> str:
        return f"Utilisateur({self.email!r}, {self.role!r})"


class EntreeJournal(Base):
    """Une ligne du journal des actions : qui a fait quoi, quand, et sur quelle réunion."""

    __tablename__ = "journal_actions"
    __table_args__ = (contrainte_vocabulaire("action", ActionJournal),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: L'auteur ; NULL si son compte a depuis été supprimé (son adresse reste dans `auteur`).
    utilisateur_id: Mapped[int | None] = mapped_column(ForeignKey("utilisateurs.id", ondelete="SET NULL"), index=True)
    #: L'adresse de l'auteur au moment de l'action.
    auteur: Mapped[str] = mapped_column(String(320))
    le: Mapped[datetime] = mapped_column(InstantUTC, index=True)
    action: Mapped[ActionJournal] = mapped_column(EnVocabulaire(ActionJournal, 40))
    reunion_id: Mapped[int | None] = mapped_column(ForeignKey("reunions.id", ondelete="SET NULL"), index=True)
    #: Une précision en une phrase (« motif : salle indisponible », « action n°12 : fait »).
    details: Mapped[str | None] = mapped_column(Text)

    utilisateur: Mapped[Utilisateur | None] = relationship()

    def __repr__(self) -> str:
        return f"EntreeJournal({self.auteur!r}, {self.action!r}, reunion={self.reunion_id})"
