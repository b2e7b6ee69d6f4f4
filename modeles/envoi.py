"""La boîte d'envoi et les documents produits : la preuve de ce qui a été envoyé, à qui, quand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.base import Base
from modeles.reunion import Reunion
from modeles.types import EnVocabulaire, InstantUTC, contrainte_vocabulaire
from modeles.vocabulaire import EtatMessage, IssueIncertain, NatureMessage, TypeDocument


class Message(Base):
    """Un courriel de la boîte d'envoi : un par destinataire, par nature et par révision de la réunion."""

    __tablename__ = "messages"
    __table_args__ = (contrainte_vocabulaire("nature", NatureMessage), contrainte_vocabulaire("etat", EtatMessage))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Identifie l'envoi (réunion, révision, nature, destinataire) : jamais deux messages pour la même clé.
    cle: Mapped[str] = mapped_column(String(400), unique=True)
    reunion_id: Mapped[int | None] = mapped_column(ForeignKey("reunions.id", ondelete="RESTRICT"), index=True)
    nature: Mapped[NatureMessage] = mapped_column(EnVocabulaire(NatureMessage, 30))
    #: La révision (SEQUENCE iCalendar) de la réunion que ce message annonce.
    sequence: Mapped[int] = mapped_column(default=0)
    destinataire: Mapped[str] = mapped_column(String(320))
    nom_destinataire: Mapped[str | None] = mapped_column(String(200))
    objet: Mapped[str] = mapped_column(String(400))
    #: L'en-tête Message-ID, fixé à la préparation : le même si le message est réessayé.
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    #: Le fichier .eml du message, tel qu'il part.
    chemin: Mapped[str] = mapped_column(String(1000))
    etat: Mapped[EtatMessage] = mapped_column(EnVocabulaire(EtatMessage, 30), default=EtatMessage.A_ENVOYER, index=True)
    tentatives: Mapped[int] = mapped_column(default=0)
    #: La dernière réponse du serveur SMTP (« 250 2.0.0 Ok: queued as … »).
    reponse_serveur: Mapped[str | None] = mapped_column(Text)
    cree_le: Mapped[datetime] = mapped_column(InstantUTC)
    #: Quand la dernière tentative par SMTP a commencé (passage « en cours ») : resté « en cours » bien au-delà,
    #: le message a été interrompu (processus arrêté) et il est incertain.
    tente_le: Mapped[datetime | None] = mapped_column(InstantUTC)
    #: Quand le serveur a accepté le message : la preuve de convocation (pour un message incertain confirmé
    #: par son destinataire, l'heure de la tentative qui l'a transmis).
    accepte_le: Mapped[datetime | None] = mapped_column(InstantUTC)
    #: Pourquoi le message n'est pas (encore) parti, en français : « cause : détail »
    #: (« serveur injoignable : … ») ; effacée quand le serveur l'accepte.
    derniere_erreur: Mapped[str | None] = mapped_column(Text)
    #: Depuis quand cette même cause empêche l'envoi (la première tentative qui l'a rencontrée).
    erreur_depuis: Mapped[datetime | None] = mapped_column(InstantUTC)

    reunion: Mapped[Reunion | None] = relationship()

    def __repr__(self) -> str:
        return f"Message({self.cle!r}, {self.etat!r})"


class VerificationMessage(Base):
    """Un message incertain tranché par le coordinateur après vérification auprès du destinataire : qui, quand, quoi."""

    __tablename__ = "verifications_messages"
    __table_args__ = (contrainte_vocabulaire("issue", IssueIncertain),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    #: confirme (le destinataire l'a reçu) ou renvoye (il ne l'a pas reçu : le message est reparti).
    issue: Mapped[IssueIncertain] = mapped_column(EnVocabulaire(IssueIncertain, 20))
    #: Qui a tranché : le nom donné à la commande, sinon le compte de la session qui l'a lancée.
    par: Mapped[str] = mapped_column(String(200))
    le: Mapped[datetime] = mapped_column(InstantUTC)
    #: Ce que le coordinateur a noté de sa vérification (« appel à M. Dupont, rien reçu »).
    note: Mapped[str | None] = mapped_column(Text)

    message: Mapped[Message] = relationship()

    def __repr__(self) -> str:
        return f"VerificationMessage({self.message_id}, {self.issue!r}, {self.par!r})"


class Document(Base):
    """Un fichier produit (convocation, ordre du jour…), avec sa version et son empreinte."""

    __tablename__ = "documents"
    __table_args__ = (contrainte_vocabulaire("type", TypeDocument),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reunion_id: Mapped[int | None] = mapped_column(ForeignKey("reunions.id", ondelete="RESTRICT"), index=True)
    personne_id: Mapped[int | None] = mapped_column(ForeignKey("personnes.id", ondelete="SET NULL"), index=True)
    type: Mapped[TypeDocument] = mapped_column(EnVocabulaire(TypeDocument, 40))
    #: La révision de la réunion pour laquelle il a été produit.
    version: Mapped[int] = mapped_column(default=0)
    chemin: Mapped[str] = mapped_column(String(1000))
    #: SHA-256 du contenu, en hexadécimal.
    empreinte: Mapped[str] = mapped_column(String(64))
    cree_le: Mapped[datetime] = mapped_column(InstantUTC)

    reunion: Mapped[Reunion | None] = relationship()

    def __repr__(self) -> str:
        return f"Document({self.type!r}, v{self.version}, {self.chemin!r})"
