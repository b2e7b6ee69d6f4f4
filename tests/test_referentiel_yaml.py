"""Exporter, modifier et réimporter un référentiel ; un fichier faux est refusé et la base reste intacte."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gouvernance.erreurs import DonneesInvalides, Introuvable
from gouvernance.referentiel.exporter import decrire_arbre, exporter_yaml
from gouvernance.referentiel.importer import appliquer_referentiel
from gouvernance.referentiel.validation import lire_referentiel
from gouvernance.territoires import choisir_territoire, texte_referentiel_exemple
from modeles import Enjeu, Instance, Orientation, Partenaire, Territoire
from tests.fabriques import charger_lunion, creer_reunion

TERRITOIRE_VOISIN = """\
format: ctg-referentiel/1
territoire:
  code: saint-jean
  nom: Saint-Jean
  departement: Haute-Garonne
convention:
  intitule: CTG de Saint-Jean
  debut: 2023-01-01
  fin: 2027-12-31
enjeux:
  - numero: 1
    intitule: L'accueil du jeune enfant
    orientations:
      - code: "1.1"
        intitule: Créer un relais petite enfance
        champs: [petite-enfance]
      - code: "1.10"
        intitule: Une dixième orientation, pour vérifier que 1.10 n'est pas lu 1.1
champs_intervention:
  - code: petite-enfance
    libelle: Petite enfance
partenaires:
  - nom: Caisse d'allocations familiales de la Haute-Garonne
    sigle: CAF
    categorie: caf
instances:
  - code: COPIL
    intitule: Comité de pilotage
    type: copil
    duree: 1h30
    delai_convocation_jours: 3
    partenaire: CAF
