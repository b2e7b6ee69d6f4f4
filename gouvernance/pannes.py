"""Les pannes connues (base de données, disque, serveur PostgreSQL), traduites en erreurs françaises.

Une exception de SQLAlchemy, de sqlite3, de psycopg ou du système (OSError) dont on reconnaît la cause
devient une `ErreurCTG` qui dit quoi faire ; les autres restent « inattendues » (journalisées, avec une
référence). SQLAlchemy et psycopg ne sont pas importés ici : on lit les attributs des exceptions reçues.
"""

from __future__ import annotations

import errno
import shlex
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from gouvernance.erreurs import (
    BaseEndommagee,
    BaseEnLectureSeule,
    BaseInjoignable,
    BaseVerrouillee,
    DisquePlein,
    DonneesInvalides,
    ErreurCTG,
    ErreurDisque,
)
from gouvernance.reglages import Reglages
from gouvernance.sauvegarde import derniere_sauvegarde

#: En dessous de cette place libre, une erreur d'entrée-sortie de SQLite vient d'un disque plein.
PLACE_MINIMALE = 1024 * 1024


def expliquer_panne(erreur: BaseException, reglages: Reglages) -> ErreurCTG | None:
    """L'erreur française qui correspond à `erreur` ou à l'une de ses causes ; None si la cause est inconnue."""
    for cause in _causes(erreur):
        if isinstance(cause, sqlite3.Error):
            explication = _expliquer_sqlite(cause, reglages)
        elif isinstance(cause, OSError):
            explication = _expliquer_systeme(cause, reglages)
        elif type(cause).__module__.startswith("psycopg"):
            explication = _expliquer_postgresql(cause, reglages)
        elif isinstance(cause, ValueError) and type(cause).__module__.startswith("pydantic"):
            explication = _expliquer_validation(cause)
        else:
            continue
        if explication is not None:
            return explication
    return None


def _causes(erreur: BaseException) -> Iterator[BaseException]:
    """L'erreur, l'exception du pilote qu'enveloppe SQLAlchemy (`orig`), puis ses causes, sans boucle."""
    vues: set[int] = set()
    a_voir: list[BaseException] = [erreur]
    while a_voir:
        courante = a_voir.pop(0)
        if id(courante) in vues:
            continue
        vues.add(id(courante))
        yield courante
        for suivante in (getattr(courante, "orig", None), courante.__cause__, courante.__context__):
            if isinstance(suivante, BaseException):
                a_voir.append(suivante)


def _expliquer_sqlite(erreur: sqlite3.Error, reglages: Reglages) -> ErreurCTG | None:
    nom = getattr(erreur, "sqlite_errorname", "") or ""
    texte = str(erreur).lower()
    for noms, signes, expliquer in _FAMILLES_SQLITE:
        if nom.startswith(noms) or any(signe in texte for signe in signes):
            return expliquer(reglages)
    return None


def _lecture_seule(reglages: Reglages) -> ErreurCTG:
    return BaseEnLectureSeule(
        f"La base de données {_fichier_base(reglages)} est en lecture seule : rien n'a été enregistré. Donnez le "
        f"droit d'écriture sur ce fichier et sur son dossier {_dossier(reglages)} (les fichiers -wal et -shm y "
        "sont créés), ou vérifiez que le disque n'est pas monté en lecture seule, puis relancez la commande."
    )


def _verrouillee(reglages: Reglages) -> ErreurCTG:
    return BaseVerrouillee(
        f"La base de données {_fichier_base(reglages)} est verrouillée par une autre commande ctg, un flux ou "
        "l'application web, depuis plus de 10 secondes. Réessayez dans un instant ; si cela dure, arrêtez les "
        "commandes ctg en cours."
    )


