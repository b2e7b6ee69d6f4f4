"""Les erreurs attendues : chacune porte un message en français qui dit quoi corriger."""

from __future__ import annotations


class ErreurCTG(Exception):
    """Une erreur que l'utilisateur peut corriger ; son message s'affiche tel quel."""

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: Les problèmes un par un (une ligne de fichier, un champ…), quand il y en a plusieurs.
        self.details = details or []

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return "\n".join([self.message, *(f"  – {detail}" for detail in self.details)])


class DonneesInvalides(ErreurCTG):
    """Un fichier ou une saisie refusée ; rien n'a été enregistré."""


class Introuvable(ErreurCTG):
    """Ce que l'utilisateur désigne n'existe pas."""


class BaseAbsente(ErreurCTG):
    """La base de données n'a pas encore été créée."""


class BaseExistante(ErreurCTG):
    """`ctg init` sur une base qui existe déjà."""


class SchemaPerime(ErreurCTG):
    """La base date d'une version précédente : `ctg migrer` la met à jour."""


class SchemaFutur(ErreurCTG):
    """La base a été mise à jour par une version plus récente de ctg-gouvernance que celle-ci."""


class BaseVerrouillee(ErreurCTG):
    """Une autre commande écrit dans la base SQLite depuis plus longtemps que l'attente permise."""


class BaseEnLectureSeule(ErreurCTG):
    """La base ou son dossier ne peut pas être écrit (droits, disque en lecture seule)."""


class BaseEndommagee(ErreurCTG):
    """Le fichier SQLite n'est plus une base lisible : il faut restaurer une sauvegarde."""


class BaseInjoignable(ErreurCTG):
    """Le serveur PostgreSQL ne répond pas, refuse la connexion ou n'a pas cette base."""


class DisquePlein(ErreurCTG):
    """Plus de place sur le disque (ou quota, ou taille maximale de fichier atteinte)."""


class ErreurDisque(ErreurCTG):
    """Le disque répond par une erreur d'entrée-sortie."""


class DiffusionEnCours(ErreurCTG):
    """Une autre commande (ou un worker) convoque déjà cette réunion : la seconde ne fait rien."""


class EnvoiInacheve(ErreurCTG):
    """Des courriels ne sont pas partis : la cause, et la commande qui les renvoie."""
