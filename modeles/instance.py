"""Les instances de gouvernance de la CTG et leurs membres."""

from __future__ import annotations

from datetime import time

from sqlalchemy import ForeignKey, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.acteurs import Partenaire, Personne
from modeles.base import Base
from modeles.territoire import Territoire
from modeles.types import EnVocabulaire, contrainte_vocabulaire
from modeles.vocabulaire import RoleMembre, TypeInstance


class Instance(Base):
    __tablename__ = "instances"
    __table_args__ = (UniqueConstraint("territoire_id", "code"), contrainte_vocabulaire("type", TypeInstance))

    id: Mapped[int] = mapped_column(primary_key=True)
    territoire_id: Mapped[int] = mapped_column(ForeignKey("territoires.id", ondelete="CASCADE"))
    #: Code court (`COPIL`, `COTECH`), unique dans le territoire.
    code: Mapped[str] = mapped_column(String(20))
    intitule: Mapped[str] = mapped_column(String(300))
    type: Mapped[TypeInstance] = mapped_column(EnVocabulaire(TypeInstance, 30))
    description: Mapped[str | None] = mapped_column(Text)
    duree_minutes: Mapped[int] = mapped_column(default=120)
    lieu: Mapped[str | None] = mapped_column(String(300))
    #: Délai de convocation en jours francs : ni le jour d'envoi ni le jour de la réunion ne comptent.
    delai_convocation_jours: Mapped[int] = mapped_column(default=5)
    #: L'organisme au nom duquel l'instance convoque (en-tête des courriers).
    partenaire_id: Mapped[int | None] = mapped_column(ForeignKey("partenaires.id", ondelete="SET NULL"), index=True)
    #: Le rythme des réunions : une règle iCalendar sans heure (« FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU »).
    rythme_regle: Mapped[str | None] = mapped_column(String(300))
    #: L'heure murale de Paris des réunions du rythme.
    rythme_heure: Mapped[time | None] = mapped_column(Time)
    #: Relance des invités sans réponse, tant de jours avant la réunion (0 : pas de relance).
    relance_reponse_jours: Mapped[int] = mapped_column(default=7, server_default="7")
    #: Relance du secrétaire quand le compte rendu n'est pas importé tant de jours après la réunion (0 : jamais).
    relance_compte_rendu_jours: Mapped[int] = mapped_column(default=15, server_default="15")

    territoire: Mapped[Territoire] = relationship()
    partenaire: Mapped[Partenaire | None] = relationship()
    membres: Mapped[list[Membre]] = relationship(
        back_populates="instance", cascade="all, delete-orphan", order_by="Membre.id"
    )

    def __repr__(self) -> str:
        return f"Instance({self.code!r})"


class Membre(Base):
    __tablename__ = "membres"
    __table_args__ = (UniqueConstraint("instance_id", "personne_id"), contrainte_vocabulaire("role", RoleMembre))

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id", ondelete="CASCADE"))
    personne_id: Mapped[int] = mapped_column(ForeignKey("personnes.id", ondelete="CASCADE"), index=True)
    role: Mapped[RoleMembre] = mapped_column(EnVocabulaire(RoleMembre, 30), default=RoleMembre.MEMBRE)

    instance: Mapped[Instance] = relationship(back_populates="membres")
    personne: Mapped[Personne] = relationship()

    def __repr__(self) -> str:
        return f"Membre({self.instance_id}, {self.personne_id}, {self.role!r})"
