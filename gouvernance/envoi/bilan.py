"""Le bilan d'un envoi : combien de messages dans chaque état, lesquels demandent l'attention de quelqu'un."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from gouvernance.erreurs import EnvoiInacheve
from gouvernance.francais import compte
from modeles.vocabulaire import EtatMessage


class Incertain(NamedTuple):
    """Un message incertain : son destinataire, et son numéro pour `ctg courriel confirmer|renvoyer N`."""

    adresse: str
    numero: int | None = None


@dataclass
class BilanEnvoi:
    #: L'état final de chaque message traité pendant cet envoi (envoye, depose, echec, echec_temporaire, incertain).
    etats: Counter[str] = field(default_factory=Counter)
    #: Les refus définitifs : (adresse, réponse du serveur).
    refus: list[tuple[str, str]] = field(default_factory=list)
    #: Les messages incertains (interrompus pendant l'envoi, peut-être reçus, jamais renvoyés seuls), y compris
    #: ceux d'un envoi précédent que personne n'a encore tranchés.
    incertains: list[Incertain] = field(default_factory=list)
    #: Les messages déjà envoyés, déposés, refusés ou caducs avant cet envoi, laissés tels quels.
    deja_traites: int = 0
    #: Les messages pas encore tentés quand l'envoi s'est arrêté : ils partiront au prochain envoi.
    restants: int = 0
    #: Pourquoi l'envoi s'est arrêté avant la fin, s'il s'est arrêté.
    incident: str | None = None

    def noter(self, etat: str, adresse: str, reponse: str | None = None, *, numero: int | None = None) -> None:
        """Compte un message dans son état final ; retient l'adresse d'un refus, l'adresse et le n° d'un incertain."""
        self.etats[etat] += 1
        if etat == EtatMessage.ECHEC:
            self.refus.append((adresse, reponse or ""))
        elif etat == EtatMessage.INCERTAIN:
            self.incertains.append(Incertain(adresse, numero))

    @classmethod
    def additionner(cls, bilans: Iterable[BilanEnvoi]) -> BilanEnvoi:
        """Un seul bilan pour plusieurs envois (les relances du jour, puis le récapitulatif)."""
        total = cls()
        for bilan in bilans:
            total.etats.update(bilan.etats)
            total.refus += bilan.refus
            total.incertains += bilan.incertains
            total.deja_traites += bilan.deja_traites
            total.restants += bilan.restants
            total.incident = total.incident or bilan.incident
        return total

    def nombre(self, etat: str) -> int:
        """Le nombre de messages dans `etat` à la fin de cet envoi."""
        return self.etats[etat]

    @property
    def a_reessayer(self) -> int:
        """Les messages qu'un nouvel essai enverrait : échecs temporaires et messages pas encore tentés."""
        return self.etats[EtatMessage.ECHEC_TEMPORAIRE] + self.restants

    def exiger_complet(self, relancer: str) -> None:
        """EnvoiInacheve si un message n'est pas parti : pourquoi, et la commande `relancer` qui le renvoie."""
        phrases = []
        if nombre := self.a_reessayer:
            attente = compte(nombre, "courriel n'est pas parti", "courriels ne sont pas partis")
            cause = f" — {self.incident}" if self.incident else ""
            reste = "Il reste en attente, jamais envoyé" if nombre == 1 else "Ils restent en attente, jamais envoyés"
            phrases.append(
                f"{attente}{cause}. {reste} deux fois : relancez `{relancer}` quand le problème est réglé "
                "(le flux quotidien des relances les renvoie aussi)."
            )
        if nombre := len(self.refus):
            refuses = compte(nombre, "adresse refusée", "adresses refusées")
            pronom = "la" if nombre == 1 else "les"
            phrases.append(
                f"{refuses} par le serveur (détail ci-dessus) : corrigez-{pronom} dans l'annuaire "
                f"(`ctg personnes modifier EMAIL --email …`), puis relancez `{relancer}`."
            )
        if nombre := len(self.incertains):
            incertains = compte(nombre, "courriel incertain", "courriels incertains")
            qui = "du destinataire" if nombre == 1 else "des destinataires"
            accord = "" if nombre == 1 else "s"
            phrases.append(
                f"{incertains} (interrompu{accord} pendant l'envoi, peut-être reçu{accord}) : vérifiez auprès {qui}, "
                "rien n'est renvoyé automatiquement."
            )
        if phrases:
            raise EnvoiInacheve(" ".join(phrases))

    def lignes_resume(self) -> list[str]:
        """Le bilan en phrases françaises, une par état rencontré."""
        lignes = [
            _accorder(self.etats[EtatMessage.ENVOYE], "message envoyé", "messages envoyés"),
            _accorder(
                self.etats[EtatMessage.DEPOSE],
                "message déposé dans la boîte d'envoi",
                "messages déposés dans la boîte d'envoi",
            ),
            _accorder(
                self.etats[EtatMessage.ECHEC], "message refusé par le serveur", "messages refusés par le serveur"
            ),
            _accorder(
                self.etats[EtatMessage.ECHEC_TEMPORAIRE],
                "message en échec temporaire, il sera réessayé",
                "messages en échec temporaire, ils seront réessayés",
            ),
            _accorder(
                self.etats[EtatMessage.INCERTAIN],
                "message incertain, interrompu pendant l'envoi : il n'est pas renvoyé automatiquement, "
                "vérifiez auprès du destinataire",
                "messages incertains, interrompus pendant l'envoi : ils ne sont pas renvoyés automatiquement, "
                "vérifiez auprès des destinataires",
            ),
            _accorder(self.etats[EtatMessage.EN_COURS], "message en cours d'envoi", "messages en cours d'envoi"),
            _accorder(
                self.restants,
                "message pas encore tenté, il partira au prochain envoi",
                "messages pas encore tentés, ils partiront au prochain envoi",
            ),
            _accorder(
                self.deja_traites, "message déjà traité, laissé tel quel", "messages déjà traités, laissés tels quels"
            ),
        ]
        resume = [ligne for ligne in lignes if ligne]
        resume += [f"Refusé pour {adresse} : {reponse}" for adresse, reponse in self.refus]
        resume += [_incertain(incertain) for incertain in self.incertains]
        if any(incertain.numero is not None for incertain in self.incertains):
            resume.append(
                "Après vérification auprès du destinataire : ctg courriel confirmer N s'il l'a reçu, "
                "ctg courriel renvoyer N sinon."
            )
        if self.incident:
            resume.append(f"Envoi interrompu : {self.incident}")
        return resume or ["Aucun message à envoyer."]


def _incertain(incertain: Incertain) -> str:
    """« Incertain pour jean@exemple.fr (courriel n°2) »."""
    numero = f" (courriel n°{incertain.numero})" if incertain.numero is not None else ""
    return f"Incertain pour {incertain.adresse}{numero}"


def _accorder(nombre: int, singulier: str, pluriel: str) -> str:
    """« 3 messages envoyés. », ou rien quand il n'y en a aucun."""
    return f"{compte(nombre, singulier, pluriel)}." if nombre else ""
