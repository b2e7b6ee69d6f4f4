"""Mesure le relevé IMAP des réponses dans une boîte chargée, rapporté à imaplib seul.

Lancement : `.venv/bin/python bench/releve_imap.py` (une minute environ). Il faut dovecot (/usr/sbin/dovecot,
paquet Debian dovecot-imapd) : le banc le démarre sur la boucle locale, comme les tests (tests/serveur_imap.py),
et y dépose 500 courriels ordinaires (texte et pièce jointe de 50 ko) et 20 réponses d'invités (iMIP REPLY)
à un COPIL de L'Union, dans une base SQLite neuve.

Mesures, dans la même exécution :
1. la référence : imaplib seul se connecte, ouvre la boîte et demande la BODYSTRUCTURE de tous les courriels ;
2. le premier relevé (lecture de la boîte, puis enregistrement en base), annulé après chaque mesure pour être
   répété ;
3. le second relevé, une fois le premier enregistré : rien de nouveau, rien ne doit être relu.
"""

from __future__ import annotations

import imaplib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gouvernance.reunions.imap.reglages import ReglagesImap

from mesure import mediane

ORDINAIRES, REPONSES = 500, 20
PIECE = 50_000
RELEVE_LE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
UID_REUNION = "bench-imap-copil@ctg.example.org"


def preparer_base(dossier: Path) -> None:
    """L'Union et un COPIL convoqué de 20 invités, qui attendent tous leur réponse."""
    os.environ["CTG_HOME"] = str(dossier)
    os.environ.pop("CTG_DATABASE_URL", None)
    from sqlalchemy import select

    from gouvernance.base_donnees import creer_base
    from gouvernance.reglages import lire_reglages
    from modeles import Instance, Invitation, Orientation
    from modeles.moteur import ouvrir_session
    from tests.fabriques import charger_lunion, creer_personne, creer_reunion

    with ouvrir_session(creer_base(lire_reglages()), ecriture=True) as session:
        charger_lunion(session)
        copil = session.scalars(select(Instance).where(Instance.code == "COPIL")).one()
        orientation = session.scalars(select(Orientation)).first()
        assert orientation is not None  # noqa: S101
        reunion = creer_reunion(session, copil, [orientation], uid=UID_REUNION, statut="convoquee")
        for numero in range(REPONSES):
            personne = creer_personne(session, f"invite{numero:02d}@example.org", f"Invité {numero:02d}", "CAF")
            reunion.invitations.append(Invitation(personne=personne))
        session.flush()


