"""Les instances d'un territoire et leurs membres."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides, Introuvable
from modeles import Instance, Membre, Personne, RoleMembre, Territoire


def exiger_instance(session: Session, territoire: Territoire, code: str) -> Instance:
    instances = list(
        session.scalars(select(Instance).where(Instance.territoire_id == territoire.id).order_by(Instance.id))
    )
    for instance in instances:
        if instance.code.upper() == code.strip().upper():
            return instance
    codes = ", ".join(i.code for i in instances) or "aucune"
    raise Introuvable(f"Aucune instance « {code} » à {territoire.nom}. Instances : {codes}.")


def _role_valide(role: str) -> RoleMembre:
    try:
        return RoleMembre.lire(role)
    except ValueError as erreur:
        raise DonneesInvalides(f"Rôle inconnu : {erreur}.") from erreur


def trouver_membre(instance: Instance, personne: Personne) -> Membre | None:
    return next((m for m in instance.membres if m.personne_id == personne.id), None)


def ajouter_membre(session: Session, instance: Instance, personne: Personne, role: str = RoleMembre.MEMBRE) -> Membre:
    if trouver_membre(instance, personne) is not None:
        raise DonneesInvalides(
            f"{personne.nom_complet} est déjà membre de {instance.code} : `ctg membres modifier` change son rôle."
        )
    membre = Membre(instance=instance, personne=personne, role=_role_valide(role))
    session.add(membre)
    session.flush()
    return membre


def exiger_membre(instance: Instance, personne: Personne) -> Membre:
    membre = trouver_membre(instance, personne)
    if membre is None:
        raise Introuvable(f"{personne.nom_complet} n'est pas membre de {instance.code}.")
    return membre


def changer_role(session: Session, membre: Membre, role: str) -> None:
    membre.role = _role_valide(role)
    session.flush()


def retirer_membre(session: Session, membre: Membre) -> None:
    membre.instance.membres.remove(membre)
    session.delete(membre)
    session.flush()
