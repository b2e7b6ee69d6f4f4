"""L'ordre du jour qui se prépare seul : l'approbation du dernier compte rendu, le point sur les actions échues."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gouvernance.comptes_rendus.preparation import actions_ouvertes, derniere_reunion_avec_compte_rendu
from gouvernance.francais import date_longue
from gouvernance.reunions.vue import FUSEAU
from gouvernance.textes import cle_de_comparaison
from modeles import Orientation, PointOrdreDuJour, Reunion


def proposer_points(session: Session, reunion: Reunion) -> list[str]:
    """Ajoute à l'ordre du jour ce que la réunion doit reprendre de la précédente ; renvoie les titres ajoutés."""
    ajoutes: list[str] = []
    titres = [cle_de_comparaison(p.titre) for p in reunion.points]
    approbation = _approbation(session, reunion)
    if approbation and not any("compte rendu" in titre for titre in titres):
        reunion.points.insert(0, PointOrdreDuJour(ordre=0, titre=approbation))
        ajoutes.append(approbation)
    jour = reunion.debut.astimezone(FUSEAU).date()
    echues = [a for a in actions_ouvertes(session, reunion) if a.echeance is not None and a.echeance <= jour]
    if echues and not any("actions" in titre for titre in titres):
        orientations: list[Orientation] = []
        for action in echues:
            orientations += [o for o in action.orientations if o not in orientations]
        titre = f"Point sur les actions arrivées à échéance ({len(echues)})"
        reunion.points.append(PointOrdreDuJour(ordre=0, titre=titre, orientations=orientations))
        ajoutes.append(titre)
    for ordre, point in enumerate(reunion.points, 1):
        point.ordre = ordre
    session.flush()
    return ajoutes


def _approbation(session: Session, reunion: Reunion) -> str | None:
    precedente = derniere_reunion_avec_compte_rendu(session, reunion)
    if precedente is None:
        return None
    return f"Approbation du compte rendu de la réunion du {date_longue(precedente.debut)}"
