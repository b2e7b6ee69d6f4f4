"""Le flux `relances-quotidiennes` de bout en bout (Prefect, SQLite, vrai serveur SMTP) et la commande `ctg relances`."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
import vobject
from sqlalchemy import select

from gouvernance.base_donnees import creer_base, ouvrir_base
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.cycle import appliquer_modification
from gouvernance.reunions.demande import lire_demande
from gouvernance.reunions.description import exiger_reunion
from gouvernance.reunions.planification import enregistrer_reunion
from gouvernance.territoires import charger_referentiel_exemple, choisir_territoire
from modeles import Message, ReponseInvitation, StatutReunion
from modeles.moteur import ouvrir_session
from tests.serveur_smtp import Recu, ServeurSmtp

REUNION = """\
instance: COPIL
titre: Comité de pilotage — bilan de l'année
debut: 2027-03-09 18:00
lieu: Salle du conseil, mairie de L'Union
points:
  - titre: Bilan des actions petite enfance
    orientations: ["3.3"]
"""
COORDINATEUR = "cooperation.ctg@example.org"
CTG = Path(sys.executable).with_name("ctg")


def _preparer_la_base(dossier: Path) -> None:
    """L'Union, un COPIL de deux membres ; sa réunion du 9 mars 2027 convoquée, Claire a accepté, Karim non."""
    moteur = creer_base(lire_reglages())
    with ouvrir_session(moteur, ecriture=True) as session:
        charger_referentiel_exemple(session)
        territoire = choisir_territoire(session, None)
        copil = exiger_instance(session, territoire, "COPIL")
        for adresse, prenom, nom, role in (
            ("claire@example.org", "Claire", "Fictive", "president"),
            ("karim@example.org", "Karim", "Modèle", "membre"),
        ):
            personne = ajouter_personne(session, FichePersonne(email=adresse, prenom=prenom, nom=nom))
            ajouter_membre(session, copil, personne, role)
        reunion = enregistrer_reunion(
            session,
            territoire,
            lire_demande(REUNION, "reunion.yaml"),
            maintenant=datetime(2026, 11, 29, 9, 0, tzinfo=UTC),
            uid="copil-2027-03-09@ctg.example.org",
        )
        reunion.statut, reunion.convoquee_le = StatutReunion.CONVOQUEE, datetime(2026, 11, 29, 9, 5, tzinfo=UTC)
        next(
            i for i in reunion.invitations if i.personne.email == "claire@example.org"
        ).reponse = ReponseInvitation.ACCEPTEE
    moteur.dispose()


@pytest.fixture
def ctg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for nom in [nom for nom in os.environ if nom.startswith("CTG_")]:
        monkeypatch.delenv(nom)
    monkeypatch.setenv("CTG_HOME", str(tmp_path))
    monkeypatch.setenv("CTG_COORDINATEUR_NOM", "Nadia Prototype")
    monkeypatch.setenv("CTG_COORDINATEUR_EMAIL", COORDINATEUR)
    monkeypatch.setenv("CTG_ENVOI_DELAIS", "0,0")
    _preparer_la_base(tmp_path)
    yield tmp_path


@pytest.fixture
def smtp(ctg_home: Path, serveur_smtp: ServeurSmtp, monkeypatch: pytest.MonkeyPatch) -> ServeurSmtp:
    """Les courriels partent vers le serveur SMTP de test."""
    monkeypatch.setenv("CTG_SMTP_HOST", serveur_smtp.hote)
    monkeypatch.setenv("CTG_SMTP_PORT", str(serveur_smtp.port))
    monkeypatch.setenv("CTG_SMTP_TLS", "none")
    monkeypatch.setenv("CTG_SMTP_FROM", COORDINATEUR)
    return serveur_smtp


def relancer(jour: str) -> list[tuple[str, str, str]]:
    from flows.relances import relances_quotidiennes

    resultat = relances_quotidiennes(jour)
    return [(ligne.nature, ligne.destinataire, ligne.etat) for ligne in resultat.lignes]


def lire(recu: Recu) -> EmailMessage:
    lu = email.message_from_bytes(recu.contenu, policy=email.policy.default)
    assert isinstance(lu, EmailMessage)
    return lu


