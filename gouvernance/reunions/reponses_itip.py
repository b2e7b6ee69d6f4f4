"""Lire les réponses iTIP (METHOD:REPLY) d'un courriel .eml ou d'un fichier .ics : des fonctions pures.

Un courriel reçu d'Outlook, de Gmail ou de Thunderbird porte la réponse dans une partie
`text/calendar; method=REPLY` ou une pièce jointe .ics (base64 ou quoted-printable), parfois dans
un message transféré (message/rfc822). Rien ici ne lit l'horloge ni la base.
"""

from __future__ import annotations

import codecs
import dataclasses
import email
import email.policy
import email.utils
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from icalendar import Calendar, Component

#: Au-delà, un fichier n'est pas lu : une réponse de calendrier tient en quelques kilo-octets.
TAILLE_MAX = 5 * 1024 * 1024
#: Au-delà, les calendriers d'un fichier ne sont pas analysés (une réponse réelle pèse quelques kilo-octets).
TAILLE_MAX_CALENDRIERS = 1024 * 1024
#: Les réponses que l'on enregistre (PARTSTAT d'un VEVENT, RFC 5545 §3.2.12).
PARTSTATS = ("ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED")
#: Ce qu'annonce un calendrier qui n'est pas une réponse, selon son METHOD.
METHODES = {
    "REQUEST": "une invitation (METHOD:REQUEST)",
    "CANCEL": "une annulation (METHOD:CANCEL)",
    "PUBLISH": "un agenda publié (METHOD:PUBLISH)",
    "COUNTER": "une proposition d'un autre horaire (METHOD:COUNTER), à traiter à la main",
    "REFRESH": "une demande de renvoi de l'invitation (METHOD:REFRESH)",
}
_PROFONDEUR_MAX = 8
_PARTIES_MAX = 500
_LONGUEUR_COMMENTAIRE = 2000
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_ADRESSE = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")


class ReponseIllisible(ValueError):
    """Le fichier ne porte aucune réponse de calendrier exploitable ; le message dit pourquoi, en français."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReponseItip:
    """Une réponse à une réunion : son UID, qui répond, quoi, à quelle révision et quand."""

    uid: str
    email: str
    partstat: str
    sequence: int
    #: Le DTSTAMP de la réponse, en UTC ; None s'il manque.
    horodatage: datetime | None
    commentaire: str | None = None
    #: L'adresse à qui la participation est déléguée (DELEGATED-TO), pour DELEGATED.
    delegue_a: str | None = None
    #: Les adresses de l'expéditeur (From, Sender, Reply-To) du courriel qui la porte, et de chaque courriel
    #: transféré qui l'entoure ; None pour un fichier .ics nu, sans courriel autour.
    expediteurs: tuple[str, ...] | None = None
    #: Ce que dit l'en-tête Authentication-Results du serveur quand l'authentification du courriel a échoué.
    authentification: str | None = None


@dataclass(frozen=True)
class _Enveloppe:
    """Ce que disent les courriels autour d'un calendrier : leurs expéditeurs et l'échec d'authentification."""

    expediteurs: tuple[str, ...] | None = None
    authentification: str | None = None


