"""Convoquer, modifier, annuler une réunion par le flux Prefect : documents, invitations, courriels, une seule fois."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from gouvernance.base_donnees import creer_base
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.cycle import appliquer_modification, marquer_annulee
from gouvernance.reunions.demande import lire_demande
from gouvernance.reunions.description import decrire_reunion, exiger_reunion
from gouvernance.reunions.envoi_reunion import Nature
from gouvernance.reunions.planification import enregistrer_reunion
from gouvernance.territoires import charger_referentiel_exemple, choisir_territoire
from modeles import Invitation, Message, Personne, ReponseInvitation, RoleMembre
from modeles.moteur import ouvrir_session
from tests.serveur_smtp import ServeurSmtp

REUNION = """\
instance: COPIL
titre: Comité de pilotage — bilan de l'année
debut: 2027-01-12 18:00
lieu: Salle du conseil, mairie de L'Union
points:
  - titre: Bilan des actions petite enfance
    orientations: ["3.3"]
"""
INVITES = [("claire@example.org", "Claire", "Fictive", "president"), ("karim@example.org", "Karim", "Modèle", "membre")]


@pytest.fixture
def ctg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serveur_prefect: str) -> Iterator[Path]:
    """Un dossier CTG_HOME neuf : base SQLite avec L'Union, un COPIL de deux membres, une réunion planifiée."""
    monkeypatch.setenv("CTG_HOME", str(tmp_path))
    monkeypatch.delenv("CTG_DATABASE_URL", raising=False)
    monkeypatch.setenv("CTG_COORDINATEUR_NOM", "Nadia Prototype")
    monkeypatch.setenv("CTG_COORDINATEUR_EMAIL", "cooperation.ctg@example.org")
    monkeypatch.setenv("CTG_ENVOI_DELAIS", "0,0")
    moteur = creer_base(lire_reglages())
    with ouvrir_session(moteur, ecriture=True) as session:
        charger_referentiel_exemple(session)
        territoire = choisir_territoire(session, None)
        copil = exiger_instance(session, territoire, "COPIL")
        for adresse, prenom, nom, role in INVITES:
            ajouter_membre(
                session, copil, ajouter_personne(session, FichePersonne(email=adresse, prenom=prenom, nom=nom)), role
            )
        enregistrer_reunion(
            session,
            territoire,
            lire_demande(REUNION, "reunion.yaml"),
            maintenant=datetime(2026, 11, 29, 9, 0, tzinfo=UTC),
            uid="copil-2027-01-12@ctg.example.org",
        )
    moteur.dispose()
    yield tmp_path


def diffuser(nature: Nature = "convocation", changements: tuple[str, ...] = ()) -> None:
    from flows.convocation import diffuser_reunion

    diffuser_reunion(1, nature, changements)


def etat_de_la_reunion() -> dict[str, Any]:
    from gouvernance.base_donnees import ouvrir_base

    reglages = lire_reglages()
    with ouvrir_session(ouvrir_base(reglages)) as session:
        return decrire_reunion(session, exiger_reunion(session, 1), dossier=reglages.dossier)


