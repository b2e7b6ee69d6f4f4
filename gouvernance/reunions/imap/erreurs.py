"""Les échecs du relevé, en français : ce qui s'est passé et quoi vérifier ; rien n'est enregistré."""

from __future__ import annotations

import imaplib
import socket
import ssl

from gouvernance.erreurs import ErreurCTG
from gouvernance.reunions.imap.reglages import ReglagesImap

#: La raison d'un certificat refusé, selon le code de vérification d'OpenSSL.
CERTIFICATS = {
    10: "il a expiré",
    18: "il est auto-signé",
    19: "il est signé par une autorité inconnue de cette machine",
    20: "l'autorité qui l'a signé est inconnue de cette machine",
    62: "il est établi pour un autre nom de serveur",
}


class BoiteInaccessible(ErreurCTG):
    """La boîte du coordinateur ne s'ouvre pas ou ne se lit pas ; rien n'a été enregistré."""


class ConnexionPerdue(BoiteInaccessible):
    """Le serveur est injoignable ou la connexion a été coupée : un nouvel essai peut réussir."""


def injoignable(reglages: ReglagesImap, erreur: BaseException) -> str:
    """Le serveur ne répond pas : nom inconnu, port fermé, délai dépassé, ou ce n'est pas un serveur IMAP."""
    debut = f"Le serveur IMAP {reglages.adresse} est injoignable"
    fin = "Vérifiez CTG_IMAP_HOST et CTG_IMAP_PORT, et que cette machine a accès au réseau. Rien n'a été relevé."
    if isinstance(erreur, socket.gaierror):
        return f"{debut} : le nom « {reglages.hote} » est inconnu. {fin}"
    if isinstance(erreur, ConnectionRefusedError):
        return f"{debut} : il refuse les connexions sur le port {reglages.port}. {fin}"
    if isinstance(erreur, TimeoutError):
        return f"{debut} : pas de réponse en {reglages.delai:.0f} secondes. {fin}"
    if isinstance(erreur, imaplib.IMAP4.error):
        return f"{debut} : ce qui répond sur le port {reglages.port} n'est pas un serveur IMAP. {fin}"
    return f"{debut} (erreur système {getattr(erreur, 'errno', None) or type(erreur).__name__}). {fin}"


def coupee(reglages: ReglagesImap, erreur: BaseException) -> str:
    """La connexion s'est perdue en cours de route."""
    cause = "délai dépassé" if isinstance(erreur, TimeoutError) else "connexion coupée"
    return (
        f"La connexion au serveur IMAP {reglages.adresse} a été interrompue ({cause}) : rien n'a été enregistré, "
        "relancez le relevé."
    )


def certificat_refuse(reglages: ReglagesImap, erreur: ssl.SSLCertVerificationError) -> str:
    """Le certificat du serveur ne se vérifie pas : on n'y envoie pas le mot de passe."""
    raison = CERTIFICATS.get(erreur.verify_code, "il n'a pas pu être vérifié")
    return (
        f"Le certificat du serveur IMAP {reglages.hote} est refusé : {raison}. La connexion est abandonnée, "
        "pour ne pas envoyer le mot de passe à un serveur qui n'est peut-être pas le bon. Vérifiez CTG_IMAP_HOST "
        "(le nom exact du serveur) ; si le certificat vient d'une autorité interne à votre collectivité, donnez "
        "son fichier (.pem) dans la variable SSL_CERT_FILE ; sinon, demandez au service informatique un "
        "certificat valide."
    )
