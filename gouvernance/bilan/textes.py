"""Les phrases du bilan, accordées au nombre : « 1 réunion tenue », « 3 réunions tenues », « aucune décision »."""

from __future__ import annotations

from datetime import date

from gouvernance.bilan.chiffres import Bilan, LigneInstance
from gouvernance.francais import INSECABLE, date_longue


def nombre(n: int, singulier: str, pluriel: str | None = None) -> str:
    """« 1 réunion », « 3 réunions », « 0 réunion » (en français, zéro et un s'accordent au singulier)."""
    mot = singulier if n <= 1 else (pluriel or _pluriel(singulier))
    return f"{n}{INSECABLE}{mot}"


def _pluriel(groupe: str) -> str:
    """Le pluriel régulier de chaque mot d'un groupe nominal simple : « réunion tenue » → « réunions tenues »."""
    return " ".join(
        mot if mot.endswith(("s", "x")) or mot in {"de", "du", "en", "à"} else mot + "s" for mot in groupe.split()
    )


def pourcentage(taux: int) -> str:
    """« 72 % », avec l'espace insécable de la typographie française."""
    return f"{taux}{INSECABLE}%"


def periode(annee: int) -> str:
    """« du 1er janvier au 31 décembre 2027 »."""
    return f"du 1er janvier au {date_longue(date(annee, 12, 31))}"


def _par_instance(lignes: tuple[LigneInstance, ...]) -> str:
    """« 2 du COPIL et 3 du COTECH »."""
    morceaux = [f"{ligne.tenues} du {ligne.code}" for ligne in lignes if ligne.tenues]
    if len(morceaux) <= 1:
        return ""
    return ", ".join(morceaux[:-1]) + " et " + morceaux[-1]


def phrase_reunions(bilan: Bilan) -> str:
    tenues = len(bilan.reunions)
    if not tenues and not bilan.instances:
        return f"Aucune réunion des instances de la CTG n'a été tenue en {bilan.annee}."
    if not tenues:
        phrase = f"Aucune réunion n'a été tenue en {bilan.annee}"
    else:
        detail = _par_instance(bilan.instances)
        phrase = f"{nombre(tenues, 'réunion tenue')} en {bilan.annee}" + (f" ({detail})" if detail else "")
    annulees = sum(ligne.annulees for ligne in bilan.instances)
    a_venir = sum(ligne.a_venir for ligne in bilan.instances)
    suites = []
    if annulees:
        suites.append(nombre(annulees, "réunion annulée"))
    if a_venir:
        suites.append(f"{nombre(a_venir, 'réunion')} encore à venir")
    return phrase + ("" if not suites else " ; " + " et ".join(suites)) + "."


def phrase_presence(bilan: Bilan) -> str:
    if not bilan.reunions:
        return f"Présences{INSECABLE}: aucune réunion tenue."
    if not bilan.reunions_relevees:
        return f"Présences non relevées{INSECABLE}: aucun compte rendu de l'année n'a été importé."
    total = bilan.presence_totale
    tenues = len(bilan.reunions)
    presences = nombre(total.presents + total.representes, "présence")
    phrase = (
        f"Taux de présence des invités{INSECABLE}: {pourcentage(total.taux)} ({presences} pour "
        f"{nombre(total.invitations, 'invitation')}"
    )
    if bilan.reunions_relevees == tenues:
        return phrase + ")."
    sans = tenues - bilan.reunions_relevees
    verbe = "n'est pas comptée" if sans == 1 else "ne sont pas comptées"
    return phrase + f") ; {nombre(sans, 'réunion tenue')} sans compte rendu importé {verbe}."


def phrase_orientations(bilan: Bilan) -> str:
    total = len(bilan.couverture)
    if not total:
        return "Le référentiel ne contient aucune orientation."
    abordees = total - len(bilan.non_abordees)
    if abordees == total:
        return f"Les {total} orientations de la CTG ont toutes été abordées en réunion."
    if not abordees:
        return f"Aucune des {total} orientations de la CTG n'a été abordée en réunion."
    reste = len(bilan.non_abordees)
    if abordees == 1:
        debut = f"1{INSECABLE}orientation sur {total} a été abordée"
    else:
        debut = f"{abordees}{INSECABLE}orientations sur {total} ont été abordées"
    fin = "ne l'a pas été" if reste == 1 else "ne l'ont pas été"
    return f"{debut} en réunion ; {reste} {fin}."


def phrase_actions(bilan: Bilan) -> str:
    decisions = "aucune décision" if not bilan.decisions else nombre(bilan.decisions, "décision")
    if not bilan.total_actions:
        if not bilan.decisions:
            return f"Aucune décision ni action n'a été prise en {bilan.annee}."
        return f"{nombre(bilan.decisions, 'décision prise')} en {bilan.annee}, aucune action."
    compte = {ligne.categorie: ligne.nombre for ligne in bilan.actions}
    textes = {
        "fait": nombre(compte["fait"], "faite"),
        "en_cours": f"{compte['en_cours']} en cours",
        "a_faire": f"{compte['a_faire']} à faire",
        "en_retard": f"{compte['en_retard']} en retard" if compte["en_retard"] else "aucune en retard",
        "abandonnee": nombre(compte["abandonnee"], "abandonnée"),
    }
    # Les catégories vides sont tues, sauf le retard : « aucune en retard » est une information.
    detail = [texte for cle, texte in textes.items() if compte[cle] or cle == "en_retard"]
    actions = nombre(bilan.total_actions, "action")
    return f"{decisions[:1].upper()}{decisions[1:]} et {actions} décidées{INSECABLE}: " + ", ".join(detail) + "."


def chiffres_cles(bilan: Bilan) -> list[str]:
    """Les quatre phrases de « L'essentiel », en tête du document et dans le résumé du flux."""
    return [phrase_reunions(bilan), phrase_presence(bilan), phrase_orientations(bilan), phrase_actions(bilan)]
