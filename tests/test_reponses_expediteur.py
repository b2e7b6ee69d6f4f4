"""Personne ne répond pour un autre, et aucune réponse n'est figée par une horloge ou une révision du futur.

De vrais courriels .eml (From, Sender, Reply-To, Authentication-Results) importés comme le fait
`ctg reponses importer`, sur SQLite et PostgreSQL ; le relevé IMAP passe par un vrai dovecot.
"""

from __future__ import annotations

import email
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.personnes import FichePersonne, changer_fiche, exiger_personne
from gouvernance.relances.recapitulatif import construire_recapitulatif
from gouvernance.relances.textes import texte_recapitulatif
from gouvernance.reunions.description import decrire_reunion
from gouvernance.reunions.imap.releve import charger_deja_traites, enregistrer_releve, lire_boite
from gouvernance.reunions.reponses import BilanReponses, importer_octets
from gouvernance.reunions.reponses_a_verifier import accepter_reponse, lister_a_verifier, rejeter_reponse
from gouvernance.reunions.vue import CoordinateurVue
from modeles import CourrielRecu, EtatMessage, Message, ReponseAVerifier, Reunion
from modeles.moteur import creer_moteur, ouvrir_session
from tests.serveur_imap import ServeurImap
from tests.test_reponses import COPIL, etat_des_invitations, invitation, preparer_reunion, reponse_ics

IMPORTEE_LE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
#: L'en-tête qu'ajoute le serveur de réception quand l'expéditeur est usurpé.
DMARC_EN_ECHEC = (
    "mx.mairie-lunion.example; spf=fail smtp.mailfrom=evil.example; dkim=none; "
    "dmarc=fail (p=none dis=none) header.from=example.org"
)


def courriel_de(
    expediteur: str,
    calendrier: bytes,
    *,
    objet: str = "Réponse : Comité de pilotage de la CTG",
    entetes: dict[str, str] | None = None,
) -> bytes:
    """Un vrai courriel de réponse : texte, partie text/calendar (METHOD:REPLY) et pièce invite.ics."""
    message = EmailMessage(policy=SMTP)
    for nom, valeur in (entetes or {}).items():
        message[nom] = valeur
    message["From"] = expediteur
    message["To"] = "Nadia Prototype <cooperation.ctg@example.org>"
    message["Subject"] = objet
    message["Message-ID"] = f"<{abs(hash((expediteur, calendrier, objet)))}@messagerie.example.org>"
    message.set_content("Voici ma réponse.")
    message.add_alternative(calendrier, maintype="text", subtype="calendar", params={"method": "REPLY"})
    message.add_attachment(calendrier, maintype="application", subtype="ics", filename="invite.ics")
    return message.as_bytes()


def importer(session: Session, *fichiers: tuple[str, bytes], maintenant: datetime = IMPORTEE_LE) -> BilanReponses:
    return importer_octets(session, fichiers, maintenant=maintenant)


def reponses(session: Session) -> dict[str, str]:
    return {email: reponse for email, reponse, _, _ in etat_des_invitations(session)}


# --- 1. Personne ne répond pour un autre --------------------------------------------------------


