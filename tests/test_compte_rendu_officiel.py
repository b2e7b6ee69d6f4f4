"""Le compte rendu validé est la version officielle, écrite d'après ce qui a été relu, pas le brouillon du
secrétaire : lu par python-docx dans le Word, et par pdftotext dans le PDF de LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from sqlalchemy import Engine, select

from gouvernance.comptes_rendus.docx_valeurs import lire_presence
from gouvernance.comptes_rendus.lecture_docx import lire_compte_rendu
from gouvernance.comptes_rendus.presences import presence_ecrite
from gouvernance.comptes_rendus.validation import lire_validation, noter_validation
from gouvernance.documents.pdf import convertir_en_pdf, libreoffice_disponible
from gouvernance.documents.rendu import MODELES_D_ORIGINE
from gouvernance.erreurs import DonneesInvalides
from gouvernance.personnes import FichePersonne, ajouter_personne
from gouvernance.reglages import lire_reglages
from gouvernance.reunions.description import exiger_reunion
from gouvernance.reunions.envoi_reunion import Parametres
from gouvernance.services import comptes_rendus
from modeles import Enjeu, Invitation, Orientation, PointOrdreDuJour, Presence, ReponseInvitation, RoleMembre
from modeles.moteur import ouvrir_session
from tests.conftest import manque
from tests.test_compte_rendu_docx import ecrire, tableau
from tests.test_documents import texte_docx

APRES = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)  # le lendemain du comité du 9 mars 2027
AVANT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ORIENTATION_53 = "Orientation 5.3 – Faire vivre / développer des espaces de rencontres et d'échanges pour les parents"


@pytest.mark.parametrize(
    ("presence", "civilite", "par", "ecrite"),
    [
        (Presence.PRESENT, "Madame", None, "présente"),
        (Presence.PRESENT, "Monsieur", None, "présent"),
        (Presence.PRESENT, None, None, "présent(e)"),
        (Presence.EXCUSE, "Mme", None, "excusée"),
        (Presence.ABSENT, "M.", None, "absent"),
        (Presence.REPRESENTE, "Madame", "Luc Maquette", "représentée par Luc Maquette"),
        (None, "Madame", None, "non renseigné"),
    ],
)
def test_la_presence_s_accorde_avec_la_civilite(
    presence: Presence | None, civilite: str | None, par: str | None, ecrite: str
) -> None:
    assert presence_ecrite(presence, civilite, par) == ecrite
    assert lire_presence(ecrite) == (presence, par)  # ce que le projet écrit, le lecteur le relit


def _preparer(moteur: Engine) -> int:
    """Le COPIL du 9 mars 2027 : Claire (Madame, a accepté), Karim (Monsieur, excusé), Léa sans réponse ; deux points."""
    from tests.test_compte_rendu_import import preparer

    with ouvrir_session(moteur, ecriture=True) as session:
        _, reunion = preparer(session)
        claire, karim = (i.personne for i in reunion.invitations)
        claire.civilite, karim.civilite = "Madame", "Monsieur"
        reponses = {claire.id: ReponseInvitation.ACCEPTEE, karim.id: ReponseInvitation.DECLINEE}
        for invitation in reunion.invitations:
            invitation.reponse = reponses[invitation.personne_id]
        lea = ajouter_personne(session, FichePersonne(email="lea@example.org", prenom="Léa", nom="Témoin"))
        lea.civilite = "Madame"
        reunion.invitations.append(Invitation(personne=lea, role=RoleMembre.INVITE))
        ajouter_personne(session, FichePersonne(email="luc@example.org", prenom="Luc", nom="Maquette"))
        reunion.points[0].orientations = [session.scalars(select(Orientation).join(Enjeu).limit(1)).one()]
        reunion.points.append(PointOrdreDuJour(ordre=2, titre="Questions diverses", orientations=[]))
        return reunion.id


def _parametres(moteur: Engine, dossier: Path) -> Parametres:
    reglages = lire_reglages(
        {"CTG_HOME": str(dossier), "CTG_COORDINATEUR_NOM": "Nadia Prototype", "CTG_COORDINATEUR_EMAIL": "c@example.org"}
    )
    if moteur.url.get_backend_name() != "sqlite":  # un seul passage par LibreOffice : la version SQLite
        return Parametres(reglages, APRES, MODELES_D_ORIGINE, None, smtp=False)
    if not libreoffice_disponible():
        manque("LibreOffice", "ni soffice ni libreoffice dans le PATH (paquet libreoffice-writer-nogui)")
    if shutil.which("pdftotext") is None:
        manque("pdftotext", "paquet poppler-utils absent")
    return Parametres(reglages, APRES, MODELES_D_ORIGINE, convertir_en_pdf, smtp=False)


def _completer(projet: bytes, *, secretaire: str, presence_de_lea: str) -> bytes:
    """Ce que rend le secrétaire : deux lignes vides laissées, « orientation 5.3 », des dates de deux écritures."""
    document = docx.Document(io.BytesIO(projet))
    participants = tableau(document, ("Nom", "Organisme", "Fonction", "Présence"))
    lea = next(ligne for ligne in participants.rows if ligne.cells[0].text == "Léa Témoin")
    lea.cells[3].paragraphs[0].text = presence_de_lea
    decisions = tableau(document, ("N°", "Décision", "Orientations"))
    ecrire(decisions, 1, "1", "Le calendrier des ateliers est adopté jusqu'au 30/06/2027.", "orientation 5.3")
    actions = tableau(document, ("Réf.", "Action", "Responsable", "Échéance", "Orientations"))
    ecrire(actions, 1, "", "Recenser les places d'accueil", "Luc Maquette", "31/03/2027", "3.3")
    ecrire(actions, 2, "", "Publier le programme", "CCAS", "15 février 2027", "5.3")
    next(p for p in document.paragraphs if p.text.startswith("Secrétaire de séance")).runs[-1].text = f" {secretaire}"
    echanges = [rang for rang, p in enumerate(document.paragraphs) if p.text.startswith("Échanges")]
    assert len(echanges) == 2  # celles du point 2 restent vides
    document.paragraphs[echanges[0] + 1].text = "Les partenaires saluent le travail accompli."
    sortie = io.BytesIO()
    document.save(sortie)
    return sortie.getvalue()


def test_la_validation_ecrit_la_version_officielle_d_apres_ce_qui_a_ete_relu(moteur: Engine, tmp_path: Path) -> None:
    reunion_id = _preparer(moteur)
    parametres = _parametres(moteur, tmp_path)
    projet = comptes_rendus.generer_compte_rendu(moteur, reunion_id, parametres).read_bytes()
    brouillon = texte_docx(projet)
    assert "Claire Fictive\n\n\nprésente" in brouillon and "Karim Modèle\n\n\nexcusé" in brouillon
    assert "Léa Témoin\n\n\nnon renseigné" in brouillon and "absent" not in brouillon

    fichier = tmp_path / "complete.docx"
    fichier.write_bytes(_completer(projet, secretaire="…", presence_de_lea="non renseigné"))
    with pytest.raises(DonneesInvalides, match=r"n'a pas encore eu lieu : elle est prévue le mardi 9 mars 2027 à 18"):
        comptes_rendus.importer_compte_rendu(
            moteur, reunion_id, fichier, reglages=parametres.reglages, maintenant=AVANT
        )
    bilan = comptes_rendus.importer_compte_rendu(
        moteur, reunion_id, fichier, reglages=parametres.reglages, maintenant=APRES
    )
    assert "Présence non renseignée : Léa Témoin (à compléter avant la validation)." in bilan.lignes_resume()
    with pytest.raises(DonneesInvalides) as refus:
        comptes_rendus.valider_compte_rendu(moteur, reunion_id, parametres)
    assert "écrivez son nom après « Secrétaire de séance : »" in str(refus.value)
    assert "la présence de Léa Témoin n'est pas renseignée" in str(refus.value)
    with pytest.raises(DonneesInvalides, match="n'a pas encore eu lieu"):
        comptes_rendus.valider_compte_rendu(moteur, reunion_id, Parametres(**{**vars(parametres), "maintenant": AVANT}))

    fichier.write_bytes(
        _completer(projet, secretaire="Nadia Prototype", presence_de_lea="représentée par Luc Maquette")
    )
    comptes_rendus.importer_compte_rendu(moteur, reunion_id, fichier, reglages=parametres.reglages, maintenant=APRES)
    with ouvrir_session(moteur) as session:
        perimee = lire_validation(session, exiger_reunion(session, reunion_id), parametres)
    plus_tard = datetime(2027, 3, 11, 9, 0, tzinfo=UTC)  # un réimport pendant que LibreOffice travaille
    comptes_rendus.importer_compte_rendu(
        moteur, reunion_id, fichier, reglages=parametres.reglages, maintenant=plus_tard
    )
    with ouvrir_session(moteur, ecriture=True) as session, pytest.raises(DonneesInvalides, match="réimporté pendant"):
        reunion = exiger_reunion(session, reunion_id)
        noter_validation(session, reunion, maintenant=APRES, importe_le=perimee.importe_le)
    chemins = comptes_rendus.valider_compte_rendu(moteur, reunion_id, parametres)
    assert fichier.read_bytes() != chemins[0].read_bytes()  # le fichier du secrétaire reste la source
    textes = [texte_docx(chemins[0].read_bytes())]
    if len(chemins) == 2:
        pdf = subprocess.run(["pdftotext", str(chemins[1]), "-"], capture_output=True, text=True, check=True).stdout
        textes.append(pdf)
    for texte in textes:
        plat = " ".join(texte.split())
        assert "Secrétaire de séance : Nadia Prototype" in plat
        assert "présente" in plat and "excusé" in plat and "excusée" not in plat
        assert "représentée par Luc Maquette" in plat
        assert "1. Bilan" in plat and "2. Questions diverses" in plat
        assert "Les partenaires saluent le travail accompli." in plat
        assert " ".join(ORIENTATION_53.split()) in plat
        assert "jusqu'au 30 juin 2027" in plat and "31 mars 2027" in plat and "15 février 2027" in plat
        for brouillon_seulement in ("…", "Échanges", "Réf.", "non renseigné", "orientation 5.3", "/2027", "A-"):
            assert brouillon_seulement not in plat, brouillon_seulement
    with pytest.raises(DonneesInvalides, match="est la version validée du compte rendu"):
        lire_compte_rendu(chemins[0].read_bytes(), nom_fichier=chemins[0].name)
    document = docx.Document(io.BytesIO(chemins[0].read_bytes()))
    lignes = [[c.text for c in ligne.cells] for table in document.tables for ligne in table.rows]
    assert all(any(cellule.strip() for cellule in ligne) for ligne in lignes)  # aucune ligne vide
    assert [ligne[3] for ligne in lignes[1:4]] == ["présente", "représentée par Luc Maquette", "excusé"]
