"""L'aide de `ctg` : en français, sans description coupée ni nom de paramètre anglais, à tous les niveaux."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from flows.cli.principal import ctg

#: Les noms que click donne aux paramètres quand on ne les traduit pas.
METAVARS_ANGLAIS = re.compile(r"\b(TEXT|INTEGER|FLOAT|FILE|PATH|DIRECTORY|FILENAME|BOOLEAN|CHOICE|ANNEE)\b")


def chemins(groupe: click.Group, prefixe: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefixe
    for nom, commande in sorted(groupe.commands.items()):
        if isinstance(commande, click.Group):
            yield from chemins(commande, (*prefixe, nom))
        else:
            yield (*prefixe, nom)


@pytest.mark.parametrize("chemin", list(chemins(ctg)), ids=lambda chemin: " ".join(("ctg", *chemin)))
def test_l_aide_est_entiere_et_en_francais(chemin: tuple[str, ...]) -> None:
    resultat = CliRunner().invoke(ctg, [*chemin, "--help"], terminal_width=100)
    assert resultat.exit_code == 0, resultat.output
    aide = resultat.output
    assert not METAVARS_ANGLAIS.search(aide), aide
    if "Commandes :" in aide:  # un groupe : chaque sous-commande est décrite sans être coupée par « ... »
        liste = aide.split("Commandes :", 1)[1]
        assert "..." not in liste, liste
