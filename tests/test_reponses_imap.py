"""Le relevé IMAP : un vrai dovecot sur la boucle locale, la boîte du coordinateur lue sans être modifiée."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.cycle import appliquer_modification
from gouvernance.reunions.imap.erreurs import BoiteInaccessible, ConnexionPerdue
from gouvernance.reunions.imap.reglages import ReglagesImap, exiger_reglages_imap, lire_reglages_imap
from gouvernance.reunions.imap.releve import (
    BilanReleve,
    DejaTraites,
    charger_deja_traites,
    enregistrer_releve,
    lire_boite,
)
from gouvernance.reunions.imap.reponse_imap import Valeur, lire_reponses_fetch
from gouvernance.reunions.imap.structure import porte_un_calendrier
from modeles import CourrielRecu, Personne
from modeles.moteur import creer_moteur, ouvrir_session
from tests.conftest import manque
from tests.serveur_imap import ServeurImap
from tests.test_reponses import (
    COPIL,
    GMAIL,
    OUTLOOK,
    THUNDERBIRD,
    etat_des_invitations,
    preparer_reunion,
    reponse_ics,
)

RELEVE_LE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SANS_REPONSE = [(e, "NEEDS-ACTION") for e in ("claire@example.org", "karim@example.org", "sophie@example.org")]


def courriel(
    expediteur: str, objet: str, texte: str = "Bonjour.", *, calendrier: bytes | None = None, piece: bytes = b""
) -> bytes:
    """Un courriel comme en envoie une messagerie : texte, partie text/calendar et pièce .ics éventuelles."""
    message = EmailMessage(policy=SMTP)
    message["From"] = expediteur
    message["To"] = "Nadia Prototype <cooperation.ctg@example.org>"
    message["Subject"] = objet
    message["Message-ID"] = f"<{abs(hash((expediteur, objet, texte)))}@messagerie.example.org>"
    message.set_content(texte)
    if calendrier is not None:
        message.add_alternative(calendrier, maintype="text", subtype="calendar", params={"method": "REPLY"})
        message.add_attachment(calendrier, maintype="application", subtype="ics", filename="invite.ics")
    if piece:
        message.add_attachment(piece, maintype="application", subtype="pdf", filename="Rapport d'activité.pdf")
    return message.as_bytes()


def thunderbird() -> bytes:
    """La réponse de Sophie telle que Thunderbird l'envoie (le .ics des données de test dans un courriel)."""
    return courriel(
        "Sophie Invitée <sophie@example.org>",
        "Peut-être : Comité de pilotage de la CTG",
        "Sophie Invitée a répondu peut-être.",
        calendrier=THUNDERBIRD.read_bytes(),
    )


def ordinaire(objet: str = "Rapport d'activité 2026") -> bytes:
    """Un courriel sans calendrier, avec une pièce jointe de 200 ko qu'un relevé n'a pas à télécharger."""
    return courriel("Service jeunesse <jeunesse@example.org>", objet, "Ci-joint le rapport.", piece=os.urandom(200_000))


def inconnue() -> bytes:
    """Une réponse à une réunion que la base ne connaît pas."""
    return courriel(
        "Karim Modèle <karim@example.org>",
        "Accepté : Réunion d'une autre commune",
        calendrier=reponse_ics(uid="reunion-inconnue@ailleurs.example"),
    )


def relever(session: Session, reglages: ReglagesImap, **options: int) -> BilanReleve:
    """Un relevé complet, comme le fait le flux : ce qui est déjà traité, la lecture, puis l'enregistrement."""
    releve = lire_boite(reglages, charger_deja_traites(session, reglages.dossier), **options)
    return enregistrer_releve(session, releve, maintenant=RELEVE_LE)


def sessions_apres(serveur: ServeurImap, boite: str, nombre: int) -> list[dict[str, int]]:
    """Les compteurs des `nombre` premières sessions IMAP, une fois que dovecot les a toutes écrites au journal."""
    limite = time.monotonic() + 5
    while len(sessions := serveur.sessions_terminees(boite)) < nombre and time.monotonic() < limite:
        time.sleep(0.05)
    return sessions


