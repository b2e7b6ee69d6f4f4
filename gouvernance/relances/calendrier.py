"""Le jour des relances (un jour de Paris) et les réglages du récapitulatif hebdomadaire."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from gouvernance.dates import lire_date
from gouvernance.erreurs import DonneesInvalides
from gouvernance.reglages import Reglages
from gouvernance.reunions.vue import FUSEAU, jour_a_paris
from gouvernance.textes import cle_de_comparaison

#: Les jours de la semaine, numérotés comme `date.isoweekday()` (lundi = 1).
JOURS_SEMAINE = {
    "lundi": 1,
    "mardi": 2,
    "mercredi": 3,
    "jeudi": 4,
    "vendredi": 5,
    "samedi": 6,
    "dimanche": 7,
}
#: Les valeurs de CTG_RECAPITULATIF_JOUR qui suppriment le récapitulatif.
SANS_RECAPITULATIF = {"aucun", "jamais", "non", "0"}
SEMAINES_PAR_DEFAUT = 4


def debut_du_jour(jour: date) -> datetime:
    """Minuit à Paris, ce jour-là, en UTC."""
    return datetime.combine(jour, time(0), tzinfo=FUSEAU).astimezone(UTC)


def lire_jour(texte: str | None, *, maintenant: datetime) -> date:
    """Le jour des relances : `texte` (2027-03-01 ou 01/03/2027), ou aujourd'hui à Paris s'il est vide."""
    if texte is None or not texte.strip():
        return jour_a_paris(maintenant)
    try:
        return lire_date(texte)
    except ValueError as erreur:
        raise DonneesInvalides(f"--date : {erreur}.") from None


def jour_du_recapitulatif(reglages: Reglages) -> int | None:
    """Le jour (1 = lundi) à partir duquel le récapitulatif de la semaine part ; None s'il est supprimé."""
    texte = reglages.valeur("RECAPITULATIF_JOUR")
    if texte is None:
        return 1
    cle = cle_de_comparaison(texte)
    if cle in SANS_RECAPITULATIF:
        return None
    if cle in JOURS_SEMAINE:
        return JOURS_SEMAINE[cle]
    if cle.isdigit() and 1 <= int(cle) <= 7:
        return int(cle)
    raise DonneesInvalides(
        f"CTG_RECAPITULATIF_JOUR = « {texte} » : donnez un jour de la semaine (lundi, mardi… dimanche), "
        "ou « aucun » pour ne pas envoyer de récapitulatif."
    )


def semaines_du_recapitulatif(reglages: Reglages) -> int:
    """Combien de semaines à venir le récapitulatif couvre (CTG_RECAPITULATIF_SEMAINES, 4 par défaut)."""
    texte = reglages.valeur("RECAPITULATIF_SEMAINES")
    if texte is None:
        return SEMAINES_PAR_DEFAUT
    if not texte.strip().isdigit() or not 1 <= int(texte) <= 52:
        raise DonneesInvalides(
            f"CTG_RECAPITULATIF_SEMAINES = « {texte} » : donnez un nombre de semaines entre 1 et 52 (4 par défaut)."
        )
    return int(texte)


def verifier_reglages(reglages: Reglages) -> None:
    """Refuse d'emblée des réglages du récapitulatif mal écrits, avant qu'une seule relance ne parte."""
    jour_du_recapitulatif(reglages)
    semaines_du_recapitulatif(reglages)
