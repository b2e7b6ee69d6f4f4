"""Les courriels relevés dans la boîte du coordinateur (IMAP) : chacun n'est traité qu'une fois."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from modeles.base import Base
from modeles.types import InstantUTC

#: Ce qu'est devenu un courriel relevé, avec son libellé.
RESULTATS_COURRIEL = {
    "applique": "réponse enregistrée",
    "a_verifier": "réponse mise de côté, à vérifier",
    "ignore": "rien de nouveau",
    "refuse": "réponse refusée",
    "sans_calendrier": "courriel ordinaire, sans calendrier",
    "trop_volumineux": "trop volumineux, non téléchargé",
    "deja_traite": "déjà traité sous un autre numéro (même Message-ID)",
}


class CourrielRecu(Base):
    """Un courriel de la boîte du coordinateur déjà examiné : son dossier, ses numéros IMAP, ce qu'on en a tiré."""

    __tablename__ = "courriels_recus"
    __table_args__ = (UniqueConstraint("dossier", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Le dossier IMAP relevé (INBOX par défaut).
    dossier: Mapped[str] = mapped_column(String(300))
    #: L'UIDVALIDITY du dossier (RFC 3501) : s'il change, les UID sont renumérotés et le Message-ID prend le relais.
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    #: L'UID du courriel dans le dossier, entier non signé sur 32 bits.
    uid: Mapped[int] = mapped_column(BigInteger)
    #: L'en-tête Message-ID, quand le courriel en porte un.
    message_id: Mapped[str | None] = mapped_column(String(500), index=True)
    #: applique, a_verifier, ignore, refuse, sans_calendrier, trop_volumineux, deja_traite (voir RESULTATS_COURRIEL).
    resultat: Mapped[str] = mapped_column(String(30))
    #: Ce qui a été enregistré, ou la raison du refus.
    detail: Mapped[str | None] = mapped_column(Text)
    traite_le: Mapped[datetime] = mapped_column(InstantUTC)

    def __repr__(self) -> str:
        return f"CourrielRecu({self.dossier!r}, {self.uidvalidity}, {self.uid}, {self.resultat!r})"
