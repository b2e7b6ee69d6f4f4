"""Lire les nouveaux courriels de la boîte : ceux qui portent un calendrier sont téléchargés, les autres jamais."""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from gouvernance.reunions.imap.connexion import Apercu, BoiteImap
from gouvernance.reunions.imap.reglages import ReglagesImap
from gouvernance.reunions.imap.structure import porte_un_calendrier
from gouvernance.reunions.reponses_itip import TAILLE_MAX, nettoyer

Nature = Literal["calendrier", "sans_calendrier", "trop_volumineux", "deja_traite"]


@dataclass(frozen=True)
class DejaTraites:
    """Ce qui a déjà été relevé dans un dossier : les UID par UIDVALIDITY, et les Message-ID."""

    uids: Mapping[int, frozenset[int]]
    message_ids: frozenset[str]


@dataclass(frozen=True)
class CourrielLu:
    """Un nouveau courriel de la boîte : ses en-têtes, ce qu'il est, et son contenu s'il porte un calendrier."""

    uid: int
    message_id: str | None
    expediteur: str
    objet: str
    nature: Nature
    taille: int
    contenu: bytes | None = None


@dataclass(frozen=True)
class Releve:
    """Les nouveaux courriels d'un dossier, lus en une connexion."""

    dossier: str
    uidvalidity: int
    courriels: tuple[CourrielLu, ...]
    #: Les courriels du dossier déjà traités par un relevé précédent, ni relus ni comptés ailleurs.
    deja_releves: int
    #: La taille au-delà de laquelle un courriel n'est pas téléchargé, en octets.
    taille_max: int = TAILLE_MAX


def lire_boite(reglages: ReglagesImap, deja: DejaTraites, *, taille_max: int = TAILLE_MAX) -> Releve:
    """Les courriels pas encore traités du dossier ; seuls ceux qui portent un calendrier sont téléchargés."""
    with BoiteImap(reglages) as boite:
        connus = deja.uids.get(boite.uidvalidity, frozenset())
        tous = boite.uids()
        nouveaux = [uid for uid in tous if uid not in connus]
        vus = set(deja.message_ids)
        courriels: list[CourrielLu] = []
        for apercu in boite.apercus(nouveaux):
            courriel = examiner(apercu, vus, taille_max=taille_max)
            if courriel.nature == "calendrier":
                contenu = boite.telecharger(courriel.uid, taille_max)
                # Le serveur a pu annoncer une taille fausse : la limite vaut pour ce qui arrive vraiment.
                nature: Nature = "calendrier" if len(contenu) <= taille_max else "trop_volumineux"
                courriel = replace(courriel, nature=nature, contenu=contenu if nature == "calendrier" else None)
            courriels.append(courriel)
            if courriel.message_id:
                vus.add(courriel.message_id)
    deja_releves = len(tous) - len(nouveaux)
    return Releve(reglages.dossier, boite.uidvalidity, tuple(courriels), deja_releves, taille_max)


def examiner(apercu: Apercu, deja_vus: set[str], *, taille_max: int = TAILLE_MAX) -> CourrielLu:
    """Ce qu'est un courriel d'après sa structure, sa taille et son Message-ID, sans son contenu."""
    entetes = email.message_from_bytes(apercu.entetes, policy=email.policy.compat32)
    message_id = nettoyer(str(entetes.get("Message-ID") or ""), 500) or None
    nature: Nature
    if message_id is not None and message_id in deja_vus:
        nature = "deja_traite"
    elif not porte_un_calendrier(apercu.structure):
        nature = "sans_calendrier"
    elif apercu.taille > taille_max:
        nature = "trop_volumineux"
    else:
        nature = "calendrier"
    return CourrielLu(
        uid=apercu.uid,
        message_id=message_id,
        expediteur=_expediteur(_entete(entetes, "From")),
        objet=nettoyer(_entete(entetes, "Subject"), 120) or "(sans objet)",
        nature=nature,
        taille=apercu.taille,
    )


def _entete(entetes: email.message.Message, nom: str) -> str:
    """Un en-tête en texte : encodé RFC 2047 (« =?utf-8?q?…?= »), ou écrit en UTF-8 brut (RFC 6532)."""
    brut = entetes.get(nom)
    if brut is None:
        return ""
    if isinstance(brut, email.header.Header):  # des octets hors ASCII : de l'UTF-8 brut, le plus souvent
        return "".join(
            morceau.decode("utf-8", errors="replace") if isinstance(morceau, bytes) else morceau
            for morceau, _ in email.header.decode_header(brut)
        )
    try:
        return str(email.header.make_header(email.header.decode_header(brut)))
    except (ValueError, LookupError, UnicodeError):
        return str(brut)


def _expediteur(valeur: str) -> str:
    nom, adresse = email.utils.parseaddr(valeur)
    return nettoyer(adresse or nom or valeur, 120) or "(expéditeur inconnu)"
