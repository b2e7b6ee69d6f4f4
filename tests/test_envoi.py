"""La boîte d'envoi : chaque message part une seule fois, même quand le serveur SMTP se conduit mal."""

from __future__ import annotations

import smtplib
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
from icalendar import Calendar
from sqlalchemy import Engine, select, text, update

from gouvernance.courriel import construire_courriel, construire_message_id
from gouvernance.envoi import BilanEnvoi, ReglagesSmtp, bilan_des_messages, envoyer_messages, lire_reglages_smtp
from gouvernance.erreurs import DonneesInvalides, EnvoiInacheve, Introuvable
from gouvernance.fichiers import ecrire_atomiquement
from modeles import Instance, Message, Territoire
from modeles.moteur import ouvrir_session
from tests.fabriques import creer_reunion
from tests.serveur_smtp import MOT_DE_PASSE, UTILISATEUR
from tests.test_courriel import MIME_DOCX, calendrier

if TYPE_CHECKING:
    from tests.serveur_smtp import ServeurSmtp

#: Les fixtures `serveur_smtp` et `interdire_smtp` (inutile une fois branché dans conftest.py).
pytestmark = pytest.mark.usefixtures("interdire_smtp")

MAINTENANT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
DESTINATAIRES = [
    ("Hélène d'Aubigné", "helene@exemple.fr"),
    ("Jean Fictif", "jean@exemple.fr"),
    ("Zoé Martin", "zoe@exemple.fr"),
    ("Paul Durand", "paul@exemple.fr"),
]
OBJET = "Convocation — Comité de pilotage de suivi, mardi 8 décembre 2026 à 18\u00a0h\u00a000"


def maintenant() -> datetime:
    return MAINTENANT


def preparer_messages(moteur: Engine, dossier: Path) -> list[int]:
    """Une réunion et un message « à envoyer » par destinataire, chacun avec son .eml écrit sur disque."""
    ics = calendrier()
    with ouvrir_session(moteur, ecriture=True) as session:
        territoire = Territoire(code="lunion", nom="L'Union")
        instance = Instance(territoire=territoire, code="COPIL", intitule="Comité de pilotage de suivi", type="copil")
        session.add(instance)
        session.flush()
        reunion = creer_reunion(session, instance, [])
        messages = []
        for nom, adresse in DESTINATAIRES:
            cle = f"{reunion.uid}/0/convocation/{adresse}"
            message_id = construire_message_id("mairie-exemple.fr", cle)
            contenu = construire_courriel(
                expediteur=("Camille Coordinatrice", "ctg@mairie-exemple.fr"),
                destinataire=(nom, adresse),
                objet=OBJET,
                texte=f"Madame, Monsieur,\n\n{nom}, vous êtes convoqué(e).\n",
                html="<p>Madame, Monsieur,</p>",
                calendrier=ics,
                methode="REQUEST",
                pieces_jointes=[
                    (f"Convocation — {nom}.docx", MIME_DOCX, b"PK"),
                    ("invitation.ics", "application/ics", ics),
                ],
                message_id=message_id,
                horodatage=MAINTENANT,
                repondre_a="ctg@mairie-exemple.fr",
            )
            chemin = dossier / f"convocation-{adresse.split('@')[0]}.eml"
            ecrire_atomiquement(chemin, contenu)
            message = Message(
                cle=cle,
                reunion=reunion,
                nature="convocation",
                destinataire=adresse,
                nom_destinataire=nom,
                objet=OBJET,
                message_id=message_id,
                chemin=str(chemin),
                cree_le=MAINTENANT,
            )
            session.add(message)
            messages.append(message)
        session.flush()
        return [message.id for message in messages]


@pytest.fixture
def messages(moteur: Engine, tmp_path: Path) -> list[int]:
    return preparer_messages(moteur, tmp_path / "messages")


def lignes(moteur: Engine) -> dict[str, Message]:
    """Les messages tels qu'enregistrés, par adresse (lus dans une session courte, sans verrou gardé)."""
    with ouvrir_session(moteur) as session:
        return {m.destinataire: m for m in session.scalars(select(Message).order_by(Message.id))}


def etats(moteur: Engine) -> dict[str, str]:
    return {adresse: message.etat for adresse, message in lignes(moteur).items()}