def test_un_invite_qui_repond_pour_un_autre_et_un_inconnu_sont_mis_de_cote_a_verifier(session: Session) -> None:
    preparer_reunion(session)
    pour_karim = courriel_de("Claire Fictive <claire@example.org>", reponse_ics("karim@example.org", "DECLINED"))
    pour_sophie = courriel_de("attacker@evil.example", reponse_ics("sophie@example.org", "DECLINED"))
    bilan = importer(session, ("claire-pour-karim.eml", pour_karim), ("pirate.eml", pour_sophie))

    premiere, seconde = bilan.resultats
    assert (premiere.etat, premiere.email, premiere.reponse) == ("a_verifier", "karim@example.org", "DECLINED")
    assert premiere.texte == (
        "à vérifier n°1, non enregistrée : envoyée par claire@example.org au nom de karim@example.org, qui n'est "
        "pas une adresse connue de Karim Modèle. Après avoir vérifié auprès de la personne, "
        "`ctg reponses accepter 1` l'enregistre, `ctg reponses rejeter 1` l'écarte"
    )
    assert seconde.etat == "a_verifier"
    assert "envoyée par attacker@evil.example au nom de sophie@example.org" in seconde.texte
    assert bilan.resume() == (
        "2 fichiers lus : 0 réponse enregistrée, 2 à vérifier (`ctg reponses a-verifier`), 0 ignorée, 0 refusée."
    )
    # Rien n'est enregistré sur les invitations.
    assert set(reponses(session).values()) == {"NEEDS-ACTION"}

    # Les deux adresses sont gardées, et `ctg reunion voir` (sa description) les montre.
    lignes = [ligne.ligne for ligne in lister_a_verifier(session)]
    assert lignes == [
        "n°1 — réunion n°1 (COPIL, mardi 8 décembre 2026) : karim@example.org s'est excusé(e) pour, envoyée par "
        "claire@example.org — envoyée par claire@example.org au nom de karim@example.org, qui n'est pas une "
        "adresse connue de Karim Modèle",
        "n°2 — réunion n°1 (COPIL, mardi 8 décembre 2026) : sophie@example.org s'est excusé(e) pour, envoyée par "
        "attacker@evil.example — envoyée par attacker@evil.example au nom de sophie@example.org, qui n'est pas "
        "une adresse connue de Sophie Invitée",
    ]
    reunion = session.scalars(select(Reunion)).one()
    description = decrire_reunion(session, reunion)
    assert [(r["numero"], r["participant"], r["expediteurs"]) for r in description["a_verifier"]] == [
        (1, "karim@example.org", ["claire@example.org"]),
        (2, "sophie@example.org", ["attacker@evil.example"]),
    ]

    # Relire les mêmes fichiers ne met rien de côté une seconde fois.
    encore = importer(session, ("claire-pour-karim.eml", pour_karim), ("pirate.eml", pour_sophie))
    assert [(r.etat, r.texte) for r in encore.resultats] == [
        ("ignore", "réponse déjà mise de côté (à vérifier n°1)"),
        ("ignore", "réponse déjà mise de côté (à vérifier n°2)"),
    ]
    assert len(session.scalars(select(ReponseAVerifier)).all()) == 2

    # Le coordinateur tranche : Karim confirme au téléphone, Sophie n'a rien envoyé.
    assert accepter_reponse(session, 1, maintenant=IMPORTEE_LE) == (
        f"Réponse n°1 acceptée et enregistrée : karim@example.org s'est excusé(e) pour la {COPIL}."
    )
    assert rejeter_reponse(session, 2, maintenant=IMPORTEE_LE) == (
        "Réponse n°2 rejetée : la réponse de sophie@example.org à la réunion n°1 reste inchangée."
    )
    assert reponses(session) == {
        "claire@example.org": "NEEDS-ACTION",
        "karim@example.org": "DECLINED",
        "sophie@example.org": "NEEDS-ACTION",
    }
    assert [(r.id, r.etat, r.tranchee_le) for r in session.scalars(select(ReponseAVerifier))] == [
        (1, "acceptee", IMPORTEE_LE),
        (2, "rejetee", IMPORTEE_LE),
    ]
    assert lister_a_verifier(session) == []
    with pytest.raises(DonneesInvalides, match=r"n°2 a déjà été rejetée le .* : rien n'a changé"):
        accepter_reponse(session, 2, maintenant=IMPORTEE_LE)
    with pytest.raises(Introuvable, match="Aucune réponse à vérifier ne porte le n°9"):
        rejeter_reponse(session, 9, maintenant=IMPORTEE_LE)


def test_sender_ou_reply_to_d_un_autre_et_un_message_transfere_sont_a_verifier(session: Session) -> None:
    preparer_reunion(session)
    karim = reponse_ics("karim@example.org", "DECLINED")
    par_sender = courriel_de("karim@example.org", karim, entetes={"Sender": "relais@evil.example"})
    par_reply_to = courriel_de("karim@example.org", karim, entetes={"Reply-To": "autre@evil.example"})
    transfert = EmailMessage(policy=SMTP)
    transfert["From"] = "secretariat@example.org"
    transfert["Subject"] = "TR: Réponse de Karim"
    transfert.set_content("Je te transfère la réponse de Karim.")
    transfert.add_attachment(
        email.message_from_bytes(courriel_de("karim@example.org", karim), _class=EmailMessage, policy=SMTP)
    )
    bilan = importer(
        session, ("sender.eml", par_sender), ("reply-to.eml", par_reply_to), ("transfert.eml", transfert.as_bytes())
    )
    assert [(r.etat, r.texte.split(" au nom de ")[0]) for r in bilan.resultats] == [
        ("a_verifier", "à vérifier n°1, non enregistrée : envoyée par relais@evil.example"),
        ("a_verifier", "à vérifier n°2, non enregistrée : envoyée par autre@evil.example"),
        ("a_verifier", "à vérifier n°3, non enregistrée : envoyée par secretariat@example.org"),
    ]
    assert reponses(session)["karim@example.org"] == "NEEDS-ACTION"


