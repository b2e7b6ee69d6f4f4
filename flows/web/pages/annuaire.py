"""Partenaires et personnes : liste, recherche, ajout, modification ; import des contacts."""

from __future__ import annotations

from fastapi import APIRouter

routeur = APIRouter()
