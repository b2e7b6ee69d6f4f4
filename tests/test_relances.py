"""Les relances sur une vraie base : ce qui est dû tel jour, une seule fois, et jamais une relance périmée."""

from __future__ import annotations

import email
import email.policy
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
import vobject
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gouvernance.courriel import MIME_DOCX
from gouvernance.erreurs import DonneesInvalides
from gouvernance.membres import ajouter_membre, exiger_instance
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import lire_reglages
from gouvernance.relances.caducite import ecarter_relances_perimees
from gouvernance.relances.calendrier import jour_du_recapitulatif, lire_jour
from gouvernance.relances.preparation import (
    LigneRelance,
    ParametresRelances,
    rediger_relances,
    relances_dues,
)
from gouvernance.relances.selection import recapitulatifs_dus
from gouvernance.reunions.cycle import appliquer_modification, marquer_annulee
from gouvernance.reunions.lecture import lire_coordinateur
from modeles import (
    Action,
    CompteRendu,
    Document,
    Enjeu,
    EtatMessage,
    Instance,
    Invitation,
    Message,
    Orientation,
    Personne,
    ReponseInvitation,
    Reunion,
    RoleMembre,
    StatutCompteRendu,
    StatutReunion,
    Territoire,
)
from tests.fabriques import charger_lunion, creer_reunion

#: Le COPIL du mardi 9 mars 2027, 18 h à Paris (17 h UTC), convoqué le 29 novembre 2026.
DEBUT = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)
CONVOQUEE_LE = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
MAINTENANT = datetime(2027, 3, 2, 6, 0, tzinfo=UTC)
COORDINATEUR = "cooperation.ctg@example.org"


@dataclass
class Ctg:
    session: Session
    territoire: Territoire
    copil: Instance
    reunion: Reunion
    claire: Personne
    karim: Personne
    dossier: Path

    def parametres(self, jour: date, **valeurs: str) -> ParametresRelances:
        reglages = lire_reglages(
            {
                "CTG_HOME": str(self.dossier),
                "CTG_COORDINATEUR_NOM": "Nadia Prototype",
                "CTG_COORDINATEUR_EMAIL": COORDINATEUR,
                **valeurs,
            }
        )
        return ParametresRelances(
            reglages=reglages, maintenant=MAINTENANT, jour=jour, coordinateur=lire_coordinateur(reglages), smtp=False
        )

    def relancer(self, jour: date) -> list[LigneRelance]:
        """Ce que fait le flux, sans Prefect : écarter le périmé, préparer ce qui est dû."""
        ecarter_relances_perimees(self.session, jour=jour)
        parametres = self.parametres(jour)
        return rediger_relances(self.session, relances_dues(self.session, jour, parametres.coordinateur), parametres)

    def recapituler(self, jour: date, **valeurs: str) -> list[LigneRelance]:
        parametres = self.parametres(jour, **valeurs)
        dues = recapitulatifs_dus(
            self.session,
            jour,
            parametres.coordinateur,
            jour_de_la_semaine=jour_du_recapitulatif(parametres.reglages),
        )
        return rediger_relances(self.session, dues, parametres)

    def messages(self, nature: str) -> list[Message]:
        requete = select(Message).where(Message.nature == nature).order_by(Message.id)
        return list(self.session.scalars(requete))


@pytest.fixture
def ctg(session: Session, tmp_path: Path) -> Ctg:
    """L'Union, un COPIL de deux membres et sa réunion du 9 mars 2027, convoquée, sans réponse encore."""
    territoire = charger_lunion(session)
    copil = exiger_instance(session, territoire, "COPIL")
    claire = ajouter_personne(
        session, FichePersonne(email="claire@example.org", prenom="Claire", nom="Fictive", civilite="Madame")
    )
    karim = ajouter_personne(session, FichePersonne(email="karim@example.org", prenom="Karim", nom="Modèle"))
    ajouter_membre(session, copil, claire, "president")
    ajouter_membre(session, copil, karim, "membre")
    orientation = territoire_orientation(session, territoire)
    reunion = creer_reunion(
        session,
        copil,
        [orientation],
        titre="Comité de pilotage — bilan de l'année",
        lieu="Salle du conseil, mairie de L'Union",
        debut=DEBUT,
        fin=DEBUT + timedelta(hours=2),
        statut="convoquee",
        convoquee_le=CONVOQUEE_LE,
    )
    reunion.invitations += [Invitation(personne=claire, role="president"), Invitation(personne=karim, role="membre")]
    session.flush()
    return Ctg(session, territoire, copil, reunion, claire, karim, tmp_path)


