"""Pourquoi un courriel n'est pas parti, en français : « cause : détail », la cause courte d'abord.

La cause courte (« serveur injoignable », « identification refusée », « échec du chiffrement TLS »,
« adresse refusée »…) est ce que `ctg reunion voir` montre ; le détail dit quoi vérifier.
"""

from __future__ import annotations

import smtplib
import socket
import ssl

from gouvernance.envoi.reglages_smtp import ReglagesSmtp

SEPARATEUR = " : "


def cause_courte(erreur: str) -> str:
    """« serveur injoignable » pour « serveur injoignable : smtp.exemple.fr:587 refuse la connexion »."""
    return erreur.partition(SEPARATEUR)[0]


def expliquer_connexion(erreur: BaseException, reglages: ReglagesSmtp) -> str:  # noqa: PLR0911 (une cause par erreur)
    """Pourquoi la connexion au serveur (ouverture, chiffrement, identification) a échoué."""
    serveur = f"{reglages.hote}:{reglages.port}"
    if isinstance(erreur, smtplib.SMTPAuthenticationError):
        return (
            f"identification refusée : le serveur {serveur} refuse l'utilisateur « {reglages.utilisateur} » "
            f"et son mot de passe ({_reponse(erreur)}) ; vérifiez CTG_SMTP_USER et CTG_SMTP_PASSWORD"
        )
    if isinstance(erreur, smtplib.SMTPNotSupportedError):
        if "STARTTLS" in str(erreur).upper():
            return (
                f"échec du chiffrement TLS : le serveur {serveur} ne propose pas STARTTLS ; réglez CTG_SMTP_TLS "
                "(ssl pour le port 465, none pour un relais sans chiffrement)"
            )
        return (
            f"identification impossible : le serveur {serveur} ne propose pas l'authentification ; "
            "retirez CTG_SMTP_USER et CTG_SMTP_PASSWORD, ou vérifiez CTG_SMTP_HOST et CTG_SMTP_PORT"
        )
    if isinstance(erreur, smtplib.SMTPResponseException):
        return f"serveur indisponible : {serveur} a répondu « {_reponse(erreur)} »"
    if isinstance(erreur, smtplib.SMTPServerDisconnected):
        return f"serveur injoignable : {serveur} a fermé la connexion avant la fin du dialogue"
    if isinstance(erreur, ssl.SSLCertVerificationError):
        return (
            f"échec du chiffrement TLS : le certificat du serveur {serveur} n'est pas reconnu "
            f"({erreur.verify_message}) ; vérifiez CTG_SMTP_HOST (le nom du certificat)"
        )
    if isinstance(erreur, ssl.SSLError):
        return (
            f"échec du chiffrement TLS avec {serveur} ({erreur.reason or erreur}) ; vérifiez CTG_SMTP_TLS "
            "(starttls pour le port 587, ssl pour le port 465)"
        )
    if isinstance(erreur, socket.gaierror):
        return f"serveur injoignable : le nom {reglages.hote} est introuvable ; vérifiez CTG_SMTP_HOST et le réseau"
    if isinstance(erreur, ConnectionRefusedError):
        return (
            f"serveur injoignable : {serveur} refuse la connexion (serveur arrêté, ou mauvais port dans CTG_SMTP_PORT)"
        )
    if isinstance(erreur, TimeoutError):
        return f"serveur injoignable : {serveur} ne répond pas (délai de {reglages.delai:g} s dépassé)"
    if isinstance(erreur, OSError):
        return f"serveur injoignable : {serveur} ({erreur.strerror or erreur})"
    return f"dialogue impossible avec le serveur {serveur} ({erreur})"


def expliquer_refus(code: int, texte: str) -> str:
    """La cause d'une réponse négative du serveur à un message : adresse refusée, ou refus temporaire."""
    if code >= 500:
        return f"adresse refusée{SEPARATEUR}le serveur a répondu « {texte} »"
    return f"refus temporaire du serveur{SEPARATEUR}il a répondu « {texte} »"


def _reponse(erreur: smtplib.SMTPResponseException) -> str:
    brut = erreur.smtp_error
    message = brut.decode("utf-8", "replace") if isinstance(brut, bytes) else str(brut)
    return f"{erreur.smtp_code} {message}".strip()
