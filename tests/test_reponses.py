"""Les réponses reviennent : les iTIP REPLY d'Outlook, de Gmail et de Thunderbird s'enregistrent sur les invitations."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.erreurs import Introuvable
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reunions.cycle import appliquer_modification, marquer_annulee
from gouvernance.reunions.demande import lire_demande
from gouvernance.reunions.planification import enregistrer_reunion
from gouvernance.reunions.reponses import BilanReponses, appliquer_chemins, importer_octets
from gouvernance.reunions.reponses_fichiers import lire_fichier, lire_octets, lister_fichiers
from gouvernance.reunions.reponses_itip import ReponseIllisible, ReponseItip, lire_reponses
from modeles import Invitation, Personne, Reunion, StatutReunion
from modeles.moteur import creer_moteur, ouvrir_session
from tests.fabriques import DONNEES, charger_lunion

REPONSES = DONNEES / "reponses"
OUTLOOK = REPONSES / "outlook-claire-accepte.eml"
GMAIL = REPONSES / "gmail-karim-excuse.eml"
THUNDERBIRD = REPONSES / "thunderbird-sophie-peut-etre.ics"
UID = "copil-2026-12-08@ctg.example.org"
PLANIFIEE_LE = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
IMPORTEE_LE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
REUNION = """\
instance: COPIL
titre: Comité de pilotage de la CTG — bilan de l'année
debut: 2026-12-08 18:00
lieu: Salle du conseil, mairie de L'Union
invites: [sophie@example.org]
"""
PERSONNES = [
    ("claire@example.org", "Claire", "Fictive", "president"),
    ("karim@example.org", "Karim", "Modèle", "membre"),
    ("sophie@example.org", "Sophie", "Invitée", None),
    ("intrus@example.org", "Ivan", "Horslaliste", None),
]
COPIL = "réunion n°1 (COPIL, mardi 8 décembre 2026)"


def preparer_reunion(session: Session) -> Reunion:
    """Le COPIL du mardi 8 décembre 2026, convoqué : Claire et Karim (membres), Sophie (invitée en plus)."""
    territoire = charger_lunion(session)
    copil = exiger_instance(session, territoire, "COPIL")
    for adresse, prenom, nom, role in PERSONNES:
        personne = ajouter_personne(session, FichePersonne(email=adresse, prenom=prenom, nom=nom))
        if role:
            ajouter_membre(session, copil, personne, role)
    demande = lire_demande(REUNION, "reunion.yaml")
    reunion = enregistrer_reunion(session, territoire, demande, maintenant=PLANIFIEE_LE, uid=UID)
    reunion.statut = StatutReunion.CONVOQUEE
    session.flush()
    return reunion


def reponse_ics(
    email: str = "karim@example.org",
    partstat: str = "ACCEPTED",
    *,
    sequence: int | None = 0,
    dtstamp: str | None = "20261130T120000Z",
    uid: str = UID,
    methode: str = "REPLY",
    lignes: str = "",
) -> bytes:
    """Une réponse comme l'écrit Thunderbird, en CRLF."""
    proprietes = [f"UID:{uid}", f"ATTENDEE;CN=Quelqu'un;PARTSTAT={partstat}:mailto:{email}"]
    proprietes += [f"SEQUENCE:{sequence}"] if sequence is not None else []
    proprietes += [f"DTSTAMP:{dtstamp}"] if dtstamp else []
    proprietes += [ligne for ligne in lignes.splitlines() if ligne]
    texte = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
            "VERSION:2.0",
            f"METHOD:{methode}",
            "BEGIN:VEVENT",
            *proprietes,
            "ORGANIZER;CN=Nadia Prototype:mailto:cooperation.ctg@example.org",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    return texte.encode()


def importer(session: Session, *fichiers: tuple[str, bytes]) -> BilanReponses:
    return importer_octets(session, fichiers, maintenant=IMPORTEE_LE)


def invitation(session: Session, email: str) -> Invitation:
    requete = select(Invitation).join(Personne).where(Personne.email == email)
    trouvee: Invitation = session.scalars(requete).one()
    return trouvee


