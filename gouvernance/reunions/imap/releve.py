"""Relever la boîte du coordinateur : chaque nouveau courriel est examiné une fois, ses réponses appliquées.

La lecture (réseau, `lecture.py`) et l'enregistrement (base, ici) sont séparés : la base n'est verrouillée
qu'une fois tous les courriels téléchargés. Une réponse suit exactement les règles de `ctg reponses importer`
(révision dépassée ou jamais envoyée, UID inconnu, personne non invitée, réunion annulée, réponse plus
ancienne : signalées, pas appliquées ; expéditeur qui n'est pas l'invité, authentification en échec : mise
de côté « à vérifier »).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.reunions.imap.bilan import BilanReleve, LigneReleve
from gouvernance.reunions.imap.lecture import CourrielLu, DejaTraites, Releve, lire_boite
from gouvernance.reunions.reponses import ResultatReponse, appliquer_fichiers
from gouvernance.reunions.reponses_fichiers import lire_octets
from modeles import CourrielRecu, ResultatCourriel

__all__ = [
    "BilanReleve",
    "DejaTraites",
    "LigneReleve",
    "Releve",
    "charger_deja_traites",
    "enregistrer_releve",
    "lire_boite",
]


def charger_deja_traites(session: Session, dossier: str, *, retraiter_les_refus: bool = False) -> DejaTraites:
    """Ce qui a déjà été relevé dans `dossier` ; avec `retraiter_les_refus`, les courriels refusés n'en sont pas.

    Une réponse refusée (adresse absente de l'annuaire, par exemple) peut devenir valable une fois l'annuaire
    corrigé : `ctg reponses relever --retraiter` la relit alors.
    """
    uids: dict[int, set[int]] = {}
    message_ids: set[str] = set()
    requete = select(CourrielRecu.uidvalidity, CourrielRecu.uid, CourrielRecu.message_id).where(
        CourrielRecu.dossier == dossier
    )
    if retraiter_les_refus:
        requete = requete.where(CourrielRecu.resultat != ResultatCourriel.REFUSE)
    for uidvalidity, uid, message_id in session.execute(requete):
        uids.setdefault(uidvalidity, set()).add(uid)
        if message_id:
            message_ids.add(message_id)
    return DejaTraites({cle: frozenset(valeurs) for cle, valeurs in uids.items()}, frozenset(message_ids))


def enregistrer_releve(session: Session, releve: Releve, *, maintenant: datetime) -> BilanReleve:
    """Applique les réponses des courriels relevés et note chaque courriel comme traité ; rien n'est retraité."""
    enregistres = _deja_enregistres(session, releve)
    lignes: list[LigneReleve] = []
    sans_calendrier = doublons = 0
    for courriel in releve.courriels:
        deja = enregistres.get(courriel.uid)
        if (
            deja is not None and deja.resultat is not ResultatCourriel.REFUSE
        ):  # un autre relevé, lancé en même temps, l'a traité
            continue
        resultats = _traiter(session, courriel, releve.taille_max, maintenant=maintenant)
        lignes.extend(resultats)
        sans_calendrier += courriel.nature == "sans_calendrier"
        doublons += courriel.nature == "deja_traite"
        # Un courriel refusé que l'on retraite garde sa ligne, mise à jour : jamais deux lignes pour un courriel.
        ligne = deja or CourrielRecu(dossier=releve.dossier, uidvalidity=releve.uidvalidity, uid=courriel.uid)
        ligne.message_id = courriel.message_id
        ligne.resultat = _resultat(courriel, resultats)
        ligne.detail = "\n".join(resultat.texte for resultat in resultats) or None
        ligne.traite_le = maintenant
        session.add(ligne)
    session.flush()
    return BilanReleve(releve.dossier, tuple(lignes), sans_calendrier, doublons, releve.deja_releves)


def _traiter(session: Session, courriel: CourrielLu, taille_max: int, *, maintenant: datetime) -> list[LigneReleve]:
    if courriel.nature == "trop_volumineux":
        texte = (
            f"courriel trop volumineux ({_taille(courriel.taille)} ; {_taille(taille_max)} au plus) : "
            "il n'est pas téléchargé, ouvrez-le dans votre messagerie"
        )
        return [LigneReleve(courriel.uid, courriel.expediteur, courriel.objet, "refuse", texte)]
    if courriel.nature != "calendrier" or courriel.contenu is None:
        return []
    lu = lire_octets(f"courriel n°{courriel.uid}", courriel.contenu)
    bilan = appliquer_fichiers(session, [lu], maintenant=maintenant)
    return [_ligne(courriel, resultat) for resultat in bilan.resultats]


def _ligne(courriel: CourrielLu, resultat: ResultatReponse) -> LigneReleve:
    # Les raisons sont écrites pour `ctg reponses importer`, qui lit des fichiers ; ici, ce sont des courriels.
    texte = resultat.texte.replace("ce fichier", "ce courriel")
    if resultat.etat != "applique" and resultat.email and resultat.email.casefold() not in texte.casefold():
        texte = f"réponse de {resultat.email} : {texte}"
    return LigneReleve(
        courriel.uid, courriel.expediteur, courriel.objet, resultat.etat, texte, resultat.reunion, resultat.reponse
    )


def _resultat(courriel: CourrielLu, lignes: Sequence[LigneReleve]) -> ResultatCourriel:
    """Ce qu'on retient du courriel : une réponse enregistrée l'emporte sur une réponse à vérifier, celle-ci sur
    un refus, un refus sur « rien de neuf »."""
    if courriel.nature != "calendrier":
        return ResultatCourriel(courriel.nature)
    etats = {ligne.etat for ligne in lignes}
    return next(
        (
            etat
            for etat in (ResultatCourriel.APPLIQUE, ResultatCourriel.A_VERIFIER, ResultatCourriel.REFUSE)
            if etat in etats
        ),
        ResultatCourriel.IGNORE,
    )


def _taille(octets: int) -> str:
    """« 6,2 Mo », « 4,9 ko »."""
    valeur, unite = (octets / 2**20, "Mo") if octets >= 2**20 else (octets / 1024, "ko")
    return f"{valeur:.1f}".replace(".", ",").removesuffix(",0") + f"\u00a0{unite}"


def _deja_enregistres(session: Session, releve: Releve) -> dict[int, CourrielRecu]:
    """Les lignes déjà enregistrées des courriels relus, par UID (refusés à retraiter, ou relevé concurrent)."""
    uids = {courriel.uid for courriel in releve.courriels}
    if not uids:
        return {}
    requete = select(CourrielRecu).where(
        CourrielRecu.dossier == releve.dossier,
        CourrielRecu.uidvalidity == releve.uidvalidity,
        CourrielRecu.uid.in_(uids),
    )
    return {ligne.uid: ligne for ligne in session.scalars(requete)}