def territoire_orientation(session: Session, territoire: Territoire) -> Orientation:
    """L'orientation 3.3 de L'Union."""
    requete = select(Orientation).join(Enjeu).where(Enjeu.territoire_id == territoire.id, Enjeu.numero == 3)
    return next(o for o in session.scalars(requete) if o.code == "3.3")


def lire_eml(message: Message, dossier: Path) -> EmailMessage:
    """Le .eml du message ; son chemin est enregistré relatif au CTG_HOME `dossier`."""
    lu = email.message_from_bytes((dossier / message.chemin).read_bytes(), policy=email.policy.default)
    assert isinstance(lu, EmailMessage)
    return lu


def corps_texte(lu: EmailMessage) -> str:
    partie = lu.get_body(preferencelist=("plain",))
    assert partie is not None
    return str(partie.get_content()).replace("\r\n", "\n").replace("\u00a0", " ")


def test_un_invite_sans_reponse_est_relance_une_seule_fois_a_partir_de_n_jours_avant(ctg: Ctg) -> None:
    assert ctg.relancer(date(2027, 3, 1)) == []  # 8 jours avant : trop tôt (N = 7)
    lignes = ctg.relancer(date(2027, 3, 2))
    assert sorted(ligne.destinataire for ligne in lignes) == ["claire@example.org", "karim@example.org"]
    assert {ligne.etat for ligne in lignes} == {"a_envoyer"}
    premiers = ctg.messages("relance_reponse")
    assert [m.cle for m in premiers] == [
        "reunion-COPIL-20270309@ctg.example.org/0/relance-reponse/claire@example.org",
        "reunion-COPIL-20270309@ctg.example.org/0/relance-reponse/karim@example.org",
    ]
    # Le même jour, puis les jours suivants : les mêmes messages, aucun de plus.
    for jour in (date(2027, 3, 2), date(2027, 3, 3), date(2027, 3, 8)):
        assert [ligne.message for ligne in ctg.relancer(jour)] == [m.id for m in premiers]
    assert ctg.relancer(date(2027, 3, 9)) == []  # le jour même : plus de relance
    assert len(ctg.messages("relance_reponse")) == 2


def test_la_relance_rejoint_l_invitation_de_la_revision_en_cours_et_dit_quoi_ou_quand(ctg: Ctg) -> None:
    ctg.reunion.sequence = 3
    ctg.relancer(date(2027, 3, 4))
    claire = next(m for m in ctg.messages("relance_reponse") if m.destinataire == "claire@example.org")
    lu = lire_eml(claire, ctg.dossier)
    assert lu["To"] == "Claire Fictive <claire@example.org>"
    assert lu["Reply-To"] == COORDINATEUR
    assert "Rappel : votre réponse est attendue" in str(lu["Subject"]).replace("\u00a0", " ")
    texte = corps_texte(lu)
    assert texte.startswith("Madame,\n")
    assert "mardi 9 mars 2027, de 18 h 00 à 20 h 00" in texte
    assert "Lieu : Salle du conseil, mairie de L'Union" in texte
    assert "à la réunion suivante, qui se tiendra dans 5 jours, dans le cadre" in texte
    html = lu.get_body(preferencelist=("html",))
    assert html is not None
    assert "Salle du conseil, mairie de L&#x27;Union" in html.get_content()
    calendrier = next(p for p in lu.walk() if p.get_content_type() == "text/calendar")
    assert calendrier.get_param("method") == "REQUEST"
    evenement = vobject.readOne(calendrier.get_content()).vevent
    assert evenement.uid.value == ctg.reunion.uid
    assert evenement.sequence.value == "3"
    assert evenement.dtstart.value == DEBUT
    participants = sorted(a.value.lower() for a in evenement.contents["attendee"])
    assert participants == ["mailto:claire@example.org", "mailto:karim@example.org"]
    assert [p.get_filename() for p in lu.iter_attachments()] == ["invitation.ics"]