def etat_des_invitations(session: Session) -> list[tuple[str, str, str | None, datetime | None]]:
    session.expire_all()
    invitations = session.scalars(select(Invitation).order_by(Invitation.id))
    return [(i.personne.email, i.reponse, i.commentaire, i.repondu_le) for i in invitations]


# --- Lire les réponses, sans base ---------------------------------------------------------------


def test_la_reponse_outlook_en_base64_et_sa_piece_jointe_identique_donnent_une_seule_reponse() -> None:
    assert lire_reponses(OUTLOOK.read_bytes()) == (
        ReponseItip(
            uid=UID,
            email="Claire@Example.org",
            partstat="ACCEPTED",
            sequence=0,
            horodatage=datetime(2026, 11, 30, 8, 15, 12, tzinfo=UTC),
            commentaire=None,  # Outlook écrit « COMMENT:\n » quand l'invité n'a rien ajouté.
            expediteurs=("claire@example.org",),  # l'en-tête From du courriel
        ),
    )


def test_la_reponse_gmail_en_quoted_printable_garde_les_accents_de_son_commentaire() -> None:
    (reponse,) = lire_reponses(GMAIL.read_bytes())
    assert (reponse.email, reponse.partstat, reponse.sequence) == ("karim@example.org", "DECLINED", 0)
    assert reponse.commentaire == "Je suis en congé cette semaine-là, désolé."
    assert reponse.horodatage == datetime(2026, 11, 30, 9, 2, 11, tzinfo=UTC)


def test_la_reponse_thunderbird_se_lit_dans_un_fichier_ics_nu() -> None:
    (reponse,) = lire_reponses(THUNDERBIRD.read_bytes())
    assert (reponse.uid, reponse.email, reponse.partstat) == (UID, "sophie@example.org", "TENTATIVE")
    assert reponse.commentaire == "Sous réserve d'une autre réunion le même soir."


def test_une_reponse_transferee_en_message_rfc822_se_lit() -> None:
    transfert = EmailMessage(policy=SMTP)
    transfert["From"] = "secretariat@example.org"
    transfert["To"] = "cooperation.ctg@example.org"
    transfert["Subject"] = "TR: Refusé : Comité de pilotage de la CTG"
    transfert.set_content("Je te transfère la réponse de Karim.")
    transfert.add_attachment(GMAIL.read_bytes(), maintype="application", subtype="octet-stream", filename="r.eml")
    transfert.add_attachment(lire_message(GMAIL))
    (reponse,) = lire_reponses(transfert.as_bytes())
    assert (reponse.email, reponse.partstat) == ("karim@example.org", "DECLINED")


def lire_message(chemin: Path) -> EmailMessage:
    import email

    message = email.message_from_bytes(chemin.read_bytes(), _class=EmailMessage, policy=SMTP)
    assert isinstance(message, EmailMessage)
    return message


def test_une_delegation_donne_l_adresse_du_delegue_et_la_casse_de_mailto_ne_compte_pas() -> None:
    participant = 'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="MAILTO:adjointe@example.org":MAILTO:Karim@Example.org'
    octets = reponse_ics().replace(
        b"ATTENDEE;CN=Quelqu'un;PARTSTAT=ACCEPTED:mailto:karim@example.org", participant.encode()
    )
    (reponse,) = lire_reponses(octets)
    assert (reponse.email, reponse.partstat, reponse.delegue_a) == (
        "Karim@Example.org",
        "DELEGATED",
        "adjointe@example.org",
    )


def test_un_commentaire_hostile_perd_ses_caracteres_de_controle_et_d_inversion() -> None:
    octets = reponse_ics(lignes="COMMENT:Je viens\x1b]0;pirate\x07 \u202eà 18 h\\nsans faute")
    (reponse,) = lire_reponses(octets)
    assert reponse.commentaire == "Je viens ]0;pirate à 18 h sans faute"


DEUX_PARTICIPANTS = "ATTENDEE;PARTSTAT=DECLINED:mailto:claire@example.org"
MIME_IMBRIQUE = b"".join(
    b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(1500)
)


