"""Décrire l'annuaire (personnes, instances) pour l'affichage et le JSON, et rattacher une fonction."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, select, true, union
from sqlalchemy.orm import Session, joinedload, selectinload

from gouvernance import saisie
from gouvernance.durees import ecrire_duree
from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import duree
from gouvernance.partenaires import exiger_partenaire
from gouvernance.personnes import definir_fonction
from gouvernance.textes import cle_de_comparaison
from modeles import (
    Fonction,
    Instance,
    Invitation,
    Membre,
    Personne,
    Reunion,
    Territoire,
    territoires_partenaires,
)


def enregistrer_fonction(
    session: Session, personne: Personne, *, organisme: str | None, fonction: str | None, aujourd_hui: date
) -> bool:
    """Donne à la personne la fonction `fonction` dans l'organisme désigné (nom ou sigle, déjà enregistré)."""
    try:
        intitule = saisie.une_ligne("fonction", fonction)
    except ValueError as erreur:
        raise DonneesInvalides(f"{str(erreur).capitalize()}.") from erreur
    partenaire = exiger_partenaire(session, organisme) if organisme else None
    changement = definir_fonction(personne, partenaire, intitule, aujourd_hui=aujourd_hui)
    session.flush()
    return changement


def changer_fonction(
    session: Session, personne: Personne, *, organisme: str | None, fonction: str | None, aujourd_hui: date
) -> bool:
    """Change l'organisme ou la fonction (None : inchangé) ; l'ancienne fonction est close à la date du jour."""
    if organisme is None and fonction is None:
        return False
    actuelle = personne.fonction_actuelle
    if organisme is None:
        organisme = actuelle.partenaire.nom if actuelle and actuelle.partenaire else None
    if fonction is None:
        fonction = actuelle.intitule if actuelle else None
    return enregistrer_fonction(
        session, personne, organisme=organisme or None, fonction=fonction or None, aujourd_hui=aujourd_hui
    )


def personnes_du_territoire(session: Session, territoire: Territoire) -> Select[Personne]:
    """Les personnes du territoire : membres d'une de ses instances, invitées à une de ses réunions, ou dont
    un organisme le suit. Dans une base d'un seul territoire, toutes les personnes (même celles qu'on vient
    d'ajouter sans organisme). Les identifiants viennent des index `personne_id` : la requête ne parcourt
    pas toute la table des personnes, quelle que soit la taille de la base.
    """
    if len(session.scalars(select(Territoire.id).limit(2)).all()) == 1:
        return select(Personne)
    membre = select(Membre.personne_id).join(Instance).where(Instance.territoire_id == territoire.id)
    invitee = select(Invitation.personne_id).join(Reunion).join(Instance).where(Instance.territoire_id == territoire.id)
    par_organisme = (
        select(Fonction.personne_id)
        .join(territoires_partenaires, territoires_partenaires.c.partenaire_id == Fonction.partenaire_id)
        .where(territoires_partenaires.c.territoire_id == territoire.id)
    )
    return select(Personne).where(Personne.id.in_(union(membre, invitee, par_organisme)))