def test_un_invite_qui_a_repondu_n_est_pas_relance_meme_si_la_relance_etait_preparee(ctg: Ctg) -> None:
    invitation_claire, invitation_karim = ctg.reunion.invitations
    invitation_claire.reponse = ReponseInvitation.ACCEPTEE
    lignes = ctg.relancer(date(2027, 3, 2))
    assert [ligne.destinataire for ligne in lignes] == ["karim@example.org"]
    invitation_karim.reponse = ReponseInvitation.DECLINEE  # sa réponse arrive avant l'envoi
    (ecartee,) = ecarter_relances_perimees(ctg.session, jour=date(2027, 3, 2))
    assert ecartee.destinataire == "karim@example.org"
    assert "a répondu entre-temps (s'est excusé(e))" in (ecartee.raison or "")
    (message,) = ctg.messages("relance_reponse")
    assert message.etat == "caduc"
    assert ctg.relancer(date(2027, 3, 3)) == []


def test_une_reunion_annulee_n_est_jamais_relancee(ctg: Ctg) -> None:
    ctg.relancer(date(2027, 3, 2))
    marquer_annulee(ctg.reunion, "Quorum impossible à réunir")
    ecartees = ecarter_relances_perimees(ctg.session, jour=date(2027, 3, 2))
    assert {ligne.raison for ligne in ecartees} == {"la réunion a été annulée"}
    assert {m.etat for m in ctg.messages("relance_reponse")} == {"caduc"}
    for jour in (date(2027, 3, 3), date(2027, 3, 8)):
        assert ctg.relancer(jour) == []
    assert len(ctg.messages("relance_reponse")) == 2


def test_une_reunion_deplacee_ecarte_l_ancienne_relance_et_appelle_une_relance_a_la_nouvelle_date(ctg: Ctg) -> None:
    ctg.relancer(date(2027, 3, 2))
    modification = appliquer_modification(ctg.reunion, debut="2027-03-23 18:00", maintenant=MAINTENANT)
    assert modification.materielle
    ctg.reunion.convoquee_le = datetime(2027, 3, 2, 8, 0, tzinfo=UTC)  # la modification est partie le 2 mars
    assert ctg.relancer(date(2027, 3, 3)) == []  # 20 jours avant la nouvelle date : rien encore
    anciennes = ctg.messages("relance_reponse")
    assert {m.etat for m in anciennes} == {"caduc"}
    assert all("modifiée depuis (révision 1)" in (m.reponse_serveur or "") for m in anciennes)
    nouvelles = ctg.relancer(date(2027, 3, 16))
    assert [ligne.cle.split("/")[1] for ligne in nouvelles] == ["1", "1"]
    assert {ligne.etat for ligne in nouvelles} == {"a_envoyer"}
    texte = corps_texte(lire_eml(ctg.messages("relance_reponse")[-1], ctg.dossier))
    assert "mardi 23 mars 2027, de 18 h 00 à 20 h 00" in texte


def test_un_delai_de_zero_jour_supprime_les_relances_de_reponse(ctg: Ctg) -> None:
    ctg.copil.relance_reponse_jours = 0
    for jour in (date(2027, 3, 2), date(2027, 3, 8)):
        assert ctg.relancer(jour) == []
    assert ctg.messages("relance_reponse") == []


