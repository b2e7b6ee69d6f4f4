"""Importer les contacts d'un territoire : personnes, fonctions datées, organismes, adhésions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gouvernance.contacts_csv import COLONNES, LigneContact, lire_contacts_csv
from gouvernance.erreurs import DonneesInvalides
from gouvernance.organismes_proches import expliquer_proche, partenaires_proches
from gouvernance.textes import cle_de_comparaison
from modeles.acteurs import Fonction, Partenaire, Personne
from modeles.instance import Instance, Membre
from modeles.territoire import Territoire

__all__ = ["COLONNES", "BilanContacts", "LigneContact", "enregistrer_contacts", "lire_contacts_csv"]


@dataclass
class BilanContacts:
    """Ce que l'import a fait : personnes par adresse, organismes par nom, adhésions (adresse, instance)."""

    personnes_creees: list[str] = field(default_factory=list)
    personnes_modifiees: list[str] = field(default_factory=list)
    personnes_inchangees: list[str] = field(default_factory=list)
    organismes_crees: list[str] = field(default_factory=list)
    adhesions_ajoutees: list[tuple[str, str]] = field(default_factory=list)
    adhesions_retirees: list[tuple[str, str]] = field(default_factory=list)

    def lignes_resume(self) -> list[str]:
        """Le bilan en quelques phrases, pour l'affichage."""
        creees, modifiees = len(self.personnes_creees), len(self.personnes_modifiees)
        inchangees = len(self.personnes_inchangees)
        lignes = [
            f"{creees} {_accorder(creees, 'personne créée', 'personnes créées')}, "
            f"{modifiees} {_accorder(modifiees, 'modifiée', 'modifiées')}, "
            f"{inchangees} {_accorder(inchangees, 'inchangée', 'inchangées')}"
        ]
        if self.organismes_crees:
            titre = _accorder(len(self.organismes_crees), "Organisme créé", "Organismes créés")
            lignes.append(f"{titre} : {', '.join(self.organismes_crees)}")
        for adhesions, singulier, pluriel in (
            (self.adhesions_ajoutees, "adhésion ajoutée", "adhésions ajoutées"),
            (self.adhesions_retirees, "adhésion retirée", "adhésions retirées"),
        ):
            if adhesions:
                liste = ", ".join(f"{email} ({code})" for email, code in adhesions)
                lignes.append(f"{len(adhesions)} {_accorder(len(adhesions), singulier, pluriel)} : {liste}")
        return lignes


def _accorder(nombre: int, singulier: str, pluriel: str) -> str:
    return singulier if nombre <= 1 else pluriel


def enregistrer_contacts(
    session: Session,
    territoire: Territoire,
    lignes: Sequence[LigneContact],
    *,
    aujourd_hui: date,
    creer_organismes: bool = False,
) -> BilanContacts:
    """Enregistre les contacts dans la session sans valider ; une personne existante est mise à jour.

    Un organisme inconnu est créé, sauf s'il ressemble à un partenaire connu (« Caf 31 », « Mairie de
    l'Union ») : l'import est alors refusé en nommant le partenaire probable, à moins de `creer_organismes`.
    """
    instances = {
        instance.code.casefold(): instance
        for instance in session.scalars(select(Instance).where(Instance.territoire == territoire))
    }
    organismes = _Organismes(session, territoire)
    _verifier(session, lignes, instances, organismes)
    if not creer_organismes:
        _refuser_organismes_proches(lignes, organismes)
    emails = [ligne.email for ligne in lignes]
    personnes = {
        personne.email.lower(): personne
        for personne in session.scalars(select(Personne).where(func.lower(Personne.email).in_(emails)))
    }
    adhesions: dict[int, list[Membre]] = {}
    requete = select(Membre).join(Membre.instance).where(Instance.territoire == territoire)
    for membre in session.scalars(requete):
        adhesions.setdefault(membre.personne_id, []).append(membre)
    bilan = BilanContacts()
    for ligne in lignes:
        personne = personnes.get(ligne.email)
        creee = personne is None
        if personne is None:
            personne = Personne(email=ligne.email, prenom=ligne.prenom, nom=ligne.nom)
            session.add(personne)
        modifiee = _mettre_a_jour_identite(personne, ligne)
        if ligne.fonction or ligne.organisme:
            partenaire = organismes.obtenir(ligne.organisme) if ligne.organisme else None
            modifiee |= _mettre_a_jour_fonction(personne, ligne, partenaire, aujourd_hui)
        if "instances" in ligne.colonnes:
            voulues = [instances[code.casefold()] for code in ligne.instances]
            actuelles = [] if creee else adhesions.get(personne.id, [])
            modifiee |= _synchroniser_adhesions(personne, voulues, actuelles, bilan)
        if creee:
            bilan.personnes_creees.append(ligne.email)
        elif modifiee:
            bilan.personnes_modifiees.append(ligne.email)
        else:
            bilan.personnes_inchangees.append(ligne.email)
    bilan.organismes_crees = organismes.crees
    session.flush()
    return bilan


