"""Le compte rendu d'une réunion : émargement, projet, import du fichier du secrétaire, validation, diffusion.

Chaque fonction lit la base dans une session courte, écrit les fichiers (Word, PDF avec LibreOffice) hors de
toute transaction, puis note le nouvel état dans une transaction courte qui revérifie les règles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from gouvernance.comptes_rendus import depot
from gouvernance.comptes_rendus.document import construire_compte_rendu
from gouvernance.comptes_rendus.document_officiel import construire_compte_rendu_officiel
from gouvernance.comptes_rendus.emargement import construire_emargement
from gouvernance.comptes_rendus.importation import BilanCompteRendu, appliquer_compte_rendu
from gouvernance.comptes_rendus.lecture_docx import lire_compte_rendu
from gouvernance.comptes_rendus.production import (
    archiver_import,
    consigner_pieces,
    ecrire_avec_pdf,
    lire_emargement,
    lire_projet,
    noter_projet,
    preparer_diffusion,
)
from gouvernance.comptes_rendus.validation import lire_validation, noter_validation
from gouvernance.comptes_rendus.vue import CompteRenduLu
from gouvernance.erreurs import DonneesInvalides
from gouvernance.fichiers import ecrire_atomiquement
from gouvernance.reglages import Reglages
from gouvernance.reunions.description import exiger_reunion
from gouvernance.reunions.envoi_reunion import Parametres
from modeles.moteur import ouvrir_session


def produire_emargement(moteur: Engine, reunion_id: int, parametres: Parametres) -> list[Path]:
    """La feuille d'émargement (.docx, et .pdf avec LibreOffice), consignée avec la réunion."""
    with ouvrir_session(moteur) as session:
        redaction = lire_emargement(session, exiger_reunion(session, reunion_id), parametres)
    contenu = construire_emargement(redaction.vue, modeles=parametres.modeles)
    pieces = ecrire_avec_pdf(redaction.piece, contenu, parametres)
    with ouvrir_session(moteur, ecriture=True) as session:
        exiger_reunion(session, reunion_id)
        return consigner_pieces(
            session, reunion_id, pieces, maintenant=parametres.maintenant, dossier=parametres.reglages.dossier
        )


def generer_compte_rendu(moteur: Engine, reunion_id: int, parametres: Parametres) -> Path:
    """Le projet de compte rendu en Word, pré-rempli, que le secrétaire complète ; une version de plus."""
    with ouvrir_session(moteur) as session:
        redaction = lire_projet(session, exiger_reunion(session, reunion_id), parametres)
    piece = redaction.piece
    ecrire_atomiquement(piece.chemin, construire_compte_rendu(redaction.vue, modeles=parametres.modeles))
    with ouvrir_session(moteur, ecriture=True) as session:
        noter_projet(
            session,
            exiger_reunion(session, reunion_id),
            piece.version,
            maintenant=parametres.maintenant,
        )
        (chemin,) = consigner_pieces(
            session, reunion_id, [piece], maintenant=parametres.maintenant, dossier=parametres.reglages.dossier
        )
    return chemin


def importer_compte_rendu(
    moteur: Engine,
    reunion_id: int,
    fichier: Path,
    *,
    reglages: Reglages,
    maintenant: datetime,
    simulation: bool = False,
) -> BilanCompteRendu:
    """Relit le compte rendu complété par le secrétaire et enregistre présences, décisions et actions.

    Le document est lu hors transaction ; l'enregistrement, tout ou rien, garde aussi le fichier importé
    (sa trace). En `simulation`, le bilan est le même et rien n'est enregistré.
    """
    try:
        contenu = fichier.read_bytes()
    except OSError:
        raise DonneesInvalides(f"Le fichier {fichier} ne peut pas être lu (vérifiez son chemin).") from None
    return importer_contenu(
        moteur, reunion_id, contenu, fichier.name, reglages=reglages, maintenant=maintenant, simulation=simulation
    )


def importer_contenu(
    moteur: Engine,
    reunion_id: int,
    contenu: bytes,
    nom_fichier: str,
    *,
    reglages: Reglages,
    maintenant: datetime,
    simulation: bool = False,
) -> BilanCompteRendu:
    """`importer_compte_rendu` d'un fichier reçu (téléversé) plutôt que lu sur le disque."""
    lu = lire_compte_rendu(contenu, nom_fichier=nom_fichier)
    return _appliquer(moteur, reunion_id, lu, contenu, reglages=reglages, maintenant=maintenant, simulation=simulation)


def _appliquer(
    moteur: Engine,
    reunion_id: int,
    lu: CompteRenduLu,
    contenu: bytes,
    *,
    reglages: Reglages,
    maintenant: datetime,
    simulation: bool,
) -> BilanCompteRendu:
    with ouvrir_session(moteur, ecriture=True) as session:
        reunion = exiger_reunion(session, reunion_id)
        bilan = appliquer_compte_rendu(session, reunion, lu, maintenant=maintenant)
        if simulation:
            session.rollback()
        else:
            archiver_import(session, reunion, contenu, lu.version or 1, reglages=reglages, maintenant=maintenant)
    return bilan


