"""Planifier une réunion : ce qui est enregistré, et ce qui est refusé avec le champ à corriger."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reunions.demande import lire_demande
from gouvernance.reunions.planification import enregistrer_reunion
from modeles import Reunion, StatutReunion, Territoire
from tests.fabriques import charger_lunion

MAINTENANT = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)

REUNION = """\
instance: COPIL
titre: Comité de pilotage de la CTG — bilan de l'année
debut: 2026-12-08 18:00
duree: 2h
lieu: Salle du conseil, mairie de L'Union
visio: https://visio.example.org/copil
points:
  - titre: Approbation du compte rendu précédent
  - titre: Bilan des actions petite enfance
    orientations: ["3.3", "orientation 3.1"]
    rapporteur: Service petite enfance
    duree: 30min
invites: [invitee@example.org]
"""


def preparer_lunion(session: Session) -> Territoire:
    territoire = charger_lunion(session)
    copil = exiger_instance(session, territoire, "COPIL")
    for numero, role in ((1, "president"), (2, "membre")):
        personne = ajouter_personne(
            session, FichePersonne(email=f"membre{numero}@example.org", prenom="Membre", nom=f"N°{numero}")
        )
        ajouter_membre(session, copil, personne, role)
    ajouter_personne(session, FichePersonne(email="invitee@example.org", prenom="Invitée", nom="Externe"))
    return territoire


def planifier(
    session: Session,
    territoire: Territoire,
    texte: str = REUNION,
    uid: str = "uid-fixe@ctg-gouvernance",
    **options: object,
) -> Reunion:
    return enregistrer_reunion(
        session,
        territoire,
        lire_demande(texte, "reunion.yaml"),
        maintenant=MAINTENANT,
        uid=uid,
        **options,  # type: ignore[arg-type]
    )


def test_une_reunion_planifiee_invite_les_membres_et_les_invites_et_relie_ses_points(session: Session) -> None:
    reunion = planifier(session, preparer_lunion(session))
    assert reunion.debut == datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    assert reunion.fin == datetime(2026, 12, 8, 19, 0, tzinfo=UTC)
    assert reunion.statut == "planifiee"
    assert reunion.sequence == 0
    assert {(i.personne.email, i.role) for i in reunion.invitations} == {
        ("membre1@example.org", "president"),
        ("membre2@example.org", "membre"),
        ("invitee@example.org", "invite"),
    }
    assert [p.titre for p in reunion.points] == [
        "Approbation du compte rendu précédent",
        "Bilan des actions petite enfance",
    ]
    assert [o.code for o in reunion.points[1].orientations] == ["3.3", "3.1"]
    assert reunion.points[1].duree_minutes == 30


def test_une_reunion_d_ete_est_enregistree_a_la_bonne_heure_universelle(session: Session) -> None:
    texte = REUNION.replace("2026-12-08 18:00", "2027-06-15 18:00").replace("duree: 2h\n", "fin: 20:30\n")
    reunion = planifier(session, preparer_lunion(session), texte)
    assert reunion.debut == datetime(2027, 6, 15, 16, 0, tzinfo=UTC)
    assert reunion.fin == datetime(2027, 6, 15, 18, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("remplacer", "par", "attendu"),
    [
        (
            "instance: COPIL",
            "instance: CODIR",
            r"instance : « CODIR » n'est pas une instance de L'Union \(instances : COPIL, COTECH, ATELIER, SEMINAIRE\)",
        ),
        (
            '"3.3"',
            '"3.9"',
            r"« 3.9 » n'est pas une orientation du référentiel \(codes valides : 1.1 à 1.5, 2.1 à 2.2, 3.1 à 3.6",
        ),
        ("duree: 2h\n", "fin: 17:00\n", r"fin : la réunion doit finir après son début"),
        (
            "2026-12-08 18:00",
            "2027-03-28 02:30",
            r"2 h 30 n'existe pas le dimanche 28 mars 2027 .* Choisissez 1 h 30 ou 3 h 30",
        ),
        ("2026-12-08 18:00", "2027-10-31 02:15", r"2 h 15 est une heure ambiguë le dimanche 31 octobre 2027"),
        ("2026-12-08 18:00", "2026-11-02 18:00", r"debut : cette date est passée"),
        (
            "2026-12-08 18:00",
            "2026-12-03 18:00",
            r"se convoque 5 jours francs avant .* à partir du samedi 5 décembre 2026",
        ),
        ("2026-12-08 18:00", "2026-12-32 18:00", r"n'est pas une date du calendrier"),
        ("invitee@example.org", "inconnue@example.org", r"« inconnue@example.org » n'est pas dans l'annuaire"),
        ("duree: 2h", "duree: 2h\nfin: 20:00", r"donnez la fin ou la durée, pas les deux"),
    ],
)
def test_une_demande_fautive_est_refusee_et_rien_n_est_enregistre(
    session: Session, remplacer: str, par: str, attendu: str
) -> None:
    territoire = preparer_lunion(session)
    assert remplacer in REUNION
    with pytest.raises(DonneesInvalides, match=attendu):
        planifier(session, territoire, REUNION.replace(remplacer, par))
    assert session.scalar(select(func.count()).select_from(Reunion)) == 0


def test_l_urgence_permet_un_jour_franc_mais_jamais_zero(session: Session) -> None:
    territoire = preparer_lunion(session)
    reunion = planifier(session, territoire, REUNION.replace("2026-12-08", "2026-12-01"), urgence=True)
    assert reunion.urgence
    with pytest.raises(DonneesInvalides, match="même en urgence"):
        planifier(session, territoire, REUNION.replace("2026-12-08", "2026-11-30"), urgence=True)


def test_un_titre_avec_un_saut_de_ligne_est_refuse_avec_sa_ligne(session: Session) -> None:
    texte = REUNION.replace("titre: Comité de pilotage de la CTG — bilan de l'année", 'titre: "Comité\\nBcc: x"')
    with pytest.raises(DonneesInvalides, match=r"ligne 2 \(titre\) : ce texte doit tenir sur une ligne"):
        planifier(session, preparer_lunion(session), texte)


def test_planifier_deux_fois_le_meme_fichier_ne_cree_qu_une_reunion(session: Session) -> None:
    territoire = preparer_lunion(session)
    premiere = planifier(session, territoire)
    with pytest.raises(DonneesInvalides) as refus:
        planifier(session, territoire, uid="autre@ctg-gouvernance")
    message = str(refus.value)
    assert f"La réunion n°{premiere.id} existe déjà : COPIL du mardi 8 décembre 2026 à 18" in message
    assert "--doublon pour en planifier une seconde" in message
    assert session.scalar(select(func.count()).select_from(Reunion)) == 1


def test_avec_doublon_une_seconde_reunion_au_meme_debut_est_planifiee(session: Session) -> None:
    territoire = preparer_lunion(session)
    planifier(session, territoire)
    planifier(session, territoire, uid="seconde@ctg-gouvernance", doublon=True)
    assert session.scalar(select(func.count()).select_from(Reunion)) == 2


def test_une_reunion_annulee_ne_bloque_pas_celle_qui_la_remplace(session: Session) -> None:
    territoire = preparer_lunion(session)
    annulee = planifier(session, territoire)
    annulee.statut = StatutReunion.ANNULEE
    remplacante = planifier(session, territoire, uid="remplacante@ctg-gouvernance")
    assert remplacante.id != annulee.id
