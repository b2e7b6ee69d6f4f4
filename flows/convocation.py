"""Le flux qui diffuse une réunion : convocation, modification ou annulation, à chaque invité, une seule fois."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, task

from flows.artefacts import publier_documents, publier_envoi
from flows.resultats import Resultat
from gouvernance.base_donnees import ouvrir_base
from gouvernance.documents.pdf import convertir_en_pdf, libreoffice_disponible
from gouvernance.documents.rendu import dossier_modeles as modeles_regles
from gouvernance.envoi import BilanEnvoi, bilan_des_messages, lire_reglages_smtp
from gouvernance.erreurs import DiffusionEnCours, DonneesInvalides
from gouvernance.francais import compte
from gouvernance.reglages import Reglages, lire_reglages
from gouvernance.reunions.envoi_reunion import Lot, Nature, Parametres
from gouvernance.services.diffusion import envoyer_courriels, reprendre_diffusions, verrouiller_diffusion
from gouvernance.services.reunions import preparer_diffusion, rediger_documents


def maintenant() -> datetime:
    return datetime.now(UTC)


def dossier_modeles() -> Path:
    """Les modèles Word de l'installation (CTG_MODELES, sinon ceux du projet)."""
    return modeles_regles(lire_reglages())


def parametres_de_production(reglages: Reglages) -> Parametres:
    return Parametres(
        reglages=reglages,
        maintenant=maintenant(),
        modeles=dossier_modeles(),
        convertir_en_pdf=convertir_en_pdf if libreoffice_disponible() else None,
        smtp=lire_reglages_smtp(reglages.valeurs) is not None,
    )


@task(name="preparer-documents-et-courriels")
def preparer(reunion_id: int, nature: Nature, changements: tuple[str, ...]) -> Lot:
    """Documents Word/PDF, invitation .ics et courriels .eml de cette révision ; rien n'est refait."""
    reglages = lire_reglages()
    return preparer_diffusion(
        ouvrir_base(reglages), reunion_id, nature, parametres_de_production(reglages), changements=changements
    )


@task(name="rediger-documents")
def rediger(reunion_id: int) -> list[str]:
    """Réécrit les documents de la révision en cours après un changement mineur, sans rien envoyer."""
    reglages = lire_reglages()
    chemins = rediger_documents(ouvrir_base(reglages), reunion_id, parametres_de_production(reglages))
    return [str(chemin) for chemin in chemins]


@flow(name="rediger-documents-reunion")
def rediger_documents_reunion(reunion_id: int) -> list[str]:
    """Met à jour les documents d'une réunion (ordre du jour, courriers) sans prévenir les invités."""
    chemins = rediger(reunion_id)
    publier_documents(reunion_id, "documents", "documents mis à jour", chemins)
    return chemins


class EnvoiIncomplet(Exception):
    """Des messages ont échoué temporairement : Prefect réessaie la tâche."""


#: Les délais entre deux essais d'envoi, en secondes (CTG_ENVOI_DELAIS, par exemple « 2,10,30 »).
DELAIS_PAR_DEFAUT = (2, 10, 30)


def delais_de_reessai() -> list[float]:
    texte = lire_reglages().valeur("ENVOI_DELAIS")
    if not texte:
        return [float(delai) for delai in DELAIS_PAR_DEFAUT]
    try:
        return [float(morceau) for morceau in texte.split(",") if morceau.strip()]
    except ValueError:
        raise DonneesInvalides(
            f"CTG_ENVOI_DELAIS = « {texte} » : donnez des secondes séparées par des virgules, par exemple 2,10,30."
        ) from None


@task(name="envoyer-courriels")
def envoyer(messages: list[int]) -> BilanEnvoi:
    """Envoie (ou dépose) les messages qui ne l'ont pas encore été ; réessaie les échecs temporaires.

    Chaque réunion dont plus aucun courriel n'attend devient convoquée (dès cet essai, pas à la fin des essais).
    """
    reglages = lire_reglages()
    bilan = envoyer_courriels(
        ouvrir_base(reglages),
        messages,
        smtp=lire_reglages_smtp(reglages.valeurs),
        boite=reglages.boite_envoi,
        dossier=reglages.dossier,
        maintenant=maintenant,
    )
    if bilan.a_reessayer:
        raise EnvoiIncomplet(f"{compte(bilan.a_reessayer, 'message')} à réessayer")
    return bilan


@flow(name="diffuser-reunion")
def diffuser_reunion(reunion_id: int, nature: Nature = "convocation", changements: tuple[str, ...] = ()) -> Resultat:
    """Prépare puis envoie la convocation, la modification ou l'annulation d'une réunion.

    Une seule diffusion à la fois par réunion : une seconde, lancée pendant la première (autre commande,
    autre worker), s'arrête aussitôt sur « … de cette réunion est déjà en cours », sans rien toucher.
    """
    with verrouiller_diffusion(ouvrir_base(lire_reglages()), reunion_id, nature=nature):
        lot = preparer(reunion_id, nature, changements)
        bilan = envoyer_avec_reessais(lot.messages)
    publier_envoi(f"reunion-{reunion_id}-{nature}", f"Réunion n°{reunion_id} : {nature}", bilan, lot.messages)
    return Resultat(lot=lot, bilan=bilan)


def envoyer_avec_reessais(messages: list[int]) -> BilanEnvoi:
    """Envoie par la tâche `envoyer-courriels`, réessayée selon CTG_ENVOI_DELAIS ; après le dernier essai,
    le bilan est l'état enregistré de chaque message (rien n'est renvoyé)."""
    if not messages:
        return BilanEnvoi()
    delais = delais_de_reessai()
    etat = envoyer.with_options(retries=len(delais), retry_delay_seconds=delais)(messages, return_state=True)
    bilan = etat.result(raise_on_failure=False) if etat.is_completed() else None
    if isinstance(bilan, BilanEnvoi):
        return bilan
    return bilan_des_messages(ouvrir_base(lire_reglages()), messages)


@task(name="reprendre-diffusions")
def reprendre() -> dict[int, list[int]]:
    """Les courriels de convocation (modification, annulation) encore en attente, par réunion."""
    return reprendre_diffusions(ouvrir_base(lire_reglages()), maintenant=maintenant())


def renvoyer_en_attente() -> list[BilanEnvoi]:
    """Renvoie, réunion par réunion et sous son verrou, les courriels de diffusion restés en attente ; une
    réunion qu'une autre commande est en train de convoquer est laissée à celle-ci."""
    bilans = []
    for reunion_id, messages in reprendre().items():
        try:
            with verrouiller_diffusion(ouvrir_base(lire_reglages()), reunion_id):
                bilans.append(envoyer_avec_reessais(messages))
        except DiffusionEnCours:
            continue
    return bilans
