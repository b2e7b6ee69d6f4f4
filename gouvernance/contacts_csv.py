"""Lire les contacts exportés d'un tableur en CSV : chaque ligne vérifiée, chaque problème signalé."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import String
from sqlalchemy.orm import QueryableAttribute

from gouvernance.erreurs import DonneesInvalides
from gouvernance.textes import cle_de_comparaison, contient_controle
from modeles.acteurs import Fonction, Partenaire, Personne

#: Les colonnes reconnues, dans l'ordre où les messages les présentent.
COLONNES = (
    "civilite",
    "prenom",
    "nom",
    "fonction",
    "organisme",
    "email",
    "telephone",
    "instances",
    "emails_secondaires",
)
COLONNES_OBLIGATOIRES = ("nom", "prenom", "email")

#: D'autres intitulés d'en-tête admis, une fois ôtés accents, casse, espaces et tirets.
_SYNONYMES = {
    "courriel": "email",
    "mail": "email",
    "adresseemail": "email",
    "adresseelectronique": "email",
    "tel": "telephone",
    "instance": "instances",
    "emailsecondaire": "emails_secondaires",
    "emailssecondaires": "emails_secondaires",
    "autresemails": "emails_secondaires",
    "autresadresses": "emails_secondaires",
}

#: La taille maximale d'un fichier de contacts, en octets, et son nombre maximal de lignes.
TAILLE_MAX = 2 * 1024 * 1024
LIGNES_MAX = 5000

#: Une suite d'octets UTF-8 d'un caractère accentué (é : C3 A9…), qu'un texte Windows-1252 ne contient pas.
_UTF8_MULTIOCTET = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: Les octets 80 à BF (la suite d'un caractère UTF-8), tels que Windows-1252 les affiche.
_SUITES = re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", "ignore"))
#: Un texte UTF-8 lu comme du Windows-1252 : « Ã© » pour « é », « Ã‰ » pour « É », « â€™ » pour « ’ »…
_MOJIBAKE = re.compile(f"[ÂÃÄÅ][{_SUITES}]|â[€‚][{_SUITES}]")

_CIVILITES = {"m": "Monsieur", "monsieur": "Monsieur", "mme": "Madame", "madame": "Madame"}

#: Les codes d'instance d'une cellule sont séparés par des virgules, points-virgules ou barres.
_SEPARATEURS_INSTANCES = re.compile(r"[,;|]")
#: Les adresses secondaires d'une cellule sont séparées par des virgules, points-virgules, barres ou espaces.
_SEPARATEURS_ADRESSES = re.compile(r"[,;|\s]+")


def _longueur_max(attribut: QueryableAttribute[Any]) -> int:
    type_sql = attribut.type
    if not isinstance(type_sql, String) or type_sql.length is None:
        raise TypeError(f"{attribut} n'a pas de longueur maximale")
    return type_sql.length


#: Les longueurs des colonnes de la base : au-delà, PostgreSQL refuserait la ligne.
_LONGUEURS_MAX = {
    "prenom": _longueur_max(Personne.prenom),
    "nom": _longueur_max(Personne.nom),
    "email": _longueur_max(Personne.email),
    "telephone": _longueur_max(Personne.telephone),
    "fonction": _longueur_max(Fonction.intitule),
    "organisme": _longueur_max(Partenaire.nom),
}


@dataclass(frozen=True)
class LigneContact:
    """Un contact lu et vérifié ; `colonnes` dit lesquelles le fichier contenait."""

    numero_ligne: int
    civilite: str | None
    prenom: str
    nom: str
    fonction: str | None
    organisme: str | None
    email: str
    telephone: str | None
    instances: tuple[str, ...]
    #: Ses autres adresses (une réponse envoyée de l'une d'elles est la sienne), séparées par , ; | ou espace.
    emails_secondaires: tuple[str, ...] = ()
    #: Une colonne absente du fichier laisse la donnée en base telle quelle.
    colonnes: frozenset[str] = frozenset(COLONNES)


def lire_contacts_csv(
    contenu: bytes, *, codes_instances: Collection[str], nom_fichier: str | None = None
) -> list[LigneContact]:
    """Les contacts d'un fichier CSV ; DonneesInvalides avec chaque ligne fautive et son numéro sinon."""
    examen = examiner_contacts_csv(contenu, codes_instances=codes_instances, nom_fichier=nom_fichier)
    if examen.problemes:
        raise DonneesInvalides(
            f"{examen.fichier} est refusé : rien n'a été enregistré. Corrigez ces lignes puis relancez l'import.",
            details=examen.problemes,
        )
    return examen.lignes


@dataclass(frozen=True)
class ExamenContacts:
    """Les lignes acceptées d'un fichier de contacts et, une par ligne refusée, son numéro et la raison."""

    fichier: str
    lignes: list[LigneContact]
    problemes: list[str]


