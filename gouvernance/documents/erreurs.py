"""Les erreurs des documents : un modèle Word refusé, une conversion PDF impossible, un nom refusé."""

from __future__ import annotations

from gouvernance.erreurs import ErreurCTG


class ErreurDocument(ErreurCTG):
    """Un document n'a pas pu être produit ; rien n'a été écrit."""


class ModeleInvalide(ErreurDocument):
    """Un modèle Word introuvable, endommagé, incorrect ou dangereux."""


class ConversionImpossible(ErreurDocument):
    """LibreOffice absent, en échec ou trop lent."""


class CheminRefuse(ErreurDocument):
    """Un nom de fichier qui sortirait du dossier prévu."""
