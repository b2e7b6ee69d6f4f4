"""`ctg calendrier planifier ANNEE` : les réunions de l'année selon le rythme de chaque instance."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from flows.cli.contexte import console, imprimer_json, info, reglages, session, succes
from flows.cli.options import option_json, option_territoire
from gouvernance.francais import compte

if TYPE_CHECKING:
    from gouvernance.calendrier.planification_annuelle import Proposition
    from gouvernance.calendrier.rythme import Rythme


def maintenant() -> datetime:
    return datetime.now(UTC)


@click.group("calendrier")
def groupe_calendrier_annuel() -> None:
    """Le calendrier des réunions : planification de l'année."""


@groupe_calendrier_annuel.command(
    "planifier",
    help=(
        "Propose les réunions de l'ANNEE selon le rythme de chaque instance (`ctg instances modifier CODE "
        "--rythme … --heure …`), et les enregistre avec --enregistrer. Une réunion qui tombe un jour férié, "
        "ou pendant les vacances scolaires de la zone choisie, est déplacée à la semaine suivante (même jour, "
        "même heure), autant de fois qu'il le faut.\n\n"
        "Sans --enregistrer, la commande montre les propositions et, dans un terminal, demande s'il faut "
        "les enregistrer. Une instance qui a déjà une réunion (non annulée) le même jour n'en reçoit pas "
        "d'autre : relancer la commande ne crée pas de doublon. Une instance sans rythme n'a pas de réunion "
        "proposée."
    ),
)
@click.argument("annee", type=click.IntRange(2000, 2100), metavar="ANNEE")
@click.option(
    "--rythmes",
    "fichier",
    type=click.Path(path_type=Path),
    metavar="FICHIER",
    help='YAML : COPIL: {rrule: "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU", heure: "18:00"}, '
    'COTECH: {par_an: 4, jour: mardi, heure: "14:00"}, ATELIER: null (aucune réunion).',
)
@click.option(
    "--vacances-zone",
    "zone",
    metavar="ZONE",
    help="Évite aussi les vacances scolaires de la zone A, B ou C (L'Union, académie de Toulouse : C) ; "
    "« aucune » pour ne pas les éviter. Par défaut : le réglage CTG_VACANCES_ZONE (ctg.toml : vacances_zone).",
)
@click.option(
    "--alsace-moselle",
    is_flag=True,
    help="Jours fériés d'Alsace-Moselle (Vendredi saint, Saint-Étienne) en plus ; "
    "par défaut : le réglage CTG_ALSACE_MOSELLE=1.",
)
@click.option("--enregistrer", is_flag=True, help="Enregistre les réunions proposées sans rien demander.")
@option_territoire
@option_json
def planifier_annee(  # click passe les options par leur nom
    *,
    annee: int,
    fichier: Path | None,
    zone: str | None,
    alsace_moselle: bool,
    enregistrer: bool,
    territoire: str | None,
    en_json: bool,
) -> None:
    from gouvernance.calendrier.planification_annuelle import enregistrer_propositions, proposer_calendrier
    from gouvernance.reunions.planification import nouvel_uid
    from gouvernance.territoires import choisir_territoire

    rythmes = _lire_rythmes(fichier) if fichier is not None else {}
    vacances_zone = _zone(zone)
    alsace_moselle = alsace_moselle or reglages().valeur("ALSACE_MOSELLE") in ("1", "oui", "true")
    instant = maintenant()
    with session(ecriture=True) as ouverte:
        choisi = choisir_territoire(ouverte, territoire)
        propositions = proposer_calendrier(
            ouverte,
            choisi,
            annee,
            rythmes,
            maintenant=instant,
            vacances_zone=vacances_zone,
            alsace_moselle=alsace_moselle,
        )
        a_enregistrer = sum(p.a_enregistrer for p in propositions)
        if not en_json:
            feries = "jours fériés" + (" d'Alsace-Moselle" if alsace_moselle else "")
            evites = feries + (f" et vacances scolaires de la zone {vacances_zone}" if vacances_zone else "")
            _afficher(propositions, annee, choisi.nom, evites)
        if a_enregistrer and not enregistrer and not en_json and sys.stdin.isatty():
            enregistrer = click.confirm(
                f"Enregistrer {'cette réunion' if a_enregistrer == 1 else f'ces {a_enregistrer} réunions'} ?",
                default=False,
            )
        enregistrees = 0
        if enregistrer and a_enregistrer:
            enregistrees = enregistrer_propositions(
                ouverte, choisi, propositions, maintenant=instant, nouvel_uid=nouvel_uid
            )
        resultat = [p.en_dict() for p in propositions]
        refusees = [p for p in propositions if p.etat in ("impossible", "trop-proche")]
    if en_json:
        imprimer_json(resultat)
        return
    _conclure(a_enregistrer, enregistrer, enregistrees, refusees)


