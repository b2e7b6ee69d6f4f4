"""`ctg calendrier planifier ANNÉE` : les réunions de l'année selon le rythme de chaque instance."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from flows.cli.contexte import console, demander_oui_non, imprimer_json, info, moteur, reglages, succes
from flows.cli.options import option_json, option_territoire
from gouvernance.francais import compte

if TYPE_CHECKING:
    from gouvernance.calendrier.planification_annuelle import Proposition
    from gouvernance.calendrier.rythme import Rythme
    from gouvernance.services.calendrier import CalendrierAnnuel


def maintenant() -> datetime:
    return datetime.now(UTC)


@click.group("calendrier")
def groupe_calendrier_annuel() -> None:
    """Le calendrier des réunions : planification de l'année."""


@groupe_calendrier_annuel.command(
    "planifier",
    help=(
        "Propose les réunions de l'ANNÉE selon le rythme de chaque instance (`ctg instances modifier CODE "
        "--rythme … --heure …`), et les enregistre avec --enregistrer. Une réunion qui tombe un jour férié, "
        "ou pendant les vacances scolaires de la zone choisie, est déplacée à la semaine suivante (même jour, "
        "même heure), autant de fois qu'il le faut.\n\n"
        "Sans --enregistrer, la commande montre les propositions et, dans un terminal, demande s'il faut "
        "les enregistrer. Une instance qui a déjà une réunion (non annulée) le même jour n'en reçoit pas "
        "d'autre : relancer la commande ne crée pas de doublon. Une instance sans rythme n'a pas de réunion "
        "proposée."
    ),
)
@click.argument("annee", type=click.IntRange(2000, 2100), metavar="ANNÉE")
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
    from gouvernance.reunions.planification import nouvel_uid
    from gouvernance.services.calendrier import planifier_annee

    rythmes = _lire_rythmes(fichier) if fichier is not None else {}
    vacances_zone = _zone(zone)
    alsace_moselle = alsace_moselle or reglages().valeur("ALSACE_MOSELLE") in ("1", "oui", "true")
    feries = "jours fériés" + (" d'Alsace-Moselle" if alsace_moselle else "")
    evites = feries + (f" et vacances scolaires de la zone {vacances_zone}" if vacances_zone else "")

    def confirmer(plan: CalendrierAnnuel) -> bool:
        """Montre les propositions et demande ; aucune transaction n'est ouverte pendant la question."""
        if en_json:
            return enregistrer
        _afficher(list(plan.propositions), annee, plan.territoire, evites)
        if enregistrer or not sys.stdin.isatty():
            return enregistrer
        nombre = plan.a_enregistrer
        return demander_oui_non(f"Enregistrer {'cette réunion' if nombre == 1 else f'ces {nombre} réunions'} ?")

    plan = planifier_annee(
        moteur(),
        territoire,
        annee,
        rythmes,
        maintenant=maintenant(),
        confirmer=confirmer,
        nouvel_uid=nouvel_uid,
        vacances_zone=vacances_zone,
        alsace_moselle=alsace_moselle,
    )
    if en_json:
        imprimer_json([p.en_dict() for p in plan.propositions])
        return
    if not plan.a_enregistrer:
        _afficher(list(plan.propositions), annee, plan.territoire, evites)
    _conclure(plan)


def _conclure(plan: CalendrierAnnuel) -> None:
    if plan.enregistrees:
        succes(
            f"{compte(plan.enregistrees, 'réunion enregistrée', 'réunions enregistrées')}. "
            "Convoquez chacune avec : ctg reunion convoquer N"
        )
    for proposition in plan.refusees if plan.confirme else []:
        info(f"Non enregistrée : {proposition.titre} : {proposition.detail}.")
    if not plan.a_enregistrer:
        info("Aucune nouvelle réunion à enregistrer.")
    elif not plan.confirme:
        info("Rien n'a été enregistré : relancez avec --enregistrer pour planifier ces réunions.")


def _zone(option: str | None) -> str | None:
    """La zone de l'option, sinon du réglage CTG_VACANCES_ZONE ; None : vacances non évitées."""
    from gouvernance.calendrier.vacances import lire_zone
    from gouvernance.services.calendrier import zone_et_feries

    if option is None:
        return zone_et_feries(reglages())[0]
    return None if option.strip().lower() in ("aucune", "non", "") else lire_zone(option)


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