def texte(lu: EmailMessage) -> str:
    partie = lu.get_body(preferencelist=("plain",))
    assert partie is not None
    return str(partie.get_content()).replace("\r\n", "\n").replace("\u00a0", " ")


def invitation_jointe(lu: EmailMessage) -> vobject.base.Component:
    partie = next(p for p in lu.walk() if p.get_content_type() == "text/calendar")
    assert partie.get_param("method") == "REQUEST"
    return vobject.readOne(partie.get_content()).vevent


def lire_tableau() -> object:
    """Le dernier tableau laissé par le flux dans Prefect (une ligne par relance)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        (artefact, *_) = client.read_artifacts(
            limit=1,
            sort=ArtifactSort.UPDATED_DESC,
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["relances-quotidiennes-detail"])),
        )
    return json.loads(artefact.data) if isinstance(artefact.data, str) else artefact.data


def etats(nature: str) -> list[tuple[str, int, str]]:
    with ouvrir_session(ouvrir_base(lire_reglages())) as session:
        messages = session.scalars(select(Message).where(Message.nature == nature).order_by(Message.id))
        return [(m.destinataire, m.sequence, m.etat) for m in messages]


def test_le_flux_relance_une_fois_et_le_recapitulatif_rapporte_la_relance(
    smtp: ServeurSmtp, serveur_prefect: str
) -> None:
    assert relancer("2027-03-02") == [
        ("relance_reponse", "karim@example.org", "envoye"),
        ("recapitulatif", COORDINATEUR, "envoye"),
    ]
    assert [recu.destinataires for recu in smtp.recus] == [("karim@example.org",), (COORDINATEUR,)]
    assert lire_tableau() == [
        {
            "Nature": "relance de réponse",
            "Réunion": "COPIL du 9 mars 2027",
            "Destinataire": "Karim Modèle <karim@example.org>",
            "État": "envoyé",
        },
        {
            "Nature": "récapitulatif de la semaine",
            "Réunion": "semaine du 1er mars 2027 (L'Union)",
            "Destinataire": f"Nadia Prototype <{COORDINATEUR}>",
            "État": "envoyé",
        },
    ]
    # Relancé le même jour puis le lendemain : rien ne repart.
    assert relancer("2027-03-02") == relancer("2027-03-03")
    assert len(smtp.recus) == 2
    relance, recapitulatif = (lire(recu) for recu in smtp.recus)
    evenement = invitation_jointe(relance)
    assert (evenement.uid.value, evenement.sequence.value) == ("copil-2027-03-09@ctg.example.org", "0")
    assert "Date : mardi 9 mars 2027, de 18 h 00 à 20 h 00" in texte(relance)
    corps = texte(recapitulatif)
    assert "sans réponse (1) : Karim Modèle (karim@example.org)" in corps
    assert "Relance de réponse — Karim Modèle (karim@example.org), COPIL du 9 mars 2027" in corps


def test_une_relance_en_attente_d_une_reunion_deplacee_ne_part_jamais(smtp: ServeurSmtp, serveur_prefect: str) -> None:
    smtp.pannes.repondre_421_apres = 0  # le serveur refuse tout, pour l'instant
    relancer("2027-03-02")
    assert smtp.recus == []
    assert [etat for _, _, etat in etats("relance_reponse")] in (["echec_temporaire"], ["a_envoyer"])
    with ouvrir_session(ouvrir_base(lire_reglages()), ecriture=True) as session:
        reunion = exiger_reunion(session, 1)
        appliquer_modification(reunion, debut="2027-03-23 18:00", maintenant=datetime(2027, 3, 2, 8, tzinfo=UTC))
        reunion.convoquee_le = datetime(2027, 3, 2, 8, 5, tzinfo=UTC)
    smtp.reparer()
    lignes = relancer("2027-03-03")
    assert ("relance_reponse", "karim@example.org", "caduc") in lignes
    tableau = lire_tableau()
    assert isinstance(tableau, list)
    assert {
        "Nature": "relance de réponse",
        "Réunion": "COPIL du 23 mars 2027",
        "Destinataire": "Karim Modèle <karim@example.org>",
        "État": "caduc (plus d'actualité, non envoyé) : la réunion a été modifiée depuis (révision 1) : "
        "une relance à jour la remplace",
    } in tableau
    assert [recu.destinataires for recu in smtp.recus] == [(COORDINATEUR,)]  # le récapitulatif de la semaine
    assert etats("relance_reponse") == [("karim@example.org", 0, "caduc")]
    relancer("2027-03-16")
    assert etats("relance_reponse") == [("karim@example.org", 0, "caduc"), ("karim@example.org", 1, "envoye")]
    relance = lire(next(recu for recu in smtp.recus if recu.destinataires == ("karim@example.org",)))
    assert invitation_jointe(relance).sequence.value == "1"
    assert "Date : mardi 23 mars 2027, de 18 h 00 à 20 h 00" in texte(relance)


SANS_PREFECT = """\
import sys
from flows.cli.principal import main

