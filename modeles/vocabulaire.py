"""Les vocabulaires fermés de la base : statuts, états, natures, rôles, réponses, présences, types de document.

Chaque vocabulaire est un `StrEnum` : la valeur est la chaîne stockée en base (celle d'avant, pour que les
données existantes restent valides), gardée par une contrainte CHECK ; chaque membre porte son libellé
français (`StatutReunion.ANNULEE.libelle == "annulée"`) et les mots qu'on accepte en saisie pour lui.
`StatutAction.lire("Terminée")` est le seul lecteur d'un mot saisi, pour la ligne de commande, les imports
et le compte rendu Word : ce que l'un accepte, tous l'acceptent.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Self, TypeVar


def forme_comparable(texte: str) -> str:
    """« Terminée(s) » → « termin » : sans accents, casse, tirets ni marque du féminin ou du pluriel."""
    sans_accents = "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c))
    cle = sans_accents.casefold().replace("’", "'").replace("(e)", "").replace("(es)", "").replace("(s)", "")
    mots = re.sub(r"[_\-\s.]+", " ", cle).split()
    return " ".join(_singulier_masculin(mot) for mot in mots)


def _singulier_masculin(mot: str) -> str:
    # « présentes » → « present », « terminée » → « termin » : les deux côtés de la comparaison passent ici.
    for fin in ("s", "e", "e"):
        if len(mot) > 3 and mot.endswith(fin):
            mot = mot[:-1]
    return mot


def enumerer(mots: list[str]) -> str:
    """« à faire, en cours, fait ou abandonnée »."""
    return mots[0] if len(mots) == 1 else f"{', '.join(mots[:-1])} ou {mots[-1]}"


class Vocabulaire(StrEnum):
    """La base des vocabulaires : `NOM = "valeur", "libellé", "synonyme", …`."""

    libelle: str
    synonymes: tuple[str, ...]

    def __new__(cls, valeur: str, libelle: str = "", *synonymes: str) -> Self:
        membre = str.__new__(cls, valeur)
        membre._value_ = valeur
        membre.libelle = libelle or valeur
        membre.synonymes = synonymes
        return membre

    @classmethod
    def valeurs(cls) -> tuple[str, ...]:
        """Les valeurs stockées, dans l'ordre de déclaration (celles de la contrainte CHECK)."""
        return tuple(membre.value for membre in cls)

    @classmethod
    def lire(cls, texte: str) -> Self:
        """Le membre que désigne un mot saisi : sa valeur, son libellé ou un synonyme, sans accents ni casse.

        Un mot suivi d'une précision est lu par son début (« terminé le 3 mars » → fait). Lève ValueError
        avec un message en français qui liste les mots acceptés.
        """
        forme = forme_comparable(texte)
        for cle, membre in _formes(cls):
            if forme == cle or forme.startswith(cle + " "):
                return membre
        brut = " ".join(texte.split())
        mots = enumerer([membre.libelle for membre in cls])
        raise ValueError(f"« {brut} » n'est pas {DESIGNATIONS.get(cls, 'une valeur reconnue')} (écrivez {mots})")


V = TypeVar("V", bound=Vocabulaire)


def _formes(vocabulaire: type[V]) -> list[tuple[str, V]]:
    """Les formes acceptées de chaque membre, les plus longues d'abord (« non commencé » avant « commencé »)."""
    formes: dict[str, V] = {}
    for membre in vocabulaire:
        for mot in (membre.value, membre.libelle, *membre.synonymes):
            formes.setdefault(forme_comparable(mot), membre)
    return sorted(formes.items(), key=lambda paire: -len(paire[0]))


class StatutReunion(Vocabulaire):
    PLANIFIEE = "planifiee", "planifiée", "prévue"
    CONVOQUEE = "convoquee", "convoquée"
    #: Posé par l'import de son compte rendu : la réunion a eu lieu.
    TENUE = "tenue", "tenue"
    ANNULEE = "annulee", "annulée"


class StatutCompteRendu(Vocabulaire):
    #: Généré par `ctg compte-rendu projet`.
    PROJET = "projet", "projet"
    #: Relu du fichier du secrétaire.
    IMPORTE = "importe", "importé"
    #: Figé.
    VALIDE = "valide", "validé"
    DIFFUSE = "diffuse", "diffusé"

    @property
    def est_fige(self) -> bool:
        """Validé (ou diffusé) : il n'est plus ni régénéré ni réimporté."""
        return self in (StatutCompteRendu.VALIDE, StatutCompteRendu.DIFFUSE)


class StatutAction(Vocabulaire):
    A_FAIRE = "a_faire", "à faire", "prévu", "non commencé", "pas commencé"
    EN_COURS = "en_cours", "en cours", "commencé", "démarré"
    FAIT = "fait", "fait", "faite", "réalisé", "terminé", "achevé", "fini", "soldé", "clos", "clôturé"
    ABANDONNEE = "abandonnee", "abandonnée", "abandon", "annulé", "sans suite"


