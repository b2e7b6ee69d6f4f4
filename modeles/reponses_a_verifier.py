"""Les réponses mises de côté « à vérifier » : le coordinateur les accepte ou les rejette, et cela reste écrit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.base import Base
from modeles.reunion import Invitation
from modeles.types import EnVocabulaire, InstantUTC, contrainte_vocabulaire
from modeles.vocabulaire import EtatReponseAVerifier, ReponseInvitation


class ReponseAVerifier(Base):
    """Une réponse reçue que l'on n'a pas enregistrée : son expéditeur n'est pas (sûrement) l'invité qu'elle nomme."""

    __tablename__ = "reponses_a_verifier"
    __table_args__ = (
        contrainte_vocabulaire("reponse", ReponseInvitation),
        contrainte_vocabulaire("etat", EtatReponseAVerifier),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    #: L'adresse du participant (ATTENDEE) au nom de qui la réponse parle.
    participant: Mapped[str] = mapped_column(String(320))
    #: Les adresses de l'expéditeur (From, Sender, Reply-To), séparées par des virgules ; vide si inconnues.
    expediteurs: Mapped[str] = mapped_column(Text, default="")
    #: Pourquoi elle est à vérifier, en français.
    motif: Mapped[str] = mapped_column(Text)
    #: Le fichier ou le courriel (« courriel n°12 ») d'où elle vient.
    source: Mapped[str] = mapped_column(String(1000))
    #: ACCEPTED, DECLINED, TENTATIVE ou DELEGATED.
    reponse: Mapped[ReponseInvitation] = mapped_column(EnVocabulaire(ReponseInvitation, 20))
    commentaire: Mapped[str | None] = mapped_column(Text)
    delegue_a: Mapped[str | None] = mapped_column(String(320))
    #: La révision (SEQUENCE) à laquelle elle répond.
    sequence: Mapped[int] = mapped_column(default=0)
    #: L'heure de la réponse : son DTSTAMP, ou son arrivée si le DTSTAMP manque ou est dans le futur.
    horodatage: Mapped[datetime] = mapped_column(InstantUTC)
    recue_le: Mapped[datetime] = mapped_column(InstantUTC)
    etat: Mapped[EtatReponseAVerifier] = mapped_column(
        EnVocabulaire(EtatReponseAVerifier, 20), default=EtatReponseAVerifier.A_VERIFIER
    )
    tranchee_le: Mapped[datetime | None] = mapped_column(InstantUTC)

    invitation: Mapped[Invitation] = relationship()

    def __repr__(self) -> str:
        return f"ReponseAVerifier({self.id}, {self.participant!r}, {self.reponse!r}, {self.etat!r})"
