"""Le répertoire d'un territoire tel que le parcourent les pages : partenaires et personnes, cherchés, lus,
désignés par leur numéro (la ligne de commande les désigne par leur nom ou leur adresse)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from gouvernance.annuaire import decrire_personnes, personnes_du_territoire
from gouvernance.erreurs import Introuvable
from gouvernance.partenaires import changer_partenaire
from gouvernance.personnes import FichePersonne
from gouvernance.referentiel.exporter import partenaires_du_territoire
from gouvernance.services.annuaire import modifier_personne
from gouvernance.territoires import choisir_territoire
from gouvernance.textes import cle_de_comparaison
from modeles import CategoriePartenaire, Partenaire, Personne

#: Au-delà, la liste des personnes invite à préciser la recherche.
PERSONNES_AU_PLUS = 200


@dataclass(frozen=True)
class VuePartenaire:
    id: int
    nom: str
    sigle: str | None
    categorie: CategoriePartenaire
    adresse: str | None
    #: Le nombre de personnes qui y ont une fonction en cours.
    contacts: int


@dataclass(frozen=True)
class ListePersonnes:
    personnes: list[dict[str, Any]]
    #: Combien de personnes correspondent à la recherche (davantage que celles montrées si la liste est coupée).
    total: int


def lister_partenaires(session: Session, territoire: str | None, recherche: str = "") -> list[VuePartenaire]:
    """Les partenaires du territoire, par nom ; ceux dont le nom ou le sigle contient `recherche`."""
    cle = cle_de_comparaison(recherche)
    vues = [_vue(p) for p in partenaires_du_territoire(session, choisir_territoire(session, territoire))]
    retenus = [v for v in vues if not cle or cle in cle_de_comparaison(f"{v.nom} {v.sigle or ''}")]
    return sorted(retenus, key=lambda v: cle_de_comparaison(v.nom))


def lire_partenaire(session: Session, territoire: str | None, partenaire_id: int) -> VuePartenaire:
    return _vue(_exiger(session, territoire, partenaire_id))


def modifier_partenaire_numero(
    session: Session, territoire: str | None, partenaire_id: int, **changements: str | None
) -> tuple[VuePartenaire, list[str]]:
    """Change le partenaire n° `partenaire_id` du territoire (None : inchangé) ; renvoie les champs modifiés."""
    partenaire = _exiger(session, territoire, partenaire_id)
    modifies = changer_partenaire(session, partenaire, **changements)
    session.flush()
    return _vue(partenaire), modifies


def lister_personnes(session: Session, territoire: str | None, recherche: str = "") -> ListePersonnes:
    """Les personnes du territoire dont le nom, l'adresse, l'organisme ou la fonction contient `recherche`."""
    cle = cle_de_comparaison(recherche)
    toutes = decrire_personnes(session, choisir_territoire(session, territoire))
    retenues = [p for p in toutes if not cle or cle in _texte_cherche(p)]
    return ListePersonnes(personnes=retenues[:PERSONNES_AU_PLUS], total=len(retenues))


def lire_personne(session: Session, territoire: str | None, email: str) -> dict[str, Any]:
    """La fiche de la personne `email` parmi celles du territoire ; Introuvable sinon."""
    trouvees = decrire_personnes(session, choisir_territoire(session, territoire), email=email)
    if trouvees:
        return trouvees[0]
    raise Introuvable(f"Aucune personne « {email} » dans l'annuaire de ce territoire.")


def modifier_personne_du_territoire(
    session: Session,
    territoire: str | None,
    email: str,
    fiche: FichePersonne,
    *,
    organisme: str | None,
    fonction: str | None,
    aujourd_hui: date,
) -> tuple[Personne, list[str]]:
    """`modifier_personne`, pour une personne du territoire seulement (Introuvable sinon)."""
    choisi = choisir_territoire(session, territoire)
    adresse = email.strip().lower()
    requete = personnes_du_territoire(session, choisi).where(Personne.email == adresse)
    if session.scalar(requete) is None:
        raise Introuvable(f"Aucune personne « {email} » dans l'annuaire de {choisi.nom}.")
    return modifier_personne(session, adresse, fiche, organisme=organisme, fonction=fonction, aujourd_hui=aujourd_hui)


def _texte_cherche(personne: dict[str, Any]) -> str:
    champs = ("prenom", "nom", "email", "organisme", "sigle_organisme", "fonction")
    return cle_de_comparaison(" ".join(str(personne[champ] or "") for champ in champs))


def _exiger(session: Session, territoire: str | None, partenaire_id: int) -> Partenaire:
    choisi = choisir_territoire(session, territoire)
    partenaire = session.get(Partenaire, partenaire_id)
    if partenaire is None or choisi not in partenaire.territoires:
        raise Introuvable(f"Aucun partenaire n°{partenaire_id} à {choisi.nom}.")
    return partenaire


def _vue(partenaire: Partenaire) -> VuePartenaire:
    return VuePartenaire(
        id=partenaire.id,
        nom=partenaire.nom,
        sigle=partenaire.sigle,
        categorie=partenaire.categorie,
        adresse=partenaire.adresse,
        contacts=sum(1 for fonction in partenaire.fonctions if fonction.fin is None),
    )
