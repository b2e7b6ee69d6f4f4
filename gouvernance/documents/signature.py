"""Qui signe un courrier de réunion, et sur quel ton il écrit à son destinataire.

Chaque courrier porte un signataire nommé, choisi dans cet ordre : la présidence de l'instance, puis le
signataire de la convention pour l'institution (le maire), puis le coordinateur de la CTG. Personne ne
s'écrit à lui-même : le courrier adressé à l'un d'eux est signé par le suivant.
"""

from __future__ import annotations

from dataclasses import dataclass

from gouvernance.francais import de_commune
from gouvernance.reunions.vue import PersonneVue, ReunionVue, est_meme_adresse
from gouvernance.textes import cle_de_comparaison


@dataclass(frozen=True)
class Signature:
    nom: str
    fonction: str
    email: str
    #: Vrai quand le coordinateur signe : il n'écrit pas en autorité qui convoque, mais en chargé de la réunion.
    par_coordinateur: bool = False


def _majuscule(texte: str) -> str:
    return texte[:1].upper() + texte[1:]


def _fonction(fonction: str | None, territoire: str) -> str:
    """La fonction sous la signature : « Maire » seul devient « Maire de L'Union »."""
    texte = _majuscule((fonction or "").strip())
    return f"{texte} {de_commune(territoire)}" if cle_de_comparaison(texte) == "maire" else texte


def chaine_des_signataires(reunion: ReunionVue) -> list[Signature]:
    """Les signataires possibles, du premier choix au dernier recours (le coordinateur, toujours connu)."""
    chaine = []
    for elu in (reunion.president, reunion.signataire_convention):
        if elu is not None:
            chaine.append(Signature(elu.nom_complet, _fonction(elu.fonction, reunion.territoire), elu.email))
    coordinateur = reunion.coordinateur
    chaine.append(
        Signature(coordinateur.nom, _majuscule(coordinateur.fonction or ""), coordinateur.email, par_coordinateur=True)
    )
    return chaine


def signature(reunion: ReunionVue, destinataire: PersonneVue | None) -> Signature:
    """Le premier de la chaîne qui n'est pas le destinataire ; le coordinateur en dernier recours."""
    chaine = chaine_des_signataires(reunion)
    if destinataire is None:
        return chaine[0]
    return next((s for s in chaine if not est_meme_adresse(s.email, destinataire.email)), chaine[-1])


def preside(reunion: ReunionVue, destinataire: PersonneVue | None) -> bool:
    """Vrai si le destinataire préside l'instance : sa réunion ne lui est pas « convoquée »."""
    president = reunion.president
    return destinataire is not None and president is not None and est_meme_adresse(president.email, destinataire.email)


def est_autorite(reunion: ReunionVue, destinataire: PersonneVue | None) -> bool:
    """Vrai si le destinataire est de ceux qui signent avant le coordinateur (présidence, signataire de la
    convention) : le coordinateur qui lui écrit le fait avec déférence."""
    if destinataire is None:
        return False
    chaine = chaine_des_signataires(reunion)
    return any(not s.par_coordinateur and est_meme_adresse(s.email, destinataire.email) for s in chaine)
