"""Décrire l'annuaire (personnes, instances) pour l'affichage et le JSON, et rattacher une fonction."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance import saisie
from gouvernance.calendrier.rythme import rythme_enregistre
from gouvernance.calendrier.rythme_texte import decrire_rythme
from gouvernance.durees import ecrire_duree
from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import duree
from gouvernance.partenaires import exiger_partenaire
from gouvernance.personnes import definir_fonction
from gouvernance.referentiel.exporter import instances_du_territoire
from gouvernance.textes import cle_de_comparaison
from modeles import Instance, Membre, Personne, Territoire


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


def decrire_personnes(session: Session) -> list[dict[str, Any]]:
    """Chaque personne, sa fonction actuelle et ses instances, triées par nom."""
    membres = session.scalars(select(Membre))
    instances_par_personne: dict[int, list[str]] = {}
    for membre in membres:
        instances_par_personne.setdefault(membre.personne_id, []).append(membre.instance.code)
    resultat = []
    personnes = sorted(
        session.scalars(select(Personne)), key=lambda p: (cle_de_comparaison(p.nom), cle_de_comparaison(p.prenom))
    )
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


def decrire_instances(session: Session, territoire: Territoire) -> list[dict[str, Any]]:
    """Les instances du territoire, leurs réglages et leurs membres avec leur rôle."""
    resultat = []
    for instance in instances_du_territoire(session, territoire):
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
    rythme = rythme_enregistre(instance)
    if rythme is None:
        return None
    return {"regle": rythme.regle, "heure": f"{rythme.heure:%H:%M}", "texte": decrire_rythme(rythme)}
