"""Consulter les réunions : la liste filtrée, la fiche d'une réunion, les choix du formulaire de planification.

Ces cas d'usage ne font que lire : ils reçoivent une session et rendent des données simples (dataclasses,
dictionnaires) que la page web ou la commande affiche telles quelles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.reunions.description import FiltresReunions, decrire_reunion, exiger_reunion, lister_reunions
from gouvernance.territoires import choisir_territoire
from modeles import (
    CompteRendu,
    Enjeu,
    EntreeJournal,
    Instance,
    Orientation,
    Personne,
    Reunion,
    StatutCompteRendu,
    StatutReunion,
)


def lire_filtres(
    *, instance: str | None = None, du: str | None = None, au: str | None = None, statut: str | None = None
) -> FiltresReunions:
    """Les filtres saisis (dates AAAA-MM-JJ, statut par son libellé ou sa valeur) ; DonneesInvalides sinon."""
    problemes: list[str] = []
    jours: dict[str, date | None] = {}
    for nom, libelle, texte in (("du", "Du", du), ("au", "Au", au)):
        try:
            jours[nom] = date.fromisoformat(texte.strip()) if texte and texte.strip() else None
        except ValueError:
            jours[nom] = None
            problemes.append(f"{libelle} : « {texte} » n'est pas une date (par exemple 2027-03-09).")
    choisi = None
    if statut and statut.strip():
        try:
            choisi = StatutReunion.lire(statut)
        except ValueError as erreur:
            problemes.append(f"Statut : {erreur}.")
    debut, fin = jours["du"], jours["au"]
    if debut is not None and fin is not None and fin < debut:
        problemes.append("Au : la fin de la période précède son début.")
    if problemes:
        raise DonneesInvalides("La recherche n'a pas pu être faite. Corrigez ceci :", details=problemes)
    return FiltresReunions(instance=(instance or "").strip() or None, du=debut, au=fin, statut=choisi)


def chercher_reunions(session: Session, territoire: str | None, filtres: FiltresReunions) -> list[dict[str, Any]]:
    """Les réunions du territoire qui répondent aux filtres, dans l'ordre de leurs dates."""
    return lister_reunions(session, choisir_territoire(session, territoire), filtres)


@dataclass(frozen=True)
class PossibilitesReunion:
    """Les actions que l'état de la réunion permet."""

    convoquer: bool
    modifier: bool
    annuler: bool
    #: Jamais convoquée ni écrite à personne : la réunion peut disparaître sans laisser de trace chez les invités.
    supprimer: bool
    #: Émargement, projet de compte rendu et fichier du secrétaire : la réunion a été convoquée.
    compte_rendu: bool
    valider: bool
    diffuser: bool


def exiger_reunion_visible(session: Session, reunion_id: int, territoires: tuple[int, ...] | None) -> Reunion:
    """La réunion, si elle est d'un des `territoires` (tous avec None) ; Introuvable sinon, comme si elle n'existait
    pas : un utilisateur d'un autre territoire n'apprend rien de ses réunions."""
    reunion = exiger_reunion(session, reunion_id)
    if territoires is not None and reunion.instance.territoire_id not in territoires:
        raise Introuvable(f"Aucune réunion n°{reunion_id} dans votre territoire.")
    return reunion