def envoyer(moteur: Engine, messages: list[int], serveur: ServeurSmtp, boite: Path) -> BilanEnvoi:
    return envoyer_messages(moteur, messages, smtp=serveur.reglages(), boite=boite, maintenant=maintenant)


def lire(octets: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(octets)


def verifier_recus_une_seule_fois(serveur: ServeurSmtp, adresses: list[str]) -> None:
    """Chaque adresse a reçu exactement un message, et aucun Message-ID n'est arrivé deux fois."""
    assert sorted(d for recu in serveur.recus for d in recu.destinataires) == sorted(adresses)
    identifiants = Counter(lire(recu.contenu)["Message-ID"] for recu in serveur.recus)
    assert all(nombre == 1 for nombre in identifiants.values())


def test_chaque_message_part_une_fois_et_garde_la_reponse_du_serveur(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert bilan.nombre("envoye") == 4 and bilan.a_reessayer == 0
    assert bilan.lignes_resume() == ["4 messages envoyés."]
    assert serveur_smtp.collecteur.connexions == 1  # une seule connexion pour le lot
    verifier_recus_une_seule_fois(serveur_smtp, [adresse for _, adresse in DESTINATAIRES])
    enregistres = lignes(moteur)
    for numero, recu in enumerate(serveur_smtp.recus, start=1):
        (adresse,) = recu.destinataires
        assert recu.expediteur == "ctg@mairie-exemple.fr"
        message = enregistres[adresse]
        assert (message.etat, message.tentatives, message.accepte_le) == ("envoye", 1, MAINTENANT)
        assert message.reponse_serveur == f"250 2.0.0 Ok: queued as CTG{numero:04d}"
        assert lire(recu.contenu)["Message-ID"] == message.message_id
    assert not (tmp_path / "boite").exists()


def test_les_octets_recus_forment_une_invitation_imip_en_francais(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    recu = lire(serveur_smtp.recus[0].contenu)
    assert recu["Subject"] == OBJET
    assert recu["To"].addresses[0].display_name == "Hélène d'Aubigné"
    assert "Bcc" not in recu and recu.defects == []
    assert recu.get_content_type() == "multipart/mixed"
    alternative, *pieces = recu.iter_parts()
    texte, html, invitation = alternative.iter_parts()
    assert [texte.get_content_type(), html.get_content_type()] == ["text/plain", "text/html"]
    assert invitation.get_content_type() == "text/calendar"
    ics = Calendar.from_ical(cast(bytes, invitation.get_payload(decode=True)))
    assert invitation.get_param("method") == ics["METHOD"] == "REQUEST"
    assert [p.get_filename() for p in pieces] == ["Convocation — Hélène d'Aubigné.docx", "invitation.ics"]
    assert pieces[1].get_content_type() == "application/ics"


def test_un_nouvel_envoi_ne_renvoie_rien_et_n_ouvre_aucune_connexion(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert len(serveur_smtp.recus) == 4 and serveur_smtp.collecteur.connexions == 1
    assert bilan.deja_traites == 4 and bilan.lignes_resume() == ["4 messages déjà traités, laissés tels quels."]
    assert {m.tentatives for m in lignes(moteur).values()} == {1}


def test_un_421_apres_deux_messages_laisse_le_reste_pour_un_prochain_envoi(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    serveur_smtp.pannes.repondre_421_apres = 2
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert etats(moteur) == {
        "helene@exemple.fr": "envoye",
        "jean@exemple.fr": "envoye",
        "zoe@exemple.fr": "echec_temporaire",
        "paul@exemple.fr": "a_envoyer",
    }
    assert lignes(moteur)["zoe@exemple.fr"].reponse_serveur == (
        "421 4.3.2 Service not available, closing transmission channel"
    )
    assert bilan.a_reessayer == 2 and bilan.restants == 1
    cause = "serveur indisponible : il a répondu « 421 4.3.2 Service not available, closing transmission channel »"
    assert bilan.incident == cause
    # Le message refusé et celui qui n'a pas été tenté gardent la cause, et depuis quand.
    for adresse in ("zoe@exemple.fr", "paul@exemple.fr"):
        assert (lignes(moteur)[adresse].derniere_erreur, lignes(moteur)[adresse].erreur_depuis) == (cause, MAINTENANT)
    serveur_smtp.reparer()
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert bilan.nombre("envoye") == 2 and bilan.deja_traites == 2 and bilan.a_reessayer == 0
    assert set(etats(moteur).values()) == {"envoye"}
    assert {(m.derniere_erreur, m.erreur_depuis) for m in lignes(moteur).values()} == {(None, None)}
    assert lignes(moteur)["zoe@exemple.fr"].tentatives == 2
    verifier_recus_une_seule_fois(serveur_smtp, [adresse for _, adresse in DESTINATAIRES])


def test_un_550_pour_un_destinataire_ne_refuse_que_son_message(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    serveur_smtp.pannes.refuser = "zoe@exemple.fr"
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    zoe = lignes(moteur)["zoe@exemple.fr"]
    assert zoe.etat == "echec" and zoe.accepte_le is None
    assert zoe.reponse_serveur == "550 5.1.1 <zoe@exemple.fr>: Recipient address rejected: User unknown"
    assert zoe.derniere_erreur == f"adresse refusée : le serveur a répondu « {zoe.reponse_serveur} »"
    assert bilan.nombre("envoye") == 3 and bilan.nombre("echec") == 1 and bilan.a_reessayer == 0
    assert bilan.lignes_resume() == [
        "3 messages envoyés.",
        "1 message refusé par le serveur.",
        f"Refusé pour zoe@exemple.fr : {zoe.reponse_serveur}",
    ]
    serveur_smtp.reparer()
    envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert etats(moteur)["zoe@exemple.fr"] == "echec"
    verifier_recus_une_seule_fois(serveur_smtp, ["helene@exemple.fr", "jean@exemple.fr", "paul@exemple.fr"])


def test_une_connexion_coupee_avant_les_donnees_ne_perd_ni_ne_double_rien(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    serveur_smtp.pannes.couper_apres = 1
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert list(etats(moteur).values()) == ["envoye", "echec_temporaire", "a_envoyer", "a_envoyer"]
    assert bilan.a_reessayer == 3
    serveur_smtp.reparer()
    envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert set(etats(moteur).values()) == {"envoye"}
    verifier_recus_une_seule_fois(serveur_smtp, [adresse for _, adresse in DESTINATAIRES])


def test_une_reponse_perdue_apres_les_donnees_rend_le_message_incertain_jamais_renvoye(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    serveur_smtp.pannes.couper_apres_donnees = 1  # le 2e message est reçu, mais sa réponse se perd
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert list(etats(moteur).values()) == ["envoye", "incertain", "a_envoyer", "a_envoyer"]
    assert bilan.incertains == [("jean@exemple.fr", messages[1])] and bilan.restants == 2
    serveur_smtp.reparer()
    envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert list(etats(moteur).values()) == ["envoye", "incertain", "envoye", "envoye"]
    verifier_recus_une_seule_fois(serveur_smtp, [adresse for _, adresse in DESTINATAIRES])


def test_un_message_trouve_en_cours_devient_incertain_et_n_est_pas_envoye(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    with ouvrir_session(moteur, ecriture=True) as session:
        session.execute(update(Message).where(Message.id == messages[0]).values(etat="en_cours", tentatives=1))
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert etats(moteur)["helene@exemple.fr"] == "incertain"
    assert bilan.incertains == [("helene@exemple.fr", messages[0])] and bilan.nombre("envoye") == 3
    assert bilan.lignes_resume()[1].startswith("1 message incertain, interrompu pendant l'envoi")
    verifier_recus_une_seule_fois(serveur_smtp, ["jean@exemple.fr", "zoe@exemple.fr", "paul@exemple.fr"])


@pytest.mark.parametrize(
    "cas",
    [
        ({"port": "ferme"}, "serveur injoignable : 127.0.0.1:{port} refuse la connexion (serveur arrêté, ou mauvais"),
        (
            {"utilisateur": UTILISATEUR, "mot_de_passe": "mauvais"},
            "identification refusée : le serveur 127.0.0.1:{port} refuse l'utilisateur « ctg » et son mot de passe "
            "(535 5.7.8 Authentication credentials invalid) ; vérifiez CTG_SMTP_USER et CTG_SMTP_PASSWORD",
        ),
        (
            {"securite": "starttls"},
            "échec du chiffrement TLS : le serveur 127.0.0.1:{port} ne propose pas STARTTLS ; réglez CTG_SMTP_TLS",
        ),
        ({"securite": "ssl"}, "échec du chiffrement TLS avec 127.0.0.1:{port} (WRONG_VERSION_NUMBER) ; vérifiez"),
    ],
    ids=["injoignable", "identification", "starttls", "ssl"],
)
def test_une_connexion_impossible_laisse_sa_cause_en_francais_sur_chaque_message_en_attente(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, request: pytest.FixtureRequest, cas: tuple[Any, str]
) -> None:
    """Issue 10 §3 : la cause (« connexion refusée ») disparaissait après le dernier essai."""
    panne, cause = cas
    if panne.get("port") == "ferme":
        panne = {"port": request.getfixturevalue("port_ferme")}
    reglages = serveur_smtp.reglages(**panne)
    bilan = envoyer_messages(moteur, messages, smtp=reglages, boite=Path("boite"), maintenant=maintenant)
    assert set(etats(moteur).values()) == {"a_envoyer"} and serveur_smtp.recus == []
    assert bilan.restants == 4 and bilan.lignes_resume()[0] == (
        "4 messages pas encore tentés, ils partiront au prochain envoi."
    )
    attendu = cause.format(port=reglages.port)
    assert bilan.incident is not None and bilan.incident.startswith(attendu)
    assert {(m.derniere_erreur, m.erreur_depuis) for m in lignes(moteur).values()} == {(bilan.incident, MAINTENANT)}
    # Relu après coup (le bilan du dernier essai du flux), la cause est toujours là.
    assert bilan_des_messages(moteur, messages).incident == bilan.incident


def test_la_meme_cause_garde_l_heure_de_son_debut_et_disparait_quand_le_message_part(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, port_ferme: int, tmp_path: Path
) -> None:
    ferme = serveur_smtp.reglages(port=port_ferme)
    envoyer_messages(moteur, messages, smtp=ferme, boite=tmp_path, maintenant=maintenant)
    plus_tard = MAINTENANT + timedelta(hours=1)
    envoyer_messages(moteur, messages, smtp=ferme, boite=tmp_path, maintenant=lambda: plus_tard)
    assert {m.erreur_depuis for m in lignes(moteur).values()} == {MAINTENANT}  # injoignable depuis 9 h 30 (UTC)
    mauvais = serveur_smtp.reglages(utilisateur=UTILISATEUR, mot_de_passe="mauvais")
    envoyer_messages(moteur, messages, smtp=mauvais, boite=tmp_path, maintenant=lambda: plus_tard)
    assert {m.erreur_depuis for m in lignes(moteur).values()} == {plus_tard}  # une autre cause : autre début
    bon = serveur_smtp.reglages(utilisateur=UTILISATEUR, mot_de_passe=MOT_DE_PASSE)
    assert envoyer_messages(moteur, messages, smtp=bon, boite=tmp_path, maintenant=maintenant).nombre("envoye") == 4
    assert {(m.etat, m.derniere_erreur, m.erreur_depuis) for m in lignes(moteur).values()} == {("envoye", None, None)}


def test_aucune_transaction_n_est_ouverte_pendant_le_dialogue_avec_le_serveur(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    """Pendant que le client attend la réponse à DATA, un autre processus écrit en base sans attendre."""
    durees: list[float] = []

    def ecrire_ailleurs() -> None:
        debut = time.monotonic()
        with ouvrir_session(moteur, ecriture=True) as session:
            if moteur.dialect.name == "postgresql":
                session.execute(text("SET LOCAL lock_timeout = '500ms'"))
            session.execute(update(Message).values(tentatives=Message.tentatives))
        durees.append(time.monotonic() - debut)

    serveur_smtp.pannes.pendant_les_donnees = ecrire_ailleurs
    assert envoyer(moteur, messages, serveur_smtp, tmp_path / "boite").nombre("envoye") == 4
    assert len(durees) == 4 and max(durees) < 0.5


def test_un_fichier_de_message_disparu_est_refuse_sans_bloquer_les_autres(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    Path(lignes(moteur)["jean@exemple.fr"].chemin).unlink()
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert etats(moteur)["jean@exemple.fr"] == "echec" and bilan.nombre("envoye") == 3
    assert "message impossible à envoyer" in (lignes(moteur)["jean@exemple.fr"].reponse_serveur or "")


def test_une_adresse_d_enveloppe_piegee_est_refusee_sans_rien_transmettre(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    piege = "jean@exemple.fr>\r\nRCPT TO:<pirate@example.org"
    with ouvrir_session(moteur, ecriture=True) as session:
        session.execute(update(Message).where(Message.id == messages[1]).values(destinataire=piege))
    bilan = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert bilan.nombre("echec") == 1 and etats(moteur)[piege] == "echec"
    verifier_recus_une_seule_fois(serveur_smtp, ["helene@exemple.fr", "zoe@exemple.fr", "paul@exemple.fr"])


def test_un_identifiant_inconnu_est_signale_avant_tout_envoi(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    with pytest.raises(Introuvable, match="n° 999"):
        envoyer(moteur, [*messages, 999], serveur_smtp, tmp_path / "boite")
    assert serveur_smtp.recus == [] and set(etats(moteur).values()) == {"a_envoyer"}


def test_sans_smtp_les_messages_sont_deposes_dans_la_boite_d_envoi(
    moteur: Engine, messages: list[int], tmp_path: Path
) -> None:
    boite = tmp_path / "boite"
    bilan = envoyer_messages(moteur, messages, smtp=None, boite=boite, maintenant=maintenant)
    assert bilan.lignes_resume() == ["4 messages déposés dans la boîte d'envoi."]
    deposes = sorted(boite.glob("*.eml"))
    assert [chemin.name for chemin in deposes] == [
        "convocation-helene.eml",
        "convocation-jean.eml",
        "convocation-paul.eml",
        "convocation-zoe.eml",
    ]
    for message in lignes(moteur).values():
        assert (message.etat, message.accepte_le, message.tentatives) == ("depose", MAINTENANT, 1)
        assert (boite / Path(message.chemin).name).read_bytes() == Path(message.chemin).read_bytes()
    assert envoyer_messages(moteur, messages, smtp=None, boite=boite, maintenant=maintenant).deja_traites == 4


def test_un_message_deja_dans_la_boite_est_seulement_marque_depose(moteur: Engine, tmp_path: Path) -> None:
    boite = tmp_path / "boite"
    messages = preparer_messages(moteur, boite)
    avant = {chemin: chemin.read_bytes() for chemin in boite.iterdir()}
    envoyer_messages(moteur, messages, smtp=None, boite=boite, maintenant=maintenant)
    assert {chemin: chemin.read_bytes() for chemin in boite.iterdir()} == avant
    assert set(etats(moteur).values()) == {"depose"}


def test_le_bilan_enregistre_se_relit_sans_rien_envoyer(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    serveur_smtp.pannes.refuser = "zoe@exemple.fr"
    serveur_smtp.pannes.repondre_421_apres = 2
    envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    bilan = bilan_des_messages(moteur, messages)
    assert bilan.lignes_resume()[:3] == [
        "2 messages envoyés.",
        "1 message refusé par le serveur.",
        "1 message en échec temporaire, il sera réessayé.",
    ]
    assert len(serveur_smtp.recus) == 2


def test_une_connexion_smtp_inattendue_fait_echouer_le_test() -> None:
    with pytest.raises(pytest.fail.Exception, match="connexion SMTP inattendue"):
        smtplib.SMTP("192.0.2.1", 25, timeout=1)


@pytest.mark.parametrize(
    ("environ", "attendu"),
    [
        ({}, None),
        (
            {"CTG_SMTP_HOST": "smtp.exemple.fr", "CTG_SMTP_FROM": "ctg@exemple.fr"},
            ReglagesSmtp("smtp.exemple.fr", 587, None, None, "starttls", "ctg@exemple.fr", 30),
        ),
        (
            {
                "CTG_SMTP_HOST": "smtp.exemple.fr",
                "CTG_SMTP_TLS": "SSL",
                "CTG_SMTP_USER": "ctg@exemple.fr",
                "CTG_SMTP_PASSWORD": "s3cret",
            },
            ReglagesSmtp("smtp.exemple.fr", 465, "ctg@exemple.fr", "s3cret", "ssl", "ctg@exemple.fr", 30),
        ),
        (
            {
                "CTG_SMTP_HOST": "relais",
                "CTG_SMTP_TLS": "none",
                "CTG_SMTP_FROM": "ctg@exemple.fr",
                "CTG_SMTP_PORT": "2525",
                "CTG_SMTP_TIMEOUT": "5",
            },
            ReglagesSmtp("relais", 2525, None, None, "none", "ctg@exemple.fr", 5),
        ),
    ],
)
def test_les_reglages_smtp_se_lisent_dans_l_environnement(
    environ: dict[str, str], attendu: ReglagesSmtp | None
) -> None:
    assert lire_reglages_smtp(environ) == attendu
    if attendu is not None and attendu.mot_de_passe:
        assert attendu.mot_de_passe not in repr(attendu)
    if attendu is not None:
        assert attendu.port == {"starttls": 587, "ssl": 465, "none": 2525}[attendu.securite]


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CTG_SMTP_TLS": "tls"}, "CTG_SMTP_TLS vaut « tls » : écrivez starttls"),
        ({"CTG_SMTP_PORT": "smtp"}, "CTG_SMTP_PORT vaut « smtp » : écrivez un numéro de port entre 1 et 65535"),
        ({"CTG_SMTP_PORT": "70000"}, "CTG_SMTP_PORT vaut « 70000 »"),
        ({"CTG_SMTP_USER": "ctg"}, "CTG_SMTP_PASSWORD"),
        ({"CTG_SMTP_FROM": ""}, "Réglez CTG_SMTP_FROM"),
    ],
)
def test_un_reglage_smtp_invalide_est_explique_en_francais(environ: dict[str, str], message: str) -> None:
    complet = {"CTG_SMTP_HOST": "smtp.exemple.fr", "CTG_SMTP_FROM": "ctg@exemple.fr", **environ}
    with pytest.raises(DonneesInvalides, match=message):
        lire_reglages_smtp(complet)


def test_le_bilan_accorde_singulier_et_pluriel() -> None:
    bilan = BilanEnvoi()
    assert bilan.lignes_resume() == ["Aucun message à envoyer."]
    bilan.noter("envoye", "a@exemple.fr")
    bilan.noter("echec_temporaire", "b@exemple.fr")
    bilan.noter("echec_temporaire", "c@exemple.fr")
    bilan.noter("incertain", "d@exemple.fr")
    bilan.restants = 2
    assert bilan.lignes_resume() == [
        "1 message envoyé.",
        "2 messages en échec temporaire, ils seront réessayés.",
        "1 message incertain, interrompu pendant l'envoi : il n'est pas renvoyé automatiquement, "
        "vérifiez auprès du destinataire.",
        "2 messages pas encore tentés, ils partiront au prochain envoi.",
        "Incertain pour d@exemple.fr",
    ]
    assert bilan.a_reessayer == 4


def test_un_envoi_inacheve_dit_pourquoi_et_quelle_commande_renvoie() -> None:
    bilan = BilanEnvoi(restants=27, incident="serveur injoignable : smtp.exemple.fr:587 refuse la connexion")
    bilan.noter("echec_temporaire", "a@exemple.fr")
    bilan.noter("echec", "b@exemple.fr", "550 5.1.1 User unknown")
    with pytest.raises(EnvoiInacheve) as erreur:
        bilan.exiger_complet("ctg reunion convoquer 3")
    assert str(erreur.value) == (
        "28 courriels ne sont pas partis — serveur injoignable : smtp.exemple.fr:587 refuse la connexion. "
        "Ils restent en attente, jamais envoyés deux fois : relancez `ctg reunion convoquer 3` quand le problème "
        "est réglé (le flux quotidien des relances les renvoie aussi). 1 adresse refusée par le serveur (détail "
        "ci-dessus) : corrigez-la dans l'annuaire (`ctg personnes modifier EMAIL --email …`), puis relancez "
        "`ctg reunion convoquer 3`."
    )
    complet = BilanEnvoi()
    complet.noter("envoye", "a@exemple.fr")
    complet.deja_traites = 3
    complet.exiger_complet("ctg reunion convoquer 3")  # rien ne manque : aucune erreur