# --- Les réponses arrivent par la boîte, sur SQLite et PostgreSQL ------------------------------


def test_le_releve_enregistre_outlook_gmail_thunderbird_sans_toucher_la_boite_et_un_second_releve_ne_relit_rien(
    session: Session, serveur_imap: ServeurImap
) -> None:
    preparer_reunion(session)
    boite = serveur_imap.nouvelle_boite()
    calendriers = [OUTLOOK.read_bytes(), GMAIL.read_bytes(), thunderbird(), inconnue()]
    serveur_imap.deposer(boite, *calendriers[:2], ordinaire(), *calendriers[2:])
    serveur_imap.deposer(boite, ordinaire("Déjà lu"), lu=True)
    drapeaux = serveur_imap.drapeaux(boite)
    assert drapeaux[6] == "\\Seen \\Recent"

    bilan = relever(session, serveur_imap.reglages(boite))
    assert [(ligne.uid, ligne.expediteur, ligne.etat, ligne.reponse, ligne.reunion) for ligne in bilan.lignes] == [
        (1, "Claire@Example.org", "applique", "ACCEPTED", 1),
        (2, "karim@example.org", "applique", "DECLINED", 1),
        (4, "sophie@example.org", "applique", "TENTATIVE", 1),
        (5, "karim@example.org", "refuse", "ACCEPTED", None),
    ]
    assert bilan.lignes[1].ligne == (
        "karim@example.org, « Refusé : Comité de pilotage de la CTG @ mar. 8 déc. 2026 18:00 - 20:00 (UTC+1) » : "
        f"karim@example.org s'est excusé(e) pour la {COPIL} — « Je suis en congé cette semaine-là, désolé. »"
    )
    assert bilan.lignes[3].raison == (
        "réponse de karim@example.org : aucune réunion ne porte l'UID « reunion-inconnue@ailleurs.example » "
        "dans cette base"
    )
    assert bilan.resume() == (
        "6 nouveaux courriels dans « INBOX » : 3 réponses enregistrées, 0 ignorée, 1 refusée ; "
        "2 sans calendrier (non téléchargés)."
    )
    apres = etat_des_invitations(session)
    assert [(email, reponse) for email, reponse, _, _ in apres] == [
        ("claire@example.org", "ACCEPTED"),
        ("karim@example.org", "DECLINED"),
        ("sophie@example.org", "TENTATIVE"),
    ]
    traites = session.scalars(select(CourrielRecu).order_by(CourrielRecu.uid)).all()
    assert [(c.dossier, c.uid, c.resultat) for c in traites] == [
        ("INBOX", 1, "applique"),
        ("INBOX", 2, "applique"),
        ("INBOX", 3, "sans_calendrier"),
        ("INBOX", 4, "applique"),
        ("INBOX", 5, "refuse"),
        ("INBOX", 6, "sans_calendrier"),
    ]
    assert traites[0].message_id == "<PR3P195MB0712A1B2C3D4E5F6@PR3P195MB0712.EURP195.PROD.OUTLOOK.COM>"

    encore = relever(session, serveur_imap.reglages(boite))
    assert (encore.lignes, encore.resume()) == ((), "Aucun nouveau courriel dans « INBOX » (6 courriels déjà relevés).")
    assert etat_des_invitations(session) == apres
    assert len(session.scalars(select(CourrielRecu)).all()) == 6
    assert serveur_imap.drapeaux(boite) == drapeaux  # ni « lu », ni « récent » consommé, rien de déplacé

    # Le journal de dovecot compte ce qu'il a envoyé : deux dépôts, les drapeaux, puis les deux relevés.
    premier, second = sessions_apres(serveur_imap, boite, 6)[3:5]
    assert premier["body_count"] == 4  # les quatre courriels à calendrier, pas les deux ordinaires (200 ko chacun)
    assert premier["body_bytes"] == sum(len(contenu) for contenu in calendriers)
    assert premier["out"] < 60_000
    assert (second["body_count"], second["hdr_count"]) == (0, 0)  # rien n'est relu


