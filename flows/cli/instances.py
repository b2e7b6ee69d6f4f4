"""`ctg instances` et `ctg membres` : les instances de gouvernance, leur rythme, leurs membres et leurs rôles."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table
from rich.text import Text

from flows.cli.annuaire import ROLES, cellule, decrire_changements
from flows.cli.contexte import console, imprimer_json, info, session, succes
from flows.cli.options import option_json, option_territoire


@click.group("instances", invoke_without_command=True)
@option_territoire
@option_json
@click.pass_context
def groupe_instances(contexte: click.Context, territoire: str | None, en_json: bool) -> None:
    """Les instances de gouvernance : sans sous-commande, les liste avec leurs membres et leurs rôles."""
    if contexte.invoked_subcommand is not None:
        return
    from gouvernance.annuaire import decrire_instances
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        instances = decrire_instances(ouverte, choisir_territoire(ouverte, territoire))
    if en_json:
        imprimer_json(instances)
        return
    for instance in instances:
        tableau = Table("Membre", "Rôle", "Fonction", "Organisme")
        tableau.title = (
            f"{instance['code']} — {instance['intitule']} "
            f"({instance['duree_libelle']}, convocation {instance['delai_convocation_jours']} jours francs avant)"
        )
        for membre in instance["membres"]:
            tableau.add_row(
                cellule(membre["nom"]),
                cellule(membre["role_libelle"]),
                cellule(membre["fonction"]),
                cellule(membre["organisme"]),
            )
        if not instance["membres"]:
            tableau.add_row(Text("aucun membre", style="dim"), "", "", "")
        console.print(tableau)
        console.print(_legende_instance(instance))


def _legende_instance(instance: dict[str, Any]) -> Text:
    """« Réunions : 2e mardi de mars et d'octobre à 18 h 00. Relances : … »."""
    rythme = instance["rythme"]
    reunions = rythme["texte"] if rythme else "pas de rythme (aucune réunion planifiée d'avance)"
    relances = instance["relances"]
    reponses = relances["reponse_jours"]
    compte_rendu = relances["compte_rendu_jours"]
    return Text(
        f"Réunions : {reunions}. Relances : "
        + (f"invités sans réponse {reponses} jours avant" if reponses else "aucune pour les réponses")
        + ", "
        + (f"compte rendu manquant {compte_rendu} jours après" if compte_rendu else "aucune pour le compte rendu")
        + "."
    )


@groupe_instances.command("modifier")
@click.argument("code")
@click.option(
    "--rythme",
    "regle",
    metavar="RRULE",
    help="Règle iCalendar sans heure : FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU (2e mardi de mars et d'octobre).",
)
@click.option(
    "--par-an",
    type=int,
    metavar="N",
    help="N réunions par an (1 à 12), le 2e mardi (ou --jour) de mois répartis sur l'année, sans août.",
)
@click.option(
    "--jour", metavar="JOUR", help="Avec --par-an : le jour de la semaine (lundi à samedi ; mardi par défaut)."
)
@click.option("--heure", metavar="HH:MM", help="L'heure des réunions, à l'heure de Paris (18:00, 14h30).")
@click.option("--sans-rythme", is_flag=True, help="Retire le rythme : aucune réunion planifiée d'avance.")
@click.option(
    "--relance-reponse-jours",
    type=int,
    metavar="N",
    help="Relancer les invités sans réponse N jours avant (0 : jamais).",
)
@click.option(
    "--relance-compte-rendu-jours",
    type=int,
    metavar="N",
    help="Relancer le secrétaire N jours après la réunion si le compte rendu manque (0 : jamais).",
)
@option_territoire
def modifier_instance(  # click passe les options par leur nom
    *,
    code: str,
    regle: str | None,
    par_an: int | None,
    jour: str | None,
    heure: str | None,
    sans_rythme: bool,
    relance_reponse_jours: int | None,
    relance_compte_rendu_jours: int | None,
    territoire: str | None,
) -> None:
    """Change le rythme des réunions de l'instance CODE (COPIL, COTECH…) et ses délais de relance.

    Le rythme sert à `ctg calendrier planifier ANNÉE`. Exemples :
    --rythme "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU" --heure 18:00, ou --par-an 4 --jour jeudi --heure 14:00.
    """
    from gouvernance.services.annuaire import modifier_instance as modifier

    with session(ecriture=True) as ouverte:
        modification = modifier(
            ouverte,
            territoire,
            code,
            regle=regle,
            par_an=par_an,
            jour=jour,
            heure=heure,
            sans_rythme=sans_rythme,
            relance_reponse_jours=relance_reponse_jours,
            relance_compte_rendu_jours=relance_compte_rendu_jours,
        )
    nom, modifies, rythme = modification.code, modification.modifies, modification.rythme
    info(f"{nom} : " + decrire_changements(modifies))
    if modifies:
        info(f"Réunions de {nom} : " + (rythme["texte"] if rythme else "pas de rythme") + ".")


@click.group("membres")
def groupe_membres() -> None:
    """Les membres des instances, avec leur rôle."""


@groupe_membres.command("ajouter")
@click.argument("instance")
@click.argument("email")
@click.option("--role", default="membre", show_default=True, help=f"{ROLES}.")
@option_territoire
def ajouter_membre(instance: str, email: str, role: str, territoire: str | None) -> None:
    """Fait de la personne EMAIL un membre de l'instance INSTANCE (COPIL, COTECH…)."""
    from gouvernance.services.annuaire import inscrire_membre

    with session(ecriture=True) as ouverte:
        adhesion = inscrire_membre(ouverte, territoire, instance, email, role)
    succes(f"{adhesion.nom_complet} est membre de {adhesion.instance} ({adhesion.role}).")


@groupe_membres.command("modifier")
@click.argument("instance")
@click.argument("email")
@click.option("--role", required=True, help=f"{ROLES}.")
@option_territoire
def modifier_membre(instance: str, email: str, role: str, territoire: str | None) -> None:
    """Change le rôle de la personne EMAIL dans l'instance INSTANCE."""
    from gouvernance.services.annuaire import modifier_membre as modifier

    with session(ecriture=True) as ouverte:
        adhesion = modifier(ouverte, territoire, instance, email, role)
    succes(f"Rôle dans {adhesion.instance} : {adhesion.role}.")


@groupe_membres.command("supprimer")
@click.argument("instance")
@click.argument("email")
@option_territoire
def supprimer_membre(instance: str, email: str, territoire: str | None) -> None:
    """Retire la personne EMAIL de l'instance INSTANCE."""
    from gouvernance.services.annuaire import supprimer_membre as supprimer

    with session(ecriture=True) as ouverte:
        adhesion = supprimer(ouverte, territoire, instance, email)
    succes(f"{adhesion.nom_complet} n'est plus membre de {adhesion.instance}.")
