"""Le calendrier annuel : rythmes RRULE à l'heure de Paris, jours fériés, pas de doublon, commande."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from itertools import count
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gouvernance.calendrier.jours_feries import jour_ferie, jours_feries
from gouvernance.calendrier.planification_annuelle import (
    enregistrer_propositions,
    eviter_feries,
    proposer_calendrier,
)
from gouvernance.calendrier.rythme import Rythme, dates_de_l_annee, lire_rythmes
from gouvernance.erreurs import DonneesInvalides
from modeles import Instance, Reunion
from tests.fabriques import charger_lunion

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


def test_les_jours_feries_de_2027_sont_calcules_depuis_paques() -> None:
    feries = jours_feries(2027)
    assert len(feries) == 11
    assert feries[date(2027, 3, 29)] == "lundi de Pâques"
    assert feries[date(2027, 5, 6)] == "Ascension"
    assert feries[date(2027, 5, 17)] == "lundi de Pentecôte"
    assert jour_ferie(date(2027, 5, 8)) == "Victoire 1945"
    assert jour_ferie(date(2027, 3, 30)) is None


def test_une_reunion_tombant_le_lundi_de_paques_est_repoussee_d_une_semaine(session: Session) -> None:
    territoire = charger_lunion(session)
    dernier_lundi_de_mars = Rythme("FREQ=YEARLY;BYMONTH=3;BYDAY=-1MO", time(18, 0))
    propositions = proposer_calendrier(
        session, territoire, 2027, {"COPIL": dernier_lundi_de_mars, "COTECH": None}, maintenant=MAINTENANT
    )
    assert len(propositions) == 1
    assert propositions[0].jour == date(2027, 4, 5)
    assert propositions[0].debut == datetime(2027, 4, 5, 16, 0, tzinfo=UTC)
    assert propositions[0].note == "décalé : lundi de Pâques (prévu le lundi 29 mars 2027)"
    assert propositions[0].titre == "Comité de pilotage de suivi — avril 2027"


def test_un_jour_ferie_suivi_d_un_autre_repousse_encore_d_une_semaine() -> None:
    # Jeudi 29 avril 2027 n'est pas férié ; le jeudi de l'Ascension (6 mai) l'est, le 13 mai non.
    assert eviter_feries(date(2027, 5, 6)) == (date(2027, 5, 13), "décalé : Ascension (prévu le jeudi 6 mai 2027)")
    assert eviter_feries(date(2027, 5, 8))[0] == date(2027, 5, 15)
    assert eviter_feries(date(2027, 5, 4)) == (date(2027, 5, 4), "")


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
    annulee.statut = "annulee"
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
    from gouvernance.base_donnees import creer_base
    from gouvernance.reglages import lire_reglages
    from gouvernance.territoires import charger_referentiel_exemple
    from modeles.moteur import ouvrir_session

    monkeypatch.setenv("CTG_HOME", str(tmp_path))
    monkeypatch.delenv("CTG_DATABASE_URL", raising=False)
    monkeypatch.setattr(calendrier_annuel, "maintenant", lambda: MAINTENANT)
    contexte.reglages.cache_clear()
    contexte.moteur.cache_clear()
    moteur = creer_base(lire_reglages())
    with ouvrir_session(moteur, ecriture=True) as ouverte:
        charger_referentiel_exemple(ouverte)
    moteur.dispose()
    rythmes = tmp_path / "rythmes.yaml"
    rythmes.write_text('COPIL: {rrule: "FREQ=YEARLY;BYMONTH=3;BYDAY=-1MO", heure: "18:00"}\n', encoding="utf-8")
    commande = calendrier_annuel.groupe_calendrier_annuel
    try:
        montre = CliRunner().invoke(commande, ["planifier", "2027", "--rythmes", str(rythmes)], env={"COLUMNS": "200"})
        assert montre.exit_code == 0, montre.output
        assert "lundi 5 avril 2027 à 18\u00a0h\u00a000" in montre.output
        assert "décalé : lundi de Pâques" in montre.output
        assert "Rien n'a été enregistré" in montre.output
        enregistre = CliRunner().invoke(commande, ["planifier", "2027", "--rythmes", str(rythmes), "--enregistrer"])
        assert "5 réunion(s) enregistrée(s)" in enregistre.output, enregistre.output
        relance = CliRunner().invoke(commande, ["planifier", "2027", "--enregistrer", "--json"])
        assert relance.exit_code == 0, relance.output
        assert '"etat": "existante"' in relance.output
        assert '"etat": "proposee"' not in relance.output
        aide = CliRunner().invoke(commande, ["planifier", "--help"], env={"COLUMNS": "400"}).output
        assert "le 2e mardi de mars et d'octobre à 18 h 00" in aide
    finally:
        contexte.moteur().dispose()
        contexte.reglages.cache_clear()
        contexte.moteur.cache_clear()
