"""`ctg reunion …`, `ctg reunions`, `ctg calendrier exporter` : planifier, convoquer, modifier, annuler, suivre."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table
from rich.text import Text

from flows.cli.contexte import console, imprimer_json, info, lancer_flux, moteur, reglages, session, succes
from flows.cli.options import option_json, option_territoire
from gouvernance.francais import compte

if TYPE_CHECKING:
    from flows.resultats import Resultat
    from gouvernance.reunions.envoi_reunion import Nature


def maintenant() -> datetime:
    return datetime.now(UTC)


@click.group("reunion")
def groupe_reunion() -> None:
    """Une réunion : planifier, convoquer, modifier, annuler, supprimer, voir."""


@groupe_reunion.command("planifier")
@click.argument("fichier", type=click.Path(path_type=Path), required=False)
@click.option("--instance", help="Code de l'instance (COPIL, COTECH…).")
@click.option("--titre", help="Intitulé de la réunion (par défaut : celui de l'instance).")
@click.option("--debut", metavar="DATE HEURE", help="« 2026-12-08 18:00 », heure de Paris.")
@click.option("--duree", help="« 2h », « 1h30 » (par défaut : celle de l'instance).")
@click.option("--fin", metavar="HEURE", help="« 20:00 » ou « 2026-12-08 20:00 ».")
@click.option("--lieu", help="Le lieu (par défaut : celui de l'instance).")
@click.option("--visio", help="Le lien de visioconférence (https://…).")
@click.option("--invite", "invites", multiple=True, metavar="EMAIL", help="Une personne invitée en plus des membres.")
@click.option("--urgence", is_flag=True, help="Délai plus court que celui de l'instance (1 jour franc au moins).")
@click.option("--doublon", is_flag=True, help="Planifie une seconde réunion de l'instance au même début.")
@option_territoire
def planifier(fichier: Path | None, urgence: bool, doublon: bool, territoire: str | None, **options: Any) -> None:
    """Planifie une réunion décrite par FICHIER (YAML) ou par les options, pas les deux."""
    from gouvernance.erreurs import DonneesInvalides
    from gouvernance.reunions.demande import demande_des_options, lire_demande, refuser_options_du_fichier
    from gouvernance.services.reunions import planifier_reunion

    if fichier is not None:
        demande = lire_demande(_lire(fichier), fichier.name)
        refuser_options_du_fichier(demande, fichier.name, options, territoire=territoire)
    else:
        if not options["instance"] or not options["debut"]:
            raise DonneesInvalides("Donnez un fichier YAML, ou au moins --instance et --debut.")
        valeurs = {cle: valeur for cle, valeur in options.items() if valeur}
        valeurs["invites"] = list(options["invites"])
        demande = demande_des_options(valeurs)
    with session(ecriture=True) as ouverte:
        planifiee = planifier_reunion(
            ouverte, demande, territoire=territoire, maintenant=maintenant(), urgence=urgence, doublon=doublon
        )
    succes(f"Réunion n°{planifiee.reunion_id} planifiée : {planifiee.titre}, {compte(planifiee.invites, 'invité')}.")
    for titre in planifiee.points_ajoutes:
        info(f"Ajouté à l'ordre du jour : « {titre} ».")
    info(f"Convoquez-la avec : ctg reunion convoquer {planifiee.reunion_id}")


def _lire(fichier: Path) -> str:
    from gouvernance.erreurs import DonneesInvalides

    try:
        return fichier.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DonneesInvalides(f"Le fichier {fichier} n'existe pas.") from None
    except (IsADirectoryError, UnicodeDecodeError):
        raise DonneesInvalides(f"{fichier} n'est pas un fichier texte en UTF-8.") from None


@groupe_reunion.command("convoquer")
@click.argument("identifiant", type=int)
@click.option("--urgence", is_flag=True, help="Délai plus court que celui de l'instance (1 jour franc au moins).")
@click.option(
    "--simulation",
    is_flag=True,
    help="Montre qui recevra quoi et écrit un exemple de courrier, sans rien enregistrer ni envoyer.",
)
def convoquer(identifiant: int, urgence: bool, simulation: bool) -> None:
    """Envoie à chaque invité sa convocation : courrier, ordre du jour, courriel et invitation de calendrier."""
    from gouvernance.services.reunions import verifier_convocation

    if simulation:
        _apercevoir(identifiant, urgence)
        return
    # Les contrôles avant le flux : une convocation refusée ne paie pas le démarrage de Prefect.
    with session(ecriture=urgence) as ouverte:
        verifier_convocation(ouverte, identifiant, reglages(), maintenant=maintenant(), urgence=urgence)
    _diffuser(identifiant, "convocation", ())


def _apercevoir(identifiant: int, urgence: bool) -> None:
    """L'aperçu de la convocation : destinataires, pièces jointes, début d'un courriel, exemple de courrier."""
    from flows.convocation import parametres_de_production
    from gouvernance.services.apercu_convocation import apercevoir_convocation

    info("Préparation de l'aperçu…")
    apercu = apercevoir_convocation(moteur(), identifiant, parametres_de_production(reglages()), urgence=urgence)
    info(f"Aperçu de la convocation de la réunion n°{identifiant} ({apercu.designation}) :")
    for ligne in apercu.invitations.lignes():
        info(ligne)
    tableau = Table("Invité", "Rôle", "Courrier", "Courriel")
    for destinataire in apercu.destinataires:
        tableau.add_row(
            Text(f"{destinataire.nom} <{destinataire.email}>"),
            Text(destinataire.role),
            Text(destinataire.courrier),
            Text(destinataire.envoi),
        )
    console.print(tableau)
    if not apercu.destinataires:
        info("La réunion n'a aucun invité : ajoutez des membres à l'instance (`ctg membres ajouter`).")
        return
    info(f"Pièces jointes de chaque courriel : son courrier, {', '.join(apercu.pieces_communes)}.")
    info(f"Objet : {apercu.objet}")
    info(f"Début du courriel à {apercu.exemple_pour} :")
    for ligne in apercu.debut_du_courriel:
        info(f"  │ {ligne}")
    if apercu.exemple is not None:
        info(f"Exemple de courrier, à ouvrir : {apercu.exemple}")
    a_envoyer = compte(apercu.a_envoyer, "courriel", "courriels")
    info(
        f"Simulation : rien n'a été enregistré ni envoyé ({a_envoyer} à envoyer). Pour convoquer : "
        f"ctg reunion convoquer {identifiant}"
    )


@groupe_reunion.command("modifier")
@click.argument("identifiant", type=int)
@click.option(
    "--fichier",
    type=click.Path(path_type=Path),
    help="Le fichier YAML de la réunion, corrigé : date, lieu, titre et ordre du jour en sont repris.",
)
@click.option("--debut", metavar="DATE HEURE", help="Nouvelle date et heure de début.")
@click.option("--fin", metavar="HEURE", help="Nouvelle heure de fin.")
@click.option("--duree", help="Nouvelle durée.")
@click.option("--lieu", help="Nouveau lieu.")
@click.option("--visio", help="Nouveau lien de visioconférence.")
@click.option("--titre", help="Nouvel intitulé (changement mineur : pas de nouvel envoi, sauf --renvoyer).")
@click.option("--renvoyer", is_flag=True, help="Prévient les invités même d'un changement mineur.")
@click.option("--urgence", is_flag=True, help="Nouvelle date sous le délai de l'instance (1 jour franc au moins).")
def modifier(identifiant: int, fichier: Path | None, renvoyer: bool, urgence: bool, **options: str | None) -> None:
    """Change une réunion ; un changement de date, d'heure, de lieu ou de visio est envoyé aux invités convoqués.

    Un changement mineur (titre, ordre du jour) met à jour les documents sans prévenir les invités,
    sauf avec --renvoyer.
    """
    from gouvernance.reunions.demande import lire_demande
    from gouvernance.services.reunions import modifier_reunion

    demande = lire_demande(_lire(fichier), fichier.name) if fichier else None
    with session(ecriture=True) as ouverte:
        modifiee = modifier_reunion(
            ouverte,
            identifiant,
            reglages=reglages(),
            maintenant=maintenant(),
            demande=demande,
            renvoyer=renvoyer,
            urgence=urgence,
            **options,
        )
    if modifiee.suite == "rien":
        info("Rien n'a changé.")
        return
    for changement in modifiee.changements:
        info(f"– {changement}")
    if modifiee.suite == "a_convoquer":
        info("La réunion n'a pas encore été convoquée : la convocation portera ces changements.")
    elif modifiee.suite == "diffuser":
        _diffuser(identifiant, "modification", modifiee.changements)
    else:
        _rediger(identifiant)
        info("Changement mineur : les documents sont à jour, les invités ne sont pas prévenus (--renvoyer le fait).")


@groupe_reunion.command("annuler")
@click.argument("identifiant", type=int)
@click.option("--motif", required=True, help="La raison de l'annulation, donnée aux invités.")
def annuler(identifiant: int, motif: str) -> None:
    """Annule une réunion ; les invités déjà convoqués reçoivent l'annulation, leur agenda la retire."""
    from gouvernance.services.reunions import annuler_reunion

    with session(ecriture=True) as ouverte:
        annulation = annuler_reunion(ouverte, identifiant, motif, reglages=reglages())
    succes(f"Réunion n°{identifiant} annulée.")
    if annulation.a_prevenir:
        _diffuser(identifiant, "annulation", ())


