"""Le rythme et les relances de chaque instance : en français, dans le référentiel YAML, par `ctg instances`."""

from __future__ import annotations

import json
import re
from datetime import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.calendrier.regle import Rythme, regle_par_an
from gouvernance.calendrier.rythme_texte import decrire_rythme
from gouvernance.erreurs import DonneesInvalides
from gouvernance.referentiel.exporter import exporter_yaml
from gouvernance.referentiel.importer import appliquer_referentiel
from gouvernance.referentiel.validation import lire_referentiel
from modeles import Instance
from tests.fabriques import charger_lunion, fermer_base_cli, preparer_base_cli

H = "\u00a0h\u00a0"


@pytest.mark.parametrize(
    ("regle", "heure", "attendu"),
    [
        ("FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU", time(18, 0), f"2e mardi de mars et d'octobre à 18{H}00"),
        (regle_par_an(4), time(14, 0), f"2e mardi de février, mai, septembre et novembre à 14{H}00"),
        (regle_par_an(1, "jeudi", -1), time(9, 30), f"dernier jeudi d'octobre à 9{H}30"),
        ("FREQ=MONTHLY;BYDAY=1MO", time(10, 0), f"1er lundi de chaque mois à 10{H}00"),
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=3TH", time(10, 0), f"3e jeudi d'un mois sur deux à 10{H}00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", time(8, 15), f"un vendredi sur deux à 8{H}15"),
        (
            "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15",
            time(18, 0),
            f"selon la règle FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15 à 18{H}00",
        ),
    ],
)
def test_le_rythme_se_dit_en_francais(regle: str, heure: time, attendu: str) -> None:
    assert decrire_rythme(Rythme(regle, heure)) == attendu


def test_le_rythme_et_les_relances_font_l_aller_retour_par_le_yaml(session: Session) -> None:
    territoire = charger_lunion(session)
    copil = session.scalars(select(Instance).where(Instance.code == "COPIL")).one()
    assert (copil.rythme_regle, copil.rythme_heure) == ("FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU", time(18, 0))
    donnees = yaml.safe_load(exporter_yaml(session, territoire))
    assert donnees["instances"][0]["rythme"] == {"rrule": "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU", "heure": "18:00"}
    assert "rythme" not in donnees["instances"][2]  # ATELIER : pas de réunions planifiées d'avance
    donnees["instances"][0]["rythme"] = {"par_an": 3, "jour": "Jeudi", "heure": "9h30"}
    donnees["instances"][0]["relances"] = {"reponse_jours": 3, "compte_rendu_jours": 0}
    del donnees["instances"][1]["rythme"]
    bilan = appliquer_referentiel(session, lire_referentiel(yaml.safe_dump(donnees, allow_unicode=True), "ctg.yaml"))
    session.flush()
    assert any("instance COPIL modifié" in ligne for ligne in bilan.changements)
    assert copil.rythme_regle == "FREQ=YEARLY;BYMONTH=1,5,10;BYDAY=2TH"
    assert copil.rythme_heure == time(9, 30)
    assert (copil.relance_reponse_jours, copil.relance_compte_rendu_jours) == (3, 0)
    cotech = session.scalars(select(Instance).where(Instance.code == "COTECH")).one()
    assert (cotech.rythme_regle, cotech.rythme_heure) == (None, None)
    avant = exporter_yaml(session, territoire)
    assert "rrule: FREQ=YEARLY;BYMONTH=1,5,10;BYDAY=2TH\n    heure: 09:30" in avant.replace("'", "")
    appliquer_referentiel(session, lire_referentiel(avant, "export.yaml"))
    session.flush()
    assert exporter_yaml(session, territoire) == avant


@pytest.mark.parametrize(
    ("rythme", "attendu"),
    [
        (
            '{rrule: "FREQ=YEARLY;BYMONTH=13;BYDAY=2TU", heure: "18:00"}',
            r"instances › n°1 › rythme › rrule\) : .*RRULE lisible",
        ),
        ('{rrule: "FREQ=HOURLY", heure: "18:00"}', r"rythme › rrule\) : .*annuelle, mensuelle ou hebdomadaire"),
        ('{rrule: "FREQ=YEARLY;BYHOUR=18", heure: "18:00"}', r"rythme › rrule\) : .*donnez l'heure à part"),
        ('{par_an: 2, heure: "25:00"}', r"rythme › heure\) : « 25:00 » n'est pas une heure"),
        ('{par_an: 2, jour: dimanche, heure: "18:00"}', r"rythme › jour\) : .*du lundi au samedi"),
        ('{heure: "18:00"}', r"rythme\) : donnez soit « rrule », soit « par_an »"),
        ('{par_an: 13, heure: "18:00"}', r"rythme › par_an\) : ce nombre est trop grand"),
    ],
)
def test_un_rythme_faux_est_refuse_avec_la_ligne_et_le_champ(rythme: str, attendu: str) -> None:
    texte = (
        "territoire: {code: essai, nom: Essai}\nenjeux: []\ninstances:\n"
        f"  - code: COPIL\n    intitule: Comité de pilotage\n    rythme: {rythme}\n"
    )
    with pytest.raises(DonneesInvalides) as erreur:
        lire_referentiel(texte, "essai.yaml")
    assert "ligne 6" in str(erreur.value)
    assert re.search(attendu, str(erreur.value)), str(erreur.value)