def lire_reponses(octets: bytes) -> tuple[ReponseItip, ...]:
    """Les réponses (sans doublon) d'un fichier .eml ou .ics ; ReponseIllisible s'il n'en porte aucune."""
    if len(octets) > TAILLE_MAX:
        raise ReponseIllisible(f"fichier trop volumineux (plus de {TAILLE_MAX // 2**20} Mo)")
    try:
        calendriers = _calendriers(octets)
    except RecursionError:
        raise ReponseIllisible("courriel illisible : parties imbriquées trop profondément") from None
    except ReponseIllisible:
        raise
    except Exception:  # le lecteur de courriels tolère presque tout ; s'il cède, le fichier est signalé, jamais fatal.
        raise ReponseIllisible("courriel illisible : sa structure MIME ne se lit pas") from None
    if not calendriers:
        raise ReponseIllisible("aucune réponse de calendrier dans ce fichier (ni partie text/calendar, ni pièce .ics)")
    if sum(len(texte) for texte, _ in calendriers) > TAILLE_MAX_CALENDRIERS:
        raise ReponseIllisible(
            f"calendrier trop volumineux (plus de {TAILLE_MAX_CALENDRIERS // 2**20} Mo) : "
            "ce n'est pas une simple réponse"
        )
    reponses: list[ReponseItip] = []
    autres: list[str] = []
    problemes: list[str] = []
    for texte, enveloppe in calendriers:
        try:
            reponses.extend(
                dataclasses.replace(
                    reponse, expediteurs=enveloppe.expediteurs, authentification=enveloppe.authentification
                )
                for reponse in _reponses_du_calendrier(texte, autres)
            )
        except ReponseIllisible as probleme:
            problemes.append(probleme.message)
    if reponses:
        return _sans_doublon(reponses)
    if problemes:
        raise ReponseIllisible(problemes[0])
    if autres:
        raise ReponseIllisible(f"ce fichier ne contient pas de réponse (METHOD:REPLY) mais {autres[0]}")
    raise ReponseIllisible("calendrier vide ou incomplet : aucune réponse (METHOD:REPLY) lisible dans ce fichier")


def _sans_doublon(reponses: list[ReponseItip]) -> tuple[ReponseItip, ...]:
    """Une réponse lue plusieurs fois (corps et pièce jointe, message transféré) n'en fait qu'une ; elle garde
    tous les expéditeurs vus autour d'elle, et l'échec d'authentification s'il y en a un."""
    uniques: dict[ReponseItip, ReponseItip] = {}
    for reponse in reponses:
        cle = dataclasses.replace(reponse, expediteurs=None, authentification=None)
        deja = uniques.get(cle)
        if deja is None:
            uniques[cle] = reponse
        elif reponse.expediteurs is not None:
            uniques[cle] = dataclasses.replace(
                deja,
                expediteurs=tuple(dict.fromkeys([*(deja.expediteurs or ()), *reponse.expediteurs])),
                authentification=deja.authentification or reponse.authentification,
            )
    return tuple(uniques.values())


def _calendriers(octets: bytes) -> list[tuple[str, _Enveloppe]]:
    """Le calendrier d'un fichier .ics nu (sans expéditeur), ou ceux d'un courriel avec leurs expéditeurs."""
    if _est_calendrier(octets):
        return [(_texte(octets, None), _Enveloppe())]
    return _calendriers_du_courriel(octets, 0, _Enveloppe(expediteurs=()))


def nettoyer(texte: str, longueur: int = 200) -> str:
    """Le texte sans caractères de contrôle ni d'inversion, sur une ligne, coupé à `longueur` caractères."""
    propre = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in texte if c not in _BIDI)
    propre = " ".join(propre.split())
    return propre if len(propre) <= longueur else propre[: longueur - 1] + "…"


def _est_calendrier(octets: bytes) -> bool:
    return octets.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR"


def _texte(octets: bytes, charset: str | None) -> str:
    """Le calendrier en texte : UTF-8 (RFC 5545), sinon le jeu de caractères annoncé, sinon Windows-1252."""
    try:
        return octets.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        codec = codecs.lookup(charset or "cp1252").name
    except LookupError:
        codec = "cp1252"
    return octets.decode(codec, errors="replace")


def _calendriers_du_courriel(octets: bytes, profondeur: int, autour: _Enveloppe) -> list[tuple[str, _Enveloppe]]:
    """Les calendriers d'un courriel : parties text/calendar, pièces .ics, et ceux des messages transférés.

    Chaque calendrier garde les expéditeurs de tous les courriels qui l'entourent : une réponse transférée par
    quelqu'un d'autre que l'invité n'est donc pas la sienne, sans vérification.
    """
    if profondeur > _PROFONDEUR_MAX:
        raise ReponseIllisible("courriel illisible : messages transférés imbriqués trop profondément")
    # compat32 : le lecteur d'en-têtes le plus simple ; on ne lit que Content-Type et le nom des pièces.
    message = email.message_from_bytes(octets, policy=email.policy.compat32)
    enveloppe = _Enveloppe(
        expediteurs=tuple(dict.fromkeys([*(autour.expediteurs or ()), *_expediteurs(message)])),
        authentification=autour.authentification
        or echec_d_authentification(message.get_all("Authentication-Results") or []),
    )
    trouves: list[tuple[str, _Enveloppe]] = []
    for numero, partie in enumerate(message.walk()):
        if numero > _PARTIES_MAX:
            raise ReponseIllisible(f"courriel illisible : plus de {_PARTIES_MAX} parties")
        if partie.is_multipart():
            continue
        contenu = _contenu(partie)
        if _est_calendrier(contenu):
            trouves.append((_texte(contenu, partie.get_content_charset()), enveloppe))
        elif partie.get_content_type() == "message/rfc822" or _nom(partie).endswith(".eml"):
            trouves.extend(_calendriers_du_courriel(contenu, profondeur + 1, enveloppe))
    return trouves


