"""`ctg partenaires`, `ctg personnes`, `ctg instances`, `ctg membres` : l'annuaire de la CTG."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from flows.cli.contexte import console, imprimer_json, info, session, succes
from flows.cli.options import option_json, option_simulation, option_territoire
from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import compte

CATEGORIES = "commune, epci, ccas, caf, msa, departement, etat, association ou autre"
ROLES = "president, vice-president, membre, secretaire ou invite"
LIBELLES_ROLES = {
    "president": "président(e)",
    "vice-president": "vice-président(e)",
    "membre": "membre",
    "secretaire": "secrétariat",
    "invite": "invité(e) permanent(e)",
}


def _t(valeur: object) -> Text:
    """Une cellule de tableau : le texte tel quel, jamais interprété comme du balisage."""
    return Text("" if valeur is None else str(valeur))


#: Le nom de chaque champ modifiable, tel qu'on l'écrit dans une phrase.
_CHAMPS = {
    "nom": "nom",
    "sigle": "sigle",
    "categorie": "catégorie",
    "adresse": "adresse",
    "email": "adresse électronique",
    "prenom": "prénom",
    "civilite": "civilité",
    "telephone": "téléphone",
    "fonction": "fonction",
}


def _changements(modifies: list[str]) -> str:
    """« modifié : adresse, téléphone. » ou « rien n'a changé. »"""
    if not modifies:
        return "rien n'a changé."
    return "modifié : " + ", ".join(_CHAMPS.get(champ, champ) for champ in modifies) + "."


def _adresse(adresse: str | None) -> str | None:
    return adresse.replace("\\n", "\n") if adresse else adresse


# --- Partenaires -------------------------------------------------------------------------------


@click.group("partenaires", invoke_without_command=True)
@option_territoire
@option_json
@click.pass_context
def groupe_partenaires(contexte: click.Context, territoire: str | None, en_json: bool) -> None:
    """Les organismes partenaires : sans sous-commande, les liste."""
    if contexte.invoked_subcommand is not None:
        return
    from gouvernance.referentiel.exporter import partenaires_du_territoire
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        choisi = choisir_territoire(ouverte, territoire)
        partenaires = [
            {
                "nom": p.nom,
                "sigle": p.sigle,
                "categorie": p.categorie,
                "adresse": p.adresse,
                "contacts": sum(1 for f in p.fonctions if f.fin is None),
            }
            for p in partenaires_du_territoire(ouverte, choisi)
        ]
    if en_json:
        imprimer_json(partenaires)
        return
    tableau = Table("Nom", "Sigle", "Catégorie", "Contacts")
    for p in partenaires:
        tableau.add_row(_t(p["nom"]), _t(p["sigle"]), _t(p["categorie"]), _t(p["contacts"]))
    console.print(tableau)


@groupe_partenaires.command("ajouter")
@click.argument("nom")
@click.option("--sigle", help="Son sigle (CAF, CCAS…).")
@click.option("--categorie", default="autre", show_default=True, help=f"{CATEGORIES}.")
@click.option("--adresse", help="Son adresse postale (\\n entre les lignes).")
@option_territoire
def ajouter_partenaire(
    nom: str, sigle: str | None, categorie: str, adresse: str | None, territoire: str | None
) -> None:
    """Ajoute au territoire le partenaire NOM (le nom complet de l'organisme)."""
    from gouvernance.partenaires import ajouter_partenaire as ajouter
    from gouvernance.territoires import choisir_territoire

    with session(ecriture=True) as ouverte:
        partenaire = ajouter(
            ouverte,
            choisir_territoire(ouverte, territoire),
            nom=nom,
            sigle=sigle,
            categorie=categorie,
            adresse=_adresse(adresse),
        )
    succes(f"Partenaire « {partenaire.nom} » ajouté.")


@groupe_partenaires.command("modifier")
@click.argument("designation")
@click.option("--nom", help="Son nouveau nom.")
@click.option("--sigle", help="Son sigle.")
@click.option("--categorie", help=f"{CATEGORIES}.")
@click.option("--adresse", help="Son adresse postale (\\n entre les lignes).")
def modifier_partenaire(
    designation: str, nom: str | None, sigle: str | None, categorie: str | None, adresse: str | None
) -> None:
    """Change le partenaire DESIGNATION (son nom ou son sigle)."""
    from gouvernance.partenaires import exiger_partenaire
    from gouvernance.partenaires import modifier_partenaire as modifier

    with session(ecriture=True) as ouverte:
        partenaire = exiger_partenaire(ouverte, designation)
        modifies = modifier(ouverte, partenaire, nom=nom, sigle=sigle, categorie=categorie, adresse=_adresse(adresse))
    info(f"« {partenaire.nom} » : " + _changements(modifies))


