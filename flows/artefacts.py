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


def publier_documents(reunion_id: int, quoi: str, sujet: str, chemins: Sequence[str]) -> None:
    """Les documents produits pour une réunion (markdown) et ses invités, avec réponse et présence (tableau).

    Clé « reunion-1-emargement » pour `quoi` = « emargement » ; titre « Réunion n°1 : feuille d'émargement ».
    """
    from gouvernance.reunions.tableau_invites import tableau_des_invites

    cle, titre = f"reunion-{reunion_id}-{quoi}", f"Réunion n°{reunion_id} : {sujet}"
    fichiers = [f"- `{chemin}`" for chemin in chemins] or ["- aucun document (rien n'a changé)"]
    create_markdown_artifact(key=cle, markdown="\n".join([f"## {titre}", "", *fichiers]), description=titre)
    lignes = tableau_des_invites(ouvrir_base(lire_reglages()), reunion_id)
    create_table_artifact(
        key=f"{cle}-invites",
        table=lignes or [{"Invité": "aucun invité"}],
        description=f"{titre} : les invités, leur réponse et leur présence relevée",
    )
