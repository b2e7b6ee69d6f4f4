"""Les courriels relevés dans la boîte du coordinateur (IMAP) : chacun n'est traité qu'une fois."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from modeles.base import Base
from modeles.types import EnVocabulaire, InstantUTC, contrainte_vocabulaire
from modeles.vocabulaire import ResultatCourriel


class CourrielRecu(Base):
    """Un courriel de la boîte du coordinateur déjà examiné : son dossier, ses numéros IMAP, ce qu'on en a tiré."""

    __tablename__ = "courriels_recus"
    __table_args__ = (
        UniqueConstraint("dossier", "uidvalidity", "uid"),
        contrainte_vocabulaire("resultat", ResultatCourriel),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Le dossier IMAP relevé (INBOX par défaut).
    dossier: Mapped[str] = mapped_column(String(300))
    #: L'UIDVALIDITY du dossier (RFC 3501) : s'il change, les UID sont renumérotés et le Message-ID prend le relais.
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    #: L'UID du courriel dans le dossier, entier non signé sur 32 bits.
    uid: Mapped[int] = mapped_column(BigInteger)
    #: L'en-tête Message-ID, quand le courriel en porte un.
    message_id: Mapped[str | None] = mapped_column(String(500), index=True)
    resultat: Mapped[ResultatCourriel] = mapped_column(EnVocabulaire(ResultatCourriel, 30))
    #: Ce qui a été enregistré, ou la raison du refus.
    detail: Mapped[str | None] = mapped_column(Text)
    traite_le: Mapped[datetime] = mapped_column(InstantUTC)

    def __repr__(self) -> str:
        return f"CourrielRecu({self.dossier!r}, {self.uidvalidity}, {self.uid}, {self.resultat!r})"