def courriels() -> list[bytes]:
    """500 courriels ordinaires et 20 réponses, mêlés comme ils arrivent."""
    from tests.test_reponses import reponse_ics
    from tests.test_reponses_imap import courriel

    piece = os.urandom(PIECE)
    ordinaires = [
        courriel(
            f"Partenaire {numero} <partenaire{numero}@example.org>",
            f"Compte rendu du groupe de travail n°{numero}",
            "Bonjour,\n\nVeuillez trouver ci-joint le document.\n\nCordialement.",
            piece=piece,
        )
        for numero in range(ORDINAIRES)
    ]
    reponses = [
        courriel(
            f"Invité {numero:02d} <invite{numero:02d}@example.org>",
            "Accepté : Comité de pilotage",
            calendrier=reponse_ics(f"invite{numero:02d}@example.org", "ACCEPTED", uid=UID_REUNION),
        )
        for numero in range(REPONSES)
    ]
    pas = ORDINAIRES // REPONSES
    melange: list[bytes] = []
    for rang, contenu in enumerate(ordinaires):
        melange.append(contenu)
        if rang % pas == pas - 1:
            melange.append(reponses[rang // pas])
    return melange


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.serveur_imap import DOVECOT

    if not DOVECOT.exists():
        sys.exit(f"Ce banc demande dovecot ({DOVECOT}, paquet Debian dovecot-imapd) : il n'est pas installé.")
    from tests.serveur_imap import demarrer_dovecot

    with tempfile.TemporaryDirectory() as temporaire, demarrer_dovecot() as serveur:
        preparer_base(Path(temporaire) / "ctg")
        boite = serveur.nouvelle_boite()
        contenus = courriels()
        debut = time.perf_counter()
        serveur.deposer(boite, *contenus)
        depot = time.perf_counter() - debut
        mesurer(serveur.reglages(boite), serveur.client, boite, len(contenus), sum(map(len, contenus)), depot)


def mesurer(  # noqa: PLR0915  (un banc se lit d'un bout à l'autre)
    reglages: ReglagesImap, client: Callable[[str], imaplib.IMAP4], boite: str, *chiffres: float
) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.reglages import lire_reglages
    from gouvernance.reunions.imap.releve import charger_deja_traites, enregistrer_releve, lire_boite

    nombre, octets, depot = chiffres
    moteur = ouvrir_base(lire_reglages())

    def reference() -> int:
        imap = client(boite)
        try:
            imap.select("INBOX", readonly=True)
            _, donnees = imap.uid("FETCH", "1:*", "(BODYSTRUCTURE)")
        finally:
            imap.logout()
        return len(donnees)

    lectures: list[float] = []
    enregistrements: list[float] = []
    bilans = []
    requetes: list[int] = []

    def compter(*_arguments: object) -> None:
        requetes[-1] += 1

    def relever(garder: bool) -> None:
        with Session(moteur) as session:
            debut = time.perf_counter()
            releve = lire_boite(reglages, charger_deja_traites(session, reglages.dossier))
            milieu = time.perf_counter()
            requetes.append(0)
            event.listen(moteur, "before_cursor_execute", compter)
            bilans.append(enregistrer_releve(session, releve, maintenant=RELEVE_LE))
            event.remove(moteur, "before_cursor_execute", compter)
            enregistrements.append(time.perf_counter() - milieu)
            lectures.append(milieu - debut)
            if garder:
                session.commit()
            else:
                session.rollback()

    reference()  # une première fois : le serveur met la boîte en cache, comme pour une boîte déjà relevée
    temps_reference = mediane(reference)
    relever(garder=False)
    lectures.clear()
    enregistrements.clear()
    premier = mediane(lambda: relever(garder=False), 3)
    premier_lecture, premier_enregistrement = statistics.median(lectures), statistics.median(enregistrements)
    appliquees = sum(ligne.etat == "applique" for ligne in bilans[-1].lignes)
    requetes_premier = requetes[-1]
    relever(garder=True)
    lectures.clear()
    enregistrements.clear()
    second = mediane(lambda: relever(garder=False))
    second_lecture = statistics.median(lectures)

    print(
        f"Boîte de {nombre:.0f} courriels ({octets / 2**20:.0f} Mio) : {ORDINAIRES} ordinaires avec une pièce jointe "
        f"de {PIECE // 1000} ko, {REPONSES} réponses d'invités ; dépôt (IMAP APPEND) en {depot:.1f} s"
    )
    print(f"  référence : imaplib seul, BODYSTRUCTURE de tous  : {temps_reference * 1000:7.0f} ms")
    print(
        f"  premier relevé (médiane de 3)                   : {premier * 1000:7.0f} ms"
        f"  ({premier / temps_reference:.1f} × la référence ; {appliquees} réponses enregistrées)"
    )
    print(f"    dont lecture de la boîte (aperçus, 20 réponses téléchargées) : {premier_lecture * 1000:7.0f} ms")
    print(
        f"    dont enregistrement en base                                  : {premier_enregistrement * 1000:7.0f} ms"
        f"  ({requetes_premier} requêtes SQL, {nombre:.0f} courriels notés comme traités)"
    )
    print(
        f"  second relevé, rien de nouveau (médiane de 5)   : {second * 1000:7.0f} ms"
        f"  ({second / temps_reference:.2f} × la référence ; lecture {second_lecture * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
