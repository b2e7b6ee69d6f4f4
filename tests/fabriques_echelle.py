"""Une base à l'échelle d'un département : des territoires complets, insérés en masse avec les modèles du projet.

Par territoire, avec les valeurs par défaut : 60 personnes (120 fonctions), 10 partenaires, 3 instances,
30 réunions de 3 points et 40 invités, 960 courriels, 14 comptes rendus de 2 décisions et 3 actions.
Avec 200 territoires : 12 000 personnes, 6 000 réunions, 240 000 invitations, 192 000 courriels, 8 400 actions.

Les lignes sont insérées par lots (`insert(...)` avec une liste de valeurs) et leurs identifiants calculés :
ni objet ORM ni aller-retour par ligne. Utilisé par `bench/echelle.py` et par les tests du nombre de requêtes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select
from sqlalchemy.orm import Session

from gouvernance.annuaire import decrire_instances, decrire_personnes
from gouvernance.comptes_rendus.suivi import Filtres, lister_suivi
from gouvernance.referentiel.exporter import partenaires_du_territoire
from gouvernance.reglages import Reglages
from gouvernance.reunions.calendrier import construire_calendrier
from gouvernance.reunions.description import decrire_reunion, exiger_reunion, lister_reunions
from gouvernance.territoires import choisir_territoire
from modeles import (
    Action,
    CompteRendu,
    Convention,
    Decision,
    Document,
    Enjeu,
    Fonction,
    Instance,
    Invitation,
    Membre,
    Message,
    Orientation,
    Partenaire,
    Personne,
    PointOrdreDuJour,
    Reunion,
    Territoire,
    actions_orientations,
    decisions_orientations,
    points_orientations,
    territoires_partenaires,
)

AUJOURD_HUI = date(2026, 6, 1)
HORODATAGE = datetime(2026, 6, 1, tzinfo=UTC)
COORDINATEUR = {"CTG_COORDINATEUR_NOM": "Nadia Prototype", "CTG_COORDINATEUR_EMAIL": "cooperation.ctg@example.org"}
CREE_LE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
#: La première réunion de chaque territoire ; les suivantes tous les 12 jours.
PREMIERE_REUNION = datetime(2026, 1, 13, 17, 0, tzinfo=UTC)
INSTANCES = (("COPIL", "copil"), ("COTECH", "cotech"), ("ATELIER", "atelier"))
ENJEUX, ORIENTATIONS_PAR_ENJEU = 8, 4
STATUTS_ACTION = ("a_faire", "en_cours", "fait", "abandonnee")
LOT = 5_000
_TABLES_NUMEROTEES = (
    Territoire,
    Convention,
    Enjeu,
    Orientation,
    Partenaire,
    Personne,
    Fonction,
    Instance,
    Membre,
    Reunion,
    PointOrdreDuJour,
    Invitation,
    Message,
    Document,
    CompteRendu,
    Decision,
    Action,
)


@dataclass(frozen=True)
class Forme:
    """La taille d'un territoire."""

    personnes: int = 60
    partenaires: int = 10
    reunions: int = 30
    invites: int = 40
    #: Les réunions passées (les premières), qui ont un compte rendu, des décisions et des actions.
    tenues: int = 14
    #: Les réunions convoquées par courriel (un courriel par invité), parmi les premières.
    convoquees: int = 24


class _Compteurs:
    """Le prochain identifiant de chaque table, pour insérer sans RETURNING."""

    def __init__(self, moteur: Engine) -> None:
        self._suivants: dict[str, int] = {}
        with moteur.connect() as connexion:
            for modele in _TABLES_NUMEROTEES:
                self._lire(connexion, modele.__table__)

    def _lire(self, connexion: Any, table: Any) -> None:
        self._suivants[table.name] = (connexion.scalar(select(func.max(table.c.id))) or 0) + 1

    def prendre(self, table: str) -> int:
        numero = self._suivants[table]
        self._suivants[table] = numero + 1
        return numero


