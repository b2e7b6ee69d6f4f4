"""Ce que porte le compte rendu validé : ce que l'import a relevé et rangé en base, rien du brouillon.

Le fichier du secrétaire reste la source (gardé tel quel à l'import) ; la version officielle est écrite à
neuf d'après la base : présences relevées, décisions, actions et échanges de chaque point.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.comptes_rendus.preparation import (
    construire_vue_compte_rendu,
    identifiant_document,
    vue_action,
)
from gouvernance.comptes_rendus.presences import ORDRE
from gouvernance.comptes_rendus.vue import CompteRenduVue, ParticipantVue
from gouvernance.erreurs import DonneesInvalides
from gouvernance.reglages import Reglages
from gouvernance.reunions.lecture import construire_vue
from gouvernance.textes import cle_de_comparaison
from modeles import Action, CompteRendu, Invitation, Reunion


def construire_vue_officielle(
    session: Session,
    reunion: Reunion,
    reglages: Reglages,
    *,
    date_document: date,
    actions_suivies: Iterable[int],
) -> CompteRenduVue:
    """Le compte rendu validé : `actions_suivies`, les actions des réunions précédentes passées en revue."""
    compte_rendu = session.scalar(select(CompteRendu).where(CompteRendu.reunion_id == reunion.id))
    if compte_rendu is None:
        raise DonneesInvalides(f"La réunion n°{reunion.id} n'a pas de compte rendu importé.")
    base = construire_vue_compte_rendu(session, reunion, reglages, date_document=date_document)
    suivies = [session.get(Action, identifiant) for identifiant in dict.fromkeys(actions_suivies)]
    return CompteRenduVue(
        reunion=construire_vue(reunion, reglages),
        identifiant=identifiant_document(reunion),
        version=compte_rendu.version,
        participants=tuple(_participant(i) for i in sorted(reunion.invitations, key=_ordre)),
        secretaire=compte_rendu.secretaire,
        precedent=base.precedent,
        decisions=base.decisions,
        actions=base.actions,
        actions_ouvertes=tuple(
            vue_action(a, avec_origine=True) for a in suivies if a is not None and a.reunion_id != reunion.id
        ),
        prochaine_reunion=base.prochaine_reunion,
        date_document=date_document,
        discussions={d.numero_point: d.texte for d in compte_rendu.discussions if d.texte.strip()},
    )


def cle_invitation(invitation: Invitation) -> tuple[str, str]:
    return cle_de_comparaison(invitation.personne.nom), cle_de_comparaison(invitation.personne.prenom)


def _ordre(invitation: Invitation) -> tuple[int, str, str]:
    """Les présents d'abord, puis les représentés, les excusés et les absents ; par nom dans chaque groupe."""
    return (ORDRE[invitation.presence] if invitation.presence else len(ORDRE), *cle_invitation(invitation))


def _participant(invitation: Invitation) -> ParticipantVue:
    personne = invitation.personne
    fonction = personne.fonction_actuelle
    return ParticipantVue(
        email=personne.email,
        nom_complet=personne.nom_complet,
        organisme=fonction.partenaire.nom if fonction and fonction.partenaire else None,
        fonction=fonction.intitule if fonction else None,
        role=invitation.role,
        reponse=invitation.reponse,
        presence=invitation.presence,
        represente_par=invitation.represente_par,
        civilite=personne.civilite,
    )