def _conclure(a_enregistrer: int, enregistrer: bool, enregistrees: int, refusees: list[Proposition]) -> None:
    if enregistrees:
        succes(
            f"{compte(enregistrees, 'réunion enregistrée', 'réunions enregistrées')}. "
            "Convoquez chacune avec : ctg reunion convoquer N"
        )
    for proposition in refusees if enregistrer else []:
        info(f"Non enregistrée : {proposition.titre} : {proposition.detail}.")
    if not a_enregistrer:
        info("Aucune nouvelle réunion à enregistrer.")
    elif not enregistrer:
        info("Rien n'a été enregistré : relancez avec --enregistrer pour planifier ces réunions.")


def _zone(option: str | None) -> str | None:
    """La zone de l'option, sinon du réglage CTG_VACANCES_ZONE ; None : vacances non évitées."""
    from gouvernance.calendrier.vacances import lire_zone
    from gouvernance.erreurs import DonneesInvalides

    texte = option if option is not None else reglages().valeur("VACANCES_ZONE")
    if texte is None or texte.strip().lower() in ("aucune", "non", ""):
        return None
    try:
        return lire_zone(texte)
    except DonneesInvalides as erreur:
        if option is None:
            raise DonneesInvalides(f"Réglage CTG_VACANCES_ZONE (ou vacances_zone dans ctg.toml) : {erreur}") from None
        raise


def _lire_rythmes(fichier: Path) -> dict[str, Rythme | None]:
    from gouvernance.calendrier.rythme import lire_rythmes
    from gouvernance.erreurs import DonneesInvalides

    try:
        texte = fichier.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DonneesInvalides(f"Le fichier {fichier} n'existe pas.") from None
    except (IsADirectoryError, UnicodeDecodeError):
        raise DonneesInvalides(f"{fichier} n'est pas un fichier texte en UTF-8.") from None
    return lire_rythmes(texte, fichier.name)


def _afficher(propositions: list[Proposition], annee: int, territoire: str, evites: str) -> None:
    from gouvernance.calendrier.planification_annuelle import ETATS
    from gouvernance.francais import moment

    if not propositions:
        info(
            f"Aucune réunion à proposer pour {annee} : aucune instance de {territoire} n'a de rythme. "
            'Donnez-en un : ctg instances modifier COPIL --rythme "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU" --heure 18:00'
        )
        return
    tableau = Table(title=f"Réunions proposées pour {annee} — {territoire} (évités : {evites})", title_justify="left")
    tableau.add_column("Instance")
    tableau.add_column("Date", no_wrap=True)
    tableau.add_column("Note")
    tableau.add_column("État")
    for p in propositions:
        quand = moment(p.debut) if p.debut else f"{p.jour:%d/%m/%Y} à {p.heure:%H:%M}"
        etat = ETATS[p.etat] + (f" : {p.detail}" if p.detail else "")
        tableau.add_row(p.instance.code, quand, p.note, etat)
    console.print(tableau)
