"""Ce que les pages « Réunions » et « Comptes rendus » demandent aux cas d'usage : liste filtrée, planification
depuis un formulaire, aperçu de la convocation, fiche d'une réunion, aperçu puis confirmation d'un compte rendu
téléversé. Sans Prefect, sur SQLite et PostgreSQL."""

# ruff: noqa: F811  (les fixtures de test_services_reunions, importées, sont les paramètres des tests)

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from flows.cli.secretaire_demo import completer_compte_rendu
from gouvernance.comptes_rendus.depot import dossier_des_depots
from gouvernance.erreurs import DonneesInvalides
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import Reglages
from gouvernance.services import comptes_rendus
from gouvernance.services.consultation import (
    chercher_reunions,
    choix_de_planification,
    consulter_reunion,
    lire_filtres,
)
from gouvernance.services.reunions import convoquer_reunion
from gouvernance.services.saisie_reunion import SaisiePoint, SaisieReunion, planifier_depuis_saisie
from modeles import CompteRendu, Message, Reunion
from modeles.moteur import ouvrir_session
from tests.test_services_reunions import (  # noqa: F401 (fixtures partagées)
    CONVOQUEE_LE,
    PLANIFIEE_LE,
    envoyer,
    identifiant,
    moteur_reunion,
    parametres,
    reglages,
)

#: Le lendemain de la réunion du 12 janvier 2027 : son compte rendu peut être importé.
TENUE_LE = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)
COTECH = SaisieReunion(
    instance="cotech",
    jour="2027-02-02",
    heure="14:30",
    duree="1h30",
    lieu="Salle du conseil",
    points=(
        SaisiePoint("Bilan petite enfance", ("3.3", "1.2"), rapporteur="Claire Fictive", duree="30 min"),
        SaisiePoint("Calendrier des ateliers", ("5.1",)),
        SaisiePoint(""),  # une ligne laissée vide dans le formulaire
    ),
    invites=("karim@example.org",),
)


def espaces(texte: str) -> str:
    """Le texte avec des espaces ordinaires au lieu des espaces insécables de la typographie française."""
    return texte.replace("\u202f", " ").replace("\xa0", " ")


def planifier(moteur: Engine, saisie: SaisieReunion, maintenant: datetime = PLANIFIEE_LE) -> int:
    with ouvrir_session(moteur, ecriture=True) as session:
        return planifier_depuis_saisie(session, saisie, territoire=None, maintenant=maintenant).reunion_id


def erreurs_de(moteur: Engine, saisie: SaisieReunion, maintenant: datetime = PLANIFIEE_LE) -> list[str]:
    with pytest.raises(DonneesInvalides) as refus:
        planifier(moteur, saisie, maintenant)
    return refus.value.details


def test_la_reunion_saisie_dans_le_formulaire_a_ses_points_et_leurs_orientations(moteur_reunion: Engine) -> None:
    numero = planifier(moteur_reunion, COTECH)
    with ouvrir_session(moteur_reunion) as session:
        fiche = consulter_reunion(session, numero)
    assert fiche["instance"] == "COTECH" and espaces(fiche["quand"]) == "mardi 2 février 2027 à 14 h 30"
    assert fiche["fin"].startswith("2027-02-02T16:00")
    assert [
        (p["titre"], [o["code"] for o in p["orientations"]], p["rapporteur"], p["duree_minutes"])
        for p in fiche["points"]
    ] == [
        ("Bilan petite enfance", ["1.2", "3.3"], "Claire Fictive", 30),
        ("Calendrier des ateliers", ["5.1"], None, None),
    ]
    assert "karim@example.org" in [i["email"] for i in fiche["invitations"]]


