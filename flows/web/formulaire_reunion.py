"""Lire le formulaire de planification : les champs simples, puis les lignes de l'ordre du jour
(`point-N-titre`, `point-N-orientations` (plusieurs), `point-N-rapporteur`, `point-N-duree`) et les invités."""

from __future__ import annotations

from starlette.datastructures import FormData

from gouvernance.services.saisie_reunion import SaisiePoint, SaisieReunion

#: Le nombre de lignes de l'ordre du jour que le formulaire propose (les lignes vides sont ignorées).
LIGNES_DE_POINTS = 6
#: Au-delà, un champ est tronqué : le cas d'usage refuse de toute façon un texte trop long, en français.
LONGUEUR_MAX = 2000


def _texte(formulaire: FormData, nom: str) -> str:
    valeur = formulaire.get(nom)
    return valeur[:LONGUEUR_MAX] if isinstance(valeur, str) else ""


def _textes(formulaire: FormData, nom: str) -> tuple[str, ...]:
    return tuple(valeur[:LONGUEUR_MAX] for valeur in formulaire.getlist(nom) if isinstance(valeur, str))


def lire_saisie(formulaire: FormData) -> tuple[SaisieReunion, bool, bool]:
    """La saisie, et les cases « urgence » et « doublon »."""
    points = tuple(
        SaisiePoint(
            titre=_texte(formulaire, f"point-{n}-titre"),
            orientations=_textes(formulaire, f"point-{n}-orientations")[:50],
            rapporteur=_texte(formulaire, f"point-{n}-rapporteur"),
            duree=_texte(formulaire, f"point-{n}-duree"),
        )
        for n in range(1, LIGNES_DE_POINTS + 1)
    )
    invites = tuple(
        adresse.strip() for ligne in _textes(formulaire, "invites") for adresse in ligne.replace(",", "\n").splitlines()
    )
    saisie = SaisieReunion(
        instance=_texte(formulaire, "instance"),
        jour=_texte(formulaire, "jour"),
        heure=_texte(formulaire, "heure"),
        duree=_texte(formulaire, "duree"),
        titre=_texte(formulaire, "titre"),
        lieu=_texte(formulaire, "lieu"),
        visio=_texte(formulaire, "visio"),
        points=points,
        invites=tuple(adresse for adresse in invites if adresse)[:500],
    )
    return saisie, formulaire.get("urgence") == "oui", formulaire.get("doublon") == "oui"
