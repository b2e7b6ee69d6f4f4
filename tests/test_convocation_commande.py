"""Issue 10 : `ctg reunion convoquer` en vrais processus — un échec d'envoi se voit, deux convocations ne se croisent pas.

Vu avant ce changement : serveur SMTP injoignable, la commande sortait avec le code 0 et la réunion passait
« convoquée » ; deux commandes simultanées (sur SQLite et PostgreSQL) : le second envoi prenait pour « incertain »
le courriel que le premier était en train d'envoyer, et sur PostgreSQL la seconde exécution du flux
`diffuser-reunion` finissait en `IntegrityError` (uq_messages_cle).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, select

from gouvernance.reglages import Reglages
from modeles import Message, Reunion
from modeles.moteur import ouvrir_session
from tests.serveur_smtp import ServeurSmtp
from tests.test_convocation import ctg_home
from tests.test_services_reunions import COORDINATEUR, identifiant, moteur_reunion, reglages

__all__ = ["ctg_home", "moteur_reunion", "reglages"]  # des fixtures d'autres modules, réutilisées ici

CTG = Path(sys.executable).with_name("ctg")


def _environnement(reglages: Reglages, serveur: ServeurSmtp, url_prefect: str) -> dict[str, str]:
    environnement = {cle: valeur for cle, valeur in os.environ.items() if not cle.startswith("CTG_")}
    smtp = serveur.reglages()
    environnement.update(
        COORDINATEUR,
        CTG_HOME=str(reglages.dossier),
        CTG_DATABASE_URL=reglages.url_base,
        CTG_SMTP_HOST=smtp.hote,
        CTG_SMTP_PORT=str(smtp.port),
        CTG_SMTP_TLS="none",
        CTG_SMTP_FROM="cooperation.ctg@example.org",
        CTG_SMTP_TIMEOUT="180",  # le premier envoi attend, exprès, la fin de la seconde commande
        CTG_ENVOI_DELAIS="0",
        PREFECT_API_URL=url_prefect,
        COLUMNS="200",
        NO_COLOR="1",
    )
    return environnement


def test_issue_10_une_seconde_convocation_pendant_la_premiere_dit_qu_elle_est_en_cours_sans_rien_toucher(
    moteur_reunion: Engine, reglages: Reglages, serveur_smtp: ServeurSmtp, serveur_prefect: str
) -> None:
    numero = identifiant(moteur_reunion)
    environnement = _environnement(reglages, serveur_smtp, serveur_prefect)
    premier_en_cours, liberer = threading.Event(), threading.Event()

    def retenir_le_premier_courriel() -> None:
        # Le serveur a reçu le premier courriel et n'a pas encore répondu : la première commande envoie.
        premier_en_cours.set()
        liberer.wait(timeout=240)

    serveur_smtp.pannes.pendant_les_donnees = retenir_le_premier_courriel
    commande = [str(CTG), "reunion", "convoquer", str(numero)]
    premiere = subprocess.Popen(commande, env=environnement, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert premier_en_cours.wait(timeout=240), "la première convocation n'a rien envoyé en 4 minutes"
        seconde = subprocess.run(commande, env=environnement, capture_output=True, text=True, timeout=240, check=False)
        liberer.set()
        sortie, erreurs = premiere.communicate(timeout=240)
    finally:
        liberer.set()
        if premiere.poll() is None:
            premiere.kill()
            premiere.wait()

    assert seconde.returncode == 1, (seconde.stdout, seconde.stderr)
    assert f"Erreur : Une convocation de la réunion n°{numero} est déjà en cours" in seconde.stderr
    assert "Traceback" not in seconde.stderr and "IntegrityError" not in seconde.stderr
    assert premiere.returncode == 0, (sortie.decode(), erreurs.decode())
    assert "2 messages envoyés." in sortie.decode()
    with ouvrir_session(moteur_reunion) as session:
        etats = Counter(session.scalars(select(Message.etat).where(Message.reunion_id == numero)))
        assert session.scalar(select(Reunion.statut).where(Reunion.id == numero)) == "convoquee"
    assert etats == {"envoye": 2}  # aucun faux « incertain »
    destinataires = [adresse for recu in serveur_smtp.recus for adresse in recu.destinataires]
    assert sorted(destinataires) == ["claire@example.org", "karim@example.org"]


def test_issue_10_un_serveur_injoignable_fait_echouer_la_commande_avec_la_cause_et_la_commande_qui_renvoie(
    ctg_home: Path, port_ferme: int, serveur_prefect: str
) -> None:
    environnement = {cle: valeur for cle, valeur in os.environ.items() if cle != "CTG_DATABASE_URL"}
    environnement.update(
        CTG_SMTP_HOST="127.0.0.1",
        CTG_SMTP_PORT=str(port_ferme),
        CTG_SMTP_TLS="none",
        CTG_SMTP_FROM="cooperation.ctg@example.org",
        PREFECT_API_URL=serveur_prefect,
        COLUMNS="200",
        NO_COLOR="1",
    )

    def ctg(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CTG), *arguments], env=environnement, capture_output=True, text=True, timeout=240, check=False
        )

    convocation = ctg("reunion", "convoquer", "1")
    assert convocation.returncode == 1, convocation.stdout
    assert convocation.stderr.startswith(
        f"Erreur : 2 courriels ne sont pas partis — serveur injoignable : 127.0.0.1:{port_ferme} refuse la "
        "connexion (serveur arrêté, ou mauvais port dans CTG_SMTP_PORT). Ils restent en attente, jamais envoyés "
        "deux fois : relancez `ctg reunion convoquer 1` quand le problème est réglé"
    )
    assert "Traceback" not in convocation.stderr
    voir = ctg("reunion", "voir", "1")
    assert "(planifiée, révision 0)" in voir.stdout
    assert "Convocation en cours : 0 envoyé, 2 en attente (serveur injoignable depuis " in voir.stdout