def examiner_contacts_csv(
    contenu: bytes, *, codes_instances: Collection[str], nom_fichier: str | None = None
) -> ExamenContacts:
    """Lit le fichier ligne à ligne sans s'arrêter aux lignes fautives ; DonneesInvalides si le fichier entier
    est illisible (encodage, taille, en-tête)."""
    fichier = f"Le fichier « {nom_fichier} »" if nom_fichier else "Le fichier"
    texte = _decoder(contenu, fichier)
    if (lignes := texte.count("\n") + (not texte.endswith("\n"))) > LIGNES_MAX + 1:
        raise DonneesInvalides(
            f"{fichier} est refusé : il compte {lignes - 1} lignes de contacts, {LIGNES_MAX} au plus par import. "
            "Importez-le en plusieurs parties ; rien n'a été enregistré."
        )
    separateur = _separateur(texte.partition("\n")[0].partition("\r")[0])
    enregistrements = _enregistrements(texte, separateur)
    _, premier = next(enregistrements, (1, None))
    if premier is None or not any(cellule.strip() for cellule in premier):
        raise DonneesInvalides(
            f"{fichier} est refusé : sa première ligne doit donner les noms des colonnes ({', '.join(COLONNES)})."
        )
    verification = _Verification(_lire_entete(premier, fichier), codes_instances)
    for numero, cellules in enregistrements:
        if cellules is None:
            verification.problemes.append(
                f"ligne {numero} : un guillemet est mal placé ou jamais refermé ; mettez tout le contenu "
                "de la cellule entre guillemets et doublez les guillemets qu'il contient."
            )
            break
        verification.verifier(numero, cellules)
    return ExamenContacts(fichier=fichier, lignes=verification.lignes, problemes=verification.problemes)


def _decoder(contenu: bytes, fichier: str) -> str:
    """Le texte du fichier, lu dans UN encodage pour tout le fichier : UTF-8 (avec ou sans marque), sinon
    Windows-1252 ; un fichier qui mélange les deux, ou dont le texte est déjà abîmé (« ZoÃ© »), est refusé."""
    if contenu.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DonneesInvalides(
            f"{fichier} est refusé : il est encodé en UTF-16. Enregistrez-le au format « CSV UTF-8 »."
        )
    if len(contenu) > TAILLE_MAX:
        raise DonneesInvalides(
            f"{fichier} est refusé : il pèse {_en_ko(len(contenu))}, {_en_ko(TAILLE_MAX)} au plus. "
            "Vérifiez qu'il s'agit du bon fichier, ou importez-le en plusieurs parties."
        )
    enregistrer = "Enregistrez-le de nouveau depuis le tableur au format « CSV UTF-8 », puis relancez l'import."
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as erreur:
        # utf-8-sig compte les positions après la marque UTF-8.
        ligne = _ligne(contenu, erreur.start + (len(codecs.BOM_UTF8) if contenu.startswith(codecs.BOM_UTF8) else 0))
        utf8 = _UTF8_MULTIOCTET.search(contenu)
        if contenu.startswith(codecs.BOM_UTF8) or utf8 is not None:
            en_utf8 = (
                f"la ligne {_ligne(contenu, utf8.start())} est en UTF-8"
                if utf8 is not None and not contenu.startswith(codecs.BOM_UTF8)
                else "il commence par la marque UTF-8"
            )
            raise DonneesInvalides(
                f"{fichier} est refusé : il mélange deux encodages ({en_utf8}, mais la ligne {ligne} ne l'est "
                f"pas, sans doute en Windows-1252). Rien n'a été enregistré. {enregistrer}"
            ) from None
        try:
            texte = contenu.decode("cp1252")
        except UnicodeDecodeError as erreur_1252:
            raise DonneesInvalides(
                f"{fichier} est refusé : son encodage n'est ni UTF-8 (ligne {ligne}) ni Windows-1252 "
                f"(ligne {_ligne(contenu, erreur_1252.start)}). Rien n'a été enregistré. {enregistrer}"
            ) from None
    if abime := _MOJIBAKE.search(texte):
        debut_ligne = texte.rfind("\n", 0, abime.start()) + 1
        extrait = " ".join(texte[max(debut_ligne, abime.start() - 20) : abime.end() + 20].split("\n")[0].split())
        raise DonneesInvalides(
            f"{fichier} est refusé : ligne {texte.count(chr(10), 0, abime.start()) + 1}, « {extrait} » est un "
            "texte abîmé par un mauvais encodage (« Ã© » au lieu de « é »…). Rien n'a été enregistré. "
            "Corrigez ces caractères dans le tableur, enregistrez le fichier au format « CSV UTF-8 » et relancez."
        )
    return texte