def test_une_adresse_secondaire_de_l_invite_compte_comme_la_sienne(session: Session) -> None:
    preparer_reunion(session)
    karim = exiger_personne(session, "karim@example.org")
    modifies = changer_fiche(
        session, karim, FichePersonne(emails_secondaires=("K.Modele@Mairie-LUnion.example", "karim@example.org"))
    )
    assert (modifies, karim.emails_secondaires) == (["emails_secondaires"], ["k.modele@mairie-lunion.example"])
    # Une adresse n'appartient qu'à une personne.
    with pytest.raises(DonneesInvalides, match=r"« claire@example\.org » est déjà une adresse de Claire Fictive"):
        changer_fiche(session, karim, FichePersonne(emails_secondaires=("claire@example.org",)))

    depuis_la_mairie = courriel_de(
        "Karim Modèle <k.modele@mairie-lunion.example>", reponse_ics("karim@example.org", "ACCEPTED")
    )
    # L'ATTENDEE peut aussi être l'adresse secondaire : c'est toujours l'invitation de Karim.
    au_nom_secondaire = courriel_de(
        "karim@example.org",
        reponse_ics("k.modele@mairie-lunion.example", "TENTATIVE", dtstamp="20261130T180000Z"),
    )
    bilan = importer(session, ("mairie.eml", depuis_la_mairie), ("secondaire.eml", au_nom_secondaire))
    assert [(r.etat, r.email, r.reponse) for r in bilan.resultats] == [
        ("applique", "karim@example.org", "ACCEPTED"),
        ("applique", "karim@example.org", "TENTATIVE"),
    ]
    assert reponses(session)["karim@example.org"] == "TENTATIVE"


def test_une_delegation_n_est_enregistree_et_le_delegue_invite_que_depuis_l_adresse_du_delegant(
    session: Session,
) -> None:
    preparer_reunion(session)
    delegation = reponse_ics("karim@example.org", "DELEGATED").replace(
        b"PARTSTAT=DELEGATED", b'PARTSTAT=DELEGATED;DELEGATED-TO="mailto:intrus@example.org"'
    )
    (par_l_intrus,) = importer(session, ("intrus.eml", courriel_de("intrus@example.org", delegation))).resultats
    assert par_l_intrus.etat == "a_verifier"
    assert "envoyée par intrus@example.org au nom de karim@example.org" in par_l_intrus.texte
    invites = [email for email, _, _, _ in etat_des_invitations(session)]
    assert "intrus@example.org" not in invites
    assert invitation(session, "karim@example.org").delegue_a is None

    (par_karim,) = importer(session, ("karim.eml", courriel_de("karim@example.org", delegation))).resultats
    assert (par_karim.etat, par_karim.texte) == (
        "applique",
        f"karim@example.org a délégué sa participation à la {COPIL}, à intrus@example.org ; "
        "intrus@example.org est désormais invité(e)",
    )
    assert invitation(session, "intrus@example.org").role == "invite"
    assert invitation(session, "karim@example.org").delegue_a == "intrus@example.org"


@pytest.mark.parametrize(
    ("authentification", "a_verifier"),
    [
        (DMARC_EN_ECHEC, True),
        ("mx.mairie-lunion.example; spf=fail smtp.mailfrom=example.org; dkim=none", True),
        # Une « signature valide » cachée dans un commentaire ne rachète rien.
        ("mx.mairie-lunion.example; spf=fail smtp.mailfrom=example.org (dkim=pass); dkim=fail", True),
        ("mx.mairie-lunion.example; spf=fail smtp.mailfrom=example.org; dkim=pass header.d=example.org", False),
        ("mx.mairie-lunion.example; spf=pass; dkim=pass; dmarc=pass", False),
    ],
)
def test_un_echec_d_authentification_du_serveur_de_reception_met_la_reponse_de_cote(
    session: Session, authentification: str, a_verifier: bool
) -> None:
    preparer_reunion(session)
    octets = courriel_de(
        "karim@example.org",
        reponse_ics("karim@example.org", "DECLINED"),
        entetes={"Authentication-Results": authentification},
    )
    (resultat,) = importer(session, ("karim.eml", octets)).resultats
    if a_verifier:
        assert resultat.etat == "a_verifier"
        assert "le serveur de réception n'a pas pu authentifier l'expéditeur (" in resultat.texte
        assert reponses(session)["karim@example.org"] == "NEEDS-ACTION"
    else:
        assert resultat.etat == "applique"
        assert reponses(session)["karim@example.org"] == "DECLINED"


