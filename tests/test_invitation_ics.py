"""Les invitations iCalendar : relues par icalendar, vobject et libical, sous trois fuseaux de machine."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

import pytest
from icalendar import Calendar, Event

from gouvernance.erreurs import DonneesInvalides
from gouvernance.reunions.invitation_ics import construire_flux, construire_invitation
from gouvernance.reunions.vue import (
    FUSEAU,
    CoordinateurVue,
    InstitutionVue,
    OrientationVue,
    PersonneVue,
    PointVue,
    ReunionVue,
)

RACINE = Path(__file__).resolve().parent.parent
DOSSIER_ICS = Path(__file__).parent / "donnees" / "ics"
REFERENCE_COPIL = DOSSIER_ICS / "invitation_copil.ics"
PYTHON_SYSTEME = "/usr/bin/python3"
FUSEAUX_DE_MACHINE = ("UTC", "America/New_York", "Asia/Tokyo")
FORMAT_UTC = "%Y%m%dT%H%M%SZ"
HORODATAGE = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
PIRATE = "ATTENDEE:mailto:pirate@example.org"
#: Tout ce qu'un lecteur peut prendre pour une fin de ligne, et deux caractères de contrôle de plus.
SAUTS = ("\r\n", "\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029", "\x00", "\x1b")
#: Les seules propriétés que nos calendriers peuvent contenir.
PROPRIETES_ADMISES = {
    *("BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "X-WR-TIMEZONE"),
    *("TZID", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "DTSTART", "RRULE"),
    *("UID", "SEQUENCE", "DTSTAMP", "DTEND", "SUMMARY", "LOCATION", "URL", "DESCRIPTION", "COMMENT"),
    *("ORGANIZER", "ATTENDEE", "STATUS"),
}

ORIENTATION = OrientationVue("3.3", "Soutenir la parentalité", 3, "Accompagner les familles")
ORIENTATION_JEUNESSE = OrientationVue("2.1", "Ouvrir un accueil jeunes l'été", 2, "Jeunesse et citoyenneté")


def creer_personne(**changements: Any) -> PersonneVue:
    """Une personne invitée, membre de l'instance par défaut."""
    valeurs: dict[str, Any] = {
        "email": "helene.daubigne@caf31.example.org",
        "prenom": "Hélène",
        "nom": "d'Aubigné",
        "civilite": "Madame",
        "fonction": "Conseillère territoriale",
        "organisme": "Caf de la Haute-Garonne",
        "role": "membre",
    }
    valeurs.update(changements)
    return PersonneVue(**valeurs)


PRESIDENT = creer_personne(
    email="maire@lunion.example.org", prenom="Étienne", nom="Fictif", civilite="Monsieur", role="president"
)
INVITES = (
    PRESIDENT,
    creer_personne(),
    creer_personne(email="secretariat@lunion.example.org", prenom="Zoé", nom="Lefèvre", role="secretaire"),
    creer_personne(email="invitee@asso.example.org", prenom="Inès", nom="Invitée", role="invite"),
)
VUE_COPIL = ReunionVue(
    id=7,
    uid="reunion-7@ctg.example.org",
    sequence=0,
    statut="convoquee",
    territoire="L'Union",
    instance_code="COPIL",
    instance_intitule="Comité de pilotage de suivi",
    titre="Comité de pilotage – bilan de l'année",
    debut=datetime(2026, 12, 8, 17, 0, tzinfo=UTC),
    fin=datetime(2026, 12, 8, 19, 0, tzinfo=UTC),
    lieu="Salle du conseil, mairie de L'Union",
    visio="https://visio.example.org/copil-decembre",
    points=(
        PointVue(1, "Bilan des actions en faveur des familles", "Claire Fictive", 30, (ORIENTATION,)),
        PointVue(2, "Été jeunes : premiers résultats", None, 20, (ORIENTATION_JEUNESSE, ORIENTATION)),
        PointVue(3, "Questions diverses", None, None, ()),
    ),
    invites=INVITES,
    president=PRESIDENT,
    institution=InstitutionVue("Mairie de L'Union", "1 place de la Mairie\n31240 L'Union", None),
    coordinateur=CoordinateurVue(
        "Marie Coordinatrice", "Chargée de coopération CTG", "ctg@lunion.example.org", "05 61 00 00 00"
    ),
)


def creer_vue(**changements: Any) -> ReunionVue:
    """Le comité de pilotage de décembre 2026, modifié par `changements`."""
    return replace(VUE_COPIL, **changements)