def _ligne(contenu: bytes, position: int) -> int:
    return contenu.count(b"\n", 0, position) + 1


def _en_ko(octets: int) -> str:
    return f"{(octets + 1023) // 1024} Ko"


def _separateur(premiere_ligne: str) -> str:
    """« ; » (Excel en français) ou « , », selon le plus fréquent hors guillemets dans l'en-tête."""
    hors_guillemets = "".join(premiere_ligne.split('"')[::2])
    return "," if hors_guillemets.count(",") > hors_guillemets.count(";") else ";"


def _enregistrements(texte: str, separateur: str) -> Iterator[tuple[int, list[str] | None]]:
    """Chaque enregistrement avec le numéro de sa première ligne physique ; None s'il est illisible."""
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur, strict=True, skipinitialspace=True)
    fin_precedente = 0
    while True:
        try:
            cellules = next(lecteur)
        except StopIteration:
            return
        except csv.Error:
            yield fin_precedente + 1, None
            return
        yield fin_precedente + 1, cellules
        fin_precedente = lecteur.line_num


@dataclass(frozen=True)
class _Entete:
    #: Le nom canonique de chaque colonne, dans l'ordre du fichier.
    colonnes: tuple[str, ...]
    #: Le nom écrit dans le fichier, pour des messages qui parlent comme le tableur.
    libelles: dict[str, str]
    #: Le nombre de cellules de l'en-tête, avec les cellules vides ajoutées à droite par le tableur.
    largeur: int


def _lire_entete(cellules: list[str], fichier: str) -> _Entete:
    largeur = len(cellules)
    while cellules and not cellules[-1].strip():
        cellules = cellules[:-1]  # les tableurs ajoutent parfois des colonnes vides à droite
    colonnes: list[str] = []
    libelles: dict[str, str] = {}
    problemes: list[str] = []
    inconnues: list[str] = []
    for position, cellule in enumerate(cellules, start=1):
        libelle = cellule.strip()
        cle = re.sub(r"[\s\-_.'’]", "", cle_de_comparaison(libelle))
        colonne = _SYNONYMES.get(cle, cle)
        if not libelle:
            problemes.append(f"la colonne n° {position} n'a pas de nom.")
        elif colonne not in COLONNES:
            inconnues.append(f"« {libelle} »")
        elif colonne in libelles:
            problemes.append(f"les colonnes « {libelles[colonne]} » et « {libelle} » désignent la même donnée.")
        colonnes.append(colonne)
        libelles.setdefault(colonne, libelle)
    if inconnues:
        if len(cellules) == 1:
            problemes.append("l'en-tête ne contient ni « ; » ni « , » : enregistrez le tableau au format CSV.")
        problemes.append(
            f"{'colonnes inconnues' if len(inconnues) > 1 else 'colonne inconnue'} : "
            f"{', '.join(inconnues)} ; colonnes attendues : {', '.join(COLONNES)}."
        )
    manquantes = [colonne for colonne in COLONNES_OBLIGATOIRES if colonne not in libelles]
    if manquantes:
        problemes.append(
            f"{'colonnes obligatoires absentes' if len(manquantes) > 1 else 'colonne obligatoire absente'} : "
            f"{', '.join(manquantes)}."
        )
    if problemes:
        raise DonneesInvalides(
            f"{fichier} est refusé : rien n'a été enregistré. Corrigez la ligne d'en-tête (ligne 1) "
            "puis relancez l'import.",
            details=problemes,
        )
    return _Entete(tuple(colonnes), libelles, largeur)


