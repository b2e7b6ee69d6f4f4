"""Régler le rythme d'une instance et ses délais de relance (`ctg instances modifier`)."""

from __future__ import annotations

from datetime import time

from gouvernance.calendrier.regle import EXEMPLE_RRULE, lire_heure, regle_par_an, verifier_regle
from gouvernance.erreurs import DonneesInvalides
from modeles import Instance

#: Les bornes des délais de relance, en jours (0 : pas de relance).
RELANCE_REPONSE_MAX = 60
RELANCE_COMPTE_RENDU_MAX = 180


def regler_rythme(
    instance: Instance,
    *,
    regle: str | None = None,
    par_an: int | None = None,
    jour: str | None = None,
    heure: str | None = None,
    sans_rythme: bool = False,
) -> list[str]:
    """Change le rythme (règle RRULE, ou N réunions par an) et son heure ; renvoie ce qui a changé.

    Vérifie tout avant de toucher à l'instance : un refus la laisse telle quelle.
    """
    if sans_rythme:
        if regle or par_an or jour or heure:
            raise DonneesInvalides(
                "--sans-rythme retire le rythme : ne le donnez pas avec --rythme, --par-an, --jour ou --heure."
            )
        return _affecter(instance, None, None)
    if regle is not None and par_an is not None:
        raise DonneesInvalides(
            f"Donnez soit --rythme (une règle, par exemple « {EXEMPLE_RRULE} »), soit --par-an, pas les deux."
        )
    if jour is not None and par_an is None:
        raise DonneesInvalides(
            "--jour va avec --par-an (« --par-an 4 --jour jeudi ») ; une règle --rythme porte son jour (BYDAY)."
        )
    try:
        nouvelle = verifier_regle(regle) if regle is not None else None
        if par_an is not None:
            nouvelle = regle_par_an(par_an, jour or "mardi")
        nouvelle_heure = lire_heure(heure) if heure is not None else instance.rythme_heure
    except ValueError as erreur:
        raise DonneesInvalides(f"Rythme refusé : {erreur}. Rien n'a changé.") from None
    if nouvelle is None:
        if instance.rythme_regle is None:
            raise DonneesInvalides(
                f"{instance.code} n'a pas de rythme : donnez-en un avec --rythme ou --par-an, et --heure."
            )
        nouvelle = instance.rythme_regle
    if nouvelle_heure is None:
        raise DonneesInvalides(f"Donnez l'heure des réunions de {instance.code} : --heure 18:00, par exemple.")
    return _affecter(instance, nouvelle, nouvelle_heure)


def _affecter(instance: Instance, regle: str | None, heure: time | None) -> list[str]:
    modifies = []
    if instance.rythme_regle != regle:
        modifies.append("rythme")
    if instance.rythme_heure != heure:
        modifies.append("heure")
    instance.rythme_regle, instance.rythme_heure = regle, heure
    return modifies


def regler_relances(
    instance: Instance, *, reponse_jours: int | None = None, compte_rendu_jours: int | None = None
) -> list[str]:
    """Change les délais de relance (None : inchangé ; 0 : pas de relance) ; renvoie ce qui a changé."""
    for valeur, maximum, quoi in (
        (reponse_jours, RELANCE_REPONSE_MAX, "--relance-reponse-jours"),
        (compte_rendu_jours, RELANCE_COMPTE_RENDU_MAX, "--relance-compte-rendu-jours"),
    ):
        if valeur is not None and not 0 <= valeur <= maximum:
            raise DonneesInvalides(
                f"{quoi} vaut de 0 (pas de relance) à {maximum} jours, pas {valeur}. Rien n'a changé."
            )
    modifies = []
    if reponse_jours is not None and reponse_jours != instance.relance_reponse_jours:
        instance.relance_reponse_jours = reponse_jours
        modifies.append("relance des réponses")
    if compte_rendu_jours is not None and compte_rendu_jours != instance.relance_compte_rendu_jours:
        instance.relance_compte_rendu_jours = compte_rendu_jours
        modifies.append("relance du compte rendu")
    return modifies
