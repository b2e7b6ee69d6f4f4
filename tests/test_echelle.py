"""Une base qui grandit : chaque clé étrangère a son index, et les listes ne font pas une requête par ligne."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, PrimaryKeyConstraint, UniqueConstraint, event, select
from sqlalchemy.orm import Session

from gouvernance.annuaire import decrire_personnes
from gouvernance.comptes_rendus.suivi import Filtres, lister_suivi
from gouvernance.reglages import Reglages
from gouvernance.reunions.calendrier import construire_calendrier
from gouvernance.reunions.description import decrire_reunion, exiger_reunion, lister_reunions
from gouvernance.territoires import choisir_territoire
from modeles import Base, Instance, Reunion, Territoire
from modeles.moteur import ouvrir_session
from tests.fabriques_echelle import Forme, peupler

PETITE = Forme(personnes=12, partenaires=3, reunions=6, invites=5, tenues=3, convoquees=4)
GRANDE = Forme(personnes=60, partenaires=10, reunions=30, invites=40, tenues=14, convoquees=24)
AUJOURD_HUI = date(2026, 6, 1)
HORODATAGE = datetime(2026, 6, 1, tzinfo=UTC)
COORDINATEUR = {"CTG_COORDINATEUR_NOM": "Nadia Prototype", "CTG_COORDINATEUR_EMAIL": "cooperation.ctg@example.org"}
FILTRES = {
    "aucun filtre": Filtres(),
    "--enjeu": Filtres(enjeu=1),
    "--orientation": Filtres(orientation="1.2"),
    "--instance": Filtres(instance="copil"),
    "--responsable": Filtres(responsable="claire"),
    "--statut": Filtres(statut="en cours"),
}


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


def _listes(code: str) -> dict[str, Callable[[Session], object]]:
    """Chaque liste d'un territoire, telle que la commande l'appelle (le territoire choisi compris)."""
    reglages = Reglages(dossier=Path("ctg-donnees"), url_base="", valeurs=COORDINATEUR)

    def premiere_reunion(session: Session) -> Reunion:
        requete = select(Reunion.id).join(Instance).join(Territoire).where(Territoire.code == code)
        return exiger_reunion(session, session.scalars(requete.order_by(Reunion.id)).first() or 0)

    listes: dict[str, Callable[[Session], object]] = {
        "ctg personnes": lambda s: decrire_personnes(s, choisir_territoire(s, code)),
        "ctg reunions": lambda s: lister_reunions(s, choisir_territoire(s, code)),
        "ctg reunion voir": lambda s: decrire_reunion(s, premiere_reunion(s)),
        "ctg calendrier exporter": lambda s: construire_calendrier(
            s, choisir_territoire(s, code), reglages, personne=None, horodatage=HORODATAGE
        ),
    }
    for nom, filtres in FILTRES.items():
        listes[f"ctg suivi {nom}"] = _suivi(code, filtres)
    return listes


def _suivi(code: str, filtres: Filtres) -> Callable[[Session], object]:
    def lister(session: Session) -> object:
        return lister_suivi(session, choisir_territoire(session, code), filtres, aujourd_hui=AUJOURD_HUI)

    return lister


def _compter_requetes(moteur: Engine, code: str) -> dict[str, int]:
    comptes = {}
    for nom, liste in _listes(code).items():
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
    assert max(sur_grande_base.values()) <= 15, sur_grande_base
