"""`ctg personnes` : les contacts de la CTG, leur fonction et leur organisme, et l'import du tableur."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich.table import Table

from flows.cli.annuaire import cellule, decrire_changements
from flows.cli.contexte import console, imprimer_json, info, moteur, session, succes
from flows.cli.options import option_json, option_simulation, option_territoire
from gouvernance.francais import compte


@click.group("personnes", invoke_without_command=True)
@option_territoire
@option_json
@click.pass_context
def groupe_personnes(contexte: click.Context, territoire: str | None, en_json: bool) -> None:
    """Les contacts du territoire : sans sous-commande, les liste avec leur fonction et leurs instances."""
    if contexte.invoked_subcommand is not None:
        return
    from gouvernance.annuaire import decrire_personnes
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        personnes = decrire_personnes(ouverte, choisir_territoire(ouverte, territoire))
    if en_json:
        imprimer_json(personnes)
        return
    tableau = Table("Nom", "Fonction", "Organisme", "E-mail", "Instances")
    for p in personnes:
        nom = " ".join(x for x in (p["civilite"], p["prenom"], p["nom"]) if x)
        organisme = p["sigle_organisme"] or p["organisme"]
        tableau.add_row(
            cellule(nom),
            cellule(p["fonction"]),
            cellule(organisme),
            cellule("\n".join([p["email"], *p["emails_secondaires"]])),
            cellule(", ".join(p["instances"])),
        )
    console.print(tableau)
    info(f"{compte(len(personnes), 'personne')}.")


@groupe_personnes.command("importer")
@click.argument("fichier", type=click.Path(path_type=Path))
@option_territoire
@option_simulation
@click.option(
    "--creer-organismes",
    is_flag=True,
    help="Crée les organismes qui ressemblent à un partenaire connu sans en être un.",
)
def importer_personnes(fichier: Path, territoire: str | None, simulation: bool, creer_organismes: bool) -> None:
    """Charge les contacts du tableur FICHIER (CSV séparé par ; ou ,).

    Colonnes : civilite, prenom, nom, fonction, organisme, email, telephone, instances
    (codes des instances, séparés par des virgules). Une personne est reconnue à son e-mail ; un
    organisme, à son nom, son sigle ou un autre nom du partenaire. Un organisme qui ressemble à un
    partenaire sans en être un (« Caf 31 ») fait refuser l'import, sauf avec --creer-organismes.
    """
    from gouvernance.services.annuaire import importer_contacts

    bilan = importer_contacts(
        moteur(),
        territoire,
        fichier,
        aujourd_hui=date.today(),
        simulation=simulation,
        creer_organismes=creer_organismes,
    )
    for ligne in bilan.lignes_resume():
        info(ligne)
    if simulation:
        info("Simulation : rien n'a été enregistré.")


def _options_personne(obligatoires: bool) -> list[click.Option]:
    return [
        click.Option(["--prenom"], required=obligatoires, help="Son prénom."),
        click.Option(["--nom"], required=obligatoires, help="Son nom."),
        click.Option(["--civilite"], help="M. ou Mme."),
        click.Option(["--fonction"], help="Sa fonction (« Adjointe au maire déléguée à l'enfance »)."),
        click.Option(["--organisme"], help="Le nom ou le sigle de son organisme (déjà enregistré)."),
        click.Option(["--telephone"], help="Son téléphone."),
    ]


@groupe_personnes.command("ajouter", params=_options_personne(obligatoires=True))
@click.argument("email")
def ajouter_personne(email: str, **champs: str | None) -> None:
    """Ajoute la personne dont l'adresse électronique est EMAIL."""
    from gouvernance.personnes import FichePersonne
    from gouvernance.services.annuaire import inscrire_personne

    fiche = FichePersonne(
        email=email,
        prenom=champs["prenom"],
        nom=champs["nom"],
        civilite=champs["civilite"],
        telephone=champs["telephone"],
    )
    with session(ecriture=True) as ouverte:
        personne = inscrire_personne(
            ouverte, fiche, organisme=champs["organisme"], fonction=champs["fonction"], aujourd_hui=date.today()
        )
    from gouvernance.accords import accorder

    succes(f"{personne.nom_complet} ({personne.email}) {accorder('ajouté(e)', personne.civilite)}.")


@groupe_personnes.command("modifier", params=_options_personne(obligatoires=False))
@click.argument("email")
@click.option("--email", "nouvel_email", help="Sa nouvelle adresse électronique.")
@click.option(
    "--email-secondaire",
    "emails_secondaires",
    multiple=True,
    help="Une autre de ses adresses (répétable) : ses réponses envoyées de là sont les siennes. "
    'Remplace les précédentes ; --email-secondaire "" les retire toutes.',
)
def modifier_personne(
    email: str, nouvel_email: str | None, emails_secondaires: tuple[str, ...], **champs: str | None
) -> None:
    """Change la fiche de la personne EMAIL ; un changement de fonction clôt l'ancienne à la date du jour."""
    from gouvernance.personnes import FichePersonne
    from gouvernance.services.annuaire import modifier_personne as modifier

    fiche = FichePersonne(
        email=nouvel_email,
        prenom=champs["prenom"],
        nom=champs["nom"],
        civilite=champs["civilite"],
        telephone=champs["telephone"],
        emails_secondaires=emails_secondaires or None,
    )
    with session(ecriture=True) as ouverte:
        personne, modifies = modifier(
            ouverte, email, fiche, organisme=champs["organisme"], fonction=champs["fonction"], aujourd_hui=date.today()
        )
    info(f"{personne.nom_complet} : " + decrire_changements(modifies))


@groupe_personnes.command("supprimer")
@click.argument("email")
def supprimer_personne(email: str) -> None:
    """Supprime la personne EMAIL et ses adhésions aux instances."""
    from gouvernance.services.annuaire import supprimer_personne as supprimer

    with session(ecriture=True) as ouverte:
        nom_complet, adhesions = supprimer(ouverte, email)
    succes(f"{nom_complet} supprimé(e) ({compte(adhesions, 'adhésion retirée', 'adhésions retirées')}).")
