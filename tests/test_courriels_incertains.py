"""Les messages incertains se voient et se tranchent : `ctg courriels`, `ctg courriel confirmer|renvoyer` (issue 10, §4).

Un vrai serveur SMTP sur la boucle locale perd la réponse après les données, ou un vrai processus d'envoi est
tué par SIGKILL pendant qu'il transmet ; le coordinateur voit le message incertain, le confirme ou le fait
renvoyer, une seule fois, et sa décision reste écrite.
"""

from __future__ import annotations

import getpass
import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, select, update

from gouvernance.base_donnees import creer_base, ouvrir_base
from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.reglages import lire_reglages
from gouvernance.relances.recapitulatif import construire_recapitulatif
from gouvernance.relances.textes import texte_recapitulatif
from gouvernance.reunions.description import decrire_reunion, exiger_reunion
from gouvernance.reunions.vue import CoordinateurVue
from gouvernance.services.courriels import confirmer_courriel, lister_courriels, renvoyer_courriel
from modeles import Message, Reunion, Territoire, VerificationMessage
from modeles.moteur import ouvrir_session
from tests.test_cli import verifier_erreur
from tests.test_demo_et_reunions import lancer
from tests.test_envoi import envoyer, etats, lignes, lire, preparer_messages, verifier_recus_une_seule_fois

if TYPE_CHECKING:
    from tests.serveur_smtp import ServeurSmtp

#: L'heure du coordinateur qui tranche, bien après l'envoi de test_envoi (1er décembre 2026, 9 h 30 UTC).
PLUS_TARD = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def messages(moteur: Engine, tmp_path: Path) -> list[int]:
    """Quatre convocations à envoyer (Hélène, Jean, Zoé, Paul), chacune avec son .eml."""
    return preparer_messages(moteur, tmp_path / "messages")


def reponse_perdue_pour_jean(moteur: Engine, messages: list[int], serveur: ServeurSmtp, boite: Path) -> None:
    """Jean reçoit sa convocation mais la réponse du serveur se perd : son message est incertain."""
    serveur.pannes.couper_apres_donnees = 1
    envoyer(moteur, messages, serveur, boite)
    serveur.reparer()
    assert etats(moteur)["jean@exemple.fr"] == "incertain"


def message_ids_recus(serveur: ServeurSmtp) -> Counter[str]:
    return Counter(str(lire(recu.contenu)["Message-ID"]) for recu in serveur.recus)


def verifications(moteur: Engine) -> list[tuple[int, str, str, datetime, str | None]]:
    with ouvrir_session(moteur) as session:
        return [
            (v.message_id, v.issue, v.par, v.le, v.note)
            for v in session.scalars(select(VerificationMessage).order_by(VerificationMessage.id))
        ]


# --- Le bilan de chaque commande compte les incertains ---------------------------------------------------------


