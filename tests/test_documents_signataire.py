"""Qui signe les courriers de chaque instance de L'Union, et sur quel ton : la présidence, sinon la maire qui a
signé la convention, sinon la coordinatrice ; personne ne s'écrit à soi-même (réunions en base, vue relue)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from gouvernance.documents.rendu import MODELES_D_ORIGINE, construire_convocation
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.reglages import Reglages
from gouvernance.reunions.lecture import construire_vue
from gouvernance.reunions.vue import ReunionVue
from modeles import Fonction, Invitation, Partenaire, Personne, Reunion, RoleMembre, Signataire, Territoire
from tests.fabriques import charger_lunion, creer_reunion
from tests.test_documents import texte_docx

NB = "\u00a0"
COORDINATRICE = "cooperation.ctg@example.org"
REGLAGES = Reglages(
    dossier=Path("/nulle-part"),
    url_base="sqlite://",
    valeurs={
        "CTG_COORDINATEUR_NOM": "Nadia Prototype",
        "CTG_COORDINATEUR_EMAIL": COORDINATRICE,
        "CTG_COORDINATEUR_FONCTION": "chargée de coopération CTG",
        "CTG_COORDINATEUR_TELEPHONE": "05 00 00 00 08",
    },
)
MAIRE = "maire@example.org"
ADJOINT = "adjoint.enfance@example.org"
CAF = "conseiller.territorial@example.org"
#: « mardi 9 mars 2027 » : le jour des réunions de creer_reunion.
LE_9_MARS = "mardi 9 mars 2027"


def _personne(session: Session, fiche: tuple[str, str, str, str, str, str]) -> None:
    email, civilite, prenom, nom, fonction, sigle = fiche
    organisme = session.query(Partenaire).filter_by(sigle=sigle).one()
    personne = Personne(email=email, civilite=civilite, prenom=prenom, nom=nom)
    personne.fonctions.append(Fonction(partenaire=organisme, intitule=fonction, debut=date(2020, 1, 1)))
    session.add(personne)


@pytest.fixture
def lunion(session: Session) -> Territoire:
    """L'Union : la maire préside le COPIL et a signé la convention pour la Ville ; la coordinatrice, l'adjoint et
    le conseiller de la CAF sont membres des quatre instances (sans présidence hors du COPIL)."""
    territoire = charger_lunion(session)
    for fiche in (
        (MAIRE, "Mme", "Claire", "Fictive", "Maire", "Ville"),
        (ADJOINT, "M.", "Bruno", "Exemple", "Adjoint au maire délégué à l'enfance", "Ville"),
        (CAF, "M.", "Karim", "Modèle", "Conseiller territorial", "CAF"),
        (COORDINATRICE, "Mme", "Nadia", "Prototype", "Chargée de coopération CTG", "Ville"),
    ):
        _personne(session, fiche)
    session.flush()
    personnes = {p.email: p for p in session.query(Personne).all()}
    for code in ("COPIL", "COTECH", "ATELIER", "SEMINAIRE"):
        instance = exiger_instance(session, territoire, code)
        for email in (ADJOINT, CAF, COORDINATRICE):
            ajouter_membre(session, instance, personnes[email])
    ajouter_membre(session, exiger_instance(session, territoire, "COPIL"), personnes[MAIRE], RoleMembre.PRESIDENT)
    convention = territoire.conventions[0]
    ville = session.query(Partenaire).filter_by(sigle="Ville").one()
    convention.signataires.append(Signataire(partenaire=ville, personne=personnes[MAIRE], signe_le=date(2022, 1, 10)))
    session.flush()
    return territoire


def vue(session: Session, territoire: Territoire, code: str, *, inviter_la_maire: bool = False) -> ReunionVue:
    """La réunion de l'instance, ses membres invités (et la maire en plus), telle que la voient ses courriers."""
    instance = exiger_instance(session, territoire, code)
    reunion: Reunion = creer_reunion(session, instance, [], titre=instance.intitule, uid=f"{code}@ctg.example.org")
    reunion.invitations = [Invitation(personne=m.personne, role=m.role) for m in instance.membres]
    if inviter_la_maire and all(i.personne.email != MAIRE for i in reunion.invitations):
        maire = session.query(Personne).filter_by(email=MAIRE).one()
        reunion.invitations.append(Invitation(personne=maire, role=RoleMembre.INVITE))
    session.flush()
    return construire_vue(reunion, REGLAGES)


def lettre(reunion: ReunionVue, email: str) -> str:
    destinataire = next(i for i in reunion.invites if i.email == email)
    contenu = construire_convocation(reunion, destinataire, date_courrier=date(2027, 3, 1), modeles=MODELES_D_ORIGINE)
    return texte_docx(contenu)


def signature(texte: str) -> str:
    """Ce qui suit la formule de politesse : fonction et nom du signataire."""
    return " ".join(texte.split("l'expression de", 1)[1].split(".", 1)[1].split())


def test_chaque_instance_de_l_union_a_un_signataire_nomme_et_personne_ne_s_ecrit_a_soi_meme(
    session: Session, lunion: Territoire
) -> None:
    copil = vue(session, lunion, "COPIL")
    texte = lettre(copil, CAF)
    assert signature(texte) == "Maire de L'Union Claire Fictive"
    assert f"Objet{NB}: convocation au Comité de pilotage de suivi du {LE_9_MARS}" in texte
    assert "j'ai l'honneur de vous convier à la réunion du Comité de pilotage de suivi, qui se tiendra" in texte
    # La présidente a aussi signé la convention : son courrier vient de la suivante, la coordinatrice.
    assert signature(lettre(copil, MAIRE)) == "Chargée de coopération CTG Nadia Prototype"
    for code, intitule in (
        ("COTECH", "du Comité technique"),
        ("ATELIER", "des Ateliers de travail inter-partenarial"),
        ("SEMINAIRE", "du Séminaire interne"),
    ):
        reunion = vue(session, lunion, code, inviter_la_maire=True)
        assert reunion.president is None
        for email in (CAF, ADJOINT):
            texte = lettre(reunion, email)
            assert signature(texte) == "Maire de L'Union Claire Fictive", f"{code}, lettre à {email}"
            assert f"j'ai l'honneur de vous convier à la réunion {intitule}, qui se tiendra" in texte
        aux_signataires = lettre(reunion, MAIRE)
        assert signature(aux_signataires) == "Chargée de coopération CTG Nadia Prototype", code
        assert "convier" not in aux_signataires and "Madame la Maire," in aux_signataires
        # La coordinatrice, membre, émargera ; elle organise et ne reçoit pas de convocation.
        assert COORDINATRICE in {i.email for i in reunion.invites}
        assert sorted(i.email for i in reunion.a_convoquer) == [ADJOINT, CAF, MAIRE]


def test_sans_signataire_de_la_convention_la_coordinatrice_signe_et_invite_sans_convier(
    session: Session, lunion: Territoire
) -> None:
    lunion.conventions[0].signataires.clear()
    session.flush()
    texte = lettre(vue(session, lunion, "ATELIER"), CAF)
    assert signature(texte) == "Chargée de coopération CTG Nadia Prototype"
    assert f"Objet{NB}: invitation à la réunion des Ateliers de travail inter-partenarial du {LE_9_MARS}" in texte
    assert "j'ai le plaisir de vous inviter à la réunion des Ateliers de travail inter-partenarial, qui se" in texte
    assert (
        "en répondant à l'invitation jointe ou en m'écrivant à cooperation.ctg@example.org ou en m'appelant au "
        "05 00 00 00 08." in texte
    )
    assert "convier" not in texte and "auprès de Nadia Prototype" not in texte