def test_seul_le_courriel_arrive_depuis_le_dernier_releve_est_lu_et_une_version_depassee_est_signalee(
    session: Session, serveur_imap: ServeurImap
) -> None:
    reunion = preparer_reunion(session)
    boite = serveur_imap.nouvelle_boite()
    serveur_imap.deposer(boite, OUTLOOK.read_bytes())
    assert relever(session, serveur_imap.reglages(boite)).nombre("applique") == 1

    appliquer_modification(reunion, lieu="Salle des fêtes", maintenant=RELEVE_LE)
    karim = reponse_ics(sequence=1, dtstamp="20261201T100000Z")
    invitation = courriel(
        "collegue@example.org", "Invitation : point budget", calendrier=reponse_ics(methode="REQUEST")
    )
    serveur_imap.deposer(
        boite, GMAIL.read_bytes(), courriel("karim@example.org", "Accepté", calendrier=karim), invitation
    )
    bilan = relever(session, serveur_imap.reglages(boite))
    assert [(ligne.uid, ligne.etat, ligne.raison) for ligne in bilan.lignes] == [
        (
            2,
            "refuse",
            "réponse de karim@example.org : réponse à une version dépassée (révision 0 ; la réunion en est à la "
            "révision 1) : le participant doit répondre à la dernière invitation",
        ),
        (3, "applique", None),
        (4, "refuse", "ce courriel ne contient pas de réponse (METHOD:REPLY) mais une invitation (METHOD:REQUEST)"),
    ]
    assert bilan.resume().startswith("3 nouveaux courriels dans « INBOX » (1 courriel déjà relevé) : ")
    assert [reponse for _, reponse, _, _ in etat_des_invitations(session)] == ["ACCEPTED", "ACCEPTED", "NEEDS-ACTION"]


def test_retraiter_relit_une_reponse_refusee_une_fois_l_annuaire_corrige_et_elle_seule(
    session: Session, serveur_imap: ServeurImap
) -> None:
    preparer_reunion(session)
    boite = serveur_imap.nouvelle_boite()
    # Karim répond depuis son adresse personnelle, que l'annuaire ne connaît pas encore.
    perso = reponse_ics("karim.modele@perso.example.net", "DECLINED")
    serveur_imap.deposer(boite, courriel("karim.modele@perso.example.net", "Refusé", calendrier=perso), inconnue())
    reglages = serveur_imap.reglages(boite)
    assert [ligne.etat for ligne in relever(session, reglages).lignes] == ["refuse", "refuse"]
    assert relever(session, reglages).lignes == ()

    karim = session.scalars(select(Personne).where(Personne.email == "karim@example.org")).one()
    karim.email = "karim.modele@perso.example.net"
    session.flush()
    deja = charger_deja_traites(session, reglages.dossier, retraiter_les_refus=True)
    bilan = enregistrer_releve(session, lire_boite(reglages, deja), maintenant=RELEVE_LE)
    assert [(ligne.uid, ligne.etat) for ligne in bilan.lignes] == [(1, "applique"), (2, "refuse")]
    assert ("karim.modele@perso.example.net", "DECLINED") in [(e, r) for e, r, _, _ in etat_des_invitations(session)]
    lignes = session.scalars(select(CourrielRecu).order_by(CourrielRecu.uid)).all()
    assert [(ligne.uid, ligne.resultat) for ligne in lignes] == [(1, "applique"), (2, "refuse")]
    # Une réponse enregistrée n'est plus jamais relue, même avec --retraiter.
    deja = charger_deja_traites(session, reglages.dossier, retraiter_les_refus=True)
    assert [courriel.uid for courriel in lire_boite(reglages, deja).courriels] == [2]


