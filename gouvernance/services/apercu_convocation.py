"""L'aperçu d'une convocation (`ctg reunion convoquer ID --simulation`, et l'aperçu de la page web) : qui
recevra quoi, l'objet et le début d'un courriel, et un exemple de courrier à ouvrir ; rien n'est enregistré
ni envoyé.

La lecture se fait dans une session qui n'écrit jamais (ni flush ni validation) : les invitations y sont
alignées sur les membres de l'instance comme le ferait la convocation, puis tout est abandonné. L'exemple de
courrier est écrit ensuite, hors de toute transaction, dans le dossier « apercus » de CTG_HOME, qu'aucune
ligne de la base ne désigne.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gouvernance.courriel import texte_convocation
from gouvernance.documents.nommage import nom_de_fichier
from gouvernance.documents.rendu import construire_convocation
from gouvernance.erreurs import Introuvable
from gouvernance.fichiers import ecrire_atomiquement
from gouvernance.francais import moment
from gouvernance.reunions.cycle import verifier_convocable
from gouvernance.reunions.envoi_reunion import Parametres, lire_envoi, nom_du_courrier
from gouvernance.reunions.invitations import Actualisation, aligner_invitations, destinataires_ecrits
from gouvernance.reunions.lecture import CHARGEMENT_VUE, lire_coordinateur
from gouvernance.reunions.vue import FUSEAU, PersonneVue, ReunionVue
from modeles import Reunion, RoleMembre

#: Le nombre de lignes du courriel montrées dans l'aperçu.
LIGNES_DU_COURRIEL = 12


@dataclass(frozen=True)
class Destinataire:
    """Ce qu'un invité recevrait : son courrier et un courriel, ou rien s'il a déjà reçu cette révision."""

    nom: str
    email: str
    role: str
    #: Le nom du fichier de son courrier (PDF, ou Word sans LibreOffice).
    courrier: str
    #: Vrai s'il a déjà reçu la convocation de cette révision : rien ne repart.
    deja_convoque: bool


@dataclass(frozen=True)
class Apercu:
    reunion_id: int
    #: « COPIL du mardi 15 décembre 2026 à 18 h 00 ».
    designation: str
    destinataires: tuple[Destinataire, ...]
    #: Les pièces jointes de chaque courriel, après le courrier de l'invité.
    pieces_communes: tuple[str, ...]
    objet: str
    #: Le début du courriel (texte) de l'invité dont le courrier sert d'exemple.
    debut_du_courriel: tuple[str, ...]
    #: L'invité dont le courrier et le courriel sont montrés ; None si la réunion n'a aucun invité.
    exemple_pour: str | None
    #: L'exemple de courrier écrit pour être ouvert (PDF, ou Word sans LibreOffice).
    exemple: Path | None
    #: Les invitations que la convocation mettrait à jour (nouveaux membres, membres partis, rôles).
    invitations: Actualisation

    @property
    def a_envoyer(self) -> int:
        return sum(1 for destinataire in self.destinataires if not destinataire.deja_convoque)


def apercevoir_convocation(moteur: Engine, reunion_id: int, parametres: Parametres, *, urgence: bool = False) -> Apercu:
    """Ce que `convoquer_reunion` enverrait, sans rien enregistrer ni envoyer, et un exemple de courrier à ouvrir.

    Les refus sont ceux de la convocation (réunion annulée, passée, trop proche sans `urgence`, coordinateur
    non réglé).
    """
    lire_coordinateur(parametres.reglages)
    with Session(moteur, autoflush=False, expire_on_commit=False) as session:
        reunion = session.get(Reunion, reunion_id, options=CHARGEMENT_VUE)
        if reunion is None:
            raise Introuvable(f"Aucune réunion n°{reunion_id}. `ctg reunions` les liste.")
        reunion.urgence = reunion.urgence or urgence
        verifier_convocable(reunion, parametres.maintenant)
        actualisation = aligner_invitations(reunion, destinataires_ecrits(session, reunion.id))
        lecture = lire_envoi(session, reunion, "convocation", parametres.reglages)
        session.rollback()
    vue = lecture.vue
    extension = ".pdf" if parametres.convertir_en_pdf is not None else ".docx"
    a_preparer = {invite.email for invite in lecture.a_preparer}
    destinataires = tuple(
        Destinataire(
            nom=invite.nom_complet or invite.email,
            email=invite.email,
            role=_role(invite),
            courrier=nom_du_courrier(vue, "convocation", invite, extension=extension),
            deja_convoque=invite.email not in a_preparer,
        )
        for invite in vue.invites
    )
    modele = next(iter(lecture.a_preparer), next(iter(vue.invites), None))
    objet, exemple = "", None
    debut: tuple[str, ...] = ()
    if modele is not None:
        objet, texte, _ = texte_convocation(vue, modele, "convocation")
        debut = tuple(texte.splitlines()[:LIGNES_DU_COURRIEL])
        exemple = _ecrire_exemple(vue, modele, parametres)
    return Apercu(
        reunion_id=vue.id,
        designation=f"{vue.instance_code} du {moment(vue.debut)}",
        destinataires=destinataires,
        pieces_communes=(nom_de_fichier(f"ordre-du-jour-{vue.instance_code}{extension}"), "invitation.ics"),
        objet=objet,
        debut_du_courriel=debut,
        exemple_pour=modele.nom_complet if modele is not None else None,
        exemple=exemple,
        invitations=actualisation,
    )


def dossier_des_apercus(parametres: Parametres) -> Path:
    """Le dossier où l'aperçu écrit ses exemples : « CTG_HOME/apercus »."""
    return parametres.reglages.dossier / "apercus"


def _ecrire_exemple(vue: ReunionVue, invite: PersonneVue, parametres: Parametres) -> Path:
    """Le courrier de `invite`, en PDF si LibreOffice est là, dans le dossier des aperçus (remplace le précédent)."""
    jour = parametres.maintenant.astimezone(FUSEAU).date()
    contenu = construire_convocation(vue, invite, date_courrier=jour, modeles=parametres.modeles)
    dossier = dossier_des_apercus(parametres)
    nom = nom_de_fichier(f"apercu-convocation-reunion-{vue.id}-{vue.instance_code}.docx")
    convertir = parametres.convertir_en_pdf
    if convertir is None:
        ecrire_atomiquement(dossier / nom, contenu)
        return dossier / nom
    with tempfile.TemporaryDirectory(prefix="ctg-apercu-") as temporaire:
        docx = Path(temporaire) / nom
        ecrire_atomiquement(docx, contenu)
        (pdf,) = convertir([docx], Path(temporaire))
        dossier.mkdir(parents=True, exist_ok=True)
        destination = dossier / pdf.name
        shutil.move(pdf, destination)
    return destination


def _role(invite: PersonneVue) -> str:
    role = RoleMembre(invite.role)
    return "invité(e)" if role is RoleMembre.INVITE else role.libelle