def _entree_sortie(reglages: Reglages) -> ErreurCTG:
    # Disque plein, SQLite ne répond pas toujours SQLITE_FULL : agrandir le fichier -shm (mémoire partagée du
    # journal WAL) échoue en SQLITE_IOERR_SHMSIZE, même pour une simple lecture. On regarde donc la place libre.
    fichier = _fichier_base(reglages)
    if _presque_plein(_dossier(reglages)):
        return DisquePlein(_message_disque_plein(fichier))
    return ErreurDisque(_message_erreur_disque(fichier))


def _presque_plein(dossier: Path) -> bool:
    try:
        return shutil.disk_usage(dossier).free < PLACE_MINIMALE
    except OSError:
        return False


def _introuvable(reglages: Reglages) -> ErreurCTG:
    return BaseEnLectureSeule(
        f"La base de données {_fichier_base(reglages)} ne peut pas être ouverte : le fichier ou son dossier "
        f"{_dossier(reglages)} n'est pas accessible (droits, disque démonté ?). Vérifiez-les, ou réglez "
        "CTG_HOME sur le dossier de vos données."
    )


#: Pour chaque panne SQLite : ses noms d'erreur (`sqlite_errorname`, suffixe étendu compris), les mots de son
#: message, et l'erreur française. L'ordre compte : « readonly » avant « unable to open ».
_FAMILLES_SQLITE: tuple[tuple[tuple[str, ...], tuple[str, ...], Callable[[Reglages], ErreurCTG]], ...] = (
    (("SQLITE_READONLY",), ("readonly database",), _lecture_seule),
    (
        ("SQLITE_CORRUPT", "SQLITE_NOTADB"),
        ("malformed", "not a database"),
        lambda reglages: BaseEndommagee(message_base_endommagee(reglages)),
    ),
    (("SQLITE_FULL",), ("database or disk is full",), lambda r: DisquePlein(_message_disque_plein(_fichier_base(r)))),
    (("SQLITE_IOERR",), ("disk i/o error",), _entree_sortie),
    (("SQLITE_BUSY", "SQLITE_LOCKED"), ("database is locked", "table is locked"), _verrouillee),
    (("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"), ("unable to open database",), _introuvable),
)


def _expliquer_systeme(erreur: OSError, reglages: Reglages) -> ErreurCTG | None:
    fichier = erreur.filename or reglages.dossier
    if erreur.errno in (errno.ENOSPC, errno.EDQUOT):
        return DisquePlein(_message_disque_plein(fichier))
    if erreur.errno == errno.EFBIG:
        return DisquePlein(
            f"Le fichier {fichier} a atteint la taille maximale permise sur ce système : rien n'a été enregistré "
            "au-delà. Demandez à votre service informatique de lever la limite (quota, ulimit -f), puis relancez."
        )
    if erreur.errno == errno.EROFS:
        return BaseEnLectureSeule(
            f"Le disque de {fichier} est monté en lecture seule : rien n'a pu y être écrit. Faites-le remonter "
            "en lecture et écriture (ou réglez CTG_HOME sur un autre dossier), puis relancez la commande."
        )
    if erreur.errno in (errno.EACCES, errno.EPERM):
        return BaseEnLectureSeule(
            f"Accès refusé à {fichier} : le compte qui lance ctg n'a pas le droit d'y écrire ou de le lire. "
            "Corrigez les droits (ou réglez CTG_HOME sur un dossier à vous), puis relancez la commande."
        )
    if erreur.errno == errno.EIO:
        return ErreurDisque(_message_erreur_disque(fichier))
    return None


