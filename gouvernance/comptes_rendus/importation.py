"""Ranger en base ce que le secrétaire a écrit dans le compte rendu : présences, décisions, actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.accords import accorder_nombre
from gouvernance.comptes_rendus.preparation import identifiant_document
from gouvernance.comptes_rendus.regles import exiger_reunion_tenue
from gouvernance.comptes_rendus.vue import ActionLue, CompteRenduLu, DecisionLue, PresenceLue
from gouvernance.erreurs import DonneesInvalides
from gouvernance.textes import cle_de_comparaison
from modeles import (
    Action,
    CompteRendu,
    Decision,
    Discussion,
    Enjeu,
    Invitation,
    Orientation,
    Partenaire,
    Personne,
    Presence,
    Reunion,
    RoleMembre,
    StatutCompteRendu,
    StatutReunion,
)


@dataclass
class BilanCompteRendu:
    """Ce que l'import a relevé et changé, pour le montrer avant (ou sans) l'enregistrer."""

    presences: dict[Presence, int] = field(default_factory=dict)
    #: Les participants dont la présence est restée « non renseigné » : la validation les attend.
    non_renseignes: list[str] = field(default_factory=list)
    #: La civilité de chaque personne comptée, par présence, pour accorder « 8 présents, 1 excusée ».
    civilites: dict[Presence, list[str | None]] = field(default_factory=dict)
    decisions: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    suivi: list[str] = field(default_factory=list)
    changements: list[str] = field(default_factory=list)

    def lignes_resume(self) -> list[str]:
        comptes = [accorder_nombre(n, p.libelle, self.civilites.get(p, [])) for p, n in self.presences.items() if n]
        lignes = [f"Présences : {', '.join(comptes) or 'aucune'}."]
        if self.non_renseignes:
            lignes.append(
                f"Présence non renseignée : {', '.join(self.non_renseignes)} (à compléter avant la validation)."
            )
        lignes += [f"Décision {d}" for d in self.decisions] or ["Aucune décision."]
        lignes += [f"Action : {a}" for a in self.actions] or ["Aucune action."]
        lignes += [f"Suivi : {s}" for s in self.suivi]
        return lignes + self.changements


class _Resolution:
    """Confronte le document à la base ; note chaque ligne fautive au lieu de s'arrêter à la première."""

    def __init__(self, session: Session, reunion: Reunion) -> None:
        self.session = session
        self.reunion = reunion
        self.problemes: list[str] = []
        requete = select(Orientation).join(Enjeu).where(Enjeu.territoire_id == reunion.instance.territoire_id)
        self.orientations = {o.code: o for o in session.scalars(requete)}

    def orientations_de(self, codes: tuple[str, ...], ou: str) -> list[Orientation]:
        trouvees = []
        for code in codes:
            if code in self.orientations:
                trouvees.append(self.orientations[code])
            else:
                self.problemes.append(f"{ou} : l'orientation « {code} » n'existe pas dans le référentiel.")
        return trouvees

    @cached_property
    def _personnes(self) -> dict[str, Personne]:
        """L'annuaire par e-mail, « Prénom Nom » et « Nom Prénom », lu une fois pour tout le document."""
        index: dict[str, Personne] = {}
        for personne in self.session.scalars(select(Personne).order_by(Personne.id)):
            for nom in (personne.email, f"{personne.prenom} {personne.nom}", f"{personne.nom} {personne.prenom}"):
                index.setdefault(cle_de_comparaison(nom), personne)
        return index

    @cached_property
    def _partenaires(self) -> dict[str, Partenaire]:
        """Les organismes par nom et par sigle, lus une fois pour tout le document."""
        index: dict[str, Partenaire] = {}
        for partenaire in self.session.scalars(select(Partenaire).order_by(Partenaire.id)):
            for nom in (partenaire.nom, partenaire.sigle or ""):
                index.setdefault(cle_de_comparaison(nom), partenaire)
        return index

    def personne(self, nom: str) -> Personne | None:
        return self._personnes.get(cle_de_comparaison(nom))

    def responsable(self, texte: str | None, ou: str) -> tuple[Personne | None, Partenaire | None]:
        if not texte:
            return None, None
        personne = self.personne(texte)
        if personne is not None:
            return personne, None
        partenaire = self._partenaires.get(cle_de_comparaison(texte))
        if partenaire is not None:
            return None, partenaire
        self.problemes.append(
            f"{ou} : le responsable « {texte} » n'est ni une personne ni un organisme de l'annuaire "
            "(écrivez « Prénom Nom », une adresse e-mail, ou le nom ou sigle d'un partenaire)."
        )
        return None, None


