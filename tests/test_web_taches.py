"""Les travaux longs lancés des pages : hors de la requête, suivis jusqu'au résultat, jamais deux fois."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from flows.web.taches import Flux, Tache, Taches, lancer_flux
from gouvernance.erreurs import DonneesInvalides
from gouvernance.reglages import lire_reglages
from tests.serveur_smtp import ServeurSmtp
from tests.test_convocation import ctg_home, etat_de_la_reunion  # noqa: F401 (fixture partagée)

# ruff: noqa: F811  (la fixture ctg_home, importée, est le paramètre du test)


def finie(tache: Tache) -> Tache:
    assert tache.fin.wait(120), f"{tache.libelle} n'a pas fini"
    return tache


def test_la_tache_rend_la_main_aussitot_et_une_meme_tache_en_cours_n_est_pas_relancee() -> None:
    liberer, lancements = threading.Event(), []

    def lanceur(flux: Flux) -> tuple[object, str | None]:
        lancements.append(flux)
        assert liberer.wait(10)
        return 3, "http://prefect/runs/flow-run/0000"

    taches = Taches(lanceur)
    flux = Flux("flows.convocation", "diffuser_reunion", (12,))
    premiere = taches.soumettre("convocation-12", "Convocation", flux, lambda n: [f"{n} courriels"])
    seconde = taches.soumettre("convocation-12", "Convocation", flux, lambda n: [f"{n} courriels"])
    assert seconde is premiere and premiere.etat == "en_cours"
    liberer.set()
    assert finie(premiere).etat == "reussie" and premiere.resultat == ["3 courriels"]
    assert premiere.lien_prefect == "http://prefect/runs/flow-run/0000" and len(lancements) == 1
    assert taches.tache(premiere.identifiant) is premiere and taches.tache("inconnue") is None


def test_une_tache_qui_echoue_dit_pourquoi_en_francais_sans_trace_python() -> None:
    def refuser(flux: Flux) -> tuple[object, str | None]:
        raise DonneesInvalides("La réunion n°12 a été annulée : elle ne peut plus être convoquée.")

    def planter(flux: Flux) -> tuple[object, str | None]:
        raise KeyError("interne")

    refusee = finie(Taches(refuser).soumettre("c", "La convocation", Flux("m", "f"), list))
    assert (
        refusee.etat == "echouee"
        and refusee.erreur == "La réunion n°12 a été annulée : elle ne peut plus être convoquée."
    )
    plantee = finie(Taches(planter).soumettre("c", "La convocation", Flux("m", "f"), list))
    assert plantee.etat == "echouee" and plantee.erreur is not None
    assert plantee.erreur.startswith("La convocation n'a pas abouti") and "KeyError" not in plantee.erreur


def test_deux_coordinateurs_qui_convoquent_ensemble_n_envoient_rien_deux_fois(
    ctg_home: Path, serveur_smtp: ServeurSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deux processus de l'application (deux `Taches`) lancent la même convocation au même instant."""
    reglages_smtp = serveur_smtp.reglages()
    for nom, valeur in (("HOST", reglages_smtp.hote), ("PORT", str(reglages_smtp.port)), ("TLS", "none")):
        monkeypatch.setenv(f"CTG_SMTP_{nom}", valeur)
    monkeypatch.setenv("CTG_SMTP_FROM", "cooperation.ctg@example.org")
    flux = Flux("flows.convocation", "diffuser_reunion", (1,))
    lanceur = lancer_flux(lire_reglages())
    taches = [
        Taches(lanceur).soumettre("convocation-1", "La convocation", flux, lambda r: r.bilan.lignes_resume())
        for _ in range(2)
    ]
    # L'une convoque ; l'autre aussi si elle arrive après, sinon elle trouve la diffusion verrouillée et le dit
    # en français (issue 10 §4), sans erreur technique ni faux « incertain ».
    for tache in taches:
        finie(tache)
    assert any(tache.etat == "reussie" for tache in taches), [t.erreur for t in taches]
    for tache in taches:
        if tache.etat == "reussie":
            assert tache.lien_prefect and "/runs/flow-run/" in tache.lien_prefect
        else:
            assert tache.erreur is not None and "est déjà en cours" in tache.erreur, tache.erreur
    destinataires = sorted(d for recu in serveur_smtp.recus for d in recu.destinataires)
    assert destinataires == ["claire@example.org", "karim@example.org"]
    assert {m["etat"] for m in etat_de_la_reunion()["messages"]} == {"envoye"}