@groupe_reunion.command("supprimer")
@click.argument("identifiant", type=int)
def supprimer(identifiant: int) -> None:
    """Supprime une réunion jamais convoquée et ses documents ; une réunion convoquée s'annule."""
    from gouvernance.services.suppression_reunion import supprimer_reunion

    suppression = supprimer_reunion(moteur(), identifiant, dossier=reglages().dossier)
    succes(f"Réunion n°{identifiant} supprimée ({suppression.designation}).")
    if suppression.fichiers_effaces:
        info(f"{compte(suppression.fichiers_effaces, 'fichier effacé', 'fichiers effacés')} avec ses documents.")


def _diffuser(identifiant: int, nature: Nature, changements: tuple[str, ...]) -> None:
    """Lance le flux Prefect de diffusion et affiche son bilan."""
    info("Préparation des documents et des courriels…")
    resultat: Resultat = lancer_flux("diffuser-reunion", reunion_id=identifiant, nature=nature, changements=changements)
    lot, bilan = resultat.lot, resultat.bilan
    for ligne in lot.invitations.lignes():
        info(ligne)
    if lot.deja_prepares:
        deja = compte(lot.deja_prepares, "courriel déjà préparé", "courriels déjà préparés")
        info(f"{deja} lors d'un passage précédent : ils ne sont pas refaits.")
    for ligne in bilan.lignes_resume():
        info(ligne)
    info(f"Documents : {reglages().dossier_documents} ; détail : ctg reunion voir {identifiant}")
    bilan.exiger_complet(RELANCER[nature].format(identifiant=identifiant))


