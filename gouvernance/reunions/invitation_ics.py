"""Les invitations iCalendar d'une réunion : REQUEST et CANCEL (iTIP/iMIP), et le flux PUBLISH d'un agenda.

Des fonctions pures : l'heure (DTSTAMP) et l'UID viennent des paramètres, jamais de l'horloge ni du hasard,
si bien que les mêmes entrées donnent les mêmes octets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from icalendar import Calendar, Event, Timezone, vCalAddress

from gouvernance.reunions.ics_textes import (
    courriel_sur,
    decrire,
    lieu_affiche,
    nom_de_parametre,
    texte_une_ligne,
    url_visio,
)
from gouvernance.reunions.vue import FUSEAU, CoordinateurVue, PersonneVue, ReunionVue
from gouvernance.textes import contient_controle
from modeles.vocabulaire import ReponseInvitation, RoleMembre, StatutReunion

PRODID = "-//ctg-gouvernance//FR"

#: Europe/Paris en règles annuelles (RRULE avec BYDAY), la forme que lisent juste Outlook, libical et vobject ;
#: les listes RDATE que génère icalendar décalent d'une heure l'heure d'été chez certains lecteurs.
VTIMEZONE_PARIS = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Paris\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)

#: Le ROLE iCalendar de chaque rôle dans l'instance ; les autres (membre, vice-président…) : REQ-PARTICIPANT.
ROLES: dict[str, str] = {RoleMembre.PRESIDENT: "CHAIR", RoleMembre.INVITE: "OPT-PARTICIPANT"}

#: Le STATUS d'une réunion dans le flux ; convoquée ou tenue : CONFIRMED.
STATUTS_FLUX: dict[str, str] = {StatutReunion.ANNULEE: "CANCELLED", StatutReunion.PLANIFIEE: "TENTATIVE"}


def construire_invitation(reunion: ReunionVue, *, methode: Literal["REQUEST", "CANCEL"], horodatage: datetime) -> bytes:
    """L'invitation (REQUEST) ou l'annulation (CANCEL) à joindre au courriel de chaque invité."""
    if methode not in ("REQUEST", "CANCEL"):
        raise ValueError(f"méthode iTIP inconnue : {methode!r}")
    annulee = methode == "CANCEL"
    if not annulee and reunion.statut == StatutReunion.ANNULEE:
        raise ValueError(f"la réunion {reunion.uid} est annulée : on ne peut plus l'envoyer en REQUEST")
    evenement = _evenement(reunion, horodatage, annulee=annulee)
    evenement.add("status", "CANCELLED" if annulee else "CONFIRMED")
    if annulee and (motif := texte_une_ligne(reunion.motif_annulation or "")):
        evenement.add("comment", f"Motif de l'annulation : {motif}")
    # Le coordinateur est l'ORGANIZER : il n'est pas ATTENDEE de sa propre réunion, ni prié d'y répondre.
    for invite in _invites_sans_doublon(reunion.a_convoquer):
        evenement.add("attendee", _participant(invite))
    octets: bytes = _calendrier(methode, [evenement]).to_ical()
    return octets


def construire_flux(reunions: Sequence[ReunionVue], *, horodatage: datetime, nom: str) -> bytes:
    """Le flux d'abonnement (METHOD:PUBLISH) des réunions, annulées comprises pour que l'agenda les retire."""
    uids = [r.uid for r in reunions]
    if doublons := sorted({u for u in uids if uids.count(u) > 1}):
        raise ValueError(f"UID présents plusieurs fois dans le flux : {', '.join(doublons)}")
    evenements = []
    for reunion in sorted(reunions, key=lambda r: (r.debut, r.uid)):
        evenement = _evenement(reunion, horodatage, annulee=reunion.statut == StatutReunion.ANNULEE)
        evenement.add("status", STATUTS_FLUX.get(reunion.statut, "CONFIRMED"))
        # Pas d'ATTENDEE : la RFC 5546 (§3.2.1) n'en admet aucun en PUBLISH, un abonné n'a pas à répondre,
        # et une URL d'abonnement circule plus largement qu'un courriel : elle ne doit pas lister les adresses
        # des partenaires. L'ORGANIZER, exigé par PUBLISH, est l'adresse professionnelle du coordinateur.
        evenements.append(evenement)
    calendrier = _calendrier("PUBLISH", evenements)
    calendrier.add("x-wr-calname", texte_une_ligne(nom))
    calendrier.add("x-wr-timezone", FUSEAU.key)
    octets: bytes = calendrier.to_ical()
    return octets


def _calendrier(methode: str, evenements: list[Event]) -> Calendar:
    # Calendar() et non Calendar.new(), qui ajouterait un UID au VCALENDAR (RFC 7986) tiré au hasard.
    calendrier = Calendar()
    calendrier.add("prodid", PRODID)
    calendrier.add("version", "2.0")
    calendrier.add("calscale", "GREGORIAN")
    calendrier.add("method", methode)
    calendrier.add_component(Timezone.from_ical(VTIMEZONE_PARIS))
    for evenement in evenements:
        calendrier.add_component(evenement)
    return calendrier


def _evenement(reunion: ReunionVue, horodatage: datetime, *, annulee: bool) -> Event:
    for nom, moment in (("debut", reunion.debut), ("fin", reunion.fin), ("horodatage", horodatage)):
        if moment.utcoffset() is None:
            raise ValueError(f"{nom} sans fuseau horaire : {moment.isoformat()}")
    if reunion.fin <= reunion.debut:
        raise ValueError(f"la réunion {reunion.uid} finit avant de commencer")
    if not reunion.uid or contient_controle(reunion.uid):
        raise ValueError(f"UID de réunion invalide : {reunion.uid!r}")
    evenement = Event()
    # Event() et non Event.new(), qui lirait l'horloge pour DTSTAMP.
    evenement.add("uid", reunion.uid)
    evenement.add("sequence", reunion.sequence)
    evenement.add("dtstamp", horodatage.astimezone(UTC))
    evenement.add("dtstart", reunion.debut.astimezone(FUSEAU))
    evenement.add("dtend", reunion.fin.astimezone(FUSEAU))
    evenement.add("summary", texte_une_ligne(reunion.titre))
    if lieu := lieu_affiche(reunion):
        evenement.add("location", lieu)
    # URL : Apple Calendar et Thunderbird l'affichent en lien cliquable ; Outlook l'ignore sans erreur.
    # CONFERENCE (RFC 7986) n'est lu par presque aucun client : le lien est aussi dans LOCATION et DESCRIPTION.
    if lien := url_visio(reunion.visio):
        evenement.add("url", lien)
    evenement.add("description", decrire(reunion, annulee=annulee))
    evenement.add("organizer", _organisateur(reunion.coordinateur))
    return evenement


def _organisateur(coordinateur: CoordinateurVue) -> vCalAddress:
    adresse = vCalAddress(f"mailto:{courriel_sur(coordinateur.email, coordinateur.nom)}")
    if cn := nom_de_parametre(coordinateur.nom):
        adresse.params["CN"] = cn
    return adresse


def _participant(personne: PersonneVue) -> vCalAddress:
    adresse = vCalAddress(f"mailto:{courriel_sur(personne.email, personne.nom_complet)}")
    if cn := nom_de_parametre(personne.nom_complet):
        adresse.params["CN"] = cn
    adresse.params["CUTYPE"] = "INDIVIDUAL"
    adresse.params["ROLE"] = ROLES.get(personne.role, "REQ-PARTICIPANT")
    adresse.params["PARTSTAT"] = ReponseInvitation.SANS_REPONSE.value
    adresse.params["RSVP"] = "TRUE"
    return adresse


def _invites_sans_doublon(invites: Sequence[PersonneVue]) -> list[PersonneVue]:
    """Une seule ligne ATTENDEE par adresse (la première rencontrée), comme l'attendent les clients."""
    vus: set[str] = set()
    uniques = []
    for invite in invites:
        cle = invite.email.strip().casefold()
        if cle not in vus:
            vus.add(cle)
            uniques.append(invite)
    return uniques