def test_le_formulaire_refuse_avec_les_messages_de_la_commande_nommes_comme_ses_champs(moteur_reunion: Engine) -> None:
    trop_proche = erreurs_de(moteur_reunion, COTECH, maintenant=datetime(2027, 1, 31, 9, 0, tzinfo=UTC))
    assert len(trop_proche) == 1 and espaces(trop_proche[0]).startswith("Date et heure : Le COTECH")
    assert "jours francs" in trop_proche[0]
    heure_d_ete = SaisieReunion(instance="COPIL", jour="2027-03-28", heure="02:30")
    (absente,) = erreurs_de(moteur_reunion, heure_d_ete)
    assert espaces(absente).startswith("Date et heure : 2 h 30 n'existe pas le dimanche 28 mars 2027")
    fautes = SaisieReunion(
        instance="COPIL",
        jour="2027-04-06",
        heure="18:00",
        visio="zoom.example.org/salle",
        points=(SaisiePoint("Bilan", ("9.9",)),),
    )
    (visio,) = erreurs_de(moteur_reunion, fautes)
    assert visio == "Lien de visioconférence : le lien de visioconférence doit commencer par https://"
    fautes = SaisieReunion(instance="COPIL", jour="2027-04-06", heure="18:00", points=(SaisiePoint("Bilan", ("9.9",)),))
    (orientation,) = erreurs_de(moteur_reunion, fautes)
    assert orientation.startswith("Point 1, orientations : « 9.9 » n'est pas une orientation du référentiel")
    (sans_heure,) = erreurs_de(moteur_reunion, SaisieReunion(instance="COPIL", jour="2027-04-06", heure=""))
    assert sans_heure == "Date et heure : indiquez l'heure de la réunion"


def test_un_second_envoi_du_meme_formulaire_ne_cree_pas_une_seconde_reunion(moteur_reunion: Engine) -> None:
    planifier(moteur_reunion, COTECH)
    with pytest.raises(DonneesInvalides, match=r"La réunion n°\d+ existe déjà : COTECH du mardi 2"):
        planifier(moteur_reunion, COTECH)
    with ouvrir_session(moteur_reunion) as session:
        assert session.scalar(select(func.count()).select_from(Reunion)) == 2


def test_la_liste_se_filtre_par_instance_periode_et_statut(moteur_reunion: Engine) -> None:
    planifier(moteur_reunion, COTECH)
    with ouvrir_session(moteur_reunion) as session:

        def titres(**filtres: str) -> list[str]:
            return [r["instance"] for r in chercher_reunions(session, None, lire_filtres(**filtres))]

        assert titres() == ["COPIL", "COTECH"]
        assert titres(instance="cotech") == ["COTECH"]
        assert titres(du="2027-01-13") == ["COTECH"]
        assert titres(du="2027-01-12", au="2027-01-12") == ["COPIL"]
        assert titres(statut="convoquée") == []
        assert titres(statut="planifiée") == ["COPIL", "COTECH"]
    with pytest.raises(DonneesInvalides) as refus:
        lire_filtres(du="12/01/2027", au="2026-01-01", statut="perdue")
    assert refus.value.details[0] == "Du : « 12/01/2027 » n'est pas une date (par exemple 2027-03-09)."
    assert refus.value.details[1].startswith("Statut : « perdue » n'est pas")


def test_le_formulaire_propose_les_instances_les_orientations_et_l_annuaire(moteur_reunion: Engine) -> None:
    with ouvrir_session(moteur_reunion) as session:
        choix = choix_de_planification(session, None)
    assert "COPIL" in [code for code, *_ in choix.instances]
    assert sum(len(orientations) for _, orientations in choix.enjeux) == 33
    assert choix.enjeux[0][1][0][0] == "1.1"
    assert ("claire@example.org", "Claire Fictive") in choix.personnes