def peupler(moteur: Engine, territoires: int, *, premier: int = 1, forme: Forme | None = None) -> list[str]:
    """Ajoute `territoires` territoires complets (codes t0001, t0002… à partir de `premier`) ; renvoie leurs codes."""
    forme = forme or Forme()
    compteurs = _Compteurs(moteur)
    lignes: dict[Any, list[dict[str, Any]]] = {}
    codes = []
    for numero in range(premier, premier + territoires):
        for table, ligne in _territoire(numero, forme, compteurs):
            lignes.setdefault(table, []).append(ligne)
        codes.append(f"t{numero:04d}")
    with moteur.begin() as connexion:
        for table, valeurs in lignes.items():
            for debut in range(0, len(valeurs), LOT):
                connexion.execute(insert(table), valeurs[debut : debut + LOT])
        if connexion.dialect.name == "postgresql":
            for table in lignes:
                if "id" in table.c:
                    sequence = func.pg_get_serial_sequence(table.name, "id")
                    connexion.execute(select(func.setval(sequence, select(func.max(table.c.id)).scalar_subquery())))
    return codes


def _territoire(numero: int, forme: Forme, compteurs: _Compteurs) -> Iterator[tuple[Table, dict[str, Any]]]:
    code = f"t{numero:04d}"
    territoire_id = compteurs.prendre("territoires")
    yield _t(Territoire), {"id": territoire_id, "code": code, "nom": f"Commune n°{numero}", "departement": "31"}
    yield (
        _t(Convention),
        {
            "id": compteurs.prendre("conventions"),
            "territoire_id": territoire_id,
            "intitule": f"CTG de la commune n°{numero}",
            "debut": date(2025, 1, 1),
            "fin": date(2029, 12, 31),
        },
    )
    orientations = []
    for numero_enjeu in range(1, ENJEUX + 1):
        enjeu_id = compteurs.prendre("enjeux")
        yield (
            _t(Enjeu),
            {
                "id": enjeu_id,
                "territoire_id": territoire_id,
                "numero": numero_enjeu,
                "intitule": f"Enjeu {numero_enjeu}",
                "precisions": [],
            },
        )
        for numero_orientation in range(1, ORIENTATIONS_PAR_ENJEU + 1):
            orientation_id = compteurs.prendre("orientations")
            orientations.append(orientation_id)
            yield (
                _t(Orientation),
                {
                    "id": orientation_id,
                    "enjeu_id": enjeu_id,
                    "numero": numero_orientation,
                    "intitule": f"Orientation {numero_enjeu}.{numero_orientation}",
                },
            )
    partenaires = []
    for rang in range(forme.partenaires):
        partenaire_id = compteurs.prendre("partenaires")
        partenaires.append(partenaire_id)
        yield (
            _t(Partenaire),
            {
                "id": partenaire_id,
                "nom": f"Organisme {rang} de {code}",
                "sigle": f"O{rang}",
                "categorie": "association",
            },
        )
        yield territoires_partenaires, {"territoire_id": territoire_id, "partenaire_id": partenaire_id}
    personnes = []
    for rang in range(forme.personnes):
        personne_id = compteurs.prendre("personnes")
        personnes.append(personne_id)
        yield (
            _t(Personne),
            {
                "id": personne_id,
                "email": f"p{rang}.{code}@example.org",
                "prenom": f"Prénom{rang}",
                "nom": f"Nom{rang:03d}",
            },
        )
        organisme = partenaires[rang % len(partenaires)] if partenaires else None
        yield (
            _t(Fonction),
            {
                "id": compteurs.prendre("fonctions"),
                "personne_id": personne_id,
                "partenaire_id": organisme,
                "intitule": "Ancienne fonction",
                "debut": date(2020, 1, 1),
                "fin": date(2024, 12, 31),
            },
        )
        yield (
            _t(Fonction),
            {
                "id": compteurs.prendre("fonctions"),
                "personne_id": personne_id,
                "partenaire_id": organisme,
                "intitule": "Chargée de mission",
                "debut": date(2025, 1, 1),
                "fin": None,
            },
        )
    instances = []
    for rang, (code_instance, type_instance) in enumerate(INSTANCES):
        instance_id = compteurs.prendre("instances")
        instances.append(instance_id)
        yield (
            _t(Instance),
            {
                "id": instance_id,
                "territoire_id": territoire_id,
                "code": code_instance,
                "intitule": f"{code_instance} de {code}",
                "type": type_instance,
                "duree_minutes": 120,
                "delai_convocation_jours": 5,
                "relance_reponse_jours": 7,
                "relance_compte_rendu_jours": 15,
            },
        )
        for personne_id in personnes[rang::2][: forme.invites]:
            yield (
                _t(Membre),
                {
                    "id": compteurs.prendre("membres"),
                    "instance_id": instance_id,
                    "personne_id": personne_id,
                    "role": "membre",
                },
            )
    yield from _reunions(code, forme, compteurs, instances=instances, personnes=personnes, orientations=orientations)