def _expediteurs(message: Message) -> list[str]:
    """Les adresses des en-têtes From, Sender et Reply-To, en minuscules ; « ? » pour une adresse illisible."""
    adresses: list[str] = []
    for nom in ("From", "Sender", "Reply-To"):
        for valeur in message.get_all(nom) or []:
            for _, adresse in email.utils.getaddresses([str(valeur)]):
                propre = nettoyer(adresse, 320).casefold()
                adresses.append(propre if _ADRESSE.fullmatch(propre) else "?")
    return adresses


#: Un résultat d'authentification : « spf=fail », « dkim=pass », « dmarc=fail » (RFC 8601).
_RESULTAT_AUTHENTIFICATION = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)
_COMMENTAIRE_ENTETE = re.compile(r"\([^()]*\)")


def echec_d_authentification(entetes: Sequence[Any]) -> str | None:
    """« dmarc=fail » ou « spf=fail sans signature DKIM valide » si un en-tête Authentication-Results le dit.

    Un seul en-tête qui signale l'échec suffit : un expéditeur qui en ajouterait un faux ne ferait que
    mettre sa propre réponse de côté. La signature DKIM valide qui rachète un échec SPF doit figurer dans le
    même en-tête (celui du serveur qui a reçu le courriel).
    """
    for entete in entetes:
        texte = str(entete)
        while _COMMENTAIRE_ENTETE.search(texte):
            texte = _COMMENTAIRE_ENTETE.sub(" ", texte)
        resultats = {(m.group(1).lower(), m.group(2).lower()) for m in _RESULTAT_AUTHENTIFICATION.finditer(texte)}
        if ("dmarc", "fail") in resultats:
            return "dmarc=fail"
        if ("spf", "fail") in resultats and ("dkim", "pass") not in resultats:
            return "spf=fail sans signature DKIM valide"
    return None


def _contenu(partie: Message) -> bytes:
    charge = partie.get_payload(decode=True)
    return charge if isinstance(charge, bytes) else b""


def _nom(partie: Message) -> str:
    nom = partie.get_filename()
    return nom.strip().lower() if isinstance(nom, str) else ""


def _reponses_du_calendrier(texte: str, autres: list[str]) -> list[ReponseItip]:
    try:
        composants = Calendar.from_ical(texte, multiple=True)
    except Exception:  # icalendar lève ValueError, KeyError… sur un fichier mal formé : jamais d'arrêt.
        raise ReponseIllisible("calendrier illisible : le contenu .ics est mal formé") from None
    reponses: list[ReponseItip] = []
    for calendrier in composants if isinstance(composants, list) else [composants]:
        methode = str(_unique(calendrier.get("method", ""), "METHOD")).strip().upper()
        if methode != "REPLY":
            autres.append(METHODES.get(methode, f"un calendrier « {nettoyer(methode, 30) or 'sans METHOD'} »"))
            continue
        evenements = [c for c in calendrier.subcomponents if c.name == "VEVENT"]
        if not evenements:
            raise ReponseIllisible("la réponse ne porte sur aucun événement (VEVENT)")
        for evenement in evenements:
            try:
                reponses.append(_lire_evenement(evenement))
            except ReponseIllisible:
                raise
            except Exception:  # une propriété cassée que icalendar ne lève qu'à la lecture : jamais d'arrêt.
                raise ReponseIllisible("réponse mal formée : une de ses propriétés est illisible") from None
    return reponses