def test_une_reunion_planifiee_pas_encore_convoquee_n_est_pas_relancee(ctg: Ctg) -> None:
    ctg.reunion.statut = StatutReunion.PLANIFIEE
    assert ctg.relancer(date(2027, 3, 4)) == []


def test_pas_de_relance_le_jour_meme_de_l_envoi_de_l_invitation(ctg: Ctg) -> None:
    ctg.reunion.convoquee_le = datetime(2027, 3, 4, 8, 0, tzinfo=UTC)
    assert ctg.relancer(date(2027, 3, 4)) == []
    assert len(ctg.relancer(date(2027, 3, 5))) == 2


def _passee(ctg: Ctg) -> Reunion:
    """La réunion du 9 mars a eu lieu ; Karim est le secrétaire du COPIL."""
    ctg.reunion.statut = StatutReunion.TENUE
    for invitation in ctg.reunion.invitations:
        invitation.reponse = ReponseInvitation.ACCEPTEE
    membre = next(m for m in ctg.copil.membres if m.personne is ctg.karim)
    membre.role = RoleMembre.SECRETAIRE
    ctg.session.flush()
    return ctg.reunion


def test_le_secretaire_est_relance_une_fois_quand_le_compte_rendu_n_est_pas_importe(ctg: Ctg) -> None:
    reunion = _passee(ctg)
    assert ctg.relancer(date(2027, 3, 23)) == []  # 14 jours après : pas encore (N = 15)
    compte_rendu = CompteRendu(reunion_id=reunion.id, statut="projet", genere_le=MAINTENANT)
    ctg.session.add(compte_rendu)
    (ligne,) = ctg.relancer(date(2027, 3, 24))
    assert (ligne.nature, ligne.destinataire, ligne.sujet) == (
        "relance_compte_rendu",
        "karim@example.org",
        "COPIL du 9 mars 2027",
    )
    for jour in (date(2027, 3, 25), date(2027, 5, 1)):
        assert [autre.message for autre in ctg.relancer(jour)] == [ligne.message]
    (message,) = ctg.messages("relance_compte_rendu")
    texte = corps_texte(lire_eml(message, ctg.dossier))
    assert "s'est tenue il y a 15 jours" in texte
    assert "mardi 9 mars 2027" in texte
    assert "ctg compte-rendu" not in texte  # le secrétaire n'utilise pas l'outil
    compte_rendu.statut = StatutCompteRendu.IMPORTE
    assert ctg.relancer(date(2027, 5, 2)) == []


def test_le_compte_rendu_importe_avant_l_envoi_rend_la_relance_caduque(ctg: Ctg) -> None:
    reunion = _passee(ctg)
    ctg.relancer(date(2027, 3, 24))
    ctg.session.add(CompteRendu(reunion_id=reunion.id, statut="importe", genere_le=MAINTENANT))
    ctg.session.flush()
    (ecartee,) = ecarter_relances_perimees(ctg.session, jour=date(2027, 3, 24))
    assert ecartee.raison == "le compte rendu a été importé entre-temps"


def test_sans_secretaire_le_coordinateur_est_relance_avec_les_commandes_utiles(ctg: Ctg) -> None:
    ctg.reunion.statut = StatutReunion.TENUE
    (ligne,) = [ligne for ligne in ctg.relancer(date(2027, 4, 1)) if ligne.nature == "relance_compte_rendu"]
    assert ligne.destinataire == COORDINATEUR
    texte = corps_texte(lire_eml(ctg.messages("relance_compte_rendu")[0], ctg.dossier))
    assert texte.startswith("Bonjour,\n")
    assert "Aucun secrétariat n'est désigné pour le COPIL" in texte
    assert f"ctg compte-rendu generer {ctg.reunion.id}" in texte


