"""Plusieurs conventions par territoire : `ctg conventions`, `ctg convention ajouter | modifier`, de vrais processus."""

from __future__ import annotations

from datetime import date, timedelta

from tests.test_cli import LanceurCtg, ctg_lunion, init_lunion, lire_json, verifier_erreur

__all__ = ["ctg_lunion", "init_lunion"]  # les fixtures de test_cli, partagées


def test_une_convention_renouvelee_s_ajoute_a_la_premiere_et_une_periode_qui_chevauche_est_refusee(
    ctg_lunion: LanceurCtg,
) -> None:
    premiere = ctg_lunion("convention", "modifier", "--debut", "2022-01-01", "--fin", "2026-12-31")
    assert premiere.returncode == 0, premiere.stderr

    chevauche, impossible, ajoutee = (
        ctg_lunion("convention", "ajouter", "--debut", "2026-07-01", "--fin", "2030-12-31"),
        ctg_lunion("convention", "ajouter", "--debut", "2027-01-01", "--fin", "2026-01-01"),
        ctg_lunion(
            "convention", "ajouter", "--debut", "2027-01-01", "--fin", "31/12/2031", "--intitule", "CTG 2027-2031"
        ),
    )

    verifier_erreur(
        chevauche,
        "la période du 01/07/2026 au 31/12/2030 chevauche celle de « Convention territoriale globale de L'Union »",
        "commencez la nouvelle après le 01/01/2027",
    )
    verifier_erreur(impossible, "la fin (01/01/2026) doit venir après le début (01/01/2027)")
    assert ajoutee.returncode == 0, ajoutee.stderr
    assert "CTG 2027-2031, du 01/01/2027 au 31/12/2031 (en préparation)" in ajoutee.stdout
    conventions = lire_json(ctg_lunion("conventions", "--json"))
    assert [(c["intitule"], c["debut"], c["fin"], c["statut_libelle"]) for c in conventions] == [
        ("Convention territoriale globale de L'Union", "2022-01-01", "2026-12-31", "en préparation"),
        ("CTG 2027-2031", "2027-01-01", "2031-12-31", "en préparation"),
    ]
    tableau = ctg_lunion("conventions")
    assert tableau.returncode == 0, tableau.stderr
    assert "CTG 2027-2031" in tableau.stdout
    assert "du 01/01/2027 au 31/12/2031" in tableau.stdout


def test_la_convention_en_cours_recoit_son_statut_et_ses_signataires(ctg_lunion: LanceurCtg) -> None:
    for arguments in (
        ["personnes", "ajouter", "jeanne.martin@example.org", "--prenom", "Jeanne", "--nom", "Martin"],
        ["convention", "modifier", "--debut", "2022-01-01", "--fin", "2099-12-31"],
    ):
        resultat = ctg_lunion(*arguments)
        assert resultat.returncode == 0, resultat.stderr

    signee = ctg_lunion(
        "convention",
        "modifier",
        "--statut",
        "Signée",
        "--signataire",
        "CAF",
        "--signe-par",
        "jeanne.martin@example.org",
        "--signe-le",
        "08/12/2021",
    )
    inconnu, sans_organisme = ctg_lunion.ensemble(
        ["convention", "modifier", "--statut", "ratifiée"],
        ["convention", "modifier", "--signe-le", "08/12/2021"],
    )

    assert signee.returncode == 0, signee.stderr
    assert "(signée)" in signee.stdout
    verifier_erreur(inconnu, "statut « ratifiée » inconnu", "« en préparation », « signée », « échue »")
    verifier_erreur(sans_organisme, "--signataire ORGANISME")
    (convention,) = lire_json(ctg_lunion("conventions", "--json"))
    assert convention["statut"] == "signee"
    assert convention["en_vigueur"] is True
    assert convention["signataires"] == [
        {
            "partenaire": "Caisse d'allocations familiales de la Haute-Garonne",
            "personne": "Jeanne Martin",
            "signe_le": "2021-12-08",
        }
    ]
    affichee = ctg_lunion("convention")
    assert "du 01/01/2022 au 31/12/2099 — signée" in affichee.stdout


def test_une_reunion_releve_de_la_convention_en_vigueur_a_sa_date(ctg_lunion: LanceurCtg) -> None:
    aujourd_hui = date.today()
    fin_premiere = aujourd_hui + timedelta(days=30)
    jour_reunion = aujourd_hui + timedelta(days=60)
    for arguments in (
        ["convention", "modifier", "--debut", "2022-01-01", "--fin", fin_premiere.isoformat()],
        [
            "convention",
            "ajouter",
            "--debut",
            (fin_premiere + timedelta(days=1)).isoformat(),
            "--fin",
            (fin_premiere + timedelta(days=5 * 365)).isoformat(),
            "--intitule",
            "CTG renouvelée",
        ],
        ["reunion", "planifier", "--instance", "COPIL", "--debut", f"{jour_reunion.isoformat()} 18:00"],
    ):
        resultat = ctg_lunion(*arguments)
        assert resultat.returncode == 0, resultat.stderr

    voir, voir_json, conventions = ctg_lunion.ensemble(
        ["reunion", "voir", "1"], ["reunion", "voir", "1", "--json"], ["conventions", "--json"]
    )

    assert "Convention : CTG renouvelée" in voir.stdout
    assert lire_json(voir_json)["convention"] == "CTG renouvelée"
    assert [(c["intitule"], c["en_vigueur"], c["reunions"]) for c in lire_json(conventions)] == [
        ("Convention territoriale globale de L'Union", True, 0),
        ("CTG renouvelée", False, 1),
    ]