def test_issue_10_un_incertain_reste_dans_le_bilan_apres_le_reessai_automatique(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    """Le réessai d'une même commande comptait l'incertain du premier essai « déjà traité » : il disparaissait."""
    serveur_smtp.pannes.couper_apres_donnees = 1
    premier = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert premier.a_reessayer == 2
    serveur_smtp.reparer()
    reessai = envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert reessai.lignes_resume() == [
        "2 messages envoyés.",
        "1 message incertain, interrompu pendant l'envoi : il n'est pas renvoyé automatiquement, "
        "vérifiez auprès du destinataire.",
        "1 message déjà traité, laissé tel quel.",
        f"Incertain pour jean@exemple.fr (courriel n°{messages[1]})",
        "Après vérification auprès du destinataire : ctg courriel confirmer N s'il l'a reçu, "
        "ctg courriel renvoyer N sinon.",
    ]


# --- ctg courriels -----------------------------------------------------------------------------------------------


def test_la_liste_donne_l_etat_la_reponse_du_serveur_et_le_message_id_et_se_filtre(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    serveur_smtp.pannes.refuser = "paul@exemple.fr"
    reponse_perdue_pour_jean(moteur, messages[:2], serveur_smtp, tmp_path / "boite")
    serveur_smtp.pannes.refuser = "paul@exemple.fr"
    envoyer(moteur, [messages[3]], serveur_smtp, tmp_path / "boite")
    enregistres = lignes(moteur)
    with ouvrir_session(moteur) as session:
        toutes = lister_courriels(session, maintenant=PLUS_TARD)
        par_groupe = {
            groupe: [ligne.destinataire for ligne in lister_courriels(session, etat=groupe, maintenant=PLUS_TARD)]
            for groupe in ("incertain", "en-attente", "refuse", "envoye")
        }
        reunion = session.scalar(select(Reunion.id))
        autre_reunion = lister_courriels(session, reunion=(reunion or 0) + 1, maintenant=PLUS_TARD)
    assert [(ligne.numero, ligne.destinataire, ligne.etat_libelle) for ligne in toutes] == [
        (messages[0], "helene@exemple.fr", "envoyé"),
        (messages[1], "jean@exemple.fr", "incertain (interrompu pendant l'envoi)"),
        (messages[2], "zoe@exemple.fr", "à envoyer"),
        (messages[3], "paul@exemple.fr", "refusé"),
    ]
    assert par_groupe == {
        "incertain": ["jean@exemple.fr"],
        "en-attente": ["zoe@exemple.fr"],
        "refuse": ["paul@exemple.fr"],
        "envoye": ["helene@exemple.fr"],
    }
    assert autre_reunion == []
    helene, jean, _, paul = (ligne.en_json() for ligne in toutes)
    assert helene["reponse_serveur"] == "250 2.0.0 Ok: queued as CTG0001"
    assert helene["message_id"] == enregistres["helene@exemple.fr"].message_id
    assert jean["etat"] == "incertain" and jean["reunion"] == reunion
    assert jean["designation"] == "COPIL, mardi 9 mars 2027"
    assert "connexion" in str(jean["reponse_serveur"]).lower()
    assert str(paul["reponse_serveur"]).startswith("550 5.1.1")
    with ouvrir_session(moteur) as session, pytest.raises(DonneesInvalides, match="« perdu » inconnu : choisissez"):
        lister_courriels(session, etat="perdu", maintenant=PLUS_TARD)


# --- ctg courriel confirmer / renvoyer ---------------------------------------------------------------------------


def test_confirmer_un_incertain_le_note_envoye_et_ecrit_qui_l_a_verifie(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    reponse_perdue_pour_jean(moteur, messages, serveur_smtp, tmp_path / "boite")
    with ouvrir_session(moteur, ecriture=True) as session:
        confirme = confirmer_courriel(
            session, messages[1], par="Nadia Prototype", note="Jean l'a bien reçue (appel)", maintenant=PLUS_TARD
        )
    assert confirme.texte == (
        f"Courriel n°{messages[1]} à jean@exemple.fr : confirmé reçu par le destinataire "
        "(noté au nom de Nadia Prototype, le mercredi 2 décembre 2026 à 9\u00a0h\u00a000)."
    )
    jean = lignes(moteur)["jean@exemple.fr"]
    assert jean.etat == "envoye" and jean.accepte_le == jean.tente_le == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert verifications(moteur) == [
        (messages[1], "confirme", "Nadia Prototype", PLUS_TARD, "Jean l'a bien reçue (appel)")
    ]
    with ouvrir_session(moteur) as session:
        (ligne,) = lister_courriels(session, reunion=jean.reunion_id, maintenant=PLUS_TARD)[1:2]
    assert ligne.verification == (
        "confirmé reçu par le destinataire (Nadia Prototype, le mercredi 2 décembre 2026 à 9\u00a0h\u00a000) "
        "— « Jean l'a bien reçue (appel) »"
    )
    # Plus rien à trancher, plus rien à envoyer pour lui.
    with ouvrir_session(moteur, ecriture=True) as session, pytest.raises(DonneesInvalides) as refus:
        renvoyer_courriel(session, messages[1], par="Nadia Prototype", maintenant=PLUS_TARD)
    assert str(refus.value) == (
        f"Le courriel n°{messages[1]} (jean@exemple.fr) n'est pas incertain : il a été envoyé le mardi 1er décembre "
        "2026 à 10\u00a0h\u00a030, le renvoyer le doublerait. Il n'y a rien à renvoyer ; rien n'a changé."
    )
    envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    verifier_recus_une_seule_fois(
        serveur_smtp, ["helene@exemple.fr", "jean@exemple.fr", "zoe@exemple.fr", "paul@exemple.fr"]
    )


def test_renvoyer_un_incertain_le_fait_repartir_une_seule_fois_avec_le_meme_message_id(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    reponse_perdue_pour_jean(moteur, messages, serveur_smtp, tmp_path / "boite")
    message_id = lignes(moteur)["jean@exemple.fr"].message_id
    with ouvrir_session(moteur, ecriture=True) as session:
        renvoi = renvoyer_courriel(session, messages[1], par="camille", note="rien reçu", maintenant=PLUS_TARD)
    assert renvoi.texte.startswith(f"Courriel n°{messages[1]} à jean@exemple.fr : à renvoyer")
    assert etats(moteur)["jean@exemple.fr"] == "a_envoyer"
    with ouvrir_session(moteur, ecriture=True) as session, pytest.raises(DonneesInvalides) as deuxieme:
        renvoyer_courriel(session, messages[1], par="camille", maintenant=PLUS_TARD)
    assert "n'est pas incertain : il n'est pas encore parti" in str(deuxieme.value)
    # Le renvoi passe par l'envoi ordinaire : deux envois de suite ne le doublent pas.
    bilan = envoyer(moteur, [messages[1]], serveur_smtp, tmp_path / "boite")
    assert bilan.lignes_resume() == ["1 message envoyé."]
    envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert message_ids_recus(serveur_smtp)[message_id] == 2  # la transmission perdue, puis le renvoi
    assert all(nombre == 1 for cle, nombre in message_ids_recus(serveur_smtp).items() if cle != message_id)
    jean = lignes(moteur)["jean@exemple.fr"]
    assert (jean.etat, jean.tentatives) == ("envoye", 2)
    assert verifications(moteur) == [(messages[1], "renvoye", "camille", PLUS_TARD, "rien reçu")]


@pytest.mark.parametrize(
    ("etat", "raison"),
    [
        ("envoye", "il a été envoyé"),
        ("a_envoyer", "il n'est pas encore parti ; le prochain envoi de sa réunion l'enverra"),
        ("echec_temporaire", "il n'est pas encore parti ; le prochain envoi de sa réunion l'enverra"),
        ("echec", "le serveur l'a refusé (« 550 refusé »), il n'est jamais arrivé"),
        ("caduc", "il est devenu sans objet avant son envoi et n'est jamais parti"),
    ],
)
def test_seul_un_incertain_se_tranche_et_un_refus_dit_pourquoi_sans_rien_changer(
    moteur: Engine, messages: list[int], etat: str, raison: str
) -> None:
    with ouvrir_session(moteur, ecriture=True) as session:
        session.execute(
            update(Message).where(Message.id == messages[0]).values(etat=etat, reponse_serveur="550 refusé")
        )
    for trancher, verbe in ((confirmer_courriel, "confirmer"), (renvoyer_courriel, "renvoyer")):
        with ouvrir_session(moteur, ecriture=True) as session, pytest.raises(DonneesInvalides) as refus:
            trancher(session, messages[0], par="camille", maintenant=PLUS_TARD)
        doublon = ", le renvoyer le doublerait" if (etat, verbe) == ("envoye", "renvoyer") else ""
        assert str(refus.value) == (
            f"Le courriel n°{messages[0]} (helene@exemple.fr) n'est pas incertain : {raison}{doublon}. "
            f"Il n'y a rien à {verbe} ; rien n'a changé."
        )
    assert etats(moteur)["helene@exemple.fr"] == etat and verifications(moteur) == []
    with ouvrir_session(moteur, ecriture=True) as session, pytest.raises(Introuvable, match="n°999 : `ctg courriels`"):
        confirmer_courriel(session, 999, par="camille", maintenant=PLUS_TARD)


def test_une_convocation_incertaine_d_une_reunion_modifiee_depuis_ne_se_renvoie_pas(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    reponse_perdue_pour_jean(moteur, messages, serveur_smtp, tmp_path / "boite")
    with ouvrir_session(moteur, ecriture=True) as session:
        session.execute(update(Reunion).values(sequence=1))
    with ouvrir_session(moteur, ecriture=True) as session, pytest.raises(DonneesInvalides) as refus:
        renvoyer_courriel(session, messages[1], par="camille", maintenant=PLUS_TARD)
    assert str(refus.value).startswith(
        f"Le courriel n°{messages[1]} ne peut pas être renvoyé : il annonce la révision 0 de la réunion n°1, "
        "qui en est à la révision 1 : la dernière version part à tous les invités."
    )
    assert etats(moteur)["jean@exemple.fr"] == "incertain"


# --- Le récapitulatif de la semaine ---------------------------------------------------------------------------------


def test_le_recapitulatif_de_la_semaine_liste_les_incertains_a_trancher_jusqu_a_ce_qu_ils_le_soient(
    moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    reponse_perdue_pour_jean(moteur, messages[:2], serveur_smtp, tmp_path / "boite")
    with ouvrir_session(moteur, ecriture=True) as session:  # Zoé : son envoi a été tué, il est resté « en cours »
        session.execute(
            update(Message)
            .where(Message.id == messages[2])
            .values(etat="en_cours", tente_le=PLUS_TARD - timedelta(hours=1))
        )

    def recapituler() -> str:
        with ouvrir_session(moteur) as session:
            territoire = session.scalars(select(Territoire)).one()
            recapitulatif = construire_recapitulatif(
                session,
                territoire,
                PLUS_TARD.date(),
                semaines=4,
                cle="recapitulatif/lunion/2026-S49",
                organisateur="ctg@mairie-exemple.fr",
                maintenant=PLUS_TARD,
            )
        coordinateur = CoordinateurVue("Camille Coordinatrice", None, "ctg@mairie-exemple.fr", None)
        return texte_recapitulatif(recapitulatif, coordinateur)[1].replace("\u00a0", " ")

    texte = recapituler()
    assert "Courriels incertains (2) : la connexion s'est perdue pendant leur envoi" in texte
    assert (
        f"Courriel n°{messages[1]} — convocation pour Jean Fictif (jean@exemple.fr), COPIL du 9 mars 2027, "
        "envoi interrompu le mardi 1er décembre 2026 à 10 h 30"
    ) in texte
    assert f"Courriel n°{messages[2]} — convocation pour Zoé Martin (zoe@exemple.fr)" in texte
    assert "ctg courriel confirmer N s'il l'a reçu, sinon ctg courriel renvoyer N" in texte
    with ouvrir_session(moteur, ecriture=True) as session:
        confirmer_courriel(session, messages[1], par="camille", maintenant=PLUS_TARD)
        renvoyer_courriel(session, messages[2], par="camille", maintenant=PLUS_TARD)
    assert "incertain" not in recapituler()


# --- Un envoi tué par SIGKILL ---------------------------------------------------------------------------------------

#: Un processus d'envoi ordinaire (le même chemin que `ctg reunion convoquer`), vers le serveur de test.
SCRIPT_ENVOI = """\
import sys
from datetime import UTC, datetime
from pathlib import Path

from gouvernance.envoi import ReglagesSmtp, envoyer_messages
from modeles.moteur import creer_moteur

url, port, numeros = sys.argv[1], int(sys.argv[2]), [int(n) for n in sys.argv[3].split(",")]
smtp = ReglagesSmtp("127.0.0.1", port, None, None, "none", "ctg@mairie-exemple.fr", 30)
envoyer_messages(creer_moteur(url), numeros, smtp=smtp, boite=Path("boite"), maintenant=lambda: datetime.now(UTC))
print("fini sans avoir été tué")
"""


def test_un_envoi_tue_par_sigkill_laisse_un_message_qui_se_montre_incertain_et_se_tranche(
    url_base: str, moteur: Engine, messages: list[int], serveur_smtp: ServeurSmtp, tmp_path: Path
) -> None:
    processus: list[subprocess.Popen[str]] = []
    tue = threading.Event()

    def tuer_pendant_le_deuxieme_message() -> None:
        if len(serveur_smtp.recus) == 1:  # les données de Jean sont arrivées, le client attend la réponse
            os.kill(processus[0].pid, signal.SIGKILL)
            processus[0].wait(timeout=30)  # mort avant que le serveur réponde : la réponse ne sera jamais lue
            tue.set()

    serveur_smtp.pannes.pendant_les_donnees = tuer_pendant_le_deuxieme_message
    avant = datetime.now(UTC)
    commande = [sys.executable, "-c", SCRIPT_ENVOI, url_base, str(serveur_smtp.port), ",".join(map(str, messages))]
    processus.append(
        subprocess.Popen(commande, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    )
    if not tue.wait(timeout=120):
        processus[0].kill()
        pytest.fail(f"l'envoi n'a pas atteint le deuxième message : {processus[0].communicate()}")
    assert processus[0].returncode == -signal.SIGKILL
    serveur_smtp.reparer()
    jean = lignes(moteur)["jean@exemple.fr"]
    assert list(etats(moteur).values()) == ["envoye", "en_cours", "a_envoyer", "a_envoyer"]
    assert jean.tente_le is not None and avant <= jean.tente_le <= datetime.now(UTC)

    # Juste après : son envoi pourrait être en marche ailleurs ; il est « en cours » et ne se tranche pas encore.
    tout_de_suite = datetime.now(UTC)
    with ouvrir_session(moteur) as session:
        assert lister_courriels(session, etat="incertain", maintenant=tout_de_suite) == []
        en_attente = lister_courriels(session, etat="en-attente", maintenant=tout_de_suite)
    assert [(ligne.destinataire, ligne.etat_libelle) for ligne in en_attente] == [
        ("jean@exemple.fr", "envoi en cours"),
        ("zoe@exemple.fr", "à envoyer"),
        ("paul@exemple.fr", "à envoyer"),
    ]
    with (
        ouvrir_session(moteur, ecriture=True) as session,
        pytest.raises(DonneesInvalides, match="son envoi est en cours"),
    ):
        confirmer_courriel(session, messages[1], par="camille", maintenant=tout_de_suite)

    # Dix minutes plus tard, aucun envoi ne dure autant : il est incertain, et se tranche.
    plus_tard = jean.tente_le + timedelta(minutes=11)
    with ouvrir_session(moteur) as session:
        (ligne,) = lister_courriels(session, etat="incertain", maintenant=plus_tard)
    assert ligne.destinataire == "jean@exemple.fr" and ligne.etat == "incertain"
    assert ligne.etat_libelle.startswith("incertain (envoi interrompu le ")
    with ouvrir_session(moteur) as session:  # `ctg reunion voir` le dit aussi
        reunion = exiger_reunion(session, ligne.reunion or 0)
        etats_vus = [m["etat"] for m in decrire_reunion(session, reunion, maintenant=plus_tard)["messages"]]
    assert etats_vus == ["envoye", "incertain", "a_envoyer", "a_envoyer"]
    with ouvrir_session(moteur, ecriture=True) as session:
        confirmer_courriel(session, messages[1], par="camille", note="reçue, dit-il", maintenant=plus_tard)
    envoyer(moteur, messages, serveur_smtp, tmp_path / "boite")
    assert set(etats(moteur).values()) == {"envoye"}
    verifier_recus_une_seule_fois(
        serveur_smtp, ["helene@exemple.fr", "jean@exemple.fr", "zoe@exemple.fr", "paul@exemple.fr"]
    )
    assert [(numero, issue) for numero, issue, *_ in verifications(moteur)] == [(messages[1], "confirme")]


# --- Par Prefect et en ligne de commande ----------------------------------------------------------------------------


@pytest.fixture
def ctg_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serveur_prefect: str, serveur_smtp: ServeurSmtp
) -> tuple[Path, list[int]]:
    """Un CTG_HOME (SQLite) dont les quatre convocations partent vers le serveur SMTP local, réessais immédiats."""
    monkeypatch.setenv("CTG_HOME", str(tmp_path))
    monkeypatch.delenv("CTG_DATABASE_URL", raising=False)
    monkeypatch.setenv("CTG_ENVOI_DELAIS", "0,0")
    for nom, valeur in {"HOST": serveur_smtp.hote, "PORT": str(serveur_smtp.port), "TLS": "none"}.items():
        monkeypatch.setenv(f"CTG_SMTP_{nom}", valeur)
    monkeypatch.setenv("CTG_SMTP_FROM", "ctg@mairie-exemple.fr")
    moteur = creer_base(lire_reglages())
    numeros = preparer_messages(moteur, tmp_path / "messages")
    moteur.dispose()
    return tmp_path, numeros


def test_issue_10_le_bilan_de_l_envoi_reessaye_par_prefect_garde_l_incertain(
    ctg_home: tuple[Path, list[int]], serveur_smtp: ServeurSmtp
) -> None:
    """Le bilan final d'une diffusion (tâche réessayée par Prefect) ne mentionnait plus l'incertain du 1er essai."""
    from flows.convocation import envoyer_avec_reessais

    _, numeros = ctg_home
    pannes = serveur_smtp.pannes
    pannes.couper_apres_donnees = 1  # la réponse pour Jean se perd, une seule fois ; le réessai envoie Zoé et Paul

    def reparer_apres_jean() -> None:
        if len(serveur_smtp.recus) >= 2:
            pannes.couper_apres_donnees = None

    pannes.pendant_les_donnees = reparer_apres_jean
    bilan = envoyer_avec_reessais(numeros)
    assert bilan.nombre("envoye") == 2 and bilan.incertains == [("jean@exemple.fr", numeros[1])]
    assert f"Incertain pour jean@exemple.fr (courriel n°{numeros[1]})" in bilan.lignes_resume()
    verifier_recus_une_seule_fois(
        serveur_smtp, ["helene@exemple.fr", "jean@exemple.fr", "zoe@exemple.fr", "paul@exemple.fr"]
    )


def test_ctg_courriels_montre_l_incertain_et_ctg_courriel_le_renvoie_une_fois(
    ctg_home: tuple[Path, list[int]], serveur_smtp: ServeurSmtp, serveur_prefect: str
) -> None:
    dossier, numeros = ctg_home
    moteur = ouvrir_base(lire_reglages())
    reponse_perdue_pour_jean(moteur, numeros, serveur_smtp, dossier / "boite")
    message_id = lignes(moteur)["jean@exemple.fr"].message_id
    moteur.dispose()

    tableau = lancer(dossier, serveur_prefect, "courriels", "--etat", "incertain")
    assert tableau.returncode == 0, tableau.stderr
    assert "jean@exemple.fr" in tableau.stdout and "incertain" in tableau.stdout
    assert "helene@exemple.fr" not in tableau.stdout
    assert "`ctg courriel confirmer N` s'il l'a reçu, `ctg courriel renvoyer N` sinon." in tableau.stdout
    en_json = json.loads(lancer(dossier, serveur_prefect, "courriels", "--reunion", "1", "--json").stdout)
    assert [(c["numero"], c["etat"]) for c in en_json] == [
        (numeros[0], "envoye"),
        (numeros[1], "incertain"),
        (numeros[2], "a_envoyer"),
        (numeros[3], "a_envoyer"),
    ]
    assert en_json[1]["message_id"] == message_id and en_json[0]["reponse_serveur"].startswith("250 2.0.0 Ok")

    renvoi = lancer(dossier, serveur_prefect, "courriel", "renvoyer", str(numeros[1]), "--note", "rien reçu")
    assert renvoi.returncode == 0, renvoi.stderr
    assert f"Courriel n°{numeros[1]} à jean@exemple.fr : à renvoyer" in renvoi.stdout
    assert "1 message envoyé." in renvoi.stdout
    assert message_ids_recus(serveur_smtp)[message_id] == 2  # la transmission perdue, puis le renvoi

    verifier_erreur(
        lancer(dossier, serveur_prefect, "courriel", "renvoyer", str(numeros[1])),
        f"Le courriel n°{numeros[1]} (jean@exemple.fr) n'est pas incertain : il a été envoyé le ",
        "le renvoyer le doublerait. Il n'y a rien à renvoyer ; rien n'a changé.",
    )
    verifier_erreur(lancer(dossier, serveur_prefect, "courriel", "confirmer", "99"), "Aucun courriel ne porte le n°99")
    assert message_ids_recus(serveur_smtp)[message_id] == 2
    moteur = ouvrir_base(lire_reglages())
    assert [(numero, issue, par, note) for numero, issue, par, _, note in verifications(moteur)] == [
        (numeros[1], "renvoye", getpass.getuser(), "rien reçu")
    ]
    moteur.dispose()
