"""Le flux qui renvoie un courriel incertain que son destinataire n'a pas reçu : par l'envoi ordinaire, une fois."""

from __future__ import annotations

from prefect import flow

from flows.artefacts import publier_envoi
from flows.convocation import envoyer_avec_reessais
from gouvernance.envoi import BilanEnvoi


@flow(name="renvoyer-courriel")
def renvoyer_courriel(numero: int) -> BilanEnvoi:
    """Envoie le courriel n°`numero` remis « à envoyer » par `ctg courriel renvoyer` (rien s'il est déjà parti)."""
    bilan = envoyer_avec_reessais([numero])
    publier_envoi(f"courriel-{numero}-renvoi", f"Courriel n°{numero} : renvoi", bilan, [numero])
    return bilan