@dataclass(frozen=True)
class ApercuCompteRendu:
    """Ce que le fichier du secrétaire dit, et ce que son import changerait, avant de l'enregistrer."""

    #: Lu dans le document ; None s'il n'a pas pu être lu.
    lu: CompteRenduLu | None
    #: Le bilan de l'import simulé ; None si le document est refusé.
    bilan: BilanCompteRendu | None
    #: Les raisons du refus, chacune avec sa place dans le document (tableau, ligne) ; vide s'il est acceptable.
    erreurs: tuple[str, ...]

    @property
    def acceptable(self) -> bool:
        return not self.erreurs


def apercevoir_compte_rendu(
    moteur: Engine, reunion_id: int, contenu: bytes, nom_fichier: str, *, reglages: Reglages, maintenant: datetime
) -> ApercuCompteRendu:
    """Relit le fichier et simule son import : présences, décisions, actions, ou les erreurs ; rien n'est gardé."""
    try:
        lu = lire_compte_rendu(contenu, nom_fichier=nom_fichier)
    except DonneesInvalides as erreur:
        return ApercuCompteRendu(None, None, (erreur.message, *erreur.details))
    try:
        bilan = _appliquer(moteur, reunion_id, lu, contenu, reglages=reglages, maintenant=maintenant, simulation=True)
    except DonneesInvalides as erreur:
        return ApercuCompteRendu(lu, None, (erreur.message, *erreur.details))
    return ApercuCompteRendu(lu, bilan, ())


def valider_compte_rendu(moteur: Engine, reunion_id: int, parametres: Parametres) -> list[Path]:
    """Écrit la version officielle du compte rendu importé (Word et PDF), puis le fige : il ne change plus.

    Refusé tant que la réunion n'a pas eu lieu, que le secrétaire de séance n'est pas nommé ou qu'une présence
    n'est pas renseignée ; le fichier du secrétaire reste la source, la version officielle est ce qu'on diffuse.
    """
    with ouvrir_session(moteur) as session:
        validation = lire_validation(session, exiger_reunion(session, reunion_id), parametres)
    redaction = validation.redaction
    contenu = construire_compte_rendu_officiel(redaction.vue, modeles=parametres.modeles)
    pieces = ecrire_avec_pdf(redaction.piece, contenu, parametres)
    with ouvrir_session(moteur, ecriture=True) as session:
        noter_validation(
            session,
            exiger_reunion(session, reunion_id),
            maintenant=parametres.maintenant,
            importe_le=validation.importe_le,
        )
        return consigner_pieces(
            session, reunion_id, pieces, maintenant=parametres.maintenant, dossier=parametres.reglages.dossier
        )


def diffuser_compte_rendu(moteur: Engine, reunion_id: int, parametres: Parametres) -> list[int]:
    """Prépare un courriel par invité avec le compte rendu validé (jamais deux pour la même version) ;
    renvoie les messages à envoyer, que l'appelant confie à l'envoi avec nouvels essais."""
    with ouvrir_session(moteur, ecriture=True) as session:
        return preparer_diffusion(session, exiger_reunion(session, reunion_id), parametres)


@dataclass(frozen=True)
class Depot:
    """Le compte rendu téléversé, gardé sous `jeton` jusqu'à sa confirmation, et ce qu'on y a lu."""

    jeton: str
    nom_fichier: str
    apercu: ApercuCompteRendu


def deposer_compte_rendu(
    moteur: Engine, reunion_id: int, contenu: bytes, nom_fichier: str, *, reglages: Reglages, maintenant: datetime
) -> Depot:
    """Vérifie le fichier téléversé (type, taille, puis tout ce que vérifie `ctg compte-rendu importer`), le garde
    s'il est acceptable et rend l'aperçu de son import ; rien n'est enregistré en base."""
    depot.verifier_televersement(contenu, nom_fichier)
    apercu = apercevoir_compte_rendu(moteur, reunion_id, contenu, nom_fichier, reglages=reglages, maintenant=maintenant)
    jeton = depot.deposer(reglages.dossier, reunion_id, contenu) if apercu.acceptable else ""
    return Depot(jeton, nom_fichier, apercu)


def confirmer_compte_rendu(
    moteur: Engine, reunion_id: int, jeton: str, nom_fichier: str, *, reglages: Reglages, maintenant: datetime
) -> BilanCompteRendu:
    """Importe le compte rendu déposé (les règles sont revérifiées) puis efface le dépôt."""
    contenu = depot.reprendre(reglages.dossier, reunion_id, jeton)
    bilan = importer_contenu(moteur, reunion_id, contenu, nom_fichier, reglages=reglages, maintenant=maintenant)
    depot.retirer(reglages.dossier, reunion_id, jeton)
    return bilan