def test_un_fichier_ics_nu_importe_par_le_coordinateur_est_enregistre(session: Session) -> None:
    """Sans courriel autour, il n'y a pas d'expéditeur à comparer : le coordinateur l'importe lui-même."""
    preparer_reunion(session)
    (resultat,) = importer(session, ("karim.ics", reponse_ics("karim@example.org", "DECLINED"))).resultats
    assert resultat.etat == "applique"


def test_accepter_une_reponse_devenue_depassee_est_refuse_en_francais(session: Session) -> None:
    from gouvernance.reunions.cycle import appliquer_modification

    reunion = preparer_reunion(session)
    importer(session, ("pirate.eml", courriel_de("attacker@evil.example", reponse_ics("karim@example.org"))))
    appliquer_modification(reunion, lieu="Salle des fêtes", maintenant=IMPORTEE_LE)
    with pytest.raises(DonneesInvalides) as erreur:
        accepter_reponse(session, 1, maintenant=IMPORTEE_LE)
    assert str(erreur.value) == (
        "La réponse à vérifier n°1 ne peut pas être enregistrée : réponse à une version dépassée (révision 0 ; "
        "la réunion en est à la révision 1) : le participant doit répondre à la dernière invitation. "
        "Écartez-la avec `ctg reponses rejeter 1`."
    )
    assert reponses(session)["karim@example.org"] == "NEEDS-ACTION"


def test_le_recapitulatif_de_la_semaine_liste_les_reponses_a_verifier(session: Session) -> None:
    reunion = preparer_reunion(session)
    importer(session, ("pirate.eml", courriel_de("attacker@evil.example", reponse_ics("sophie@example.org"))))
    recapitulatif = construire_recapitulatif(
        session,
        reunion.instance.territoire,
        date(2026, 12, 1),
        semaines=4,
        cle="recapitulatif/lunion/2026-S49",
        organisateur="cooperation.ctg@example.org",
    )
    _, texte, _ = texte_recapitulatif(
        recapitulatif, CoordinateurVue("Nadia Prototype", None, "cooperation.ctg@example.org", None)
    )
    assert "Réponses à vérifier (1), non enregistrées" in texte
    assert "sophie@example.org a accepté, envoyée par attacker@evil.example" in texte
    assert "ctg reponses accepter N, ou ctg reponses rejeter N" in texte


# --- 2. Ni horloge ni révision du futur ---------------------------------------------------------


def test_un_dtstamp_du_futur_est_date_de_son_arrivee_et_ne_bloque_pas_les_reponses_suivantes(
    session: Session,
) -> None:
    preparer_reunion(session)
    futur = courriel_de("karim@example.org", reponse_ics("karim@example.org", "DECLINED", dtstamp="20991231T000000Z"))
    (resultat,) = importer(session, ("futur.eml", futur)).resultats
    assert resultat.etat == "applique"
    assert resultat.texte.replace("\u00a0", " ") == (
        f"karim@example.org s'est excusé(e) pour la {COPIL} (son horodatage DTSTAMP, jeudi 31 décembre 2099 à "
        "1 h 00, est dans le futur : elle est datée de son arrivée, mardi 1er décembre 2026 à 10 h 00)"
    )
    assert invitation(session, "karim@example.org").repondu_le == IMPORTEE_LE
    # Relu, il ne change rien.
    (relu,) = importer(session, ("futur.eml", futur), maintenant=datetime(2026, 12, 1, 12, tzinfo=UTC)).resultats
    assert (relu.etat, relu.texte) == ("ignore", "réponse déjà enregistrée")

    # La vraie réponse, envoyée plus tard, l'emporte.
    vraie = courriel_de("karim@example.org", reponse_ics("karim@example.org", "ACCEPTED", dtstamp="20261202T080000Z"))
    (suivante,) = importer(session, ("vraie.eml", vraie), maintenant=datetime(2026, 12, 2, 8, 5, tzinfo=UTC)).resultats
    assert suivante.etat == "applique"
    assert reponses(session)["karim@example.org"] == "ACCEPTED"

    # Mise de côté, la même réponse du futur relue plus tard n'est pas mise de côté deux fois.
    pirate = courriel_de("attacker@evil.example", reponse_ics("sophie@example.org", dtstamp="20991231T000000Z"))
    etats = [
        importer(session, ("pirate.eml", pirate), maintenant=datetime(2026, 12, 1, heure, tzinfo=UTC)).resultats[0].etat
        for heure in (9, 12)
    ]
    assert etats == ["a_verifier", "ignore"]
    assert len(session.scalars(select(ReponseAVerifier)).all()) == 1


