"""Le calendrier d'abonnement (METHOD:PUBLISH) des réunions d'un territoire, ou d'une personne."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides
from gouvernance.reglages import Reglages
from gouvernance.reunions.invitation_ics import construire_flux
from gouvernance.reunions.lecture import CHARGEMENT_VUE, construire_vue
from gouvernance.saisie import adresse_electronique
from modeles import Instance, Invitation, Personne, Reunion, Territoire


def construire_calendrier(
    session: Session, territoire: Territoire, reglages: Reglages, *, personne: str | None, horodatage: datetime
) -> bytes:
    """Toutes les réunions du territoire, ou celles où `personne` (son e-mail) est invitée."""
    requete = select(Reunion).join(Instance).where(Instance.territoire_id == territoire.id).options(*CHARGEMENT_VUE)
    nom = f"CTG {territoire.nom}"
    if personne:
        try:
            email = adresse_electronique(personne)
        except ValueError as erreur:
            raise DonneesInvalides(f"--personne : {erreur}.") from erreur
        requete = requete.where(Reunion.invitations.any(Invitation.personne.has(Personne.email == email)))
        nom = f"CTG {territoire.nom} — {email}"
    reunions = session.scalars(requete.order_by(Reunion.debut))
    return construire_flux([construire_vue(r, reglages) for r in reunions], horodatage=horodatage, nom=nom)