def test_un_dossier_recree_change_d_uidvalidity_et_le_message_id_evite_de_retraiter_ses_courriels(
    session: Session, serveur_imap: ServeurImap
) -> None:
    preparer_reunion(session)
    boite = serveur_imap.nouvelle_boite()
    reglages = serveur_imap.reglages(boite, dossier="Réponses CTG")
    client = serveur_imap.client(boite)
    assert client.create('"R&AOk-ponses CTG"')[0] == "OK"
    serveur_imap.deposer(boite, OUTLOOK.read_bytes(), GMAIL.read_bytes(), dossier="Réponses CTG")
    assert relever(session, reglages).nombre("applique") == 2

    # Le dossier est supprimé puis recréé (un déménagement de messagerie) : ses courriels sont renumérotés.
    assert client.delete('"R&AOk-ponses CTG"')[0] == "OK"
    assert client.create('"R&AOk-ponses CTG"')[0] == "OK"
    client.logout()
    serveur_imap.deposer(boite, OUTLOOK.read_bytes(), GMAIL.read_bytes(), thunderbird(), dossier="Réponses CTG")
    bilan = relever(session, reglages)
    assert [(ligne.uid, ligne.expediteur, ligne.etat) for ligne in bilan.lignes] == [
        (3, "sophie@example.org", "applique")
    ]
    assert bilan.resume() == (
        "3 nouveaux courriels dans « Réponses CTG » : 1 réponse enregistrée, 0 ignorée, 0 refusée ; "
        "0 sans calendrier (non téléchargé) ; 2 copies d'un courriel déjà traité."
    )
    traites = session.scalars(select(CourrielRecu).order_by(CourrielRecu.id)).all()
    assert [c.resultat for c in traites] == ["applique", "applique", "deja_traite", "deja_traite", "applique"]
    assert len({c.uidvalidity for c in traites}) == 2
    assert sessions_apres(serveur_imap, boite, 5)[-1]["body_count"] == 1  # les copies ne sont pas téléchargées


def test_un_mauvais_mot_de_passe_arrete_le_releve_en_francais_sans_rien_enregistrer(
    session: Session, serveur_imap: ServeurImap
) -> None:
    preparer_reunion(session)
    boite = serveur_imap.nouvelle_boite()
    serveur_imap.deposer(boite, OUTLOOK.read_bytes())
    with pytest.raises(BoiteInaccessible) as erreur:
        relever(session, serveur_imap.reglages(boite, mot_de_passe="pas le bon"))
    assert str(erreur.value) == (
        f"Le serveur IMAP 127.0.0.1:{serveur_imap.port} a refusé l'identifiant « {boite} » ou son mot de passe : "
        "vérifiez CTG_IMAP_USER et CTG_IMAP_PASSWORD. Rien n'a été relevé."
    )
    assert not isinstance(erreur.value, ConnexionPerdue)  # pas de nouvel essai : le compte serait bloqué
    assert session.scalars(select(CourrielRecu)).all() == []
    assert [(email, reponse) for email, reponse, _, _ in etat_des_invitations(session)] == SANS_REPONSE


# --- Les erreurs de connexion, sans base ---------------------------------------------------------


@pytest.mark.parametrize(
    ("changements", "attendu", "reessayable"),
    [
        (
            {"dossier": "Réponses"},
            "Le dossier « Réponses » n'existe pas dans la boîte de « {boite} » sur le serveur "
            "IMAP : corrigez CTG_IMAP_DOSSIER (INBOX par défaut). Dossiers existants : INBOX.",
            False,
        ),
        (
            {"port": "libre"},
            "Le serveur IMAP 127.0.0.1:{port} est injoignable : il refuse les connexions sur le port "
            "{port}. Vérifiez CTG_IMAP_HOST et CTG_IMAP_PORT, et que cette machine a accès au réseau. Rien n'a été "
            "relevé.",
            True,
        ),
        (
            {"hote": "imap.invalid"},
            "Le serveur IMAP imap.invalid:{port} est injoignable : le nom « imap.invalid » est inconnu.",
            True,
        ),
        (
            {"securite": "ssl", "port": "ssl"},
            "Le certificat du serveur IMAP 127.0.0.1 est refusé : il est auto-signé. "
            "La connexion est abandonnée, pour ne pas envoyer le mot de passe à un serveur qui n'est peut-être pas le "
            "bon.",
            False,
        ),
        ({"securite": "starttls"}, "Le certificat du serveur IMAP 127.0.0.1 est refusé : il est auto-signé.", False),
        (
            {"securite": "ssl"},
            "La connexion chiffrée au serveur IMAP 127.0.0.1:{port} a échoué (WRONG_VERSION_NUMBER) : "
            "vérifiez que ce port attend bien le mode CTG_IMAP_TLS=ssl (ssl sur le port 993, starttls sur le port 143).",
            False,
        ),
    ],
    ids=[
        "dossier-inexistant",
        "port-ferme",
        "nom-inconnu",
        "certificat-ssl",
        "certificat-starttls",
        "ssl-sur-port-clair",
    ],
)
def test_chaque_echec_de_connexion_dit_en_francais_quoi_verifier(
    serveur_imap: ServeurImap, changements: dict[str, object], attendu: str, reessayable: bool
) -> None:
    if "securite" in changements and not serveur_imap.port_ssl:
        manque("openssl", "pas de certificat pour le serveur IMAP de test")
    boite = serveur_imap.nouvelle_boite()
    ports = {"libre": _port_ferme(), "ssl": serveur_imap.port_ssl}
    if isinstance(changements.get("port"), str):
        changements = changements | {"port": ports[str(changements["port"])]}
    reglages = serveur_imap.reglages(boite, **changements)
    with pytest.raises(BoiteInaccessible) as erreur:
        lire_boite(reglages, DejaTraites({}, frozenset()))
    assert str(erreur.value).startswith(attendu.format(boite=boite, port=reglages.port))
    assert isinstance(erreur.value, ConnexionPerdue) is reessayable


