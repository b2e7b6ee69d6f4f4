"""Le référentiel embarqué reproduit mot pour mot la présentation de la CTG de L'Union (2021)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from gouvernance.referentiel.exporter import decrire_arbre, decrire_referentiel
from tests.fabriques import SOURCE_LUNION, charger_lunion


def lire_source() -> dict[int, tuple[str, list[str]]]:
    """Les enjeux et orientations de la source, lus indépendamment de notre code : {numéro: (énoncé, orientations)}."""
    lignes = SOURCE_LUNION.read_text(encoding="utf-8").split("\n")
    enjeux: dict[int, tuple[str, list[str]]] = {}
    courant: int | None = None
    for index, ligne in enumerate(lignes):
        if titre := re.fullmatch(r"Enjeu n°(\d)", ligne.strip()):
            numero = int(titre[1])
            if numero not in enjeux:
                suivante = next(texte.strip() for texte in lignes[index + 1 :] if texte.strip())
                enjeux[numero] = (suivante, [])
            courant = numero
        elif (orientation := re.fullmatch(r"(\d)\. (.+)", ligne)) and courant is not None:
            enjeux[courant][1].append(orientation[2].strip())
    return enjeux


def test_les_8_enjeux_et_33_orientations_sont_ceux_de_la_source_mot_pour_mot(session: Session) -> None:
    arbre = decrire_arbre(session, charger_lunion(session))
    source = lire_source()
    assert [e["numero"] for e in arbre["enjeux"]] == list(range(1, 9))
    assert [len(e["orientations"]) for e in arbre["enjeux"]] == [5, 2, 6, 5, 4, 3, 2, 6]
    for enjeu in arbre["enjeux"]:
        enonce, orientations = source[enjeu["numero"]]
        assert enjeu["intitule"] == enonce
        assert [o["intitule"] for o in enjeu["orientations"]] == orientations
        assert [o["code"] for o in enjeu["orientations"]] == [
            f"{enjeu['numero']}.{n}" for n in range(1, len(orientations) + 1)
        ]


def test_l_enjeu_1_garde_son_titre_court_et_son_enonce(session: Session) -> None:
    enjeu = decrire_arbre(session, charger_lunion(session))["enjeux"][0]
    texte = SOURCE_LUNION.read_text(encoding="utf-8")
    assert enjeu["intitule_court"] == "Gouvernance et moyens/ressources mobilisables"
    assert f"Enjeu n°1 : {enjeu['intitule_court']}" in texte
    assert enjeu["intitule"].startswith("La définition d'une gouvernance qui permette")
    assert enjeu["precisions"] == ["Renforcement des coopérations", "Articulation et complémentarité des interventions"]


def test_la_demarche_garde_ses_3_phases_leurs_etapes_et_les_methodes_citees(session: Session) -> None:
    referentiel = decrire_referentiel(session, charger_lunion(session))
    phases = referentiel["demarche"]["phases"]
    assert [p["intitule"] for p in phases] == [
        "Réaliser l'état de situation, le portrait de territoire",
        "Faire émerger les besoins, les orientations prioritaires et les enjeux",
        "Penser et construire l'opérationnalisation des orientations",
    ]
    assert phases[0]["etapes"][1] == "Portrait de la population (ABS)"
    assert phases[2]["etapes"] == ["Plan d'action", "Contractualisation avec la CAF"]
    texte = SOURCE_LUNION.read_text(encoding="utf-8")
    for methode in referentiel["demarche"]["methodes"]:
        assert f"- {methode}\n" in texte
    assert "Questionnaire en ligne" in referentiel["demarche"]["methodes"]


def test_la_convention_est_sans_periode_et_les_partenaires_dispositifs_et_instances_sont_la(session: Session) -> None:
    referentiel = decrire_referentiel(session, charger_lunion(session))
    assert referentiel["convention"]["debut"] is None
    assert referentiel["convention"]["fin"] is None
    assert {p.get("sigle") for p in referentiel["partenaires"]} >= {"Ville", "CCAS", "CAF", "CD31", "EN"}
    assert {d["sigle"] for d in referentiel["dispositifs"]} == {"PEDT", "CLAS", "CEJ", "ABS"}
    instances = {i["code"]: i for i in referentiel["instances"]}
    assert set(instances) == {"COPIL", "COTECH", "ATELIER", "SEMINAIRE"}
    assert instances["COPIL"]["intitule"] == "Comité de pilotage de suivi"
    assert all(i["delai_convocation_jours"] == 5 and i["lieu"] and i["duree"] for i in instances.values())
    assert len(referentiel["champs_intervention"]) == 10