def appliquer_compte_rendu(
    session: Session, reunion: Reunion, lu: CompteRenduLu, *, maintenant: datetime
) -> BilanCompteRendu:
    """Enregistre le compte rendu relu ; DonneesInvalides (rien d'enregistré par l'appelant) s'il est faux."""
    exiger_reunion_tenue(reunion, maintenant, "importé")
    if lu.identifiant != identifiant_document(reunion):
        raise DonneesInvalides(
            f"Ce fichier est le compte rendu d'une autre réunion ({lu.identifiant}), pas de la réunion "
            f"n°{reunion.id} : vérifiez le numéro de réunion ou le fichier."
        )
    compte_rendu = session.scalar(select(CompteRendu).where(CompteRendu.reunion_id == reunion.id))
    if compte_rendu is not None and compte_rendu.statut.est_fige:
        raise DonneesInvalides(
            f"Le compte rendu de la réunion n°{reunion.id} est validé : il ne peut plus être modifié."
        )
    resolution = _Resolution(session, reunion)
    bilan = BilanCompteRendu()
    _presences(resolution, lu.presences, bilan)
    decisions = [
        (d, resolution.orientations_de(d.orientations, f"tableau des décisions, ligne {d.ligne}")) for d in lu.decisions
    ]
    actions = [_resoudre_action(resolution, a, "tableau des actions") for a in lu.actions]
    suivies = [_resoudre_action(resolution, a, "tableau des actions en cours") for a in lu.actions_ouvertes]
    if resolution.problemes:
        raise DonneesInvalides(
            "Le compte rendu est refusé : rien n'a été enregistré. Corrigez le document puis relancez l'import :",
            details=resolution.problemes,
        )
    _enregistrer_decisions(session, reunion, decisions, maintenant, bilan)
    _enregistrer_actions(session, reunion, actions, maintenant, bilan)
    _enregistrer_suivi(session, suivies, maintenant, bilan)
    if compte_rendu is None:
        compte_rendu = CompteRendu(reunion_id=reunion.id, genere_le=maintenant, version=lu.version or 1)
        session.add(compte_rendu)
    compte_rendu.statut = StatutCompteRendu.IMPORTE
    if reunion.statut is not StatutReunion.ANNULEE:
        reunion.statut = StatutReunion.TENUE  # son compte rendu le dit : la réunion a eu lieu
    compte_rendu.version = max(compte_rendu.version, lu.version or 1)
    compte_rendu.secretaire = lu.secretaire
    _enregistrer_discussions(compte_rendu, lu.discussions)
    compte_rendu.importe_le = maintenant
    session.flush()
    return bilan


def _enregistrer_discussions(compte_rendu: CompteRendu, discussions: dict[int, str]) -> None:
    """Une ligne par point : mise à jour en place (un point réimporté garde sa ligne), retirée s'il a disparu."""
    existantes = {discussion.numero_point: discussion for discussion in compte_rendu.discussions}
    for numero, discussion in existantes.items():
        if numero not in discussions:
            compte_rendu.discussions.remove(discussion)
    for numero, texte in sorted(discussions.items()):
        if numero in existantes:
            existantes[numero].texte = texte
        else:
            compte_rendu.discussions.append(Discussion(numero_point=numero, texte=texte))


def _presences(resolution: _Resolution, presences: tuple[PresenceLue, ...], bilan: BilanCompteRendu) -> None:
    invitations = {cle_de_comparaison(i.personne.nom_complet): i for i in resolution.reunion.invitations}
    invitations |= {
        cle_de_comparaison(f"{i.personne.nom} {i.personne.prenom}"): i for i in resolution.reunion.invitations
    }
    bilan.presences = dict.fromkeys(Presence, 0)
    for ligne in presences:
        invitation = invitations.get(cle_de_comparaison(ligne.nom))
        if invitation is None:
            personne = resolution.personne(ligne.nom)
            if personne is None:
                resolution.problemes.append(
                    f"tableau des participants, ligne {ligne.ligne} : « {ligne.nom} » n'est ni invité(e) ni dans "
                    "l'annuaire (ajoutez la personne avec `ctg personnes ajouter`, ou corrigez son nom)."
                )
                continue
            invitation = Invitation(personne=personne, role=RoleMembre.INVITE)
            resolution.reunion.invitations.append(invitation)
        invitation.presence = ligne.presence
        invitation.represente_par = ligne.represente_par
        if ligne.presence is None:
            bilan.non_renseignes.append(invitation.personne.nom_complet)
        else:
            bilan.presences[ligne.presence] += 1
            bilan.civilites.setdefault(ligne.presence, []).append(invitation.personne.civilite)


