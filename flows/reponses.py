"""Le flux qui relève la boîte du coordinateur (IMAP) et enregistre les réponses des invités, une fois chacune.

Prévu pour tourner à intervalles réguliers : un courriel déjà examiné n'est jamais relu, et la boîte n'est
jamais modifiée (dossier ouvert en lecture seule). Seule une coupure réseau est réessayée ; des identifiants
refusés ou un dossier inexistant arrêtent le flux avec un message qui dit quoi corriger.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun

from flows.artefacts import publier_resume
from gouvernance.base_donnees import ouvrir_base
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.imap.erreurs import ConnexionPerdue
from gouvernance.reunions.imap.reglages import exiger_reglages_imap
from gouvernance.reunions.imap.releve import BilanReleve, LigneReleve, Releve, charger_deja_traites, lire_boite
from gouvernance.services.reponses import enregistrer_reponses
from modeles import ReponseInvitation
from modeles.moteur import ouvrir_session

#: Les attentes, en secondes, avant de réessayer après une coupure réseau.
DELAIS_APRES_COUPURE = [5.0, 30.0]
RESULTATS = {"applique": "enregistrée", "a_verifier": "à vérifier", "ignore": "ignorée", "refuse": "refusée"}


def maintenant() -> datetime:
    return datetime.now(UTC)


def est_une_coupure_reseau(_tache: Any, _execution: TaskRun, etat: State[Any]) -> bool:
    """Ne réessaie qu'une connexion perdue : des identifiants refusés le resteraient (et bloqueraient le compte)."""
    try:
        etat.result()
    except ConnexionPerdue:
        return True
    except Exception:  # toute autre erreur est définitive : pas de nouvel essai.
        return False
    return False


@task(
    name="lire-boite-imap",
    retries=len(DELAIS_APRES_COUPURE),
    retry_delay_seconds=DELAIS_APRES_COUPURE,
    retry_condition_fn=est_une_coupure_reseau,
    cache_policy=NO_CACHE,
)
def lire(retraiter: bool = False) -> Releve:
    """Les nouveaux courriels du dossier (et les refusés, avec `retraiter`) ; seuls ceux qui portent un
    calendrier sont téléchargés."""
    reglages = lire_reglages()
    reglages_imap = exiger_reglages_imap(reglages.valeurs)
    with ouvrir_session(ouvrir_base(reglages)) as session:
        deja = charger_deja_traites(session, reglages_imap.dossier, retraiter_les_refus=retraiter)
    return lire_boite(reglages_imap, deja)


@task(name="enregistrer-reponses", cache_policy=NO_CACHE)
def enregistrer(releve: Releve, simulation: bool) -> BilanReleve:
    """Applique les réponses et note chaque courriel comme traité (rien, en simulation)."""
    return enregistrer_reponses(ouvrir_base(lire_reglages()), releve, maintenant=maintenant(), simulation=simulation)


@flow(name="relever-reponses")
def relever_reponses(simulation: bool = False, reessayer: bool = True, retraiter: bool = False) -> BilanReleve:
    """Relève la boîte du coordinateur et enregistre les réponses des invités (acceptations, excuses…).

    `reessayer` : après une coupure réseau, nouvel essai au bout de 5 puis 30 secondes (relevé planifié) ;
    la commande, elle, répond tout de suite à l'utilisateur, qui relancera.
    `retraiter` : relit aussi les courriels dont la réponse avait été refusée (après une correction de l'annuaire).
    """
    exiger_reglages_imap(lire_reglages().valeurs)  # sans réglage, on le dit avant toute connexion
    lecture = lire if reessayer else lire.with_options(retries=0)
    bilan = enregistrer(lecture(retraiter), simulation)
    publier(bilan, simulation=simulation)
    return bilan


def publier(bilan: BilanReleve, *, simulation: bool) -> None:
    """Le résumé du relevé et le tableau des courriels traités, pour le coordinateur (artefacts Prefect)."""
    titre = "Relevé des réponses (simulation)" if simulation else "Relevé des réponses"
    lignes = [f"## {titre}", "", bilan.resume(simulation=simulation)]
    lignes += ["", *(f"- {_symbole(ligne)} {_echapper(ligne.ligne)}" for ligne in bilan.lignes)] if bilan.lignes else []
    publier_resume(
        key="releve-reponses", markdown="\n".join(lignes), description="Réponses relevées dans la boîte du coordinateur"
    )
    create_table_artifact(
        key="releve-reponses-courriels",
        table=[_rangee(ligne) for ligne in bilan.lignes],
        description=f"Un courriel de réponse par ligne ({bilan.dossier})",
    )


def _rangee(ligne: LigneReleve) -> dict[str, str]:
    resultat = RESULTATS[ligne.etat] + (f" : {ligne.raison}" if ligne.raison else "")
    return {
        "Expéditeur": ligne.expediteur,
        "Objet": ligne.objet,
        "Réunion": f"n°{ligne.reunion}" if ligne.reunion else "",
        "Réponse": ReponseInvitation(ligne.reponse).libelle if ligne.reponse else "",
        "Résultat": resultat,
    }


def _echapper(texte: str) -> str:
    """L'objet d'un courriel vient de l'extérieur : ni lien, ni image, ni mise en forme dans le résumé."""
    return re.sub(r"([\\`*_{}\[\]()<>#!|])", r"\\\1", texte)


def _symbole(ligne: LigneReleve) -> str:
    return {"applique": "✓", "a_verifier": "?", "ignore": "–", "refuse": "✗"}[ligne.etat]