#: La commande qui renvoie ce qui n'est pas parti, une seule fois : la convocation relancée reprend aussi une
#: modification ; une annulation (qu'on ne relance pas) repart avec les relances du jour.
RELANCER = {
    "convocation": "ctg reunion convoquer {identifiant}",
    "modification": "ctg reunion convoquer {identifiant}",
    "annulation": "ctg relances",
}


def _rediger(identifiant: int) -> None:
    """Lance le flux qui réécrit les documents de la révision en cours."""
    info("Mise à jour des documents…")
    lancer_flux("rediger-documents-reunion", reunion_id=identifiant)


@groupe_reunion.command("voir")
@click.argument("identifiant", type=int)
@option_json
def voir(identifiant: int, en_json: bool) -> None:
    """Montre une réunion : ordre du jour, invités et réponses, documents, état de chaque courriel."""
    from gouvernance.reunions.description import decrire_reunion, exiger_reunion

    with session() as ouverte:
        reunion = exiger_reunion(ouverte, identifiant)
        description = decrire_reunion(ouverte, reunion, dossier=reglages().dossier, maintenant=maintenant())
    if en_json:
        imprimer_json(description)
        return
    d = description
    info(f"Réunion n°{d['id']} — {d['instance']} — {d['titre']} ({d['statut_libelle']}, révision {d['sequence']})")
    info(f"Le {d['quand']}, {d['lieu'] or 'lieu non précisé'}" + (f" — visio : {d['visio']}" if d["visio"] else ""))
    info(f"Convention : {d['convention'] or 'aucune convention en vigueur à cette date'}")
    if d["motif_annulation"]:
        info(f"Motif de l'annulation : {d['motif_annulation']}")
    if (diffusion := d["diffusion"]) and diffusion["en_cours"]:
        info(diffusion["ligne"][0].upper() + diffusion["ligne"][1:] + ".")
        if diffusion["derniere_erreur"]:
            info(f"  Dernière erreur : {diffusion['derniere_erreur']}.")
        relancer = RELANCER[diffusion["nature"]].format(identifiant=identifiant)
        info(f"  Relancez `{relancer}` une fois le problème réglé (les relances quotidiennes le font aussi).")
    for point in d["points"]:
        codes = ", ".join(o["code"] for o in point["orientations"])
        info(f"  {point['ordre']}. {point['titre']}" + (f" (orientations {codes})" if codes else ""))
    courriels = {(m["destinataire"]): m for m in d["messages"]}
    tableau = Table("Invité", "Rôle", "Réponse", "Dernier courriel")
    for invitation in d["invitations"]:
        message = courriels.get(invitation["email"])
        etat = f"{message['nature_libelle']} : {message['etat_libelle']}" if message else "aucun"
        tableau.add_row(
            Text(f"{invitation['nom']} <{invitation['email']}>"),
            Text(invitation["role_libelle"]),
            Text(_reponse(invitation)),
            Text(etat),
        )
    console.print(tableau)
    if d["a_verifier"]:
        info(f"Réponses à vérifier ({len(d['a_verifier'])}), non enregistrées :")
        for ligne in d["a_verifier"]:
            info(f"  ? {ligne['ligne']}")
        info("  Vérifiez auprès de la personne, puis `ctg reponses accepter N` ou `ctg reponses rejeter N`.")
    incertains = sum(1 for message in d["messages"] if message["etat"] == "incertain")
    if incertains:
        info(
            f"{compte(incertains, 'courriel incertain, peut-être reçu', 'courriels incertains, peut-être reçus')} : "
            "vérifiez auprès du destinataire, puis tranchez "
            f"(`ctg courriels --etat incertain --reunion {identifiant}`)."
        )
    info(f"{compte(len(d['documents']), 'document')} ; {compte(len(d['messages']), 'courriel')}.")


