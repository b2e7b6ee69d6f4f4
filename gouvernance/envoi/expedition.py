"""Envoyer les messages de la boîte d'envoi, chacun une seule fois : l'état est écrit avant et après chaque envoi.

Chaque écriture en base est une transaction courte, jamais ouverte pendant un dialogue avec le serveur SMTP
(sur SQLite, elle bloquerait tous les autres processus). Un message trouvé « en cours » au début d'un envoi
a été interrompu par une panne : le serveur l'a peut-être accepté, il devient « incertain » et n'est pas renvoyé.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import CursorResult, Engine, select, update

from gouvernance.envoi.bilan import BilanEnvoi
from gouvernance.envoi.boite import deposer_dans_la_boite
from gouvernance.envoi.causes import expliquer_connexion
from gouvernance.envoi.en_tetes import adresse_verifiee
from gouvernance.envoi.reglages_smtp import ReglagesSmtp
from gouvernance.envoi.smtp import ERREURS_CONNEXION, ConnexionSmtp, Resultat
from gouvernance.envoi.suivi import cause_la_plus_recente, noter_erreur, valeurs_d_erreur
from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.fichiers import chemin_reel
from modeles import EtatMessage, Message
from modeles.moteur import ouvrir_session

#: Les états d'un message qu'un envoi tente (ou retente).
A_ENVOYER = (EtatMessage.A_ENVOYER, EtatMessage.ECHEC_TEMPORAIRE)
#: Ce que devient l'envoi après un message : on continue, on s'arrête après lui, ou avant lui (pas tenté).
Suite = Literal["continuer", "arreter_apres", "arreter_avant"]


@dataclass(frozen=True)
class _Envoi:
    id: int
    destinataire: str
    chemin: Path


def envoyer_messages(
    moteur: Engine,
    identifiants: Sequence[int],
    *,
    smtp: ReglagesSmtp | None,
    boite: Path,
    maintenant: Callable[[], datetime],
    dossier: Path | None = None,
) -> BilanEnvoi:
    """Envoie par SMTP (ou dépose dans `boite` sans SMTP) les messages à envoyer ; ne renvoie jamais un envoyé.

    Un chemin de message enregistré relatif l'est au dossier des données `dossier` (CTG_HOME).
    """
    bilan = BilanEnvoi()
    envois = _reprendre(moteur, identifiants, bilan, dossier)
    if smtp is None:
        for envoi in envois:
            _deposer(moteur, envoi, boite, maintenant, bilan)
        return bilan
    connexion = ConnexionSmtp(smtp)
    try:
        for rang, envoi in enumerate(envois):
            suite = _envoyer(moteur, connexion, envoi, maintenant, bilan)
            if suite != "continuer":
                pas_tentes = envois[rang + 1 if suite == "arreter_apres" else rang :]
                bilan.restants += len(pas_tentes)
                noter_erreur(moteur, [e.id for e in pas_tentes], bilan.incident or "envoi interrompu", maintenant())
                break
    finally:
        connexion.fermer()
    return bilan


def bilan_des_messages(moteur: Engine, identifiants: Sequence[int]) -> BilanEnvoi:
    """L'état enregistré de chaque message, sans rien envoyer : « à envoyer » compte comme pas encore tenté.

    Le bilan garde la cause qui retient encore des messages (serveur injoignable…) : la dernière rencontrée.
    """
    bilan = BilanEnvoi()
    with ouvrir_session(moteur) as session:
        messages = list(session.scalars(select(Message).where(Message.id.in_(set(identifiants))).order_by(Message.id)))
    for message in messages:
        if message.etat == EtatMessage.A_ENVOYER:
            bilan.restants += 1
        else:
            bilan.noter(message.etat, message.destinataire, message.reponse_serveur, numero=message.id)
    en_attente = [message for message in messages if message.etat in A_ENVOYER]
    if (derniere := cause_la_plus_recente(en_attente)) is not None:
        bilan.incident = derniere[0]
    return bilan


def _reprendre(moteur: Engine, identifiants: Sequence[int], bilan: BilanEnvoi, dossier: Path | None) -> list[_Envoi]:
    """Les messages à tenter, dans l'ordre demandé ; ceux restés « en cours » deviennent « incertains »."""
    demandes = list(dict.fromkeys(identifiants))
    with ouvrir_session(moteur, ecriture=True) as session:
        lignes = {
            ligne.id: ligne
            for ligne in session.execute(
                select(Message.id, Message.etat, Message.destinataire, Message.chemin).where(Message.id.in_(demandes))
            )
        }
        manquants = [str(identifiant) for identifiant in demandes if identifiant not in lignes]
        if manquants:
            raise Introuvable(f"Introuvable dans la boîte d'envoi : message n° {', '.join(manquants)}.")
        interrompus = [ligne.id for ligne in lignes.values() if ligne.etat == EtatMessage.EN_COURS]
        if interrompus:
            session.execute(
                update(Message)
                .where(Message.id.in_(interrompus), Message.etat == EtatMessage.EN_COURS)
                .values(etat=EtatMessage.INCERTAIN)
                .execution_options(synchronize_session=False)
            )
    envois = []
    for identifiant in demandes:
        ligne = lignes[identifiant]
        if ligne.etat in (EtatMessage.EN_COURS, EtatMessage.INCERTAIN):
            # Toujours compté : un incertain d'un essai précédent (même dans cette commande) attend qu'on le tranche.
            bilan.noter(EtatMessage.INCERTAIN, ligne.destinataire, numero=ligne.id)
        elif ligne.etat in A_ENVOYER:
            envois.append(_Envoi(ligne.id, ligne.destinataire, chemin_reel(dossier, ligne.chemin)))
        else:
            bilan.deja_traites += 1
    return envois


