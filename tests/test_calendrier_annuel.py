"""Le calendrier annuel : rythmes RRULE à l'heure de Paris, jours fériés, vacances scolaires, pas de doublon."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from itertools import count
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gouvernance.calendrier.jours_feries import jour_ferie, jours_feries
from gouvernance.calendrier.planification_annuelle import deplacer, enregistrer_propositions, proposer_calendrier
from gouvernance.calendrier.rythme import Rythme, dates_de_l_annee, lire_rythmes
from gouvernance.calendrier.rythme_instance import regler_rythme
from gouvernance.calendrier.vacances import lire_zone, vacances_le
from gouvernance.erreurs import DonneesInvalides
from modeles import Instance, Reunion, StatutReunion
from modeles.moteur import ouvrir_session
from tests.fabriques import charger_lunion, fermer_base_cli, preparer_base_cli

MAINTENANT = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
COPIL = Rythme("FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU", time(18, 0))


_NUMEROS = count(1)


def _uid() -> str:
    return f"calendrier-{next(_NUMEROS)}@ctg.example.org"


def test_le_deuxieme_mardi_de_mars_et_octobre_reste_a_18_h_a_paris_en_hiver_comme_en_ete(session: Session) -> None:
    territoire = charger_lunion(session)
    assert dates_de_l_annee(COPIL, 2027) == [date(2027, 3, 9), date(2027, 10, 12)]
    propositions = proposer_calendrier(session, territoire, 2027, {"COPIL": COPIL}, maintenant=MAINTENANT)
    copil = [p for p in propositions if p.instance.code == "COPIL"]
    assert [p.debut for p in copil] == [
        datetime(2027, 3, 9, 17, 0, tzinfo=UTC),  # heure d'hiver : UTC+1
        datetime(2027, 10, 12, 16, 0, tzinfo=UTC),  # heure d'été : UTC+2
    ]
    assert [p.titre for p in copil] == [
        "Comité de pilotage de suivi — mars 2027",
        "Comité de pilotage de suivi — octobre 2027",
    ]
    enregistrer_propositions(session, territoire, propositions, maintenant=MAINTENANT, nouvel_uid=_uid)
    session.expire_all()
    debuts = session.scalars(
        select(Reunion.debut).join(Instance).where(Instance.code == "COPIL").order_by(Reunion.debut)
    )
    assert list(debuts) == [datetime(2027, 3, 9, 17, 0, tzinfo=UTC), datetime(2027, 10, 12, 16, 0, tzinfo=UTC)]


def test_les_jours_feries_de_2027_sont_ceux_du_calendrier_officiel() -> None:
    feries = jours_feries(2027)
    assert len(feries) == 11
    assert feries[date(2027, 1, 1)] == "jour de l'An"
    assert feries[date(2027, 3, 29)] == "lundi de Pâques"
    assert feries[date(2027, 5, 6)] == "Ascension"
    assert feries[date(2027, 5, 17)] == "lundi de Pentecôte"
    assert feries[date(2027, 11, 1)] == "Toussaint"
    assert jour_ferie(date(2027, 5, 8)) == "fête de la Victoire"
    assert jour_ferie(date(2027, 3, 26)) is None  # Vendredi saint : férié en Alsace-Moselle seulement
    assert jour_ferie(date(2027, 3, 30)) is None
    assert jours_feries(2028)[date(2028, 5, 25)] == "Ascension"
    alsace_moselle = jours_feries(2027, alsace_moselle=True)
    assert alsace_moselle[date(2027, 3, 26)] == "Vendredi saint"
    assert alsace_moselle[date(2027, 12, 26)] == "Saint-Étienne"


def test_une_reunion_tombant_le_lundi_de_paques_est_repoussee_d_une_semaine(session: Session) -> None:
    territoire = charger_lunion(session)
    dernier_lundi_de_mars = Rythme("FREQ=YEARLY;BYMONTH=3;BYDAY=-1MO", time(18, 0))
    propositions = proposer_calendrier(
        session, territoire, 2027, {"COPIL": dernier_lundi_de_mars, "COTECH": None}, maintenant=MAINTENANT
    )
    assert len(propositions) == 1
    assert propositions[0].jour == date(2027, 4, 5)
    assert propositions[0].debut == datetime(2027, 4, 5, 16, 0, tzinfo=UTC)
    assert propositions[0].note == "déplacée du lundi 29 mars 2027 au lundi 5 avril 2027 : lundi de Pâques"
    assert propositions[0].titre == "Comité de pilotage de suivi — avril 2027"


def test_un_jour_ferie_suivi_d_un_autre_repousse_encore_d_une_semaine() -> None:
    assert deplacer(date(2027, 5, 6), [jour_ferie]) == (
        date(2027, 5, 13),
        "déplacée du jeudi 6 mai 2027 au jeudi 13 mai 2027 : Ascension",
    )
    assert deplacer(date(2027, 5, 8), [jour_ferie])[0] == date(2027, 5, 15)
    assert deplacer(date(2027, 5, 4), [jour_ferie]) == (date(2027, 5, 4), "")
    # Pâques, puis deux semaines de vacances de printemps en zone C (3 au 18 avril 2027).
    assert deplacer(date(2027, 3, 29), [jour_ferie, vacances_le("C")]) == (
        date(2027, 4, 19),
        "déplacée du lundi 29 mars 2027 au lundi 19 avril 2027 : lundi de Pâques, vacances de printemps (zone\u00a0C)",
    )


def test_en_alsace_moselle_le_vendredi_saint_repousse_aussi_la_reunion(session: Session) -> None:
    territoire = charger_lunion(session)
    vendredi_saint = {"COPIL": Rythme("FREQ=YEARLY;BYMONTH=3;BYDAY=-1FR", time(10, 0)), "COTECH": None}
    ailleurs = proposer_calendrier(session, territoire, 2027, vendredi_saint, maintenant=MAINTENANT)
    assert [(p.jour, p.note) for p in ailleurs] == [(date(2027, 3, 26), "")]
    alsace = proposer_calendrier(session, territoire, 2027, vendredi_saint, maintenant=MAINTENANT, alsace_moselle=True)
    assert [(p.jour, p.note) for p in alsace] == [
        (date(2027, 4, 2), "déplacée du vendredi 26 mars 2027 au vendredi 2 avril 2027 : Vendredi saint")
    ]


def test_le_cotech_de_fevrier_quitte_les_vacances_d_hiver_de_la_zone_c_a_la_meme_heure(session: Session) -> None:
    territoire = charger_lunion(session)
    sans_vacances = proposer_calendrier(session, territoire, 2027, {"COPIL": None}, maintenant=MAINTENANT)
    assert sans_vacances[0].jour == date(2027, 2, 9)  # 2e mardi de février, rythme de L'Union
    zone_c = proposer_calendrier(session, territoire, 2027, {"COPIL": None}, maintenant=MAINTENANT, vacances_zone="C")
    fevrier = zone_c[0]
    assert fevrier.jour == date(2027, 2, 23)  # vacances d'hiver de la zone C : 6 au 21 février 2027
    assert fevrier.debut == datetime(2027, 2, 23, 13, 0, tzinfo=UTC)  # 14 h à Paris
    assert fevrier.note == "déplacée du mardi 9 février 2027 au mardi 23 février 2027 : vacances d'hiver (zone\u00a0C)"
    assert [p.jour for p in zone_c][1:] == [date(2027, 5, 11), date(2027, 9, 14), date(2027, 11, 9)]
    # La zone A n'a pas les mêmes vacances d'hiver (13 au 28 février 2027) : le 9 février lui convient.
    assert proposer_calendrier(session, territoire, 2027, {"COPIL": None}, maintenant=MAINTENANT, vacances_zone="A")[
        0
    ].jour == date(2027, 2, 9)


def test_une_annee_dont_les_vacances_ne_sont_pas_publiees_est_refusee_sans_rien_planifier(session: Session) -> None:
    territoire = charger_lunion(session)
    with pytest.raises(DonneesInvalides) as erreur:
        proposer_calendrier(session, territoire, 2029, {}, maintenant=MAINTENANT, vacances_zone="C")
    message = str(erreur.value)
    assert "vacances scolaires de 2029 ne sont pas toutes connues" in message
    assert "31 août 2028" in message
    assert "pip install --upgrade vacances-scolaires-france" in message
    # 2028 aussi : les données s'arrêtent à la fin de l'année scolaire 2027-2028, sans la Toussaint ni Noël 2028.
    with pytest.raises(DonneesInvalides, match="vacances scolaires de 2028"):
        proposer_calendrier(session, territoire, 2028, {}, maintenant=MAINTENANT, vacances_zone="C")
    assert len(proposer_calendrier(session, territoire, 2029, {}, maintenant=MAINTENANT)) == 6
    assert session.scalars(select(Reunion)).all() == []


def test_une_zone_inconnue_est_refusee_en_disant_lesquelles_existent() -> None:
    assert lire_zone(" zone c ") == "C"
    with pytest.raises(DonneesInvalides, match=r"« D » n'est pas une zone .* zone A, B ou C"):
        lire_zone("D")


def test_le_rythme_enregistre_de_l_instance_sert_et_un_fichier_le_remplace_pour_une_fois(session: Session) -> None:
    territoire = charger_lunion(session)
    copil = session.scalars(select(Instance).where(Instance.code == "COPIL")).one()
    regler_rythme(copil, par_an=1, jour="jeudi", heure="9h30")
    atelier = session.scalars(select(Instance).where(Instance.code == "ATELIER")).one()
    regler_rythme(atelier, regle="FREQ=YEARLY;BYMONTH=6;BYDAY=1WE", heure="17:00")
    session.flush()
    propositions = proposer_calendrier(session, territoire, 2027, {"COTECH": None}, maintenant=MAINTENANT)
    assert [(p.instance.code, p.jour, p.heure) for p in propositions] == [
        ("ATELIER", date(2027, 6, 2), time(17, 0)),
        ("COPIL", date(2027, 10, 14), time(9, 30)),
    ]
    remplace = proposer_calendrier(session, territoire, 2027, {"COPIL": COPIL, "COTECH": None}, maintenant=MAINTENANT)
    assert [(p.instance.code, p.jour) for p in remplace] == [
        ("COPIL", date(2027, 3, 9)),
        ("ATELIER", date(2027, 6, 2)),
        ("COPIL", date(2027, 10, 12)),
    ]
    regler_rythme(atelier, sans_rythme=True)
    session.flush()
    sans = proposer_calendrier(session, territoire, 2027, {"COTECH": None}, maintenant=MAINTENANT)
    assert [p.instance.code for p in sans] == ["COPIL"]


def test_relancer_la_planification_ne_cree_aucun_doublon(session: Session) -> None:
    territoire = charger_lunion(session)
    premieres = proposer_calendrier(session, territoire, 2027, {}, maintenant=MAINTENANT)
    assert [p.instance.code for p in premieres].count("COTECH") == 4
    assert enregistrer_propositions(session, territoire, premieres, maintenant=MAINTENANT, nouvel_uid=_uid) == 6
    secondes = proposer_calendrier(session, territoire, 2027, {}, maintenant=MAINTENANT)
    assert {p.etat for p in secondes} == {"existante"}
    assert enregistrer_propositions(session, territoire, secondes, maintenant=MAINTENANT, nouvel_uid=_uid) == 0
    assert len(session.scalars(select(Reunion)).all()) == 6
    # Une réunion annulée libère son jour.
    annulee = session.scalars(select(Reunion).order_by(Reunion.debut)).first()
    assert annulee is not None
    annulee.statut = StatutReunion.ANNULEE
    session.flush()
    troisiemes = proposer_calendrier(session, territoire, 2027, {}, maintenant=MAINTENANT)
    assert [p.etat for p in troisiemes].count("proposee") == 1


def test_une_date_trop_proche_pour_le_delai_de_convocation_est_signalee_sans_etre_enregistree(
    session: Session,
) -> None:
    territoire = charger_lunion(session)
    veille = datetime(2027, 3, 6, 9, 0, tzinfo=UTC)  # 2 jours francs avant le 9 mars, il en faut 5
    propositions = proposer_calendrier(session, territoire, 2027, {"COTECH": None}, maintenant=veille)
    assert [p.etat for p in propositions] == ["trop-proche", "proposee"]
    assert "5 jours francs" in propositions[0].detail
    assert enregistrer_propositions(session, territoire, propositions, maintenant=veille, nouvel_uid=_uid) == 1
    assert len(session.scalars(select(Reunion)).all()) == 1


def test_le_fichier_des_rythmes_est_lu_et_ses_erreurs_dites_en_francais() -> None:
    rythmes = lire_rythmes(
        'COPIL: {rrule: "FREQ=YEARLY;BYMONTH=3,10;BYDAY=2TU", heure: "18:00"}\n'
        'cotech: {par_an: 4, jour: jeudi, heure: "14h30"}\n'
        "ATELIER: null\n",
        "rythmes.yaml",
    )
    assert rythmes == {
        "COPIL": COPIL,
        "COTECH": Rythme("FREQ=YEARLY;BYMONTH=2,5,9,11;BYDAY=2TH", time(14, 30)),
        "ATELIER": None,
    }
    with pytest.raises(DonneesInvalides) as erreur:
        lire_rythmes('COPIL: {par_an: 2, heure: "25:00"}\nCOTECH: {rrule: "FREQ=HOURLY", heure: "9:00"}\n', "r.yaml")
    assert "ligne 1 (COPIL › heure)" in str(erreur.value)
    assert "ligne 2" in str(erreur.value)


def test_la_commande_montre_puis_enregistre_le_calendrier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.cli import calendrier_annuel, contexte
    from flows.cli.principal import ctg

    preparer_base_cli(tmp_path, monkeypatch)
    monkeypatch.setattr(calendrier_annuel, "maintenant", lambda: MAINTENANT)
    rythmes = tmp_path / "rythmes.yaml"
    rythmes.write_text('COPIL: {rrule: "FREQ=YEARLY;BYMONTH=3;BYDAY=-1MO", heure: "18:00"}\n', encoding="utf-8")
    large = {"COLUMNS": "250"}
    try:
        montre = CliRunner().invoke(ctg, ["calendrier", "planifier", "2027", "--rythmes", str(rythmes)], env=large)
        assert montre.exit_code == 0, montre.output
        assert "lundi 5 avril 2027 à 18\u00a0h\u00a000" in montre.output
        assert "déplacée du lundi 29 mars 2027 au lundi 5 avril 2027 : lundi de Pâques" in montre.output
        assert "mardi 9 février 2027 à 14\u00a0h\u00a000" in montre.output  # COTECH : son rythme en base
        assert "Rien n'a été enregistré" in montre.output
        # Le réglage CTG_VACANCES_ZONE vaut pour chaque commande ; --vacances-zone le remplace.
        monkeypatch.setenv("CTG_VACANCES_ZONE", "C")
        contexte.reglages.cache_clear()
        zone_c = CliRunner().invoke(ctg, ["calendrier", "planifier", "2027"], env=large)
        assert (
            "déplacée du mardi 9 février 2027 au mardi 23 février 2027 : vacances d'hiver (zone\u00a0C)"
            in zone_c.output
        )
        assert "évités : jours fériés et vacances scolaires de la zone C" in zone_c.output
        sans = CliRunner().invoke(ctg, ["calendrier", "planifier", "2027", "--vacances-zone", "aucune"], env=large)
        assert "vacances" not in sans.output
        monkeypatch.setenv("CTG_VACANCES_ZONE", "Toulouse")
        contexte.reglages.cache_clear()
        reglage_faux = CliRunner().invoke(ctg, ["calendrier", "planifier", "2027"])
        assert "Réglage CTG_VACANCES_ZONE" in str(reglage_faux.exception)
        assert "« Toulouse » n'est pas une zone" in str(reglage_faux.exception)
        inconnue = CliRunner().invoke(ctg, ["calendrier", "planifier", "2027", "--vacances-zone", "E"])
        assert isinstance(inconnue.exception, DonneesInvalides)
        assert "« E » n'est pas une zone de vacances scolaires" in str(inconnue.exception)
        hors_donnees = CliRunner().invoke(
            ctg, ["calendrier", "planifier", "2029", "--vacances-zone", "C", "--enregistrer"]
        )
        assert "Mettez le paquet à jour" in str(hors_donnees.exception)
        monkeypatch.delenv("CTG_VACANCES_ZONE")
        contexte.reglages.cache_clear()
        enregistre = CliRunner().invoke(
            ctg, ["calendrier", "planifier", "2027", "--rythmes", str(rythmes), "--enregistrer"]
        )
        assert "5 réunions enregistrées" in enregistre.output, enregistre.output
        relance = CliRunner().invoke(ctg, ["calendrier", "planifier", "2027", "--enregistrer", "--json"])
        assert relance.exit_code == 0, relance.output
        resultat = json.loads(relance.output)
        # Le COPIL du fichier (5 avril) est déjà là ; celui de la base (9 mars, 12 octobre) est nouveau.
        assert [(r["instance"], r["jour"], r["etat"]) for r in resultat if r["instance"] == "COPIL"] == [
            ("COPIL", "2027-03-09", "enregistree"),
            ("COPIL", "2027-10-12", "enregistree"),
        ]
        assert {r["etat"] for r in resultat if r["instance"] == "COTECH"} == {"existante"}
        assert (
            CliRunner()
            .invoke(ctg, ["calendrier", "planifier", "2027", "--enregistrer"])
            .output.endswith("Aucune nouvelle réunion à enregistrer.\n")
        )
    finally:
        fermer_base_cli()


def test_une_reunion_planifiee_pendant_la_question_n_est_pas_doublee(moteur: Engine) -> None:
    from gouvernance.services.calendrier import CalendrierAnnuel, planifier_annee

    with ouvrir_session(moteur, ecriture=True) as ouverte:
        charger_lunion(ouverte)

    def oui(_plan: CalendrierAnnuel) -> bool:
        return True

    def pendant_la_question(plan: CalendrierAnnuel) -> bool:
        assert plan.a_enregistrer == 6
        # Pendant que le coordinateur réfléchit, quelqu'un d'autre planifie la même année (la base est libre).
        autre = planifier_annee(moteur, None, 2027, {}, maintenant=MAINTENANT, confirmer=oui, nouvel_uid=_uid)
        assert autre.enregistrees == 6
        return True

    plan = planifier_annee(
        moteur, None, 2027, {}, maintenant=MAINTENANT, confirmer=pendant_la_question, nouvel_uid=_uid
    )
    assert (plan.confirme, plan.enregistrees) == (True, 0)
    assert {p.etat for p in plan.propositions} == {"existante"}
    with ouvrir_session(moteur) as ouverte:
        assert len(ouverte.scalars(select(Reunion)).all()) == 6


def test_sans_confirmation_rien_n_est_enregistre(moteur: Engine) -> None:
    from gouvernance.services.calendrier import planifier_annee

    with ouvrir_session(moteur, ecriture=True) as ouverte:
        charger_lunion(ouverte)
    plan = planifier_annee(moteur, None, 2027, {}, maintenant=MAINTENANT, confirmer=lambda _: False, nouvel_uid=_uid)
    assert (plan.a_enregistrer, plan.confirme, plan.enregistrees) == (6, False, 0)
    with ouvrir_session(moteur) as ouverte:
        assert ouverte.scalars(select(Reunion)).all() == []