def test_ni_delai_nul_ni_reunion_annulee_ou_jamais_convoquee_n_appellent_de_compte_rendu(ctg: Ctg) -> None:
    _passee(ctg)
    ctg.copil.relance_compte_rendu_jours = 0
    assert ctg.relancer(date(2027, 4, 30)) == []
    ctg.copil.relance_compte_rendu_jours = 15
    for statut in (StatutReunion.ANNULEE, StatutReunion.PLANIFIEE):
        ctg.reunion.statut = statut
        assert ctg.relancer(date(2027, 4, 30)) == []
    ctg.reunion.statut = StatutReunion.CONVOQUEE
    assert [ligne.nature for ligne in ctg.relancer(date(2027, 4, 30))] == ["relance_compte_rendu"]


def test_le_recapitulatif_part_une_fois_par_semaine_avec_les_reponses_manquantes_et_les_actions_en_retard(
    ctg: Ctg,
) -> None:
    invitation_claire, _ = ctg.reunion.invitations
    invitation_claire.reponse = ReponseInvitation.ACCEPTEE
    ancienne = creer_reunion(
        ctg.session,
        ctg.copil,
        [],
        uid="copil-2026@ctg.example.org",
        debut=datetime(2026, 12, 8, 17, 0, tzinfo=UTC),
        fin=datetime(2026, 12, 8, 19, 0, tzinfo=UTC),
        statut="tenue",
    )
    for libelle, echeance, statut in (
        ("Recenser les places d'accueil du jeune enfant", date(2027, 1, 31), "en_cours"),
        ("Action terminée en retard", date(2027, 1, 15), "fait"),
        ("Action à échéance lointaine", date(2027, 12, 31), "a_faire"),
    ):
        ctg.session.add(
            Action(
                reunion_id=ancienne.id,
                libelle=libelle,
                responsable="Service petite enfance",
                echeance=echeance,
                statut=statut,
                cree_le=MAINTENANT,
            )
        )
    ctg.session.flush()
    lundi, mardi, lundi_suivant = date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 8)
    (ligne,) = ctg.recapituler(lundi)
    assert (ligne.nature, ligne.destinataire) == ("recapitulatif", COORDINATEUR)
    assert [autre.message for autre in ctg.recapituler(mardi)] == [ligne.message]
    (message,) = ctg.messages("recapitulatif")
    lu = lire_eml(message, ctg.dossier)
    assert str(lu["Subject"]).replace("\u00a0", " ") == (
        "Récapitulatif de la CTG de L'Union — semaine du 1er mars 2027"
    )
    texte = corps_texte(lu)
    assert "Réunions des quatre prochaines semaines (jusqu'au 28 mars 2027)" in texte
    assert (
        "Comité de pilotage — bilan de l'année (COPIL, réunion n°1) : le mardi 9 mars 2027 à 18 h 00, "
        "Salle du conseil, mairie de L'Union"
    ) in texte
    assert "sans réponse (1) : Karim Modèle (karim@example.org)" in texte
    assert "Claire Fictive" not in texte
    assert "Actions en retard (1) :" in texte
    assert "Recenser les places d'accueil du jeune enfant ; responsable : Service petite enfance" in texte
    assert "échéance : 31 janvier 2027 (décidée au COPIL du 8 décembre 2026)" in texte
    assert "Action terminée en retard" not in texte
    assert "Action à échéance lointaine" not in texte
    assert "Relances envoyées : aucune." in texte
    (suivant,) = ctg.recapituler(lundi_suivant)
    assert suivant.message != ligne.message
    assert suivant.cle == "recapitulatif/lunion/2027-S10"


def test_le_recapitulatif_rapporte_les_relances_envoyees_depuis_le_precedent(ctg: Ctg) -> None:
    ctg.recapituler(date(2027, 3, 1))
    (precedent,) = ctg.messages("recapitulatif")
    ctg.relancer(date(2027, 3, 2))
    for message in ctg.messages("relance_reponse"):
        message.etat, message.accepte_le = EtatMessage.ENVOYE, precedent.cree_le + timedelta(hours=1)
    ctg.session.flush()
    ctg.recapituler(date(2027, 3, 8))
    texte = corps_texte(lire_eml(ctg.messages("recapitulatif")[-1], ctg.dossier))
    assert "Relances envoyées depuis le mardi 2 mars 2027 à 7 h 00 (2) :" in texte
    assert "Relance de réponse — Karim Modèle (karim@example.org), COPIL du 9 mars 2027" in texte


