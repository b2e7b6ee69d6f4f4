"""Ce qui est dû un jour donné : relances de réponse, relances du compte rendu, récapitulatif de la semaine.

Chaque relance porte une clé : la boîte d'envoi n'en garde jamais deux pour la même clé, si bien qu'une
relance due plusieurs jours de suite ne part qu'une fois. La clé d'une relance de réponse contient la
révision (SEQUENCE) de la réunion : une réunion déplacée appelle une nouvelle relance, à la nouvelle date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import select, true
from sqlalchemy.orm import Session, selectinload

from gouvernance.comptes_rendus.preparation import origine
from gouvernance.francais import date_longue
from gouvernance.relances.calendrier import debut_du_jour
from gouvernance.reunions.vue import CoordinateurVue, jour_a_paris
from modeles import (
    CompteRendu,
    Instance,
    Invitation,
    Membre,
    NatureMessage,
    Personne,
    ReponseInvitation,
    Reunion,
    RoleMembre,
    StatutCompteRendu,
    StatutReunion,
    Territoire,
)

Nature = Literal["relance_reponse", "relance_compte_rendu", "recapitulatif"]

#: Les natures de message des relances, avec leur libellé.
NATURES: dict[str, str] = {
    nature: NatureMessage(nature).libelle for nature in ("relance_reponse", "relance_compte_rendu", "recapitulatif")
}
#: Les statuts d'une réunion passée qui a eu lieu (ni annulée, ni restée planifiée sans convocation).
REUNION_TENUE = (StatutReunion.CONVOQUEE, StatutReunion.TENUE)
#: Les statuts du compte rendu qui attendent encore le fichier du secrétaire.
COMPTE_RENDU_ATTENDU = (None, StatutCompteRendu.PROJET)


@dataclass(frozen=True)
class RelanceDue:
    """Un message dû : à qui, pourquoi, et la clé qui l'empêche de partir deux fois."""

    nature: Nature
    cle: str
    destinataire: str
    nom_destinataire: str
    territoire_id: int
    #: « COPIL du 9 mars 2027 », ou « semaine du 1er mars 2027 » pour le récapitulatif.
    sujet: str
    reunion_id: int | None = None
    sequence: int = 0

    @property
    def nature_libelle(self) -> str:
        return NATURES[self.nature]


def cle_relance_reponse(reunion: Reunion, email: str) -> str:
    return f"{reunion.uid}/{reunion.sequence}/relance-reponse/{email}"


def cle_relance_compte_rendu(reunion: Reunion) -> str:
    return f"{reunion.uid}/relance-compte-rendu"


def cle_recapitulatif(territoire: Territoire, jour: date) -> str:
    annee, semaine, _ = jour.isocalendar()
    return f"recapitulatif/{territoire.code}/{annee}-S{semaine:02d}"


def jours_avant(reunion: Reunion, jour: date) -> int:
    """Combien de jours du calendrier de Paris séparent `jour` de celui de la réunion (0 : le jour même)."""
    return (jour_a_paris(reunion.debut) - jour).days


def attend_une_reponse(reunion: Reunion, invitation: Invitation, jour: date) -> bool:
    """Vrai tant qu'une relance de réponse a un sens : réunion convoquée, à venir, invité sans réponse."""
    return (
        reunion.statut is StatutReunion.CONVOQUEE
        and jours_avant(reunion, jour) >= 1
        and invitation.reponse is ReponseInvitation.SANS_REPONSE
    )


def est_organisateur(email: str, coordinateur: CoordinateurVue) -> bool:
    """Le coordinateur organise les réunions : son agenda n'attend pas de réponse de lui, on ne le relance pas."""
    return email.strip().casefold() == coordinateur.email.strip().casefold()