def test_la_fiche_donne_le_dernier_courriel_de_chaque_invite_et_ce_qu_on_peut_faire(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    numero = identifiant(moteur_reunion)
    with ouvrir_session(moteur_reunion) as session:
        avant = consulter_reunion(session, numero, dossier=reglages.dossier)
    assert avant["possibilites"].convoquer and avant["possibilites"].supprimer
    assert all(i["dernier_message"] is None for i in avant["invitations"])
    lot = convoquer_reunion(moteur_reunion, numero, parametres(reglages))
    with ouvrir_session(moteur_reunion) as session:
        preparee = consulter_reunion(session, numero, dossier=reglages.dossier)
    # Préparés mais pas partis (issue 10) : la convocation se relance encore.
    assert preparee["possibilites"].convoquer
    assert [i["dernier_message"]["etat_libelle"] for i in preparee["invitations"]] == ["à envoyer", "à envoyer"]
    envoyer(moteur_reunion, reglages, lot.messages)
    with ouvrir_session(moteur_reunion) as session:
        apres = consulter_reunion(session, numero, dossier=reglages.dossier)
    assert not apres["possibilites"].convoquer and not apres["possibilites"].supprimer
    assert apres["possibilites"].annuler and apres["possibilites"].compte_rendu
    deposes = ["déposé dans la boîte d'envoi"] * 2
    assert [i["dernier_message"]["etat_libelle"] for i in apres["invitations"]] == deposes
    formats = {d["format"] for d in apres["documents"]}
    assert "DOCX" in formats and all(Path(d["chemin"]).is_file() for d in apres["documents"])


@pytest.fixture
def projet(moteur_reunion: Engine, reglages: Reglages) -> tuple[int, bytes]:
    """La réunion convoquée et son projet de compte rendu, complété par le secrétaire."""
    numero = identifiant(moteur_reunion)
    convoquer_reunion(moteur_reunion, numero, parametres(reglages))
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        ajouter_personne(session, FichePersonne(email="luc@example.org", prenom="Luc", nom="Maquette"))
    chemin = comptes_rendus.generer_compte_rendu(moteur_reunion, numero, parametres(reglages))
    return numero, completer_compte_rendu(chemin.read_bytes(), annee=date.today().year + 1)


def test_le_compte_rendu_televerse_s_apercoit_puis_s_enregistre_a_la_confirmation(
    moteur_reunion: Engine, reglages: Reglages, projet: tuple[int, bytes]
) -> None:
    numero, complete = projet
    depot = comptes_rendus.deposer_compte_rendu(
        moteur_reunion, numero, complete, "CR secrétaire.docx", reglages=reglages, maintenant=TENUE_LE
    )
    apercu = depot.apercu
    assert apercu.acceptable and apercu.lu is not None and apercu.bilan is not None
    assert apercu.lu.decisions[0].texte == "Le bilan des actions petite enfance est approuvé."
    assert apercu.lu.decisions[1].orientations == ("5.3",)
    assert apercu.lu.actions and all(a.orientations for a in apercu.lu.actions)
    with ouvrir_session(moteur_reunion) as session:
        assert session.scalar(select(CompteRendu.statut)) == "projet"  # l'aperçu n'a rien enregistré
    bilan = comptes_rendus.confirmer_compte_rendu(
        moteur_reunion, numero, depot.jeton, depot.nom_fichier, reglages=reglages, maintenant=TENUE_LE
    )
    assert bilan.decisions
    with ouvrir_session(moteur_reunion) as session:
        assert session.scalar(select(CompteRendu.statut)) == "importe"
        fiche = consulter_reunion(session, numero, dossier=reglages.dossier)
    assert fiche["compte_rendu"]["statut_libelle"] == "importé"
    assert fiche["possibilites"].valider and not fiche["possibilites"].diffuser
    assert not list(dossier_des_depots(reglages.dossier).iterdir())  # le dépôt est effacé
    with pytest.raises(DonneesInvalides, match="n'est plus disponible"):
        comptes_rendus.confirmer_compte_rendu(
            moteur_reunion, numero, depot.jeton, depot.nom_fichier, reglages=reglages, maintenant=TENUE_LE
        )


def _bombe() -> bytes:
    """Une archive qui se dit .docx et se décompresse en 60 Mo de zéros."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\0" * 60 * 2**20)
    return tampon.getvalue()


def test_un_fichier_televerse_hostile_ou_faux_est_refuse_sans_rien_garder(
    moteur_reunion: Engine, reglages: Reglages, projet: tuple[int, bytes]
) -> None:
    numero, complete = projet
    with pytest.raises(DonneesInvalides, match="n'est pas un document Word"):
        comptes_rendus.deposer_compte_rendu(
            moteur_reunion, numero, complete, "cr.pdf", reglages=reglages, maintenant=TENUE_LE
        )
    refuse = comptes_rendus.deposer_compte_rendu(
        moteur_reunion, numero, _bombe(), "cr.docx", reglages=reglages, maintenant=TENUE_LE
    )
    assert not refuse.apercu.acceptable and refuse.jeton == ""
    assert "anormalement comprimé" in refuse.apercu.erreurs[0]
    assert not dossier_des_depots(reglages.dossier).exists()
    with ouvrir_session(moteur_reunion) as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 2