def _expliquer_postgresql(erreur: BaseException, reglages: Reglages) -> ErreurCTG | None:
    texte = str(erreur)
    minuscules = texte.lower()
    code = getattr(erreur, "sqlstate", None)
    adresse = _adresse(reglages)
    utilisateur_refuse = "authentication failed" in minuscules or (
        'role "' in minuscules and "does not exist" in minuscules
    )
    if code in ("28P01", "28000") or utilisateur_refuse:
        return BaseInjoignable(
            f"Le serveur PostgreSQL ({adresse}) refuse l'utilisateur ou le mot de passe de CTG_DATABASE_URL. "
            "Corrigez-les (ou le fichier pg_hba.conf du serveur), puis relancez la commande."
        )
    if code == "3D000" or ('database "' in minuscules and "does not exist" in minuscules):
        return BaseInjoignable(
            f"La base désignée par CTG_DATABASE_URL ({adresse}) n'existe pas sur le serveur PostgreSQL. "
            "Créez-la (createdb NOM, par votre administrateur) puis lancez `ctg init`, ou corrigez le nom."
        )
    if any(
        signe in minuscules
        for signe in ("connection refused", "could not connect", "connection failed", "timeout expired")
    ) or ("could not translate host name" in minuscules or "name or service not known" in minuscules):
        return BaseInjoignable(
            f"Le serveur PostgreSQL ({adresse}) ne répond pas. Vérifiez qu'il est démarré et joignable depuis "
            "cette machine, et l'adresse et le port de CTG_DATABASE_URL, puis relancez la commande."
        )
    return None


def _expliquer_validation(erreur: ValueError) -> ErreurCTG:
    """Une saisie refusée par un modèle pydantic qu'une commande n'a pas traduit elle-même."""
    from pydantic import ValidationError

    from gouvernance.reunions.demande import decrire_option

    details = (
        [decrire_option(p) for p in erreur.errors(include_url=False)] if isinstance(erreur, ValidationError) else []
    )
    return DonneesInvalides(
        "La saisie est refusée : rien n'a été enregistré. Corrigez ceci puis relancez :", details=details
    )


def message_base_endommagee(reglages: Reglages) -> str:
    """Que faire d'une base SQLite abîmée : la mettre de côté, puis restaurer la dernière sauvegarde."""
    fichier = _fichier_base(reglages)
    derniere = derniere_sauvegarde(reglages)
    restaurer = (
        f"puis restaurez la dernière sauvegarde : {shlex.join(['cp', str(derniere), fichier])}"
        if derniere is not None
        else f"puis restaurez votre dernière sauvegarde à sa place (aucune dans {reglages.dossier / 'sauvegardes'})"
    )
    de_cote = shlex.join(["mv", fichier, f"{fichier}.abimee"])
    annexes = shlex.join(["rm", "-f", f"{fichier}-wal", f"{fichier}-shm"])
    return (
        f"La base de données {fichier} est endommagée (le fichier n'est plus une base SQLite lisible). "
        f"N'écrivez plus dedans : mettez-la de côté avec ses fichiers -wal et -shm ({de_cote} ; {annexes}), "
        f"{restaurer}. Les sauvegardes sont faites par `ctg sauvegarder` et par `ctg migrer`."
    )


def _message_disque_plein(fichier: object) -> str:
    return (
        f"Le disque est plein ({fichier}) : l'opération a été abandonnée et rien n'a été enregistré. Libérez de "
        "la place (anciens documents, sauvegardes, corbeille), puis relancez la commande."
    )


def _message_erreur_disque(fichier: object) -> str:
    return (
        f"Le disque ne répond pas correctement (erreur d'entrée-sortie sur {fichier}) : l'opération a été "
        "abandonnée. Le disque est peut-être défaillant ou déconnecté (clé USB, partage réseau) : vérifiez-le, "
        "faites une copie de vos données (`ctg sauvegarder`) dès qu'il répond, puis relancez la commande."
    )


def _fichier_base(reglages: Reglages) -> str:
    chemin = reglages.chemin_sqlite
    return str(chemin) if chemin is not None else _adresse(reglages)


def _dossier(reglages: Reglages) -> Path:
    chemin = reglages.chemin_sqlite
    return chemin.parent if chemin is not None else reglages.dossier


def _adresse(reglages: Reglages) -> str:
    from gouvernance.base_donnees import moteur_sans_mot_de_passe

    return moteur_sans_mot_de_passe(reglages.url_base)
