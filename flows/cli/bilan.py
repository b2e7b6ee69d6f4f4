"""`ctg bilan ANNÉE` : le bilan annuel de la CTG pour la CAF (Word, PDF, graphiques et CSV)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import click

from flows.cli.contexte import imprimer_json, info, lancer_flux, succes
from flows.cli.options import option_json, option_territoire

if TYPE_CHECKING:
    from gouvernance.bilan.production import ResultatBilan


def lire_annee(texte: str) -> int:
    """L'année écrite en quatre chiffres (ses bornes sont vérifiées par `verifier_annee`) ; DonneesInvalides sinon."""
    from gouvernance.erreurs import DonneesInvalides

    nettoye = texte.strip()
    if not (nettoye.isascii() and nettoye.isdigit() and len(nettoye) == 4):
        raise DonneesInvalides(
            f"« {texte} » n'est pas une année : écrivez-la en quatre chiffres, par exemple `ctg bilan 2027`."
        )
    return int(nettoye)


def _lire_jour(texte: str | None) -> date | None:
    from gouvernance.dates import lire_date
    from gouvernance.erreurs import DonneesInvalides

    if texte is None:
        return None
    try:
        return lire_date(texte)
    except ValueError as erreur:
        raise DonneesInvalides(f"--au : {erreur}.") from None


@click.command("bilan", short_help="Le bilan annuel pour la CAF : Word, PDF, graphiques et tableaux CSV.")
@click.argument("annee", metavar="ANNÉE")
@click.option(
    "--au",
    "arrete_au",
    metavar="DATE",
    help="Arrête le bilan à cette date (par défaut : aujourd'hui) : réunions tenues et actions en retard à ce jour.",
)
@option_territoire
@option_json
def bilan(annee: str, arrete_au: str | None, territoire: str | None, en_json: bool) -> None:
    """Écrit le bilan annuel de l'ANNÉE : Word et PDF, graphiques PNG et tableaux CSV.

    Réunions tenues par instance, présence par partenaire, pour chaque enjeu et orientation les réunions,
    décisions et actions qui l'ont concernée, et le suivi des actions. Une année sans réunion donne quand
    même un bilan, qui le dit. Les fichiers vont dans CTG_HOME/documents/bilans/ANNÉE/ ; refaire le bilan
    les remplace.
    """
    from gouvernance.bilan.lecture import verifier_annee
    from gouvernance.reunions.vue import FUSEAU

    choisie, jour = lire_annee(annee), _lire_jour(arrete_au)
    aujourd_hui = datetime.now(FUSEAU).date()
    verifier_annee(choisie, jour or aujourd_hui)  # avant de démarrer Prefect : le refus est immédiat
    if jour is not None and jour > aujourd_hui and not en_json:
        info(
            f"Bilan arrêté au {jour:%d/%m/%Y}, une date à venir : les réunions prévues d'ici là, non annulées, "
            "y sont comptées comme tenues."
        )
    resultat: ResultatBilan = lancer_flux("bilan-annuel", annee=choisie, territoire=territoire, arrete_au=jour)
    if en_json:
        imprimer_json(
            {
                **resultat.chiffres,
                "chiffres_cles": list(resultat.chiffres_cles),
                "fichiers": [str(chemin) for chemin in resultat.fichiers],
            }
        )
        return
    succes(f"Bilan annuel {resultat.annee} de {resultat.territoire} : {resultat.docx}")
    if resultat.convention:
        info(f"Convention en vigueur : {resultat.convention}")
    if resultat.pdf is not None:
        succes(f"En PDF : {resultat.pdf}")
    else:
        info(resultat.avertissement or "LibreOffice n'est pas installé : pas de PDF (le document Word est complet).")
    info(f"Tableaux CSV et graphiques dans {resultat.docx.parent}")
    for phrase in resultat.chiffres_cles:
        info(f"  – {phrase}")
