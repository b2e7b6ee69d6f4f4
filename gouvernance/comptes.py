"""Les comptes de l'application web : empreinte des mots de passe, règles d'un compte, ce qu'en voit une page.

Les mots de passe sont hachés par argon2id (pwdlib, paramètres recommandés par l'OWASP) ; seule l'empreinte
est enregistrée.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pwdlib import PasswordHash
from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.saisie import adresse_electronique
from modeles import RoleUtilisateur, Utilisateur

#: Un mot de passe plus court se devine trop vite (recommandation de l'ANSSI pour un compte ordinaire).
LONGUEUR_MINIMALE = 12
#: Au-delà, le hachage coûte pour rien (et un formulaire hostile pourrait en abuser).
LONGUEUR_MAXIMALE = 200


@cache
def _hacheur() -> PasswordHash:
    return PasswordHash.recommended()


def hacher(mot_de_passe: str) -> str:
    """L'empreinte argon2id de `mot_de_passe` (un sel neuf à chaque appel)."""
    return _hacheur().hash(mot_de_passe)


def verifier(mot_de_passe: str, empreinte: str | None) -> bool:
    """Vrai si `mot_de_passe` est celui de `empreinte` ; sans empreinte, le même temps de calcul, et faux."""
    if empreinte is None:
        _hacheur().verify(mot_de_passe, _empreinte_factice())
        return False
    return _hacheur().verify(mot_de_passe[:LONGUEUR_MAXIMALE], empreinte)


@cache
def _empreinte_factice() -> str:
    # Un compte inconnu coûte le même calcul qu'un compte connu : le temps de réponse ne trahit pas les adresses.
    return hacher("compte inconnu : aucune connexion possible")


def exiger_mot_de_passe(mot_de_passe: str) -> str:
    """Le mot de passe s'il est assez long ; sinon DonneesInvalides qui dit la longueur attendue."""
    if len(mot_de_passe) < LONGUEUR_MINIMALE:
        raise DonneesInvalides(
            f"Le mot de passe est trop court ({len(mot_de_passe)} caractères) : il en faut au moins "
            f"{LONGUEUR_MINIMALE}. Une phrase de quelques mots se retient mieux et se devine moins."
        )
    if len(mot_de_passe) > LONGUEUR_MAXIMALE:
        raise DonneesInvalides(f"Le mot de passe est trop long : {LONGUEUR_MAXIMALE} caractères au plus.")
    return mot_de_passe


def lire_email(texte: str) -> str:
    """L'adresse normalisée d'un compte, ou DonneesInvalides."""
    try:
        return adresse_electronique(texte)
    except ValueError as erreur:
        raise DonneesInvalides(f"Compte refusé : {erreur}.") from None


def lire_role(texte: str) -> RoleUtilisateur:
    """Le rôle saisi (coordinateur, secretaire ou lecture), ou DonneesInvalides qui liste les rôles."""
    try:
        return RoleUtilisateur.lire(texte)
    except ValueError as erreur:
        raise DonneesInvalides(f"Compte refusé : {erreur}.") from None


def trouver_utilisateur(session: Session, email: str) -> Utilisateur | None:
    return session.scalar(select(Utilisateur).where(Utilisateur.email == email.strip().lower()))


def exiger_utilisateur(session: Session, email: str) -> Utilisateur:
    utilisateur = trouver_utilisateur(session, email)
    if utilisateur is None:
        raise Introuvable(f"Aucun compte « {email} ». Voyez les comptes avec `ctg utilisateurs`.")
    return utilisateur


@dataclass(frozen=True)
class UtilisateurConnecte:
    """Ce qu'une page sait de l'utilisateur : qui il est, son rôle, ce qu'il voit."""

    id: int
    email: str
    nom: str
    role: RoleUtilisateur
    #: Les territoires qu'il voit, par identifiant.
    territoires: tuple[int, ...]
    #: Les mêmes, par code (ce que prennent les cas d'usage).
    codes_territoires: tuple[str, ...]
    #: Pour un secrétaire : les instances dont il tient les comptes rendus.
    instances: tuple[int, ...]

    @property
    def affichage(self) -> str:
        return self.nom or self.email

    @property
    def est_coordinateur(self) -> bool:
        return self.role is RoleUtilisateur.COORDINATEUR

    def peut(self, requis: RoleUtilisateur) -> bool:
        """Vrai si son rôle est au moins `requis` (le coordinateur peut tout ce que peut le secrétaire…)."""
        return self.role.rang >= requis.rang


def decrire_connecte(utilisateur: Utilisateur) -> UtilisateurConnecte:
    return UtilisateurConnecte(
        id=utilisateur.id,
        email=utilisateur.email,
        nom=utilisateur.nom,
        role=utilisateur.role,
        territoires=tuple(territoire.id for territoire in utilisateur.territoires),
        codes_territoires=tuple(territoire.code for territoire in utilisateur.territoires),
        instances=tuple(instance.id for instance in utilisateur.instances),
    )
