"""Ce que reçoit chaque page : l'utilisateur connecté, la base, l'horloge, le rendu des gabarits.

Une page déclare le rôle qu'elle exige par son paramètre `ctx` : `ctx: Lecteur`, `ctx: Secretaire` ou
`ctx: Coordinateur`. Sans connexion, la requête est renvoyée à la page de connexion ; avec un rôle moindre,
elle est refusée (403) ; une requête qui modifie quelque chose sans jeton anti-CSRF aussi (403).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from flows.web.gabarits import annoncer, rendre
from flows.web.securite import Limiteur, verifier_csrf
from gouvernance.comptes import UtilisateurConnecte
from gouvernance.erreurs import ErreurCTG
from gouvernance.reglages import Reglages
from gouvernance.services.comptes import charger_connecte
from modeles import RoleUtilisateur
from modeles.moteur import ouvrir_session

CLE_UTILISATEUR = "utilisateur"
CLE_TERRITOIRE = "territoire"


@dataclass(frozen=True)
class EtatApplication:
    """Ce que l'application garde d'une requête à l'autre (dans `app.state.ctg`)."""

    reglages: Reglages
    moteur: Engine
    horloge: Callable[[], datetime]
    limiteur: Limiteur


class NonConnecte(Exception):
    """Aucun utilisateur connecté (ou son compte a été désactivé) : direction la page de connexion."""


class Interdit(Exception):
    """Un utilisateur connecté dont le rôle ne permet pas ce qu'il demande."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def etat(request: Request) -> EtatApplication:
    valeur: EtatApplication = request.app.state.ctg
    return valeur


@dataclass(frozen=True)
class Contexte:
    """Une requête d'un utilisateur connecté qui a le rôle voulu."""

    request: Request
    utilisateur: UtilisateurConnecte
    application: EtatApplication

    @property
    def reglages(self) -> Reglages:
        return self.application.reglages

    @property
    def moteur(self) -> Engine:
        return self.application.moteur

    def maintenant(self) -> datetime:
        return self.application.horloge()

    @contextmanager
    def lecture(self) -> Iterator[Session]:
        """Une session de lecture, fermée à la sortie du bloc."""
        with ouvrir_session(self.moteur) as session:
            yield session

    @contextmanager
    def ecriture(self) -> Iterator[Session]:
        """Une transaction d'écriture courte : le verrou est pris d'emblée, validée à la sortie du bloc."""
        with ouvrir_session(self.moteur, ecriture=True) as session:
            yield session

    @property
    def territoire(self) -> str | None:
        """Le code du territoire choisi (celui de la session, sinon le premier de l'utilisateur)."""
        choisi = self.request.session.get(CLE_TERRITOIRE)
        codes = self.utilisateur.codes_territoires
        if isinstance(choisi, str) and choisi in codes:
            return choisi
        return codes[0] if codes else None

    def exiger_instance(self, instance_id: int) -> None:
        """Un secrétaire n'agit que sur les réunions des instances qui lui sont confiées ; le coordinateur partout."""
        if self.utilisateur.role is RoleUtilisateur.SECRETAIRE and instance_id not in self.utilisateur.instances:
            raise Interdit("Cette instance n'est pas confiée à votre compte : vous pouvez seulement la consulter.")

    def rediriger(
        self, chemin: str, annonce: str | None = None, *, erreur: ErreurCTG | None = None
    ) -> RedirectResponse:
        """Après un formulaire : la page `chemin` (303), qui affichera une fois le succès ou l'erreur."""
        if erreur is not None:
            annoncer(self.request, str(erreur), erreur=True)
        elif annonce:
            annoncer(self.request, annonce)
        return RedirectResponse(chemin, status_code=303)

    def rendre(self, gabarit: str, *, statut: int = 200, **valeurs: Any) -> HTMLResponse:
        """La page `gabarit` (dans flows/web/gabarits), avec l'utilisateur et le jeton anti-CSRF."""
        return rendre(
            self.request,
            gabarit,
            statut=statut,
            utilisateur=self.utilisateur,
            territoire_choisi=self.territoire,
            **valeurs,
        )


def exiger_role(requis: RoleUtilisateur) -> Callable[..., Any]:
    """La dépendance FastAPI d'une page réservée au rôle `requis` (ou à un rôle supérieur)."""

    async def dependance(request: Request) -> Contexte:
        application = etat(request)
        utilisateur = await run_in_threadpool(_utilisateur_de_la_session, request, application.moteur)
        if utilisateur is None:
            raise NonConnecte
        if not utilisateur.peut(requis):
            raise Interdit(
                f"Cette page est réservée au rôle « {requis.libelle} » ; votre compte a le rôle "
                f"« {utilisateur.role.libelle} ». Demandez au coordinateur s'il vous faut davantage."
            )
        await verifier_csrf(request)
        return Contexte(request=request, utilisateur=utilisateur, application=application)

    dependance.role_requis = requis  # type: ignore[attr-defined]  # lu par le test qui énumère les routes
    dependance.__name__ = f"exiger_{requis.value}"
    return dependance


def _utilisateur_de_la_session(request: Request, moteur: Engine) -> UtilisateurConnecte | None:
    """L'utilisateur de la session, relu à chaque requête : un compte désactivé est refusé aussitôt."""
    identifiant = request.session.get(CLE_UTILISATEUR)
    if not isinstance(identifiant, int):
        return None
    with ouvrir_session(moteur) as session:
        return charger_connecte(session, identifiant)


lecteur = exiger_role(RoleUtilisateur.LECTURE)
secretaire = exiger_role(RoleUtilisateur.SECRETAIRE)
coordinateur = exiger_role(RoleUtilisateur.COORDINATEUR)

#: Le paramètre `ctx` d'une page : il en fixe le rôle requis.
Lecteur = Annotated[Contexte, Depends(lecteur)]
Secretaire = Annotated[Contexte, Depends(secretaire)]
Coordinateur = Annotated[Contexte, Depends(coordinateur)]
