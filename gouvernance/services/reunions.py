"""Les actions sur une réunion : planifier, convoquer, modifier, annuler, réécrire ses documents.

`planifier_reunion`, `modifier_reunion` et `annuler_reunion` ne touchent que la base : ils reçoivent une
session. `preparer_diffusion` (et `convoquer_reunion`) et `rediger_documents` produisent des fichiers
Word, PDF, .ics et .eml : ils reçoivent le moteur et n'écrivent en base que dans des transactions courtes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.fichiers import chemin_enregistre
from gouvernance.reglages import Reglages
from gouvernance.reunions.cycle import (
    appliquer_modification,
    marquer_annulee,
    remplacer_ordre_du_jour,
    verifier_convocable,
)
from gouvernance.reunions.demande import DemandeReunion
from gouvernance.reunions.description import exiger_reunion
from gouvernance.reunions.diffusion import a_ete_diffusee, convocation_commencee
from gouvernance.reunions.envoi_reunion import (
    Lecture,
    Lot,
    Nature,
    Parametres,
    Production,
    enregistrer_envoi,
    lire_envoi,
    produire_documents,
    produire_envoi,
    verifier_inchangee,
)
from gouvernance.reunions.invitations import Actualisation, actualiser_invitations
from gouvernance.reunions.lecture import CHARGEMENT_VUE, lire_coordinateur
from gouvernance.reunions.planification import enregistrer_reunion, nouvel_uid
from gouvernance.reunions.propositions import proposer_points
from gouvernance.territoires import choisir_territoire
from modeles import Document, Message, Reunion, StatutReunion
from modeles.moteur import ouvrir_session


@dataclass(frozen=True)
class Planification:
    reunion_id: int
    titre: str
    invites: int
    #: Les points ajoutés d'office à l'ordre du jour (approbation du compte rendu, actions échues).
    points_ajoutes: tuple[str, ...]


def planifier_reunion(
    session: Session,
    demande: DemandeReunion,
    *,
    territoire: str | None,
    maintenant: datetime,
    urgence: bool = False,
    doublon: bool = False,
    uid: str | None = None,
) -> Planification:
    """Enregistre la réunion décrite, ses invitations et son ordre du jour complété ; DonneesInvalides sinon.

    Une seconde réunion de la même instance au même début est refusée, sauf avec `doublon`.
    """
    choisi = choisir_territoire(session, territoire or demande.territoire)
    reunion = enregistrer_reunion(
        session,
        choisi,
        demande,
        maintenant=maintenant,
        uid=uid or nouvel_uid(),
        urgence=urgence,
        proposer=False,
        doublon=doublon,
    )
    ajoutes = proposer_points(session, reunion)
    return Planification(reunion.id, reunion.titre, len(reunion.invitations), tuple(ajoutes))


def verifier_convocation(
    session: Session, reunion_id: int, reglages: Reglages, *, maintenant: datetime, urgence: bool = False
) -> None:
    """Les contrôles d'une convocation, faits avant de lancer le flux qui la prépare ; `urgence` autorise un
    délai plus court que celui de l'instance (1 jour franc au moins) et la réunion le garde."""
    lire_coordinateur(reglages)
    reunion = exiger_reunion(session, reunion_id)
    if urgence:
        reunion.urgence = True
    verifier_convocable(reunion, maintenant, commencee=convocation_commencee(session, reunion))


def convoquer_reunion(moteur: Engine, reunion_id: int, parametres: Parametres) -> Lot:
    """Prépare et enregistre la convocation de chaque invité (documents, invitation, courriel). Rien n'est
    envoyé ici : la réunion ne devient convoquée qu'une fois ses courriels partis (`envoyer_courriels`)."""
    return preparer_diffusion(moteur, reunion_id, "convocation", parametres)


