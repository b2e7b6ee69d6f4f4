"""Orchestration : les flux Prefect et la commande `ctg`. N'importe Prefect que pour lancer un flux."""