def vue_annulee() -> ReunionVue:
    return creer_vue(sequence=1, statut="annulee", motif_annulation="Quorum impossible à réunir avant les fêtes.")


def a_paris(annee: int, mois: int, jour: int, heure: int) -> ReunionVue:
    """La réunion tenue à `heure` (heure de Paris) ce jour-là, enregistrée en UTC comme en base."""
    debut = datetime(annee, mois, jour, heure, tzinfo=FUSEAU).astimezone(UTC)
    return creer_vue(
        uid=f"reunion-{annee}{mois:02d}{jour:02d}@ctg.example.org", debut=debut, fin=debut + timedelta(hours=2)
    )


def inviter(vue: ReunionVue) -> bytes:
    return construire_invitation(vue, methode="REQUEST", horodatage=HORODATAGE)


def annuler(vue: ReunionVue) -> bytes:
    return construire_invitation(vue, methode="CANCEL", horodatage=HORODATAGE)


def lignes_logiques(octets: bytes) -> list[str]:
    """Les lignes du calendrier dépliées ; échoue si une fin de ligne n'est pas CRLF."""
    assert octets.endswith(b"\r\n")
    lignes: list[str] = []
    for ligne in octets[:-2].split(b"\r\n"):
        assert b"\r" not in ligne and b"\n" not in ligne
        texte = ligne.decode("utf-8")
        if texte.startswith((" ", "\t")):
            lignes[-1] += texte[1:]
        else:
            lignes.append(texte)
    return lignes


def noms_de_proprietes(octets: bytes) -> list[str]:
    return [re.split("[;:]", ligne, maxsplit=1)[0] for ligne in lignes_logiques(octets)]


def evenement(octets: bytes) -> Event:
    (lu,) = Calendar.from_ical(octets).walk("VEVENT")
    assert isinstance(lu, Event)
    return lu


# --- Lecteurs indépendants, dans des sous-processus sous plusieurs fuseaux -------------------------

#: (année, mois, jour, heure de Paris) et l'instant UTC attendu, écrit à la main et non calculé par zoneinfo.
CAS_HORAIRES: dict[str, tuple[tuple[int, int, int, int], str]] = {
    "hiver": ((2026, 12, 8, 18), "20261208T170000Z"),
    "ete": ((2027, 6, 15, 18), "20270615T160000Z"),
    "veille-du-passage-a-l-heure-d-ete": ((2027, 3, 27, 10), "20270327T090000Z"),
    "matin-du-passage-a-l-heure-d-ete": ((2027, 3, 28, 10), "20270328T080000Z"),
    "veille-du-passage-a-l-heure-d-hiver": ((2027, 10, 30, 10), "20271030T080000Z"),
    "matin-du-passage-a-l-heure-d-hiver": ((2027, 10, 31, 10), "20271031T090000Z"),
}
METHODES: tuple[Literal["REQUEST", "CANCEL"], ...] = ("REQUEST", "CANCEL")


def vue_piegee() -> ReunionVue:
    """Des sauts de ligne partout, et des noms pleins de guillemets, de points-virgules et de deux-points."""
    saut = f"\r\n{PIRATE}\r\n"
    point = PointVue(1, f"Bilan{saut}", f"Claire{saut}", None, (replace(ORIENTATION, intitule=f"Parentalité{saut}"),))
    return creer_vue(
        titre=f"Conseil{saut}END:VEVENT",
        lieu=f"Salle{saut}",
        motif_annulation=f"Tempête{saut}",
        points=(point,),
        invites=(
            creer_personne(
                email="boss@example.org", prenom='Jean "Le Boss"', nom="Dupont; ROLE=CHAIR: x", role="membre"
            ),
            creer_personne(email="sarl@example.org", prenom=f"Dupont{saut}", nom="& Fils <SARL>", role="invite"),
        ),
        coordinateur=replace(VUE_COPIL.coordinateur, nom=f'Marie "Coord"{saut}'),
    )


