"""Passer d'une réunion en base à sa vue figée (ReunionVue), et la décrire pour `ctg reunion voir`."""

from __future__ import annotations

from sqlalchemy.orm import joinedload, selectinload

from gouvernance.erreurs import DonneesInvalides
from gouvernance.reglages import Reglages
from gouvernance.reunions.vue import (
    CoordinateurVue,
    InstitutionVue,
    OrientationVue,
    PersonneVue,
    PointVue,
    ReunionVue,
    SignataireVue,
    jour_a_paris,
)
from modeles import (
    Convention,
    Fonction,
    Instance,
    Invitation,
    Membre,
    Orientation,
    Personne,
    PointOrdreDuJour,
    Reunion,
    RoleMembre,
    Signataire,
    Territoire,
)

#: Tout ce que `construire_vue` lit d'une réunion, chargé en quelques requêtes au lieu d'une par objet :
#: à passer à `select(Reunion).options(*CHARGEMENT_VUE)` quand on construit la vue de plusieurs réunions.
CHARGEMENT_VUE = (
    # Ce qui est unique (instance, territoire, organisme, personne, enjeu) vient par jointure dans la requête
    # de son parent ; les listes (membres, points, invitations, fonctions) par une requête chacune.
    joinedload(Reunion.instance).joinedload(Instance.territoire),
    # Le signataire de la convention pour l'institution signe les courriers d'une instance sans présidence.
    joinedload(Reunion.instance)
    .joinedload(Instance.territoire)
    .selectinload(Territoire.conventions)
    .selectinload(Convention.signataires)
    .joinedload(Signataire.personne)
    .selectinload(Personne.fonctions),
    joinedload(Reunion.instance).joinedload(Instance.partenaire),
    joinedload(Reunion.instance)
    .selectinload(Instance.membres)
    .joinedload(Membre.personne)
    .selectinload(Personne.fonctions)
    .joinedload(Fonction.partenaire),
    selectinload(Reunion.points).selectinload(PointOrdreDuJour.orientations).joinedload(Orientation.enjeu),
    selectinload(Reunion.invitations)
    .joinedload(Invitation.personne)
    .selectinload(Personne.fonctions)
    .joinedload(Fonction.partenaire),
)


def lire_coordinateur(reglages: Reglages) -> CoordinateurVue:
    """Le coordinateur réglé une fois pour toutes (CTG_COORDINATEUR_* ou [coordinateur] dans ctg.toml)."""
    nom, email = reglages.valeur("COORDINATEUR_NOM"), reglages.valeur("COORDINATEUR_EMAIL")
    if not nom or not email:
        raise DonneesInvalides(
            "Le coordinateur de la CTG n'est pas réglé : c'est lui qui signe les invitations et reçoit les réponses. "
            f"Ajoutez dans {reglages.dossier / 'ctg.toml'} :\n"
            '[coordinateur]\nnom = "Prénom Nom"\nemail = "cooperation.ctg@mairie.fr"\n'
            'fonction = "Chargée de coopération CTG"\ntelephone = "05 00 00 00 00"\n'
            "(ou les variables CTG_COORDINATEUR_NOM, CTG_COORDINATEUR_EMAIL…)."
        )
    return CoordinateurVue(
        nom=nom,
        email=email,
        fonction=reglages.valeur("COORDINATEUR_FONCTION"),
        telephone=reglages.valeur("COORDINATEUR_TELEPHONE"),
    )


def vue_personne(personne: Personne, role: str) -> PersonneVue:
    fonction = personne.fonction_actuelle
    return PersonneVue(
        email=personne.email,
        prenom=personne.prenom,
        nom=personne.nom,
        civilite=personne.civilite,
        fonction=fonction.intitule if fonction else None,
        organisme=fonction.partenaire.nom if fonction and fonction.partenaire else None,
        role=role,
        adresse=fonction.partenaire.adresse if fonction and fonction.partenaire else None,
    )


def signataire_de_la_convention(reunion: Reunion) -> SignataireVue | None:
    """Qui a signé pour l'institution de l'instance (le maire) la convention du jour de la réunion, s'il est connu."""
    instance = reunion.instance
    convention = instance.territoire.convention_courante(jour_a_paris(reunion.debut))
    if convention is None or instance.partenaire_id is None:
        return None
    signataire = next((s for s in convention.signataires if s.partenaire_id == instance.partenaire_id), None)
    if signataire is None or signataire.personne is None:
        return None
    personne = signataire.personne
    fonction = personne.fonction_actuelle
    return SignataireVue(
        email=personne.email,
        nom_complet=personne.nom_complet,
        civilite=personne.civilite,
        fonction=fonction.intitule if fonction else None,
    )


def vue_orientation(orientation: Orientation) -> OrientationVue:
    return OrientationVue(
        code=orientation.code,
        intitule=orientation.intitule,
        enjeu_numero=orientation.enjeu.numero,
        enjeu_intitule=orientation.enjeu.libelle,
    )


def construire_vue(reunion: Reunion, reglages: Reglages, *, changements: tuple[str, ...] = ()) -> ReunionVue:
    """La réunion telle que la voient ses documents, ses invitations et ses courriels."""
    instance = reunion.instance
    invitations: list[Invitation] = reunion.invitations
    invites = tuple(vue_personne(invitation.personne, invitation.role) for invitation in invitations)
    president = next((m for m in instance.membres if m.role is RoleMembre.PRESIDENT), None)
    partenaire = instance.partenaire
    return ReunionVue(
        id=reunion.id,
        uid=reunion.uid,
        sequence=reunion.sequence,
        statut=reunion.statut,
        territoire=instance.territoire.nom,
        instance_code=instance.code,
        instance_intitule=instance.intitule,
        titre=reunion.titre,
        debut=reunion.debut,
        fin=reunion.fin,
        lieu=reunion.lieu,
        visio=reunion.visio,
        points=tuple(
            PointVue(
                ordre=point.ordre,
                titre=point.titre,
                rapporteur=point.rapporteur,
                duree_minutes=point.duree_minutes,
                orientations=tuple(
                    vue_orientation(orientation)
                    for orientation in sorted(point.orientations, key=lambda o: (o.enjeu.numero, o.numero))
                ),
            )
            for point in reunion.points
        ),
        invites=invites,
        president=vue_personne(president.personne, RoleMembre.PRESIDENT) if president else None,
        institution=InstitutionVue(
            nom=partenaire.nom if partenaire else instance.territoire.nom,
            adresse=partenaire.adresse if partenaire else None,
            logo=reglages.logo,
        ),
        coordinateur=lire_coordinateur(reglages),
        motif_annulation=reunion.motif_annulation,
        changements=changements,
        signataire_convention=signataire_de_la_convention(reunion),
    )
