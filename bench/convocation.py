"""Mesure la convocation d'un COPIL de 40 invités, de bout en bout, et la rapporte à des références.

Lancement : `.venv/bin/python bench/convocation.py` (une à deux minutes ; `--sans-pdf` pour ne pas lancer
LibreOffice). Tout tourne dans un dossier temporaire, avec un serveur Prefect local temporaire.

Trois mesures, dans la même exécution pour rester comparables :
1. la référence : docxtpl seul remplit les mêmes modèles avec les mêmes données (41 documents) ;
2. notre code seul : documents Word (bac à sable compris), invitations .ics, courriels .eml, boîte
   d'envoi et base de données, sans Prefect (et la conversion PDF à part) ;
3. le même travail par le flux Prefect, à froid (démarrage du serveur temporaire compris) puis à chaud.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

INVITES = 40


def maintenant() -> datetime:
    return datetime.now(UTC)


def ligne(libelle: str, secondes: float, detail: str = "") -> None:
    print(f"  {libelle:<32}: {secondes:6.2f} s" + (f"  ({detail})" if detail else ""))


def chrono(action: Callable[[], object]) -> float:
    debut = time.perf_counter()
    action()
    return time.perf_counter() - debut


def preparer_dossier(dossier: Path, invites: int = INVITES) -> None:
    """Une base neuve : L'Union, un COPIL de `invites` membres fictifs (40), le coordinateur réglé."""
    os.environ["CTG_HOME"] = str(dossier)
    os.environ.pop("CTG_DATABASE_URL", None)
    os.environ["CTG_COORDINATEUR_NOM"] = "Nadia Prototype"
    os.environ["CTG_COORDINATEUR_EMAIL"] = "cooperation.ctg@example.org"
    from gouvernance.base_donnees import creer_base
    from gouvernance.membres import ajouter_membre, exiger_instance
    from gouvernance.personnes import FichePersonne, ajouter_personne
    from gouvernance.reglages import lire_reglages
    from gouvernance.territoires import charger_referentiel_exemple, choisir_territoire
    from modeles.moteur import ouvrir_session

    with ouvrir_session(creer_base(lire_reglages()), ecriture=True) as session:
        charger_referentiel_exemple(session)
        copil = exiger_instance(session, choisir_territoire(session, None), "COPIL")
        for numero in range(invites):
            fiche = FichePersonne(email=f"invite{numero:02d}@example.org", prenom="Invité", nom=f"Numéro {numero:02d}")
            ajouter_membre(session, copil, ajouter_personne(session, fiche), "president" if numero == 0 else "membre")


def planifier(numero: int) -> int:
    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.reglages import lire_reglages
    from gouvernance.reunions.demande import lire_demande
    from gouvernance.reunions.planification import enregistrer_reunion
    from gouvernance.territoires import choisir_territoire
    from modeles.moteur import ouvrir_session

    jour = (datetime.now(UTC) + timedelta(days=20 + numero)).date()
    demande = lire_demande(
        f"instance: COPIL\ndebut: {jour.isoformat()} 18:00\npoints:\n"
        "  - titre: Bilan petite enfance\n    orientations: ['3.3', '3.1']\n"
        "  - titre: Parentalité\n    orientations: ['5.3']\n",
        "bench.yaml",
    )
    with ouvrir_session(ouvrir_base(lire_reglages()), ecriture=True) as session:
        territoire = choisir_territoire(session, None)
        reunion = enregistrer_reunion(
            session, territoire, demande, maintenant=datetime.now(UTC), uid=f"bench-{numero}@ctg.example.org"
        )
        return reunion.id


