"""Les artefacts Prefect qu'un coordinateur lit dans l'interface : un résumé et un tableau par envoi."""

from __future__ import annotations

from collections.abc import Sequence

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from gouvernance.base_donnees import ouvrir_base
from gouvernance.envoi import BilanEnvoi
from gouvernance.envoi.tableau import tableau_des_messages
from gouvernance.reglages import lire_reglages


def publier_envoi(cle: str, titre: str, bilan: BilanEnvoi, messages: Sequence[int]) -> None:
    """Le bilan de l'envoi en phrases (markdown) et l'état de chaque message (tableau), sous des clés stables.

    Prefect garde chaque exécution comme une nouvelle version de la même clé : l'historique reste lisible.
    """
    create_markdown_artifact(
        key=cle,
        markdown="\n".join([f"## {titre}", "", *(f"- {ligne}" for ligne in bilan.lignes_resume())]),
        description=titre,
    )
    lignes = tableau_des_messages(ouvrir_base(lire_reglages()), messages)
    create_table_artifact(
        key=f"{cle}-destinataires",
        table=lignes or [{"Destinataire": "aucun message"}],
        description=f"{titre} : destinataires, réponses et état de chaque courriel",
    )
