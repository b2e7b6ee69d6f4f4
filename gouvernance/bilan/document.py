"""Le bilan annuel en Word : les variables du modèle (décrites dans templates_docx/LISEZMOI.md) et son rendu.

Le rendu passe par le bac à sable des modèles (`rendre_docx`) : les textes saisis par les utilisateurs
(titres de réunions, décisions, actions) sont échappés et jamais interprétés comme des balises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from gouvernance.bilan.chiffres import DEFINITIONS, Bilan, LignePresence
from gouvernance.bilan.tableurs import legende_csv
from gouvernance.bilan.textes import (
    chiffres_cles,
    nombre,
    periode,
    phrase_actions,
    phrase_orientations,
    phrase_presence,
    phrase_reunions,
    pourcentage,
)
from gouvernance.documents.contexte import LARGEUR_LOGO_MM
from gouvernance.documents.image import Image
from gouvernance.documents.rendu import Proprietes, rendre_docx
from gouvernance.francais import date_longue, de_commune
from gouvernance.textes import cle_de_comparaison

BILAN_ANNUEL = "bilan_annuel.docx"
#: La largeur des graphiques : toute la largeur utile d'une page A4 aux marges de 22 mm.
LARGEUR_GRAPHIQUE_MM = 166.0


@dataclass(frozen=True)
class Entete:
    """Ce que le document dit de son auteur : l'institution du timbre et qui a établi le bilan."""

    institution: str
    adresse: str | None
    logo: Path | None
    etabli_par: str


def _presence(ligne: LignePresence) -> dict[str, object]:
    return {
        "partenaire": ligne.partenaire,
        "invitations": ligne.invitations,
        "presents": ligne.presents,
        "representes": ligne.representes,
        "excuses": ligne.excuses,
        "absents": ligne.absents,
        "taux": pourcentage(ligne.taux),
    }


def _reunions(bilan: Bilan) -> dict[str, object]:
    return {
        "phrase": phrase_reunions(bilan),
        "instances": [
            {
                "code": ligne.code,
                "intitule": ligne.intitule,
                "tenues": ligne.tenues,
                "annulees": ligne.annulees,
                "a_venir": ligne.a_venir,
            }
            for ligne in bilan.instances
        ],
        "total": {
            "tenues": sum(ligne.tenues for ligne in bilan.instances),
            "annulees": sum(ligne.annulees for ligne in bilan.instances),
            "a_venir": sum(ligne.a_venir for ligne in bilan.instances),
        },
        "tenues": [
            {
                "date": date_longue(r.jour),
                "instance": r.instance_code,
                "titre": r.titre,
                "presences": "relevées" if r.presences_relevees else "non relevées",
            }
            for r in bilan.reunions
        ],
    }


def _orientations(bilan: Bilan, graphique: Path) -> dict[str, object]:
    enjeux: dict[int, dict[str, object]] = {}
    for ligne in bilan.couverture:
        enjeu = enjeux.setdefault(
            ligne.enjeu_numero, {"numero": ligne.enjeu_numero, "intitule": ligne.enjeu_intitule, "orientations": []}
        )
        orientations = enjeu["orientations"]
        assert isinstance(orientations, list)  # noqa: S101 (construit juste au-dessus)
        orientations.append(
            {
                "code": ligne.code,
                "intitule": ligne.intitule,
                "reunions": list(ligne.reunions),
                "decisions": list(ligne.decisions),
                "actions": list(ligne.actions),
            }
        )
    non_abordees = bilan.non_abordees
    return {
        "phrase": phrase_orientations(bilan),
        "graphique": Image(graphique, LARGEUR_GRAPHIQUE_MM),
        "enjeux": list(enjeux.values()),
        "phrase_non_abordees": _phrase_non_abordees(len(non_abordees)),
        "non_abordees": [{"code": ligne.code, "intitule": ligne.intitule} for ligne in non_abordees],
    }