@pytest.mark.parametrize(
    ("octets", "attendu"),
    [
        (reponse_ics(methode="REQUEST"), "pas de réponse (METHOD:REPLY) mais une invitation (METHOD:REQUEST)"),
        (reponse_ics(methode="COUNTER"), "une proposition d'un autre horaire (METHOD:COUNTER)"),
        (b"", "aucune réponse de calendrier dans ce fichier"),
        (bytes(range(256)) * 50, "aucune réponse de calendrier dans ce fichier"),
        (b"BEGIN:VCALENDAR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "calendrier illisible : le contenu .ics est mal formé"),
        (reponse_ics()[:120], "calendrier vide ou incomplet"),
        (reponse_ics(lignes=DEUX_PARTICIPANTS), "la réponse nomme 2 participants (ATTENDEE)"),
        (reponse_ics().replace(b"ATTENDEE", b"X-ATTENDEE"), "réponse sans participant (ATTENDEE)"),
        (reponse_ics(partstat="NEEDS-ACTION"), "réponse (PARTSTAT) « NEEDS-ACTION » : on attend ACCEPTED"),
        (reponse_ics(email="pas-une-adresse"), "« mailto:pas-une-adresse » n'est pas une adresse électronique"),
        (reponse_ics(uid=""), "réponse sans UID"),
        (reponse_ics(dtstamp="99999999T999999Z"), "réponse mal formée : une de ses propriétés est illisible"),
        (reponse_ics(lignes="SEQUENCE:2"), "la réponse porte plusieurs propriétés SEQUENCE"),
        (reponse_ics(sequence=None, lignes="SEQUENCE:-1"), "révision (SEQUENCE) illisible"),
        (MIME_IMBRIQUE, "courriel illisible"),
        (reponse_ics(lignes="X-BOURRAGE:" + "x" * 1_100_000), "calendrier trop volumineux (plus de 1 Mo)"),
    ],
    ids=lambda valeur: str(valeur)[:30] if isinstance(valeur, str) else None,
)
def test_un_fichier_sans_reponse_exploitable_est_signale_en_francais_sans_arret(octets: bytes, attendu: str) -> None:
    with pytest.raises(ReponseIllisible) as erreur:
        lire_reponses(octets)
    assert attendu in erreur.value.message
    assert lire_octets("fichier.eml", octets).probleme == erreur.value.message


def test_un_fichier_trop_gros_ou_qui_n_est_pas_un_fichier_est_signale_sans_etre_lu(tmp_path: Path) -> None:
    enorme = tmp_path / "enorme.eml"
    with enorme.open("wb") as flux:
        flux.truncate(6 * 1024 * 1024)  # un fichier creux : rien n'est écrit sur le disque
    assert lire_fichier(enorme).probleme == "fichier trop volumineux (6,0 Mo ; 5 Mo au plus)"
    assert lire_fichier(Path("/dev/zero")).probleme == "ce n'est pas un fichier ordinaire : il n'est pas lu"


def test_un_dossier_se_lit_trie_sans_ses_autres_fichiers_et_un_chemin_absent_arrete_tout(tmp_path: Path) -> None:
    for nom in ("b.ICS", "a.eml", "notes.txt", "c.ics"):
        (tmp_path / nom).write_bytes(b"")
    (tmp_path / "sous-dossier.eml").mkdir()
    isole = REPONSES / "gmail-karim-excuse.eml"
    assert lister_fichiers([tmp_path, isole]) == [tmp_path / "a.eml", tmp_path / "b.ICS", tmp_path / "c.ics", isole]
    with pytest.raises(Introuvable, match=r"Ce chemin n'existe pas : .*absent\.eml\. Rien n'a été importé\."):
        lister_fichiers([isole, tmp_path / "absent.eml"])


# --- Enregistrer les réponses, sur SQLite et PostgreSQL -----------------------------------------


def test_les_reponses_d_outlook_gmail_et_thunderbird_s_enregistrent_et_un_second_import_ne_change_rien(
    session: Session,
) -> None:
    preparer_reunion(session)
    bilan = appliquer_chemins(session, [REPONSES], maintenant=IMPORTEE_LE)
    assert [r.ligne for r in bilan.resultats] == [
        f"{GMAIL} : karim@example.org s'est excusé(e) pour la {COPIL} — « Je suis en congé cette semaine-là, désolé. »",
        f"{OUTLOOK} : claire@example.org a accepté la {COPIL}",
        f"{THUNDERBIRD} : sophie@example.org a répondu peut-être pour la {COPIL} — "
        "« Sous réserve d'une autre réunion le même soir. »",
    ]
    assert bilan.resume() == "3 fichiers lus : 3 réponses enregistrées, 0 ignorée, 0 refusée."
    apres = etat_des_invitations(session)
    assert apres == [
        ("claire@example.org", "ACCEPTED", None, datetime(2026, 11, 30, 8, 15, 12, tzinfo=UTC)),
        (
            "karim@example.org",
            "DECLINED",
            "Je suis en congé cette semaine-là, désolé.",
            datetime(2026, 11, 30, 9, 2, 11, tzinfo=UTC),
        ),
        (
            "sophie@example.org",
            "TENTATIVE",
            "Sous réserve d'une autre réunion le même soir.",
            datetime(2026, 11, 30, 10, 15, tzinfo=UTC),
        ),
    ]

    encore = appliquer_chemins(session, [REPONSES], maintenant=datetime(2026, 12, 2, tzinfo=UTC))
    assert {(r.etat, r.raison) for r in encore.resultats} == {("ignore", "réponse déjà enregistrée")}
    assert encore.resume(simulation=True) == (
        "Simulation, rien n'a été enregistré. 3 fichiers lus : 0 réponse à enregistrer, 3 ignorées, 0 refusée."
    )
    assert etat_des_invitations(session) == apres


def test_une_reponse_a_une_version_depassee_est_refusee_et_celle_a_la_derniere_version_enregistree(
    session: Session,
) -> None:
    reunion = preparer_reunion(session)
    appliquer_modification(reunion, lieu="Salle des fêtes", maintenant=IMPORTEE_LE)
    assert reunion.sequence == 1
    bilan = importer(session, ("gmail.eml", GMAIL.read_bytes()), ("karim.ics", reponse_ics(sequence=1)))
    depassee, derniere = bilan.resultats
    assert (depassee.etat, depassee.reunion, depassee.email) == ("refuse", reunion.id, "karim@example.org")
    assert depassee.raison == (
        "réponse à une version dépassée (révision 0 ; la réunion en est à la révision 1) : "
        "le participant doit répondre à la dernière invitation"
    )
    assert depassee.ligne.startswith("gmail.eml (karim@example.org, réunion n°1) : réponse à une version dépassée")
    assert (derniere.etat, derniere.reponse) == ("applique", "ACCEPTED")
    assert invitation(session, "karim@example.org").reponse == "ACCEPTED"


def test_une_reponse_plus_ancienne_n_ecrase_jamais_la_plus_recente_quel_que_soit_l_ordre(session: Session) -> None:
    preparer_reunion(session)
    ancienne = ("ancienne.ics", reponse_ics(partstat="ACCEPTED", dtstamp="20261130T080000Z"))
    recente = ("recente.ics", reponse_ics(partstat="DECLINED", dtstamp="20261130T180000Z"))
    bilan = importer(session, recente, ancienne)
    assert [r.etat for r in bilan.resultats] == ["applique", "ignore"]
    assert bilan.resultats[1].raison == (
        "réponse plus ancienne que celle déjà enregistrée (du lundi 30 novembre 2026 à 19\u00a0h\u00a000) : "
        "elle ne la remplace pas"
    )
    assert invitation(session, "karim@example.org").reponse == "DECLINED"
    importer(session, ancienne, recente)
    karim = invitation(session, "karim@example.org")
    assert (karim.reponse, karim.repondu_le) == ("DECLINED", datetime(2026, 11, 30, 18, 0, tzinfo=UTC))


def test_uid_inconnu_personne_non_invitee_et_reunion_annulee_sont_refuses_sans_rien_enregistrer(
    session: Session,
) -> None:
    reunion = preparer_reunion(session)
    avant = etat_des_invitations(session)
    bilan = importer(
        session,
        ("inconnu.ics", reponse_ics(uid="autre-reunion@ailleurs.example")),
        ("intrus.ics", reponse_ics(email="Intrus@Example.org")),
        ("requete.ics", reponse_ics(methode="REQUEST")),
    )
    assert [(r.etat, r.raison) for r in bilan.resultats] == [
        ("refuse", "aucune réunion ne porte l'UID « autre-reunion@ailleurs.example » dans cette base"),
        (
            "refuse",
            f"Intrus@Example.org n'est pas invité(e) à la {COPIL} : vérifiez son adresse dans l'annuaire (`ctg personnes`)",
        ),
        ("refuse", "ce fichier ne contient pas de réponse (METHOD:REPLY) mais une invitation (METHOD:REQUEST)"),
    ]
    marquer_annulee(reunion, "Quorum impossible à réunir")
    (annulee,) = importer(session, ("claire.eml", OUTLOOK.read_bytes())).resultats
    assert (annulee.etat, annulee.raison) == (
        "refuse",
        f"réponse à une réunion annulée (la {COPIL}) : elle n'est pas enregistrée",
    )
    assert etat_des_invitations(session) == avant


def test_sans_dtstamp_la_reponse_prend_l_heure_de_l_import_et_une_delegation_s_enregistre(session: Session) -> None:
    preparer_reunion(session)
    octets = reponse_ics(dtstamp=None, partstat="DELEGATED")
    octets = octets.replace(b"PARTSTAT=DELEGATED", b'PARTSTAT=DELEGATED;DELEGATED-TO="mailto:adjointe@example.org"')
    (resultat,) = importer(session, ("delegation.ics", octets)).resultats
    assert resultat.ligne == (
        f"delegation.ics : karim@example.org a délégué sa participation à la {COPIL}, à adjointe@example.org ; "
        "adjointe@example.org est désormais invité(e), ajouté(e) à l'annuaire sous son adresse : complétez sa "
        "fiche avec `ctg personnes modifier adjointe@example.org --prenom … --nom …`"
    )
    assert resultat.en_json() == {
        "fichier": "delegation.ics",
        "reunion": 1,
        "email": "karim@example.org",
        "reponse": "DELEGATED",
        "etat": "applique",
        "raison": None,
        "commentaire": None,
        "delegue_a": "adjointe@example.org",
    }
    karim = invitation(session, "karim@example.org")
    assert (karim.reponse, karim.repondu_le, karim.delegue_a) == ("DELEGATED", IMPORTEE_LE, "adjointe@example.org")
    assert invitation(session, "adjointe@example.org").role == "invite"
    (relu,) = importer(session, ("delegation.ics", octets)).resultats
    assert relu.etat == "ignore"


# --- La commande `ctg reponses importer` --------------------------------------------------------


@pytest.fixture
def ctg_home(tmp_path: Path, modele_sqlite: Path) -> Iterator[Path]:
    """Un dossier CTG_HOME : base SQLite migrée, L'Union et le COPIL du 8 décembre convoqué."""
    from flows.cli import contexte

    dossier = tmp_path / "ctg-donnees"
    dossier.mkdir()
    shutil.copyfile(modele_sqlite, dossier / "ctg.sqlite3")
    moteur = creer_moteur(f"sqlite:///{dossier / 'ctg.sqlite3'}")
    with ouvrir_session(moteur, ecriture=True) as session:
        preparer_reunion(session)
    moteur.dispose()
    contexte.reglages.cache_clear()
    contexte.moteur.cache_clear()
    yield dossier
    if contexte.moteur.cache_info().currsize:
        contexte.moteur().dispose()
    contexte.reglages.cache_clear()
    contexte.moteur.cache_clear()


def lancer(ctg_home: Path, *arguments: str) -> tuple[int, str]:
    from flows.cli.reponses import groupe_reponses

    environnement = {"CTG_HOME": str(ctg_home), "CTG_DATABASE_URL": None, "COLUMNS": "200", "NO_COLOR": "1"}
    resultat = CliRunner().invoke(groupe_reponses, ["importer", *arguments], env=environnement)
    if resultat.exception is not None and not isinstance(resultat.exception, SystemExit):
        return resultat.exit_code, str(resultat.exception)
    return resultat.exit_code, resultat.output


def reponses_en_base(ctg_home: Path) -> list[tuple[str, str]]:
    moteur = creer_moteur(f"sqlite:///{ctg_home / 'ctg.sqlite3'}")
    with ouvrir_session(moteur) as session:
        etat = [(email, reponse) for email, reponse, _, _ in etat_des_invitations(session)]
    moteur.dispose()
    return etat


def test_la_commande_importe_un_dossier_la_simulation_n_enregistre_rien_et_un_second_passage_ne_change_rien(
    ctg_home: Path, tmp_path: Path
) -> None:
    boite = tmp_path / "réponses reçues"
    shutil.copytree(REPONSES, boite)
    (boite / "inconnu.ics").write_bytes(reponse_ics(uid="autre@ailleurs.example"))
    (boite / "a-lire.txt").write_text("Penser à relancer Karim.", encoding="utf-8")
    sans_reponse = [(e, "NEEDS-ACTION") for e in ("claire@example.org", "karim@example.org", "sophie@example.org")]

    code, sortie = lancer(ctg_home, str(boite), "--json", "--simulation")
    assert code == 0, sortie
    simulation = json.loads(sortie)
    assert [(Path(r["fichier"]).name, r["etat"], r["reponse"]) for r in simulation] == [
        ("gmail-karim-excuse.eml", "applique", "DECLINED"),
        ("inconnu.ics", "refuse", "ACCEPTED"),
        ("outlook-claire-accepte.eml", "applique", "ACCEPTED"),
        ("thunderbird-sophie-peut-etre.ics", "applique", "TENTATIVE"),
    ]
    assert simulation[2] | {"fichier": None} == {
        "fichier": None,
        "reunion": 1,
        "email": "claire@example.org",
        "reponse": "ACCEPTED",
        "etat": "applique",
        "raison": None,
        "commentaire": None,
        "delegue_a": None,
    }
    assert reponses_en_base(ctg_home) == sans_reponse

    code, sortie = lancer(ctg_home, str(boite))
    assert code == 0, sortie
    assert f"✓ {boite / 'outlook-claire-accepte.eml'} : claire@example.org a accepté la {COPIL}\n" in sortie
    assert f"✗ {boite / 'inconnu.ics'} (karim@example.org) : aucune réunion ne porte l'UID" in sortie
    assert sortie.endswith("4 fichiers lus : 3 réponses enregistrées, 0 ignorée, 1 refusée.\n")
    enregistrees = [
        ("claire@example.org", "ACCEPTED"),
        ("karim@example.org", "DECLINED"),
        ("sophie@example.org", "TENTATIVE"),
    ]
    assert reponses_en_base(ctg_home) == enregistrees

    code, sortie = lancer(ctg_home, str(boite), "--json")
    assert code == 0, sortie
    assert [r["etat"] for r in json.loads(sortie)] == ["ignore", "refuse", "ignore", "ignore"]
    assert reponses_en_base(ctg_home) == enregistrees


def test_un_chemin_absent_arrete_la_commande_avec_le_code_1(ctg_home: Path) -> None:
    code, message = lancer(ctg_home, str(REPONSES), str(ctg_home / "introuvable.eml"))
    assert code == 1
    assert message == f"Ce chemin n'existe pas : {ctg_home / 'introuvable.eml'}. Rien n'a été importé."
    assert reponses_en_base(ctg_home)[0] == ("claire@example.org", "NEEDS-ACTION")


def test_une_reponse_se_decrit_avec_la_civilite_et_s_accorde(session: Session) -> None:
    """« Mme Fictive (claire@example.org) s'est excusée », et non « s'est excusé(e) », quand la civilité est connue."""
    preparer_reunion(session)
    invitation(session, "claire@example.org").personne.civilite = "Madame"
    bilan = importer(session, ("refus.ics", reponse_ics("claire@example.org", "DECLINED")))
    assert [r.ligne for r in bilan.resultats] == [
        f"refus.ics : Mme Fictive (claire@example.org) s'est excusée pour la {COPIL}"
    ]