def test_convoquer_depose_un_courriel_complet_par_invite_et_un_second_passage_n_envoie_rien(ctg_home: Path) -> None:
    from gouvernance.base_donnees import ouvrir_base

    # La coordinatrice, membre du COPIL, organise la réunion : elle n'en reçoit ni courrier ni courriel.
    with ouvrir_session(ouvrir_base(lire_reglages()), ecriture=True) as session:
        coordinatrice = FichePersonne(email="cooperation.ctg@example.org", prenom="Nadia", nom="Prototype")
        copil = exiger_instance(session, choisir_territoire(session, None), "COPIL")
        ajouter_membre(session, copil, ajouter_personne(session, coordinatrice), RoleMembre.SECRETAIRE)
    diffuser()
    etat = etat_de_la_reunion()
    assert etat["statut"] == "convoquee"
    messages = etat["messages"]
    assert isinstance(messages, list)
    assert sorted(m["destinataire"] for m in messages) == ["claire@example.org", "karim@example.org"]
    assert {m["etat"] for m in messages} == {"depose"}
    for message in messages:
        chemin = Path(message["chemin"])
        assert chemin.parent == ctg_home / "boite-envoi"
        lu = email.message_from_bytes(chemin.read_bytes(), policy=email.policy.default)
        calendrier = next(p for p in lu.walk() if p.get_content_type() == "text/calendar")
        assert calendrier.get_param("method") == "REQUEST"
        assert "UID:copil-2027-01-12@ctg.example.org" in calendrier.get_content()
        pieces = sorted(p.get_filename() or "" for p in lu.iter_attachments())
        assert "invitation.ics" in pieces
        assert any(nom.startswith("convocation") for nom in pieces)
        assert any(nom.startswith("ordre-du-jour") for nom in pieces)
    documents = etat["documents"]
    assert isinstance(documents, list)
    assert {d["type"] for d in documents} >= {"invitation", "ordre_du_jour", "convocation"}
    assert all(Path(d["chemin"]).is_file() for d in documents)
    assert not [d for d in documents if "Prototype" in Path(d["chemin"]).name]  # pas de courrier à l'organisatrice
    diffuser()
    assert etat_de_la_reunion()["messages"] == messages
    assert len(list((ctg_home / "boite-envoi").iterdir())) == 2