@click.command("reunions")
@option_territoire
@option_json
def lister_reunions(territoire: str | None, en_json: bool) -> None:
    """Liste les réunions du territoire."""
    from gouvernance.reunions.description import lister_reunions as lister
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        reunions = lister(ouverte, choisir_territoire(ouverte, territoire))
    if en_json:
        imprimer_json(reunions)
        return
    tableau = Table("N°", "Instance", "Quand", "Titre", "Statut", "Invités")
    for r in reunions:
        tableau.add_row(
            str(r["id"]), r["instance"], Text(r["quand"]), Text(r["titre"]), r["statut_libelle"], str(r["invites"])
        )
    console.print(tableau)


@click.group("calendrier")
def groupe_calendrier() -> None:
    """Le calendrier des réunions, pour un abonnement dans Outlook, Thunderbird, Google Agenda…"""


@groupe_calendrier.command("exporter")
@click.option("--personne", metavar="EMAIL", help="Seulement les réunions où cette personne est invitée.")
@click.option("--sortie", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fichier .ics à écrire.")
@option_territoire
def exporter_calendrier(personne: str | None, sortie: Path | None, territoire: str | None) -> None:
    """Écrit le calendrier (METHOD:PUBLISH) des réunions, annulées comprises pour qu'un agenda abonné les retire."""
    from gouvernance.fichiers import ecrire_atomiquement
    from gouvernance.reunions.calendrier import construire_calendrier
    from gouvernance.territoires import choisir_territoire

    with session() as ouverte:
        contenu = construire_calendrier(
            ouverte, choisir_territoire(ouverte, territoire), reglages(), personne=personne, horodatage=maintenant()
        )
    if sortie is None:
        sys.stdout.buffer.write(contenu)
        sys.stdout.flush()
        return
    ecrire_atomiquement(sortie, contenu)
    succes(f"Calendrier écrit dans {sortie}.")


def _reponse(invitation: dict[str, Any]) -> str:
    """« se fait représenter (par adjointe@example.org) — « Retenue au conseil » »."""
    texte = str(invitation["reponse_libelle"])
    if invitation["delegue_a"]:
        texte += f" (par {invitation['delegue_a']})"
    if invitation["commentaire"]:
        from gouvernance.reunions.reponses_itip import nettoyer

        texte += f" — « {nettoyer(invitation['commentaire'], 120)} »"
    return texte