"""


def importer_texte(session: Session, texte: str, nom: str = "ctg.yaml") -> None:
    appliquer_referentiel(session, lire_referentiel(texte, nom))
    session.flush()


def photographie(session: Session) -> str:
    """Tout ce que la base contient des territoires, pour vérifier qu'un refus n'a rien changé."""
    territoires = session.scalars(select(Territoire).order_by(Territoire.code))
    return "\n".join(exporter_yaml(session, territoire) for territoire in territoires)


def test_exporter_puis_reimporter_ne_change_rien(session: Session) -> None:
    territoire = charger_lunion(session)
    avant = exporter_yaml(session, territoire)
    appliquer_referentiel(session, lire_referentiel(avant, "export.yaml"))
    assert exporter_yaml(session, territoire) == avant
    assert session.scalar(select(func.count()).select_from(Orientation)) == 33


def test_les_autres_noms_d_un_partenaire_passent_par_l_export_et_l_import(session: Session) -> None:
    territoire = charger_lunion(session)
    donnees = yaml.safe_load(exporter_yaml(session, territoire))
    donnees["partenaires"][2]["autres_noms"] = ["Caf 31"]
    appliquer_referentiel(session, lire_referentiel(yaml.safe_dump(donnees, allow_unicode=True), "ctg.yaml"))
    session.flush()
    caf = session.scalars(select(Partenaire).where(Partenaire.sigle == "CAF")).one()
    assert caf.autres_noms == ["Caf 31"]
    assert yaml.safe_load(exporter_yaml(session, territoire))["partenaires"][2]["autres_noms"] == ["Caf 31"]


def test_un_fichier_modifie_met_a_jour_sur_place_sans_doublon(session: Session) -> None:
    territoire = charger_lunion(session)
    donnees = yaml.safe_load(exporter_yaml(session, territoire))
    donnees["convention"]["debut"] = "2022-01-01"
    donnees["convention"]["fin"] = "2025-12-31"
    donnees["enjeux"][2]["orientations"][3]["intitule"] = "Proposer des projets partagés avec les jeunes"
    donnees["enjeux"][2]["orientations"].append({"code": "3.7", "intitule": "Ouvrir un lieu d'accueil enfants-parents"})
    donnees["instances"][0]["delai_convocation_jours"] = 8
    bilan = appliquer_referentiel(session, lire_referentiel(yaml.safe_dump(donnees, allow_unicode=True), "ctg.yaml"))
    session.flush()
    arbre = decrire_arbre(session, territoire)
    assert arbre["territoire"]["convention"]["debut"] == "2022-01-01"
    assert arbre["enjeux"][2]["orientations"][3]["intitule"] == "Proposer des projets partagés avec les jeunes"
    assert arbre["enjeux"][2]["orientations"][6]["code"] == "3.7"
    assert session.scalar(select(func.count()).select_from(Territoire)) == 1
    assert session.scalar(select(func.count()).select_from(Enjeu)) == 8
    assert session.scalar(select(func.count()).select_from(Orientation)) == 34
    assert session.scalar(select(Instance.delai_convocation_jours).where(Instance.code == "COPIL")) == 8
    assert "orientation 3.7 ajoutée" in bilan.changements
    assert any("orientation 3.4 modifié" in ligne for ligne in bilan.changements)


def test_un_autre_territoire_s_ajoute_a_cote_et_partage_la_caf(session: Session) -> None:
    charger_lunion(session)
    importer_texte(session, TERRITOIRE_VOISIN)
    with pytest.raises(Introuvable, match=r"lunion.*saint-jean"):
        choisir_territoire(session, None)
    voisin = choisir_territoire(session, "Saint-Jean")
    arbre = decrire_arbre(session, voisin)
    assert [o["code"] for o in arbre["enjeux"][0]["orientations"]] == ["1.1", "1.10"]
    assert arbre["enjeux"][0]["orientations"][0]["champs"] == ["petite-enfance"]
    assert len(decrire_arbre(session, choisir_territoire(session, "lunion"))["enjeux"]) == 8
    caf = session.scalars(select(Partenaire).where(Partenaire.sigle == "CAF")).one()
    assert {t.code for t in caf.territoires} == {"lunion", "saint-jean"}
    importer_texte(session, TERRITOIRE_VOISIN)
    assert session.scalar(select(func.count()).select_from(Territoire)) == 2


@pytest.mark.parametrize(
    ("remplacer", "par", "attendu"),
    [
        (
            "  nom: Saint-Jean\n",
            "  nom: Saint-Jean\n  maire: X\n",
            r"ligne 5 \(territoire › maire\) : ce champ est inconnu",
        ),
        (
            "    intitule: L'accueil du jeune enfant\n",
            "",
            r"ligne 1[0-9] \(enjeux › n°1 › intitule\) : ce champ obligatoire",
        ),
        ('      - code: "1.10"', '      - code: "1.1"', r"l'orientation « 1.1 » apparaît 2 fois"),
        ('      - code: "1.10"', '      - code: "2.1"', r"ligne 17 .*rangée sous l'enjeu 1"),
        ('      - code: "1.10"', '      - code: "premier"', r"ligne 17 .*« numéro d'enjeu.numéro d'orientation »"),
        ("  debut: 2023-01-01", "  debut: 2023-02-30", r"ligne 8 \(convention › debut\) : une date AAAA-MM-JJ"),
        ("    duree: 1h30", "    duree: longtemps", r"« longtemps » n'est pas une durée lisible"),
        ("    partenaire: CAF", "    partenaire: MSA", r"« MSA » n'est pas dans la liste des partenaires"),
        ("        champs: [petite-enfance]", "        champs: [seniors]", r"« seniors » n'est pas déclaré"),
        ("    type: copil", "    type: conseil", r"valeur refusée ; valeurs possibles : 'copil'"),
        ("  nom: Saint-Jean\n", "  nom: Saint-\x07Jean\n", r"ligne 4 : le fichier contient un caractère de contrôle"),
        (
            "  nom: Saint-Jean\n",
            '  nom: "Saint-\\tJean"\n',
            r"ligne 4 \(territoire › nom\) : ce texte doit tenir sur une ligne",
        ),
        ("  nom: Saint-Jean\n", '  nom: "Saint-\\nJean"\n', r"tenir sur une ligne"),
        ("enjeux:\n", "orientations: []\nenjeux:\n", r"\(orientations\) : ce champ est inconnu"),
        (
            "  code: saint-jean\n",
            "  code: saint-jean\n  code: autre\n",
            r"ligne 4 : le champ « code » est écrit deux fois",
        ),
        ("  departement: Haute-Garonne", "  departement: Haute-Garonne\n\tbis: 1", r"tabulation"),
        ("  nom: Saint-Jean", "  nom: [Saint-Jean", r"n'est pas un YAML valide, ligne"),
    ],
)
def test_un_fichier_faux_est_refuse_avec_la_ligne_et_la_base_ne_change_pas(
    session: Session, remplacer: str, par: str, attendu: str
) -> None:
    charger_lunion(session)
    importer_texte(session, TERRITOIRE_VOISIN)
    avant = photographie(session)
    assert remplacer in TERRITOIRE_VOISIN
    with pytest.raises(DonneesInvalides, match=attendu) as erreur:
        importer_texte(session, TERRITOIRE_VOISIN.replace(remplacer, par), "saint-jean.yaml")
    assert "saint-jean.yaml" in str(erreur.value)
    assert photographie(session) == avant


def test_une_bombe_d_alias_yaml_est_refusee_sans_etre_depliee() -> None:
    bombe = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    with pytest.raises(DonneesInvalides, match="alias"):
        lire_referentiel(bombe, "bombe.yaml")


def test_une_orientation_citee_par_une_reunion_n_est_jamais_supprimee(session: Session) -> None:
    territoire = charger_lunion(session)
    copil = session.scalars(select(Instance).where(Instance.code == "COPIL")).one()
    orientation = session.scalars(
        select(Orientation).join(Enjeu).where(Enjeu.numero == 3, Orientation.numero == 3)
    ).one()
    creer_reunion(session, copil, [orientation])
    session.commit()
    avant = photographie(session)
    donnees = yaml.safe_load(exporter_yaml(session, territoire))
    del donnees["enjeux"][2]["orientations"][2]
    with pytest.raises(DonneesInvalides, match=r"L'orientation 3.3 .* citée par 1 point d'ordre du jour"):
        importer_texte(session, yaml.safe_dump(donnees, allow_unicode=True))
    session.rollback()
    assert photographie(session) == avant


def test_une_orientation_que_rien_ne_cite_est_supprimee_et_le_bilan_le_dit(session: Session) -> None:
    territoire = charger_lunion(session)
    donnees = yaml.safe_load(exporter_yaml(session, territoire))
    del donnees["enjeux"][7]["orientations"][5]
    bilan = appliquer_referentiel(session, lire_referentiel(yaml.safe_dump(donnees, allow_unicode=True), "ctg.yaml"))
    assert "orientation 8.6 supprimée" in bilan.changements
    assert session.scalar(select(func.count()).select_from(Orientation)) == 32


def test_le_referentiel_embarque_est_au_format_de_l_export(session: Session) -> None:
    territoire = charger_lunion(session)
    embarque = [ligne for ligne in texte_referentiel_exemple().splitlines() if not ligne.startswith("#")]
    exporte = [ligne for ligne in exporter_yaml(session, territoire).splitlines() if not ligne.startswith("#")]
    assert exporte == embarque