def _port_ferme() -> int:
    from tests.serveur_imap import _port_libre

    return _port_libre()


def test_une_reponse_transferee_ou_en_piece_ics_seule_est_reconnue_et_un_courriel_trop_gros_n_est_pas_telecharge(
    serveur_imap: ServeurImap,
) -> None:
    boite = serveur_imap.nouvelle_boite()
    transfert = EmailMessage(policy=SMTP)
    transfert["From"] = "secretariat@example.org"
    transfert["Subject"] = "TR: Refusé"
    transfert.set_content("La réponse de Karim.")
    transfert.add_attachment(email_de(GMAIL))
    piece_seule = EmailMessage(policy=SMTP)
    piece_seule["From"] = "sophie@example.org"
    piece_seule["Subject"] = "Ma réponse"
    piece_seule.set_content("Voir la pièce jointe.")
    piece_seule.add_attachment(
        THUNDERBIRD.read_bytes(), maintype="application", subtype="octet-stream", filename="réponse de Sophie.ics"
    )
    utf8_brut = "From: Zoé <zoe@example.org>\r\nSubject: Réunion d'équipe\r\n\r\nÀ lundi.\r\n".encode()
    serveur_imap.deposer(boite, transfert.as_bytes(), piece_seule.as_bytes(), OUTLOOK.read_bytes(), utf8_brut)
    releve = lire_boite(serveur_imap.reglages(boite), DejaTraites({}, frozenset()), taille_max=4500)
    assert [(c.uid, c.nature, c.contenu is not None, c.expediteur, c.objet) for c in releve.courriels] == [
        (1, "calendrier", True, "secretariat@example.org", "TR: Refusé"),
        (2, "calendrier", True, "sophie@example.org", "Ma réponse"),
        (3, "trop_volumineux", False, "Claire@Example.org", "Accepté: Comité de pilotage de la CTG"),
        (4, "sans_calendrier", False, "zoe@example.org", "Réunion d'équipe"),
    ]
    assert sessions_apres(serveur_imap, boite, 2)[-1]["body_count"] == 2


def email_de(chemin: Path) -> EmailMessage:
    import email

    message = email.message_from_bytes(chemin.read_bytes(), _class=EmailMessage, policy=SMTP)
    assert isinstance(message, EmailMessage)
    return message


def test_un_courriel_trop_volumineux_est_refuse_avec_sa_taille(session: Session, serveur_imap: ServeurImap) -> None:
    preparer_reunion(session)
    boite = serveur_imap.nouvelle_boite()
    serveur_imap.deposer(boite, OUTLOOK.read_bytes())
    (ligne,) = relever(session, serveur_imap.reglages(boite), taille_max=4096).lignes
    assert (ligne.etat, ligne.raison) == (
        "refuse",
        "courriel trop volumineux (4,9\u00a0ko ; 4\u00a0ko au plus) : il n'est pas téléchargé, ouvrez-le dans votre "
        "messagerie",
    )
    assert session.scalars(select(CourrielRecu.resultat)).all() == ["trop_volumineux"]


