"""Mesure la relecture d'un compte rendu Word d'une vingtaine de pages, rapportée à python-docx seul.

Lancement : `.venv/bin/python bench/import_compte_rendu.py`. Le document est produit par notre modèle avec
170 participants, 40 points, 70 décisions et 70 actions ; LibreOffice, s'il est installé, en compte les pages.
"""

from __future__ import annotations

import io
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPETITIONS = 15


def construire() -> bytes:
    from gouvernance.comptes_rendus.document import construire_compte_rendu
    from gouvernance.comptes_rendus.vue import ActionVue, CompteRenduVue, DecisionVue, ParticipantVue
    from gouvernance.documents.rendu import MODELES_D_ORIGINE
    from gouvernance.reunions.vue import CoordinateurVue, InstitutionVue, OrientationVue, PointVue, ReunionVue
    from modeles import Presence, StatutAction

    orientation = OrientationVue(
        "3.3",
        "Maintenir une offre d'accueil petite enfance suffisante et diversifiée",
        3,
        "Le maintien d'une offre d'accueil de qualité",
    )
    debut = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)
    reunion = ReunionVue(
        id=1,
        uid="bench@ctg.example.org",
        sequence=0,
        statut="convoquee",
        territoire="L'Union",
        instance_code="COPIL",
        instance_intitule="Comité de pilotage de suivi",
        titre="Bilan annuel",
        debut=debut,
        fin=debut + timedelta(hours=3),
        lieu="Salle du conseil",
        visio=None,
        points=tuple(
            PointVue(n, f"Point n°{n} de l'ordre du jour", "Service enfance", 20, (orientation,)) for n in range(1, 41)
        ),
        invites=(),
        president=None,
        institution=InstitutionVue("Ville de L'Union", None, None),
        coordinateur=CoordinateurVue("Nadia Prototype", None, "ctg@example.org", None),
    )
    vue = CompteRenduVue(
        reunion=reunion,
        identifiant="urn:ctg-gouvernance:reunion:bench@ctg.example.org",
        version=1,
        participants=tuple(
            ParticipantVue(
                f"p{n}@example.org",
                f"Prénom{n} Nom{n}",
                "Caisse d'allocations familiales",
                "Conseiller territorial",
                "membre",
                "ACCEPTED",
                Presence.PRESENT,
            )
            for n in range(170)
        ),
        secretaire="Nadia Prototype",
        precedent="réunion du 8 décembre 2026",
        decisions=tuple(
            DecisionVue(n, f"Décision n°{n} : le comité approuve la proposition. " * 3, (orientation,))
            for n in range(1, 71)
        ),
        actions=tuple(
            ActionVue(
                n,
                f"Action n°{n} à conduire avec les partenaires",
                "CCAS",
                date(2027, 6, 30),
                (orientation,),
                StatutAction.A_FAIRE,
            )
            for n in range(1, 71)
        ),
        actions_ouvertes=(),
        prochaine_reunion=None,
        date_document=date(2027, 3, 10),
    )
    return construire_compte_rendu(vue, modeles=MODELES_D_ORIGINE)


def mediane(action: object) -> float:
    durees = []
    for _ in range(REPETITIONS):
        debut = time.perf_counter()
        action()  # type: ignore[operator]
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import docx

    from gouvernance.comptes_rendus.lecture_docx import lire_compte_rendu
    from gouvernance.documents.pdf import convertir_en_pdf, libreoffice_disponible

    contenu = construire()
    pages = "?"
    if libreoffice_disponible():
        with tempfile.TemporaryDirectory() as dossier:
            chemin = Path(dossier) / "compte-rendu.docx"
            chemin.write_bytes(contenu)
            (pdf,) = convertir_en_pdf([chemin], Path(dossier))
            pages = str(len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())))

    def reference() -> None:
        document = docx.Document(io.BytesIO(contenu))
        for table in document.tables:
            for ligne in table.rows:
                _ = [cellule.text for cellule in ligne.cells]

    temps_reference = mediane(reference)
    temps_lecture = mediane(lambda: lire_compte_rendu(contenu, nom_fichier="bench.docx"))
    print(f"Compte rendu de {pages} pages, {len(contenu) // 1024} Kio")
    print(f"  référence python-docx (ouvrir, lire les tableaux) : {temps_reference * 1000:6.0f} ms")
    print(
        f"  notre relecture (contrôles de sûreté compris)     : {temps_lecture * 1000:6.0f} ms"
        f"  ({temps_lecture / temps_reference:.2f} × la référence)"
    )


if __name__ == "__main__":
    main()
