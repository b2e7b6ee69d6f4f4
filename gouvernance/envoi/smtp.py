"""Une connexion SMTP pour un lot de messages, et ce que le serveur a répondu pour chacun.

On dialogue commande par commande (MAIL, RCPT, DATA) plutôt qu'avec `sendmail` : `sendmail` jette la réponse
finale du serveur (« 250 2.0.0 Ok: queued as … », la preuve d'envoi), et ne dit pas si la connexion s'est perdue
avant ou après la transmission complète du message — la différence entre « à renvoyer » et « incertain ».
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass

from gouvernance.envoi.causes import SEPARATEUR, expliquer_refus
from gouvernance.envoi.reglages_smtp import ReglagesSmtp
from modeles.vocabulaire import EtatMessage

#: Les erreurs d'une connexion perdue : coupure, délai dépassé, réponse illisible.
ERREURS_CONNEXION = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Resultat:
    #: envoye, echec (refus définitif), echec_temporaire (à renvoyer) ou incertain (peut-être reçu).
    etat: EtatMessage
    #: La réponse du serveur, ou ce qui s'est passé.
    reponse: str
    #: Vrai quand la connexion ne doit plus servir : les messages suivants attendent un prochain envoi.
    arreter: bool = False
    #: Pourquoi le message n'est pas parti, en français (« adresse refusée : … ») ; None s'il est parti.
    cause: str | None = None


class ConnexionSmtp:
    """Une connexion ouverte au premier message, réutilisée pour tout le lot, fermée à la fin."""

    def __init__(self, reglages: ReglagesSmtp) -> None:
        self.reglages = reglages
        self._smtp: smtplib.SMTP | None = None

    @property
    def est_ouverte(self) -> bool:
        """Vrai si la connexion est établie (et authentifiée s'il le faut)."""
        return self._smtp is not None

    def ouvrir(self) -> None:
        """Se connecte, chiffre (STARTTLS ou SSL) et s'authentifie ; lève smtplib.SMTPException ou OSError."""
        reglages = self.reglages
        contexte = ssl.create_default_context()
        if reglages.securite == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                reglages.hote, reglages.port, timeout=reglages.delai, context=contexte
            )
        else:
            smtp = smtplib.SMTP(reglages.hote, reglages.port, timeout=reglages.delai)
        try:
            if reglages.securite == "starttls":
                smtp.starttls(context=contexte)
            smtp.ehlo_or_helo_if_needed()
            if reglages.utilisateur:
                smtp.login(reglages.utilisateur, reglages.mot_de_passe or "")
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp

    def transmettre(self, destinataire: str, contenu: bytes) -> Resultat:
        """Remet un message pour un seul destinataire d'enveloppe, et dit ce que le serveur en a fait."""
        try:
            refus = self._ouvrir_transaction(destinataire)
            if refus is not None:
                return refus
            self._smtp_ouvert().send(_donnees(contenu))
        except ERREURS_CONNEXION as erreur:
            self._abandonner()
            explication = f"connexion perdue avant la fin de la transmission, rien n'a été remis ({erreur})"
            cause = f"connexion perdue{SEPARATEUR}coupée avant la fin de la transmission, rien n'a été remis"
            return Resultat(EtatMessage.ECHEC_TEMPORAIRE, explication, arreter=True, cause=cause)
        try:
            code, reponse = self._smtp_ouvert().getreply()
        except ERREURS_CONNEXION as erreur:
            self._abandonner()
            explication = (
                f"connexion perdue après la transmission complète, avant la réponse du serveur ({erreur}) : "
                "le message a peut-être été accepté"
            )
            cause = f"connexion perdue{SEPARATEUR}coupée après la transmission, le message a peut-être été accepté"
            return Resultat(EtatMessage.INCERTAIN, explication, arreter=True, cause=cause)
        return Resultat(EtatMessage.ENVOYE, _texte(code, reponse)) if code == 250 else self._refus(code, reponse)

    def _ouvrir_transaction(self, destinataire: str) -> Resultat | None:
        """MAIL, RCPT puis DATA ; le refus du serveur s'il y en a un, None quand il attend le message."""
        smtp = self._smtp_ouvert()
        code, reponse = smtp.mail(self.reglages.expediteur)
        if code != 250:
            # L'expéditeur refusé l'est pour tous les messages : un réglage à corriger, pas un destinataire.
            return self._refus(code, reponse, a_l_expediteur=True)
        code, reponse = smtp.rcpt(destinataire)
        if code not in (250, 251):
            return self._refus(code, reponse)
        smtp.putcmd("data")
        code, reponse = smtp.getreply()
        return None if code == 354 else self._refus(code, reponse)

    def fermer(self) -> None:
        """Termine poliment (QUIT) ; une connexion déjà perdue est simplement fermée."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except ERREURS_CONNEXION:
            smtp.close()

    def _refus(self, code: int, reponse: bytes, *, a_l_expediteur: bool = False) -> Resultat:
        """5xx : refus définitif ; 4xx : à renvoyer ; 421 ou réponse illisible : la connexion est finie."""
        texte = _texte(code, reponse)
        if code == 421 or not 400 <= code < 600:
            self._abandonner()
            cause = f"serveur indisponible{SEPARATEUR}il a répondu « {texte} »"
            return Resultat(EtatMessage.ECHEC_TEMPORAIRE, texte, arreter=True, cause=cause)
        arreter = a_l_expediteur
        try:
            self._smtp_ouvert().rset()
        except ERREURS_CONNEXION:
            self._abandonner()
            arreter = True
        definitif = code >= 500 and not a_l_expediteur
        cause = (
            f"expéditeur refusé{SEPARATEUR}le serveur refuse l'adresse {self.reglages.expediteur} (« {texte} ») ; "
            "vérifiez CTG_SMTP_FROM"
            if a_l_expediteur
            else expliquer_refus(code, texte)
        )
        etat = EtatMessage.ECHEC if definitif else EtatMessage.ECHEC_TEMPORAIRE
        return Resultat(etat, texte, arreter=arreter, cause=cause)

    def _abandonner(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _smtp_ouvert(self) -> smtplib.SMTP:
        if self._smtp is None:
            raise smtplib.SMTPServerDisconnected("connexion fermée")
        return self._smtp


def _donnees(contenu: bytes) -> bytes:
    """Le message prêt pour DATA : CRLF partout, points de début de ligne doublés, point final (RFC 5321 §4.5.2)."""
    donnees = re.sub(rb"\r\n|\r|\n", b"\r\n", contenu)
    donnees = re.sub(rb"(?m)^\.", b"..", donnees)
    if not donnees.endswith(b"\r\n"):
        donnees += b"\r\n"
    return donnees + b".\r\n"


def _texte(code: int, reponse: bytes) -> str:
    return f"{code} {reponse.decode('utf-8', 'replace')}".strip()
