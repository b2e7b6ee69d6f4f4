"""Le parcours du compte rendu par ses cas d'usage : aucune transaction d'écriture pendant Word ni LibreOffice."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from flows.cli.secretaire_demo import completer_compte_rendu
from gouvernance.documents.rendu import MODELES_D_ORIGINE
from gouvernance.erreurs import DonneesInvalides
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.services import comptes_rendus
from modeles import CompteRendu, Document, Message
from modeles.moteur import ouvrir_session
from tests.test_compte_rendu_import import preparer
from tests.test_documents import texte_docx

MAINTENANT = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)


def _base_libre(moteur: Engine) -> None:
    """Échoue si une transaction d'écriture tient la base (SQLite : BEGIN IMMEDIATE sans attendre)."""
    if moteur.url.get_backend_name() != "sqlite":
        return
    with closing(sqlite3.connect(str(moteur.url.database), timeout=0)) as connexion:
        connexion.isolation_level = None
        connexion.execute("BEGIN IMMEDIATE")
        connexion.execute("ROLLBACK")


def _parametres(moteur: Engine, dossier: Path, conversions: list[Path]) -> Parametres:
    def convertir(docx: list[Path], sortie: Path) -> list[Path]:
        _base_libre(moteur)  # LibreOffice tourne pendant que les autres écrivent
        conversions.extend(docx)
        pdf = sortie / f"{docx[0].stem}.pdf"
        pdf.write_bytes(b"%PDF-1.7 factice")
        return [pdf]

    reglages = lire_reglages(
        {
            "CTG_HOME": str(dossier),
            "CTG_COORDINATEUR_NOM": "Nadia Prototype",
            "CTG_COORDINATEUR_EMAIL": "ctg@example.org",
        }
    )
    return Parametres(reglages, MAINTENANT, MODELES_D_ORIGINE, convertir, smtp=False)


def _en_base(moteur: Engine, lire: Callable[..., object]) -> object:
    with ouvrir_session(moteur) as session:
        return lire(session)


def test_du_projet_a_la_diffusion_sans_tenir_la_base_pendant_les_documents(moteur: Engine, tmp_path: Path) -> None:
    with ouvrir_session(moteur, ecriture=True) as session:
        _, reunion = preparer(session)
        reunion_id = reunion.id
        # Le responsable d'action qu'écrit le secrétaire de la démonstration.
        ajouter_personne(session, FichePersonne(email="luc@example.org", prenom="Luc", nom="Maquette"))
    conversions: list[Path] = []
    parametres = _parametres(moteur, tmp_path, conversions)

    (emargement, emargement_pdf) = comptes_rendus.produire_emargement(moteur, reunion_id, parametres)
    assert emargement.is_file() and emargement_pdf.suffix == ".pdf"
    projet = comptes_rendus.generer_compte_rendu(moteur, reunion_id, parametres)
    assert projet.name.endswith("-v1.docx")

    complete = tmp_path / "complete.docx"
    complete.write_bytes(completer_compte_rendu(projet.read_bytes(), annee=date.today().year + 1))
    essai = comptes_rendus.importer_compte_rendu(
        moteur, reunion_id, complete, reglages=parametres.reglages, maintenant=MAINTENANT, simulation=True
    )
    assert essai.lignes_resume()
    assert _en_base(moteur, lambda s: s.scalar(select(CompteRendu.statut))) == "projet"
    comptes_rendus.importer_compte_rendu(
        moteur, reunion_id, complete, reglages=parametres.reglages, maintenant=MAINTENANT
    )
    assert _en_base(moteur, lambda s: s.scalar(select(CompteRendu.statut))) == "importe"

    valide, valide_pdf = comptes_rendus.valider_compte_rendu(moteur, reunion_id, parametres)
    assert valide.read_bytes() != complete.read_bytes() and valide_pdf.is_file()  # la version officielle
    assert "Secrétaire de séance\u00a0: Nadia Prototype" in texte_docx(valide.read_bytes())
    assert conversions == [emargement, valide]
    with pytest.raises(DonneesInvalides, match="est déjà validé"):
        comptes_rendus.valider_compte_rendu(moteur, reunion_id, parametres)
    with pytest.raises(DonneesInvalides, match="n'est plus régénéré"):
        comptes_rendus.generer_compte_rendu(moteur, reunion_id, parametres)

    messages = comptes_rendus.diffuser_compte_rendu(moteur, reunion_id, parametres)
    assert len(messages) == 2
    assert comptes_rendus.diffuser_compte_rendu(moteur, reunion_id, parametres) == messages  # jamais deux fois
    assert _en_base(moteur, lambda s: len(s.scalars(select(Message)).all())) == 2
    types = _en_base(moteur, lambda s: sorted(s.scalars(select(Document.type))))
    assert types == [
        "compte_rendu_importe",
        "compte_rendu_projet",
        "compte_rendu_valide",
        "compte_rendu_valide_pdf",
        "emargement",
        "emargement_pdf",
    ]


def test_un_fichier_illisible_est_refuse_en_francais(moteur: Engine, tmp_path: Path) -> None:
    with ouvrir_session(moteur, ecriture=True) as session:
        _, reunion = preparer(session)
    with pytest.raises(DonneesInvalides, match="ne peut pas être lu"):
        comptes_rendus.importer_compte_rendu(
            moteur, reunion.id, tmp_path / "absent.docx", reglages=lire_reglages({}), maintenant=MAINTENANT
        )