def _reunions(
    code: str,
    forme: Forme,
    compteurs: _Compteurs,
    *,
    instances: list[int],
    personnes: list[int],
    orientations: list[int],
) -> Iterator[tuple[Table, dict[str, Any]]]:
    for rang in range(forme.reunions):
        reunion_id = compteurs.prendre("reunions")
        debut = PREMIERE_REUNION + timedelta(days=12 * rang)
        tenue = rang < forme.tenues
        yield (
            _t(Reunion),
            {
                "id": reunion_id,
                "instance_id": instances[rang % len(instances)],
                "titre": f"Réunion {rang} de {code}",
                "debut": debut,
                "fin": debut + timedelta(hours=2),
                "lieu": "Salle du conseil",
                "statut": "tenue" if tenue else ("convoquee" if rang < forme.convoquees else "planifiee"),
                "uid": f"{code}-{rang}@ctg.example.org",
                "sequence": 0,
                "urgence": False,
                "cree_le": CREE_LE,
            },
        )
        for ordre in range(1, 4):
            point_id = compteurs.prendre("points_ordre_du_jour")
            yield (
                _t(PointOrdreDuJour),
                {"id": point_id, "reunion_id": reunion_id, "ordre": ordre, "titre": f"Point {ordre}"},
            )
            orientation = orientations[(rang * 3 + ordre) % len(orientations)]
            yield points_orientations, {"point_id": point_id, "orientation_id": orientation}
        yield (
            _t(Document),
            {
                "id": compteurs.prendre("documents"),
                "reunion_id": reunion_id,
                "type": "ordre_du_jour",
                "version": 0,
                "chemin": f"documents/{code}/{rang}/ordre_du_jour.docx",
                "empreinte": "0" * 64,
                "cree_le": CREE_LE,
            },
        )
        for place, personne_id in enumerate(personnes[rang % 7 :][: forme.invites]):
            yield (
                _t(Invitation),
                {
                    "id": compteurs.prendre("invitations"),
                    "reunion_id": reunion_id,
                    "personne_id": personne_id,
                    "role": "membre",
                    "reponse": ("NEEDS-ACTION", "ACCEPTED", "DECLINED")[place % 3],
                },
            )
            if rang < forme.convoquees:
                cle = f"{code}-{rang}-0-convocation-{place}"
                yield (
                    _t(Message),
                    {
                        "id": compteurs.prendre("messages"),
                        "cle": cle,
                        "reunion_id": reunion_id,
                        "nature": "convocation",
                        "sequence": 0,
                        "destinataire": f"p{place}.{code}@example.org",
                        "objet": f"Convocation : réunion {rang}",
                        "message_id": f"<{cle}@ctg.example.org>",
                        "chemin": f"boite/{cle}.eml",
                        "etat": "envoye",
                        "tentatives": 1,
                        "cree_le": CREE_LE,
                        "accepte_le": CREE_LE,
                    },
                )
        if tenue:
            yield from _compte_rendu(rang, reunion_id, debut, compteurs, orientations)