def preparer_diffusion(
    moteur: Engine, reunion_id: int, nature: Nature, parametres: Parametres, *, changements: tuple[str, ...] = ()
) -> Lot:
    """Prépare et enregistre la convocation, la modification ou l'annulation, une seule fois par invité.

    Une convocation est refusée pour une réunion annulée, passée ou trop proche, quel que soit son lanceur ;
    elle met d'abord à jour les invitations des membres de l'instance. Les fichiers sont écrits hors de
    toute transaction ; si la réunion a été annulée ou modifiée entre-temps, rien n'est enregistré et les
    fichiers écrits sont supprimés.
    """
    actualisation = Actualisation()
    if nature == "convocation":
        with ouvrir_session(moteur, ecriture=True) as session:
            reunion = exiger_reunion(session, reunion_id)
            verifier_convocable(reunion, parametres.maintenant, commencee=convocation_commencee(session, reunion))
            actualisation = actualiser_invitations(session, reunion)
    with ouvrir_session(moteur) as session:
        lecture = lire_envoi(
            session, _reunion_a_lire(session, reunion_id), nature, parametres.reglages, changements=changements
        )
    production = Production()
    with _sans_orphelins(moteur, production, parametres.reglages.dossier):
        produire_envoi(lecture, parametres, production)
    lot = _enregistrer(moteur, lecture, production, parametres)
    lot.invitations = actualisation
    return lot


def rediger_documents(moteur: Engine, reunion_id: int, parametres: Parametres) -> list[Path]:
    """Réécrit l'ordre du jour et les courriers de la révision en cours, sans rien envoyer (changement mineur)."""
    with ouvrir_session(moteur) as session:
        lecture = lire_envoi(
            session, _reunion_a_lire(session, reunion_id), "convocation", parametres.reglages, rediger=True
        )
    production = Production()
    with _sans_orphelins(moteur, production, parametres.reglages.dossier):
        produire_documents(lecture, parametres, production)
    _enregistrer(moteur, lecture, production, parametres)
    return [document.chemin for document in production.documents]


def _reunion_a_lire(session: Session, reunion_id: int) -> Reunion:
    """La réunion et tout ce que sa vue lit, en quelques requêtes."""
    reunion = session.get(Reunion, reunion_id, options=CHARGEMENT_VUE)
    if reunion is None:
        raise Introuvable(f"Aucune réunion n°{reunion_id}. `ctg reunions` les liste.")
    return reunion


def _enregistrer(moteur: Engine, lecture: Lecture, production: Production, parametres: Parametres) -> Lot:
    """L'écriture courte : revérifie la réunion, consigne documents et messages (la réunion deviendra convoquée
    quand ils seront partis)."""
    try:
        with ouvrir_session(moteur, ecriture=True) as session:
            reunion = exiger_reunion(session, lecture.vue.id)
            verifier_inchangee(reunion, lecture)
            lot = enregistrer_envoi(
                session, lecture, production, parametres.maintenant, donnees=parametres.reglages.dossier
            )
        return lot
    except IntegrityError:
        # Une préparation concurrente a créé les mêmes messages entre-temps (clé unique) : ce sont les siens
        # qui partiront ; les nôtres ne sont pas enregistrés.
        _effacer_orphelins(moteur, production, parametres.reglages.dossier)
        with ouvrir_session(moteur) as session:
            relue = lire_envoi(session, _reunion_a_lire(session, lecture.vue.id), lecture.nature, parametres.reglages)
        return Lot(
            reunion_id=lecture.vue.id, messages=list(relue.deja_prepares), deja_prepares=len(relue.deja_prepares)
        )
    except BaseException:
        _effacer_orphelins(moteur, production, parametres.reglages.dossier)
        raise


@contextmanager
def _sans_orphelins(moteur: Engine, production: Production, donnees: Path) -> Iterator[None]:
    """En cas d'échec (LibreOffice, disque plein…), les fichiers déjà écrits et que rien ne désigne sont effacés."""
    try:
        yield
    except BaseException:
        _effacer_orphelins(moteur, production, donnees)
        raise


def _effacer_orphelins(moteur: Engine, production: Production, donnees: Path) -> None:
    """Supprime les fichiers écrits que ni un document ni un message enregistré ne désigne."""
    enregistres = {chemin: chemin_enregistre(donnees, chemin) for chemin in production.fichiers}
    if not enregistres:
        return
    chemins = list(enregistres.values())
    with ouvrir_session(moteur) as session:
        designes = set(session.scalars(select(Document.chemin).where(Document.chemin.in_(chemins))))
        designes |= set(session.scalars(select(Message.chemin).where(Message.chemin.in_(chemins))))
    for chemin, enregistre in enregistres.items():
        if enregistre not in designes:
            chemin.unlink(missing_ok=True)


