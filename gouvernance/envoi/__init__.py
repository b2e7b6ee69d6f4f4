"""L'envoi des courriels de la boîte d'envoi : par SMTP, ou déposés en .eml quand aucun serveur n'est réglé."""

from gouvernance.envoi.bilan import BilanEnvoi
from gouvernance.envoi.expedition import bilan_des_messages, envoyer_messages
from gouvernance.envoi.reglages_smtp import ReglagesSmtp, lire_reglages_smtp

__all__ = ["BilanEnvoi", "ReglagesSmtp", "bilan_des_messages", "envoyer_messages", "lire_reglages_smtp"]