@groupe_partenaires.command("supprimer")
@click.argument("designation")
@option_territoire
def supprimer_partenaire(designation: str, territoire: str | None) -> None:
    """Retire du territoire le partenaire DESIGNATION (refusé si des personnes ou instances s'y rattachent)."""
    from gouvernance.partenaires import exiger_partenaire, retirer_partenaire
    from gouvernance.territoires import choisir_territoire

    with session(ecriture=True) as ouverte:
        choisi = choisir_territoire(ouverte, territoire)
        message = retirer_partenaire(ouverte, choisi, exiger_partenaire(ouverte, designation))
    succes(message)


# --- Personnes ---------------------------------------------------------------------------------


@click.group("personnes", invoke_without_command=True)
@option_json
@click.pass_context
def groupe_personnes(contexte: click.Context, en_json: bool) -> None:
    """Les contacts : sans sous-commande, les liste avec leur fonction et leurs instances."""
    if contexte.invoked_subcommand is not None:
        return
    from gouvernance.annuaire import decrire_personnes

    with session() as ouverte:
        personnes = decrire_personnes(ouverte)
    if en_json:
        imprimer_json(personnes)
        return
    tableau = Table("Nom", "Fonction", "Organisme", "E-mail", "Instances")
    for p in personnes:
        nom = " ".join(x for x in (p["civilite"], p["prenom"], p["nom"]) if x)
        organisme = p["sigle_organisme"] or p["organisme"]
        tableau.add_row(_t(nom), _t(p["fonction"]), _t(organisme), _t(p["email"]), _t(", ".join(p["instances"])))
    console.print(tableau)
    info(f"{compte(len(personnes), 'personne')}.")


@groupe_personnes.command("importer")
@click.argument("fichier", type=click.Path(path_type=Path))
@option_territoire
@option_simulation
def importer_personnes(fichier: Path, territoire: str | None, simulation: bool) -> None:
    """Charge les contacts du tableur FICHIER (CSV séparé par ; ou ,).

    Colonnes : civilite, prenom, nom, fonction, organisme, email, telephone, instances
    (codes des instances, séparés par des virgules). Une personne est reconnue à son e-mail.
    """
    from gouvernance.contacts import importer_contacts
    from gouvernance.contacts_csv import lire_contacts_csv
    from gouvernance.referentiel.exporter import instances_du_territoire
    from gouvernance.territoires import choisir_territoire

    try:
        contenu = fichier.read_bytes()
    except FileNotFoundError:
        raise DonneesInvalides(f"Le fichier {fichier} n'existe pas.") from None
    except IsADirectoryError:
        raise DonneesInvalides(f"{fichier} est un dossier : donnez le chemin d'un fichier CSV.") from None
    except PermissionError:
        raise DonneesInvalides(f"Vous n'avez pas le droit de lire le fichier {fichier}.") from None
    except OSError as erreur:
        # Le message du système (erreur.strerror) serait en anglais.
        raise DonneesInvalides(f"Le fichier {fichier} ne peut pas être lu (erreur système {erreur.errno}).") from None
    with session(ecriture=True) as ouverte:
        choisi = choisir_territoire(ouverte, territoire)
        codes = [i.code for i in instances_du_territoire(ouverte, choisi)]
        lignes = lire_contacts_csv(contenu, codes_instances=codes, nom_fichier=fichier.name)
        bilan = importer_contacts(ouverte, choisi, lignes, aujourd_hui=date.today())
        if simulation:
            ouverte.rollback()
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
    from gouvernance.annuaire import enregistrer_fonction
    from gouvernance.personnes import FichePersonne
    from gouvernance.personnes import ajouter_personne as ajouter

    fiche = FichePersonne(
        email=email,
        prenom=champs["prenom"],
        nom=champs["nom"],
        civilite=champs["civilite"],
        telephone=champs["telephone"],
    )
    with session(ecriture=True) as ouverte:
        personne = ajouter(ouverte, fiche)
        enregistrer_fonction(
            ouverte,
            personne,
            organisme=champs["organisme"],
            fonction=champs["fonction"],
            aujourd_hui=date.today(),
        )
    succes(f"{personne.nom_complet} ({personne.email}) ajouté(e).")


