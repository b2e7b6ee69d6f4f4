"""Le flux quotidien des relances : invités sans réponse, compte rendu attendu, récapitulatif de la semaine.

Planifié chaque jour (`ctg deployer`), il peut tourner plusieurs fois le même jour sans rien envoyer deux fois :
chaque relance a sa clé dans la boîte d'envoi. Juste avant l'envoi, une relance devenue sans objet (réunion
annulée ou déplacée, réponse reçue, compte rendu importé) est marquée « caduc » et ne part pas.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from prefect import flow, task
from prefect.artifacts import create_table_artifact

from flows.artefacts import publier_resume
from flows.convocation import envoyer_avec_reessais, maintenant, renvoyer_en_attente
from flows.resultats import ResultatRelances, resume
from gouvernance.base_donnees import ouvrir_base
from gouvernance.envoi import lire_reglages_smtp
from gouvernance.envoi.expedition import A_ENVOYER
from gouvernance.francais import date_complete
from gouvernance.reglages import lire_reglages
from gouvernance.relances.calendrier import (
    jour_du_recapitulatif,
    lire_jour,
    semaines_du_recapitulatif,
    verifier_reglages,
)
from gouvernance.relances.preparation import LigneRelance, ParametresRelances, a_envoyer
from gouvernance.reunions.lecture import lire_coordinateur
from gouvernance.services.relances import ecarter_relances, preparer_relances, relire_relances


def parametres_relances(jour: date) -> ParametresRelances:
    reglages = lire_reglages()
    return ParametresRelances(
        reglages=reglages,
        maintenant=maintenant(),
        jour=jour,
        coordinateur=lire_coordinateur(reglages),
        smtp=lire_reglages_smtp(reglages.valeurs) is not None,
        semaines=semaines_du_recapitulatif(reglages),
    )


@task(name="preparer-relances")
def preparer(jour: date, quoi: Literal["relances", "recapitulatif"]) -> list[LigneRelance]:
    """Écrit dans la boîte d'envoi les relances (ou le récapitulatif) dues ce jour-là et pas encore préparées."""
    parametres = parametres_relances(jour)
    return preparer_relances(
        ouvrir_base(parametres.reglages),
        quoi,
        parametres,
        jour_du_recapitulatif=jour_du_recapitulatif(parametres.reglages),
    )


@task(name="ecarter-relances-perimees")
def ecarter(jour: date) -> list[LigneRelance]:
    """Juste avant l'envoi : les relances devenues sans objet passent « caduc » et ne partiront pas."""
    return ecarter_relances(ouvrir_base(lire_reglages()), jour)


@flow(name="relances-quotidiennes")
def relances_quotidiennes(jour: str | None = None) -> ResultatRelances:
    """Prépare et envoie les relances dues le jour `jour` (AAAA-MM-JJ ; aujourd'hui à Paris par défaut)."""
    le_jour = lire_jour(jour, maintenant=maintenant())
    reglages = lire_reglages()
    lire_coordinateur(reglages)
    verifier_reglages(reglages)
    resultat = ResultatRelances(jour=le_jour)
    # D'abord les convocations restées en attente (serveur injoignable la veille) : une réunion convoquée
    # entre-temps reçoit aussi ses relances aujourd'hui.
    resultat.reprises = renvoyer_en_attente()
    relances = preparer(le_jour, "relances")
    caduques = ecarter(le_jour)
    ecartees = {ligne.message for ligne in caduques}
    resultat.bilans.append(envoyer_avec_reessais([m for m in a_envoyer(relances) if m not in ecartees]))
    # Après les relances : le récapitulatif rapporte celles qui viennent de partir.
    recapitulatifs = preparer(le_jour, "recapitulatif")
    resultat.bilans.append(envoyer_avec_reessais(a_envoyer(recapitulatifs)))
    deja = {ligne.cle for ligne in relances}
    resultat.deja_envoyees = sum(1 for ligne in [*relances, *recapitulatifs] if ligne.etat not in A_ENVOYER)
    resultat.lignes = relire_relances(
        ouvrir_base(reglages), [*relances, *(c for c in caduques if c.cle not in deja), *recapitulatifs]
    )
    _laisser_les_artefacts(resultat)
    return resultat


def _laisser_les_artefacts(resultat: ResultatRelances) -> None:
    publier_resume(
        key="relances-quotidiennes",
        markdown="\n".join(
            [f"## Relances du {date_complete(resultat.jour)}", "", *(f"- {p}" for p in resume(resultat))]
        ),
        description=f"Relances du {resultat.jour.isoformat()}",
    )
    create_table_artifact(
        key="relances-quotidiennes-detail",
        table=[
            {
                "Nature": ligne.nature_libelle,
                "Réunion": ligne.sujet,
                "Destinataire": f"{ligne.nom_destinataire} <{ligne.destinataire}>",
                "État": ligne.etat_libelle + (f" : {ligne.raison}" if ligne.raison else ""),
            }
            for ligne in resultat.lignes
        ],
        description=f"Chaque relance du {resultat.jour.isoformat()}, avec son état",
    )
