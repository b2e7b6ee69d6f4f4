"""L'annuaire : partenaires, personnes (et leur fonction), instances, membres, contacts importés d'un tableur."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gouvernance.annuaire import changer_fonction, decrire_rythme_instance, enregistrer_fonction
from gouvernance.calendrier.rythme_instance import regler_relances, regler_rythme
from gouvernance.contacts import BilanContacts, enregistrer_contacts
from gouvernance.contacts_csv import LigneContact, examiner_contacts_csv, lire_contacts_csv
from gouvernance.erreurs import DonneesInvalides
from gouvernance.membres import ajouter_membre, changer_role, exiger_instance, exiger_membre, retirer_membre
from gouvernance.partenaires import (
    changer_partenaire,
    creer_partenaire,
    exiger_partenaire,
    nommer_autrement,
    partenaires_ressemblants,
    retirer_partenaire,
)
from gouvernance.personnes import FichePersonne, ajouter_personne, changer_fiche, effacer_personne, exiger_personne
from gouvernance.referentiel.exporter import instances_du_territoire
from gouvernance.territoires import choisir_territoire
from modeles import Partenaire, Personne
from modeles.moteur import ouvrir_session


def ajouter_partenaire(
    session: Session,
    designation_territoire: str | None,
    *,
    nom: str,
    sigle: str | None = None,
    categorie: str = "autre",
    adresse: str | None = None,
    autres_noms: Sequence[str] = (),
) -> Partenaire:
    """Ajoute le partenaire au territoire (créé, ou seulement rattaché s'il existe ailleurs), avec ses autres noms."""
    territoire = choisir_territoire(session, designation_territoire)
    partenaire = creer_partenaire(session, territoire, nom=nom, sigle=sigle, categorie=categorie, adresse=adresse)
    nommer_autrement(session, partenaire, ajouter=autres_noms)
    return partenaire


def modifier_partenaire(
    session: Session,
    designation: str,
    *,
    ajouter_noms: Sequence[str] = (),
    retirer_noms: Sequence[str] = (),
    **changements: str | None,
) -> tuple[Partenaire, list[str]]:
    """Change le partenaire désigné par son nom, son sigle ou un autre nom (None : inchangé), ajoute ou retire
    des autres noms ; renvoie les champs modifiés."""
    partenaire = exiger_partenaire(session, designation)
    modifies = changer_partenaire(session, partenaire, **changements)
    if nommer_autrement(session, partenaire, ajouter=ajouter_noms, retirer=retirer_noms):
        modifies.append("autres_noms")
    return partenaire, modifies


def supprimer_partenaire(session: Session, designation_territoire: str | None, designation: str) -> str:
    """Retire le partenaire du territoire (refusé s'il est cité) ; renvoie la phrase qui dit ce qui a été fait."""
    territoire = choisir_territoire(session, designation_territoire)
    return retirer_partenaire(session, territoire, exiger_partenaire(session, designation))


def inscrire_personne(
    session: Session, fiche: FichePersonne, *, organisme: str | None, fonction: str | None, aujourd_hui: date
) -> Personne:
    """Crée la personne (refusée si son adresse est déjà enregistrée) avec sa fonction dans son organisme."""
    personne = ajouter_personne(session, fiche)
    enregistrer_fonction(session, personne, organisme=organisme, fonction=fonction, aujourd_hui=aujourd_hui)
    return personne


def modifier_personne(
    session: Session,
    email: str,
    fiche: FichePersonne,
    *,
    organisme: str | None,
    fonction: str | None,
    aujourd_hui: date,
) -> tuple[Personne, list[str]]:
    """Change les champs renseignés de la fiche ; une nouvelle fonction clôt l'ancienne à la date du jour.

    Renvoie la personne et les champs modifiés (« fonction » compris).
    """
    personne = exiger_personne(session, email)
    modifies = changer_fiche(session, personne, fiche)
    if changer_fonction(session, personne, organisme=organisme, fonction=fonction, aujourd_hui=aujourd_hui):
        modifies.append("fonction")
    return personne, modifies


def supprimer_personne(session: Session, email: str) -> tuple[str, int]:
    """Supprime la personne et ses adhésions (refusé si autre chose la cite) ; renvoie son nom et leur nombre."""
    personne = exiger_personne(session, email)
    nom_complet = personne.nom_complet
    return nom_complet, effacer_personne(session, personne)


@dataclass(frozen=True)
class ModificationInstance:
    """Ce qui a changé dans une instance, et son rythme après coup (None : pas de rythme)."""

    code: str
    modifies: list[str]
    rythme: dict[str, str] | None


def modifier_instance(
    session: Session,
    designation_territoire: str | None,
    code: str,
    *,
    regle: str | None = None,
    par_an: int | None = None,
    jour: str | None = None,
    heure: str | None = None,
    sans_rythme: bool = False,
    relance_reponse_jours: int | None = None,
    relance_compte_rendu_jours: int | None = None,
) -> ModificationInstance:
    """Change le rythme des réunions de l'instance (s'il en est question) et ses délais de relance."""
    instance = exiger_instance(session, choisir_territoire(session, designation_territoire), code)
    modifies: list[str] = []
    if sans_rythme or regle or par_an is not None or jour or heure:
        modifies += regler_rythme(instance, regle=regle, par_an=par_an, jour=jour, heure=heure, sans_rythme=sans_rythme)
    modifies += regler_relances(
        instance, reponse_jours=relance_reponse_jours, compte_rendu_jours=relance_compte_rendu_jours
    )
    session.flush()
    return ModificationInstance(instance.code, modifies, decrire_rythme_instance(instance))


@dataclass(frozen=True)
class Adhesion:
    """Une personne dans une instance, avec le libellé de son rôle."""

    nom_complet: str
    instance: str
    role: str


def inscrire_membre(
    session: Session, designation_territoire: str | None, code_instance: str, email: str, role: str = "membre"
) -> Adhesion:
    """Fait de la personne `email` un membre de l'instance (refusé si elle l'est déjà)."""
    instance = exiger_instance(session, choisir_territoire(session, designation_territoire), code_instance)
    membre = ajouter_membre(session, instance, exiger_personne(session, email), role)
    return Adhesion(membre.personne.nom_complet, instance.code, membre.role.libelle)


def modifier_membre(
    session: Session, designation_territoire: str | None, code_instance: str, email: str, role: str
) -> Adhesion:
    """Change le rôle de la personne `email` dans l'instance."""
    instance = exiger_instance(session, choisir_territoire(session, designation_territoire), code_instance)
    membre = exiger_membre(instance, exiger_personne(session, email))
    changer_role(session, membre, role)
    return Adhesion(membre.personne.nom_complet, instance.code, membre.role.libelle)


def supprimer_membre(session: Session, designation_territoire: str | None, code_instance: str, email: str) -> Adhesion:
    """Retire la personne `email` de l'instance."""
    instance = exiger_instance(session, choisir_territoire(session, designation_territoire), code_instance)
    personne = exiger_personne(session, email)
    membre = exiger_membre(instance, personne)
    adhesion = Adhesion(personne.nom_complet, instance.code, membre.role.libelle)
    retirer_membre(session, membre)
    return adhesion


def importer_contacts(
    moteur: Engine,
    designation_territoire: str | None,
    fichier: Path,
    *,
    aujourd_hui: date,
    simulation: bool = False,
    creer_organismes: bool = False,
) -> BilanContacts:
    """Charge les contacts du tableur `fichier` (CSV) : personnes, fonctions et adhésions, tout ou rien.

    Une personne est reconnue à son e-mail et mise à jour ; en `simulation`, rien n'est enregistré. Un
    organisme qui ressemble à un partenaire connu sans en être un fait refuser l'import, sauf avec
    `creer_organismes`.
    """
    return importer_contenu_contacts(
        moteur,
        designation_territoire,
        _lire_octets(fichier),
        fichier.name,
        aujourd_hui=aujourd_hui,
        simulation=simulation,
        creer_organismes=creer_organismes,
    )


def importer_contenu_contacts(
    moteur: Engine,
    designation_territoire: str | None,
    contenu: bytes,
    nom_fichier: str,
    *,
    aujourd_hui: date,
    simulation: bool = False,
    creer_organismes: bool = False,
) -> BilanContacts:
    """`importer_contacts` pour un contenu déjà lu (un fichier envoyé par la page web)."""
    with ouvrir_session(moteur, ecriture=True) as session:
        territoire = choisir_territoire(session, designation_territoire)
        codes = [instance.code for instance in instances_du_territoire(session, territoire)]
        lignes = lire_contacts_csv(contenu, codes_instances=codes, nom_fichier=nom_fichier)
        bilan = enregistrer_contacts(
            session, territoire, lignes, aujourd_hui=aujourd_hui, creer_organismes=creer_organismes
        )
        if simulation:
            session.rollback()
    return bilan


@dataclass(frozen=True)
class ApercuContacts:
    """Avant l'import : les lignes acceptées, les refusées (numéro et raison), ce que ferait l'import."""

    lignes: list[LigneContact]
    refusees: list[str]
    #: Ce que ferait l'import (None s'il y a des lignes refusées : il serait refusé en entier).
    bilan: BilanContacts | None
    #: (organisme qui serait créé, partenaire existant qu'il rappelle) : un doublon probable, à corriger.
    ressemblances: list[tuple[str, str]] = field(default_factory=list)


def apercevoir_contacts(
    moteur: Engine, designation_territoire: str | None, contenu: bytes, nom_fichier: str, *, aujourd_hui: date
) -> ApercuContacts:
    """Ce que l'import de ce fichier ferait, sans rien enregistrer ; DonneesInvalides si le fichier est illisible."""
    with ouvrir_session(moteur) as session:
        territoire = choisir_territoire(session, designation_territoire)
        codes = [instance.code for instance in instances_du_territoire(session, territoire)]
    examen = examiner_contacts_csv(contenu, codes_instances=codes, nom_fichier=nom_fichier)
    if examen.problemes:
        return ApercuContacts(lignes=examen.lignes, refusees=examen.problemes, bilan=None)
    # L'aperçu montre ce que créerait l'import et signale les organismes qui rappellent un partenaire.
    bilan = importer_contenu_contacts(
        moteur,
        designation_territoire,
        contenu,
        nom_fichier,
        aujourd_hui=aujourd_hui,
        simulation=True,
        creer_organismes=True,
    )
    with ouvrir_session(moteur) as session:
        ressemblances = partenaires_ressemblants(session, bilan.organismes_crees)
    return ApercuContacts(lignes=examen.lignes, refusees=[], bilan=bilan, ressemblances=ressemblances)


def _lire_octets(fichier: Path) -> bytes:
    try:
        return fichier.read_bytes()
    except FileNotFoundError:
        raise DonneesInvalides(f"Le fichier {fichier} n'existe pas.") from None
    except IsADirectoryError:
        raise DonneesInvalides(f"{fichier} est un dossier : donnez le chemin d'un fichier CSV.") from None
    except PermissionError:
        raise DonneesInvalides(f"Vous n'avez pas le droit de lire le fichier {fichier}.") from None
    except OSError as erreur:
        # Le message du système (erreur.strerror) serait en anglais.
        raise DonneesInvalides(f"Le fichier {fichier} ne peut pas être lu (erreur système {erreur.errno}).") from None
