"""`ctg deployer` : inscrire les flux sur le serveur Prefect, qui les planifie ; des workers les exécutent."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.text import Text

from flows.cli.contexte import console, imprimer_json, info
from flows.cli.options import option_json, option_simulation
from flows.serveur_prefect import POOL_PAR_DEFAUT

if TYPE_CHECKING:
    from flows.publication import BilanPublication, Publication

#: Comment chaque état s'affiche, selon qu'on enregistre ou qu'on simule.
ETATS = {
    "cree": ("créé", "à créer", ("✓ ", "green")),
    "mis_a_jour": ("mis à jour", "à mettre à jour", ("✓ ", "green")),
    "inchange": ("déjà à jour", "déjà à jour", ("– ", "dim")),
}


@click.command("deployer", short_help="Inscrit les flux et leurs planifications sur un serveur Prefect.")
@click.option(
    "--pool",
    default=POOL_PAR_DEFAUT,
    show_default=True,
    metavar="NOM",
    help="Le work pool où les workers prennent les flux (prefect worker start --pool NOM).",
)
@option_simulation
@option_json
def deployer(pool: str, simulation: bool, en_json: bool) -> None:
    """Inscrit les flux sur le serveur Prefect (PREFECT_API_URL), avec leurs planifications.

    Crée le work pool s'il manque, puis crée ou met à jour chaque déploiement : relancer la commande
    ne duplique rien, et une planification changée est remplacée. Les workers (`prefect worker start
    --pool ctg`, sur une ou plusieurs machines où le projet est installé) exécutent ensuite les flux avec
    leurs propres réglages CTG_* (base, SMTP, IMAP). Sans serveur, les commandes ctg continuent
    d'exécuter les flux sur cette machine.
    """
    from flows.serveur_prefect import preparer_environnement

    preparer_environnement()
    from flows.deploiements import DEPLOIEMENTS
    from flows.publication import publier

    bilan = publier(DEPLOIEMENTS, pool=pool, simulation=simulation)
    if en_json:
        imprimer_json(
            {
                "serveur": bilan.adresse,
                "pool": {"nom": bilan.pool, "etat": bilan.etat_pool},
                "simulation": simulation,
                "deploiements": [publication.en_json() for publication in bilan.publications],
            }
        )
        return
    afficher(bilan, simulation=simulation)


def afficher(bilan: BilanPublication, *, simulation: bool) -> None:
    info(f"Serveur Prefect : {bilan.adresse}")
    if bilan.etat_pool == "cree":
        etat = "à créer" if simulation else "créé"
        console.print(Text.assemble(("✓ ", "green"), f"Work pool « {bilan.pool} » (type process) : {etat}."))
    else:
        info(f"Work pool « {bilan.pool} » : déjà présent.")
    for publication in bilan.publications:
        libelle, libelle_simule, symbole = ETATS[publication.etat]
        etat = libelle_simule if simulation else libelle
        if publication.changements:
            etat += f" ({', '.join(publication.changements)})"
        ligne = f"{publication.nom_complet} : {etat} — {quand(publication)}"
        if publication.en_pause:
            ligne += " En pause sur le serveur : reprenez-le dans l'interface de Prefect."
        console.print(Text.assemble(symbole, ligne), soft_wrap=True)
    info(resume(bilan, simulation=simulation))
    for nom in bilan.hors_registre:
        info(
            f"« {nom} » est sur le serveur mais plus dans le registre (flows/deploiements.py) : "
            f"supprimez-le avec `prefect deployment delete '{nom}'` s'il ne sert plus."
        )
    if simulation:
        info("Simulation : rien n'a été enregistré.")
        return
    info(
        f"Les workers exécutent ces flux : `prefect worker start --pool {bilan.pool}` sur chaque machine où le "
        "projet est installé, avec ses réglages CTG_* (CTG_HOME, CTG_DATABASE_URL, SMTP, IMAP)."
    )
    a_la_demande = [p for p in bilan.publications if p.deploiement.planification is None]
    if a_la_demande:
        exemple = a_la_demande[0]
        info(
            f"Lancer un flux à la demande : prefect deployment run '{exemple.nom_complet}'"
            + "".join(f" --param {nom}=…" for nom in exemple.parametres_a_donner)
        )


def quand(publication: Publication) -> str:
    """« chaque jour à 7 h 00 (heure de Paris) ; prochaine exécution le lundi 30 novembre 2026 à 7 h 00 »."""
    from gouvernance.francais import moment

    planification = publication.deploiement.planification
    if planification is None:
        return "à la demande."
    fuseau = "heure de Paris" if planification.fuseau == "Europe/Paris" else f"fuseau {planification.fuseau}"
    texte = f"{planification.libelle} ({fuseau})"
    if publication.prochaine_execution is not None:
        texte += f" ; prochaine exécution le {moment(publication.prochaine_execution)}"
    return texte + "."


def resume(bilan: BilanPublication, *, simulation: bool) -> str:
    from gouvernance.francais import compte

    nombres = {etat: sum(1 for p in bilan.publications if p.etat == etat) for etat in ETATS}
    # (singulier, pluriel) : le participe s'accorde avec « déploiement » (« 1 créé », « 3 créés »).
    libelles = {"cree": ("créé", "créés"), "mis_a_jour": ("mis à jour",) * 2, "inchange": ("déjà à jour",) * 2}
    if simulation:
        libelles |= {"cree": ("à créer",) * 2, "mis_a_jour": ("à mettre à jour",) * 2}
    parties = [compte(nombres[etat], *libelles[etat]) for etat in ETATS if nombres[etat]]
    return f"{compte(len(bilan.publications), 'déploiement')} : " + (", ".join(parties) or "aucun") + "."
