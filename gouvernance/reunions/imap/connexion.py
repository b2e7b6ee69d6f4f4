"""La boîte du coordinateur, ouverte en lecture seule (EXAMINE) : rien n'y est modifié, pas même le drapeau « lu ».

Chaque échec devient une erreur française qui dit quoi vérifier : serveur injoignable, certificat refusé,
identifiants refusés, dossier inexistant, connexion coupée (celle-là seule vaut la peine d'être réessayée).
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType

from gouvernance.reunions.imap.erreurs import (
    BoiteInaccessible,
    ConnexionPerdue,
    certificat_refuse,
    coupee,
    injoignable,
)
from gouvernance.reunions.imap.noms_de_dossier import citer, decoder_dossier
from gouvernance.reunions.imap.reglages import ReglagesImap
from gouvernance.reunions.imap.reponse_imap import ReponseImapIllisible, Valeur, lire_reponses_fetch
from gouvernance.reunions.reponses_itip import nettoyer

#: Les en-têtes lus pour chaque courriel, sans télécharger son contenu.
ENTETES = "MESSAGE-ID FROM SUBJECT DATE"
#: Les courriels examinés par requête FETCH.
LOT = 200
_LISTE = re.compile(rb'^\((?P<attributs>[^)]*)\) (?:NIL|"(?:[^"\\]|\\.)*") (?P<nom>.+)$')


@dataclass(frozen=True)
class Apercu:
    """Ce qu'on sait d'un courriel sans l'avoir téléchargé : taille, structure MIME, quelques en-têtes."""

    uid: int
    taille: int
    structure: Valeur
    #: Les en-têtes Message-ID, From, Subject et Date, bruts.
    entetes: bytes