def test_une_heure_du_futur_deja_enregistree_ne_bloque_plus_les_reponses(session: Session) -> None:
    preparer_reunion(session)
    invitation(session, "karim@example.org").repondu_le = datetime(2099, 12, 31, tzinfo=UTC)
    vraie = courriel_de("karim@example.org", reponse_ics("karim@example.org", "ACCEPTED"))
    (resultat,) = importer(session, ("vraie.eml", vraie)).resultats
    assert resultat.etat == "applique"


def test_une_revision_jamais_envoyee_est_refusee(session: Session) -> None:
    reunion = preparer_reunion(session)
    (rien_envoye,) = importer(
        session, ("99.eml", courriel_de("karim@example.org", reponse_ics("karim@example.org", sequence=99)))
    ).resultats
    assert (rien_envoye.etat, rien_envoye.raison) == (
        "refuse",
        "réponse à une version de l'invitation qui n'a jamais été envoyée (révision 99 ; la dernière envoyée à "
        "karim@example.org est la révision 0)",
    )
    # La réunion est passée à la révision 1, mais la modification n'est pas encore partie chez Karim.
    reunion.sequence = 1
    for numero, (sequence, etat) in enumerate([(0, "envoye"), (1, "a_envoyer")]):
        session.add(
            Message(
                cle=f"reunion/{reunion.id}/{sequence}/karim",
                reunion_id=reunion.id,
                nature="convocation" if sequence == 0 else "modification",
                sequence=sequence,
                destinataire="karim@example.org",
                objet="Convocation",
                message_id=f"<{numero}@ctg.example.org>",
                chemin=f"boite-envoi/{numero}.eml",
                etat=etat,
                cree_le=IMPORTEE_LE,
            )
        )
    session.flush()
    (pas_encore,) = importer(
        session, ("1.eml", courriel_de("karim@example.org", reponse_ics("karim@example.org", sequence=1)))
    ).resultats
    assert pas_encore.etat == "refuse"
    assert "qui n'a jamais été envoyée (révision 1 ; la dernière envoyée à karim@example.org est la révision 0)" in (
        pas_encore.texte
    )
    session.scalars(select(Message).where(Message.sequence == 1)).one().etat = EtatMessage.ENVOYE
    (envoyee,) = importer(
        session, ("1.eml", courriel_de("karim@example.org", reponse_ics("karim@example.org", sequence=1)))
    ).resultats
    assert envoyee.etat == "applique"


# --- Le relevé IMAP suit les mêmes règles (vrai dovecot) ----------------------------------------


