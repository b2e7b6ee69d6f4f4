"""Les partenaires (organismes) d'un territoire : trouver, ajouter, modifier, retirer."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance import saisie
from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.organismes_proches import designe, partenaires_proches
from gouvernance.references import references_vers
from gouvernance.textes import cle_de_comparaison, contient_controle_hors_sauts_de_ligne
from modeles import CategoriePartenaire, Partenaire, Territoire

#: La longueur maximale d'un autre nom : celle d'un nom de partenaire.
LONGUEUR_AUTRE_NOM = 200


def trouver_partenaire(session: Session, designation: str) -> Partenaire | None:
    """Le partenaire dont le nom, le sigle ou un autre nom est `designation` (aux accents et à la casse près)."""
    cle = cle_de_comparaison(designation)
    partenaires = list(session.scalars(select(Partenaire).order_by(Partenaire.id)))
    par_nom = [p for p in partenaires if cle_de_comparaison(p.nom) == cle]
    if par_nom:
        return par_nom[0]
    par_autre_nom = [p for p in partenaires if any(cle_de_comparaison(n) == cle for n in p.autres_noms or [])]
    if par_autre_nom:
        return par_autre_nom[0]
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


def nommer_autrement(
    session: Session, partenaire: Partenaire, *, ajouter: Sequence[str] = (), retirer: Sequence[str] = ()
) -> bool:
    """Ajoute et retire des autres noms du partenaire ; refuse un nom qui désigne déjà un autre partenaire.

    Renvoie vrai si la liste a changé.
    """
    noms = list(partenaire.autres_noms or [])
    for nom in retirer:
        cle = cle_de_comparaison(nom)
        restants = [n for n in noms if cle_de_comparaison(n) != cle]
        if len(restants) == len(noms):
            connus = ", ".join(f"« {n} »" for n in noms) or "aucun"
            raise DonneesInvalides(
                f"« {nom} » n'est pas un autre nom de « {partenaire.nom} » (autres noms : {connus})."
            )
        noms = restants
    for brut in ajouter:
        try:
            nom = saisie.une_ligne("autre nom", brut, obligatoire=True) or ""
        except ValueError as erreur:
            raise DonneesInvalides(str(erreur).capitalize() + ".") from erreur
        if len(nom) > LONGUEUR_AUTRE_NOM:
            raise DonneesInvalides(f"Autre nom « {nom[:40]}… » : {len(nom)} caractères, {LONGUEUR_AUTRE_NOM} au plus.")
        deja = trouver_partenaire(session, nom)
        if deja is not None and deja is not partenaire:
            raise DonneesInvalides(f"« {nom} » désigne déjà le partenaire « {deja.nom} » : il ne peut en nommer deux.")
        if deja is None:
            noms.append(nom)
    if noms == list(partenaire.autres_noms or []):
        return False
    partenaire.autres_noms = noms
    session.flush()
    return True


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


def partenaires_ressemblants(session: Session, noms: Sequence[str]) -> list[tuple[str, str]]:
    """(nom saisi, partenaire existant) pour chaque nom qui en rappelle un autre sans le désigner : « CAF
    Haute-Garonne » et la « Caisse d'allocations familiales de la Haute-Garonne (CAF) », « Ville de L'Unoin »
    et « Ville de L'Union (Ville) ». La comparaison est celle de l'import des contacts (organismes_proches)."""
    partenaires = list(session.scalars(select(Partenaire).order_by(Partenaire.nom)))
    paires = []
    for nom in noms:
        if any(designe(nom, partenaire) for partenaire in partenaires):
            continue
        for proche in partenaires_proches(nom, partenaires):
            paires.append((nom, f"{proche.nom} ({proche.sigle})" if proche.sigle else proche.nom))
    return paires
