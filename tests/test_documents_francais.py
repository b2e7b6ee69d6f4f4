"""Le français des courriers : heures, durées, articles devant le nom d'une instance ou d'une commune."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from gouvernance.francais import avec_article, date_complete, date_longue, de_commune, duree, heure
from tests.test_documents import NB, convocation, creer_vue


def test_les_heures_et_les_durees_ont_des_espaces_insecables_et_l_heure_de_paris() -> None:
    assert heure(datetime(2026, 7, 8, 7, 5, tzinfo=UTC)) == f"9{NB}h{NB}05"  # heure d'été
    assert heure(datetime(2026, 12, 8, 17, 0, tzinfo=UTC)) == f"18{NB}h{NB}00"
    assert [duree(m) for m in (45, 60, 90, None)] == [f"45{NB}min", f"1{NB}h", f"1{NB}h{NB}30", ""]


def test_le_nom_de_l_instance_prend_le_bon_article() -> None:
    assert avec_article("Comité technique", "à") == "au Comité technique"
    assert avec_article("Commission enfance", "de") == "de la Commission enfance"
    assert avec_article("Assemblée plénière", "à") == "à l'Assemblée plénière"
    assert avec_article("Le comité des financeurs", "de") == "du comité des financeurs"
    assert avec_article("Ateliers de travail inter-partenarial", "à") == "aux Ateliers de travail inter-partenarial"
    assert avec_article("Ateliers de travail", "de") == "des Ateliers de travail"
    assert avec_article("Relais petite enfance", "de") == "du Relais petite enfance"
    assert [de_commune(n) for n in ("L'Union", "Le Havre", "Les Lilas", "Albi", "La Rochelle")] == [
        "de L'Union",
        "du Havre",
        "des Lilas",
        "d'Albi",
        "de La Rochelle",
    ]
    texte = convocation(creer_vue(instance_intitule="Commission jeunesse", titre="Commission jeunesse"))
    assert f"Objet{NB}: convocation à la Commission jeunesse du mardi 8 décembre 2026\nMadame," in texte


def test_le_1er_du_mois_s_ecrit_1er_mais_pas_le_11_ni_le_21() -> None:
    assert date_longue(date(2027, 3, 1)) == "1er mars 2027"
    assert date_complete(date(2027, 3, 1)) == "lundi 1er mars 2027"
    assert date_longue(date(2027, 3, 11)) == "11 mars 2027"
    assert date_longue(date(2027, 3, 21)) == "21 mars 2027"
    debut = datetime(2027, 2, 28, 23, 30, tzinfo=UTC)  # déjà le 1er mars à Paris
    texte = convocation(creer_vue(debut=debut, fin=debut + timedelta(hours=2)))
    assert "du lundi 1er mars 2027" in texte
    assert f"le lundi 1er mars 2027 à 0{NB}h{NB}30" in texte
