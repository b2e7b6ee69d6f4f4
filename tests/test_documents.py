"""Les courriers d'une réunion : ce qu'un agent de mairie relirait dans la convocation, l'ordre du jour et
l'annulation (la fabrique `creer_vue` sert aussi aux autres tests des documents)."""

from __future__ import annotations

import importlib.util
import io
import struct
import zipfile
import zlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from gouvernance.documents.contexte import contexte
from gouvernance.documents.erreurs import ErreurDocument, ModeleInvalide
from gouvernance.documents.rendu import (
    MODELES_D_ORIGINE,
    construire_annulation,
    construire_convocation,
    construire_ordre_du_jour,
)
from gouvernance.documents.securite import environnement
from gouvernance.reunions.vue import (
    CoordinateurVue,
    InstitutionVue,
    OrientationVue,
    PersonneVue,
    PointVue,
    ReunionVue,
    SignataireVue,
)

NB = "\u00a0"
#: « 18 h 00 » : espaces insécables U+00A0 de part et d'autre du « h ».
A_18_H = f"mardi 8 décembre 2026 à 18{NB}h{NB}00"
LE_1ER_DECEMBRE = date(2026, 12, 1)
ORIENTATION_33 = OrientationVue("3.3", "Développer l'accueil des adolescents", 3, "Jeunesse et citoyenneté")


def personne(**changements: object) -> PersonneVue:
    valeurs: dict[str, object] = {
        "email": "jeanne.martin@caf31.example",
        "prenom": "Jeanne",
        "nom": "Martin",
        "civilite": "Madame",
        "fonction": "Directrice de l'action sociale",
        "organisme": "Caf de la Haute-Garonne",
        "role": "membre",
    }
    valeurs.update(changements)
    return PersonneVue(**valeurs)  # type: ignore[arg-type]


def creer_vue(**changements: object) -> ReunionVue:
    """Le comité de pilotage de L'Union du mardi 8 décembre 2026 à 18 h (heure de Paris)."""
    debut = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    valeurs: dict[str, object] = {
        "id": 1,
        "uid": "reunion-COPIL-20261208@ctg.example.org",
        "sequence": 0,
        "statut": "convoquee",
        "territoire": "L'Union",
        "instance_code": "COPIL",
        "instance_intitule": "Comité de pilotage de suivi",
        "titre": "Bilan annuel de la CTG",
        "debut": debut,
        "fin": debut + timedelta(hours=2),
        "lieu": "salle du conseil municipal, mairie de L'Union",
        "visio": "https://visio.example.org/copil-ctg",
        "points": (
            PointVue(
                1,
                "Bilan des actions de l'année",
                "Claire Fictive",
                45,
                (ORIENTATION_33, OrientationVue("1.2", "Soutenir l'accueil individuel", 1, "Petite enfance")),
            ),
            PointVue(2, "Questions diverses", None, None, ()),
        ),
        "invites": (),
        "president": personne(
            email="maire@mairie-lunion.example",
            prenom="Marc",
            nom="Péré",
            civilite="Monsieur",
            fonction="Maire de L'Union",
            organisme="Mairie de L'Union",
            role="president",
        ),
        "institution": InstitutionVue("Mairie de L'Union", "Place de l'Hôtel de ville\n31240 L'Union", None),
        "coordinateur": CoordinateurVue(
            "Claire Fictive", "chargée de coopération CTG", "claire.fictive@mairie-lunion.example", "05 61 00 00 00"
        ),
    }
    valeurs.update(changements)
    return ReunionVue(**valeurs)  # type: ignore[arg-type]


def texte_docx(contenu: bytes) -> str:
    """Tout le texte du document, paragraphes des tableaux et pieds de page compris, une ligne par paragraphe."""
    document = docx.Document(io.BytesIO(contenu))
    racines = [document.element.body]
    racines += [section.footer._element for section in document.sections]
    racines += [section.header._element for section in document.sections]
    lignes = []
    for racine in racines:
        for paragraphe in racine.iter(qn("w:p")):
            morceaux = paragraphe.iter(qn("w:t"), qn("w:br"))
            lignes.append("".join("\n" if m.tag == qn("w:br") else m.text or "" for m in morceaux))
    return "\n".join(lignes)


def convocation(reunion: ReunionVue | None = None, destinataire: PersonneVue | None = None) -> str:
    contenu = construire_convocation(
        reunion or creer_vue(), destinataire or personne(), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE
    )
    return texte_docx(contenu)