def consulter_reunion(
    session: Session, reunion_id: int, *, dossier: Path | None = None, territoires: tuple[int, ...] | None = None
) -> dict[str, Any]:
    """La fiche d'une réunion : sa description, le dernier courriel de chaque invité, ce qu'on peut en faire et
    le journal de ce que les utilisateurs de l'application y ont fait."""
    reunion = exiger_reunion_visible(session, reunion_id, territoires)
    fiche = decrire_reunion(session, reunion, dossier=dossier)
    fiche["instance_id"] = reunion.instance_id
    fiche["journal"] = [
        {"le": entree.le, "auteur": entree.auteur, "action": entree.action.libelle, "details": entree.details}
        for entree in session.scalars(
            select(EntreeJournal).where(EntreeJournal.reunion_id == reunion.id).order_by(EntreeJournal.id.desc())
        )
    ]
    derniers: dict[str, dict[str, Any]] = {}
    for message in fiche["messages"]:
        derniers[message["destinataire"]] = message
    for invitation in fiche["invitations"]:
        invitation["dernier_message"] = derniers.get(invitation["email"])
    for numero, document in enumerate(fiche["documents"]):
        document["numero"] = numero
        document["nom"] = Path(document["chemin"]).name
        document["format"] = Path(document["chemin"]).suffix.lstrip(".").upper()
    compte_rendu = session.scalar(select(CompteRendu).where(CompteRendu.reunion_id == reunion.id))
    fiche["compte_rendu"] = (
        None
        if compte_rendu is None
        else {
            "statut": compte_rendu.statut,
            "statut_libelle": compte_rendu.statut.libelle,
            "version": compte_rendu.version,
            "secretaire": compte_rendu.secretaire,
        }
    )
    statut = reunion.statut
    ouverte = statut in (StatutReunion.PLANIFIEE, StatutReunion.CONVOQUEE)
    fiche["possibilites"] = PossibilitesReunion(
        convoquer=statut is StatutReunion.PLANIFIEE,
        modifier=ouverte,
        annuler=ouverte,
        supprimer=statut is StatutReunion.PLANIFIEE and reunion.convoquee_le is None and not fiche["messages"],
        compte_rendu=statut in (StatutReunion.CONVOQUEE, StatutReunion.TENUE),
        valider=compte_rendu is not None and compte_rendu.statut is StatutCompteRendu.IMPORTE,
        diffuser=compte_rendu is not None and compte_rendu.statut is StatutCompteRendu.VALIDE,
    )
    return fiche


def document_de_reunion(
    session: Session, reunion_id: int, numero: int, *, dossier: Path | None, territoires: tuple[int, ...] | None = None
) -> Path:
    """Le fichier du document n°`numero` de la fiche (dans l'ordre de `consulter_reunion`) ; Introuvable sinon."""
    reunion = exiger_reunion_visible(session, reunion_id, territoires)
    documents = decrire_reunion(session, reunion, dossier=dossier)["documents"]
    if not 0 <= numero < len(documents):
        raise Introuvable(f"La réunion n°{reunion_id} n'a pas de document n°{numero}.")
    chemin = Path(documents[numero]["chemin"])
    if not chemin.is_file():
        raise DonneesInvalides(
            f"Le fichier {chemin.name} n'est plus dans le dossier des documents : regénérez-le depuis la réunion."
        )
    return chemin


@dataclass(frozen=True)
class ChoixPlanification:
    """Ce que propose le formulaire de planification : instances, orientations par enjeu, annuaire."""

    #: (code, intitulé, durée en minutes, lieu habituel)
    instances: list[tuple[str, str, int, str | None]]
    #: (numéro et intitulé de l'enjeu, [(code, intitulé de l'orientation)])
    enjeux: list[tuple[str, list[tuple[str, str]]]]
    #: (adresse, « Prénom Nom »)
    personnes: list[tuple[str, str]]


def choix_de_planification(session: Session, territoire: str | None) -> ChoixPlanification:
    """Les instances et les orientations du territoire, et les personnes de l'annuaire à inviter en plus."""
    choisi = choisir_territoire(session, territoire)
    instances = session.scalars(select(Instance).where(Instance.territoire_id == choisi.id).order_by(Instance.code))
    enjeux = session.scalars(
        select(Enjeu)
        .where(Enjeu.territoire_id == choisi.id)
        .order_by(Enjeu.numero)
        .options(selectinload(Enjeu.orientations))
    )
    personnes = session.scalars(select(Personne).order_by(Personne.nom, Personne.prenom))
    return ChoixPlanification(
        instances=[(i.code, i.intitule, i.duree_minutes, i.lieu) for i in instances],
        enjeux=[(f"{e.numero}. {e.intitule}", [(o.code, o.intitule) for o in _par_numero(e)]) for e in enjeux],
        personnes=[(p.email, p.nom_complet) for p in personnes],
    )


def _par_numero(enjeu: Enjeu) -> list[Orientation]:
    return sorted(enjeu.orientations, key=lambda orientation: orientation.numero)
