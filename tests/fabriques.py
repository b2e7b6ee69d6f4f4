"""Fabriques de données de test, avec des valeurs par défaut (à la manière d'Indico)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from gouvernance.territoires import charger_referentiel_exemple
from modeles import (
    Action,
    CompteRendu,
    Decision,
    Fonction,
    Instance,
    Invitation,
    Orientation,
    Partenaire,
    Personne,
    PointOrdreDuJour,
    Reunion,
    Territoire,
)

DONNEES = Path(__file__).parent / "donnees"
SOURCE_LUNION = DONNEES / "ctg_lunion_conseil_municipal_2021-12-08.txt"


def charger_lunion(session: Session) -> Territoire:
    charger_referentiel_exemple(session)
    session.flush()
    return session.query(Territoire).filter_by(code="lunion").one()


def creer_reunion(
    session: Session, instance: Instance, orientations: list[Orientation], **changements: object
) -> Reunion:
    """Une réunion d'une instance avec un point d'ordre du jour rattaché à `orientations`."""
    debut = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)
    valeurs: dict[str, object] = {
        "instance": instance,
        "titre": "Comité de pilotage",
        "debut": debut,
        "fin": debut + timedelta(hours=2),
        "uid": f"reunion-{instance.code}-{debut:%Y%m%d}@ctg.example.org",
        "cree_le": datetime(2026, 11, 29, 9, 0, tzinfo=UTC),
    }
    valeurs.update(changements)
    reunion = Reunion(**valeurs)
    reunion.points.append(PointOrdreDuJour(ordre=1, titre="Bilan", orientations=orientations))
    session.add(reunion)
    session.flush()
    return reunion


def preparer_base_cli(dossier: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Une base SQLite avec L'Union dans `dossier` (CTG_HOME), pour les commandes lancées par CliRunner."""
    from flows.cli import contexte
    from gouvernance.base_donnees import creer_base
    from gouvernance.reglages import lire_reglages
    from modeles.moteur import ouvrir_session

    monkeypatch.setenv("CTG_HOME", str(dossier))
    for variable in ("CTG_DATABASE_URL", "CTG_CONFIG", "CTG_VACANCES_ZONE"):
        monkeypatch.delenv(variable, raising=False)
    contexte.reglages.cache_clear()
    contexte.moteur.cache_clear()
    moteur = creer_base(lire_reglages())
    with ouvrir_session(moteur, ecriture=True) as ouverte:
        charger_referentiel_exemple(ouverte)
    moteur.dispose()


def fermer_base_cli() -> None:
    from flows.cli import contexte

    contexte.moteur().dispose()
    contexte.reglages.cache_clear()
    contexte.moteur.cache_clear()


#: L'instant où le bilan de l'année fabriquée est arrêté.
BILAN_ARRETE_LE = datetime(2028, 1, 15, 10, 0, tzinfo=UTC)


def creer_personne(session: Session, email: str, nom: str, partenaire: str | None) -> Personne:
    """Une personne ; avec `partenaire` (sigle), une fonction dans cet organisme depuis 2020."""
    personne = Personne(email=email, prenom="Test", nom=nom)
    if partenaire is not None:
        organisme = session.query(Partenaire).filter_by(sigle=partenaire).one()
        personne.fonctions.append(Fonction(partenaire=organisme, intitule="Représentant", debut=date(2020, 1, 1)))
    session.add(personne)
    return personne


def creer_annee_de_bilan(session: Session) -> Territoire:
    """L'année 2027 de L'Union : deux COPIL tenus avec présences relevées, un COTECH tenu sans compte rendu, un
    COTECH annulé (orientation 8.6), des réunions hors de l'année, une décision et cinq actions (une par catégorie).
    """
    territoire = charger_lunion(session)
    orientations = {o.code: o for o in session.query(Orientation).all()}
    instances = {i.code: i for i in session.query(Instance).all()}
    personnes = {
        cle: creer_personne(session, f"{cle}@example.org", nom, sigle)
        for cle, nom, sigle in (
            ("ville1", "Maire", "Ville"),
            ("ville2", "Adjointe", "Ville"),
            ("caf", "Conseiller", "CAF"),
            ("ccas", "Directrice", "CCAS"),
            ("sans", "Bénévole", None),
        )
    }

    def reunion(code: str, debut: datetime, cites: list[str], **changements: object) -> Reunion:
        return creer_reunion(
            session,
            instances[code],
            [orientations[c] for c in cites],
            debut=debut,
            fin=debut + timedelta(hours=2),
            titre=f"{instances[code].intitule} du {debut:%d/%m}",
            uid=f"bilan-{code}-{debut:%Y%m%d%H%M}@ctg.example.org",
            **changements,
        )

    def relever(reunion_: Reunion, presences: dict[str, str | None], statut: str | None) -> None:
        for cle, presence in presences.items():
            reunion_.invitations.append(Invitation(personne=personnes[cle], presence=presence))
        if statut is not None:
            session.add(CompteRendu(reunion=reunion_, statut=statut, genere_le=BILAN_ARRETE_LE))

    mars = reunion("COPIL", datetime(2027, 3, 9, 17, 0, tzinfo=UTC), ["3.3", "3.1"])
    relever(
        mars,
        {"ville1": "present", "ville2": "represente", "caf": "excuse", "ccas": "present", "sans": "absent"},
        "importe",
    )
    juin = reunion("COTECH", datetime(2027, 6, 15, 12, 0, tzinfo=UTC), ["1.1"])
    relever(juin, {"ville1": None, "caf": None}, None)
    reunion("COTECH", datetime(2027, 10, 12, 12, 0, tzinfo=UTC), ["8.6"], statut="annulee")
    decembre = reunion("COPIL", datetime(2027, 12, 7, 17, 0, tzinfo=UTC), ["3.3"])
    relever(decembre, {"ville1": "present", "caf": "present", "ccas": "absent"}, "valide")
    # Hors de l'année : le 15 décembre 2026, et le 31 décembre 2027 à 23 h 30 UTC, déjà le 1er janvier 2028 à Paris.
    reunion("COPIL", datetime(2026, 12, 15, 17, 0, tzinfo=UTC), ["8.6"])
    reunion("SEMINAIRE", datetime(2027, 12, 31, 23, 30, tzinfo=UTC), ["8.6"])
    decision = Decision(reunion=mars, numero=1, texte="Ouvrir dix places de crèche", cree_le=BILAN_ARRETE_LE)
    decision.orientations.append(orientations["3.3"])
    session.add(decision)
    for reunion_, libelle, statut, echeance, cites in (
        (mars, "Étudier un relais petite enfance", "fait", date(2027, 6, 30), ["3.3"]),
        (mars, "Lancer le café des parents", "en_cours", date(2027, 6, 30), ["5.3"]),
        (mars, "Recenser les assistantes maternelles", "a_faire", date(2028, 3, 31), ["3.1"]),
        (mars, "Créer un annuaire papier", "abandonnee", date(2027, 5, 1), ["2.1"]),
        (decembre, "Chiffrer les places de crèche", "en_cours", date(2028, 6, 30), ["3.3"]),
    ):
        action = Action(
            reunion=reunion_,
            libelle=libelle,
            statut=statut,
            echeance=echeance,
            responsable="Service petite enfance",
            cree_le=BILAN_ARRETE_LE,
        )
        action.orientations.extend(orientations[c] for c in cites)
        session.add(action)
    session.flush()
    return territoire
