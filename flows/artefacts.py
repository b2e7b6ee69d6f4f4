"""Ce qu'un coordinateur lit dans l'interface de Prefect : un résumé et un tableau par flux (artefacts), et le
même résumé, en phrases, dans le journal de l'exécution (onglet Logs).

Chaque flux publie son résumé ici (`publier_resume`, `publier_envoi`, `publier_documents`) : le journal
raconte donc ce que le flux a fait sans qu'on sème des appels au logger dans chaque flux.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from gouvernance.base_donnees import ouvrir_base
from gouvernance.envoi import BilanEnvoi
from gouvernance.envoi.tableau import tableau_des_messages
from gouvernance.reglages import lire_reglages


def publier_envoi(cle: str, titre: str, bilan: BilanEnvoi, messages: Sequence[int]) -> None:
    """Le bilan de l'envoi en phrases (markdown) et l'état de chaque message (tableau), sous des clés stables.

    Prefect garde chaque exécution comme une nouvelle version de la même clé : l'historique reste lisible.
    """
    publier_resume(
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
    publier_resume(key=cle, markdown="\n".join([f"## {titre}", "", *fichiers]), description=titre)
    lignes = tableau_des_invites(ouvrir_base(lire_reglages()), reunion_id)
    create_table_artifact(
        key=f"{cle}-invites",
        table=lignes or [{"Invité": "aucun invité"}],
        description=f"{titre} : les invités, leur réponse et leur présence relevée",
    )


#: Les phrases d'un résumé qui signalent un problème : elles vont au journal en avertissement.
_ALERTES = re.compile(r"^(✗|Refusé|Incertain|Envoi interrompu)|refusée?s? par le serveur|échec|LibreOffice n'est pas")


def publier_resume(*, key: str, markdown: str, description: str | None = None) -> None:
    """Le résumé d'un flux : un artefact markdown (comme `create_markdown_artifact`), et les mêmes phrases dans
    le journal de l'exécution, une par ligne, en avertissement pour un refus ou un échec."""
    raconter(_en_phrases(markdown))
    create_markdown_artifact(key=key, markdown=markdown, description=description)


def raconter(phrases: Iterable[str]) -> None:
    """Écrit `phrases` dans le journal de l'exécution en cours (onglet Logs de l'interface de Prefect)."""
    journal = _journal()
    for phrase in phrases:
        journal.log(logging.WARNING if _ALERTES.search(phrase) else logging.INFO, phrase)


def _journal() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except MissingContextError:  # appelé hors d'un flux (un test, un script) : le journal ordinaire
        return logging.getLogger("ctg.flux")


def _en_phrases(markdown: str) -> list[str]:
    """« ## Titre » et « - phrase » deviennent « Titre » et « phrase » ; sans balisage ni échappements."""
    phrases = []
    for ligne in markdown.splitlines():
        texte = re.sub(r"^\s*(#+|-|\*)\s+", "", ligne).replace("`", "")
        texte = re.sub(r"\\(.)", r"\1", texte).strip()
        if texte:
            phrases.append(texte)
    return phrases