# --- Réglages et lecture des réponses IMAP, sans serveur -----------------------------------------


def test_les_reglages_imap_ont_des_defauts_sages_et_se_lisent_aussi_dans_ctg_toml(tmp_path: Path) -> None:
    assert lire_reglages_imap({}) is None
    reglages = lire_reglages_imap(
        {"CTG_IMAP_HOST": "imap.mairie.example.org", "CTG_IMAP_USER": "ctg", "CTG_IMAP_PASSWORD": "secret"}
    )
    assert reglages == ReglagesImap("imap.mairie.example.org", 993, "ctg", "secret", "ssl", "INBOX", 30)
    assert "secret" not in repr(reglages)
    (tmp_path / "ctg.toml").write_text(
        '[imap]\nhost = "imap.example.org"\nuser = "ctg@mairie.example.org"\npassword = "s3cret"\n'
        'tls = "starttls"\ndossier = "Réponses CTG"\n',
        encoding="utf-8",
    )
    depuis_toml = exiger_reglages_imap(lire_reglages({"CTG_HOME": str(tmp_path)}).valeurs)
    assert (depuis_toml.port, depuis_toml.securite, depuis_toml.dossier) == (143, "starttls", "Réponses CTG")


@pytest.mark.parametrize(
    ("environnement", "attendu"),
    [
        (
            {},
            "Aucune boîte de réception n'est réglée. Pour relever les réponses dans la boîte du coordinateur, "
            "réglez CTG_IMAP_HOST (le serveur IMAP), CTG_IMAP_USER et CTG_IMAP_PASSWORD",
        ),
        ({"CTG_IMAP_USER": "ctg"}, "CTG_IMAP_USER est réglé, mais pas CTG_IMAP_HOST."),
        ({"CTG_IMAP_HOST": "h", "CTG_IMAP_USER": "ctg"}, "CTG_IMAP_HOST est réglé (h) mais pas CTG_IMAP_PASSWORD : "),
        ({"CTG_IMAP_HOST": "h", "CTG_IMAP_TLS": "oui"}, "CTG_IMAP_TLS vaut « oui » : écrivez ssl (port 993), "),
        (
            {"CTG_IMAP_HOST": "h", "CTG_IMAP_USER": "u", "CTG_IMAP_PASSWORD": "p", "CTG_IMAP_PORT": "99999"},
            "CTG_IMAP_PORT vaut « 99999 » : écrivez un numéro de port entre 1 et 65535.",
        ),
    ],
)
def test_des_reglages_imap_incomplets_disent_quelle_variable_regler(
    environnement: dict[str, str], attendu: str
) -> None:
    with pytest.raises(DonneesInvalides) as erreur:
        exiger_reglages_imap(environnement)
    assert str(erreur.value).startswith(attendu)


def test_une_reponse_fetch_avec_litteral_et_chaine_nil_se_lit_et_la_structure_dit_s_il_y_a_un_calendrier() -> None:
    morceaux: list[bytes | tuple[bytes, bytes]] = [
        (
            b'7 (UID 42 BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)'
            b'("APPLICATION" "OCTET-STREAM" ("NAME" {24}',
            b"=?utf-8?q?r=C3=A9ponse.ics?=",
        ),
        b') NIL NIL "BASE64" 300 NIL ("attachment" NIL) NIL NIL) "MIXED") BODY[HEADER.FIELDS (FROM)] "NIL")',
    ]
    ((numero, attributs),) = lire_reponses_fetch(morceaux)
    assert (numero, attributs[b"UID"], attributs[b"BODY[HEADER.FIELDS (FROM)]"]) == (7, b"42", b"NIL")
    assert porte_un_calendrier(attributs[b"BODYSTRUCTURE"])
    texte_seul: Valeur = [b"TEXT", b"PLAIN", [b"CHARSET", b"utf-8"], None, None, b"7BIT", b"12", b"1"]
    assert not porte_un_calendrier(texte_seul)
    assert porte_un_calendrier([texte_seul, [b"TEXT", b"CALENDAR", [b"METHOD", b"REPLY"]], b"ALTERNATIVE"])