Suite = Literal["rien", "a_convoquer", "diffuser", "rediger"]


@dataclass(frozen=True)
class ReunionModifiee:
    reunion_id: int
    #: Ce qui a changé, en phrases.
    changements: tuple[str, ...]
    #: Ce qu'il reste à faire : rien ; rien avant la convocation ; prévenir les invités ; réécrire les documents.
    suite: Suite


def modifier_reunion(
    session: Session,
    reunion_id: int,
    *,
    reglages: Reglages,
    maintenant: datetime,
    demande: DemandeReunion | None = None,
    renvoyer: bool = False,
    debut: str | None = None,
    fin: str | None = None,
    duree: str | None = None,
    lieu: str | None = None,
    visio: str | None = None,
    titre: str | None = None,
    urgence: bool = False,
) -> ReunionModifiee:
    """Change la réunion (les options l'emportent sur la `demande` relue d'un fichier) et dit qui prévenir.

    Un changement de date, d'heure, de lieu ou de visio d'une réunion convoquée part aux invités ; un
    changement mineur (titre, ordre du jour) ne fait que réécrire les documents, sauf avec `renvoyer`,
    qui relève alors le SEQUENCE pour que les agendas reprennent la révision.
    """
    reunion = exiger_reunion(session, reunion_id)
    champs = {"debut": debut, "fin": fin, "duree": duree, "lieu": lieu, "visio": visio, "titre": titre}
    if demande is not None:
        _verifier_meme_instance(demande, reunion)
        repris = {"debut": demande.debut, "fin": demande.fin, "duree": demande.duree, "lieu": demande.lieu}
        repris |= {"visio": demande.visio, "titre": demande.titre}
        champs = {cle: valeur or repris[cle] for cle, valeur in champs.items()}
    modification = appliquer_modification(reunion, maintenant=maintenant, urgence=urgence, **champs)
    changements = modification.changements
    if demande is not None:
        changements += remplacer_ordre_du_jour(session, reunion, demande.points)
    if not changements:
        return ReunionModifiee(reunion.id, (), "rien")
    if reunion.statut is not StatutReunion.CONVOQUEE and not a_ete_diffusee(session, reunion):
        return ReunionModifiee(reunion.id, changements, "a_convoquer")
    if not (modification.materielle or renvoyer):
        return ReunionModifiee(reunion.id, changements, "rediger")
    lire_coordinateur(reglages)  # avant l'enregistrement : une modification qu'on ne peut envoyer n'est pas gardée
    if not modification.materielle:
        reunion.sequence += 1
    return ReunionModifiee(reunion.id, changements, "diffuser")


def _verifier_meme_instance(demande: DemandeReunion, reunion: Reunion) -> None:
    if demande.instance.upper() != reunion.instance.code.upper():
        raise DonneesInvalides(
            f"Le fichier décrit une réunion de l'instance {demande.instance}, mais la réunion n°{reunion.id} "
            f"est du {reunion.instance.code} : planifiez plutôt une nouvelle réunion."
        )


@dataclass(frozen=True)
class Annulation:
    reunion_id: int
    #: Vrai si la réunion avait été convoquée : les invités doivent recevoir l'annulation.
    a_prevenir: bool


def annuler_reunion(session: Session, reunion_id: int, motif: str, *, reglages: Reglages) -> Annulation:
    """Annule la réunion (SEQUENCE relevé) ; dit s'il faut prévenir les invités déjà convoqués."""
    reunion = exiger_reunion(session, reunion_id)
    # Une convocation encore en cours a peut-être déjà atteint des invités : eux aussi doivent être prévenus.
    a_prevenir = reunion.statut is StatutReunion.CONVOQUEE or a_ete_diffusee(session, reunion)
    if a_prevenir:
        lire_coordinateur(reglages)
    marquer_annulee(reunion, motif)
    return Annulation(reunion.id, a_prevenir)
