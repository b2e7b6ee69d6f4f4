"""Calculer les chiffres du bilan à partir des objets de la base déjà chargés : des fonctions pures, sans requête."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from gouvernance.bilan.chiffres import (
    CATEGORIES_ACTION,
    SANS_ORGANISME,
    STATUTS_RELEVES,
    ActionEnRetard,
    Bilan,
    LigneCouverture,
    LigneInstance,
    LignePresence,
    LigneStatut,
    ReunionTenue,
)
from gouvernance.comptes_rendus.preparation import origine
from gouvernance.comptes_rendus.suivi import est_en_retard
from gouvernance.reunions.vue import FUSEAU, jour_a_paris
from gouvernance.textes import cle_de_comparaison
from modeles import (
    Action,
    Decision,
    Enjeu,
    Invitation,
    Partenaire,
    Presence,
    Reunion,
    StatutAction,
    StatutCompteRendu,
    StatutReunion,
)


def bornes_de_l_annee(annee: int) -> tuple[datetime, datetime]:
    """Du 1er janvier 0 h à Paris au 1er janvier suivant 0 h à Paris (l'heure d'hiver s'applique aux deux)."""
    return datetime(annee, 1, 1, tzinfo=FUSEAU), datetime(annee + 1, 1, 1, tzinfo=FUSEAU)


def est_tenue(reunion: Reunion, arrete_le: datetime) -> bool:
    return reunion.statut is not StatutReunion.ANNULEE and reunion.fin <= arrete_le


def presences_relevees(reunion: Reunion, statuts_comptes_rendus: Mapping[int, StatutCompteRendu]) -> bool:
    return statuts_comptes_rendus.get(reunion.id) in STATUTS_RELEVES


def partenaire_de(invitation: Invitation, jour: date) -> Partenaire | None:
    """L'organisme de l'invité le jour de la réunion (sa fonction d'alors), à défaut celui d'aujourd'hui."""
    fonctions = invitation.personne.fonctions
    alors = [f for f in fonctions if f.debut <= jour and (f.fin is None or f.fin >= jour) and f.partenaire]
    if alors:
        return alors[-1].partenaire
    actuelle = invitation.personne.fonction_actuelle
    return actuelle.partenaire if actuelle else None


def _ligne_instance(code: str, intitule: str, reunions: Sequence[Reunion], arrete_le: datetime) -> LigneInstance:
    annulees = sum(r.statut is StatutReunion.ANNULEE for r in reunions)
    tenues = sum(est_tenue(r, arrete_le) for r in reunions)
    return LigneInstance(code, intitule, tenues, annulees, len(reunions) - annulees - tenues)


def compter_par_instance(reunions: Sequence[Reunion], arrete_le: datetime) -> tuple[LigneInstance, ...]:
    """Une ligne par instance qui a eu au moins une réunion dans l'année (tenue, annulée ou à venir)."""
    par_instance: dict[str, list[Reunion]] = {}
    intitules: dict[str, str] = {}
    for reunion in sorted(reunions, key=lambda r: r.instance.code):
        par_instance.setdefault(reunion.instance.code, []).append(reunion)
        intitules[reunion.instance.code] = reunion.instance.intitule
    return tuple(_ligne_instance(code, intitules[code], liste, arrete_le) for code, liste in par_instance.items())


def compter_presences(
    tenues: Iterable[Reunion], statuts_comptes_rendus: Mapping[int, StatutCompteRendu]
) -> tuple[LignePresence, ...]:
    """Une ligne par partenaire, le plus invité d'abord ; les personnes sans organisme en dernier."""
    compteurs: dict[tuple[str, str], Counter[str]] = {}
    for reunion in tenues:
        if not presences_relevees(reunion, statuts_comptes_rendus):
            continue
        jour = jour_a_paris(reunion.debut)
        for invitation in reunion.invitations:
            if invitation.presence is None:  # absent du tableau du compte rendu : rien de relevé
                continue
            partenaire = partenaire_de(invitation, jour)
            cle = (partenaire.nom, partenaire.sigle or "") if partenaire else (SANS_ORGANISME, "")
            compteurs.setdefault(cle, Counter())[invitation.presence] += 1
    lignes = [
        LignePresence(
            nom,
            sum(c.values()),
            c[Presence.PRESENT],
            c[Presence.REPRESENTE],
            c[Presence.EXCUSE],
            c[Presence.ABSENT],
            sigle,
        )
        for (nom, sigle), c in compteurs.items()
    ]
    return tuple(
        sorted(
            lignes,
            key=lambda ligne: (
                ligne.partenaire == SANS_ORGANISME,
                -ligne.invitations,
                cle_de_comparaison(ligne.partenaire),
            ),
        )
    )


def couvrir_orientations(
    enjeux: Sequence[Enjeu],
    tenues: Sequence[Reunion],
    decisions: Sequence[Decision],
    actions: Sequence[Action],
) -> tuple[LigneCouverture, ...]:
    """Pour chaque orientation du référentiel, dans l'ordre : les réunions, décisions et actions qui l'ont citée."""
    reunions_de: dict[int, list[str]] = {}
    for reunion in sorted(tenues, key=lambda r: r.debut):
        citees = {o.id for point in reunion.points for o in point.orientations}
        citees |= {o.id for d in decisions if d.reunion_id == reunion.id for o in d.orientations}
        citees |= {o.id for a in actions if a.reunion_id == reunion.id for o in a.orientations}
        for identifiant in citees:
            reunions_de.setdefault(identifiant, []).append(origine(reunion))
    decisions_de: dict[int, list[str]] = {}
    for decision in decisions:
        for orientation in decision.orientations:
            texte = f"{origine(decision.reunion)}, n°{decision.numero}\u00a0: {decision.texte}"
            decisions_de.setdefault(orientation.id, []).append(texte)
    actions_de: dict[int, list[str]] = {}
    for action in actions:
        for orientation in action.orientations:
            actions_de.setdefault(orientation.id, []).append(action.libelle)
    return tuple(
        LigneCouverture(
            enjeu.numero,
            enjeu.libelle,
            f"{enjeu.numero}.{orientation.numero}",
            orientation.intitule,
            tuple(reunions_de.get(orientation.id, ())),
            tuple(decisions_de.get(orientation.id, ())),
            tuple(actions_de.get(orientation.id, ())),
        )
        for enjeu in sorted(enjeux, key=lambda e: e.numero)
        for orientation in enjeu.orientations
    )


def categorie_action(action: Action, jour: date) -> str:
    """Une clé de CATEGORIES_ACTION : une action ouverte dont l'échéance est passée est en retard."""
    if action.statut in (StatutAction.FAIT, StatutAction.ABANDONNEE):
        return action.statut.value
    if est_en_retard(action, jour):
        return "en_retard"
    return action.statut.value if action.statut in CATEGORIES_ACTION else StatutAction.A_FAIRE.value


def compter_actions(actions: Sequence[Action], jour: date) -> tuple[LigneStatut, ...]:
    nombres = Counter(categorie_action(action, jour) for action in actions)
    return tuple(LigneStatut(cle, libelle, nombres[cle]) for cle, libelle in CATEGORIES_ACTION.items())


def lister_retards(actions: Sequence[Action], jour: date) -> tuple[ActionEnRetard, ...]:
    """Les actions en retard, la plus ancienne échéance d'abord."""
    retards = [a for a in actions if est_en_retard(a, jour)]
    return tuple(
        ActionEnRetard(
            action.id,
            action.libelle,
            action.responsable or "",
            action.echeance,
            origine(action.reunion),
            tuple(sorted((o.code for o in action.orientations), key=_cle_code)),
        )
        for action in sorted(retards, key=lambda a: (a.echeance, a.id))
        if action.echeance is not None
    )


def _cle_code(code: str) -> tuple[int, ...]:
    return tuple(int(morceau) for morceau in code.split("."))


def calculer_bilan(
    *,
    territoire: str,
    annee: int,
    arrete_le: datetime,
    convention: str | None = None,
    enjeux: Sequence[Enjeu],
    reunions: Sequence[Reunion],
    statuts_comptes_rendus: Mapping[int, StatutCompteRendu],
    decisions: Sequence[Decision],
    actions: Sequence[Action],
) -> Bilan:
    """Le bilan de l'année : `reunions` sont celles qui commencent dans l'année, décisions et actions les leurs."""
    tenues = [r for r in sorted(reunions, key=lambda r: r.debut) if est_tenue(r, arrete_le)]
    ids_tenues = {r.id for r in tenues}
    decisions = [d for d in decisions if d.reunion_id in ids_tenues]
    actions = [a for a in actions if a.reunion_id in ids_tenues]
    jour = jour_a_paris(arrete_le)
    return Bilan(
        territoire=territoire,
        annee=annee,
        arrete_au=jour,
        convention=convention,
        instances=compter_par_instance(reunions, arrete_le),
        reunions=tuple(
            ReunionTenue(
                r.id,
                jour_a_paris(r.debut),
                r.instance.code,
                r.instance.intitule,
                r.titre,
                presences_relevees(r, statuts_comptes_rendus),
            )
            for r in tenues
        ),
        presences=compter_presences(tenues, statuts_comptes_rendus),
        couverture=couvrir_orientations(enjeux, tenues, decisions, actions),
        decisions=len(decisions),
        actions=compter_actions(actions, jour),
        en_retard=lister_retards(actions, jour),
    )
