"""Les conventions d'un territoire avec la CAF : les lister, en ajouter une, modifier la convention en cours.

Une CTG dure quatre ou cinq ans puis est renouvelée : un territoire en a donc plusieurs, dont les périodes ne se
chevauchent jamais. Les réunions, décisions et bilans relèvent de la convention en vigueur à leur date ; ce lien
se déduit de la période plutôt que d'être enregistré, pour qu'une période corrigée emporte ses réunions avec elle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gouvernance import saisie
from gouvernance.dates import lire_date
from gouvernance.erreurs import DonneesInvalides
from gouvernance.partenaires import exiger_partenaire
from gouvernance.personnes import exiger_personne
from gouvernance.reunions.vue import FUSEAU
from modeles import Convention, Instance, Reunion, Signataire, StatutConvention, Territoire

#: La longueur maximale d'un intitulé de convention (celle de la colonne).
LONGUEUR_INTITULE = 300


@dataclass(frozen=True)
class SignataireVue:
    partenaire: str
    personne: str | None
    signe_le: date | None


@dataclass(frozen=True)
class LigneConvention:
    """Une convention telle que la montrent `ctg conventions` et `ctg convention`."""

    id: int
    intitule: str
    debut: date | None
    fin: date | None
    statut: StatutConvention
    en_vigueur: bool
    signataires: tuple[SignataireVue, ...]
    reunions: int

    @property
    def periode(self) -> str:
        if self.debut is None or self.fin is None:
            return "période non renseignée"
        return f"du {self.debut:%d/%m/%Y} au {self.fin:%d/%m/%Y}"

    def en_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "intitule": self.intitule,
            "debut": self.debut.isoformat() if self.debut else None,
            "fin": self.fin.isoformat() if self.fin else None,
            "statut": self.statut.value,
            "statut_libelle": self.statut.libelle,
            "en_vigueur": self.en_vigueur,
            "signataires": [
                {
                    "partenaire": s.partenaire,
                    "personne": s.personne,
                    "signe_le": s.signe_le.isoformat() if s.signe_le else None,
                }
                for s in self.signataires
            ],
            "reunions": self.reunions,
        }


@dataclass(frozen=True)
class Signature:
    """Un signataire à enregistrer : l'organisme (nom ou sigle), la personne (adresse), la date."""

    partenaire: str
    personne: str | None = None
    signe_le: str | None = None


def lister_conventions(session: Session, territoire: Territoire, *, aujourd_hui: date) -> list[LigneConvention]:
    """Les conventions du territoire, de la plus ancienne à la plus récente, avec leurs réunions comptées."""
    conventions = list(
        session.scalars(
            select(Convention)
            .where(Convention.territoire_id == territoire.id)
            .order_by(Convention.debut, Convention.id)
            .options(selectinload(Convention.signataires).selectinload(Signataire.partenaire))
            .options(selectinload(Convention.signataires).selectinload(Signataire.personne))
        )
    )
    jours = [
        debut.astimezone(FUSEAU).date()
        for debut in session.scalars(
            select(Reunion.debut)
            .join(Instance, Reunion.instance_id == Instance.id)
            .where(Instance.territoire_id == territoire.id)
        )
    ]
    return [_ligne(convention, jours, aujourd_hui) for convention in conventions]


def ajouter_convention(
    session: Session, territoire: Territoire, *, debut: str, fin: str, intitule: str | None, statut: str | None = None
) -> Convention:
    """Ajoute une convention (un renouvellement) ; refuse une période qui chevauche une autre convention."""
    date_debut, date_fin = _date("début", debut), _date("fin", fin)
    nouvel_intitule = (
        _intitule(intitule) or f"Convention territoriale globale de {territoire.nom} {date_debut.year}–{date_fin.year}"
    )
    convention = Convention(
        intitule=nouvel_intitule,
        debut=date_debut,
        fin=date_fin,
        statut=lire_statut(statut) if statut else StatutConvention.EN_PREPARATION,
    )
    _verifier_periode(territoire, convention)
    territoire.conventions.append(convention)
    session.flush()
    return convention