def decrire_personnes(session: Session, territoire: Territoire, *, email: str | None = None) -> list[dict[str, Any]]:
    """Chaque personne du territoire (ou la seule d'adresse `email`), sa fonction actuelle et ses instances du
    territoire, triées par nom.

    Quatre requêtes quelle que soit la taille de la base : les territoires (y en a-t-il un seul ?), les
    personnes, leurs fonctions (et organismes), les instances du territoire dont elles sont membres.
    """
    requete = personnes_du_territoire(session, territoire).options(
        selectinload(Personne.fonctions).joinedload(Fonction.partenaire)
    )
    if email is not None:
        requete = requete.where(Personne.email == email.strip().lower())
    personnes = sorted(
        session.scalars(requete), key=lambda p: (cle_de_comparaison(p.nom), cle_de_comparaison(p.prenom))
    )
    instances_par_personne: dict[int, list[str]] = {}
    appartenances = session.execute(
        select(Membre.personne_id, Instance.code).join(Instance).where(Instance.territoire_id == territoire.id)
    )
    for personne_id, code in appartenances:
        instances_par_personne.setdefault(personne_id, []).append(code)
    resultat = []
    for personne in personnes:
        fonction = personne.fonction_actuelle
        resultat.append(
            {
                "email": personne.email,
                "emails_secondaires": list(personne.emails_secondaires or []),
                "civilite": personne.civilite,
                "prenom": personne.prenom,
                "nom": personne.nom,
                "telephone": personne.telephone,
                "fonction": fonction.intitule if fonction else None,
                "organisme": fonction.partenaire.nom if fonction and fonction.partenaire else None,
                "sigle_organisme": fonction.partenaire.sigle if fonction and fonction.partenaire else None,
                "instances": sorted(instances_par_personne.get(personne.id, [])),
            }
        )
    return resultat


def adresses_du_territoire(session: Session, territoire: Territoire) -> list[tuple[str, str]]:
    """(adresse, nom complet) de chaque personne du territoire, par nom : de quoi en choisir une, en une requête."""
    personnes = personnes_du_territoire(session, territoire).subquery()
    lignes = session.execute(select(personnes.c.email, personnes.c.prenom, personnes.c.nom))
    return sorted(
        ((email, f"{prenom} {nom}".strip()) for email, prenom, nom in lignes),
        key=lambda ligne: cle_de_comparaison(ligne[1]),
    )


def decrire_instances(session: Session, territoire: Territoire, *, code: str | None = None) -> list[dict[str, Any]]:
    """Les instances du territoire (ou la seule de code `code`), leurs réglages et leurs membres avec leur rôle."""
    resultat = []
    requete = (
        select(Instance)
        .where(Instance.territoire_id == territoire.id)
        .where(func.upper(Instance.code) == code.strip().upper() if code is not None else true())
        .options(
            joinedload(Instance.partenaire),
            selectinload(Instance.membres)
            .joinedload(Membre.personne)
            .selectinload(Personne.fonctions)
            .joinedload(Fonction.partenaire),
        )
        .order_by(Instance.id)
    )
    for instance in session.scalars(requete):
        membres = []
        for membre in instance.membres:
            fonction = membre.personne.fonction_actuelle
            membres.append(
                {
                    "email": membre.personne.email,
                    "nom": membre.personne.nom_complet,
                    "role": membre.role,
                    "role_libelle": membre.role.libelle,
                    "fonction": fonction.intitule if fonction else None,
                    "organisme": fonction.partenaire.nom if fonction and fonction.partenaire else None,
                }
            )
        resultat.append(
            {
                "code": instance.code,
                "intitule": instance.intitule,
                "type": instance.type,
                "duree": ecrire_duree(instance.duree_minutes),
                "duree_libelle": duree(instance.duree_minutes),
                "lieu": instance.lieu,
                "delai_convocation_jours": instance.delai_convocation_jours,
                "organisme": instance.partenaire.nom if instance.partenaire else None,
                "rythme": decrire_rythme_instance(instance),
                "relances": {
                    "reponse_jours": instance.relance_reponse_jours,
                    "compte_rendu_jours": instance.relance_compte_rendu_jours,
                },
                "membres": membres,
            }
        )
    return resultat


def decrire_rythme_instance(instance: Instance) -> dict[str, str] | None:
    """{"regle": RRULE, "heure": "18:00", "texte": "2e mardi de mars et d'octobre à 18 h 00"}, ou None."""
    # À l'appel : le rythme demande pydantic, dateutil et babel, que `ctg personnes` n'a pas à charger.
    from gouvernance.calendrier.rythme import rythme_enregistre
    from gouvernance.calendrier.rythme_texte import decrire_rythme

    rythme = rythme_enregistre(instance)
    if rythme is None:
        return None
    return {"regle": rythme.regle, "heure": f"{rythme.heure:%H:%M}", "texte": decrire_rythme(rythme)}
