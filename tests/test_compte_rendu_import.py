"""Ranger en base le compte rendu relu, et suivre ses décisions et actions d'une réunion à l'autre."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gouvernance.comptes_rendus.importation import appliquer_compte_rendu
from gouvernance.comptes_rendus.preparation import construire_vue_compte_rendu, identifiant_document
from gouvernance.comptes_rendus.suivi import Filtres, lister_suivi
from gouvernance.comptes_rendus.vue import ActionLue, CompteRenduLu, DecisionLue, PresenceLue
from gouvernance.erreurs import DonneesInvalides
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import Reglages
from gouvernance.services.suivi import modifier_action
from modeles import Action, CompteRendu, Decision, Presence, Reunion, StatutAction, StatutCompteRendu, Territoire
from tests.fabriques import charger_lunion, creer_reunion

MAINTENANT = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
REGLAGES = Reglages(
    dossier=__import__("pathlib").Path("/nulle-part"),
    url_base="sqlite://",
    valeurs={"CTG_COORDINATEUR_NOM": "Nadia Prototype", "CTG_COORDINATEUR_EMAIL": "ctg@example.org"},
)


def preparer(session: Session) -> tuple[Territoire, Reunion]:
    territoire = charger_lunion(session)
    copil = exiger_instance(session, territoire, "COPIL")
    for email, prenom, nom in (("claire@example.org", "Claire", "Fictive"), ("karim@example.org", "Karim", "Modèle")):
        ajouter_membre(session, copil, ajouter_personne(session, FichePersonne(email=email, prenom=prenom, nom=nom)))
    reunion = creer_reunion(session, copil, [])
    from modeles import Invitation

    reunion.invitations = [Invitation(personne=m.personne, role=m.role) for m in copil.membres]
    session.flush()
    return territoire, reunion


def lu(reunion: Reunion, **changements: object) -> CompteRenduLu:
    valeurs: dict[str, object] = {
        "identifiant": identifiant_document(reunion),
        "version": 1,
        "presences": (
            PresenceLue(1, "Claire Fictive", None, Presence.PRESENT, None),
            PresenceLue(2, "MODÈLE Karim", None, Presence.EXCUSE, None),
        ),
        "secretaire": "Karim Modèle",
        "decisions": (DecisionLue(1, 1, "Le bilan petite enfance est approuvé.", ("3.3",)),),
        "actions": (
            ActionLue(
                1, None, "Recenser les places d'accueil", "Claire Fictive", date(2027, 3, 1), ("3.3", "3.1"), None
            ),
            ActionLue(2, None, "Publier le guide des familles", "CCAS", date(2027, 6, 30), ("5.2",), None),
        ),
        "actions_ouvertes": (),
        "discussions": {1: "Échanges nourris."},
    }
    valeurs.update(changements)
    return CompteRenduLu(**valeurs)  # type: ignore[arg-type]


def test_le_compte_rendu_relu_range_presences_decisions_et_actions(session: Session) -> None:
    _, reunion = preparer(session)
    bilan = appliquer_compte_rendu(session, reunion, lu(reunion), maintenant=MAINTENANT)
    assert {i.personne.email: i.presence for i in reunion.invitations} == {
        "claire@example.org": "present",
        "karim@example.org": "excuse",
    }
    decision = session.scalars(select(Decision)).one()
    assert [o.code for o in decision.orientations] == ["3.3"]
    actions = {a.libelle: a for a in session.scalars(select(Action))}
    assert actions["Recenser les places d'accueil"].personne is not None
    assert actions["Publier le guide des familles"].partenaire is not None
    assert sorted(o.code for o in actions["Recenser les places d'accueil"].orientations) == ["3.1", "3.3"]
    compte_rendu = session.scalars(select(CompteRendu)).one()
    assert (compte_rendu.statut, compte_rendu.secretaire) == ("importe", "Karim Modèle")
    assert bilan.presences[Presence.PRESENT] == 1
    assert any("approuvé" in ligne for ligne in bilan.lignes_resume())


def test_une_version_plus_recente_met_a_jour_sans_doublon(session: Session) -> None:
    _, reunion = preparer(session)
    appliquer_compte_rendu(session, reunion, lu(reunion), maintenant=MAINTENANT)
    premiere = {a.libelle: a.id for a in session.scalars(select(Action))}
    nouvelle = lu(
        reunion,
        version=2,
        decisions=(DecisionLue(1, 1, "Le bilan petite enfance est approuvé à l'unanimité.", ("3.3",)),),
        actions=(
            ActionLue(
                1,
                None,
                "Recenser les places d'accueil",
                "Claire Fictive",
                date(2027, 4, 1),
                ("3.3",),
                StatutAction.EN_COURS,
            ),
        ),
    )
    bilan = appliquer_compte_rendu(session, reunion, nouvelle, maintenant=MAINTENANT)
    assert session.scalar(select(func.count()).select_from(Decision)) == 1
    assert session.scalars(select(Decision)).one().texte.endswith("à l'unanimité.")
    action = session.scalars(select(Action)).one()
    assert action.id == premiere["Recenser les places d'accueil"]
    assert (action.echeance, action.statut) == (date(2027, 4, 1), "en_cours")
    assert any("Publier le guide des familles" in ligne for ligne in bilan.changements)


@pytest.mark.parametrize(
    ("changements", "attendu"),
    [
        ({"decisions": (DecisionLue(4, 1, "X", ("9.9",)),)}, r"tableau des décisions, ligne 4 : l'orientation « 9.9 »"),
        (
            {"actions": (ActionLue(3, None, "Y", "Jean Inconnu", None, (), None),)},
            r"tableau des actions, ligne 3 : le responsable « Jean Inconnu »",
        ),
        (
            {"presences": (PresenceLue(5, "Personne Mystère", None, Presence.PRESENT, None),)},
            r"tableau des participants, ligne 5 : « Personne Mystère » n'est ni invité",
        ),
        ({"identifiant": "urn:ctg-gouvernance:reunion:autre"}, r"compte rendu d'une autre réunion"),
    ],
)
def test_un_document_fautif_est_refuse_en_nommant_la_ligne_et_rien_n_est_enregistre(
    session: Session, changements: dict[str, object], attendu: str
) -> None:
    _, reunion = preparer(session)
    with pytest.raises(DonneesInvalides, match=attendu):
        appliquer_compte_rendu(session, reunion, lu(reunion, **changements), maintenant=MAINTENANT)
    assert session.scalar(select(func.count()).select_from(Action)) == 0
    assert session.scalar(select(func.count()).select_from(CompteRendu)) == 0


def test_un_compte_rendu_valide_ne_se_reimporte_plus(session: Session) -> None:
    _, reunion = preparer(session)
    appliquer_compte_rendu(session, reunion, lu(reunion), maintenant=MAINTENANT)
    session.scalars(select(CompteRendu)).one().statut = StatutCompteRendu.VALIDE
    with pytest.raises(DonneesInvalides, match="est validé"):
        appliquer_compte_rendu(session, reunion, lu(reunion), maintenant=MAINTENANT)


def test_le_suivi_met_les_actions_en_retard_d_abord_et_filtre(session: Session) -> None:
    territoire, reunion = preparer(session)
    appliquer_compte_rendu(session, reunion, lu(reunion), maintenant=MAINTENANT)
    suivi = lister_suivi(session, territoire, Filtres(), aujourd_hui=date(2027, 3, 15))
    assert [(a["libelle"], a["en_retard"]) for a in suivi["actions"]] == [
        ("Recenser les places d'accueil", True),
        ("Publier le guide des familles", False),
    ]
    assert [
        a["libelle"]
        for a in lister_suivi(session, territoire, Filtres(enjeu=5), aujourd_hui=date(2027, 3, 15))["actions"]
    ] == ["Publier le guide des familles"]
    assert (
        lister_suivi(session, territoire, Filtres(orientation="3.1"), aujourd_hui=date(2027, 3, 15))["decisions"] == []
    )
    par_responsable = lister_suivi(session, territoire, Filtres(responsable="claire"), aujourd_hui=date(2027, 3, 15))
    assert len(par_responsable["actions"]) == 1
    action = session.scalars(select(Action).where(Action.libelle.startswith("Recenser"))).one()
    fait = modifier_action(
        session, action.id, statut="fait", echeance=None, maintenant=MAINTENANT, aujourd_hui=date(2027, 3, 15)
    )
    assert (fait["statut_libelle"], fait["en_retard"]) == ("fait", False)
    faites = lister_suivi(session, territoire, Filtres(statut="fait"), aujourd_hui=date(2027, 3, 15))["actions"]
    assert [(a["numero"], a["en_retard"]) for a in faites] == [(action.id, False)]
    # « terminé » se lit comme dans le compte rendu Word ; un mot inconnu donne la liste des mots acceptés.
    modifier_action(
        session, action.id, statut="Terminé", echeance=None, maintenant=MAINTENANT, aujourd_hui=date(2027, 3, 15)
    )
    assert session.get(Action, action.id).statut is StatutAction.FAIT  # type: ignore[union-attr]
    with pytest.raises(DonneesInvalides, match=r"« bientôt » n'est pas un statut reconnu \(écrivez à faire, en cours"):
        modifier_action(
            session, action.id, statut="bientôt", echeance=None, maintenant=MAINTENANT, aujourd_hui=date.today()
        )
    with pytest.raises(DonneesInvalides, match="n'est pas une date"):
        modifier_action(
            session, action.id, statut=None, echeance="bientôt", maintenant=MAINTENANT, aujourd_hui=date.today()
        )


def test_les_actions_ouvertes_des_reunions_precedentes_sont_reprises(session: Session) -> None:
    _, reunion = preparer(session)
    appliquer_compte_rendu(session, reunion, lu(reunion), maintenant=MAINTENANT)
    suivante = creer_reunion(
        session,
        reunion.instance,
        [],
        debut=datetime(2027, 10, 5, 16, 0, tzinfo=UTC),
        fin=datetime(2027, 10, 5, 18, 0, tzinfo=UTC),
        uid="copil-2027-10@ctg.example.org",
    )
    vue = construire_vue_compte_rendu(session, suivante, REGLAGES, date_document=date(2027, 10, 6))
    assert [a.libelle for a in vue.actions_ouvertes] == [
        "Recenser les places d'accueil",
        "Publier le guide des familles",
    ]
    assert vue.actions_ouvertes[0].origine == "COPIL du 9 mars 2027"
    assert vue.precedent == "réunion du 9 mars 2027"


def test_la_reunion_suivante_propose_l_approbation_et_le_point_sur_les_actions_echues(session: Session) -> None:
    from gouvernance.reunions.demande import lire_demande
    from gouvernance.reunions.planification import enregistrer_reunion

    territoire, reunion = preparer(session)
    appliquer_compte_rendu(session, reunion, lu(reunion), maintenant=MAINTENANT)
    demande = lire_demande("instance: COPIL\ndebut: 2027-10-05 18:00\npoints:\n  - titre: Bilan de l'année\n", "r.yaml")
    suivante = enregistrer_reunion(session, territoire, demande, maintenant=MAINTENANT, uid="copil-oct@ctg.example.org")
    assert [(p.ordre, p.titre) for p in suivante.points] == [
        (1, "Approbation du compte rendu de la réunion du 9 mars 2027"),
        (2, "Bilan de l'année"),
        (3, "Point sur les actions arrivées à échéance (2)"),
    ]
    assert sorted(o.code for o in suivante.points[2].orientations) == ["3.1", "3.3", "5.2"]
    sans = enregistrer_reunion(
        session,
        territoire,
        demande,
        maintenant=MAINTENANT,
        uid="copil-oct-2@ctg.example.org",
        proposer=False,
        doublon=True,
    )
    assert [p.titre for p in sans.points] == ["Bilan de l'année"]
