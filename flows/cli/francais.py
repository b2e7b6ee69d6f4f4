"""Mettre en français les textes que click écrit lui-même (aide, erreurs d'usage).

click appelle `_()` (gettext) au moment d'écrire : on remplace ce `_` dans ses modules par notre
traduction.
"""

from __future__ import annotations

import importlib

import click

TRADUCTIONS = {
    "Usage:": "Utilisation :",
    # click ajoute « : » aux titres ; l'espace donne la typographie française « Options : ».
    "Options": "Options ",
    "Arguments": "Arguments ",
    "Commands": "Commandes ",
    "Positional arguments": "Arguments ",
    "Error": "Erreur",
    "Error: {message}": "Erreur : {message}",
    "Aborted!": "Interrompu.",
    "Aborted.": "Interrompu.",
    "Show this message and exit.": "Affiche cette aide et s'arrête.",
    "Show the version and exit.": "Affiche la version et s'arrête.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Missing command.": "Il manque la sous-commande.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "No such option {name!r}.": "Option inconnue : {name}.",
    "No such command {name!r}.": "Commande inconnue : {name}.",
    "Invalid value for {param_hint}: {message}": "Valeur refusée pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur refusée : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Got unexpected extra argument ({args})": "Argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "Arguments en trop : {args}",
    "Option {name!r} requires an argument.": "L'option {name} attend une valeur.",
    "Option {name!r} requires {nargs} arguments.": "L'option {name} attend {nargs} valeurs.",
    "Option {name!r} does not take a value.": "L'option {name} ne prend pas de valeur.",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire l'une de : {possibilities} ?)",
    "{value!r} is not {choice}.": "« {value} » n'est pas {choice}.",
    "{value!r} is not one of {choices}.": "« {value} » n'est pas l'une des valeurs {choices}.",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} does not match the format {format}.": "« {value} » n'a pas le format {format}.",
    "{value!r} does not match the formats {formats}.": "« {value} » n'a aucun des formats {formats}.",
    "{name} {filename!r} does not exist.": "{name} « {filename} » n'existe pas.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » est un dossier.",
    "{name} {filename!r} is a file.": "{name} « {filename} » est un fichier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » ne peut pas être lu.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » ne peut pas être écrit.",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir « {filename} » : {message}",
    "file": "Le fichier",
    "directory": "Le dossier",
    "path": "Le chemin",
    "required": "obligatoire",
    "default: {default}": "par défaut : {default}",
    "[default: {}]": "[par défaut : {}]",
    "[required]": "[obligatoire]",
    "env var: {var}": "variable d'environnement : {var}",
    "[env var: {}]": "[variable d'environnement : {}]",
    "deprecated": "obsolète",
    "(deprecated) ": "(obsolète) ",
    "unknown error": "erreur inconnue",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
}

_MODULES_CLICK = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)

#: Les noms des types, qui servent aussi de libellés de valeur dans l'aide (TEXTE, ENTIER).
_NOMS_TYPES = {"STRING": "texte", "INT": "entier", "FLOAT": "nombre", "BOOL": "booléen", "UUID": "UUID"}


def traduire(message: str) -> str:
    return TRADUCTIONS.get(message, message)


def traduire_pluriel(singulier: str, pluriel: str, nombre: int) -> str:
    # En français, 0 et 1 prennent le singulier.
    return traduire(singulier if nombre <= 1 else pluriel)


def franciser_usage(commande: click.Command) -> None:
    """« COMMANDE [ARGUMENTS]... » dans la ligne d'utilisation de chaque groupe, récursivement."""
    if isinstance(commande, click.Group):
        commande.subcommand_metavar = "COMMANDE [ARGUMENTS]..."
        for sous_commande in commande.commands.values():
            franciser_usage(sous_commande)


def franciser() -> None:
    """À appeler avant de construire la commande : click et typer parleront français."""
    for nom in _MODULES_CLICK:
        module = importlib.import_module(nom)
        if hasattr(module, "_"):
            module._ = traduire  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = traduire_pluriel  # type: ignore[attr-defined]
    for constante, nom in _NOMS_TYPES.items():
        getattr(click, constante).name = nom
    click.types.IntParamType.name = "entier"
    click.types.FloatParamType.name = "nombre"
    click.Path.get_metavar = _metavar_chemin  # type: ignore[method-assign,assignment]
    click.Command.get_short_help_str = _resume_entier  # type: ignore[method-assign]


def _metavar_chemin(self: click.Path, param: click.Parameter, ctx: click.Context) -> str:
    """FICHIER, DOSSIER ou CHEMIN au lieu de FILE, DIRECTORY ou PATH."""
    if self.file_okay and not self.dir_okay:
        return "FICHIER"
    return "DOSSIER" if self.dir_okay and not self.file_okay else "CHEMIN"


_RESUME_D_ORIGINE = click.Command.get_short_help_str


def _resume_entier(self: click.Command, limit: int = 45) -> str:
    """La première phrase de l'aide en entier (l'aide de `ctg` la replie sur plusieurs lignes), jamais coupée
    par « ... » au milieu d'un mot comme le fait click au-delà de 45 caractères."""
    return _RESUME_D_ORIGINE(self, limit=10_000)