class BoiteImap:
    """Une connexion au serveur IMAP, le dossier ouvert en lecture seule ; à utiliser avec `with`."""

    def __init__(self, reglages: ReglagesImap) -> None:
        self.reglages = reglages
        self._imap: imaplib.IMAP4 | None = None
        #: L'UIDVALIDITY du dossier ouvert (RFC 3501 §2.3.1.1).
        self.uidvalidity = 0

    def __enter__(self) -> BoiteImap:
        self.ouvrir()
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _erreur: BaseException | None, _trace: TracebackType | None
    ) -> None:
        self.fermer()

    def ouvrir(self) -> None:
        """Se connecte, chiffre, s'authentifie et ouvre le dossier en lecture seule ; BoiteInaccessible sinon."""
        imap = self._connecter()
        self._imap = imap
        try:
            self._authentifier(imap)
            self._examiner(imap)
        except BaseException:
            self.fermer()
            raise

    def uids(self) -> list[int]:
        """Les UID de tous les courriels du dossier, croissants."""
        donnees = self._uid("SEARCH", "ALL")
        return sorted({int(uid) for ligne in donnees if isinstance(ligne, bytes) for uid in ligne.split()})

    def apercus(self, uids: Sequence[int]) -> list[Apercu]:
        """Taille, structure et en-têtes des courriels `uids`, par lots, sans télécharger leur contenu."""
        apercus: list[Apercu] = []
        for debut in range(0, len(uids), LOT):
            lot = uids[debut : debut + LOT]
            requete = f"(UID RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS ({ENTETES})])"
            for attributs in self._fetch(lot, requete):
                entetes = _attribut(attributs, b"BODY[HEADER")
                taille = attributs.get(b"RFC822.SIZE")
                apercus.append(
                    Apercu(
                        uid=_entier(attributs.get(b"UID")),
                        taille=int(taille) if isinstance(taille, bytes) and taille.isdigit() else 0,
                        structure=attributs.get(b"BODYSTRUCTURE"),
                        entetes=entetes if isinstance(entetes, bytes) else b"",
                    )
                )
        return apercus

    def telecharger(self, uid: int, taille_max: int) -> bytes:
        """Le courriel `uid` entier (au plus `taille_max` + 1 octets), sans le marquer comme lu (BODY.PEEK)."""
        for attributs in self._fetch([uid], f"(UID BODY.PEEK[]<0.{taille_max + 1}>)"):
            contenu = _attribut(attributs, b"BODY[]")
            if isinstance(contenu, bytes):
                return contenu
        raise BoiteInaccessible(
            f"Le serveur IMAP n'a pas rendu le courriel n°{uid} du dossier « {self.reglages.dossier} » : "
            "il a peut-être été supprimé pendant le relevé. Relancez le relevé."
        )

    def fermer(self) -> None:
        """Ferme le dossier et la connexion ; une connexion déjà perdue est simplement abandonnée."""
        imap, self._imap = self._imap, None
        if imap is None:
            return
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            _abandonner(imap)

    # --- Ouverture ---------------------------------------------------------------------------------

    def _connecter(self) -> imaplib.IMAP4:
        reglages = self.reglages
        contexte = ssl.create_default_context()
        try:
            if reglages.securite == "ssl":
                return imaplib.IMAP4_SSL(reglages.hote, reglages.port, ssl_context=contexte, timeout=reglages.delai)
            imap = imaplib.IMAP4(reglages.hote, reglages.port, timeout=reglages.delai)
            if reglages.securite == "starttls":
                self._chiffrer(imap, contexte)
            return imap
        except ssl.SSLCertVerificationError as erreur:
            raise BoiteInaccessible(certificat_refuse(reglages, erreur)) from None
        except ssl.SSLError as erreur:
            raise BoiteInaccessible(
                f"La connexion chiffrée au serveur IMAP {reglages.adresse} a échoué ({erreur.reason or erreur}) : "
                f"vérifiez que ce port attend bien le mode CTG_IMAP_TLS={reglages.securite} "
                "(ssl sur le port 993, starttls sur le port 143)."
            ) from None
        except (OSError, imaplib.IMAP4.error) as erreur:
            raise ConnexionPerdue(injoignable(reglages, erreur)) from None

    def _chiffrer(self, imap: imaplib.IMAP4, contexte: ssl.SSLContext) -> None:
        try:
            imap.starttls(ssl_context=contexte)
        except ssl.SSLError:
            _abandonner(imap)
            raise
        except imaplib.IMAP4.error:
            _abandonner(imap)
            raise BoiteInaccessible(
                f"Le serveur IMAP {self.reglages.adresse} ne propose pas STARTTLS : essayez CTG_IMAP_TLS=ssl "
                "(port 993)."
            ) from None

    def _authentifier(self, imap: imaplib.IMAP4) -> None:
        reglages = self.reglages
        if "LOGINDISABLED" in imap.capabilities:
            raise BoiteInaccessible(
                f"Le serveur IMAP {reglages.adresse} refuse les mots de passe sur une connexion non chiffrée : "
                "réglez CTG_IMAP_TLS=starttls (port 143) ou ssl (port 993)."
            )
        try:
            if "AUTH=PLAIN" in imap.capabilities:
                # AUTHENTICATE PLAIN porte un mot de passe accentué (UTF-8), ce que LOGIN d'imaplib refuse.
                secret = f"\0{reglages.utilisateur}\0{reglages.mot_de_passe}".encode()
                imap.authenticate("PLAIN", lambda _defi: secret)
            else:
                imap.login(reglages.utilisateur, reglages.mot_de_passe)
        except imaplib.IMAP4.abort as erreur:
            raise ConnexionPerdue(coupee(reglages, erreur)) from None
        except imaplib.IMAP4.error:
            raise BoiteInaccessible(
                f"Le serveur IMAP {reglages.adresse} a refusé l'identifiant « {reglages.utilisateur} » ou son "
                "mot de passe : vérifiez CTG_IMAP_USER et CTG_IMAP_PASSWORD. Rien n'a été relevé."
            ) from None
        except OSError as erreur:
            raise ConnexionPerdue(coupee(reglages, erreur)) from None

    def _examiner(self, imap: imaplib.IMAP4) -> None:
        dossier = self.reglages.dossier
        try:
            etat, _ = imap.select(citer(dossier), readonly=True)  # EXAMINE : lecture seule
            if etat != "OK":
                raise BoiteInaccessible(self._dossier_inexistant(imap))
            _, valeurs = imap.response("UIDVALIDITY")
        except imaplib.IMAP4.abort as erreur:
            raise ConnexionPerdue(coupee(self.reglages, erreur)) from None
        except imaplib.IMAP4.error:
            raise BoiteInaccessible(self._dossier_inexistant(imap)) from None
        except OSError as erreur:
            raise ConnexionPerdue(coupee(self.reglages, erreur)) from None
        self.uidvalidity = _entier(valeurs[-1] if valeurs else None)

    def _dossier_inexistant(self, imap: imaplib.IMAP4) -> str:
        message = (
            f"Le dossier « {self.reglages.dossier} » n'existe pas dans la boîte de « {self.reglages.utilisateur} » "
            "sur le serveur IMAP : corrigez CTG_IMAP_DOSSIER (INBOX par défaut)"
        )
        existants = self._dossiers(imap)
        return message + (f". Dossiers existants : {', '.join(existants)}." if existants else ".")

    def _dossiers(self, imap: imaplib.IMAP4) -> list[str]:
        try:
            etat, lignes = imap.list()
        except (imaplib.IMAP4.error, OSError):
            return []
        noms: list[str] = []
        for ligne in lignes if etat == "OK" else []:
            trouve = _LISTE.match(ligne) if isinstance(ligne, bytes) else None
            if trouve and b"\\noselect" not in trouve["attributs"].lower():
                nom = trouve["nom"].decode("utf-8", errors="replace").strip().strip('"')
                noms.append(nettoyer(decoder_dossier(nom), 80))
        return sorted(noms)[:20]

    # --- Lecture ---------------------------------------------------------------------------------

    def _fetch(self, uids: Sequence[int], requete: str) -> list[dict[bytes, Valeur]]:
        voulus = set(uids)
        donnees = self._uid("FETCH", ",".join(str(uid) for uid in uids), requete)
        try:
            reponses = lire_reponses_fetch([d for d in donnees if isinstance(d, bytes | tuple)])
        except ReponseImapIllisible as erreur:
            raise BoiteInaccessible(
                f"Le serveur IMAP {self.reglages.adresse} a envoyé une réponse illisible ({erreur}) : "
                "rien n'a été enregistré."
            ) from None
        # Le serveur peut glisser d'autres réponses FETCH (drapeaux changés ailleurs) : on ne garde que les nôtres.
        return [a for _, a in reponses if _entier_ou_zero(a.get(b"UID")) in voulus]

    def _uid(self, *arguments: str) -> list[bytes | tuple[bytes, bytes] | None]:
        imap = self._imap
        if imap is None:
            raise ConnexionPerdue("La connexion au serveur IMAP n'est pas ouverte.")
        try:
            etat, donnees = imap.uid(*arguments)
        except imaplib.IMAP4.abort as erreur:
            raise ConnexionPerdue(coupee(self.reglages, erreur)) from None
        except imaplib.IMAP4.error as erreur:
            raise BoiteInaccessible(
                f"Le serveur IMAP {self.reglages.adresse} a refusé une lecture "
                f"(réponse : « {nettoyer(str(erreur), 160)} ») : rien n'a été enregistré."
            ) from None
        except OSError as erreur:
            raise ConnexionPerdue(coupee(self.reglages, erreur)) from None
        if etat != "OK":
            texte = b" ".join(d for d in donnees if isinstance(d, bytes)).decode("utf-8", errors="replace")
            raise BoiteInaccessible(
                f"Le serveur IMAP {self.reglages.adresse} a refusé une lecture "
                f"(réponse : « {nettoyer(texte, 160)} ») : rien n'a été enregistré."
            )
        return list(donnees)


def _abandonner(imap: imaplib.IMAP4) -> None:
    """Ferme une connexion sans dialogue ; une socket déjà fermée (poignée de main TLS ratée) ne gêne pas."""
    with contextlib.suppress(OSError):
        imap.shutdown()


def _attribut(attributs: dict[bytes, Valeur], prefixe: bytes) -> Valeur:
    return next((valeur for cle, valeur in attributs.items() if cle.startswith(prefixe)), None)


def _entier(valeur: Valeur) -> int:
    if isinstance(valeur, bytes) and valeur.isdigit():
        return int(valeur)
    raise BoiteInaccessible("Le serveur IMAP a envoyé un numéro de courriel illisible : rien n'a été enregistré.")


def _entier_ou_zero(valeur: Valeur) -> int:
    return int(valeur) if isinstance(valeur, bytes) and valeur.isdigit() else 0
