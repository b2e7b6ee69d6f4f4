"""Mesure le temps serveur de chaque type de page de l'application web, avec son propre client de test.

Lancement : `.venv/bin/python bench/web.py [--territoires 20] [--repetitions 7]` (une à deux minutes). Dans un
dossier temporaire : une base SQLite avec L'Union et `--territoires` territoires à l'échelle
(`tests/fabriques_echelle.py` : 60 personnes, 30 réunions de 40 invités, 960 courriels, 42 actions chacun),
un compte coordinateur du premier d'entre eux. Chaque page est demandée `--repetitions` fois après une
première demande (caches chauds) ; la médiane, connexion et rendu compris, doit rester sous 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from flows.web.application import creer_application
from gouvernance.base_donnees import creer_base
from gouvernance.reglages import lire_reglages
from gouvernance.services.comptes import ajouter_utilisateur
from gouvernance.territoires import charger_referentiel_exemple
from modeles import Instance, Partenaire, Personne, Territoire, territoires_partenaires
from modeles.moteur import ouvrir_session
from tests.fabriques_echelle import peupler

SEUIL_MS = 100.0
MOT_DE_PASSE = "mot de passe du banc de mesure"


def mesurer(client: TestClient, chemin: str, repetitions: int) -> float:
    if client.get(chemin).status_code != 200:
        raise SystemExit(f"{chemin} ne répond pas 200")
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        reponse = client.get(chemin)
        durees.append((time.perf_counter() - debut) * 1000)
        if reponse.status_code != 200:
            raise SystemExit(f"{chemin} ne répond pas 200")
    return statistics.median(durees)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--territoires", type=int, default=20)
    arguments.add_argument("--repetitions", type=int, default=7)
    options = arguments.parse_args()
    with tempfile.TemporaryDirectory() as dossier:
        reglages = lire_reglages({"CTG_HOME": dossier})
        moteur = creer_base(reglages)
        with ouvrir_session(moteur, ecriture=True) as session:
            charger_referentiel_exemple(session)
        code = peupler(moteur, options.territoires)[0]
        ajouter_utilisateur(
            moteur,
            "bench@example.org",
            MOT_DE_PASSE,
            "coordinateur",
            territoires=[code],
            maintenant=datetime.now().astimezone(),
        )
        with ouvrir_session(moteur) as session:
            territoire = session.scalars(select(Territoire).where(Territoire.code == code)).one()
            instance = session.scalars(select(Instance.code).where(Instance.territoire_id == territoire.id)).first()
            partenaire = session.scalars(
                select(Partenaire.id)
                .join(territoires_partenaires, territoires_partenaires.c.partenaire_id == Partenaire.id)
                .where(territoires_partenaires.c.territoire_id == territoire.id)
            ).first()
            personne = session.scalars(select(Personne.email).order_by(Personne.id)).first()
        pages = {
            "tableau de bord": "/",
            "référentiel": "/referentiel",
            "instance et ses membres": f"/referentiel/instances/{instance}",
            "partenaires": "/partenaires",
            "fiche d'un partenaire": f"/partenaires/{partenaire}",
            "personnes": "/personnes",
            "personnes, recherche": "/personnes?q=a",
            "fiche d'une personne": f"/personnes/{personne}",
            "import des contacts": "/contacts/import",
            "suivi": "/suivi",
            "suivi, filtré": "/suivi?statut=a_faire&echeance=2027-12-31",
            "calendrier de l'année": "/calendrier",
            "bilan": "/bilan",
        }
        with TestClient(creer_application(reglages)) as client:
            jeton = client.get("/connexion").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post("/connexion", data={"email": "bench@example.org", "mot_de_passe": MOT_DE_PASSE, "csrf": jeton})
            print(f"{options.territoires} territoires à l'échelle, médiane de {options.repetitions} demandes :")
            for nom, chemin in pages.items():
                mediane = mesurer(client, chemin, options.repetitions)
                print(f"  {nom:<26} {mediane:7.1f} ms {'' if mediane <= SEUIL_MS else '  > ' + str(SEUIL_MS) + ' ms'}")


if __name__ == "__main__":
    main()
