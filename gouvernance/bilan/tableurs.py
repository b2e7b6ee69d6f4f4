"""Les chiffres du bilan en CSV, un fichier par tableau, les mêmes que dans le document Word.

Format : séparateur « ; » et UTF-8 avec BOM. Un Excel réglé en français prend la virgule pour le séparateur
décimal et attend le point-virgule entre les colonnes ; sans BOM, il lit le fichier en Windows-1252 et les
accents arrivent abîmés (« rÃ©union »). LibreOffice et les scripts (module csv, `utf-8-sig`) lisent ce
format sans réglage.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from gouvernance.bilan.chiffres import Bilan
from gouvernance.francais import date_longue

SEPARATEUR = ";"
# Une cellule qui commence par l'un de ces caractères serait prise par Excel pour une formule : un titre
# de réunion saisi « =LIEN_HYPERTEXTE(…) » s'exécuterait à l'ouverture (injection de formule).
_DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _cellule(valeur: object) -> str:
    texte = str(valeur)
    return "'" + texte if isinstance(valeur, str) and texte.startswith(_DEBUTS_DE_FORMULE) else texte


def ecrire_csv(entetes: Sequence[str], lignes: Sequence[Sequence[object]]) -> bytes:
    """Le fichier CSV (octets, BOM compris) d'un tableau."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=SEPARATEUR, lineterminator="\r\n")
    ecrivain.writerow(entetes)
    ecrivain.writerows([[_cellule(valeur) for valeur in ligne] for ligne in lignes])
    return tampon.getvalue().encode("utf-8-sig")


def _oui_non(valeur: bool) -> str:
    return "oui" if valeur else "non"


def tableaux_csv(bilan: Bilan) -> dict[str, bytes]:
    """Les fichiers CSV du bilan, par nom court (« reunions-par-instance »)."""
    return {
        "reunions-par-instance": ecrire_csv(
            ("Code", "Instance", "Réunions tenues", "Réunions annulées", "Réunions à venir"),
            [(ligne.code, ligne.intitule, ligne.tenues, ligne.annulees, ligne.a_venir) for ligne in bilan.instances],
        ),
        "reunions-tenues": ecrire_csv(
            ("Date", "Instance", "Titre", "Présences relevées"),
            [(f"{r.jour:%d/%m/%Y}", r.instance_code, r.titre, _oui_non(r.presences_relevees)) for r in bilan.reunions],
        ),
        "presence-par-partenaire": ecrire_csv(
            ("Partenaire", "Invitations", "Présents", "Représentés", "Excusés", "Absents", "Taux de présence (%)"),
            [
                (
                    ligne.partenaire,
                    ligne.invitations,
                    ligne.presents,
                    ligne.representes,
                    ligne.excuses,
                    ligne.absents,
                    ligne.taux,
                )
                for ligne in (*bilan.presences, *((bilan.presence_totale,) if bilan.presences else ()))
            ],
        ),
        "couverture-des-orientations": ecrire_csv(
            ("Enjeu", "Orientation", "Intitulé", "Réunions tenues", "Décisions", "Actions", "Abordée"),
            [
                (
                    ligne.enjeu_numero,
                    ligne.code,
                    ligne.intitule,
                    len(ligne.reunions),
                    len(ligne.decisions),
                    len(ligne.actions),
                    _oui_non(ligne.abordee),
                )
                for ligne in bilan.couverture
            ],
        ),
        "actions-par-statut": ecrire_csv(
            ("Statut", "Actions"),
            [(ligne.libelle, ligne.nombre) for ligne in bilan.actions] + [("Total", bilan.total_actions)],
        ),
        "actions-en-retard": ecrire_csv(
            ("N°", "Action", "Responsable", "Échéance", "Décidée en", "Orientations"),
            [
                (a.numero, a.libelle, a.responsable, f"{a.echeance:%d/%m/%Y}", a.origine, ", ".join(a.orientations))
                for a in bilan.en_retard
            ],
        ),
    }


def legende_csv(bilan: Bilan) -> str:
    """La phrase du document qui présente les fichiers CSV."""
    return (
        f"Les tableaux de ce bilan sont fournis au format CSV (séparateur point-virgule, UTF-8), à ouvrir dans "
        f"Excel ou LibreOffice Calc ; arrêtés au {date_longue(bilan.arrete_au)}."
    )
