"""Qui fait référence à une ligne : ce qu'on ne supprime jamais en silence."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gouvernance.francais import compte
from modeles import Base

#: Le nom à afficher pour chaque table qui peut faire référence à une autre.
_LIBELLES_TABLES = {
    "points_orientations": ("point d'ordre du jour", "points d'ordre du jour"),
    "reunions": ("réunion", "réunions"),
    "fonctions": ("fonction de personne", "fonctions de personnes"),
    "comptes_rendus": ("compte rendu", "comptes rendus"),
    "discussions": ("discussion", "discussions"),
    "decisions": ("décision", "décisions"),
    "actions": ("action", "actions"),
    "messages": ("courriel", "courriels"),
    "documents": ("document", "documents"),
}

#: Les historiques : une ligne supprimée y perd seulement son lien (ON DELETE SET NULL), l'entrée garde sa
#: description ; ils n'empêchent pas une suppression (le journal des actions note aussi la suppression).
_HISTORIQUES = {"journal_actions"}


def references_vers(session: Session, table: str, identifiant: int) -> list[str]:
    """Les références qui empêchent de supprimer la ligne `identifiant` de `table`, en français.

    Une clé étrangère `ON DELETE CASCADE` appartient à la ligne (ses étiquettes, ses membres) et
    ne compte pas ; toute autre est une référence qu'une suppression ferait perdre.
    """
    references: list[str] = []
    for table_source in Base.metadata.sorted_tables:
        for cle in table_source.foreign_keys:
            if cle.column.table.name != table or (cle.ondelete or "").upper() == "CASCADE":
                continue
            if table_source.name in _HISTORIQUES:
                continue
            nombre = session.scalar(select(func.count()).select_from(table_source).where(cle.parent == identifiant))
            if nombre:
                singulier, pluriel = _LIBELLES_TABLES.get(table_source.name, (table_source.name, table_source.name))
                references.append(compte(nombre, singulier, pluriel))
    return references