def modifier_convention(
    session: Session,
    territoire: Territoire,
    *,
    debut: str | None,
    fin: str | None,
    intitule: str | None,
    statut: str | None = None,
    signature: Signature | None = None,
    aujourd_hui: date,
) -> Convention:
    """Modifie la convention en cours (en vigueur, sinon la plus récente) ; la crée si le territoire n'en a pas."""
    nouvel_intitule = _intitule(intitule)
    date_debut = _date("début", debut) if debut else None
    date_fin = _date("fin", fin) if fin else None
    convention = territoire.convention_courante(aujourd_hui)
    if convention is None:
        convention = Convention(intitule=nouvel_intitule or f"Convention territoriale globale de {territoire.nom}")
        territoire.conventions.append(convention)
    if nouvel_intitule:
        convention.intitule = nouvel_intitule
    convention.debut = date_debut or convention.debut
    convention.fin = date_fin or convention.fin
    if statut:
        convention.statut = lire_statut(statut)
    _verifier_periode(territoire, convention)
    if signature is not None:
        _signer(session, convention, signature)
    session.flush()
    return convention


def lire_statut(texte: str) -> StatutConvention:
    """Le statut écrit par l'utilisateur : « signée », « signee », « en préparation », « échue »…"""
    try:
        return StatutConvention.lire(texte)
    except ValueError:
        valides = ", ".join(f"« {statut.libelle} »" for statut in StatutConvention)
        raise DonneesInvalides(f"Convention : statut « {texte} » inconnu. Statuts possibles : {valides}.") from None


def _ligne(convention: Convention, jours: list[date], aujourd_hui: date) -> LigneConvention:
    return LigneConvention(
        id=convention.id,
        intitule=convention.intitule,
        debut=convention.debut,
        fin=convention.fin,
        statut=convention.statut,
        en_vigueur=convention.est_en_vigueur(aujourd_hui),
        signataires=tuple(
            SignataireVue(
                partenaire=s.partenaire.nom,
                personne=s.personne.nom_complet if s.personne else None,
                signe_le=s.signe_le,
            )
            for s in convention.signataires
        ),
        reunions=sum(1 for jour in jours if convention.est_en_vigueur(jour)),
    )


def _signer(session: Session, convention: Convention, signature: Signature) -> None:
    partenaire = exiger_partenaire(session, signature.partenaire)
    personne = exiger_personne(session, signature.personne) if signature.personne else None
    signe_le = _date("date de signature", signature.signe_le) if signature.signe_le else None
    signataire = next((s for s in convention.signataires if s.partenaire_id == partenaire.id), None)
    if signataire is None:
        signataire = Signataire(partenaire=partenaire)
        convention.signataires.append(signataire)
    signataire.personne = personne or signataire.personne
    signataire.signe_le = signe_le or signataire.signe_le


def _verifier_periode(territoire: Territoire, convention: Convention) -> None:
    debut, fin = convention.debut, convention.fin
    if debut is None or fin is None:
        return
    if fin <= debut:
        raise DonneesInvalides(f"Convention : la fin ({fin:%d/%m/%Y}) doit venir après le début ({debut:%d/%m/%Y}).")
    for autre in territoire.conventions:
        if autre is convention or autre.debut is None or autre.fin is None:
            continue
        if debut <= autre.fin and autre.debut <= fin:
            raise DonneesInvalides(
                f"Convention : la période du {debut:%d/%m/%Y} au {fin:%d/%m/%Y} chevauche celle de "
                f"« {autre.intitule} » (du {autre.debut:%d/%m/%Y} au {autre.fin:%d/%m/%Y}). Deux conventions "
                "d'un territoire ne peuvent pas se chevaucher : commencez la nouvelle après le "
                f"{autre.fin + timedelta(days=1):%d/%m/%Y}, ou corrigez la période de l'autre."
            )


def _date(champ: str, texte: str | None) -> date:
    try:
        return lire_date(texte or "")
    except ValueError as erreur:
        raise DonneesInvalides(f"Convention, {champ} : {erreur}.") from erreur


def _intitule(texte: str | None) -> str | None:
    try:
        intitule = saisie.une_ligne("intitulé", texte)
    except ValueError as erreur:
        raise DonneesInvalides(f"Convention : {erreur}.") from erreur
    if intitule is not None and len(intitule) > LONGUEUR_INTITULE:
        raise DonneesInvalides(
            f"Convention : l'intitulé compte {len(intitule)} caractères, "
            f"{LONGUEUR_INTITULE} au plus : raccourcissez-le."
        )
    return intitule