def image_png(largeur: int = 8, hauteur: int = 8) -> bytes:
    """Un petit carré bleu au format PNG, fabriqué sans bibliothèque d'images."""

    def bloc(nature: bytes, donnees: bytes) -> bytes:
        return struct.pack(">I", len(donnees)) + nature + donnees + struct.pack(">I", zlib.crc32(nature + donnees))

    lignes = (b"\x00" + b"\x1f\x38\x64" * largeur) * hauteur
    entete = struct.pack(">IIBBBBB", largeur, hauteur, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + bloc(b"IHDR", entete) + bloc(b"IDAT", zlib.compress(lignes)) + bloc(b"IEND", b"")


# --- La convocation -------------------------------------------------------------------------------------


def test_la_convocation_donne_le_lieu_la_date_du_courrier_l_objet_et_l_heure_en_francais() -> None:
    texte = convocation()
    assert "L'Union, le 1er décembre 2026" in texte
    assert f"Objet{NB}: convocation au Comité de pilotage de suivi du mardi 8 décembre 2026" in texte
    assert (
        "j'ai l'honneur de vous convier à la réunion du Comité de pilotage de suivi, qui se tiendra le "
        f"{A_18_H}, salle du conseil municipal, mairie de L'Union." in texte
    )
    assert "Bilan annuel de la CTG" in texte
    assert "Madame Jeanne Martin\nDirectrice de l'action sociale\nCaf de la Haute-Garonne" in texte


@pytest.mark.parametrize(
    ("civilite", "appel", "adresse"),
    [
        ("Madame", "Madame", "Madame Jeanne Martin"),
        ("Monsieur", "Monsieur", "Monsieur Jeanne Martin"),
        ("Mme", "Madame", "Madame Jeanne Martin"),
        (None, "Madame, Monsieur", "Jeanne Martin"),
    ],
)
def test_la_formule_d_appel_et_la_formule_de_politesse_suivent_la_civilite(
    civilite: str | None, appel: str, adresse: str
) -> None:
    texte = convocation(destinataire=personne(civilite=civilite))
    assert f"\n{appel},\n" in texte
    assert f"Je vous prie d'agréer, {appel}, l'expression de mes salutations distinguées." in texte
    assert f"\n{adresse}\n" in texte


def test_l_ordre_du_jour_de_la_convocation_cite_les_orientations_et_leur_enjeu() -> None:
    texte = convocation()
    assert "1. Bilan des actions de l'année, présenté par Claire Fictive" in texte
    assert f"Orientation 3.3 – Développer l'accueil des adolescents (enjeu 3{NB}: Jeunesse et citoyenneté)" in texte
    assert f"Orientation 1.2 – Soutenir l'accueil individuel (enjeu 1{NB}: Petite enfance)" in texte
    assert "2. Questions diverses" in texte
    assert texte.index("1. Bilan") < texte.index("Orientation 3.3") < texte.index("2. Questions diverses")


def test_la_convocation_donne_le_lien_de_visio_et_le_contact_pour_confirmer() -> None:
    texte = convocation()
    assert f"par le lien suivant{NB}:\nhttps://visio.example.org/copil-ctg" in texte
    assert (
        "confirmer votre présence ou, en cas d'empêchement, m'indiquer le nom de la personne qui vous représentera, "
        "en répondant à l'invitation jointe ou auprès de Claire Fictive, chargée de coopération CTG "
        "(claire.fictive@mairie-lunion.example, 05 61 00 00 00)." in texte
    )
    assert f"Affaire suivie par{NB}: Claire Fictive" in texte
    en_visio = convocation(creer_vue(lieu=None))
    assert f"{A_18_H}, en visioconférence." in en_visio
    assert f"Le lien de connexion à la visioconférence est le suivant{NB}:" in en_visio
    sans_visio = convocation(creer_vue(visio=None))
    assert "visioconférence" not in sans_visio


MAIRE_SIGNATAIRE = SignataireVue("maire@mairie-lunion.example", "Marc Péré", "Monsieur", "Maire")


def test_la_convocation_est_signee_par_la_presidence_a_defaut_par_le_maire_signataire_puis_le_coordinateur() -> None:
    assert "Maire de L'Union\n\n\nMarc Péré" in convocation()
    par_le_maire = convocation(creer_vue(president=None, signataire_convention=MAIRE_SIGNATAIRE))
    assert par_le_maire.rstrip().endswith("Maire de L'Union\n\n\nMarc Péré")
    assert "j'ai l'honneur de vous convier à la réunion du Comité de pilotage de suivi" in par_le_maire
    par_le_coordinateur = convocation(creer_vue(president=None))
    assert par_le_coordinateur.rstrip().endswith("Chargée de coopération CTG\n\n\nClaire Fictive")
    assert "j'ai le plaisir de vous inviter à la réunion du Comité de pilotage de suivi, qui se tiendra" in (
        par_le_coordinateur
    )
    assert f"Objet{NB}: invitation à la réunion du Comité de pilotage de suivi" in par_le_coordinateur
    assert "convier" not in par_le_coordinateur and "Marc Péré" not in par_le_coordinateur


def test_la_presidence_recoit_sa_reunion_du_coordinateur_avec_deference_et_non_de_sa_propre_main() -> None:
    vue = creer_vue(signataire_convention=MAIRE_SIGNATAIRE)
    assert vue.president is not None
    pour_le_president = convocation(vue, vue.president)
    assert pour_le_president.rstrip().endswith("Chargée de coopération CTG\n\n\nClaire Fictive")
    assert "Marc Péré" not in pour_le_president.split("Je vous prie d'agréer", 1)[1]
    assert "\nMonsieur le Maire,\n" in pour_le_president
    assert (
        "j'ai l'honneur de vous rappeler que la réunion du Comité de pilotage de suivi, que vous présiderez, se "
        f"tiendra le {A_18_H}" in pour_le_president
    )
    assert "Je vous prie d'agréer, Monsieur le Maire, l'expression de ma respectueuse considération." in (
        pour_le_president
    )
    assert "convier" not in pour_le_president and "confirmer votre présence" not in pour_le_president
    modification = convocation(replace(vue, changements=("Nouveau lieu : salle des fêtes.",)), vue.president)
    assert f"Cette réunion, que vous présiderez, se tiendra donc le {A_18_H}" in modification
    assert "votre convocation" not in modification
    annulation = texte_docx(
        construire_annulation(vue, vue.president, date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE)
    )
    assert annulation.rstrip().endswith("Chargée de coopération CTG\n\n\nClaire Fictive")
    assert "Pour toute question, je reste à votre disposition (claire.fictive@mairie-lunion.example, " in annulation
    assert "Le cas échéant, une nouvelle date vous sera proposée." in annulation
    # Les autres invités reçoivent toujours le courrier signé par la présidence.
    assert convocation(vue).rstrip().endswith("Maire de L'Union\n\n\nMarc Péré")


def test_le_maire_invite_sans_presider_est_informe_par_le_coordinateur_avec_deference() -> None:
    vue = creer_vue(president=None, signataire_convention=MAIRE_SIGNATAIRE)
    maire = personne(email="maire@mairie-lunion.example", prenom="Marc", nom="Péré", civilite="M.", fonction="Maire")
    texte = convocation(vue, maire)
    assert texte.rstrip().endswith("Chargée de coopération CTG\n\n\nClaire Fictive")
    assert (
        "j'ai l'honneur de vous informer que la réunion du Comité de pilotage de suivi se tiendra le "
        f"{A_18_H}, salle du conseil municipal, mairie de L'Union. Votre présence y serait précieuse." in texte
    )
    assert "Je vous remercie de bien vouloir me faire savoir si vous pourrez y participer" in texte
    assert "Je vous prie d'agréer, Monsieur le Maire, l'expression de ma respectueuse considération." in texte
    assert "convier" not in texte
    modification = convocation(replace(vue, changements=("Nouveau lieu : salle des fêtes.",)), maire)
    assert f"Cette réunion se tiendra donc le {A_18_H}" in modification and "votre convocation" not in modification


def test_une_convocation_modifiee_dit_ce_qui_a_change() -> None:
    changements = ("Nouvelle heure : 18 h 00 au lieu de 17 h 30.", "Nouveau lieu : salle du conseil municipal.")
    texte = convocation(creer_vue(changements=changements, sequence=1))
    assert f"Objet{NB}: modification de la réunion du Comité de pilotage de suivi du mardi 8 décembre 2026" in texte
    assert (
        "J'ai l'honneur de vous informer que la réunion du Comité de pilotage de suivi de la Convention "
        f"territoriale globale de L'Union est modifiée{NB}:\n– Nouvelle heure : 18 h 00 au lieu de 17 h 30.\n"
        "– Nouveau lieu : salle du conseil municipal.\nJe vous confirme donc votre convocation" in texte
    )
    assert "j'ai l'honneur de vous convier" not in texte
    assert "est modifiée" not in convocation()


def test_on_ne_convoque_pas_a_une_reunion_annulee() -> None:
    with pytest.raises(ErreurDocument, match="courrier d'annulation"):
        convocation(creer_vue(statut="annulee"))


def test_le_logo_de_l_institution_figure_en_tete(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(image_png())
    reunion = creer_vue(institution=InstitutionVue("Mairie de L'Union", None, logo))
    contenu = construire_convocation(reunion, personne(), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE)
    assert len(docx.Document(io.BytesIO(contenu)).inline_shapes) == 1
    with pytest.raises(ModeleInvalide, match="logo"):
        construire_convocation(
            replace(reunion, institution=InstitutionVue("Mairie", None, tmp_path / "absent.png")),
            personne(),
            date_courrier=LE_1ER_DECEMBRE,
            modeles=MODELES_D_ORIGINE,
        )


# --- L'annulation et l'ordre du jour ---------------------------------------------------------------------


def test_l_annulation_dit_que_la_reunion_est_annulee_et_pourquoi() -> None:
    reunion = creer_vue(statut="annulee", motif_annulation="indisponibilité de plusieurs partenaires.")
    texte = texte_docx(
        construire_annulation(reunion, personne(), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE)
    )
    assert f"Objet{NB}: annulation de la réunion du Comité de pilotage de suivi du mardi 8 décembre 2026" in texte
    assert (
        "J'ai le regret de vous informer que la réunion du Comité de pilotage de suivi de la Convention territoriale "
        f"globale de L'Union, prévue le {A_18_H}, salle du conseil municipal, mairie de L'Union, est annulée." in texte
    )
    assert f"Motif{NB}: indisponibilité de plusieurs partenaires." in texte
    assert "Je vous prie d'agréer, Madame, l'expression de mes salutations distinguées." in texte
    assert "Orientation" not in texte


def test_l_ordre_du_jour_numerote_les_points_avec_rapporteur_duree_et_orientations() -> None:
    contenu = construire_ordre_du_jour(creer_vue(), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE)
    texte = texte_docx(contenu)
    assert "Ordre du jour\nComité de pilotage de suivi\nConvention territoriale globale de L'Union" in texte
    assert f"Date{NB}: mardi 8 décembre 2026, de 18{NB}h{NB}00 à 20{NB}h{NB}00" in texte
    assert f"Lieu{NB}: salle du conseil municipal, mairie de L'Union" in texte
    lignes = docx.Document(io.BytesIO(contenu)).tables[0].rows
    cellules = [[cellule.text for cellule in ligne.cells] for ligne in lignes]
    assert cellules[0] == ["N°", "Point", "Présenté par", "Durée"]
    assert cellules[1][0] == "1" and cellules[1][2:] == ["Claire Fictive", f"45{NB}min"]
    assert cellules[1][1].startswith("Bilan des actions de l'année\nOrientation 3.3 – Développer l'accueil")
    assert cellules[2] == ["2", "Questions diverses", "", ""]
    assert "L'Union, le 1er décembre 2026\n\nMaire de L'Union\nMarc Péré" in texte
    sans_points = texte_docx(
        construire_ordre_du_jour(creer_vue(points=()), date_courrier=LE_1ER_DECEMBRE, modeles=MODELES_D_ORIGINE)
    )
    assert "L'ordre du jour sera communiqué ultérieurement." in sans_points


def test_les_modeles_livres_sont_en_a4_et_n_utilisent_que_des_variables_connues() -> None:
    from docxtpl import DocxTemplate

    connues = set(contexte(creer_vue(), personne(), date_courrier=LE_1ER_DECEMBRE))
    for nom in ("convocation.docx", "ordre_du_jour.docx", "annulation.docx"):
        section = docx.Document(str(MODELES_D_ORIGINE / nom)).sections[0]
        assert section.page_width is not None and section.page_height is not None
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert DocxTemplate(MODELES_D_ORIGINE / nom).get_undeclared_template_variables(environnement()) <= connues


def test_les_modeles_livres_sont_ceux_que_fabrique_le_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("fabriquer_modeles", MODELES_D_ORIGINE / "fabriquer_modeles.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for chemin in script.fabriquer(tmp_path):
        with zipfile.ZipFile(chemin) as neuf, zipfile.ZipFile(MODELES_D_ORIGINE / chemin.name) as livre:
            for partie in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
                if partie in neuf.namelist():
                    assert neuf.read(partie) == livre.read(partie), f"{chemin.name} : refaites les modèles"


def test_l_adresse_postale_de_l_organisme_suit_le_destinataire_quand_elle_est_connue() -> None:
    adresse = "Service action sociale\n24 rue Riquet\n31000 Toulouse"
    texte = convocation(destinataire=personne(adresse=adresse))
    assert "Caf de la Haute-Garonne\nService action sociale\n24 rue Riquet\n31000 Toulouse\n" in texte
    sans_adresse = convocation()
    assert "Caf de la Haute-Garonne\nL'Union, le 1er décembre 2026" in sans_adresse


def test_un_logo_designe_par_un_chemin_relatif_est_cherche_dans_ctg_home(tmp_path: Path) -> None:
    from gouvernance.reglages import lire_reglages

    relatif = lire_reglages({"CTG_HOME": str(tmp_path), "CTG_LOGO": "logo.png"})
    assert relatif.logo == tmp_path / "logo.png"
    absolu = lire_reglages({"CTG_HOME": str(tmp_path), "CTG_LOGO": "/srv/ctg/logo.png"})
    assert absolu.logo == Path("/srv/ctg/logo.png")
    assert lire_reglages({"CTG_HOME": str(tmp_path)}).logo is None