def _compte_rendu(
    rang: int, reunion_id: int, debut: datetime, compteurs: _Compteurs, orientations: list[int]
) -> Iterator[tuple[Table, dict[str, Any]]]:
    yield (
        _t(CompteRendu),
        {
            "id": compteurs.prendre("comptes_rendus"),
            "reunion_id": reunion_id,
            "statut": "valide",
            "version": 1,
            "discussions": {},
            "genere_le": debut,
        },
    )
    for numero in (1, 2):
        decision_id = compteurs.prendre("decisions")
        yield (
            _t(Decision),
            {
                "id": decision_id,
                "reunion_id": reunion_id,
                "numero": numero,
                "texte": f"Décision {numero}",
                "cree_le": debut,
            },
        )
        yield decisions_orientations, {"decision_id": decision_id, "orientation_id": orientations[(rang + numero) % 32]}
    for numero in range(3):
        action_id = compteurs.prendre("actions")
        yield (
            _t(Action),
            {
                "id": action_id,
                "reunion_id": reunion_id,
                "libelle": f"Action {numero} de la réunion {rang}",
                "responsable": ("Claire Fictive", "Service enfance", None)[numero],
                "echeance": (debut + timedelta(days=30 * (numero + 1))).date(),
                "statut": STATUTS_ACTION[(rang + numero) % len(STATUTS_ACTION)],
                "cree_le": debut,
            },
        )
        yield actions_orientations, {"action_id": action_id, "orientation_id": orientations[(rang + numero) % 32]}


def _t(modele: Any) -> Table:
    table: Table = modele.__table__
    return table


FILTRES_SUIVI = {
    "aucun filtre": Filtres(),
    "--enjeu": Filtres(enjeu=1),
    "--orientation": Filtres(orientation="1.2"),
    "--instance": Filtres(instance="copil"),
    "--responsable": Filtres(responsable="claire"),
    "--statut": Filtres(statut="en cours"),
}


def listes_du_territoire(moteur: Engine, code: str) -> dict[str, Callable[[Session], object]]:
    """Chaque liste du territoire `code`, appelée comme la commande l'appelle (choix du territoire compris)."""
    reglages = Reglages(dossier=Path("ctg-donnees"), url_base="", valeurs=COORDINATEUR)
    with moteur.connect() as connexion:
        requete = select(func.min(Reunion.id)).join(Instance).join(Territoire).where(Territoire.code == code)
        reunion_id = connexion.scalar(requete) or 0

    listes: dict[str, Callable[[Session], object]] = {
        "ctg personnes": lambda s: decrire_personnes(s, choisir_territoire(s, code)),
        "ctg partenaires": lambda s: [
            len(p.fonctions) for p in partenaires_du_territoire(s, choisir_territoire(s, code))
        ],
        "ctg instances": lambda s: decrire_instances(s, choisir_territoire(s, code)),
        "ctg reunions": lambda s: lister_reunions(s, choisir_territoire(s, code)),
        "ctg reunion voir": lambda s: decrire_reunion(s, exiger_reunion(s, reunion_id)),
        "ctg calendrier exporter": lambda s: construire_calendrier(
            s, choisir_territoire(s, code), reglages, personne=None, horodatage=HORODATAGE
        ),
    }
    for nom, filtres in FILTRES_SUIVI.items():
        listes[f"ctg suivi {nom}"] = _suivi(code, filtres)
    return listes


def _suivi(code: str, filtres: Filtres) -> Callable[[Session], object]:
    def lister(session: Session) -> object:
        return lister_suivi(session, choisir_territoire(session, code), filtres, aujourd_hui=AUJOURD_HUI)

    return lister