sys.argv = ["ctg", "relances", "--date", "2027-03-02", "--simulation"]
try:
    main()
except SystemExit as fin:
    assert not fin.code, fin.code
print("PREFECT", any(nom == "prefect" or nom.startswith("prefect.") for nom in sys.modules))
"""


def _ctg(
    dossier: Path, *arguments: str, programme: tuple[str, ...] = (str(CTG),), **reglages: str
) -> subprocess.CompletedProcess[str]:
    environnement = {cle: valeur for cle, valeur in os.environ.items() if not cle.startswith("CTG_")}
    environnement.update(
        CTG_HOME=str(dossier),
        CTG_COORDINATEUR_NOM="Nadia Prototype",
        CTG_COORDINATEUR_EMAIL=COORDINATEUR,
        COLUMNS="200",
        NO_COLOR="1",
        **reglages,
    )
    return subprocess.run(
        [*programme, *arguments], capture_output=True, text=True, env=environnement, timeout=120, check=False
    )


def test_la_simulation_montre_ce_qui_partirait_sans_rien_preparer(ctg_home: Path) -> None:
    resultat = _ctg(ctg_home, "relances", "--date", "2027-03-02", "--simulation", "--json")
    assert resultat.returncode == 0, resultat.stderr
    sortie = json.loads(resultat.stdout)
    assert sortie["jour"] == "2027-03-02"
    assert [(r["nature_libelle"], r["destinataire"], r["etat_libelle"]) for r in sortie["relances"]] == [
        ("relance de réponse", "karim@example.org", "à préparer et envoyer"),
        ("récapitulatif de la semaine", COORDINATEUR, "à préparer et envoyer"),
    ]
    assert etats("relance_reponse") == []
    assert not (ctg_home / "boite-envoi").exists()
    lisible = _ctg(ctg_home, "relances", "--date", "08/03/2027", "--simulation")
    assert lisible.returncode == 0, lisible.stderr
    assert "Le lundi 8 mars 2027, 2 messages partiraient." in lisible.stdout.replace("\u00a0", " ")
    assert "Simulation : rien n'a été préparé ni envoyé." in lisible.stdout
    sans_prefect = _ctg(ctg_home, "-c", SANS_PREFECT, programme=(sys.executable,))
    assert sans_prefect.stdout.splitlines()[-1] == "PREFECT False", sans_prefect.stderr


def test_une_date_mal_ecrite_est_refusee_en_francais_sans_trace(ctg_home: Path) -> None:
    resultat = _ctg(ctg_home, "relances", "--date", "2027-02-30")
    assert resultat.returncode == 1
    assert resultat.stderr.strip() == "Erreur : --date : « 2027-02-30 » n'est pas une date du calendrier."
    assert "Traceback" not in resultat.stderr


def test_un_reglage_du_recapitulatif_mal_ecrit_arrete_tout_avant_la_moindre_relance(ctg_home: Path) -> None:
    resultat = _ctg(ctg_home, "relances", "--date", "2027-03-02", CTG_RECAPITULATIF_JOUR="lundy")
    assert resultat.returncode == 1
    assert resultat.stderr.startswith("Erreur : CTG_RECAPITULATIF_JOUR = « lundy » : donnez un jour de la semaine")
    assert etats("relance_reponse") == []
