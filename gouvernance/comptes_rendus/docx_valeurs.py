"""Lire les valeurs que le secrétaire écrit dans les tableaux : présences, codes d'orientation, échéances,
statuts et numéros, sous toutes leurs formes usuelles. Chaque fonction lève ValueError avec un message en
français qui dit quoi écrire à la place."""

from __future__ import annotations

import calendar
import re
from datetime import date

from gouvernance.dates import MOIS, lire_date
from gouvernance.textes import cle_de_comparaison
from modeles.vocabulaire import Presence, StatutAction

#: Les présences en une lettre, seules dans la cellule (la colonne d'une feuille de présence).
_INITIALES = {
    "p": Presence.PRESENT,
    "x": Presence.PRESENT,
    "e": Presence.EXCUSE,
    "a": Presence.ABSENT,
    "r": Presence.REPRESENTE,
}
_PAR = re.compile(r"\b(?:par|pouvoir\s+(?:donn[ée]e?s?\s+)?[àa])\s+(.+)$", re.IGNORECASE)
_CODE = re.compile(r"(?<!\d)(\d{1,2})[.,](\d{1,2})(?!\d)")
_SANS_CODE = re.compile(r"(?:\b(?:orientations?|axes?|et|o|or)\b|[\s,;/+&.:\-–—()])+", re.IGNORECASE)


def _forme(texte: str) -> str:
    """« Présent(e) » → « present », « excusées » → « excuse » : sans accents, casse ni marque du féminin."""
    cle = cle_de_comparaison(texte).replace("(e)", "").replace("(es)", "").replace("(s)", "")
    return " ".join(re.sub(r"(?:ees|ee|es)$", "e", mot) if len(mot) > 3 else mot for mot in cle.split())


def lire_presence(texte: str) -> tuple[Presence | None, str | None]:
    """(présence, représentant) : « Présente » → present, « représenté par M. Martin » → represente.

    « non renseigné » (ce que le projet écrit pour un invité qui n'a pas répondu), laissé tel quel, rend None.
    """
    brut = " ".join(texte.split())
    forme = _forme(brut)
    mots = [m[:-1] if len(m) > 3 and m.endswith("s") else m for m in re.findall(r"[a-z]+", forme)]
    if any(m.startswith("renseign") for m in mots) or forme.strip(" .") in {"?", "nr", "n r"}:
        return None, None
    if any(m.startswith(("represent", "remplace", "supplee", "pouvoir")) for m in mots):
        par = _PAR.search(brut)
        return Presence.REPRESENTE, (par[1].strip(" .") or None) if par else None
    if any(m.startswith("excus") for m in mots):
        return Presence.EXCUSE, None
    if len(mots) == 1 and mots[0] in _INITIALES:
        return _INITIALES[mots[0]], None
    for mot in mots[:2]:
        try:
            return Presence.lire(mot), None
        except ValueError:
            pass
    raise ValueError(
        f"« {brut} » n'est pas une présence reconnue (écrivez présent, excusé, absent ou représenté par …)"
    )


def lire_orientations(texte: str) -> tuple[str, ...]:
    """Les codes d'orientation écrits dans la cellule : « orientation 3.3 ; O5.1 » → ("3.3", "5.1")."""
    codes = [f"{int(forme[1])}.{int(forme[2])}" for forme in _CODE.finditer(texte)]
    reste = _SANS_CODE.sub("", _CODE.sub("", texte))
    if reste:
        brut = " ".join(texte.split())
        raise ValueError(f"« {brut} » n'est pas une liste de codes d'orientation (écrivez par exemple 3.3 ; 5.1)")
    return tuple(dict.fromkeys(codes))


def _exemple(texte: str, reference: date) -> date:
    """La date que le secrétaire voulait sans doute dire (« fin mars » → 31/03 qui suit `reference`)."""
    cle = cle_de_comparaison(texte)
    mois = next((numero for nom, numero in MOIS.items() if re.search(rf"\b{nom}\b", cle)), None)
    annee_ecrite = re.search(r"\b(20\d\d)\b", cle)
    if mois is None:
        mois = (reference.month + 2) % 12 + 1
    annee = int(annee_ecrite[1]) if annee_ecrite else reference.year + (mois < reference.month)
    jour = 1 if re.search(r"\bdebut\b", cle) else 15 if re.search(r"\bmi\b", cle) else 0
    return date(annee, mois, jour or calendar.monthrange(annee, mois)[1])


def lire_echeance(texte: str, reference: date) -> date:
    """La date d'échéance : « 31/03/2027 », « 31/03/27 », « 31 mars 2027 », « 2027-03-31 »."""
    brut = " ".join(texte.split()).strip(" .")
    normal = re.sub(r"\s*([/.\-])\s*", r"\1", brut)
    if forme := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", normal):
        annee = forme[3] if len(forme[3]) == 4 else f"20{forme[3]}"
        normal = f"{forme[1]}/{forme[2]}/{annee}"
    try:
        return lire_date(normal)
    except ValueError:
        if re.fullmatch(r"[\d/.\-]+", normal) and len(re.findall(r"\d+", normal)) == 3:
            raise ValueError(f"« {brut} » n'est pas une date du calendrier (vérifiez le jour et le mois)") from None
        exemple = _exemple(brut, reference)
        raise ValueError(f"« {brut} » n'est pas une date lisible (écrivez {exemple:%d/%m/%Y})") from None


def lire_statut(texte: str) -> StatutAction:
    """Le statut d'une action : « Terminée » → fait, « en cours » → en_cours, « abandonnée » → abandonnee.

    Le même lecteur que `ctg action modifier --statut` (`StatutAction.lire`) : ce que l'un accepte, l'autre aussi.
    """
    return StatutAction.lire(texte)


def lire_numero(texte: str) -> int:
    """Le numéro d'une décision : « 3 », « 3. », « n° 3 », « D3 »."""
    if forme := re.fullmatch(r"\D{0,10}?(\d{1,4})\s*[.)]?", " ".join(texte.split())):
        return int(forme[1])
    raise ValueError(f"« {' '.join(texte.split())} » n'est pas un numéro de décision (écrivez 1, 2, 3…)")
