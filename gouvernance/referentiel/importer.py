"""Charger un référentiel validé dans la base : mise à jour sur place par les codes, sans doublon."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides
from gouvernance.francais import compte
from gouvernance.references import references_vers
from gouvernance.referentiel.schema import (
    ChampYaml,
    EnjeuYaml,
    InstanceYaml,
    PartenaireYaml,
    ReferentielYaml,
)
from gouvernance.textes import cle_de_comparaison
from modeles import (
    CategoriePartenaire,
    ChampIntervention,
    Convention,
    Dispositif,
    Enjeu,
    EtapePhase,
    Instance,
    Methode,
    Orientation,
    Partenaire,
    Phase,
    Territoire,
    TypeInstance,
)


@dataclass
class BilanImport:
    """Ce que l'import a changé, pour le montrer à l'utilisateur."""

    territoire: str
    territoire_cree: bool
    changements: list[str] = field(default_factory=list)

    def lignes_resume(self) -> list[str]:
        verbe = "créé" if self.territoire_cree else "mis à jour"
        if not self.changements:
            return [f"Territoire « {self.territoire} » : déjà à jour, rien n'a changé."]
        return [f"Territoire « {self.territoire} » {verbe} :", *(f"  – {c}" for c in self.changements)]


def appliquer_referentiel(session: Session, referentiel: ReferentielYaml) -> BilanImport:
    """Crée ou met à jour le territoire décrit ; ne valide pas la transaction (l'appelant décide)."""
    donnees = referentiel.territoire
    territoire = session.scalar(select(Territoire).where(Territoire.code == donnees.code))
    bilan = BilanImport(territoire=donnees.nom, territoire_cree=territoire is None)
    if territoire is None:
        territoire = Territoire(code=donnees.code, nom=donnees.nom)
        session.add(territoire)
    _affecter(
        territoire,
        bilan,
        "territoire",
        nom=donnees.nom,
        departement=donnees.departement,
        source=donnees.source,
    )
    _importer_convention(territoire, referentiel, bilan)
    _importer_demarche(territoire, referentiel)
    champs = _importer_champs(session, referentiel.champs_intervention, bilan)
    session.flush()
    _importer_enjeux(session, territoire, referentiel.enjeux, champs, bilan)
    partenaires = _importer_partenaires(session, territoire, referentiel.partenaires, bilan)
    _importer_dispositifs(territoire, referentiel, bilan)
    _importer_instances(session, territoire, referentiel.instances, partenaires, bilan)
    session.flush()
    return bilan


def _affecter(cible: object, bilan: BilanImport | None, quoi: str, /, **valeurs: object) -> bool:
    """Donne ses valeurs à `cible` ; note le changement s'il y en a un. Vrai si quelque chose a changé."""
    modifies = [nom for nom, valeur in valeurs.items() if getattr(cible, nom, None) != valeur]
    for nom in modifies:
        setattr(cible, nom, valeurs[nom])
    if modifies and bilan is not None and getattr(cible, "id", None) is not None:
        bilan.changements.append(f"{quoi} modifié ({', '.join(modifies)})")
    return bool(modifies)


def _importer_convention(territoire: Territoire, referentiel: ReferentielYaml, bilan: BilanImport) -> None:
    donnees = referentiel.convention
    if donnees is None:
        return
    convention = territoire.convention
    if convention is None:
        convention = Convention(intitule=donnees.intitule)
        territoire.conventions.append(convention)
    _affecter(
        convention,
        bilan,
        "convention",
        intitule=donnees.intitule,
        debut=donnees.debut,
        fin=donnees.fin,
        objet=donnees.objet,
    )


def _importer_demarche(territoire: Territoire, referentiel: ReferentielYaml) -> None:
    # Les phases et méthodes ne sont citées par rien : on les remplace telles que le fichier les donne.
    demarche = referentiel.demarche
    actuelles = [(p.numero, p.intitule, [e.intitule for e in p.etapes]) for p in territoire.phases]
    voulues = [(p.numero, p.intitule, list(p.etapes)) for p in demarche.phases]
    if actuelles != voulues:
        territoire.phases = [
            Phase(
                numero=p.numero,
                intitule=p.intitule,
                etapes=[EtapePhase(ordre=i, intitule=e) for i, e in enumerate(p.etapes, 1)],
            )
            for p in demarche.phases
        ]
    if [m.intitule for m in territoire.methodes] != list(demarche.methodes):
        territoire.methodes = [Methode(ordre=i, intitule=m) for i, m in enumerate(demarche.methodes, 1)]


def _importer_champs(session: Session, champs: list[ChampYaml], bilan: BilanImport) -> dict[str, ChampIntervention]:
    # Les champs d'intervention sont partagés entre territoires : on en ajoute, on n'en retire jamais.
    existants = {c.code: c for c in session.scalars(select(ChampIntervention))}
    for donnees in champs:
        champ = existants.get(donnees.code)
        if champ is None:
            champ = existants[donnees.code] = ChampIntervention(code=donnees.code, libelle=donnees.libelle)
            session.add(champ)
        else:
            _affecter(champ, bilan, f"champ d'intervention {donnees.code}", libelle=donnees.libelle)
    return existants


def _importer_enjeux(
    session: Session,
    territoire: Territoire,
    enjeux: list[EnjeuYaml],
    champs: dict[str, ChampIntervention],
    bilan: BilanImport,
) -> None:
    existants = {e.numero: e for e in session.scalars(select(Enjeu).where(Enjeu.territoire_id == territoire.id))}
    voulus = {e.numero for e in enjeux}
    for numero, ancien in sorted(existants.items()):
        if numero not in voulus:
            for orientation in list(ancien.orientations):
                _supprimer_orientation(session, orientation, bilan)
            session.delete(ancien)
            bilan.changements.append(f"enjeu {numero} supprimé")
    for donnees in enjeux:
        enjeu = existants.get(donnees.numero)
        if enjeu is None:
            enjeu = Enjeu(territoire_id=territoire.id, numero=donnees.numero, intitule=donnees.intitule)
            session.add(enjeu)
            if not bilan.territoire_cree:
                bilan.changements.append(f"enjeu {donnees.numero} ajouté")
        _affecter(
            enjeu,
            bilan,
            f"enjeu {donnees.numero}",
            intitule=donnees.intitule,
            intitule_court=donnees.intitule_court,
            precisions=list(donnees.precisions),
        )
        _importer_orientations(session, enjeu, donnees, champs, bilan)
    if bilan.territoire_cree:
        total = sum(len(e.orientations) for e in enjeux)
        bilan.changements.append(f"{len(enjeux)} enjeux et {total} orientations")


def _importer_orientations(
    session: Session,
    enjeu: Enjeu,
    donnees: EnjeuYaml,
    champs: dict[str, ChampIntervention],
    bilan: BilanImport,
) -> None:
    existantes = {o.numero: o for o in enjeu.orientations}
    voulues = {o.numeros[1] for o in donnees.orientations}
    for numero, ancienne in sorted(existantes.items()):
        if numero not in voulues:
            _supprimer_orientation(session, ancienne, bilan)
    for ligne in donnees.orientations:
        numero = ligne.numeros[1]
        orientation = existantes.get(numero)
        if orientation is None:
            orientation = Orientation(numero=numero, intitule=ligne.intitule)
            enjeu.orientations.append(orientation)
            if not bilan.territoire_cree and enjeu.id is not None:
                bilan.changements.append(f"orientation {ligne.code} ajoutée")
        _affecter(orientation, bilan, f"orientation {ligne.code}", intitule=ligne.intitule)
        etiquettes = [champs[code] for code in ligne.champs]
        if [c.code for c in orientation.champs] != sorted(ligne.champs):
            orientation.champs = etiquettes


def _supprimer_orientation(session: Session, orientation: Orientation, bilan: BilanImport) -> None:
    references = references_vers(session, "orientations", orientation.id)
    if references:
        raise DonneesInvalides(
            f"L'orientation {orientation.code} n'est plus dans le fichier, mais elle est citée par "
            f"{', '.join(references)} : elle ne peut pas être supprimée. Gardez-la dans le fichier "
            "(vous pouvez changer son intitulé). La base n'a pas été modifiée."
        )
    bilan.changements.append(f"orientation {orientation.code} supprimée")
    orientation.enjeu.orientations.remove(orientation)
    session.delete(orientation)


def _importer_partenaires(
    session: Session, territoire: Territoire, partenaires: list[PartenaireYaml], bilan: BilanImport
) -> dict[str, Partenaire]:
    """Les partenaires sont partagés entre territoires : on les rattache et détache, sans les supprimer."""
    tous = {cle_de_comparaison(p.nom): p for p in session.scalars(select(Partenaire))}
    retenus: dict[str, Partenaire] = {}
    for donnees in partenaires:
        partenaire = tous.get(cle_de_comparaison(donnees.nom))
        if partenaire is None:
            partenaire = Partenaire(nom=donnees.nom)
            session.add(partenaire)
            if not bilan.territoire_cree:
                bilan.changements.append(f"partenaire « {donnees.nom} » ajouté")
        _affecter(
            partenaire,
            bilan,
            f"partenaire « {donnees.nom} »",
            nom=donnees.nom,
            sigle=donnees.sigle,
            categorie=CategoriePartenaire(donnees.categorie),
            adresse=donnees.adresse,
            autres_noms=list(donnees.autres_noms),
        )
        if territoire not in partenaire.territoires:
            partenaire.territoires.append(territoire)
        retenus[cle_de_comparaison(donnees.nom)] = partenaire
        if donnees.sigle:
            retenus.setdefault(cle_de_comparaison(donnees.sigle), partenaire)
    for partenaire in list(tous.values()):
        if territoire in partenaire.territoires and partenaire not in retenus.values():
            partenaire.territoires.remove(territoire)
            bilan.changements.append(f"partenaire « {partenaire.nom} » détaché du territoire")
    if bilan.territoire_cree:
        bilan.changements.append(f"{len(partenaires)} partenaires")
    return retenus


def _importer_dispositifs(territoire: Territoire, referentiel: ReferentielYaml, bilan: BilanImport) -> None:
    existants = {d.sigle.upper(): d for d in territoire.dispositifs}
    voulus = {d.sigle.upper() for d in referentiel.dispositifs}
    for sigle, ancien in existants.items():
        if sigle not in voulus:
            territoire.dispositifs.remove(ancien)
            bilan.changements.append(f"dispositif {ancien.sigle} retiré")
    for donnees in referentiel.dispositifs:
        dispositif = existants.get(donnees.sigle.upper())
        if dispositif is None:
            territoire.dispositifs.append(Dispositif(sigle=donnees.sigle, intitule=donnees.intitule))
        else:
            _affecter(
                dispositif,
                bilan,
                f"dispositif {donnees.sigle}",
                sigle=donnees.sigle,
                intitule=donnees.intitule,
            )


def _importer_instances(
    session: Session,
    territoire: Territoire,
    instances: list[InstanceYaml],
    partenaires: dict[str, Partenaire],
    bilan: BilanImport,
) -> None:
    existantes = {
        i.code.upper(): i for i in session.scalars(select(Instance).where(Instance.territoire_id == territoire.id))
    }
    voulues = {i.code.upper() for i in instances}
    for code, ancienne in existantes.items():
        if code not in voulues:
            references = references_vers(session, "instances", ancienne.id)
            if references:
                raise DonneesInvalides(
                    f"L'instance {ancienne.code} n'est plus dans le fichier, mais elle a {', '.join(references)} : "
                    "elle ne peut pas être supprimée. Gardez-la dans le fichier. La base n'a pas été modifiée."
                )
            session.delete(ancienne)
            bilan.changements.append(
                f"instance {ancienne.code} supprimée "
                f"({compte(len(ancienne.membres), 'membre retiré', 'membres retirés')})"
            )
    for donnees in instances:
        instance = existantes.get(donnees.code.upper())
        if instance is None:
            instance = Instance(
                territoire=territoire, code=donnees.code, intitule=donnees.intitule, type=TypeInstance(donnees.type)
            )
            session.add(instance)
            if not bilan.territoire_cree:
                bilan.changements.append(f"instance {donnees.code} ajoutée")
        partenaire = partenaires.get(cle_de_comparaison(donnees.partenaire)) if donnees.partenaire else None
        rythme = donnees.rythme.rythme() if donnees.rythme else None
        _affecter(
            instance,
            bilan,
            f"instance {donnees.code}",
            code=donnees.code,
            intitule=donnees.intitule,
            type=TypeInstance(donnees.type),
            description=donnees.description,
            duree_minutes=donnees.duree_minutes,
            lieu=donnees.lieu,
            delai_convocation_jours=donnees.delai_convocation_jours,
            partenaire=partenaire,
            rythme_regle=rythme.regle if rythme else None,
            rythme_heure=rythme.heure if rythme else None,
            relance_reponse_jours=donnees.relances.reponse_jours,
            relance_compte_rendu_jours=donnees.relances.compte_rendu_jours,
        )
    if bilan.territoire_cree:
        bilan.changements.append(f"{len(instances)} instances : {', '.join(i.code for i in instances)}")