def _lire_evenement(evenement: Component) -> ReponseItip:
    uid = nettoyer(str(_unique(evenement.get("uid", ""), "UID")), 300)
    if not uid:
        raise ReponseIllisible("réponse sans UID : on ne sait pas à quelle réunion elle répond")
    participant = _participant(evenement.get("attendee"))
    partstat = _texte_parametre(participant.params.get("PARTSTAT", "")).strip().upper()
    if partstat not in PARTSTATS:
        valeur = f"« {nettoyer(partstat, 40)} »" if partstat else "absente"
        raise ReponseIllisible(f"réponse (PARTSTAT) {valeur} : on attend ACCEPTED, DECLINED, TENTATIVE ou DELEGATED")
    delegue = (
        _adresse(_texte_parametre(participant.params.get("DELEGATED-TO", ""))) if partstat == "DELEGATED" else None
    )
    return ReponseItip(
        uid=uid,
        email=_exiger_adresse(str(participant)),
        partstat=partstat,
        sequence=_sequence(_unique(evenement.get("sequence"), "SEQUENCE")),
        horodatage=_horodatage(_unique(evenement.get("dtstamp"), "DTSTAMP")),
        commentaire=_commentaire(evenement.get("comment")),
        delegue_a=delegue,
    )


def _unique(valeur: Any, nom: str) -> Any:
    if isinstance(valeur, list):
        raise ReponseIllisible(f"la réponse porte plusieurs propriétés {nom} : elle est ambiguë")
    return valeur


def _texte_parametre(valeur: Any) -> str:
    return ",".join(str(v) for v in valeur) if isinstance(valeur, list) else str(valeur)


def _participant(valeur: Any) -> Any:
    participants = valeur if isinstance(valeur, list) else [] if valeur is None else [valeur]
    if not participants:
        raise ReponseIllisible("réponse sans participant (ATTENDEE) : on ne sait pas qui répond")
    if len(participants) > 1:
        raise ReponseIllisible(
            f"la réponse nomme {len(participants)} participants (ATTENDEE) ; une réponse n'en porte qu'un"
        )
    if not hasattr(participants[0], "params"):
        raise ReponseIllisible("participant (ATTENDEE) illisible")
    return participants[0]


def _adresse(valeur: str) -> str | None:
    """L'adresse d'un « mailto:… » (guillemets et casse du préfixe admis), ou None."""
    valeur = valeur.strip().strip('"').strip()
    if valeur[:7].lower() != "mailto:":
        return None
    adresse = valeur[7:].strip()
    if len(adresse) > 320 or not _ADRESSE.fullmatch(adresse) or nettoyer(adresse, 320) != adresse:
        return None
    return adresse


def _exiger_adresse(valeur: str) -> str:
    adresse = _adresse(valeur)
    if adresse is None:
        raise ReponseIllisible(
            f"le participant « {nettoyer(valeur, 80)} » n'est pas une adresse électronique (mailto:) valide"
        )
    return adresse


def _sequence(valeur: Any) -> int:
    if valeur is None:
        return 0  # RFC 5545 §3.8.7.4 : sans SEQUENCE, la révision est 0.
    if isinstance(valeur, int) and not isinstance(valeur, bool) and 0 <= valeur < 2**31:
        return int(valeur)
    raise ReponseIllisible("révision (SEQUENCE) illisible dans la réponse")


def _horodatage(valeur: Any) -> datetime | None:
    if valeur is None:
        return None
    instant = getattr(valeur, "dt", None)
    if not isinstance(instant, datetime):
        raise ReponseIllisible("horodatage (DTSTAMP) illisible dans la réponse")
    # DTSTAMP est en UTC (RFC 5545 §3.8.7.2) ; une heure « flottante » est lue comme telle.
    return instant.replace(tzinfo=UTC) if instant.utcoffset() is None else instant.astimezone(UTC)


def _commentaire(valeur: Any) -> str | None:
    morceaux = valeur if isinstance(valeur, list) else [] if valeur is None else [valeur]
    texte = nettoyer(" ".join(str(m) for m in morceaux), _LONGUEUR_COMMENTAIRE)
    return texte or None