class EtatMessage(Vocabulaire):
    A_ENVOYER = "a_envoyer", "à envoyer"
    EN_COURS = "en_cours", "envoi en cours"
    ENVOYE = "envoye", "envoyé"
    DEPOSE = "depose", "déposé dans la boîte d'envoi"
    ECHEC_TEMPORAIRE = "echec_temporaire", "échec temporaire (sera réessayé)"
    ECHEC = "echec", "refusé"
    INCERTAIN = "incertain", "incertain (interrompu pendant l'envoi)"
    #: Une relance devenue sans objet avant son envoi (réunion annulée ou déplacée, réponse reçue) : jamais envoyée.
    CADUC = "caduc", "caduc (plus d'actualité, non envoyé)"


class IssueIncertain(Vocabulaire):
    """Ce que le coordinateur a décidé d'un message incertain, après vérification auprès du destinataire."""

    CONFIRME = "confirme", "confirmé reçu par le destinataire"
    RENVOYE = "renvoye", "renvoyé, le destinataire ne l'avait pas reçu"


class NatureMessage(Vocabulaire):
    CONVOCATION = "convocation", "convocation"
    MODIFICATION = "modification", "modification"
    ANNULATION = "annulation", "annulation"
    COMPTE_RENDU = "compte_rendu", "compte rendu"
    RELANCE_REPONSE = "relance_reponse", "relance de réponse"
    RELANCE_COMPTE_RENDU = "relance_compte_rendu", "relance du compte rendu"
    RECAPITULATIF = "recapitulatif", "récapitulatif de la semaine"


class ReponseInvitation(Vocabulaire):
    """La réponse à une invitation : le PARTSTAT iCalendar (RFC 5545 §3.2.12)."""

    SANS_REPONSE = "NEEDS-ACTION", "sans réponse"
    ACCEPTEE = "ACCEPTED", "a accepté", "accepté", "oui", "participe"
    DECLINEE = "DECLINED", "s'est excusé(e)", "excusé", "décliné", "refusé", "non"
    PEUT_ETRE = "TENTATIVE", "peut-être", "peut être", "provisoire"
    DELEGUEE = "DELEGATED", "se fait représenter", "délégué", "représenté"


class Presence(Vocabulaire):
    """La présence relevée au compte rendu (la colonne « Présence » du document)."""

    PRESENT = "present", "présent(e)", "oui", "visio", "visioconférence", "distance", "à distance"
    EXCUSE = "excuse", "excusé(e)", "exc"
    ABSENT = "absent", "absent(e)", "abs", "non"
    REPRESENTE = "represente", "représenté(e)", "remplacé", "suppléé"


class RoleMembre(Vocabulaire):
    """Le rôle d'un membre dans son instance ; « invite » aussi pour une personne invitée en plus."""

    PRESIDENT = "president", "président(e)"
    VICE_PRESIDENT = "vice-president", "vice-président(e)"
    MEMBRE = "membre", "membre"
    SECRETAIRE = "secretaire", "secrétariat", "secrétaire"
    INVITE = "invite", "invité(e) permanent(e)", "invité"


class TypeInstance(Vocabulaire):
    COPIL = "copil", "comité de pilotage"
    COTECH = "cotech", "comité technique"
    ATELIER = "atelier", "atelier inter-partenarial"
    SEMINAIRE = "seminaire", "séminaire interne"
    GROUPE_TRAVAIL = "groupe-travail", "groupe de travail"
    AUTRE = "autre", "autre instance"


class CategoriePartenaire(Vocabulaire):
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    CCAS = "ccas", "CCAS"
    CAF = "caf", "CAF"
    MSA = "msa", "MSA"
    DEPARTEMENT = "departement", "département"
    ETAT = "etat", "État"
    ASSOCIATION = "association", "association"
    AUTRE = "autre", "autre"


class TypeDocument(Vocabulaire):
    """Le genre d'un fichier produit ou reçu ; `…_PDF` pour sa conversion en PDF."""

    CONVOCATION = "convocation", "convocation"
    CONVOCATION_PDF = "convocation_pdf", "convocation (PDF)"
    MODIFICATION = "modification", "modification"
    MODIFICATION_PDF = "modification_pdf", "modification (PDF)"
    ANNULATION = "annulation", "annulation"
    ANNULATION_PDF = "annulation_pdf", "annulation (PDF)"
    INVITATION = "invitation", "invitation iCalendar (.ics)"
    ORDRE_DU_JOUR = "ordre_du_jour", "ordre du jour"
    ORDRE_DU_JOUR_PDF = "ordre_du_jour_pdf", "ordre du jour (PDF)"
    EMARGEMENT = "emargement", "feuille d'émargement"
    EMARGEMENT_PDF = "emargement_pdf", "feuille d'émargement (PDF)"
    COMPTE_RENDU_PROJET = "compte_rendu_projet", "projet de compte rendu"
    COMPTE_RENDU_IMPORTE = "compte_rendu_importe", "compte rendu importé"
    COMPTE_RENDU_VALIDE = "compte_rendu_valide", "compte rendu validé"
    COMPTE_RENDU_VALIDE_PDF = "compte_rendu_valide_pdf", "compte rendu validé (PDF)"
    BILAN_ANNUEL = "bilan_annuel", "bilan annuel"
    BILAN_ANNUEL_PDF = "bilan_annuel_pdf", "bilan annuel (PDF)"
    BILAN_GRAPHIQUE = "bilan_graphique", "graphique du bilan"
    BILAN_CSV = "bilan_csv", "tableau du bilan (CSV)"

    @property
    def en_pdf(self) -> TypeDocument:
        """Le type de la conversion en PDF de ce document."""
        return TypeDocument(f"{self.value}_pdf")


