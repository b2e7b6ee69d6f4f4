"""Les mots accordés à la civilité des personnes : « Mme Martin s'est excusée », « 8 présents, 1 excusée »."""

from __future__ import annotations

import pytest

from gouvernance.accords import accorder, accorder_nombre, designer
from gouvernance.comptes_rendus.importation import BilanCompteRendu
from modeles import Presence, ReponseInvitation, RoleMembre


@pytest.mark.parametrize(
    ("libelle", "civilite", "attendu"),
    [
        (ReponseInvitation.DECLINEE.libelle, "Madame", "s'est excusée"),
        (ReponseInvitation.DECLINEE.libelle, "Monsieur", "s'est excusé"),
        (ReponseInvitation.DECLINEE.libelle, None, "s'est excusé(e)"),
        (RoleMembre.PRESIDENT.libelle, "Mme", "présidente"),
        (RoleMembre.VICE_PRESIDENT.libelle, "M.", "vice-président"),
        ("invité(e)", "Madame", "invitée"),
    ],
)
def test_un_libelle_s_accorde_a_la_civilite(libelle: str, civilite: str | None, attendu: str) -> None:
    assert accorder(libelle, civilite) == attendu


def test_un_nombre_de_personnes_s_accorde_comme_en_francais() -> None:
    present = Presence.PRESENT.libelle
    assert accorder_nombre(8, present, ["Madame", "Monsieur", None, *["Madame"] * 5]) == "8 présents"
    assert accorder_nombre(3, present, ["Madame"] * 3) == "3 présentes"
    assert accorder_nombre(1, Presence.EXCUSE.libelle, ["Madame"]) == "1 excusée"
    assert accorder_nombre(1, Presence.EXCUSE.libelle, [None]) == "1 excusé(e)"


def test_le_bilan_du_compte_rendu_accorde_les_presences() -> None:
    bilan = BilanCompteRendu(
        presences={Presence.PRESENT: 2, Presence.EXCUSE: 1, Presence.ABSENT: 0},
        civilites={Presence.PRESENT: ["Madame", "Monsieur"], Presence.EXCUSE: ["Madame"]},
    )
    assert bilan.lignes_resume()[0] == "Présences : 2 présents, 1 excusée."


def test_une_personne_se_designe_par_sa_civilite_et_son_nom_quand_on_la_connait() -> None:
    assert designer("Madame", "Martin", "jeanne.martin@example.org") == "Mme Martin (jeanne.martin@example.org)"
    assert designer(None, "Martin", "jeanne.martin@example.org") == "jeanne.martin@example.org"
