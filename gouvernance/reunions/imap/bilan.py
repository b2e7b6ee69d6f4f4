"""Le bilan d'un relevé : une ligne par courriel de réponse, le compte des autres, un résumé en français."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Etat = Literal["applique", "a_verifier", "ignore", "refuse"]


@dataclass(frozen=True)
class LigneReleve:
    """Ce qu'est devenu un courriel à calendrier (ou trop volumineux) : une ligne du compte rendu du relevé."""

    uid: int
    expediteur: str
    objet: str
    etat: Etat
    #: La réponse enregistrée, ou la raison de l'écarter.
    texte: str
    reunion: int | None = None
    reponse: str | None = None

    @property
    def raison(self) -> str | None:
        """Pourquoi la réponse n'a pas été enregistrée ; None si elle l'a été."""
        return None if self.etat == "applique" else self.texte

    @property
    def ligne(self) -> str:
        """« karim@example.org, « Refusé : COPIL » : karim@example.org s'est excusé(e)… »"""
        return f"{self.expediteur}, « {self.objet} » : {self.texte}"

    def en_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "expediteur": self.expediteur,
            "objet": self.objet,
            "reunion": self.reunion,
            "reponse": self.reponse,
            "etat": self.etat,
            "raison": self.raison,
        }


@dataclass(frozen=True)
class BilanReleve:
    """Le bilan d'un relevé : une ligne par courriel à calendrier, et le compte des autres."""

    dossier: str
    lignes: tuple[LigneReleve, ...]
    #: Les nouveaux courriels sans calendrier : examinés par leur structure, jamais téléchargés.
    sans_calendrier: int = 0
    #: Les nouveaux courriels dont le Message-ID a déjà été traité (copie, ou dossier renuméroté).
    doublons: int = 0
    deja_releves: int = 0

    def nombre(self, etat: Etat) -> int:
        return sum(1 for ligne in self.lignes if ligne.etat == etat)

    @property
    def nouveaux(self) -> int:
        return len({ligne.uid for ligne in self.lignes}) + self.sans_calendrier + self.doublons

    def resume(self, *, simulation: bool = False) -> str:
        """« 4 nouveaux courriels dans « INBOX » : 2 réponses enregistrées, 0 ignorée, 1 refusée ; 1 sans… »"""
        debut = "Simulation, rien n'a été enregistré. " if simulation else ""
        deja = f" ({_compter(self.deja_releves, 'courriel déjà relevé', 'courriels déjà relevés')})"
        deja = deja if self.deja_releves else ""
        if not self.nouveaux:
            return f"{debut}Aucun nouveau courriel dans « {self.dossier} »{deja}."
        appliquees = self.nombre("applique")
        enregistrees = (
            _compter(appliquees, "réponse à enregistrer", "réponses à enregistrer")
            if simulation
            else _compter(appliquees, "réponse enregistrée", "réponses enregistrées")
        )
        a_verifier = self.nombre("a_verifier")
        texte = (
            f"{debut}{_compter(self.nouveaux, 'nouveau courriel', 'nouveaux courriels')} dans « {self.dossier} »"
            f"{deja} : {enregistrees}, "
            + (f"{a_verifier} à vérifier (`ctg reponses a-verifier`), " if a_verifier else "")
            + f"{_compter(self.nombre('ignore'), 'ignorée', 'ignorées')}, "
            f"{_compter(self.nombre('refuse'), 'refusée', 'refusées')} ; "
            f"{self.sans_calendrier} sans calendrier (non téléchargé{'s' if self.sans_calendrier > 1 else ''})"
        )
        if self.doublons:
            texte += f" ; {_compter(self.doublons, 'copie', 'copies')} d'un courriel déjà traité"
        return texte + "."

    def en_json(self) -> dict[str, Any]:
        return {
            "dossier": self.dossier,
            "nouveaux": self.nouveaux,
            "sans_calendrier": self.sans_calendrier,
            "doublons": self.doublons,
            "deja_releves": self.deja_releves,
            "reponses": [ligne.en_json() for ligne in self.lignes],
        }


def _compter(nombre: int, singulier: str, pluriel: str) -> str:
    return f"{nombre} {singulier if nombre <= 1 else pluriel}"