class EtatReponseAVerifier(Vocabulaire):
    """Ce qu'est devenue une réponse mise de côté parce que son expéditeur n'est pas sûrement l'invité."""

    A_VERIFIER = "a_verifier", "à vérifier"
    ACCEPTEE = "acceptee", "acceptée par le coordinateur"
    REJETEE = "rejetee", "rejetée par le coordinateur"


class ResultatCourriel(Vocabulaire):
    """Ce qu'est devenu un courriel relevé dans la boîte du coordinateur."""

    APPLIQUE = "applique", "réponse enregistrée"
    A_VERIFIER = "a_verifier", "réponse mise de côté, à vérifier"
    IGNORE = "ignore", "rien de nouveau"
    REFUSE = "refuse", "réponse refusée"
    SANS_CALENDRIER = "sans_calendrier", "courriel ordinaire, sans calendrier"
    TROP_VOLUMINEUX = "trop_volumineux", "trop volumineux, non téléchargé"
    DEJA_TRAITE = "deja_traite", "déjà traité sous un autre numéro (même Message-ID)"


class RoleUtilisateur(Vocabulaire):
    """Ce qu'un compte de l'application web peut faire ; chaque rôle peut aussi ce que peuvent les suivants."""

    #: Tout, sur ses territoires.
    COORDINATEUR = "coordinateur", "coordinateur", "coordinatrice", "coordination"
    #: Les réunions des instances qui lui sont confiées (comptes rendus) ; la lecture ailleurs.
    SECRETAIRE = "secretaire", "secrétaire", "secrétariat"
    LECTURE = "lecture", "lecture seule", "lecteur", "lectrice"

    @property
    def rang(self) -> int:
        """3 pour le coordinateur, 2 pour le secrétaire, 1 pour la lecture : un rang suffit s'il est au moins requis."""
        return {RoleUtilisateur.COORDINATEUR: 3, RoleUtilisateur.SECRETAIRE: 2, RoleUtilisateur.LECTURE: 1}[self]


class ActionJournal(Vocabulaire):
    """Ce qu'un utilisateur de l'application web a fait, consigné au journal des actions."""

    CONNEXION = "connexion", "connexion"
    PLANIFICATION = "planification", "réunion planifiée"
    MODIFICATION_REUNION = "modification_reunion", "réunion modifiée"
    CONVOCATION = "convocation", "réunion convoquée"
    ANNULATION = "annulation", "réunion annulée"
    SUPPRESSION_REUNION = "suppression_reunion", "réunion supprimée"
    IMPORT_COMPTE_RENDU = "import_compte_rendu", "compte rendu importé"
    VALIDATION_COMPTE_RENDU = "validation_compte_rendu", "compte rendu validé"
    DIFFUSION_COMPTE_RENDU = "diffusion_compte_rendu", "compte rendu diffusé"
    MODIFICATION_ACTION = "modification_action", "action modifiée"
    ANNUAIRE = "annuaire", "annuaire modifié"
    MEMBRES = "membres", "membres d'une instance modifiés"
    IMPORT_CONTACTS = "import_contacts", "contacts importés"
    REFERENTIEL = "referentiel", "référentiel modifié"
    CALENDRIER = "calendrier", "calendrier de l'année enregistré"
    BILAN = "bilan", "bilan produit"


#: Comment nommer une valeur de chaque vocabulaire dans un message d'erreur.
DESIGNATIONS: dict[type[Vocabulaire], str] = {
    StatutReunion: "un statut de réunion reconnu",
    StatutCompteRendu: "un statut de compte rendu reconnu",
    StatutAction: "un statut reconnu",
    EtatMessage: "un état de message reconnu",
    NatureMessage: "une nature de message reconnue",
    ReponseInvitation: "une réponse reconnue",
    Presence: "une présence reconnue",
    RoleMembre: "un rôle reconnu",
    TypeInstance: "un type d'instance reconnu",
    CategoriePartenaire: "une catégorie de partenaire reconnue",
    TypeDocument: "un type de document reconnu",
    ResultatCourriel: "un résultat de relève reconnu",
    EtatReponseAVerifier: "un état de réponse à vérifier reconnu",
    RoleUtilisateur: "un rôle d'utilisateur reconnu",
    ActionJournal: "une action du journal reconnue",
}