# --- La commande `ctg reponses relever`, par le flux Prefect -------------------------------------


@pytest.fixture
def ctg_home(tmp_path: Path, modele_sqlite: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Un dossier CTG_HOME : base SQLite migrée, L'Union et le COPIL du 8 décembre convoqué."""
    from flows.cli import contexte

    dossier = tmp_path / "ctg-donnees"
    dossier.mkdir()
    shutil.copyfile(modele_sqlite, dossier / "ctg.sqlite3")
    moteur = creer_moteur(f"sqlite:///{dossier / 'ctg.sqlite3'}")
    with ouvrir_session(moteur, ecriture=True) as session:
        preparer_reunion(session)
    moteur.dispose()
    # lancer_flux complète l'environnement de Prefect : on le rend à la fin du test.
    for nom in ("PREFECT_HOME", "PREFECT_SERVER_ANALYTICS_ENABLED", "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"):
        monkeypatch.setenv(nom, os.environ.get(nom, ""))
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    monkeypatch.setenv("PREFECT_LOGGING_SERVER_LEVEL", "ERROR")
    contexte.reglages.cache_clear()
    contexte.moteur.cache_clear()
    yield dossier
    if contexte.moteur.cache_info().currsize:
        contexte.moteur().dispose()
    contexte.reglages.cache_clear()
    contexte.moteur.cache_clear()


def lancer(ctg_home: Path, imap: dict[str, str], *arguments: str) -> tuple[int, str]:
    from flows.cli.reponses import groupe_reponses

    environnement = {"CTG_HOME": str(ctg_home), "CTG_DATABASE_URL": None, "COLUMNS": "200", "NO_COLOR": "1"}
    resultat = CliRunner().invoke(groupe_reponses, ["relever", *arguments], env=environnement | imap)
    if resultat.exception is not None and not isinstance(resultat.exception, SystemExit):
        return 1, str(resultat.exception)
    # Sous le banc d'essai, les journaux de Prefect vont sur la sortie d'erreur : on ne lit que la sortie standard.
    return resultat.exit_code, resultat.stdout


def test_sans_reglage_imap_la_commande_dit_quelles_variables_regler_sans_lancer_de_flux(ctg_home: Path) -> None:
    code, message = lancer(ctg_home, {})
    assert code == 1
    assert message.startswith("Aucune boîte de réception n'est réglée. ")
    assert "CTG_IMAP_HOST" in message and "CTG_IMAP_PASSWORD" in message and "[imap]" in message


def test_la_commande_releve_par_le_flux_prefect_simule_enregistre_puis_ne_retraite_rien(
    ctg_home: Path, serveur_imap: ServeurImap, serveur_prefect: str
) -> None:
    boite = serveur_imap.nouvelle_boite()
    serveur_imap.deposer(boite, OUTLOOK.read_bytes(), GMAIL.read_bytes(), ordinaire(), inconnue())
    imap = {
        "CTG_IMAP_HOST": "127.0.0.1",
        "CTG_IMAP_PORT": str(serveur_imap.port),
        "CTG_IMAP_TLS": "none",
        "CTG_IMAP_USER": boite,
        "CTG_IMAP_PASSWORD": serveur_imap.reglages(boite).mot_de_passe,
    }

    code, sortie = lancer(ctg_home, imap, "--simulation", "--json")
    assert code == 0, sortie
    simulation = json.loads(sortie)
    assert (simulation["nouveaux"], simulation["sans_calendrier"]) == (4, 1)
    assert [(r["expediteur"], r["etat"], r["reponse"]) for r in simulation["reponses"]] == [
        ("Claire@Example.org", "applique", "ACCEPTED"),
        ("karim@example.org", "applique", "DECLINED"),
        ("karim@example.org", "refuse", "ACCEPTED"),
    ]
    assert reponses_en_base(ctg_home) == SANS_REPONSE

    code, sortie = lancer(ctg_home, imap)
    assert code == 0, sortie
    assert sortie.startswith(f"Relevé de « INBOX » sur 127.0.0.1:{serveur_imap.port} ({boite})…\n")
    assert (
        f"✓ Claire@Example.org, « Accepté: Comité de pilotage de la CTG » : claire@example.org a accepté la {COPIL}\n"
        in sortie
    )
    assert (
        "✗ karim@example.org, « Accepté : Réunion d'une autre commune » : réponse de karim@example.org : aucune"
        in sortie
    )
    assert sortie.endswith(
        "4 nouveaux courriels dans « INBOX » : 2 réponses enregistrées, 0 ignorée, 1 refusée ; "
        "1 sans calendrier (non téléchargé).\n"
    )
    assert reponses_en_base(ctg_home) == [
        ("claire@example.org", "ACCEPTED"),
        ("karim@example.org", "DECLINED"),
        ("sophie@example.org", "NEEDS-ACTION"),
    ]
    tableau = json.loads(artefact("releve-reponses-courriels"))
    assert [(rangee["Expéditeur"], rangee["Réponse"], rangee["Résultat"][:9]) for rangee in tableau] == [
        ("Claire@Example.org", "a accepté", "enregistr"),
        ("karim@example.org", "s'est excusé(e)", "enregistr"),
        ("karim@example.org", "a accepté", "refusée :"),
    ]
    assert "3 réponses" not in artefact("releve-reponses") and "2 réponses enregistrées" in artefact("releve-reponses")

    code, sortie = lancer(ctg_home, imap, "--json")
    assert code == 0, sortie
    assert json.loads(sortie)["nouveaux"] == 0


def reponses_en_base(ctg_home: Path) -> list[tuple[str, str]]:
    moteur = creer_moteur(f"sqlite:///{ctg_home / 'ctg.sqlite3'}")
    with ouvrir_session(moteur) as session:
        etat = [(email, reponse) for email, reponse, _, _ in etat_des_invitations(session)]
    moteur.dispose()
    return etat


def artefact(cle: str) -> str:
    """Le contenu de la dernière version de l'artefact Prefect `cle`."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        (trouve,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[cle])), sort=ArtifactSort.CREATED_DESC, limit=1
        )
    assert isinstance(trouve.data, str)
    return trouve.data


def test_le_flux_ne_reessaie_qu_une_coupure_reseau_jamais_des_identifiants_refuses() -> None:
    from prefect.states import Completed, Failed

    from flows.reponses import est_une_coupure_reseau

    assert est_une_coupure_reseau(None, None, Failed(data=ConnexionPerdue("Le serveur IMAP est injoignable.")))  # type: ignore[arg-type]
    assert not est_une_coupure_reseau(None, None, Failed(data=BoiteInaccessible("Identifiants refusés.")))  # type: ignore[arg-type]
    assert not est_une_coupure_reseau(None, None, Completed(data=None))  # type: ignore[arg-type]


@pytest.mark.parametrize("securite", ["ssl", "starttls"])
def test_avec_un_certificat_reconnu_le_releve_passe_par_tls_ssl_ou_starttls(
    serveur_imap: ServeurImap, monkeypatch: pytest.MonkeyPatch, securite: str
) -> None:
    """Une autorité interne (SSL_CERT_FILE, lu par OpenSSL) suffit à faire reconnaître le serveur de la mairie."""
    if not serveur_imap.port_ssl:
        manque("openssl", "pas de certificat pour le serveur IMAP de test")
    monkeypatch.setenv("SSL_CERT_FILE", str(serveur_imap.dossier / "certificat.pem"))
    boite = serveur_imap.nouvelle_boite()
    serveur_imap.deposer(boite, GMAIL.read_bytes())
    port = serveur_imap.port_ssl if securite == "ssl" else serveur_imap.port
    releve = lire_boite(serveur_imap.reglages(boite, securite=securite, port=port), DejaTraites({}, frozenset()))
    assert [(c.expediteur, c.nature) for c in releve.courriels] == [("karim@example.org", "calendrier")]
    connexions = [ligne for ligne in serveur_imap.journal.read_text().splitlines() if f"user=<{boite}>" in ligne]
    assert "TLS" in connexions[-1]  # dovecot note « TLS » pour une connexion chiffrée