def _adresses_deja_prises(ligne: LigneContact, connues: dict[str, Personne]) -> list[str]:
    """Les adresses secondaires de la ligne qui sont déjà celles d'une autre personne de l'annuaire."""
    return [
        f"ligne {ligne.numero_ligne}, colonne « emails_secondaires » : « {adresse} » est déjà une adresse de "
        f"{connues[adresse].nom_complet or connues[adresse].email} ({connues[adresse].email}) ; une adresse "
        "n'appartient qu'à une personne."
        for adresse in ligne.emails_secondaires
        if adresse in connues and connues[adresse].email != ligne.email
    ]


def _verifier(
    session: Session,
    lignes: Sequence[LigneContact],
    instances: dict[str, Instance],
    organismes: _Organismes,
) -> None:
    """Refuse d'emblée, avant toute écriture, une instance d'un autre territoire ou un organisme ambigu."""
    problemes: list[str] = []
    premieres_lignes: dict[str, int] = {}
    adresses_connues = {
        adresse: personne for personne in session.scalars(select(Personne)) for adresse in personne.adresses
    }
    for ligne in lignes:
        premiere = premieres_lignes.setdefault(ligne.email, ligne.numero_ligne)
        if premiere != ligne.numero_ligne:
            problemes.append(f"ligne {ligne.numero_ligne} : l'adresse « {ligne.email} » figure déjà ligne {premiere}.")
        for code in ligne.instances:
            if code.casefold() not in instances:
                problemes.append(f"ligne {ligne.numero_ligne} : l'instance « {code} » n'existe pas dans ce territoire.")
        problemes += _adresses_deja_prises(ligne, adresses_connues)
        candidats = organismes.candidats(ligne.organisme) if ligne.organisme else []
        if len(candidats) > 1:
            noms = ", ".join(f"« {partenaire.nom} »" for partenaire in candidats)
            problemes.append(
                f"ligne {ligne.numero_ligne}, colonne « organisme » : « {ligne.organisme} » peut désigner "
                f"plusieurs organismes ({noms}) ; écrivez le nom complet."
            )
    if problemes:
        raise DonneesInvalides(
            "Les contacts sont refusés : rien n'a été enregistré. Corrigez ces lignes puis relancez l'import.",
            details=problemes,
        )


def _refuser_organismes_proches(lignes: Sequence[LigneContact], organismes: _Organismes) -> None:
    """Refuse un organisme inconnu qui ressemble à un partenaire connu, en nommant ce partenaire."""
    numeros: dict[str, list[int]] = {}
    for ligne in lignes:
        if ligne.organisme and not organismes.candidats(ligne.organisme):
            numeros.setdefault(ligne.organisme, []).append(ligne.numero_ligne)
    problemes = []
    for nom, lignes_du_nom in numeros.items():
        proches = organismes.proches(nom)
        if proches:
            problemes.append(f"{_lignes(lignes_du_nom)}, colonne « organisme » : {expliquer_proche(nom, proches[0])}")
    if problemes:
        raise DonneesInvalides(
            "Les contacts sont refusés : rien n'a été enregistré. Ces organismes ne sont pas des partenaires "
            "connus mais ressemblent à l'un d'eux ; écrivez le nom ou le sigle du partenaire, ou relancez "
            "avec --creer-organismes s'il s'agit bien d'autres organismes :",
            details=problemes,
        )


def _lignes(numeros: list[int]) -> str:
    if len(numeros) == 1:
        return f"ligne {numeros[0]}"
    return f"lignes {', '.join(map(str, numeros[:-1]))} et {numeros[-1]}"