def _envoyer(
    moteur: Engine, connexion: ConnexionSmtp, envoi: _Envoi, maintenant: Callable[[], datetime], bilan: BilanEnvoi
) -> Suite:
    """Envoie un message ; dit si l'envoi s'arrête là (connexion perdue, ou impossible : le message attend)."""
    try:
        # L'enveloppe vient de la colonne `destinataire`, jamais des en-têtes : vérifiée, domaine en ASCII.
        destinataire = adresse_verifiee(envoi.destinataire)
        contenu = envoi.chemin.read_bytes()
    except (OSError, DonneesInvalides) as erreur:
        explication = f"message impossible à envoyer : {erreur}"
        _enregistrer(moteur, envoi, Resultat(EtatMessage.ECHEC, explication, cause=explication), maintenant, bilan)
        return "continuer"
    if not connexion.est_ouverte:
        try:
            connexion.ouvrir()
        except ERREURS_CONNEXION as erreur:
            bilan.incident = expliquer_connexion(erreur, connexion.reglages)
            return "arreter_avant"
    if not _reserver(moteur, envoi.id, maintenant()):
        bilan.deja_traites += 1
        return "continuer"
    resultat = connexion.transmettre(destinataire, contenu)
    _enregistrer(moteur, envoi, resultat, maintenant, bilan)
    if resultat.arreter:
        bilan.incident = resultat.cause or resultat.reponse
        return "arreter_apres"
    return "continuer"


def _deposer(moteur: Engine, envoi: _Envoi, boite: Path, maintenant: Callable[[], datetime], bilan: BilanEnvoi) -> None:
    """Sans SMTP : copie le .eml dans la boîte d'envoi ; la copie est idempotente, un nouvel essai ne double rien."""
    try:
        destination = deposer_dans_la_boite(envoi.chemin, boite)
    except FileNotFoundError as erreur:
        explication = f"message impossible à déposer : {erreur}"
        resultat = Resultat(EtatMessage.ECHEC, explication, cause=explication)
    except OSError as erreur:
        explication = f"dépôt impossible : la boîte d'envoi {boite} refuse l'écriture ({erreur})"
        resultat = Resultat(EtatMessage.ECHEC_TEMPORAIRE, explication, cause=explication)
    else:
        resultat = Resultat(EtatMessage.DEPOSE, f"déposé dans {destination}")
    _enregistrer(moteur, envoi, resultat, maintenant, bilan, etats_permis=A_ENVOYER, compter=True)


def _reserver(moteur: Engine, identifiant: int, debut: datetime) -> bool:
    """Passe le message « en cours » (depuis `debut`) et compte la tentative, avant de parler au serveur ;
    faux s'il est déjà pris."""
    with ouvrir_session(moteur, ecriture=True) as session:
        resultat = session.connection().execute(
            update(Message)
            .where(Message.id == identifiant, Message.etat.in_(A_ENVOYER))
            .values(etat=EtatMessage.EN_COURS, tentatives=Message.tentatives + 1, tente_le=debut)
        )
        return cast(CursorResult[Any], resultat).rowcount == 1


def _enregistrer(
    moteur: Engine,
    envoi: _Envoi,
    resultat: Resultat,
    maintenant: Callable[[], datetime],
    bilan: BilanEnvoi,
    *,
    etats_permis: Sequence[str] = (EtatMessage.EN_COURS, EtatMessage.INCERTAIN, *A_ENVOYER),
    compter: bool = False,
) -> None:
    """Écrit l'issue de l'envoi dans sa propre transaction ; l'heure d'acceptation est la preuve de convocation."""
    instant = maintenant()
    valeurs: dict[str, object] = {"etat": resultat.etat, "reponse_serveur": resultat.reponse}
    valeurs |= valeurs_d_erreur(resultat.cause, instant)
    if resultat.etat in (EtatMessage.ENVOYE, EtatMessage.DEPOSE):
        valeurs["accepte_le"] = instant
    if compter:
        valeurs["tentatives"] = Message.tentatives + 1
    with ouvrir_session(moteur, ecriture=True) as session:
        modifie = session.connection().execute(
            update(Message).where(Message.id == envoi.id, Message.etat.in_(etats_permis)).values(**valeurs)
        )
    if cast(CursorResult[Any], modifie).rowcount == 1:
        bilan.noter(resultat.etat, envoi.destinataire, resultat.reponse, numero=envoi.id)
    else:
        bilan.deja_traites += 1
