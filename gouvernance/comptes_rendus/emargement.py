"""La feuille d'émargement d'une réunion : une ligne à signer par invité, triée par nom, puis des lignes vides.

Une fonction pure, comme les courriers : une `CompteRenduVue` en entrée, les octets du .docx en sortie, rempli
dans le bac à sable des modèles Word (les données sont échappées, jamais interprétées).
"""

from __future__ import annotations

from pathlib import Path

from gouvernance.comptes_rendus.vue import CompteRenduVue, ParticipantVue
from gouvernance.documents.contexte import contexte
from gouvernance.documents.rendu import proprietes_reunion, rendre_docx
from gouvernance.reunions.vue import PersonneVue
from gouvernance.textes import cle_de_comparaison
from modeles.vocabulaire import ReponseInvitation

EMARGEMENT = "emargement.docx"


def reponse_donnee(participant: ParticipantVue) -> str:
    """« a accepté », « s'est excusé(e) », « sans réponse », « peut-être » ou « se fait représenter ».

    Les mêmes mots que `ctg reunion voir` (`ReponseInvitation.libelle`) ; le représentant, s'il est connu, a
    sa colonne « Représenté(e) par ».
    """
    partstat = participant.reponse.strip().upper()
    reponse = ReponseInvitation(partstat) if partstat in ReponseInvitation.valeurs() else ReponseInvitation.SANS_REPONSE
    return reponse.libelle


def _prenom_et_nom(participant: ParticipantVue, invites: dict[str, PersonneVue]) -> tuple[str, str]:
    """Le prénom et le nom de l'invité ; à défaut de fiche, le premier mot du nom complet fait le prénom."""
    personne = invites.get(participant.email.strip().casefold())
    if personne is not None:
        return personne.prenom, personne.nom
    prenom, _, nom = participant.nom_complet.strip().partition(" ")
    return (prenom, nom) if nom else ("", prenom)


def lignes_d_emargement(vue: CompteRenduVue) -> list[dict[str, str]]:
    """Les lignes des invités, triées par nom puis prénom (sans tenir compte des accents ni de la casse)."""
    invites = {personne.email.strip().casefold(): personne for personne in vue.reunion.invites}
    lignes = []
    for participant in vue.participants:
        prenom, nom = _prenom_et_nom(participant, invites)
        lignes.append(
            {
                "nom": nom,
                "prenom": prenom,
                "organisme": participant.organisme or "",
                "fonction": participant.fonction or "",
                "reponse": reponse_donnee(participant),
                "represente_par": participant.represente_par or "",
                "email": participant.email,
            }
        )
    return sorted(lignes, key=lambda l_: (cle_de_comparaison(l_["nom"]), cle_de_comparaison(l_["prenom"]), l_["email"]))


def contexte_emargement(vue: CompteRenduVue) -> dict[str, object]:
    """Les variables du modèle : celles des courriers de la réunion, plus `participants`."""
    variables = contexte(vue.reunion, None, date_courrier=vue.date_document)
    variables["participants"] = lignes_d_emargement(vue)
    return variables


def construire_emargement(vue: CompteRenduVue, *, modeles: Path) -> bytes:
    """La feuille d'émargement de la réunion, à imprimer et faire signer à l'entrée."""
    return rendre_docx(
        modeles / EMARGEMENT,
        contexte_emargement(vue),
        proprietes_reunion(vue.reunion, "Feuille d'émargement", date_courrier=vue.date_document),
    )
