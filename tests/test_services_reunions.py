"""Les cas d'usage d'une réunion (gouvernance.services.reunions), sans Prefect, sur SQLite et PostgreSQL."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from gouvernance.bilan.lecture import lire_bilan
from gouvernance.documents.pdf import convertir_en_pdf, libreoffice_disponible
from gouvernance.documents.rendu import MODELES_D_ORIGINE
from gouvernance.envoi import BilanEnvoi, ReglagesSmtp
from gouvernance.erreurs import DiffusionEnCours, DonneesInvalides
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import Reglages
from gouvernance.reunions.demande import lire_demande
from gouvernance.reunions.description import decrire_reunion, exiger_reunion
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.services.apercu_convocation import apercevoir_convocation
from gouvernance.services.diffusion import envoyer_courriels, reprendre_diffusions, verrouiller_diffusion
from gouvernance.services.reunions import (
    annuler_reunion,
    convoquer_reunion,
    modifier_reunion,
    planifier_reunion,
    preparer_diffusion,
    rediger_documents,
    verifier_convocation,
)
from gouvernance.services.suppression_reunion import supprimer_reunion
from gouvernance.territoires import choisir_territoire
from modeles import Base, Document, Invitation, Message, Reunion
from modeles.moteur import ouvrir_session
from tests.conftest import manque
from tests.fabriques import charger_lunion
from tests.serveur_smtp import ServeurSmtp

PLANIFIEE_LE = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
CONVOQUEE_LE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
ENVOYEE_LE = datetime(2026, 11, 30, 9, 2, tzinfo=UTC)
REUNION = "instance: COPIL\ndebut: 2027-01-12 18:00\npoints:\n  - titre: Bilan\n"
MEMBRES = [("claire@example.org", "Claire", "Fictive", "president"), ("karim@example.org", "Karim", "Modèle", "membre")]
COORDINATEUR = {"CTG_COORDINATEUR_NOM": "Nadia Prototype", "CTG_COORDINATEUR_EMAIL": "cooperation.ctg@example.org"}


@pytest.fixture
def reglages(url_base: str, tmp_path: Path) -> Reglages:
    return Reglages(dossier=tmp_path, url_base=url_base, valeurs=COORDINATEUR)


@pytest.fixture
def moteur_reunion(moteur: Engine) -> Engine:
    """L'Union, un COPIL de deux membres et sa réunion n°… du 12 janvier 2027, planifiée."""
    with ouvrir_session(moteur, ecriture=True) as session:
        territoire = charger_lunion(session)
        copil = exiger_instance(session, territoire, "COPIL")
        for adresse, prenom, nom, role in MEMBRES:
            personne = ajouter_personne(session, FichePersonne(email=adresse, prenom=prenom, nom=nom))
            ajouter_membre(session, copil, personne, role)
        planifiee = planifier_reunion(
            session, lire_demande(REUNION, "r.yaml"), territoire=None, maintenant=PLANIFIEE_LE, uid="copil@ctg.test"
        )
    assert planifiee.invites == 2
    return moteur


def identifiant(moteur: Engine) -> int:
    with ouvrir_session(moteur) as session:
        trouve = session.scalar(select(Reunion.id))
    assert trouve is not None
    return int(trouve)


def parametres(reglages: Reglages, convertir: object = None) -> Parametres:
    return Parametres(
        reglages=reglages,
        maintenant=CONVOQUEE_LE,
        modeles=MODELES_D_ORIGINE,
        convertir_en_pdf=convertir,  # type: ignore[arg-type]
        smtp=False,
    )


def compter(moteur: Engine, modele: type[Message] | type[Document] | type[Reunion]) -> int:
    with ouvrir_session(moteur) as session:
        return session.scalar(select(func.count()).select_from(modele)) or 0


def fichiers(dossier: Path) -> list[Path]:
    return sorted(chemin for chemin in dossier.rglob("*") if chemin.is_file()) if dossier.exists() else []


