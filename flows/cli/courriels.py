"""`ctg courriels` et `ctg courriel confirmer|renvoyer` : l'état de chaque courriel, et les messages incertains."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click
from rich.text import Text

from flows.cli.contexte import console, imprimer_json, info, lancer_flux, session, succes
from flows.cli.options import option_json

if TYPE_CHECKING:
    from gouvernance.envoi import BilanEnvoi
    from gouvernance.envoi.liste import LigneCourriel

#: Les groupes d'états de `--etat` (ceux de gouvernance.envoi.liste.GROUPES, sans l'importer au démarrage),
#: et ce qu'ils disent en français.
ETATS = {"incertain": "incertain", "en-attente": "en attente", "refuse": "refusé", "envoye": "envoyé"}
CONSEIL = (
    "Après vérification auprès du destinataire : `ctg courriel confirmer N` s'il l'a reçu, "
    "`ctg courriel renvoyer N` sinon."
)


def maintenant() -> datetime:
    return datetime.now(UTC)


def auteur(par: str | None) -> str:
    """Qui tranche : le nom donné par --par, sinon le compte de la session qui lance la commande."""
    if par and par.strip():
        return par.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # aucun nom de compte connu (conteneur sans /etc/passwd, variables vides)
        return "compte inconnu"


@click.command("courriels")
@click.option("--etat", type=click.Choice(list(ETATS)), help="Seulement les courriels dans cet état.")
@click.option("--reunion", type=int, help="Seulement les courriels de la réunion n°REUNION.")
@option_json
def lister_courriels(etat: str | None, reunion: int | None, en_json: bool) -> None:
    """Liste les courriels envoyés ou à envoyer : état, réponse du serveur, Message-ID.

    Un courriel « incertain » a peut-être été reçu (la connexion s'est perdue pendant son envoi) : il n'est
    jamais renvoyé seul. Vérifiez auprès du destinataire, puis `ctg courriel confirmer N` ou `renvoyer N`.
    """
    from gouvernance.services.courriels import lister_courriels as lister

    with session() as ouverte:
        lignes = lister(ouverte, etat=etat, reunion=reunion, maintenant=maintenant())
    if en_json:
        imprimer_json([ligne.en_json() for ligne in lignes])
        return
    if not lignes:
        quels = (f" {ETATS[etat]}" if etat else "") + (f" pour la réunion n°{reunion}" if reunion else "")
        info(f"Aucun courriel{quels}.")
        return
    for ligne in lignes:
        _afficher(ligne)
    if any(ligne.etat == "incertain" for ligne in lignes):
        info(CONSEIL)


def _afficher(ligne: LigneCourriel) -> None:
    """« n°2 convocation à jean@… (réunion n°1, COPIL, mardi 9 mars 2027) : incertain », puis le détail."""
    reunion = f" (réunion n°{ligne.reunion}, {ligne.designation})" if ligne.reunion else ""
    style = "yellow" if ligne.etat == "incertain" else ""
    entete = Text.assemble((f"n°{ligne.numero}", "bold"), f" {ligne.nature} à {ligne.destinataire}{reunion} : ")
    console.print(Text.assemble(entete, (ligne.etat_libelle, style)), soft_wrap=True)
    if ligne.verification:
        info(f"    Vérifié : {ligne.verification}")
    if ligne.reponse_serveur:
        info(f"    Serveur : {ligne.reponse_serveur}")
    info(f"    Message-ID : {ligne.message_id}")


@click.group("courriel")
def groupe_courriel() -> None:
    """Un courriel incertain : confirmer qu'il est arrivé, ou le renvoyer."""


option_par = click.option("--par", metavar="NOM", help="Qui a vérifié (par défaut : le compte de la session).")
option_note = click.option("--note", help="Ce que la vérification a appris (« appel à M. Dupont : rien reçu »).")


@groupe_courriel.command("confirmer")
@click.argument("numero", type=int, metavar="N")
@option_par
@option_note
def confirmer(numero: int, par: str | None, note: str | None) -> None:
    """Note que le courriel incertain N est bien arrivé (le destinataire l'a confirmé) : il ne part plus."""
    from gouvernance.services.courriels import confirmer_courriel

    with session(ecriture=True) as ouverte:
        verification = confirmer_courriel(ouverte, numero, par=auteur(par), note=note, maintenant=maintenant())
    succes(verification.texte)


@groupe_courriel.command("renvoyer")
@click.argument("numero", type=int, metavar="N")
@option_par
@option_note
def renvoyer(numero: int, par: str | None, note: str | None) -> None:
    """Renvoie le courriel incertain N, que le destinataire n'a pas reçu (vérifiez-le d'abord auprès de lui).

    Seul un courriel incertain se renvoie, une fois, avec le même Message-ID.
    """
    from gouvernance.services.courriels import renvoyer_courriel

    with session(ecriture=True) as ouverte:
        verification = renvoyer_courriel(ouverte, numero, par=auteur(par), note=note, maintenant=maintenant())
    succes(verification.texte)
    bilan: BilanEnvoi = lancer_flux("renvoyer-courriel", numero=numero)
    for ligne in bilan.lignes_resume():
        info(ligne)