@pytest.fixture(scope="module")
def fichiers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Les calendriers que relisent les lecteurs externes, écrits une fois pour le module."""
    dossier = tmp_path_factory.mktemp("ics")
    contenus: dict[str, bytes] = {}
    for nom, (heure_de_paris, _) in CAS_HORAIRES.items():
        octets = inviter(a_paris(*heure_de_paris))
        contenus[nom] = octets
        # Un lecteur qui ne connaît pas le fuseau n'a plus que notre VTIMEZONE pour placer l'heure.
        contenus[f"{nom}-fuseau-inconnu"] = octets.replace(b"Europe/Paris", b"Fuseau-CTG-Inconnu")
    contenus["invitation"] = inviter(creer_vue())
    contenus["annulation"] = annuler(vue_annulee())
    contenus["flux"] = construire_flux(
        [vue_annulee(), a_paris(2027, 6, 15, 18), creer_vue(uid="planifiee@ctg.example.org", statut="planifiee")],
        horodatage=HORODATAGE,
        nom="Réunions CTG — L'Union",
    )
    contenus["piege"] = annuler(vue_piegee())
    # Témoin : sans ORGANIZER, libical doit protester, sans quoi « aucune erreur » ne prouverait rien.
    contenus["temoin-sans-organisateur"] = re.sub(rb"ORGANIZER[^\r]*\r\n", b"", contenus["invitation"])
    chemins = {}
    for nom, octets in contenus.items():
        chemins[nom] = dossier / f"{nom}.ics"
        chemins[nom].write_bytes(octets)
    return chemins


def _libical_absent() -> str | None:
    try:
        essai = subprocess.run(
            [PYTHON_SYSTEME, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as erreur:
        return f"{PYTHON_SYSTEME} introuvable ({erreur})"
    return None if essai.returncode == 0 else "paquets gir1.2-ical-3.0 et python3-gi : " + essai.stderr[-200:]


Lectures = dict[str, dict[str, Any]]


@pytest.fixture(scope="module", params=["vobject", "libical"])
def lectures(request: pytest.FixtureRequest, fichiers: dict[str, Path]) -> dict[str, Lectures]:
    """Pour chaque fuseau de machine, ce que le lecteur comprend de chaque fichier (clé : nom du fichier)."""
    if request.param == "libical":
        if raison := _libical_absent():
            # Import tardif : le sous-processus sous -O importe ce module sans le poids de conftest.
            from tests.conftest import manque

            manque("libical", raison)
        commande = [PYTHON_SYSTEME, str(DOSSIER_ICS / "lire_libical.py")]
    else:
        commande = [sys.executable, str(DOSSIER_ICS / "lire_vobject.py")]
    resultats: dict[str, Lectures] = {}
    for fuseau in FUSEAUX_DE_MACHINE:
        lecture = subprocess.run(
            [*commande, *map(str, fichiers.values())],
            env={**os.environ, "TZ": fuseau},
            capture_output=True,
            text=True,
            check=False,
        )
        assert lecture.returncode == 0, f"{request.param} sous TZ={fuseau} :\n{lecture.stderr}"
        lus = json.loads(lecture.stdout)
        resultats[fuseau] = {nom: lus[str(chemin)] for nom, chemin in fichiers.items()}
    return resultats


def lus_sous_chaque_fuseau(lectures: dict[str, Lectures], nom: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for fuseau, lus in lectures.items():
        yield fuseau, lus[nom]


@pytest.mark.parametrize("nom", CAS_HORAIRES)
def test_la_reunion_est_lue_a_la_meme_heure_par_trois_lecteurs_sous_trois_fuseaux(
    nom: str, lectures: dict[str, Lectures]
) -> None:
    (annee, mois, jour, heure), instant_utc = CAS_HORAIRES[nom]
    fin_utc = (datetime.strptime(instant_utc, FORMAT_UTC) + timedelta(hours=2)).strftime(FORMAT_UTC)
    octets = inviter(a_paris(annee, mois, jour, heure))
    assert f"DTSTART;TZID=Europe/Paris:{annee}{mois:02d}{jour:02d}T{heure:02d}0000" in lignes_logiques(octets)
    debut, fin = evenement(octets).start, evenement(octets).end
    assert isinstance(debut, datetime) and isinstance(fin, datetime)
    assert (debut.astimezone(UTC).strftime(FORMAT_UTC), fin.astimezone(UTC).strftime(FORMAT_UTC)) == (
        instant_utc,
        fin_utc,
    )
    for fuseau, lu in lus_sous_chaque_fuseau(lectures, nom):
        assert (lu["evenements"][0]["debut"], lu["evenements"][0]["fin"]) == (instant_utc, fin_utc), fuseau


@pytest.mark.parametrize("nom", CAS_HORAIRES)
def test_le_vtimezone_suffit_a_un_lecteur_qui_ne_connait_pas_le_fuseau(nom: str, lectures: dict[str, Lectures]) -> None:
    for fuseau, lu in lus_sous_chaque_fuseau(lectures, f"{nom}-fuseau-inconnu"):
        assert lu["evenements"][0]["debut"] == lectures[fuseau][nom]["evenements"][0]["debut"], fuseau


@pytest.mark.parametrize("lectures", ["libical"], indirect=True)
def test_libical_accepte_request_cancel_et_publish_selon_la_rfc_5546(lectures: dict[str, Lectures]) -> None:
    for nom in ["invitation", "annulation", "flux", "piege", *CAS_HORAIRES]:
        lu = lectures["UTC"][nom]
        assert lu["restriction_check"] == 1, nom
        assert lu["erreurs_de_lecture"] == [], nom
        assert lu["erreurs_itip"] == [], nom
    temoin = lectures["UTC"]["temoin-sans-organisateur"]
    assert temoin["restriction_check"] == 0
    assert any("ORGANIZER" in erreur for erreur in temoin["erreurs_itip"])


def test_chaque_lecteur_lit_l_invitation_avec_ses_participants_et_son_ordre_du_jour(
    lectures: dict[str, Lectures],
) -> None:
    for fuseau, lu in lus_sous_chaque_fuseau(lectures, "invitation"):
        assert lu["methode"] == "REQUEST", fuseau
        (lue,) = lu["evenements"]
        assert lue["uid"] == "reunion-7@ctg.example.org"
        assert lue["sequence"] == 0
        assert lue["statut"] == "CONFIRMED"
        assert lue["horodatage"] == "20261120T093000Z"
        assert lue["resume"] == "Comité de pilotage – bilan de l'année"
        assert lue["organisateur"]["adresse"] == "mailto:ctg@lunion.example.org"
        assert lue["organisateur"]["CN"] == "Marie Coordinatrice"
        assert [(p["adresse"], p["CN"], p["ROLE"]) for p in lue["participants"]] == [
            ("mailto:maire@lunion.example.org", "Étienne Fictif", "CHAIR"),
            ("mailto:helene.daubigne@caf31.example.org", "Hélène d'Aubigné", "REQ-PARTICIPANT"),
            ("mailto:secretariat@lunion.example.org", "Zoé Lefèvre", "REQ-PARTICIPANT"),
            ("mailto:invitee@asso.example.org", "Inès Invitée", "OPT-PARTICIPANT"),
        ]
        for participant in lue["participants"]:
            assert (participant["PARTSTAT"], participant["RSVP"], participant["CUTYPE"]) == (
                "NEEDS-ACTION",
                "TRUE",
                "INDIVIDUAL",
            )
        assert "Orientation 3.3 : Soutenir la parentalité (enjeu n°3 : Accompagner les familles)" in lue["description"]
        assert "2. Été jeunes : premiers résultats\n   Orientation 2.1 : " in lue["description"]
        assert lue["lieu"] == (
            "Salle du conseil, mairie de L'Union (ou en visioconférence : https://visio.example.org/copil-decembre)"
        )


def test_chaque_lecteur_lit_l_annulation_sous_le_meme_uid_avec_la_sequence_relevee(
    lectures: dict[str, Lectures],
) -> None:
    for fuseau, lu in lus_sous_chaque_fuseau(lectures, "annulation"):
        invitation = lectures[fuseau]["invitation"]["evenements"][0]
        assert lu["methode"] == "CANCEL", fuseau
        (lue,) = lu["evenements"]
        assert lue["uid"] == invitation["uid"]
        assert (lue["sequence"], lue["statut"]) == (1, "CANCELLED")
        assert lue["participants"] == invitation["participants"]
        assert "Motif : Quorum impossible à réunir avant les fêtes." in lue["description"]


def test_chaque_lecteur_lit_le_flux_avec_la_reunion_annulee(lectures: dict[str, Lectures]) -> None:
    for fuseau, lu in lus_sous_chaque_fuseau(lectures, "flux"):
        assert lu["methode"] == "PUBLISH", fuseau
        assert [(e["uid"], e["statut"], e["participants"]) for e in lu["evenements"]] == [
            # Même début : l'ordre des UID départage, pour des octets stables.
            ("planifiee@ctg.example.org", "TENTATIVE", []),
            ("reunion-7@ctg.example.org", "CANCELLED", []),
            ("reunion-20270615@ctg.example.org", "CONFIRMED", []),
        ]
        assert lu["evenements"][2]["debut"] == "20270615T160000Z"


def test_le_piege_ne_donne_a_chaque_lecteur_que_les_participants_prevus(lectures: dict[str, Lectures]) -> None:
    for fuseau, lu in lus_sous_chaque_fuseau(lectures, "piege"):
        (lue,) = lu["evenements"]
        assert [(p["adresse"], p["CN"], p["ROLE"]) for p in lue["participants"]] == [
            ("mailto:boss@example.org", "Jean 'Le Boss' Dupont; ROLE=CHAIR: x", "REQ-PARTICIPANT"),
            ("mailto:sarl@example.org", f"Dupont {PIRATE} & Fils <SARL>", "OPT-PARTICIPANT"),
        ], fuseau
        assert lue["organisateur"] == {
            **lectures[fuseau]["invitation"]["evenements"][0]["organisateur"],
            "CN": f"Marie 'Coord' {PIRATE}",
        }
        assert lue["resume"] == f"Conseil {PIRATE} END:VEVENT"
        assert lue["lieu"] == f"Salle {PIRATE} (ou en visioconférence : https://visio.example.org/copil-decembre)"


# --- Les octets eux-mêmes ---------------------------------------------------------------------------


def test_l_invitation_du_copil_est_identique_au_fichier_de_reference() -> None:
    octets = inviter(creer_vue())
    assert octets.decode("utf-8").splitlines() == REFERENCE_COPIL.read_bytes().decode("utf-8").splitlines()
    assert octets == REFERENCE_COPIL.read_bytes()


def test_les_memes_entrees_donnent_les_memes_octets() -> None:
    assert inviter(creer_vue()) == inviter(creer_vue())
    assert annuler(vue_piegee()) == annuler(vue_piegee())
    # Le même instant écrit dans un autre fuseau : le même DTSTAMP en UTC.
    a_la_reunion = construire_invitation(
        creer_vue(), methode="REQUEST", horodatage=HORODATAGE.astimezone(timezone(timedelta(hours=-5)))
    )
    assert a_la_reunion == inviter(creer_vue())


SCRIPT_REPRODUCTION = """
import json
from tests.test_invitation_ics import annuler, inviter, creer_vue, vue_piegee
print(json.dumps([inviter(creer_vue()).hex(), annuler(vue_piegee()).hex()]))
"""


def test_ni_le_fuseau_de_la_machine_ni_python_o_ne_changent_un_octet() -> None:
    """Sous -O, les assert de la bibliothèque disparaissent : l'échappement ne doit pas en dépendre."""
    reproduction = subprocess.run(
        [sys.executable, "-O", "-c", SCRIPT_REPRODUCTION],
        env={**os.environ, "TZ": "America/Cayenne"},
        cwd=RACINE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert reproduction.returncode == 0, reproduction.stderr
    assert [bytes.fromhex(h) for h in json.loads(reproduction.stdout)] == [inviter(creer_vue()), annuler(vue_piegee())]


@pytest.mark.parametrize(
    "octets",
    [
        pytest.param(lambda: inviter(creer_vue()), id="request"),
        pytest.param(lambda: annuler(vue_annulee()), id="cancel"),
        pytest.param(lambda: construire_flux([creer_vue()], horodatage=HORODATAGE, nom="CTG"), id="publish"),
    ],
)
def test_le_calendrier_a_des_lignes_crlf_de_75_octets_au_plus_et_un_seul_vtimezone_en_tete(
    octets: Callable[[], bytes],
) -> None:
    brut = octets()
    assert all(len(ligne) <= 75 for ligne in brut.split(b"\r\n"))
    noms = noms_de_proprietes(brut)
    assert set(noms) <= PROPRIETES_ADMISES
    lignes = lignes_logiques(brut)
    assert lignes[:4] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ctg-gouvernance//FR", "CALSCALE:GREGORIAN"]
    assert lignes[4] in {"METHOD:REQUEST", "METHOD:CANCEL", "METHOD:PUBLISH"}
    # Le VTIMEZONE est le premier composant, et le seul de son espèce.
    assert next(ligne for ligne in lignes[1:] if ligne.startswith("BEGIN:")) == "BEGIN:VTIMEZONE"
    assert lignes.count("BEGIN:VTIMEZONE") == 1
    # Pas d'UID au niveau du VCALENDAR : le seul UID est celui du VEVENT.
    assert noms.count("UID") == 1
    assert noms.index("UID") > noms.index("BEGIN", 1 + noms.index("END", noms.index("BEGIN", 1)))
    assert [ligne for ligne in lignes if ligne.startswith("DTSTAMP")] == ["DTSTAMP:20261120T093000Z"]


def test_l_invitation_porte_organisateur_participants_et_statut_confirme() -> None:
    lu = evenement(inviter(creer_vue()))
    assert Calendar.from_ical(inviter(creer_vue()))["METHOD"] == "REQUEST"
    assert (str(lu["UID"]), lu["SEQUENCE"], str(lu["STATUS"])) == ("reunion-7@ctg.example.org", 0, "CONFIRMED")
    assert str(lu["ORGANIZER"]) == "mailto:ctg@lunion.example.org"
    assert lu["ORGANIZER"].params["CN"] == "Marie Coordinatrice"
    participants = lu.attendees
    assert dict(participants[0].params) == {
        "CN": "Étienne Fictif",
        "CUTYPE": "INDIVIDUAL",
        "ROLE": "CHAIR",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE",
    }
    assert [p.params["ROLE"] for p in participants] == [
        "CHAIR",
        "REQ-PARTICIPANT",
        "REQ-PARTICIPANT",
        "OPT-PARTICIPANT",
    ]
    assert str(lu["URL"]) == "https://visio.example.org/copil-decembre"
    assert "Modifications" not in str(lu["DESCRIPTION"])


def test_l_annulation_garde_uid_et_participants_et_donne_le_motif() -> None:
    invitation, annulation = evenement(inviter(creer_vue())), evenement(annuler(vue_annulee()))
    assert Calendar.from_ical(annuler(vue_annulee()))["METHOD"] == "CANCEL"
    assert str(annulation["UID"]) == str(invitation["UID"])
    assert (annulation["SEQUENCE"], str(annulation["STATUS"])) == (1, "CANCELLED")
    assert annulation.attendees == invitation.attendees
    assert str(annulation["COMMENT"]) == "Motif de l'annulation : Quorum impossible à réunir avant les fêtes."
    description = str(annulation["DESCRIPTION"])
    assert "La réunion du mardi 8 décembre 2026 à 18\u00a0h\u00a000 est annulée.\nMotif : Quorum" in description
    assert "Ordre du jour :" in description


def test_la_description_est_en_francais_avec_les_orientations_et_leurs_enjeux() -> None:
    assert str(evenement(inviter(creer_vue()))["DESCRIPTION"]) == (
        "Comité de pilotage de suivi (COPIL)\n"
        "Convention territoriale globale de L'Union\n"
        "\n"
        "Ordre du jour :\n"
        "1. Bilan des actions en faveur des familles — Claire Fictive\n"
        "   Orientation 3.3 : Soutenir la parentalité (enjeu n°3 : Accompagner les familles)\n"
        "2. Été jeunes : premiers résultats\n"
        "   Orientation 2.1 : Ouvrir un accueil jeunes l'été (enjeu n°2 : Jeunesse et citoyenneté)\n"
        "   Orientation 3.3 : Soutenir la parentalité (enjeu n°3 : Accompagner les familles)\n"
        "3. Questions diverses\n"
        "\n"
        "Lieu : Salle du conseil, mairie de L'Union\n"
        "Visioconférence : https://visio.example.org/copil-decembre\n"
        "Contact : Marie Coordinatrice, Chargée de coopération CTG — ctg@lunion.example.org — 05 61 00 00 00"
    )


def test_une_modification_est_annoncee_et_un_ordre_du_jour_vide_est_dit() -> None:
    vue = creer_vue(sequence=2, points=(), changements=("Nouvelle date : mardi 15 décembre 2026 à 18 h",))
    lu = evenement(inviter(vue))
    assert lu["SEQUENCE"] == 2
    description = str(lu["DESCRIPTION"])
    assert "Modifications :\n- Nouvelle date : mardi 15 décembre 2026 à 18 h\n" in description
    assert "L'ordre du jour sera communiqué ultérieurement." in description


def test_les_accents_restent_intacts_en_utf8() -> None:
    brut = inviter(creer_vue())
    for texte in ("Comité de pilotage – bilan de l'année", "Hélène d'Aubigné", "Été jeunes", "enjeu n°3", "Zoé"):
        assert texte.encode("utf-8") in brut.replace(b"\r\n ", b"")
    assert "Ã" not in brut.decode("utf-8")


@pytest.mark.parametrize(
    "piege",
    [
        pytest.param(lambda t: creer_vue(titre=f"Conseil{t}"), id="titre"),
        pytest.param(lambda t: creer_vue(lieu=f"Salle{t}"), id="lieu"),
        pytest.param(lambda t: creer_vue(visio=f"https://visio.example.org/a{t}"), id="visio"),
        pytest.param(lambda t: creer_vue(territoire=f"L'Union{t}"), id="territoire"),
        pytest.param(lambda t: creer_vue(instance_intitule=f"Comité{t}", instance_code=f"COPIL{t}"), id="instance"),
        pytest.param(lambda t: creer_vue(motif_annulation=f"Grève{t}"), id="motif"),
        pytest.param(lambda t: creer_vue(changements=(f"Nouvelle salle{t}",)), id="changements"),
        pytest.param(lambda t: creer_vue(points=(PointVue(1, f"Bilan{t}", f"Claire{t}", None, ()),)), id="point"),
        pytest.param(
            lambda t: creer_vue(
                points=(
                    PointVue(
                        1, "Bilan", None, None, (OrientationVue(f"3.3{t}", f"Parentalité{t}", 3, f"Familles{t}"),)
                    ),
                )
            ),
            id="orientation",
        ),
        pytest.param(
            lambda t: creer_vue(invites=(creer_personne(prenom=f"Jean{t}", nom=f'Dupont "{t}" & Fils <SARL>'),)),
            id="nom-d-invite",
        ),
        pytest.param(
            lambda t: creer_vue(
                coordinateur=CoordinateurVue(f"Marie{t}", f"Chargée{t}", "ctg@lunion.example.org", f"05{t}")
            ),
            id="coordinateur",
        ),
    ],
)
def test_un_saut_de_ligne_dans_un_texte_n_ajoute_ni_propriete_ni_composant(piege: Callable[[str], ReunionVue]) -> None:
    # La référence : le même texte sans le saut de ligne, donc la même structure attendue.
    attendu = {
        m: noms_de_proprietes(construire_invitation(piege(f" {PIRATE} "), methode=m, horodatage=HORODATAGE))
        for m in METHODES
    }
    for saut in SAUTS:
        for methode in METHODES:
            brut = construire_invitation(piege(f"{saut}{PIRATE}{saut}"), methode=methode, horodatage=HORODATAGE)
            assert noms_de_proprietes(brut) == attendu[methode], repr(saut)
            sans_crlf = brut.replace(b"\r\n", b"")
            assert not re.search(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]", sans_crlf), repr(saut)
            assert len(Calendar.from_ical(brut).walk("VEVENT")) == 1


def test_un_nom_avec_guillemets_point_virgule_et_deux_points_reste_un_seul_parametre_cn() -> None:
    invite = creer_personne(prenom='Jean "Le Boss"', nom="Dupont & Fils <SARL>; ROLE=CHAIR: x", role="membre")
    brut = inviter(creer_vue(invites=(invite,)))
    ligne = next(ligne for ligne in lignes_logiques(brut) if ligne.startswith("ATTENDEE"))
    assert ligne == (
        "ATTENDEE;CN=\"Jean 'Le Boss' Dupont & Fils <SARL>; ROLE=CHAIR: x\";CUTYPE=INDIVIDUAL;"
        "PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:helene.daubigne@caf31.example.org"
    )
    (lu,) = evenement(brut).attendees
    assert lu.params["CN"] == "Jean 'Le Boss' Dupont & Fils <SARL>; ROLE=CHAIR: x"
    assert lu.params["ROLE"] == "REQ-PARTICIPANT"


@pytest.mark.parametrize(
    "adresse",
    [
        "a@b.org\r\nATTENDEE:mailto:pirate@example.org",
        "a@b.org\n",
        "a@b.org\x00",
        "a@b.org:x",
        "Jean <a@b.org>",
        "a@b",
        "",
        "a b@c.org",
    ],
)
def test_une_adresse_electronique_douteuse_est_refusee_en_francais(adresse: str) -> None:
    with pytest.raises(DonneesInvalides, match="Adresse électronique illisible pour Hélène d'Aubigné"):
        inviter(creer_vue(invites=(creer_personne(email=adresse),)))
    coordinateur = replace(VUE_COPIL.coordinateur, email=adresse)
    with pytest.raises(DonneesInvalides, match="Marie Coordinatrice"):
        construire_flux([creer_vue(coordinateur=coordinateur)], horodatage=HORODATAGE, nom="CTG")


def test_les_espaces_autour_d_une_adresse_sont_retirees() -> None:
    lu = evenement(inviter(creer_vue(invites=(creer_personne(email="  helene@caf31.example.org "),))))
    assert [str(p) for p in lu.attendees] == ["mailto:helene@caf31.example.org"]


@pytest.mark.parametrize(
    "visio", ["Teams (lien envoyé la veille)", "javascript:alert(1)", "https://visio.example.org/a b", "https://"]
)
def test_un_lien_de_visio_douteux_reste_du_texte_sans_propriete_url(visio: str) -> None:
    lu = evenement(inviter(creer_vue(visio=visio)))
    assert "URL" not in lu
    assert f"Visioconférence : {visio}" in str(lu["DESCRIPTION"])


def test_sans_lieu_la_visio_fait_le_lieu_et_sans_rien_il_n_y_a_pas_de_location() -> None:
    assert str(evenement(inviter(creer_vue(lieu=None)))["LOCATION"]) == (
        "Visioconférence : https://visio.example.org/copil-decembre"
    )
    assert "LOCATION" not in evenement(inviter(creer_vue(lieu=None, visio=None)))


def test_une_personne_invitee_deux_fois_n_a_qu_une_ligne_attendee() -> None:
    doublon = creer_personne(email="HELENE.daubigne@caf31.example.org ", role="invite")
    lu = evenement(inviter(creer_vue(invites=(creer_personne(), doublon))))
    assert [p.params["ROLE"] for p in lu.attendees] == ["REQ-PARTICIPANT"]


def test_le_coordinateur_qui_organise_est_organizer_et_jamais_participant_a_qui_l_on_demande_de_repondre() -> None:
    """Membre de l'instance, le coordinateur figure parmi les invités ; vobject ne lit de lui que l'ORGANIZER."""
    import vobject

    coordinateur = creer_personne(
        email=" CTG@lunion.example.org", prenom="Marie", nom="Coordinatrice", role="secretaire"
    )
    avec_lui = (*INVITES, coordinateur)
    for octets in (inviter(creer_vue(invites=avec_lui)), annuler(replace(vue_annulee(), invites=avec_lui))):
        (lu,) = vobject.readOne(octets.decode()).vevent_list
        assert lu.organizer.value == "mailto:ctg@lunion.example.org"
        assert lu.organizer.params["CN"] == ["Marie Coordinatrice"]
        adresses = [ligne.value.casefold() for ligne in lu.attendee_list]
        assert "mailto:ctg@lunion.example.org" not in adresses
        assert len(adresses) == len(INVITES)


def test_les_incoherences_de_l_appelant_sont_refusees() -> None:
    with pytest.raises(ValueError, match="sans fuseau"):
        inviter(creer_vue(debut=datetime(2026, 12, 8, 18, 0)))
    with pytest.raises(ValueError, match="sans fuseau"):
        construire_invitation(creer_vue(), methode="REQUEST", horodatage=datetime(2026, 11, 20, 9, 30))
    with pytest.raises(ValueError, match="finit avant de commencer"):
        inviter(creer_vue(fin=VUE_COPIL.debut))
    with pytest.raises(ValueError, match="annulée"):
        inviter(vue_annulee())
    with pytest.raises(ValueError, match="plusieurs fois"):
        construire_flux([creer_vue(), creer_vue(titre="Autre")], horodatage=HORODATAGE, nom="CTG")


def test_le_flux_publie_toutes_les_reunions_sans_participants_et_les_annulees_comme_telles() -> None:
    ete = a_paris(2027, 6, 15, 18)
    brut = construire_flux([ete, vue_annulee()], horodatage=HORODATAGE, nom="Réunions CTG — L'Union")
    calendrier = Calendar.from_ical(brut)
    assert (str(calendrier["METHOD"]), str(calendrier["X-WR-CALNAME"]), str(calendrier["X-WR-TIMEZONE"])) == (
        "PUBLISH",
        "Réunions CTG — L'Union",
        "Europe/Paris",
    )
    assert "UID" not in calendrier
    assert len(calendrier.walk("VTIMEZONE")) == 1
    evenements = calendrier.walk("VEVENT")
    # Triés par date : l'annulée de décembre 2026 d'abord, avec sa séquence relevée.
    assert [(str(e["UID"]), str(e["STATUS"]), e["SEQUENCE"]) for e in evenements] == [
        ("reunion-7@ctg.example.org", "CANCELLED", 1),
        ("reunion-20270615@ctg.example.org", "CONFIRMED", 0),
    ]
    assert all("ATTENDEE" not in e and "ORGANIZER" in e for e in evenements)
    assert construire_flux([vue_annulee(), ete], horodatage=HORODATAGE, nom="Réunions CTG — L'Union") == brut
