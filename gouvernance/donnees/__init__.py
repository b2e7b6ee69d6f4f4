"""Données embarquées : le référentiel de L'Union et les contacts fictifs de la démonstration."""