class _Organismes:
    """Les partenaires connus, retrouvés par nom, sigle ou autre nom ; les inconnus sont créés à la demande."""

    def __init__(self, session: Session, territoire: Territoire) -> None:
        self._session = session
        self._territoire = territoire
        self._par_nom: dict[str, list[Partenaire]] = {}
        self._par_sigle: dict[str, list[Partenaire]] = {}
        self._connus = list(session.scalars(select(Partenaire).order_by(Partenaire.nom)))
        for partenaire in self._connus:
            for nom in (partenaire.nom, *(partenaire.autres_noms or [])):
                self._par_nom.setdefault(cle_de_comparaison(nom), []).append(partenaire)
            if partenaire.sigle:
                self._par_sigle.setdefault(cle_de_comparaison(partenaire.sigle), []).append(partenaire)
        self.crees: list[str] = []

    def proches(self, nom: str) -> list[Partenaire]:
        """Les partenaires que `nom`, inconnu, désigne probablement ; ceux du territoire d'abord."""
        proches = partenaires_proches(nom, self._connus)
        return sorted(proches, key=lambda partenaire: self._territoire not in partenaire.territoires)

    def candidats(self, nom: str) -> list[Partenaire]:
        """Les partenaires que `nom` peut désigner ; ceux du territoire d'abord, s'il y en a plusieurs."""
        cle = cle_de_comparaison(nom)
        trouves = self._par_nom.get(cle) or self._par_sigle.get(cle, [])
        if len(trouves) > 1:
            du_territoire = [partenaire for partenaire in trouves if self._territoire in partenaire.territoires]
            return du_territoire or trouves
        return trouves

    def obtenir(self, nom: str) -> Partenaire:
        """Le partenaire désigné par `nom`, créé s'il est inconnu, rattaché au territoire."""
        trouves = self.candidats(nom)
        if trouves:
            partenaire = trouves[0]
        else:
            partenaire = Partenaire(nom=nom, categorie="autre")
            self._session.add(partenaire)
            self._par_nom[cle_de_comparaison(nom)] = [partenaire]
            self.crees.append(nom)
        if self._territoire not in partenaire.territoires:
            partenaire.territoires.append(self._territoire)
        return partenaire


def _mettre_a_jour_identite(personne: Personne, ligne: LigneContact) -> bool:
    """Recopie les champs présents dans le fichier ; vrai si l'un d'eux a changé."""
    modifiee = False
    champs = {
        "email": ligne.email,
        "civilite": ligne.civilite,
        "prenom": ligne.prenom,
        "nom": ligne.nom,
        "telephone": ligne.telephone,
    }
    for champ, valeur in champs.items():
        if champ in ligne.colonnes and getattr(personne, champ) != valeur:
            setattr(personne, champ, valeur)
            modifiee = True
    secondaires = list(ligne.emails_secondaires)
    if "emails_secondaires" in ligne.colonnes and list(personne.emails_secondaires or []) != secondaires:
        personne.emails_secondaires = secondaires
        modifiee = True
    return modifiee


def _mettre_a_jour_fonction(
    personne: Personne, ligne: LigneContact, partenaire: Partenaire | None, aujourd_hui: date
) -> bool:
    """Clôt la fonction en cours et en ouvre une nouvelle si l'organisme ou l'intitulé change."""
    actuelle = personne.fonction_actuelle
    if "organisme" not in ligne.colonnes and actuelle is not None:
        partenaire = actuelle.partenaire
    intitule = ligne.fonction
    if "fonction" not in ligne.colonnes and actuelle is not None:
        intitule = actuelle.intitule
    if actuelle is not None:
        if actuelle.partenaire is partenaire and actuelle.intitule == intitule:
            return False
        actuelle.fin = aujourd_hui
    personne.fonctions.append(Fonction(partenaire=partenaire, intitule=intitule, debut=aujourd_hui, fin=None))
    return True


def _synchroniser_adhesions(
    personne: Personne, voulues: list[Instance], actuelles: list[Membre], bilan: BilanContacts
) -> bool:
    """Fait des instances listées les seules du territoire dont la personne est membre."""
    modifiee = False
    for membre in actuelles:
        instance = membre.instance
        if instance not in voulues:
            instance.membres.remove(membre)  # l'adhésion orpheline est supprimée
            bilan.adhesions_retirees.append((personne.email, instance.code))
            modifiee = True
    deja = {membre.instance_id for membre in actuelles}
    for instance in voulues:
        if instance.id not in deja:
            instance.membres.append(Membre(personne=personne, role="membre"))
            bilan.adhesions_ajoutees.append((personne.email, instance.code))
            modifiee = True
    return modifiee
