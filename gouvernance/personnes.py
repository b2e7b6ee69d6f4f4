"""Les personnes (contacts) : ajouter, modifier, supprimer ; leur fonction est datée."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance import saisie
from gouvernance.accords import accorder
from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.references import references_vers
from modeles import Fonction, Partenaire, Personne


@dataclass(frozen=True)
class FichePersonne:
    """Ce que l'utilisateur dit d'une personne ; None : non renseigné (inchangé en modification)."""

    email: str | None = None
    prenom: str | None = None
    nom: str | None = None
    civilite: str | None = None
    telephone: str | None = None
    #: Ses autres adresses (une réponse envoyée de l'une d'elles est la sienne) ; () les retire toutes.
    emails_secondaires: tuple[str, ...] | None = None


def trouver_personne(session: Session, email: str) -> Personne | None:
    return session.scalar(select(Personne).where(Personne.email == email.strip().lower()))


def exiger_personne(session: Session, email: str) -> Personne:
    personne = trouver_personne(session, email)
    if personne is None:
        raise Introuvable(f"Aucune personne n'a l'adresse « {email} ». `ctg personnes` les liste.")
    return personne


def ajouter_personne(session: Session, fiche: FichePersonne) -> Personne:
    """Crée la personne ; refuse une adresse déjà enregistrée."""
    valeurs = _valider(fiche, creation=True)
    if trouver_personne(session, valeurs["email"] or "") is not None:
        raise DonneesInvalides(f"« {valeurs['email']} » est déjà enregistrée : utilisez `ctg personnes modifier`.")
    personne = Personne(**valeurs)
    session.add(personne)
    session.flush()
    return personne


def changer_fiche(session: Session, personne: Personne, fiche: FichePersonne) -> list[str]:
    """Applique les champs renseignés de `fiche` ; renvoie les champs modifiés."""
    valeurs = _valider(fiche, creation=False)
    nouvelle = valeurs.get("email")
    if nouvelle and nouvelle != personne.email and trouver_personne(session, nouvelle) is not None:
        raise DonneesInvalides(f"« {nouvelle} » est déjà l'adresse d'une autre personne.")
    modifies = [cle for cle, valeur in valeurs.items() if getattr(personne, cle) != valeur]
    for cle in modifies:
        setattr(personne, cle, valeurs[cle])
    if fiche.emails_secondaires is not None:
        secondaires = _emails_secondaires(session, personne, fiche.emails_secondaires)
        if secondaires != list(personne.emails_secondaires or []):
            personne.emails_secondaires = secondaires
            modifies.append("emails_secondaires")
    session.flush()
    return modifies


def _emails_secondaires(session: Session, personne: Personne, adresses: tuple[str, ...]) -> list[str]:
    """Les adresses secondaires validées, en minuscules, sans doublon ; refusées si elles sont à quelqu'un d'autre."""
    try:
        valides = list(dict.fromkeys(saisie.adresse_electronique(a) for a in adresses if a.strip()))
    except ValueError as erreur:
        message = str(erreur).replace("e-mail :", "adresse secondaire :", 1)
        raise DonneesInvalides(message[0].upper() + message[1:] + ".") from erreur
    valides = [adresse for adresse in valides if adresse != personne.email]
    for autre in session.scalars(select(Personne).where(Personne.id != personne.id)):
        communes = sorted(set(valides) & autre.adresses)
        if communes:
            raise DonneesInvalides(
                f"« {communes[0]} » est déjà une adresse de {autre.nom_complet or autre.email} ({autre.email}) : "
                "une adresse n'appartient qu'à une personne."
            )
    return valides


def definir_fonction(
    personne: Personne, partenaire: Partenaire | None, intitule: str | None, *, aujourd_hui: date
) -> bool:
    """Donne à la personne cette fonction ; l'ancienne, si elle diffère, est close à la date du jour.

    Renvoie vrai si quelque chose a changé.
    """
    actuelle = personne.fonction_actuelle
    if actuelle is not None and actuelle.partenaire is partenaire and actuelle.intitule == intitule:
        return False
    if actuelle is not None:
        actuelle.fin = aujourd_hui
    if partenaire is not None or intitule:
        personne.fonctions.append(Fonction(partenaire=partenaire, intitule=intitule, debut=aujourd_hui))
    return True


def effacer_personne(session: Session, personne: Personne) -> int:
    """Supprime la personne et ses adhésions ; refuse si autre chose la cite. Renvoie le nombre d'adhésions."""
    references = [r for r in references_vers(session, "personnes", personne.id) if r]
    if references:
        raise DonneesInvalides(
            f"{personne.nom_complet} est {accorder('cité(e)', personne.civilite)} par {', '.join(references)} : "
            "la fiche ne peut pas être supprimée."
        )
    from modeles import Membre  # la suppression en cascade retire les adhésions ; on les compte avant

    adhesions = len(list(session.scalars(select(Membre).where(Membre.personne_id == personne.id))))
    session.delete(personne)
    session.flush()
    return adhesions


def _valider(fiche: FichePersonne, *, creation: bool) -> dict[str, str | None]:
    try:
        valeurs: dict[str, str | None] = {
            "prenom": saisie.une_ligne("prénom", fiche.prenom, obligatoire=creation),
            "nom": saisie.une_ligne("nom", fiche.nom, obligatoire=creation),
            "telephone": saisie.une_ligne("téléphone", fiche.telephone),
        }
        if fiche.civilite is not None:
            valeurs["civilite"] = saisie.civilite(fiche.civilite)
        if fiche.email is not None or creation:
            valeurs["email"] = saisie.adresse_electronique(fiche.email or "")
    except ValueError as erreur:
        message = str(erreur)
        raise DonneesInvalides(message[0].upper() + message[1:] + ".") from erreur
    if creation:
        return valeurs
    return {cle: valeur for cle, valeur in valeurs.items() if valeur is not None or cle == "civilite"}
