"""Le domaine de ctg-gouvernance : fonctions pures et services, sans Prefect."""
