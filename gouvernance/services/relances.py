"""Les relances du jour : invités sans réponse, compte rendu attendu, récapitulatif de la semaine.

Chaque relance a sa clé dans la boîte d'envoi : préparer deux fois le même jour ne la double pas. L'envoi
(SMTP, avec nouvels essais) se fait hors de ces fonctions, donc hors de toute transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from sqlalchemy import Engine

from gouvernance.relances.caducite import ecarter_relances_perimees, ligne_caduque, relances_perimees
from gouvernance.relances.preparation import (
    A_ECARTER,
    LigneRelance,
    ParametresRelances,
    rediger_relances,
    relances_dues,
    relire,
    simuler_relances,
)
from gouvernance.relances.selection import recapitulatifs_dus
from gouvernance.reunions.vue import CoordinateurVue
from modeles.moteur import ouvrir_session


def preparer_relances(
    moteur: Engine,
    quoi: Literal["relances", "recapitulatif"],
    parametres: ParametresRelances,
    *,
    jour_du_recapitulatif: int | None,
) -> list[LigneRelance]:
    """Écrit dans la boîte d'envoi les relances (ou le récapitulatif) dues ce jour-là et pas encore préparées."""
    with ouvrir_session(moteur, ecriture=True) as session:
        if quoi == "relances":
            dues = relances_dues(session, parametres.jour, parametres.coordinateur)
        else:
            dues = recapitulatifs_dus(
                session, parametres.jour, parametres.coordinateur, jour_de_la_semaine=jour_du_recapitulatif
            )
        return rediger_relances(session, dues, parametres)


def ecarter_relances(moteur: Engine, jour: date) -> list[LigneRelance]:
    """Juste avant l'envoi : les relances devenues sans objet passent « caduc » et ne partiront pas."""
    with ouvrir_session(moteur, ecriture=True) as session:
        return ecarter_relances_perimees(session, jour=jour)


def relire_relances(moteur: Engine, lignes: Sequence[LigneRelance]) -> list[LigneRelance]:
    """Les lignes avec l'état de leur message après l'envoi."""
    with ouvrir_session(moteur) as session:
        return relire(session, lignes)


def prevoir_relances(
    moteur: Engine, jour: date, coordinateur: CoordinateurVue, *, jour_du_recapitulatif: int | None
) -> list[LigneRelance]:
    """Ce qui serait préparé, envoyé ou écarté ce jour-là ; la base n'est pas modifiée."""
    with ouvrir_session(moteur) as session:
        dues = [
            *relances_dues(session, jour, coordinateur),
            *recapitulatifs_dus(session, jour, coordinateur, jour_de_la_semaine=jour_du_recapitulatif),
        ]
        lignes = simuler_relances(session, dues)
        cles = {ligne.cle for ligne in lignes}
        lignes += [
            ligne_caduque(message, raison, etat=A_ECARTER)
            for message, raison in relances_perimees(session, jour=jour)
            if message.cle not in cles
        ]
    return lignes