def reference_docxtpl(reunion_id: int, modeles: Path) -> float:
    """docxtpl nu (environnement Jinja ordinaire, mêmes filtres) sur les mêmes modèles et données."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.documents.contexte import contexte
    from gouvernance.documents.securite import environnement
    from gouvernance.reglages import lire_reglages
    from gouvernance.reunions.description import exiger_reunion
    from gouvernance.reunions.lecture import construire_vue
    from modeles.moteur import ouvrir_session

    with ouvrir_session(ouvrir_base(lire_reglages())) as session:
        vue = construire_vue(exiger_reunion(session, reunion_id), lire_reglages())
    env = Environment(autoescape=True)
    env.filters.update(environnement().filters)
    jour = datetime.now(UTC).date()

    def rendre(modele: str, destinataire: object) -> None:
        gabarit = DocxTemplate(modeles / modele)
        gabarit.render(contexte(vue, destinataire, date_courrier=jour), jinja_env=env)  # type: ignore[arg-type]
        gabarit.save(io.BytesIO())

    def tout() -> None:
        rendre("ordre_du_jour.docx", None)
        for invite in vue.invites:
            rendre("convocation.docx", invite)

    return chrono(tout)


def notre_code(reunion_id: int, modeles: Path, pdf: bool) -> tuple[float, float, list[float]]:
    """Préparation et dépôt par nos fonctions, sans Prefect ; renvoie (sans PDF, PDF seul, durée de chaque
    transaction d'écriture : tant qu'elle dure, SQLite refuse tout autre écrivain)."""
    from sqlalchemy import event

    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.documents.pdf import convertir_en_pdf
    from gouvernance.reglages import lire_reglages
    from gouvernance.reunions.envoi_reunion import Parametres
    from gouvernance.services.diffusion import envoyer_courriels
    from gouvernance.services.reunions import convoquer_reunion

    reglages = lire_reglages()
    moteur = ouvrir_base(reglages)
    temps_pdf = 0.0
    ecritures: list[float] = []
    ouvertes: dict[int, float] = {}

    def commencer(connexion: Any) -> None:
        if connexion.get_execution_options().get("ctg_ecriture"):
            ouvertes[id(connexion)] = time.perf_counter()

    def finir(connexion: Any) -> None:
        if (debut := ouvertes.pop(id(connexion), None)) is not None:
            ecritures.append(time.perf_counter() - debut)

    event.listen(moteur, "begin", commencer)
    event.listen(moteur, "commit", finir)
    event.listen(moteur, "rollback", finir)

    def convertir(docx: list[Path], dossier: Path) -> list[Path]:
        nonlocal temps_pdf
        debut = time.perf_counter()
        resultat = convertir_en_pdf(docx, dossier)
        temps_pdf += time.perf_counter() - debut
        return resultat

    parametres = Parametres(
        reglages=reglages,
        maintenant=datetime.now(UTC),
        modeles=modeles,
        convertir_en_pdf=convertir if pdf else None,
        smtp=False,
    )

    def tout() -> None:
        lot = convoquer_reunion(moteur, reunion_id, parametres)
        envoyer_courriels(
            moteur,
            lot.messages,
            smtp=None,
            boite=reglages.boite_envoi,
            dossier=reglages.dossier,
            maintenant=lambda: datetime.now(UTC),
        )

    total = chrono(tout)
    for nom, ecouteur in (("begin", commencer), ("commit", finir), ("rollback", finir)):
        event.remove(moteur, nom, ecouteur)
    return total - temps_pdf, temps_pdf, ecritures


def par_prefect(reunion_id: int) -> float:
    from flows.convocation import diffuser_reunion
    from flows.prefect_local import reglages_d_execution

    with reglages_d_execution():
        return chrono(lambda: diffuser_reunion(reunion_id, "convocation", ()))


def main() -> None:
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("--sans-pdf", action="store_true", help="ne pas convertir en PDF (LibreOffice)")
    options = parametres.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    with tempfile.TemporaryDirectory() as temporaire:
        dossier = Path(temporaire) / "ctg"
        preparer_dossier(dossier)
        from gouvernance.documents.pdf import libreoffice_disponible
        from gouvernance.documents.rendu import MODELES_D_ORIGINE
        from gouvernance.reglages import lire_reglages

        pdf = libreoffice_disponible() and not options.sans_pdf
        documents = INVITES + 1
        reference = reference_docxtpl(planifier(0), MODELES_D_ORIGINE)
        nous, temps_pdf, ecritures = notre_code(planifier(1), MODELES_D_ORIGINE, pdf)
        from flows.prefect_local import preparer_environnement

        preparer_environnement(lire_reglages())
        if not pdf:
            os.environ["PATH"] = ""  # le flux ne trouve pas LibreOffice : même travail que « notre code »
        froid = par_prefect(planifier(2))
        chaud = par_prefect(planifier(3))
        print(f"Convocation d'un COPIL de {INVITES} invités ({documents} documents Word, {INVITES} courriels)")
        ligne("référence docxtpl seul", reference, f"{reference / documents * 1000:.0f} ms/document")
        ligne(
            "notre code, sans PDF",
            nous,
            f"{nous / documents * 1000:.0f} ms/document, {nous / reference:.2f} × la référence",
        )
        if pdf:
            ligne("conversion PDF (LibreOffice)", temps_pdf, f"{temps_pdf / documents * 1000:.0f} ms/document")
        ligne(
            "verrou d'écriture le plus long",
            max(ecritures),
            f"{len(ecritures)} transactions d'écriture, {sum(ecritures):.2f} s en tout",
        )
        ligne("flux Prefect à froid", froid, "serveur temporaire démarré")
        ligne("flux Prefect à chaud", chaud)
        propre = nous + temps_pdf
        ligne("part de Prefect à chaud", max(chaud - propre, 0), f"{max(chaud - propre, 0) / chaud:.0%} du flux")
        ligne("part de Prefect à froid", max(froid - propre, 0), f"{max(froid - propre, 0) / froid:.0%} du flux")


if __name__ == "__main__":
    main()