def test_le_releve_imap_met_de_cote_la_reponse_d_un_usurpateur_et_ne_croit_pas_un_dtstamp_du_futur(
    session: Session, serveur_imap: ServeurImap
) -> None:
    preparer_reunion(session)
    boite = serveur_imap.nouvelle_boite()
    serveur_imap.deposer(
        boite,
        courriel_de("attacker@evil.example", reponse_ics("sophie@example.org", "DECLINED"), objet="Refusé"),
        courriel_de(
            "karim@example.org",
            reponse_ics("karim@example.org", "DECLINED"),
            objet="Refusé : COPIL",
            entetes={"Authentication-Results": DMARC_EN_ECHEC},
        ),
        courriel_de("claire@example.org", reponse_ics("claire@example.org", dtstamp="20991231T000000Z"), objet="Oui"),
        courriel_de("claire@example.org", reponse_ics("claire@example.org", sequence=99), objet="Oui encore"),
    )
    reglages = serveur_imap.reglages(boite)
    releve = lire_boite(reglages, charger_deja_traites(session, reglages.dossier))
    bilan = enregistrer_releve(session, releve, maintenant=IMPORTEE_LE)
    assert [(ligne.expediteur, ligne.etat) for ligne in bilan.lignes] == [
        ("attacker@evil.example", "a_verifier"),
        ("karim@example.org", "a_verifier"),
        ("claire@example.org", "applique"),
        ("claire@example.org", "refuse"),
    ]
    assert "envoyée par attacker@evil.example au nom de sophie@example.org" in bilan.lignes[0].texte
    assert "(dmarc=fail)" in bilan.lignes[1].texte
    assert "est dans le futur : elle est datée de son arrivée" in bilan.lignes[2].texte
    assert "n'a jamais été envoyée" in bilan.lignes[3].texte
    assert bilan.resume() == (
        "4 nouveaux courriels dans « INBOX » : 1 réponse enregistrée, 2 à vérifier (`ctg reponses a-verifier`), "
        "0 ignorée, 1 refusée ; 0 sans calendrier (non téléchargé)."
    )
    assert reponses(session) == {
        "claire@example.org": "ACCEPTED",
        "karim@example.org": "NEEDS-ACTION",
        "sophie@example.org": "NEEDS-ACTION",
    }
    assert [ligne.resultat for ligne in session.scalars(select(CourrielRecu).order_by(CourrielRecu.uid))] == [
        "a_verifier",
        "a_verifier",
        "applique",
        "refuse",
    ]
    assert invitation(session, "claire@example.org").repondu_le == IMPORTEE_LE


# --- Les commandes ------------------------------------------------------------------------------


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
    from flows.cli.principal import ctg

    environnement = {"CTG_HOME": str(ctg_home), "CTG_DATABASE_URL": None, "COLUMNS": "250", "NO_COLOR": "1"}
    resultat = CliRunner().invoke(ctg, list(arguments), env=environnement)
    if resultat.exception is not None and not isinstance(resultat.exception, SystemExit):
        raise resultat.exception
    return resultat.exit_code, resultat.output