def test_le_jour_du_recapitulatif_se_regle_et_le_recapitulatif_rattrape_un_jour_manque(ctg: Ctg) -> None:
    assert ctg.recapituler(date(2027, 3, 3), CTG_RECAPITULATIF_JOUR="jeudi") == []
    assert len(ctg.recapituler(date(2027, 3, 5), CTG_RECAPITULATIF_JOUR="jeudi")) == 1  # le jeudi a été manqué
    assert ctg.recapituler(date(2027, 3, 15), CTG_RECAPITULATIF_JOUR="aucun") == []
    with pytest.raises(DonneesInvalides, match="CTG_RECAPITULATIF_JOUR = « lundy »"):
        ctg.recapituler(date(2027, 3, 15), CTG_RECAPITULATIF_JOUR="lundy")
    assert ctg.session.scalar(select(func.count()).select_from(Message)) == 1


@pytest.mark.parametrize("texte", ["2027-02-30", "demain", "03/2027"])
def test_une_date_mal_ecrite_est_refusee_en_francais(texte: str) -> None:
    with pytest.raises(DonneesInvalides, match=f"--date : « {texte} »"):
        lire_jour(texte, maintenant=MAINTENANT)


def test_sans_date_le_jour_est_celui_de_paris() -> None:
    assert lire_jour(None, maintenant=datetime(2027, 3, 1, 23, 30, tzinfo=UTC)) == date(2027, 3, 2)


def test_le_coordinateur_invite_a_sa_propre_reunion_n_est_ni_relance_ni_compte_sans_reponse(ctg: Ctg) -> None:
    nadia = ajouter_personne(ctg.session, FichePersonne(email=COORDINATEUR, prenom="Nadia", nom="Prototype"))
    ctg.reunion.invitations.append(Invitation(personne=nadia, role="secretaire"))
    ctg.session.flush()
    lignes = ctg.relancer(date(2027, 3, 2))
    assert sorted(ligne.destinataire for ligne in lignes) == ["claire@example.org", "karim@example.org"]
    ctg.recapituler(date(2027, 3, 1))
    texte = corps_texte(lire_eml(ctg.messages("recapitulatif")[0], ctg.dossier))
    assert "Réponses : 0 sur 2 ; sans réponse (2) : Claire Fictive (claire@example.org), Karim Modèle" in texte
    assert "Nadia Prototype (" not in texte


def test_la_relance_du_secretaire_joint_le_dernier_projet_de_compte_rendu(ctg: Ctg) -> None:
    from docx import Document as LireDocx

    reunion = _passee(ctg)
    for version in (1, 2):
        chemin = ctg.dossier / f"compte-rendu-COPIL-v{version}.docx"
        projet = LireDocx()
        projet.add_paragraph(f"Projet de compte rendu, version {version}")
        projet.save(str(chemin))
        ctg.session.add(
            Document(
                reunion_id=reunion.id,
                type="compte_rendu_projet",
                version=version,
                chemin=str(chemin),
                empreinte="0" * 64,
                cree_le=MAINTENANT + timedelta(minutes=version),
            )
        )
    ctg.session.flush()
    ctg.relancer(date(2027, 3, 24))
    lu = lire_eml(ctg.messages("relance_compte_rendu")[0], ctg.dossier)
    (piece,) = lu.iter_attachments()
    assert piece.get_filename() == "compte-rendu-COPIL-v2.docx"
    assert piece.get_content_type() == MIME_DOCX
    relu = LireDocx(io.BytesIO(piece.get_content()))
    assert [p.text for p in relu.paragraphs] == ["Projet de compte rendu, version 2"]
    assert "Vous trouverez ci-joint le projet de compte rendu, pré-rempli" in corps_texte(lu)
