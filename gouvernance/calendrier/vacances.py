"""Les vacances scolaires d'une zone (A, B ou C), d'après les données du ministère de l'Éducation nationale
que publie le paquet `vacances-scolaires-france`.

Les données s'arrêtent à la fin de la dernière année scolaire publiée : au-delà, on refuse plutôt que de
croire qu'il n'y a pas de vacances.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from importlib.metadata import version

from vacances_scolaires_france import SchoolHolidayDates  # type: ignore[import-untyped,unused-ignore]

from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import INSECABLE, date_longue

ZONES = ("A", "B", "C")
AIDE_ZONES = "zone A, B ou C (L'Union, académie de Toulouse : zone C)"


def lire_zone(texte: str) -> str:
    """« c », « Zone C » → « C » ; DonneesInvalides pour une zone inconnue."""
    zone = texte.strip().upper().removeprefix("ZONE").strip()
    if zone not in ZONES:
        raise DonneesInvalides(f"« {texte} » n'est pas une zone de vacances scolaires : choisissez la {AIDE_ZONES}.")
    return zone


@cache
def _donnees() -> SchoolHolidayDates:
    return SchoolHolidayDates()


@cache
def periode_couverte() -> tuple[date, date]:
    """Le premier et le dernier jour de vacances connus des données installées."""
    jours: list[date] = sorted(_donnees().data)
    return jours[0], jours[-1]


def verifier_annee(annee: int) -> None:
    """DonneesInvalides si les vacances de l'année (jusqu'à celles de Noël) ne sont pas toutes connues."""
    premier, dernier = periode_couverte()
    if premier.year < annee and date(annee, 12, 31) <= dernier:
        return
    paquet = f"vacances-scolaires-france {version('vacances-scolaires-france')}"
    if annee <= premier.year:
        raise DonneesInvalides(
            f"Les vacances scolaires de {annee} ne sont pas connues : les données installées ({paquet}) "
            f"commencent au {date_longue(premier)}. Planifiez cette année sans --vacances-zone."
        )
    raise DonneesInvalides(
        f"Les vacances scolaires de {annee} ne sont pas toutes connues : les données installées "
        f"({paquet}) s'arrêtent au {date_longue(dernier)}. Mettez le paquet à jour "
        "(`pip install --upgrade vacances-scolaires-france` dans l'environnement de ctg), "
        "ou planifiez sans les vacances (--vacances-zone aucune)."
    )


def vacances_le(zone: str) -> Callable[[date], str | None]:
    """Une fonction qui dit si un jour tombe pendant les vacances de la zone : « vacances de printemps (zone C) »."""
    donnees = _donnees()
    cle = donnees.zone_key(zone)
    _, dernier = periode_couverte()

    def nommer(jour: date) -> str | None:
        if jour > dernier:
            raise DonneesInvalides(
                f"Les vacances scolaires ne sont connues que jusqu'au {date_longue(dernier)} : mettez à jour le "
                "paquet vacances-scolaires-france, ou planifiez sans --vacances-zone."
            )
        ligne = donnees.data.get(jour)
        if ligne is None or not ligne[cle]:
            return None
        nom: str = ligne["nom_vacances"]
        return f"{nom[0].lower()}{nom[1:]} (zone{INSECABLE}{zone})"

    return nommer
