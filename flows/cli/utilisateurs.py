"""`ctg utilisateurs` : les comptes de l'application web (ajouter, lister, désactiver)."""

from __future__ import annotations

import sys
from datetime import datetime

import click
from rich.table import Table

from flows.cli.annuaire import cellule
from flows.cli.contexte import console, imprimer_json, info, moteur, session, succes
from flows.cli.options import option_json
from gouvernance.erreurs import DonneesInvalides


@click.group("utilisateurs", invoke_without_command=True)
@option_json
@click.pass_context
def groupe_utilisateurs(contexte: click.Context, en_json: bool) -> None:
    """Les comptes de l'application web (`ctg web`) : sans sous-commande, les liste."""
    if contexte.invoked_subcommand is not None:
        return
    from gouvernance.services.comptes import lister_utilisateurs

    with session() as ouverte:
        comptes = lister_utilisateurs(ouverte)
    if en_json:
        imprimer_json(
            [
                {
                    "email": c.email,
                    "nom": c.nom,
                    "role": c.role.value,
                    "actif": c.actif,
                    "territoires": list(c.territoires),
                    "instances": list(c.instances),
                }
                for c in comptes
            ]
        )
        return
    if not comptes:
        info("Aucun compte : créez-en un avec `ctg utilisateurs ajouter EMAIL --role coordinateur`.")
        return
    tableau = Table("Adresse", "Nom", "Rôle", "Actif", "Territoires", "Instances")
    for c in comptes:
        tableau.add_row(
            cellule(c.email),
            cellule(c.nom),
            cellule(c.role.libelle),
            cellule("oui" if c.actif else "non (désactivé)"),
            cellule(", ".join(c.territoires)),
            cellule(", ".join(c.instances)),
        )
    console.print(tableau)


@groupe_utilisateurs.command("ajouter")
@click.argument("email")
@click.option("--role", required=True, help="coordinateur, secretaire ou lecture.")
@click.option("--nom", default="", help="Le nom affiché (« Claire Martin »).")
@click.option(
    "--territoire",
    "territoires",
    multiple=True,
    metavar="CODE",
    help="Un territoire qu'il voit (tous par défaut) ; répétable.",
)
@click.option(
    "--instance",
    "instances",
    multiple=True,
    metavar="CODE",
    help="Pour un secrétaire : une instance qui lui est confiée ; répétable.",
)
def ajouter(email: str, role: str, nom: str, territoires: tuple[str, ...], instances: tuple[str, ...]) -> None:
    """Crée un compte. Le mot de passe est lu sur l'entrée standard si ce n'est pas un terminal, sinon demandé
    deux fois (12 caractères au moins)."""
    from gouvernance.services.comptes import ajouter_utilisateur

    mot_de_passe = _lire_mot_de_passe()
    compte = ajouter_utilisateur(
        moteur(),
        email,
        mot_de_passe,
        role,
        nom=nom,
        territoires=territoires,
        instances=instances,
        maintenant=datetime.now().astimezone(),
    )
    succes(f"Compte créé : {compte.email} ({compte.role.libelle}).")
    if compte.territoires:
        info(f"Territoires : {', '.join(compte.territoires)}.")
    if compte.instances:
        info(f"Instances confiées : {', '.join(compte.instances)}.")
    info("Connexion : `ctg web`, puis l'adresse affichée.")


@groupe_utilisateurs.command("mot-de-passe")
@click.argument("email")
def mot_de_passe(email: str) -> None:
    """Donne un nouveau mot de passe au compte (et le réactive s'il était désactivé), lu comme pour `ajouter`."""
    from gouvernance.services.comptes import changer_mot_de_passe

    compte = changer_mot_de_passe(moteur(), email, _lire_mot_de_passe())
    succes(f"Mot de passe changé : {compte.email}.")


@groupe_utilisateurs.command("desactiver")
@click.argument("email")
def desactiver(email: str) -> None:
    """Désactive un compte : il ne se connecte plus, et ses sessions ouvertes sont refusées."""
    from gouvernance.services.comptes import desactiver_utilisateur

    with session(ecriture=True) as ouverte:
        compte = desactiver_utilisateur(ouverte, email)
    succes(f"Compte désactivé : {compte.email}.")


def _lire_mot_de_passe() -> str:
    if not sys.stdin.isatty():
        lu = sys.stdin.readline().rstrip("\r\n")
        if not lu:
            raise DonneesInvalides(
                "Aucun mot de passe lu sur l'entrée standard : écrivez-le sur la première ligne "
                "(par exemple `printf '%s\\n' \"$MOT_DE_PASSE\" | ctg utilisateurs ajouter …`)."
            )
        return lu
    premier = click.prompt("Mot de passe", hide_input=True)
    second = click.prompt("Le même, une seconde fois", hide_input=True)
    if premier != second:
        raise DonneesInvalides("Les deux mots de passe saisis diffèrent : relancez la commande.")
    return str(premier)
