"""Une base qui grandit : chaque clé étrangère a son index, et les listes ne font pas une requête par ligne."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, PrimaryKeyConstraint, UniqueConstraint, event

from modeles import Base, Personne
from modeles.moteur import ouvrir_session
from tests.fabriques_echelle import Forme, listes_du_territoire, peupler
from tests.test_longueurs import ctg

PETITE = Forme(personnes=12, partenaires=3, reunions=6, invites=5, tenues=3, convoquees=4)
GRANDE = Forme(personnes=60, partenaires=10, reunions=30, invites=40, tenues=14, convoquees=24)


def test_chaque_cle_etrangere_est_la_premiere_colonne_d_un_index() -> None:
    """Une clé étrangère sans index fait parcourir toute la table à chaque jointure et à chaque suppression."""
    sans_index = []
    for table in Base.metadata.sorted_tables:
        # Une contrainte d'unicité est servie par un index, sur SQLite comme sur PostgreSQL.
        premieres = {index.columns.values()[0] for index in table.indexes}
        premieres |= {
            contrainte.columns.values()[0]
            for contrainte in table.constraints
            if isinstance(contrainte, PrimaryKeyConstraint | UniqueConstraint) and contrainte.columns
        }
        for cle in table.foreign_keys:
            if cle.parent not in premieres:
                sans_index.append(f"{table.name}.{cle.parent.name}")
    assert sans_index == []


@contextmanager
def compter(moteur: Engine) -> Iterator[list[str]]:
    requetes: list[str] = []

    def noter(_connexion: Any, _curseur: Any, instruction: str, *_arguments: Any) -> None:
        if not instruction.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            requetes.append(instruction)

    event.listen(moteur, "before_cursor_execute", noter)
    try:
        yield requetes
    finally:
        event.remove(moteur, "before_cursor_execute", noter)


def _compter_requetes(moteur: Engine, code: str) -> dict[str, int]:
    comptes = {}
    for nom, liste in listes_du_territoire(moteur, code).items():
        with ouvrir_session(moteur) as session, compter(moteur) as requetes:
            liste(session)
        comptes[nom] = len(requetes)
    return comptes


def test_les_listes_font_autant_de_requetes_sur_une_petite_et_sur_une_grande_base(moteur: Engine) -> None:
    (petit,) = peupler(moteur, 1, forme=PETITE)
    sur_petite_base = _compter_requetes(moteur, petit)

    grand, *_autres = peupler(moteur, 4, premier=2, forme=GRANDE)
    sur_grande_base = _compter_requetes(moteur, grand)

    assert sur_grande_base == sur_petite_base
    # `ctg reunion voir` lit le plus de tables (réunion, instance, territoire et conventions, invitations, points,
    # orientations, documents, messages, réponses à vérifier) : une requête chacune au plus.
    assert max(sur_grande_base.values()) <= 10, sur_grande_base


def test_ctg_personnes_ne_liste_que_les_personnes_du_territoire_choisi(
    moteur: Engine, url_base: str, tmp_path: Path
) -> None:
    (seul,) = peupler(moteur, 1, forme=PETITE)
    with ouvrir_session(moteur, ecriture=True) as session:
        session.add(Personne(email="sans.organisme@example.org", prenom="Sans", nom="Organisme"))
    un_territoire = ctg(url_base, tmp_path, "personnes", "--json")
    peupler(moteur, 1, premier=2, forme=PETITE)

    choisi = ctg(url_base, tmp_path, "personnes", "-t", "t0002", "--json")
    sans_territoire = ctg(url_base, tmp_path, "personnes")

    # Une base d'un seul territoire : toutes les personnes, même celle qu'on vient d'ajouter sans organisme.
    assert _adresses(un_territoire) == sorted(
        [*(f"p{rang}.{seul}@example.org" for rang in range(12)), "sans.organisme@example.org"]
    )
    # Plusieurs territoires : les personnes du territoire choisi seulement.
    assert _adresses(choisi) == sorted(f"p{rang}.t0002@example.org" for rang in range(12))
    assert sans_territoire.returncode == 1
    assert "précisez lequel avec --territoire" in sans_territoire.stderr
    assert "Traceback" not in sans_territoire.stderr


def _adresses(resultat: subprocess.CompletedProcess[str]) -> list[str]:
    assert resultat.returncode == 0, resultat.stderr
    return sorted(personne["email"] for personne in json.loads(resultat.stdout))
