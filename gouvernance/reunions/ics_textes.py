"""Les textes d'une invitation iCalendar : nettoyés de tout caractère de contrôle, puis rédigés en français."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from urllib.parse import urlsplit

from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import moment
from gouvernance.reunions.vue import PointVue, ReunionVue
from gouvernance.textes import contient_controle

# Tout ce qu'un lecteur, selon sa bibliothèque, peut prendre pour une fin de ligne (str.splitlines compris).
_FINS_DE_LIGNE = re.compile("\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Une adresse sans espace, guillemet, chevron ni séparateur iCalendar : rien qui sorte de l'URI mailto:.
_COURRIEL = re.compile(r"[^\s@\"'<>()\[\],;:\\]+@[^\s@\"'<>()\[\],;:\\]+\.[^\s@\"'<>()\[\],;:\\]+")


def texte_multiligne(texte: str) -> str:
    """Le texte avec des sauts de ligne \\n seulement, chaque autre caractère de contrôle devenu une espace."""
    uni = _FINS_DE_LIGNE.sub("\n", texte)
    return "".join(" " if c != "\n" and unicodedata.category(c) == "Cc" else c for c in uni).strip()


def texte_une_ligne(texte: str) -> str:
    """Le texte sur une seule ligne, espaces et sauts de ligne réduits à une espace."""
    return " ".join(texte_multiligne(texte).split())


def nom_de_parametre(texte: str) -> str:
    """Un nom pour le paramètre CN : une ligne, et " remplacé par ' (Outlook ne lit pas le codage ^' de la RFC 6868)."""
    return texte_une_ligne(texte).replace('"', "'")


def courriel_sur(adresse: str, personne: str) -> str:
    """L'adresse telle quelle si elle ne peut rien ajouter au calendrier ; DonneesInvalides sinon."""
    propre = adresse.strip(" ")
    if contient_controle(propre) or not _COURRIEL.fullmatch(propre):
        raise DonneesInvalides(
            f"Adresse électronique illisible pour {texte_une_ligne(personne) or 'une personne invitée'} :"
            f" {propre!r} ; corrigez-la avant d'envoyer l'invitation."
        )
    return propre


def url_visio(visio: str | None) -> str | None:
    """Le lien de visioconférence s'il s'agit d'une adresse http(s) sans espace ni caractère douteux."""
    if not visio:
        return None
    lien = visio.strip()
    if contient_controle(lien) or any(c.isspace() or c in '"<>\\^`{|}' for c in lien):
        return None
    morceaux = urlsplit(lien)
    return lien if morceaux.scheme in {"http", "https"} and morceaux.netloc else None


def lieu_affiche(reunion: ReunionVue) -> str | None:
    """Le lieu, suivi du lien de visioconférence s'il y en a un."""
    lieu = texte_une_ligne(reunion.lieu or "")
    visio = texte_une_ligne(reunion.visio or "")
    if lieu and visio:
        return f"{lieu} (ou en visioconférence : {visio})"
    if visio:
        return f"Visioconférence : {visio}"
    return lieu or None


def date_en_francais(instant: datetime) -> str:
    """« mardi 8 décembre 2026 à 18 h 00 », à l'heure de Paris."""
    return moment(instant)


def _lignes_point(point: PointVue) -> list[str]:
    titre = texte_une_ligne(point.titre)
    rapporteur = texte_une_ligne(point.rapporteur or "")
    lignes = [f"{point.ordre}. {titre} — {rapporteur}" if rapporteur else f"{point.ordre}. {titre}"]
    lignes.extend(
        f"   Orientation {texte_une_ligne(o.code)} : {texte_une_ligne(o.intitule)}"
        f" (enjeu n°{o.enjeu_numero} : {texte_une_ligne(o.enjeu_intitule)})"
        for o in point.orientations
    )
    return lignes


def _contact(reunion: ReunionVue) -> str:
    c = reunion.coordinateur
    morceaux = [texte_une_ligne(c.nom)]
    if c.fonction:
        morceaux[0] += f", {texte_une_ligne(c.fonction)}"
    morceaux.append(texte_une_ligne(c.email))
    if c.telephone:
        morceaux.append(texte_une_ligne(c.telephone))
    return "Contact : " + " — ".join(m for m in morceaux if m)


def decrire(reunion: ReunionVue, *, annulee: bool) -> str:
    """La DESCRIPTION en français : instance, annulation ou changements, ordre du jour, lieu, contact."""
    instance = f"{texte_une_ligne(reunion.instance_intitule)} ({texte_une_ligne(reunion.instance_code)})"
    lignes = [instance, f"Convention territoriale globale de {texte_une_ligne(reunion.territoire)}", ""]
    if annulee:
        lignes.append(f"La réunion du {date_en_francais(reunion.debut)} est annulée.")
        if motif := texte_multiligne(reunion.motif_annulation or ""):
            lignes.append(f"Motif : {motif}")
        lignes.append("")
    elif changements := [texte_une_ligne(c) for c in reunion.changements if texte_une_ligne(c)]:
        lignes.extend(["Modifications :", *(f"- {c}" for c in changements), ""])
    if reunion.points:
        lignes.append("Ordre du jour :")
        for point in sorted(reunion.points, key=lambda p: p.ordre):
            lignes.extend(_lignes_point(point))
    else:
        lignes.append("L'ordre du jour sera communiqué ultérieurement.")
    lignes.append("")
    if lieu := texte_une_ligne(reunion.lieu or ""):
        lignes.append(f"Lieu : {lieu}")
    if visio := texte_une_ligne(reunion.visio or ""):
        lignes.append(f"Visioconférence : {visio}")
    lignes.append(_contact(reunion))
    return "\n".join(lignes)