@dataclass(frozen=True)
class _ActionResolue:
    lue: ActionLue
    orientations: list[Orientation]
    personne: Personne | None
    partenaire: Partenaire | None


def _resoudre_action(resolution: _Resolution, action: ActionLue, tableau: str) -> _ActionResolue:
    ou = f"{tableau}, ligne {action.ligne}"
    orientations = resolution.orientations_de(action.orientations, ou)
    personne, partenaire = resolution.responsable(action.responsable, ou)
    return _ActionResolue(action, orientations, personne, partenaire)


def _enregistrer_decisions(
    session: Session,
    reunion: Reunion,
    decisions: list[tuple[DecisionLue, list[Orientation]]],
    maintenant: datetime,
    bilan: BilanCompteRendu,
) -> None:
    existantes = {d.numero: d for d in session.scalars(select(Decision).where(Decision.reunion_id == reunion.id))}
    gardees: set[int] = set()
    prochain = 1
    for lue, orientations in decisions:
        numero = lue.numero or prochain
        while numero in gardees:
            numero += 1
        prochain = numero + 1
        gardees.add(numero)
        decision = existantes.get(numero)
        if decision is None:
            decision = Decision(reunion_id=reunion.id, numero=numero, texte=lue.texte, cree_le=maintenant)
            session.add(decision)
        decision.texte = lue.texte
        decision.orientations = orientations
        codes = ", ".join(o.code for o in orientations)
        bilan.decisions.append(f"n°{numero} : {lue.texte}" + (f" (orientations {codes})" if codes else ""))
    for numero, decision in existantes.items():
        if numero not in gardees:
            session.delete(decision)
            bilan.changements.append(f"Décision n°{numero} retirée (elle n'est plus dans le document).")


def _enregistrer_actions(
    session: Session, reunion: Reunion, actions: list[_ActionResolue], maintenant: datetime, bilan: BilanCompteRendu
) -> None:
    existantes = list(session.scalars(select(Action).where(Action.reunion_id == reunion.id)))
    par_id = {a.id: a for a in existantes}
    par_libelle = {cle_de_comparaison(a.libelle): a for a in existantes}
    gardees: set[int] = set()
    for resolue in actions:
        lue = resolue.lue
        action = par_id.get(lue.identifiant or -1) or par_libelle.get(cle_de_comparaison(lue.libelle))
        if action is None or action.id in gardees:
            action = Action(reunion_id=reunion.id, libelle=lue.libelle, cree_le=maintenant)
            session.add(action)
        _remplir(action, resolue, maintenant)
        session.flush()
        gardees.add(action.id)
        echeance = f", échéance {lue.echeance:%d/%m/%Y}" if lue.echeance else ""
        bilan.actions.append(f"{lue.libelle} — {lue.responsable or 'sans responsable'}{echeance}")
    for action in existantes:
        if action.id not in gardees:
            session.delete(action)
            bilan.changements.append(f"Action « {action.libelle} » retirée (elle n'est plus dans le document).")


def _remplir(action: Action, resolue: _ActionResolue, maintenant: datetime) -> None:
    lue = resolue.lue
    action.libelle = lue.libelle
    action.responsable = lue.responsable
    action.personne = resolue.personne
    action.partenaire = resolue.partenaire
    action.echeance = lue.echeance
    action.orientations = resolue.orientations
    if lue.statut:
        action.statut = lue.statut
    action.modifie_le = maintenant


def _enregistrer_suivi(
    session: Session, suivies: list[_ActionResolue], maintenant: datetime, bilan: BilanCompteRendu
) -> None:
    for resolue in suivies:
        lue = resolue.lue
        action = session.get(Action, lue.identifiant) if lue.identifiant else None
        if action is None:
            continue
        if lue.statut and lue.statut != action.statut:
            bilan.suivi.append(f"« {action.libelle} » : {action.statut.libelle} → {lue.statut.libelle}")
            action.statut = lue.statut
            action.modifie_le = maintenant
        if lue.echeance and lue.echeance != action.echeance:
            action.echeance = lue.echeance
            action.modifie_le = maintenant
