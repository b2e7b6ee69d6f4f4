"""Aucun verrou d'écriture pendant le travail lent : d'autres commandes écrivent pendant une convocation.

Mesuré avant ce changement : `ctg reunion convoquer` de 40 invités tenait le verrou d'écriture de SQLite
pendant tout le rendu Word et LibreOffice (~20 s), et `ctg personnes ajouter` lancé pendant ce temps
échouait avec « base verrouillée ».
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gouvernance.base_donnees import creer_base, ouvrir_base
from gouvernance.documents.pdf import libreoffice_disponible
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.demande import lire_demande
from gouvernance.reunions.planification import enregistrer_reunion
from gouvernance.territoires import charger_referentiel_exemple, choisir_territoire
from modeles import Action, Invitation, Message, Personne, Reunion
from modeles.moteur import ouvrir_session
from tests.conftest import manque
from tests.test_reponses import reponse_ics

CTG = Path(sys.executable).with_name("ctg")
INVITES = 40
UID = "copil-charge@ctg.example.org"


def _preparer(home: Path, monkeypatch: pytest.MonkeyPatch) -> datetime:
    """L'Union, un COPIL de 40 membres, une réunion planifiée dans deux mois et une action à suivre."""
    monkeypatch.setenv("CTG_HOME", str(home))
    monkeypatch.delenv("CTG_DATABASE_URL", raising=False)
    debut = (datetime.now(UTC) + timedelta(days=60)).replace(hour=17, minute=0, second=0, microsecond=0)
    moteur = creer_base(lire_reglages())
    with ouvrir_session(moteur, ecriture=True) as session:
        charger_referentiel_exemple(session)
        territoire = choisir_territoire(session, None)
        copil = exiger_instance(session, territoire, "COPIL")
        for numero in range(INVITES):
            fiche = FichePersonne(email=f"membre{numero:02d}@example.org", prenom="Membre", nom=f"Numéro {numero}")
            ajouter_membre(session, copil, ajouter_personne(session, fiche), "president" if numero == 0 else "membre")
        demande = f"instance: COPIL\ndebut: {debut:%Y-%m-%d} 18:00\npoints:\n  - titre: Bilan\n"
        reunion = enregistrer_reunion(
            session, territoire, lire_demande(demande, "r.yaml"), maintenant=datetime.now(UTC), uid=UID
        )
        session.add(Action(reunion=reunion, libelle="Ouvrir le LAEP", cree_le=datetime.now(UTC)))
    moteur.dispose()
    return debut


def _environnement(home: Path, url_prefect: str) -> dict[str, str]:
    environnement = {cle: valeur for cle, valeur in os.environ.items() if not cle.startswith("CTG_")}
    environnement.update(
        CTG_HOME=str(home),
        CTG_COORDINATEUR_NOM="Nadia Prototype",
        CTG_COORDINATEUR_EMAIL="cooperation.ctg@example.org",
        PREFECT_API_URL=url_prefect,
        COLUMNS="200",
    )
    return environnement


def test_cinq_commandes_ecrivent_pendant_la_convocation_de_40_invites_avec_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serveur_prefect: str
) -> None:
    if not libreoffice_disponible():
        manque("LibreOffice", "la conversion en PDF est la partie lente de la convocation")
    home = tmp_path / "ctg"
    debut = _preparer(home, monkeypatch)
    reponse = tmp_path / "reponse.ics"
    reponse.write_bytes(reponse_ics("membre07@example.org", "DECLINED", uid=UID))
    environnement = _environnement(home, serveur_prefect)

    def ctg(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CTG), *arguments], env=environnement, capture_output=True, text=True, timeout=300, check=False
        )

    convocation = subprocess.Popen(
        [str(CTG), "reunion", "convoquer", "1"], env=environnement, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        _attendre_le_rendu(home / "documents", convocation)
        autres = [
            ("personnes", "ajouter", "nouvelle@example.org", "--prenom", "Nora", "--nom", "Nouvelle"),
            ("membres", "ajouter", "COTECH", "membre03@example.org"),
            ("action", "modifier", "1", "--statut", "en cours"),
            ("reponses", "importer", str(reponse)),
            ("reunion", "planifier", "--instance", "COTECH", "--debut", f"{debut + timedelta(days=7):%Y-%m-%d} 10:00"),
        ]
        with ThreadPoolExecutor(max_workers=len(autres)) as executeur:
            resultats = list(executeur.map(lambda arguments: ctg(*arguments), autres))
        convocation_en_cours = convocation.poll() is None
        sortie, erreurs = convocation.communicate(timeout=600)
    finally:
        if convocation.poll() is None:
            convocation.kill()
            convocation.wait()
    for arguments, resultat in zip(autres, resultats, strict=True):
        assert resultat.returncode == 0, (arguments, resultat.stdout, resultat.stderr)
        assert "verrouillée" not in resultat.stderr
    assert convocation.returncode == 0, (sortie.decode(), erreurs.decode())
    assert convocation_en_cours, "la convocation aurait dû être encore en cours quand les cinq commandes ont fini"

    with ouvrir_session(ouvrir_base(lire_reglages())) as session:
        assert session.scalar(select(func.count()).select_from(Message).where(Message.reunion_id == 1)) == INVITES
        assert session.scalar(select(Reunion.statut).where(Reunion.id == 1)) == "convoquee"
        assert session.scalar(select(Personne.id).where(Personne.email == "nouvelle@example.org")) is not None
        assert session.scalar(select(Action.statut)) == "en_cours"
        excuse = select(Invitation.reponse).join(Personne).where(Personne.email == "membre07@example.org")
        assert session.scalar(excuse.where(Invitation.reunion_id == 1)) == "DECLINED"
        assert session.scalar(select(func.count()).select_from(Reunion)) == 2


def _attendre_le_rendu(documents: Path, convocation: subprocess.Popen[bytes]) -> None:
    """Attend que la convocation écrive ses premiers courriers : elle est alors dans sa partie lente."""
    limite = time.monotonic() + 180
    while not any(documents.rglob("*.docx")):
        if convocation.poll() is not None:
            pytest.fail(f"la convocation s'est arrêtée avant d'écrire un document : {convocation.stderr!r}")
        if time.monotonic() > limite:
            pytest.fail("la convocation n'a écrit aucun document en 3 minutes")
        time.sleep(0.05)