def statut(moteur: Engine, numero: int) -> tuple[str, datetime | None]:
    with ouvrir_session(moteur) as session:
        reunion = session.get(Reunion, numero)
        assert reunion is not None
        return reunion.statut, reunion.convoquee_le


def envoyer(moteur: Engine, reglages: Reglages, messages: list[int], smtp: ReglagesSmtp | None = None) -> BilanEnvoi:
    return envoyer_courriels(
        moteur, messages, smtp=smtp, boite=reglages.boite_envoi, dossier=reglages.dossier, maintenant=lambda: ENVOYEE_LE
    )


def test_convoquer_prepare_un_message_par_invite_et_la_reunion_n_est_convoquee_qu_une_fois_ses_courriels_partis(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    numero = identifiant(moteur_reunion)
    lot = convoquer_reunion(moteur_reunion, numero, parametres(reglages))
    assert len(lot.messages) == 2 and lot.deja_prepares == 0
    assert all(chemin.is_file() for chemin in lot.documents)
    assert statut(moteur_reunion, numero) == ("planifiee", None)  # préparés, pas encore partis
    envoyer(moteur_reunion, reglages, lot.messages)
    assert statut(moteur_reunion, numero) == ("convoquee", ENVOYEE_LE)  # l'heure où le dernier est parti
    again = convoquer_reunion(moteur_reunion, numero, parametres(reglages))
    assert again.messages == lot.messages and again.deja_prepares == 2
    assert len(fichiers(reglages.boite_envoi)) == 2


def test_issue_9_une_annulation_pendant_le_rendu_n_enregistre_rien_et_efface_les_fichiers(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    """Le rendu se faisait dans la transaction d'écriture : personne ne pouvait annuler pendant ce temps."""
    numero = identifiant(moteur_reunion)

    def convertir_puis_annuler(docx: list[Path], dossier: Path) -> list[Path]:
        # Écrire ici n'attend aucun verrou : la convocation n'a aucune transaction ouverte pendant la conversion.
        with ouvrir_session(moteur_reunion, ecriture=True) as session:
            annuler_reunion(session, numero, "Salle indisponible", reglages=reglages)
        pdf = [chemin.with_suffix(".pdf") for chemin in docx]
        for chemin in pdf:
            chemin.write_bytes(b"%PDF-1.4 factice")
        return pdf

    with pytest.raises(DonneesInvalides, match="annulée pendant la préparation des documents : rien n'a été"):
        convoquer_reunion(moteur_reunion, numero, parametres(reglages, convertir_puis_annuler))
    assert compter(moteur_reunion, Message) == 0
    assert compter(moteur_reunion, Document) == 0
    assert fichiers(reglages.dossier_documents) == [] and fichiers(reglages.boite_envoi) == []


def test_deux_preparations_qui_se_croisent_ne_creent_qu_un_courriel_par_invite(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    numero = identifiant(moteur_reunion)
    premiere: list[int] = []

    def convertir_pendant_une_autre(docx: list[Path], dossier: Path) -> list[Path]:
        if not premiere:
            premiere.extend(convoquer_reunion(moteur_reunion, numero, parametres(reglages)).messages)
        return list(docx)

    lot = convoquer_reunion(moteur_reunion, numero, parametres(reglages, convertir_pendant_une_autre))
    assert lot.messages == premiere and lot.deja_prepares == 2
    assert compter(moteur_reunion, Message) == 2
    assert len(fichiers(reglages.boite_envoi)) == 2


def test_modifier_dit_qui_prevenir(moteur_reunion: Engine, reglages: Reglages) -> None:
    numero = identifiant(moteur_reunion)

    def modifier(**options: object) -> tuple[str, int]:
        with ouvrir_session(moteur_reunion, ecriture=True) as session:
            modifiee = modifier_reunion(session, numero, reglages=reglages, maintenant=CONVOQUEE_LE, **options)  # type: ignore[arg-type]
            reunion = session.get(Reunion, numero)
            assert reunion is not None
            return modifiee.suite, reunion.sequence

    assert modifier(lieu="Salle A") == ("a_convoquer", 1)
    assert modifier(lieu="Salle A") == ("rien", 1)
    envoyer(moteur_reunion, reglages, convoquer_reunion(moteur_reunion, numero, parametres(reglages)).messages)
    assert modifier(titre="COPIL de janvier") == ("rediger", 1)
    assert modifier(titre="COPIL de janvier 2027", renvoyer=True) == ("diffuser", 2)
    assert modifier(lieu="Salle B") == ("diffuser", 3)


def test_une_modification_qu_on_ne_peut_pas_envoyer_n_est_pas_enregistree(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    numero = identifiant(moteur_reunion)
    envoyer(moteur_reunion, reglages, convoquer_reunion(moteur_reunion, numero, parametres(reglages)).messages)
    sans_coordinateur = Reglages(dossier=reglages.dossier, url_base=reglages.url_base, valeurs={})
    with (
        pytest.raises(DonneesInvalides, match="coordinateur"),
        ouvrir_session(moteur_reunion, ecriture=True) as session,
    ):
        modifier_reunion(session, numero, reglages=sans_coordinateur, maintenant=CONVOQUEE_LE, lieu="Salle B")
    with ouvrir_session(moteur_reunion) as session:
        reunion = session.get(Reunion, numero)
        assert reunion is not None and reunion.lieu != "Salle B" and reunion.sequence == 0


def test_l_annulation_d_une_reunion_convoquee_part_aux_invites(moteur_reunion: Engine, reglages: Reglages) -> None:
    numero = identifiant(moteur_reunion)
    lot = convoquer_reunion(moteur_reunion, numero, parametres(reglages))
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        assert not annuler_reunion(session, numero, "Quorum impossible", reglages=reglages).a_prevenir
        session.rollback()  # préparés mais pas partis : personne n'a rien reçu
    envoyer(moteur_reunion, reglages, lot.messages)
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        annulation = annuler_reunion(session, numero, "Quorum impossible", reglages=reglages)
    assert annulation.a_prevenir
    lot = preparer_diffusion(moteur_reunion, numero, "annulation", parametres(reglages))
    assert len(lot.messages) == 2
    with ouvrir_session(moteur_reunion) as session:
        reunion = session.get(Reunion, numero)
        assert reunion is not None and reunion.statut == "annulee"


def test_un_echec_de_la_conversion_ne_laisse_aucun_fichier_et_garde_ceux_d_une_convocation_enregistree(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    numero = identifiant(moteur_reunion)
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        modifier_reunion(session, numero, reglages=reglages, maintenant=CONVOQUEE_LE, titre="COPIL")

    def echouer(docx: list[Path], dossier: Path) -> list[Path]:
        raise DonneesInvalides("LibreOffice n'a pas pu convertir les documents.")

    with pytest.raises(DonneesInvalides, match="LibreOffice"):
        convoquer_reunion(moteur_reunion, numero, parametres(reglages, echouer))
    assert fichiers(reglages.dossier_documents) == [] and fichiers(reglages.boite_envoi) == []
    enregistres = convoquer_reunion(moteur_reunion, numero, parametres(reglages)).documents
    with pytest.raises(DonneesInvalides, match="LibreOffice"):
        rediger_documents(moteur_reunion, numero, parametres(reglages, echouer))
    assert all(chemin.is_file() for chemin in enregistres)


def test_une_nouvelle_date_respecte_le_delai_de_l_instance_sauf_en_urgence(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    """Le COPIL se convoque 5 jours francs avant : le 4 décembre pour le 7, c'est trop tard, sauf en urgence."""
    reunion_id = identifiant(moteur_reunion)
    le_4_decembre = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    with pytest.raises(DonneesInvalides, match="5 jours francs") as refus, ouvrir_session(moteur_reunion) as session:
        modifier_reunion(session, reunion_id, reglages=reglages, maintenant=le_4_decembre, debut="2026-12-07 18:00")
    assert "--urgence" in str(refus.value)
    with (
        pytest.raises(DonneesInvalides, match="Même en urgence, il faut au moins 1 jour franc"),
        ouvrir_session(moteur_reunion) as session,
    ):
        modifier_reunion(
            session, reunion_id, reglages=reglages, maintenant=le_4_decembre, debut="2026-12-05 18:00", urgence=True
        )
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        modifiee = modifier_reunion(
            session, reunion_id, reglages=reglages, maintenant=le_4_decembre, debut="2026-12-07 18:00", urgence=True
        )
    assert modifiee.suite == "a_convoquer"
    with ouvrir_session(moteur_reunion) as session:
        reunion = session.get(Reunion, reunion_id)
        assert reunion is not None and reunion.urgence
        assert reunion.debut == datetime(2026, 12, 7, 17, 0, tzinfo=UTC)


def test_convoquer_en_urgence_sous_le_delai_de_l_instance(moteur_reunion: Engine, reglages: Reglages) -> None:
    reunion_id = identifiant(moteur_reunion)
    le_9_janvier = datetime(2027, 1, 9, 9, 0, tzinfo=UTC)  # 2 jours francs avant le 12 : moins que les 5 du COPIL
    with pytest.raises(DonneesInvalides, match="ajoutez --urgence"), ouvrir_session(moteur_reunion) as session:
        verifier_convocation(session, reunion_id, reglages, maintenant=le_9_janvier)
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        verifier_convocation(session, reunion_id, reglages, maintenant=le_9_janvier, urgence=True)
    with ouvrir_session(moteur_reunion) as session:
        reunion = session.get(Reunion, reunion_id)
        assert reunion is not None and reunion.urgence


def _a_venir_au_bilan(moteur: Engine) -> int:
    """Les COPIL « à venir » du bilan 2027 de L'Union, arrêté avant la réunion du 12 janvier."""
    with ouvrir_session(moteur) as session:
        territoire = choisir_territoire(session, None)
        bilan = lire_bilan(session, territoire, 2027, arrete_le=datetime(2027, 1, 5, tzinfo=UTC))
    return sum(ligne.a_venir for ligne in bilan.instances if ligne.code == "COPIL")


def test_supprimer_une_reunion_jamais_convoquee_efface_ses_documents_et_la_retire_du_bilan(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    numero = identifiant(moteur_reunion)
    ecrits = rediger_documents(moteur_reunion, numero, parametres(reglages))
    assert ecrits and all(chemin.is_file() for chemin in ecrits) and compter(moteur_reunion, Document) == len(ecrits)
    assert _a_venir_au_bilan(moteur_reunion) == 1
    suppression = supprimer_reunion(moteur_reunion, numero, dossier=reglages.dossier)
    assert suppression.designation == "COPIL du mardi 12 janvier 2027"
    assert suppression.fichiers_effaces == len(ecrits)
    assert fichiers(reglages.dossier_documents) == []
    assert compter(moteur_reunion, Document) == 0
    with ouvrir_session(moteur_reunion) as session:
        assert session.scalar(select(func.count()).select_from(Reunion)) == 0
        assert session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert _a_venir_au_bilan(moteur_reunion) == 0


def test_une_reunion_convoquee_ne_se_supprime_pas_elle_s_annule(moteur_reunion: Engine, reglages: Reglages) -> None:
    numero = identifiant(moteur_reunion)
    lot = convoquer_reunion(moteur_reunion, numero, parametres(reglages))
    with pytest.raises(DonneesInvalides, match=r"a été convoquée : elle est dans l'agenda de ses invités") as refus:
        supprimer_reunion(moteur_reunion, numero, dossier=reglages.dossier)
    assert f"ctg reunion annuler {numero}" in str(refus.value)
    assert all(chemin.is_file() for chemin in lot.documents)
    assert compter(moteur_reunion, Message) == 2
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        annuler_reunion(session, numero, "Quorum impossible", reglages=reglages)
    with pytest.raises(DonneesInvalides, match="convoquée puis annulée"):
        supprimer_reunion(moteur_reunion, numero, dossier=reglages.dossier)
    assert compter(moteur_reunion, Reunion) == 1


def contenu_de_la_base(moteur: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Chaque ligne de chaque table, pour vérifier qu'une opération n'a rien écrit."""
    with moteur.connect() as connexion:
        return {
            table.name: sorted(map(tuple, connexion.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def test_l_apercu_de_la_convocation_montre_qui_recoit_quoi_sans_rien_enregistrer_ni_envoyer(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    if not libreoffice_disponible():
        manque("LibreOffice", "soffice introuvable dans le PATH")
    numero = identifiant(moteur_reunion)
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        arrivee = ajouter_personne(session, FichePersonne(email="ines@example.org", prenom="Inès", nom="Nouvelle"))
        ajouter_membre(session, exiger_instance(session, choisir_territoire(session, None), "COPIL"), arrivee, "membre")
    avant = contenu_de_la_base(moteur_reunion)

    apercu = apercevoir_convocation(moteur_reunion, numero, parametres(reglages, convertir_en_pdf))

    assert contenu_de_la_base(moteur_reunion) == avant
    assert fichiers(reglages.boite_envoi) == [] and fichiers(reglages.dossier_documents) == []
    assert apercu.designation == "COPIL du mardi 12 janvier 2027 à 18\u00a0h\u00a000"
    assert apercu.invitations.ajoutes == ["ines@example.org"]
    assert [(d.email, d.role, d.deja_convoque) for d in apercu.destinataires] == [
        ("claire@example.org", "président(e)", False),
        ("karim@example.org", "membre", False),
        ("ines@example.org", "membre", False),
    ]
    assert apercu.destinataires[0].courrier.startswith("convocation-COPIL-Fictive-Claire-")
    assert apercu.destinataires[0].courrier.endswith(".pdf")
    assert apercu.pieces_communes == ("ordre-du-jour-COPIL.pdf", "invitation.ics")
    assert apercu.objet.startswith("Convocation — Comité de pilotage de suivi, mardi 12 janvier 2027")
    # Le premier destinataire est la présidente : son courriel lui dit la réunion « que vous présiderez ».
    assert "la réunion que vous présiderez" in "\n".join(apercu.debut_du_courriel)
    assert apercu.exemple is not None and fichiers(reglages.dossier / "apercus") == [apercu.exemple]
    texte = subprocess.run(["pdftotext", str(apercu.exemple), "-"], capture_output=True, text=True, check=True).stdout
    assert "Claire Fictive" in texte and "12 janvier 2027" in texte


def test_l_apercu_d_une_reunion_deja_convoquee_dit_que_rien_ne_repart(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    numero = identifiant(moteur_reunion)
    convoquer_reunion(moteur_reunion, numero, parametres(reglages))
    avant = contenu_de_la_base(moteur_reunion)
    apercu = apercevoir_convocation(moteur_reunion, numero, parametres(reglages))
    assert contenu_de_la_base(moteur_reunion) == avant
    assert apercu.a_envoyer == 0 and all(d.deja_convoque for d in apercu.destinataires)
    assert apercu.exemple is not None and apercu.exemple.suffix == ".docx"


def test_issue_10_une_convocation_a_moitie_partie_reste_en_cours_et_ses_invites_seront_prevenus(
    moteur_reunion: Engine, reglages: Reglages, serveur_smtp: ServeurSmtp
) -> None:
    """Le serveur tombé après le premier courriel : la réunion était pourtant marquée « convoquée »."""
    numero = identifiant(moteur_reunion)
    lot = convoquer_reunion(moteur_reunion, numero, parametres(reglages))
    serveur_smtp.pannes.repondre_421_apres = 1
    bilan = envoyer(moteur_reunion, reglages, lot.messages, serveur_smtp.reglages())
    assert bilan.nombre("envoye") == 1 and bilan.a_reessayer == 1
    assert statut(moteur_reunion, numero) == ("planifiee", None)
    with ouvrir_session(moteur_reunion) as session:
        diffusion = decrire_reunion(session, exiger_reunion(session, numero), maintenant=ENVOYEE_LE)["diffusion"]
    assert (
        diffusion["ligne"]
        == "convocation en cours : 1 envoyé, 1 en attente (serveur indisponible depuis 10\u00a0h\u00a002)"
    )
    # Claire a reçu sa convocation : une modification de la date (ou une annulation) doit lui parvenir.
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        modifiee = modifier_reunion(session, numero, reglages=reglages, maintenant=CONVOQUEE_LE, lieu="Salle B")
        assert modifiee.suite == "diffuser"
        assert annuler_reunion(session, numero, "Salle indisponible", reglages=reglages).a_prevenir
        session.rollback()


def test_la_reprise_n_envoie_que_la_revision_en_cours_d_une_reunion_encore_a_venir(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    numero = identifiant(moteur_reunion)
    ancienne = convoquer_reunion(moteur_reunion, numero, parametres(reglages)).messages
    with ouvrir_session(moteur_reunion, ecriture=True) as session:
        modifier_reunion(session, numero, reglages=reglages, maintenant=CONVOQUEE_LE, lieu="Salle B")
    courante = preparer_diffusion(moteur_reunion, numero, "modification", parametres(reglages)).messages
    assert reprendre_diffusions(moteur_reunion, maintenant=CONVOQUEE_LE) == {numero: courante}
    with ouvrir_session(moteur_reunion) as session:
        perimes = session.scalars(select(Message).where(Message.id.in_(ancienne))).all()
        assert {(m.etat, m.reponse_serveur) for m in perimes} == {
            ("caduc", "non envoyé : la réunion a changé depuis (une version plus récente a été préparée)")
        }
    assert reprendre_diffusions(moteur_reunion, maintenant=datetime(2027, 1, 13, tzinfo=UTC)) == {}


def test_le_verrou_de_diffusion_refuse_une_seconde_diffusion_de_la_meme_reunion_et_se_rend(moteur: Engine) -> None:
    with verrouiller_diffusion(moteur, 7):
        with (
            pytest.raises(DiffusionEnCours, match=r"^Une annulation de la réunion n°7 est déjà en cours"),
            verrouiller_diffusion(moteur, 7, nature="annulation"),
        ):
            pass
        with verrouiller_diffusion(moteur, 8):  # une autre réunion ne l'attend pas
            pass
    with verrouiller_diffusion(moteur, 7):  # rendu à la sortie du bloc
        pass


def test_une_convocation_commencee_a_temps_se_reprend_apres_le_delai(
    moteur_reunion: Engine, reglages: Reglages
) -> None:
    """Le serveur en panne jusqu'à la veille : `ctg reunion convoquer` refusait de renvoyer, « trop tard »."""
    numero = identifiant(moteur_reunion)
    la_veille = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # le COPIL se convoque 5 jours francs avant
    with pytest.raises(DonneesInvalides, match="5 jours francs"), ouvrir_session(moteur_reunion) as session:
        verifier_convocation(session, numero, reglages, maintenant=la_veille)
    lot = convoquer_reunion(moteur_reunion, numero, parametres(reglages))  # à temps, puis rien n'est parti
    with ouvrir_session(moteur_reunion) as session:
        verifier_convocation(session, numero, reglages, maintenant=la_veille)
    reprise = preparer_diffusion(
        moteur_reunion, numero, "convocation", replace(parametres(reglages), maintenant=la_veille)
    )
    assert reprise.messages == lot.messages and reprise.deja_prepares == 2