def test_les_commandes_importer_a_verifier_accepter_rejeter_et_reunion_voir(ctg_home: Path, tmp_path: Path) -> None:
    boite = tmp_path / "réponses"
    boite.mkdir()
    (boite / "1-pirate.eml").write_bytes(
        courriel_de("attacker@evil.example", reponse_ics("sophie@example.org", "DECLINED"))
    )
    (boite / "2-claire.eml").write_bytes(courriel_de("claire@example.org", reponse_ics("karim@example.org")))
    code, sortie = lancer(ctg_home, "reponses", "importer", str(boite))
    assert code == 0, sortie
    assert f"? {boite / '1-pirate.eml'} (sophie@example.org, réunion n°1) : à vérifier n°1, non enregistrée" in sortie
    assert sortie.endswith(
        "2 fichiers lus : 0 réponse enregistrée, 2 à vérifier (`ctg reponses a-verifier`), 0 ignorée, 0 refusée.\n"
    )

    code, sortie = lancer(ctg_home, "reunion", "voir", "1")
    assert code == 0, sortie
    assert "Réponses à vérifier (2), non enregistrées :" in sortie
    assert "? n°1 — réunion n°1 (COPIL, mardi 8 décembre 2026) : sophie@example.org s'est excusé(e) pour" in sortie
    assert "envoyée par attacker@evil.example" in sortie

    code, sortie = lancer(ctg_home, "reponses", "a-verifier", "--json")
    assert code == 0, sortie
    assert [(r["numero"], r["expediteurs"], r["etat"]) for r in json.loads(sortie)] == [
        (1, ["attacker@evil.example"], "a_verifier"),
        (2, ["claire@example.org"], "a_verifier"),
    ]

    code, sortie = lancer(ctg_home, "reponses", "rejeter", "1")
    assert (code, sortie) == (
        0,
        "✓ Réponse n°1 rejetée : la réponse de sophie@example.org à la réunion n°1 reste inchangée.\n",
    )
    code, sortie = lancer(ctg_home, "reponses", "accepter", "2")
    assert code == 0, sortie
    assert sortie.startswith("✓ Réponse n°2 acceptée et enregistrée : karim@example.org a accepté la réunion n°1")
    # La vraie commande, dans un processus à part : une erreur en français, pas de trace Python.
    deja = subprocess.run(
        [str(Path(sys.executable).parent / "ctg"), "reponses", "accepter", "2"],
        env={k: v for k, v in os.environ.items() if k != "CTG_DATABASE_URL"} | {"CTG_HOME": str(ctg_home)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert deja.returncode == 1
    assert deja.stderr.startswith("Erreur : La réponse à vérifier n°2 a déjà été acceptée le ")
    assert "Traceback" not in deja.stderr + deja.stdout
    code, sortie = lancer(ctg_home, "reponses", "a-verifier")
    assert (code, sortie) == (0, "Aucune réponse à vérifier.\n")

    code, sortie = lancer(
        ctg_home, "personnes", "modifier", "sophie@example.org", "--email-secondaire", "s.invitee@asso.example"
    )
    assert (code, sortie) == (0, "Sophie Invitée : modifié : adresses secondaires.\n")
    code, sortie = lancer(ctg_home, "personnes", "--json")
    assert code == 0, sortie
    fiches = {fiche["email"]: fiche for fiche in json.loads(sortie)}
    assert fiches["sophie@example.org"]["emails_secondaires"] == ["s.invitee@asso.example"]
    assert fiches["karim@example.org"]["emails_secondaires"] == []
    moteur = creer_moteur(f"sqlite:///{ctg_home / 'ctg.sqlite3'}")
    with ouvrir_session(moteur) as ouverte:
        assert exiger_personne(ouverte, "sophie@example.org").emails_secondaires == ["s.invitee@asso.example"]
        assert reponses(ouverte) == {
            "claire@example.org": "NEEDS-ACTION",
            "karim@example.org": "ACCEPTED",
            "sophie@example.org": "NEEDS-ACTION",
        }
    moteur.dispose()


# --- Les adresses secondaires viennent aussi du tableur des contacts ----------------------------


def test_le_tableur_des_contacts_donne_les_adresses_secondaires_et_en_refuse_une_deja_prise(
    session: Session,
) -> None:
    from gouvernance.contacts import enregistrer_contacts, lire_contacts_csv
    from tests.test_contacts import CODES, creer_territoire, csv_windows

    territoire = creer_territoire(session)
    entete = "prenom;nom;email;Autres adresses"
    lignes = lire_contacts_csv(
        csv_windows(
            entete,
            "Hélène;Lefèvre;helene.lefevre@example.org;H.Lefevre@Mairie.example, helene@perso.example",
            "Agnès;Müller;agnes.muller@example.org;",
        ),
        codes_instances=CODES,
    )
    enregistrer_contacts(session, territoire, lignes, aujourd_hui=date(2026, 12, 1))
    assert exiger_personne(session, "helene.lefevre@example.org").emails_secondaires == [
        "h.lefevre@mairie.example",
        "helene@perso.example",
    ]
    assert exiger_personne(session, "agnes.muller@example.org").emails_secondaires == []

    # Dans le même fichier, ou déjà dans l'annuaire : une adresse n'appartient qu'à une personne.
    with pytest.raises(DonneesInvalides) as dans_le_fichier:
        lire_contacts_csv(
            csv_windows(entete, "A;B;a@example.org;commun@example.org", "C;D;c@example.org;commun@example.org"),
            codes_instances=CODES,
        )
    assert dans_le_fichier.value.details == [
        "ligne 3, colonne « Autres adresses » : l'adresse « commun@example.org » figure déjà ligne 2 ; "
        "une adresse n'appartient qu'à une personne."
    ]
    deja_prise = lire_contacts_csv(
        csv_windows(entete, "Agnès;Müller;agnes.muller@example.org;helene@perso.example"), codes_instances=CODES
    )
    with pytest.raises(DonneesInvalides) as dans_l_annuaire:
        enregistrer_contacts(session, territoire, deja_prise, aujourd_hui=date(2026, 12, 1))
    assert dans_l_annuaire.value.details == [
        "ligne 2, colonne « emails_secondaires » : « helene@perso.example » est déjà une adresse de Hélène Lefèvre "
        "(helene.lefevre@example.org) ; une adresse n'appartient qu'à une personne."
    ]