def test_un_delai_de_relance_negatif_est_refuse() -> None:
    texte = (
        "territoire: {code: essai, nom: Essai}\nenjeux: []\ninstances:\n"
        "  - code: COPIL\n    intitule: Comité de pilotage\n    relances: {reponse_jours: -1}\n"
    )
    with pytest.raises(DonneesInvalides, match=r"ligne 6 \(instances › n°1 › relances › reponse_jours\) : ce nombre"):
        lire_referentiel(texte, "essai.yaml")


def test_ctg_instances_modifier_change_le_rythme_et_les_relances(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.cli.principal import ctg

    preparer_base_cli(tmp_path, monkeypatch)

    def lancer(*arguments: str) -> str:
        resultat = CliRunner().invoke(ctg, list(arguments), env={"COLUMNS": "200"})
        if resultat.exception is not None and not isinstance(resultat.exception, SystemExit):
            raise resultat.exception
        assert resultat.exit_code == 0, resultat.output
        return resultat.output

    def copil() -> dict[str, object]:
        instances = json.loads(lancer("instances", "--json"))
        return next(i for i in instances if i["code"] == "COPIL")

    try:
        assert copil()["rythme"] == {
            "regle": "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU",
            "heure": "18:00",
            "texte": f"2e mardi de mars et d'octobre à 18{H}00",
        }
        assert f"Réunions : 2e mardi de mars et d'octobre à 18{H}00. Relances : invités sans réponse 7 jours" in lancer(
            "instances"
        )
        sortie = lancer("instances", "modifier", "copil", "--par-an", "3", "--jour", "jeudi", "--heure", "9h30")
        assert "COPIL : modifié : rythme, heure." in sortie
        assert f"Réunions de COPIL : 2e jeudi de janvier, mai et octobre à 9{H}30." in sortie
        lancer("instances", "modifier", "COPIL", "--heure", "17:45", "--relance-reponse-jours", "10")
        assert copil()["rythme"] == {
            "regle": "FREQ=YEARLY;BYMONTH=1,5,10;BYDAY=2TH",
            "heure": "17:45",
            "texte": f"2e jeudi de janvier, mai et octobre à 17{H}45",
        }
        assert copil()["relances"] == {"reponse_jours": 10, "compte_rendu_jours": 15}
        refus = [
            (("--rythme", "FREQ=YEARLY;BYMONTH=3;BYDAY=9XX"), "Rythme refusé : « FREQ=YEARLY;BYMONTH=3;BYDAY=9XX »"),
            (("--heure", "midi"), "Rythme refusé : « midi » n'est pas une heure"),
            (("--rythme", "FREQ=WEEKLY;BYDAY=MO", "--par-an", "2"), "soit --rythme"),
            (("--sans-rythme", "--heure", "18:00"), "--sans-rythme retire le rythme"),
            (("--relance-compte-rendu-jours", "-3"), "--relance-compte-rendu-jours vaut de 0"),
        ]
        for options, message in refus:
            with pytest.raises(DonneesInvalides, match=message.replace("(", r"\(")):
                lancer("instances", "modifier", "COPIL", *options)
        assert copil()["rythme"]["heure"] == "17:45"  # type: ignore[index]
        assert "COPIL : rien n'a changé." in lancer("instances", "modifier", "COPIL", "--heure", "17:45")
        with pytest.raises(DonneesInvalides, match="ATELIER n'a pas de rythme"):
            lancer("instances", "modifier", "ATELIER", "--heure", "17:45")
        lancer("instances", "modifier", "COPIL", "--sans-rythme")
        assert copil()["rythme"] is None
        assert "Réunions : pas de rythme" in lancer("instances")
        planifie = json.loads(lancer("calendrier", "planifier", "2027", "--json"))
        assert {p["instance"] for p in planifie} == {"COTECH"}
    finally:
        fermer_base_cli()