@groupe_personnes.command("modifier", params=_options_personne(obligatoires=False))
@click.argument("email")
@click.option("--email", "nouvel_email", help="Sa nouvelle adresse électronique.")
def modifier_personne(email: str, nouvel_email: str | None, **champs: str | None) -> None:
    """Change la fiche de la personne EMAIL ; un changement de fonction clôt l'ancienne à la date du jour."""
    from gouvernance.annuaire import changer_fonction
    from gouvernance.personnes import FichePersonne, exiger_personne
    from gouvernance.personnes import modifier_personne as modifier

    fiche = FichePersonne(
        email=nouvel_email,
        prenom=champs["prenom"],
        nom=champs["nom"],
        civilite=champs["civilite"],
        telephone=champs["telephone"],
    )
    with session(ecriture=True) as ouverte:
        personne = exiger_personne(ouverte, email)
        modifies = modifier(ouverte, personne, fiche)
        if changer_fonction(
            ouverte,
            personne,
            organisme=champs["organisme"],
            fonction=champs["fonction"],
            aujourd_hui=date.today(),
        ):
            modifies.append("fonction")
    info(f"{personne.nom_complet} : " + _changements(modifies))


@groupe_personnes.command("supprimer")
@click.argument("email")
def supprimer_personne(email: str) -> None:
    """Supprime la personne EMAIL et ses adhésions aux instances."""
    from gouvernance.personnes import exiger_personne
    from gouvernance.personnes import supprimer_personne as supprimer

    with session(ecriture=True) as ouverte:
        personne = exiger_personne(ouverte, email)
        adhesions = supprimer(ouverte, personne)
    succes(f"{personne.nom_complet} supprimé(e) ({compte(adhesions, 'adhésion retirée', 'adhésions retirées')}).")


# --- Instances et membres ----------------------------------------------------------------------


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
                _t(membre["nom"]), _t(membre["role_libelle"]), _t(membre["fonction"]), _t(membre["organisme"])
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

    Le rythme sert à `ctg calendrier planifier ANNEE`. Exemples :
    --rythme "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU" --heure 18:00, ou --par-an 4 --jour jeudi --heure 14:00.
    """
    from gouvernance.annuaire import decrire_rythme_instance
    from gouvernance.calendrier.rythme_instance import regler_relances, regler_rythme
    from gouvernance.membres import exiger_instance
    from gouvernance.territoires import choisir_territoire

    with session(ecriture=True) as ouverte:
        choisie = exiger_instance(ouverte, choisir_territoire(ouverte, territoire), code)
        modifies: list[str] = []
        if sans_rythme or regle or par_an is not None or jour or heure:
            modifies += regler_rythme(
                choisie, regle=regle, par_an=par_an, jour=jour, heure=heure, sans_rythme=sans_rythme
            )
        modifies += regler_relances(
            choisie, reponse_jours=relance_reponse_jours, compte_rendu_jours=relance_compte_rendu_jours
        )
        rythme = decrire_rythme_instance(choisie)
        nom = choisie.code
    info(f"{nom} : " + _changements(modifies))
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
    from gouvernance.membres import ajouter_membre as ajouter
    from gouvernance.membres import exiger_instance
    from gouvernance.personnes import exiger_personne
    from gouvernance.territoires import choisir_territoire

    with session(ecriture=True) as ouverte:
        choisie = exiger_instance(ouverte, choisir_territoire(ouverte, territoire), instance)
        personne = exiger_personne(ouverte, email)
        ajouter(ouverte, choisie, personne, role)
    succes(f"{personne.nom_complet} est membre de {choisie.code} ({LIBELLES_ROLES[role]}).")


@groupe_membres.command("modifier")
@click.argument("instance")
@click.argument("email")
@click.option("--role", required=True, help=f"{ROLES}.")
@option_territoire
def modifier_membre(instance: str, email: str, role: str, territoire: str | None) -> None:
    """Change le rôle de la personne EMAIL dans l'instance INSTANCE."""
    from gouvernance.membres import exiger_instance, exiger_membre
    from gouvernance.membres import modifier_membre as modifier
    from gouvernance.personnes import exiger_personne
    from gouvernance.territoires import choisir_territoire

    with session(ecriture=True) as ouverte:
        choisie = exiger_instance(ouverte, choisir_territoire(ouverte, territoire), instance)
        modifier(ouverte, exiger_membre(choisie, exiger_personne(ouverte, email)), role)
    succes(f"Rôle dans {choisie.code} : {LIBELLES_ROLES[role]}.")


@groupe_membres.command("supprimer")
@click.argument("instance")
@click.argument("email")
@option_territoire
def supprimer_membre(instance: str, email: str, territoire: str | None) -> None:
    """Retire la personne EMAIL de l'instance INSTANCE."""
    from gouvernance.membres import exiger_instance, exiger_membre, retirer_membre
    from gouvernance.personnes import exiger_personne
    from gouvernance.territoires import choisir_territoire

    with session(ecriture=True) as ouverte:
        choisie = exiger_instance(ouverte, choisir_territoire(ouverte, territoire), instance)
        personne = exiger_personne(ouverte, email)
        retirer_membre(ouverte, exiger_membre(choisie, personne))
    succes(f"{personne.nom_complet} n'est plus membre de {choisie.code}.")