class _Verification:
    """Vérifie les lignes une à une, en gardant les contacts valides et tous les problèmes."""

    def __init__(self, entete: _Entete, codes_instances: Collection[str]) -> None:
        self.entete = entete
        self.codes = {code.casefold(): code for code in codes_instances}
        self.lignes: list[LigneContact] = []
        self.problemes: list[str] = []
        self._lignes_des_adresses: dict[str, int] = {}

    def verifier(self, numero: int, cellules: list[str]) -> None:
        if not any(cellule.strip() for cellule in cellules):
            return
        colonnes = self.entete.colonnes
        if len(cellules) > self.entete.largeur or any(c.strip() for c in cellules[len(colonnes) :]):
            self.problemes.append(
                f"ligne {numero} : {len(cellules)} cellules pour {len(colonnes)} colonnes d'en-tête ; "
                "une virgule ou un point-virgule sans guillemets autour décale sans doute les colonnes."
            )
            return
        avant = len(self.problemes)
        valeurs = dict.fromkeys(COLONNES, "")
        refusees: set[str] = set()
        for colonne, cellule in zip(colonnes, cellules, strict=False):
            texte = self._texte(numero, colonne, cellule)
            if texte is None:
                refusees.add(colonne)
            else:
                valeurs[colonne] = texte
        for colonne in COLONNES_OBLIGATOIRES:
            if not valeurs[colonne] and colonne not in refusees:
                self._signaler(numero, colonne, "la cellule est vide ; cette donnée est obligatoire.")
        civilite = self._civilite(numero, valeurs["civilite"])
        email = self._email(numero, valeurs["email"])
        instances = self._instances(numero, valeurs["instances"])
        secondaires = self._emails_secondaires(numero, valeurs["emails_secondaires"], email)
        if len(self.problemes) > avant or email is None:
            return
        self.lignes.append(
            LigneContact(
                numero_ligne=numero,
                civilite=civilite,
                prenom=valeurs["prenom"],
                nom=valeurs["nom"],
                fonction=valeurs["fonction"] or None,
                organisme=valeurs["organisme"] or None,
                email=email,
                telephone=valeurs["telephone"] or None,
                instances=instances,
                emails_secondaires=secondaires,
                colonnes=frozenset(colonnes),
            )
        )

    def _texte(self, numero: int, colonne: str, cellule: str) -> str | None:
        """La cellule sans espaces superflues ; None, avec le problème signalé, si elle est refusée."""
        if contient_controle(cellule):
            self._signaler(
                numero,
                colonne,
                f"la cellule contient {_nommer_controle(cellule)} ; gardez-la sur une seule ligne.",
            )
            return None
        texte = " ".join(cellule.split())
        limite = _LONGUEURS_MAX.get(colonne)
        if limite is not None and len(texte) > limite:
            self._signaler(numero, colonne, f"{len(texte)} caractères, {limite} au plus.")
            return None
        return texte

    def _signaler(self, numero: int, colonne: str, message: str) -> None:
        self.problemes.append(f"ligne {numero}, colonne « {self.entete.libelles[colonne]} » : {message}")

    def _civilite(self, numero: int, valeur: str) -> str | None:
        if not valeur:
            return None
        civilite = _CIVILITES.get(cle_de_comparaison(valeur).removesuffix("."))
        if civilite is None:
            self._signaler(
                numero,
                "civilite",
                f"« {valeur} » n'est pas une civilité reconnue ; écrivez M., Monsieur, Mme ou Madame, "
                "ou laissez la cellule vide.",
            )
        return civilite

    def _email(self, numero: int, valeur: str) -> str | None:
        if not valeur:
            return None
        try:
            email = validate_email(valeur, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            self._signaler(numero, "email", f"« {valeur} » n'est pas une adresse électronique valide.")
            return None
        premiere = self._lignes_des_adresses.setdefault(email, numero)
        if premiere != numero:
            self._signaler(
                numero,
                "email",
                f"l'adresse « {email} » figure déjà ligne {premiere} ; chaque personne ne doit apparaître qu'une fois.",
            )
            return None
        return email

    def _emails_secondaires(self, numero: int, valeur: str, principale: str | None) -> tuple[str, ...]:
        adresses: list[str] = []
        for brute in _SEPARATEURS_ADRESSES.split(valeur):
            if not brute:
                continue
            try:
                adresse = validate_email(brute, check_deliverability=False).normalized.lower()
            except EmailNotValidError:
                self._signaler(numero, "emails_secondaires", f"« {brute} » n'est pas une adresse électronique valide.")
                continue
            if adresse == principale or adresse in adresses:
                continue
            premiere = self._lignes_des_adresses.setdefault(adresse, numero)
            if premiere != numero:
                self._signaler(
                    numero,
                    "emails_secondaires",
                    f"l'adresse « {adresse} » figure déjà ligne {premiere} ; "
                    "une adresse n'appartient qu'à une personne.",
                )
                continue
            adresses.append(adresse)
        return tuple(adresses)

    def _instances(self, numero: int, valeur: str) -> tuple[str, ...]:
        demandees = [code.strip() for code in _SEPARATEURS_INSTANCES.split(valeur) if code.strip()]
        inconnues = [f"« {code} »" for code in demandees if code.casefold() not in self.codes]
        if inconnues:
            possibles = ", ".join(sorted(self.codes.values())) or "aucune"
            sujet = "les instances " if len(inconnues) > 1 else "l'instance "
            verbe = " n'existent pas" if len(inconnues) > 1 else " n'existe pas"
            self._signaler(
                numero,
                "instances",
                f"{sujet}{', '.join(inconnues)}{verbe} ; instances possibles : {possibles}.",
            )
            return ()
        return tuple(dict.fromkeys(self.codes[code.casefold()] for code in demandees))


def _nommer_controle(valeur: str) -> str:
    if "\n" in valeur or "\r" in valeur:
        return "un saut de ligne"
    if "\t" in valeur:
        return "une tabulation"
    return "un caractère de contrôle invisible"
