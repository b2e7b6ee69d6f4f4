"""Les comptes de l'application web : créer, lister, désactiver, se connecter ; le journal des actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gouvernance.comptes import (
    UtilisateurConnecte,
    decrire_connecte,
    exiger_mot_de_passe,
    exiger_utilisateur,
    hacher,
    lire_email,
    lire_role,
    trouver_utilisateur,
    verifier,
)
from gouvernance.erreurs import DonneesInvalides
from gouvernance.membres import exiger_instance
from gouvernance.territoires import choisir_territoire
from modeles import ActionJournal, EntreeJournal, RoleUtilisateur, Territoire, Utilisateur
from modeles.moteur import ouvrir_session

#: Le message d'un échec de connexion : il ne dit pas si l'adresse existe.
IDENTIFIANTS_REFUSES = "Adresse électronique ou mot de passe incorrect. Vérifiez-les puis réessayez."


class IdentifiantsRefuses(DonneesInvalides):
    """Adresse inconnue, compte désactivé ou mot de passe faux : la page ne dit pas lequel."""


@dataclass(frozen=True)
class LigneUtilisateur:
    email: str
    nom: str
    role: RoleUtilisateur
    actif: bool
    territoires: tuple[str, ...]
    instances: tuple[str, ...]


def ajouter_utilisateur(
    moteur: Engine,
    email: str,
    mot_de_passe: str,
    role: str,
    *,
    nom: str = "",
    territoires: Sequence[str] = (),
    instances: Sequence[str] = (),
    maintenant: datetime,
) -> LigneUtilisateur:
    """Crée un compte ; sans territoire désigné, il voit tous ceux de la base. Le hachage (lent) précède l'écriture."""
    adresse, role_lu = lire_email(email), lire_role(role)
    if instances and role_lu is not RoleUtilisateur.SECRETAIRE:
        raise DonneesInvalides("Seul un compte secrétaire reçoit des instances (--instance) : retirez-les.")
    empreinte = hacher(exiger_mot_de_passe(mot_de_passe))
    with ouvrir_session(moteur, ecriture=True) as session:
        if trouver_utilisateur(session, adresse) is not None:
            raise DonneesInvalides(f"Un compte « {adresse} » existe déjà : choisissez une autre adresse.")
        vus = [choisir_territoire(session, code) for code in territoires] or list(
            session.scalars(select(Territoire).order_by(Territoire.code))
        )
        confiees = [exiger_instance(session, territoire, code) for code in instances for territoire in vus[:1]]
        utilisateur = Utilisateur(
            email=adresse, nom=nom.strip(), mot_de_passe=empreinte, role=role_lu, cree_le=maintenant
        )
        utilisateur.territoires = vus
        utilisateur.instances = confiees
        session.add(utilisateur)
        session.flush()
        return _ligne(utilisateur)


def changer_mot_de_passe(moteur: Engine, email: str, mot_de_passe: str) -> LigneUtilisateur:
    """Remplace le mot de passe du compte (et le réactive) ; le hachage (lent) précède l'écriture."""
    empreinte = hacher(exiger_mot_de_passe(mot_de_passe))
    with ouvrir_session(moteur, ecriture=True) as session:
        utilisateur = exiger_utilisateur(session, email)
        utilisateur.mot_de_passe = empreinte
        utilisateur.actif = True
        return _ligne(utilisateur)


def lister_utilisateurs(session: Session) -> list[LigneUtilisateur]:
    """Les comptes, par adresse."""
    return [_ligne(u) for u in session.scalars(select(Utilisateur).order_by(Utilisateur.email))]


def desactiver_utilisateur(session: Session, email: str) -> LigneUtilisateur:
    """Le compte ne se connecte plus ; ses sessions ouvertes sont refusées à la requête suivante."""
    utilisateur = exiger_utilisateur(session, email)
    utilisateur.actif = False
    return _ligne(utilisateur)


def authentifier(moteur: Engine, email: str, mot_de_passe: str, *, maintenant: datetime) -> UtilisateurConnecte:
    """L'utilisateur dont c'est le mot de passe ; IdentifiantsRefuses sinon. La vérification (lente) se fait hors
    de toute transaction ; la connexion réussie est ensuite consignée au journal."""
    with ouvrir_session(moteur) as session:
        utilisateur = trouver_utilisateur(session, email) if email.strip() else None
        connecte = decrire_connecte(utilisateur) if utilisateur is not None and utilisateur.actif else None
        empreinte = utilisateur.mot_de_passe if connecte is not None and utilisateur is not None else None
    if not verifier(mot_de_passe, empreinte) or connecte is None:
        raise IdentifiantsRefuses(IDENTIFIANTS_REFUSES)
    with ouvrir_session(moteur, ecriture=True) as session:
        journaliser(session, connecte, ActionJournal.CONNEXION, le=maintenant)
    return connecte


def charger_connecte(session: Session, utilisateur_id: int) -> UtilisateurConnecte | None:
    """L'utilisateur d'une session ouverte, s'il existe encore et n'a pas été désactivé."""
    utilisateur = session.get(Utilisateur, utilisateur_id)
    return decrire_connecte(utilisateur) if utilisateur is not None and utilisateur.actif else None


def journaliser(
    session: Session,
    auteur: UtilisateurConnecte,
    action: ActionJournal,
    *,
    le: datetime,
    reunion_id: int | None = None,
    details: str | None = None,
) -> None:
    """Consigne au journal des actions ce que vient de faire `auteur` (dans la transaction de l'action)."""
    session.add(
        EntreeJournal(
            utilisateur_id=auteur.id, auteur=auteur.email, le=le, action=action, reunion_id=reunion_id, details=details
        )
    )


@dataclass(frozen=True)
class LigneJournal:
    le: datetime
    auteur: str
    action: ActionJournal
    details: str | None


def lire_journal(session: Session, *, reunion_id: int) -> list[LigneJournal]:
    """Ce qui a été fait sur la réunion, par qui et quand, le plus ancien d'abord (la page de la réunion)."""
    requete = (
        select(EntreeJournal).where(EntreeJournal.reunion_id == reunion_id).order_by(EntreeJournal.le, EntreeJournal.id)
    )
    return [
        LigneJournal(le=entree.le, auteur=entree.auteur, action=entree.action, details=entree.details)
        for entree in session.scalars(requete)
    ]


def _ligne(utilisateur: Utilisateur) -> LigneUtilisateur:
    return LigneUtilisateur(
        email=utilisateur.email,
        nom=utilisateur.nom,
        role=utilisateur.role,
        actif=utilisateur.actif,
        territoires=tuple(t.code for t in utilisateur.territoires),
        instances=tuple(i.code for i in utilisateur.instances),
    )