def test_un_ctg_home_deplace_retrouve_ses_documents_et_ses_courriels(
    ctg_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Les chemins sont enregistrés relatifs à CTG_HOME : déplacé ou monté ailleurs, le dossier reste complet."""
    diffuser()
    avant = etat_de_la_reunion()
    nouveau = ctg_home.with_name(ctg_home.name + "-deplace") / "ctg"
    shutil.move(ctg_home, nouveau)
    monkeypatch.setenv("CTG_HOME", str(nouveau))

    apres = etat_de_la_reunion()
    diffuser()  # la même convocation, relancée : rien de neuf, aucun document en double

    for element in (*apres["documents"], *apres["messages"]):
        assert Path(element["chemin"]).is_relative_to(nouveau)
        assert Path(element["chemin"]).is_file()
    assert len(apres["documents"]) == len(avant["documents"])
    assert etat_de_la_reunion()["documents"] == apres["documents"]
    assert [m["etat"] for m in etat_de_la_reunion()["messages"]] == [m["etat"] for m in avant["messages"]]


def test_une_modification_releve_la_sequence_et_une_annulation_envoie_un_cancel(ctg_home: Path) -> None:
    from gouvernance.base_donnees import ouvrir_base

    diffuser()
    moteur = ouvrir_base(lire_reglages())
    with ouvrir_session(moteur, ecriture=True) as session:
        modification = appliquer_modification(
            exiger_reunion(session, 1), lieu="Salle des fêtes", maintenant=datetime(2026, 11, 30, tzinfo=UTC)
        )
    assert modification.materielle
    diffuser("modification", modification.changements)
    with ouvrir_session(moteur, ecriture=True) as session:
        marquer_annulee(exiger_reunion(session, 1), "Quorum impossible à réunir")
    diffuser("annulation")
    with ouvrir_session(moteur) as session:
        messages = list(session.scalars(select(Message).order_by(Message.id)))
    assert [(m.nature, m.sequence) for m in messages] == [
        ("convocation", 0),
        ("convocation", 0),
        ("modification", 1),
        ("modification", 1),
        ("annulation", 2),
        ("annulation", 2),
    ]
    annulation = email.message_from_bytes((ctg_home / messages[-1].chemin).read_bytes(), policy=email.policy.default)
    calendrier = next(p for p in annulation.walk() if p.get_content_type() == "text/calendar").get_content()
    assert "METHOD:CANCEL" in calendrier
    assert "SEQUENCE:2" in calendrier
    assert "STATUS:CANCELLED" in calendrier
    assert "UID:copil-2027-01-12@ctg.example.org" in calendrier


def test_un_serveur_qui_refuse_un_destinataire_et_coupe_n_envoie_jamais_deux_fois(
    ctg_home: Path, serveur_smtp: ServeurSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reglages = serveur_smtp.reglages()
    monkeypatch.setenv("CTG_SMTP_HOST", reglages.hote)
    monkeypatch.setenv("CTG_SMTP_PORT", str(reglages.port))
    monkeypatch.setenv("CTG_SMTP_TLS", "none")
    monkeypatch.setenv("CTG_SMTP_FROM", "cooperation.ctg@example.org")
    serveur_smtp.pannes.refuser = "karim@example.org"
    diffuser()
    etats = {m["destinataire"]: m for m in etat_de_la_reunion()["messages"]}
    assert etats["claire@example.org"]["etat"] == "envoye"
    assert etats["claire@example.org"]["reponse_serveur"].startswith("250")
    assert etats["karim@example.org"]["etat"] == "echec"
    assert etats["karim@example.org"]["reponse_serveur"].startswith("550")
    diffuser()
    assert [recu.destinataires for recu in serveur_smtp.recus] == [("claire@example.org",)]


def test_apres_un_421_un_nouveau_passage_envoie_seulement_ce_qui_manque(
    ctg_home: Path, serveur_smtp: ServeurSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reglages = serveur_smtp.reglages()
    for nom, valeur in {"HOST": reglages.hote, "PORT": str(reglages.port), "TLS": "none"}.items():
        monkeypatch.setenv(f"CTG_SMTP_{nom}", valeur)
    monkeypatch.setenv("CTG_SMTP_FROM", "cooperation.ctg@example.org")
    serveur_smtp.pannes.repondre_421_apres = 1
    diffuser()
    etats = sorted(m["etat"] for m in etat_de_la_reunion()["messages"])
    assert etats[1] == "envoye"
    assert etats[0] in {"a_envoyer", "echec_temporaire"}
    serveur_smtp.reparer()
    diffuser()
    assert {m["etat"] for m in etat_de_la_reunion()["messages"]} == {"envoye"}
    identifiants = [email.message_from_bytes(r.contenu)["Message-ID"] for r in serveur_smtp.recus]
    assert len(identifiants) == 2
    assert len(set(identifiants)) == 2


def test_un_changement_mineur_met_les_documents_a_jour_sans_rien_envoyer(ctg_home: Path) -> None:
    from flows.convocation import rediger_documents_reunion
    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.reunions.cycle import remplacer_ordre_du_jour

    diffuser()
    avant = etat_de_la_reunion()
    ordre_du_jour = next(d for d in avant["documents"] if d["type"] == "ordre_du_jour")
    corrige = lire_demande(
        REUNION.replace("Bilan des actions petite enfance", "Bilan des actions « petite enfance »"), "r.yaml"
    )
    with ouvrir_session(ouvrir_base(lire_reglages()), ecriture=True) as session:
        assert remplacer_ordre_du_jour(session, exiger_reunion(session, 1), corrige.points)
        assert not remplacer_ordre_du_jour(session, exiger_reunion(session, 1), corrige.points)
    rediger_documents_reunion(1)
    apres = etat_de_la_reunion()
    assert apres["messages"] == avant["messages"]
    assert apres["sequence"] == 0
    nouvel_ordre_du_jour = next(d for d in apres["documents"] if d["chemin"] == ordre_du_jour["chemin"])
    assert nouvel_ordre_du_jour["empreinte"] != ordre_du_jour["empreinte"]
    from docx import Document as LireDocx

    lu = LireDocx(ordre_du_jour["chemin"])
    cellules = [cellule.text for table in lu.tables for ligne in table.rows for cellule in ligne.cells]
    texte = "\n".join([p.text for p in lu.paragraphs] + cellules).replace("\u00a0", " ").replace("\u202f", " ")
    assert "Bilan des actions « petite enfance »" in texte


def artefacts_du_flux(etat: Any) -> dict[str, Any]:
    """Les artefacts laissés par une exécution de flux, par clé, lus par l'API du serveur Prefect."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    identifiant = etat.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        artefacts = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[identifiant])))
    return {artefact.key or "": artefact for artefact in artefacts}


def test_le_flux_laisse_un_resume_et_un_tableau_des_destinataires_lisibles_dans_prefect(ctg_home: Path) -> None:
    from flows.convocation import diffuser_reunion
    from gouvernance.base_donnees import ouvrir_base

    with ouvrir_session(ouvrir_base(lire_reglages()), ecriture=True) as session:
        requete = select(Invitation).join(Personne).where(Personne.email == "karim@example.org")
        session.scalars(requete).one().reponse = ReponseInvitation.DECLINEE
    etat = diffuser_reunion(1, "convocation", (), return_state=True)
    artefacts = artefacts_du_flux(etat)
    assert set(artefacts) == {"reunion-1-convocation", "reunion-1-convocation-destinataires"}
    assert "2 messages déposés dans la boîte d'envoi." in artefacts["reunion-1-convocation"].data
    tableau = artefacts["reunion-1-convocation-destinataires"].data
    lignes = json.loads(tableau) if isinstance(tableau, str) else tableau
    assert [(ligne["Adresse"], ligne["Réponse à l'invitation"], ligne["État de l'envoi"]) for ligne in lignes] == [
        ("claire@example.org", "sans réponse", "déposé dans la boîte d'envoi"),
        ("karim@example.org", "s'est excusé(e)", "déposé dans la boîte d'envoi"),
    ]
    assert all(ligne["Accepté le (heure de Paris)"] for ligne in lignes)


def test_les_flux_de_documents_laissent_la_liste_des_fichiers_et_le_tableau_des_invites(ctg_home: Path) -> None:
    from flows.comptes_rendus import emargement
    from gouvernance.base_donnees import ouvrir_base

    with ouvrir_session(ouvrir_base(lire_reglages()), ecriture=True) as session:
        requete = select(Invitation).join(Personne).where(Personne.email == "claire@example.org")
        invitation = session.scalars(requete).one()
        invitation.reponse, invitation.delegue_a = ReponseInvitation.DELEGUEE, "adjointe@example.org"
    etat = emargement(1, return_state=True)
    artefacts = artefacts_du_flux(etat)
    assert set(artefacts) == {"reunion-1-emargement", "reunion-1-emargement-invites"}
    fichiers = etat.result()
    assert fichiers and all(f"`{chemin}`" in artefacts["reunion-1-emargement"].data for chemin in fichiers)
    tableau = artefacts["reunion-1-emargement-invites"].data
    lignes = json.loads(tableau) if isinstance(tableau, str) else tableau
    assert [(ligne["Adresse"], ligne["Rôle"], ligne["Réponse à l'invitation"]) for ligne in lignes] == [
        ("claire@example.org", "président(e)", "se fait représenter (par adjointe@example.org)"),
        ("karim@example.org", "membre", "sans réponse"),
    ]


def test_reconvoquer_invite_les_nouveaux_membres_sans_rien_renvoyer_a_ceux_deja_prevenus(ctg_home: Path) -> None:
    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.membres import exiger_membre, retirer_membre
    from gouvernance.personnes import exiger_personne

    moteur = ouvrir_base(lire_reglages())
    with ouvrir_session(moteur, ecriture=True) as session:
        # Avant la convocation, Karim quitte le comité : il n'est plus invité, puisque rien ne lui a été envoyé.
        copil = exiger_reunion(session, 1).instance
        retirer_membre(session, exiger_membre(copil, exiger_personne(session, "karim@example.org")))
    diffuser()
    with ouvrir_session(moteur, ecriture=True) as session:
        reunion = exiger_reunion(session, 1)
        assert [i.personne.email for i in reunion.invitations] == ["claire@example.org"]
        appliquer_modification(reunion, lieu="Salle des fêtes", maintenant=datetime(2026, 11, 30, tzinfo=UTC))
        lea = ajouter_personne(session, FichePersonne(email="lea@example.org", prenom="Léa", nom="Nouvelle"))
        ajouter_membre(session, reunion.instance, lea, "membre")
        # Claire passe de la présidence à la vice-présidence après sa convocation : son rôle suit.
        exiger_membre(reunion.instance, exiger_personne(session, "claire@example.org")).role = RoleMembre.VICE_PRESIDENT
    diffuser("modification", ("lieu",))
    diffuser()  # la convocation relancée : seule Léa, arrivée depuis, la reçoit
    diffuser()
    with ouvrir_session(moteur) as session:
        messages = [
            (m.destinataire, m.nature, m.sequence) for m in session.scalars(select(Message).order_by(Message.id))
        ]
        roles = {i.personne.email: i.role for i in exiger_reunion(session, 1).invitations}
    assert messages == [
        ("claire@example.org", "convocation", 0),
        ("claire@example.org", "modification", 1),
        ("lea@example.org", "convocation", 1),
    ]
    assert roles == {"claire@example.org": "vice-president", "lea@example.org": "membre"}


def test_le_flux_refuse_lui_meme_de_convoquer_une_reunion_annulee_quel_que_soit_son_lanceur(ctg_home: Path) -> None:
    # Un déploiement (`diffuser-reunion` lancé par un worker) ne passe pas par les contrôles de la commande.
    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.erreurs import DonneesInvalides

    moteur = ouvrir_base(lire_reglages())
    with ouvrir_session(moteur, ecriture=True) as session:
        marquer_annulee(exiger_reunion(session, 1), "Quorum impossible à réunir")
    with pytest.raises(DonneesInvalides, match="La réunion n°1 a été annulée : elle ne peut plus être convoquée"):
        diffuser()
    with ouvrir_session(moteur) as session:
        assert list(session.scalars(select(Message))) == []
    assert not (ctg_home / "boite-envoi").exists() or list((ctg_home / "boite-envoi").iterdir()) == []


def test_issue_10_un_serveur_injoignable_laisse_la_convocation_en_cours_et_les_relances_la_terminent(
    ctg_home: Path, serveur_smtp: ServeurSmtp, port_ferme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Le serveur arrêté la nuit : la réunion était « convoquée » sans qu'aucun courriel parte, et rien ne renvoyait."""
    from flows.convocation import diffuser_reunion
    from flows.relances import relances_quotidiennes
    from flows.resultats import resume

    for nom, valeur in {"HOST": "127.0.0.1", "PORT": str(port_ferme), "TLS": "none"}.items():
        monkeypatch.setenv(f"CTG_SMTP_{nom}", valeur)
    monkeypatch.setenv("CTG_SMTP_FROM", "cooperation.ctg@example.org")
    bilan = diffuser_reunion(1).bilan
    assert bilan.a_reessayer == 2
    assert bilan.incident == (
        f"serveur injoignable : 127.0.0.1:{port_ferme} refuse la connexion (serveur arrêté, ou mauvais port dans "
        "CTG_SMTP_PORT)"
    )
    etat = etat_de_la_reunion()
    assert (etat["statut"], etat["diffusion"]["en_cours"]) == ("planifiee", True)
    assert etat["diffusion"]["ligne"].startswith(
        "convocation en cours : 0 envoyé, 2 en attente (serveur injoignable depuis "
    )

    monkeypatch.setenv("CTG_SMTP_PORT", str(serveur_smtp.port))  # le serveur répond de nouveau
    phrases = resume(relances_quotidiennes())
    assert "Convocations en attente reprises : 2 messages envoyés." in phrases
    etat = etat_de_la_reunion()
    assert (etat["statut"], etat["diffusion"]["en_cours"]) == ("convoquee", False)
    relances_quotidiennes()  # relancé : rien n'est renvoyé deux fois
    invites = [d for recu in serveur_smtp.recus for d in recu.destinataires if d != "cooperation.ctg@example.org"]
    assert sorted(invites) == ["claire@example.org", "karim@example.org"]