def relances_de_reponse(
    session: Session, jour: date, coordinateur: CoordinateurVue, *, territoire_id: int | None = None
) -> list[RelanceDue]:
    """Une relance par invité sans réponse, dès que la réunion est à au plus N jours (N de son instance) ;
    celles d'un seul territoire avec `territoire_id`."""
    requete = (
        select(Reunion)
        .join(Instance)
        .where(
            Reunion.statut == StatutReunion.CONVOQUEE,
            Reunion.debut >= debut_du_jour(jour),
            Instance.relance_reponse_jours > 0,
        )
        .where(Instance.territoire_id == territoire_id if territoire_id is not None else true())
        .order_by(Reunion.debut, Reunion.id)
        # Invitations et invités en deux requêtes pour toutes les réunions, pas deux par réunion et par invité.
        .options(selectinload(Reunion.instance), selectinload(Reunion.invitations).selectinload(Invitation.personne))
    )
    dues = []
    for reunion in session.scalars(requete):
        if jours_avant(reunion, jour) > reunion.instance.relance_reponse_jours:
            continue
        # Jamais le jour même où l'invitation de cette révision est partie : l'invité l'a à peine reçue.
        if reunion.convoquee_le is not None and jour_a_paris(reunion.convoquee_le) >= jour:
            continue
        sujet = origine(reunion)  # la date en toutes lettres, une fois par réunion et non par invité
        for invitation in reunion.invitations:
            personne = invitation.personne
            if not attend_une_reponse(reunion, invitation, jour) or est_organisateur(personne.email, coordinateur):
                continue
            dues.append(
                RelanceDue(
                    nature="relance_reponse",
                    cle=cle_relance_reponse(reunion, personne.email),
                    destinataire=personne.email,
                    nom_destinataire=personne.nom_complet,
                    territoire_id=reunion.instance.territoire_id,
                    sujet=sujet,
                    reunion_id=reunion.id,
                    sequence=reunion.sequence,
                )
            )
    return dues


def attend_un_compte_rendu(reunion: Reunion, compte_rendu: CompteRendu | None) -> bool:
    """Vrai tant que le fichier du secrétaire n'a pas été importé d'une réunion convoquée ou tenue.

    Une réunion restée « planifiée » n'a jamais été convoquée par l'outil : rien ne dit qu'elle a eu lieu.
    """
    statut = compte_rendu.statut if compte_rendu is not None else None
    return reunion.statut in REUNION_TENUE and statut in COMPTE_RENDU_ATTENDU


def relances_de_compte_rendu(
    session: Session, jour: date, coordinateur: CoordinateurVue, *, territoire_id: int | None = None
) -> list[RelanceDue]:
    """Une relance par réunion passée depuis N jours (N de son instance) dont le compte rendu n'est pas importé ;
    celles d'un seul territoire avec `territoire_id`."""
    requete = (
        select(Reunion, CompteRendu)
        .join(Instance)
        .outerjoin(CompteRendu, CompteRendu.reunion_id == Reunion.id)
        .where(Reunion.statut.in_(REUNION_TENUE), Reunion.fin < debut_du_jour(jour))
        .where(Instance.relance_compte_rendu_jours > 0)
        .where(Instance.territoire_id == territoire_id if territoire_id is not None else true())
        .order_by(Reunion.debut, Reunion.id)
        .options(selectinload(Reunion.instance).selectinload(Instance.membres).selectinload(Membre.personne))
    )
    dues = []
    for reunion, compte_rendu in session.execute(requete):
        delai = reunion.instance.relance_compte_rendu_jours
        if (jour - jour_a_paris(reunion.fin)).days < delai or not attend_un_compte_rendu(reunion, compte_rendu):
            continue
        secretaire = secretaire_de(reunion.instance)
        email, nom = (
            (secretaire.email, secretaire.nom_complet) if secretaire else (coordinateur.email, coordinateur.nom)
        )
        dues.append(
            RelanceDue(
                nature="relance_compte_rendu",
                cle=cle_relance_compte_rendu(reunion),
                destinataire=email,
                nom_destinataire=nom,
                territoire_id=reunion.instance.territoire_id,
                sujet=origine(reunion),
                reunion_id=reunion.id,
                sequence=reunion.sequence,
            )
        )
    return dues


def secretaire_de(instance: Instance) -> Personne | None:
    """Le premier membre de l'instance au rôle « secretaire », s'il y en a un."""
    return next((membre.personne for membre in instance.membres if membre.role is RoleMembre.SECRETAIRE), None)


def recapitulatifs_dus(
    session: Session, jour: date, coordinateur: CoordinateurVue, *, jour_de_la_semaine: int | None
) -> list[RelanceDue]:
    """Le récapitulatif de la semaine de chaque territoire, dû à partir de son jour (rattrapé les jours suivants)."""
    if jour_de_la_semaine is None or jour.isoweekday() < jour_de_la_semaine:
        return []
    lundi = date.fromisocalendar(*jour.isocalendar()[:2], 1)
    territoires = session.scalars(select(Territoire).order_by(Territoire.id))
    return [
        RelanceDue(
            nature="recapitulatif",
            cle=cle_recapitulatif(territoire, jour),
            destinataire=coordinateur.email,
            nom_destinataire=coordinateur.nom,
            territoire_id=territoire.id,
            sujet=f"semaine du {date_longue(lundi)} ({territoire.nom})",
        )
        for territoire in territoires
    ]
