"""Les partenaires de la CTG et les personnes qui les représentent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modeles.base import Base
from modeles.types import EnVocabulaire, contrainte_vocabulaire
from modeles.vocabulaire import CategoriePartenaire

territoires_partenaires = Table(
    "territoires_partenaires",
    Base.metadata,
    Column("territoire_id", ForeignKey("territoires.id", ondelete="CASCADE"), primary_key=True),
    Column("partenaire_id", ForeignKey("partenaires.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Partenaire(Base):
    """Un organisme : la Ville, son CCAS, la CAF, le Conseil départemental, une fédération…

    Un partenaire peut suivre plusieurs territoires (une CAF suit plusieurs CTG) : il est
    partagé entre eux et rattaché à chacun.
    """

    __tablename__ = "partenaires"
    __table_args__ = (contrainte_vocabulaire("categorie", CategoriePartenaire),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nom: Mapped[str] = mapped_column(String(200), unique=True)
    sigle: Mapped[str | None] = mapped_column(String(40))
    categorie: Mapped[CategoriePartenaire] = mapped_column(
        EnVocabulaire(CategoriePartenaire, 40), default=CategoriePartenaire.AUTRE
    )
    #: Adresse postale, sur plusieurs lignes, pour l'en-tête des courriers.
    adresse: Mapped[str | None] = mapped_column(Text)
    #: Les autres noms sous lesquels on le connaît (« Mairie de L'Union », « CAF 31 ») : l'import les reconnaît.
    autres_noms: Mapped[list[str]] = mapped_column(JSON, default=list)

    territoires: Mapped[list[Territoire]] = relationship(secondary=territoires_partenaires)
    fonctions: Mapped[list[Fonction]] = relationship(back_populates="partenaire")

    def __repr__(self) -> str:
        return f"Partenaire({self.nom!r})"


class Personne(Base):
    """Un contact, identifié par son adresse électronique."""

    __tablename__ = "personnes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: En minuscules : deux écritures de la même adresse désignent la même personne.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    civilite: Mapped[str | None] = mapped_column(String(20))
    prenom: Mapped[str] = mapped_column(String(100))
    nom: Mapped[str] = mapped_column(String(100))
    telephone: Mapped[str | None] = mapped_column(String(40))
    #: Ses autres adresses (en minuscules) : une réponse envoyée de l'une d'elles est bien la sienne.
    emails_secondaires: Mapped[list[str]] = mapped_column(JSON, default=list)

    fonctions: Mapped[list[Fonction]] = relationship(
        back_populates="personne", cascade="all, delete-orphan", order_by="Fonction.debut"
    )

    @property
    def fonction_actuelle(self) -> Fonction | None:
        """La fonction en cours (sans date de fin), s'il y en a une."""
        en_cours = [fonction for fonction in self.fonctions if fonction.fin is None]
        return en_cours[-1] if en_cours else None

    @property
    def adresses(self) -> frozenset[str]:
        """Toutes ses adresses, en minuscules : la principale et les secondaires."""
        return frozenset(a.strip().casefold() for a in [self.email, *(self.emails_secondaires or [])])

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}".strip()

    def __repr__(self) -> str:
        return f"Personne({self.email!r})"


class Fonction(Base):
    """La fonction d'une personne dans un organisme, datée : les élections et les mutations la font changer."""

    __tablename__ = "fonctions"

    id: Mapped[int] = mapped_column(primary_key=True)
    personne_id: Mapped[int] = mapped_column(ForeignKey("personnes.id", ondelete="CASCADE"), index=True)
    partenaire_id: Mapped[int | None] = mapped_column(ForeignKey("partenaires.id", ondelete="RESTRICT"), index=True)
    intitule: Mapped[str | None] = mapped_column(String(200))
    debut: Mapped[date]
    fin: Mapped[date | None]

    personne: Mapped[Personne] = relationship(back_populates="fonctions")
    partenaire: Mapped[Partenaire | None] = relationship(back_populates="fonctions")

    def __repr__(self) -> str:
        return f"Fonction({self.intitule!r}, {self.debut}–{self.fin})"


from modeles.territoire import Territoire  # noqa: E402  (référence circulaire pour le typage)