def _phrase_non_abordees(nombre_: int) -> str:
    if not nombre_:
        return "Toutes les orientations ont été abordées au moins une fois dans l'année."
    if nombre_ == 1:
        return "Une orientation n'a été abordée par aucune réunion tenue dans l'année\u00a0:"
    return f"{nombre(nombre_, 'orientation')} n'ont été abordées par aucune réunion tenue dans l'année\u00a0:"


def _actions(bilan: Bilan) -> dict[str, object]:
    return {
        "phrase": phrase_actions(bilan),
        "total": bilan.total_actions,
        "statuts": [{"libelle": ligne.libelle, "nombre": ligne.nombre} for ligne in bilan.actions],
        "en_retard": [
            {
                "numero": a.numero,
                "libelle": a.libelle,
                "responsable": a.responsable,
                "echeance": f"{a.echeance:%d/%m/%Y}",
                "origine": a.origine,
            }
            for a in bilan.en_retard
        ],
    }


def contexte_bilan(
    bilan: Bilan, entete: Entete, *, graphiques: Mapping[str, Path], fichiers_csv: list[str]
) -> dict[str, object]:
    """Les variables offertes au modèle du bilan ; `graphiques` : « couverture » et, s'il y a lieu, « presence »."""
    adresse = [ligne.strip() for ligne in (entete.adresse or "").splitlines() if ligne.strip()]
    presence_graphique = graphiques.get("presence")
    return {
        "institution": {
            "nom": entete.institution,
            "adresse_lignes": adresse,
            "adresse": " – ".join(adresse),
            "logo": Image(entete.logo, LARGEUR_LOGO_MM) if entete.logo else "",
        },
        "bilan": {
            "annee": bilan.annee,
            "territoire": bilan.territoire,
            "convention": _convention_si_distincte(bilan),
            "de_territoire": de_commune(bilan.territoire),
            "periode": periode(bilan.annee),
            "arrete_au": bilan.arrete_au,
            "lieu": bilan.territoire,
            "etabli_par": entete.etabli_par,
        },
        "essentiel": chiffres_cles(bilan),
        "reunions": _reunions(bilan),
        "presence": {
            "phrase": phrase_presence(bilan),
            "lignes": [_presence(ligne) for ligne in bilan.presences],
            "total": _presence(bilan.presence_totale),
            "graphique": Image(presence_graphique, LARGEUR_GRAPHIQUE_MM) if presence_graphique else "",
        },
        "orientations": _orientations(bilan, graphiques["couverture"]),
        "actions": _actions(bilan),
        "definitions": list(DEFINITIONS),
        "fichiers": {"legende": legende_csv(bilan), "noms": fichiers_csv},
    }


def construire_bilan_docx(contexte: Mapping[str, object], *, modeles: Path) -> bytes:
    """Le bilan annuel en Word, rempli dans le bac à sable des modèles, avec ses métadonnées (titre, auteur)."""
    # Les deux rubriques construites par contexte_bilan.
    institution = cast(Mapping[str, object], contexte["institution"])
    bilan = cast(Mapping[str, Any], contexte["bilan"])
    proprietes = Proprietes(
        titre=f"Bilan annuel {bilan['annee']} de la Convention territoriale globale {bilan['de_territoire']}",
        auteur=str(institution["nom"]),
        sujet=f"Convention territoriale globale {bilan['de_territoire']}",
        date=bilan["arrete_au"],
    )
    return rendre_docx(modeles / BILAN_ANNUEL, contexte, proprietes)


def _convention_si_distincte(bilan: Bilan) -> str:
    """L'intitulé de la convention, sauf s'il redit « Convention territoriale globale de L'Union », déjà en tête."""
    generique = f"Convention territoriale globale {de_commune(bilan.territoire)}"
    if not bilan.convention or cle_de_comparaison(bilan.convention) == cle_de_comparaison(generique):
        return ""
    return bilan.convention
