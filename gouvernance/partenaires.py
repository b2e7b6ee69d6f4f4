"""Les partenaires (organismes) d'un territoire : trouver, ajouter, modifier, retirer."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance import saisie
from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.references import references_vers
from gouvernance.textes import cle_de_comparaison, contient_controle_hors_sauts_de_ligne
from modeles import CategoriePartenaire, Partenaire, Territoire


def trouver_partenaire(session: Session, designation: str) -> Partenaire | None:
    """Le partenaire dont le nom ou le sigle est `designation` (sans tenir compte des accents ni de la casse)."""
    cle = cle_de_comparaison(designation)
    partenaires = list(session.scalars(select(Partenaire)))
    par_nom = [p for p in partenaires if cle_de_comparaison(p.nom) == cle]
    if par_nom:
        return par_nom[0]
    par_sigle = [p for p in partenaires if p.sigle and cle_de_comparaison(p.sigle) == cle]
    if len(par_sigle) > 1:
        noms = " ; ".join(p.nom for p in par_sigle)
        raise DonneesInvalides(f"Le sigle « {designation} » désigne plusieurs partenaires ({noms}) : donnez le nom.")
    return par_sigle[0] if par_sigle else None


def exiger_partenaire(session: Session, designation: str) -> Partenaire:
    partenaire = trouver_partenaire(session, designation)
    if partenaire is None:
        raise Introuvable(f"Aucun partenaire « {designation} ». `ctg partenaires` les liste.")
    return partenaire


def creer_partenaire(
    session: Session,
    territoire: Territoire,
    *,
    nom: str,
    sigle: str | None = None,
    categorie: str = "autre",
    adresse: str | None = None,
) -> Partenaire:
    """Crée le partenaire et le rattache au territoire ; s'il existe déjà ailleurs, le rattache seulement."""
    nom_valide = _valider(nom=nom, sigle=sigle, categorie=categorie, adresse=adresse)
    existant = trouver_partenaire(session, nom_valide)
    if existant is not None and territoire in existant.territoires:
        raise DonneesInvalides(f"Le partenaire « {existant.nom} » existe déjà : utilisez `ctg partenaires modifier`.")
    partenaire = existant or Partenaire(
        nom=nom_valide, sigle=sigle or None, categorie=CategoriePartenaire(categorie), adresse=adresse
    )
    partenaire.territoires.append(territoire)
    session.add(partenaire)
    session.flush()
    return partenaire


def changer_partenaire(session: Session, partenaire: Partenaire, **changements: str | None) -> list[str]:
    """Applique les changements donnés (None : inchangé) ; renvoie les champs modifiés."""
    valeurs = {cle: valeur for cle, valeur in changements.items() if valeur is not None}
    _valider(
        nom=valeurs.get("nom", partenaire.nom),
        sigle=valeurs.get("sigle"),
        categorie=valeurs.get("categorie", partenaire.categorie),
        adresse=valeurs.get("adresse"),
    )
    if "nom" in valeurs:
        homonyme = trouver_partenaire(session, valeurs["nom"] or "")
        if homonyme is not None and homonyme is not partenaire:
            raise DonneesInvalides(f"Un autre partenaire s'appelle déjà « {homonyme.nom} ».")
    modifies = [cle for cle, valeur in valeurs.items() if getattr(partenaire, cle) != (valeur or None)]
    if "categorie" in valeurs:
        valeurs["categorie"] = CategoriePartenaire(valeurs["categorie"])
    for cle in modifies:
        setattr(partenaire, cle, valeurs[cle] or None)
    session.flush()
    return modifies


def retirer_partenaire(session: Session, territoire: Territoire, partenaire: Partenaire) -> str:
    """Détache le partenaire du territoire, et le supprime s'il n'est plus rattaché à rien ni cité par rien."""
    references = references_vers(session, "partenaires", partenaire.id)
    if references:
        raise DonneesInvalides(
            f"« {partenaire.nom} » est cité par {', '.join(references)} : il ne peut pas être retiré. "
            "Changez d'abord la fonction des personnes concernées ou l'organisme des instances."
        )
    if territoire in partenaire.territoires:
        partenaire.territoires.remove(territoire)
    if partenaire.territoires:
        session.flush()
        return f"« {partenaire.nom} » n'est plus partenaire de {territoire.nom} (il le reste d'autres territoires)."
    session.delete(partenaire)
    session.flush()
    return f"« {partenaire.nom} » a été supprimé."


def _valider(*, nom: str, sigle: str | None, categorie: str, adresse: str | None) -> str:
    try:
        nom_valide = saisie.une_ligne("nom", nom, obligatoire=True) or ""
        saisie.une_ligne("sigle", sigle)
    except ValueError as erreur:
        raise DonneesInvalides(str(erreur).capitalize() + ".") from erreur
    if categorie not in CategoriePartenaire.valeurs():
        possibles = ", ".join(CategoriePartenaire.valeurs())
        raise DonneesInvalides(f"Catégorie « {categorie} » inconnue. Possibles : {possibles}.")
    if adresse and contient_controle_hors_sauts_de_ligne(adresse):
        raise DonneesInvalides("Adresse : elle contient une tabulation ou un caractère de contrôle.")
    return nom_valide


#: Au-delà de cette ressemblance (0 à 1, difflib), deux noms d'organisme désignent sans doute le même.
RESSEMBLANCE_MINIMALE = 0.8


def partenaires_ressemblants(session: Session, noms: Sequence[str]) -> list[tuple[str, str]]:
    """(nom saisi, partenaire existant) pour chaque nom qui en rappelle un autre sans le désigner exactement :
    « CAF Haute-Garonne » et la « Caisse d'allocations familiales de la Haute-Garonne » (sigle CAF), « Centre
    social Le Lien » et « Centre social le lien » écrit autrement. Une faute de frappe ferait un doublon."""
    existants = [(p.nom, p.sigle) for p in session.scalars(select(Partenaire).order_by(Partenaire.nom))]
    paires = []
    for nom in noms:
        cle, mots = cle_de_comparaison(nom), set(cle_de_comparaison(nom).replace("-", " ").split())
        for existant, sigle in existants:
            autre = cle_de_comparaison(existant)
            if autre == cle:
                continue
            proche = SequenceMatcher(None, cle, autre).ratio() >= RESSEMBLANCE_MINIMALE
            par_sigle = sigle is not None and cle_de_comparaison(sigle) in mots
            inclus = min(len(cle), len(autre)) >= 6 and (cle in autre or autre in cle)
            if proche or par_sigle or inclus:
                paires.append((nom, f"{existant} ({sigle})" if sigle else existant))
    return paires
