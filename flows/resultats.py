"""Ce que rendent les flux, sans Prefect : la commande qui les affiche ne charge pas Prefect pour les lire.

Un flux exécuté par l'exécuteur des flux (flows/executeur.py) renvoie son résultat à la commande ; celle-ci
le reconstitue avec les classes de ce module, sans importer le module du flux (qui importe Prefect).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gouvernance.envoi import BilanEnvoi
from gouvernance.francais import compte, date_complete
from gouvernance.relances.preparation import LigneRelance
from gouvernance.reunions.envoi_reunion import Lot


@dataclass(frozen=True)
class Resultat:
    """Ce qu'a fait la diffusion d'une réunion : le lot préparé et le bilan de l'envoi."""

    lot: Lot
    bilan: BilanEnvoi


@dataclass
class ResultatRelances:
    """Ce que le flux a fait ce jour-là : une ligne par relance (préparée, envoyée, caduque…), et les bilans d'envoi."""

    jour: date
    lignes: list[LigneRelance] = field(default_factory=list)
    bilans: list[BilanEnvoi] = field(default_factory=list)
    #: Les relances dues déjà parties (ou refusées) lors d'un passage précédent : laissées telles quelles.
    deja_envoyees: int = 0
    #: Les envois des convocations (modifications, annulations) restées en attente, repris ce jour-là.
    reprises: list[BilanEnvoi] = field(default_factory=list)


def _deja_traites(deja: int, concernes: int) -> str:
    """« Les 6 messages ont déjà été traités lors d'un passage précédent : aucun ne repart. »"""
    if deja == 1:
        return "1 message a déjà été traité lors d'un passage précédent : il ne repart pas."
    if deja == concernes:
        return f"Les {deja} messages ont déjà été traités lors d'un passage précédent : aucun ne repart."
    return f"{deja} messages ont déjà été traités lors d'un passage précédent : ils ne repartent pas."


def resume(resultat: ResultatRelances) -> list[str]:
    """Le bilan de la journée en phrases françaises."""
    quand = f"Relances du {date_complete(resultat.jour)}"
    reprises = _resume_des_reprises(resultat.reprises)
    if not resultat.lignes:
        return [*reprises, f"{quand} : rien n'est dû ce jour-là."]
    phrases = [*reprises, f"{quand} : {compte(len(resultat.lignes), 'message concerné', 'messages concernés')}."]
    bilan = BilanEnvoi.additionner(resultat.bilans)
    if bilan.etats or bilan.restants or bilan.incident:
        phrases += bilan.lignes_resume()
    if deja := resultat.deja_envoyees:
        phrases.append(_deja_traites(deja, len(resultat.lignes)))
    if caduques := sum(1 for ligne in resultat.lignes if ligne.etat == "caduc"):
        raison = "(réunion annulée ou déplacée, réponse reçue, compte rendu arrivé)"
        phrases.append(
            f"1 relance caduque {raison} : elle n'est pas envoyée."
            if caduques == 1
            else f"{caduques} relances caduques {raison} : elles ne sont pas envoyées."
        )
    return phrases


def _resume_des_reprises(bilans: list[BilanEnvoi]) -> list[str]:
    """« Convocations en attente reprises : 28 messages envoyés. », s'il y en avait."""
    if not bilans:
        return []
    bilan = BilanEnvoi.additionner(bilans)
    return [f"Convocations en attente reprises : {ligne[0].lower()}{ligne[1:]}" for ligne in bilan.lignes_resume()]
