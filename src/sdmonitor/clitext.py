"""Dutch texts for click's own messages: parser errors (unknown option, bad value, missing argument) and help.

click builds every message it shows from English message ids through ``gettext``; ``install`` points the
``_`` and ``ngettext`` names of click's modules at the tables below, so every click error a user can meet is
Dutch, in one place, without a catalogue file. A message id missing here stays English; a test runs the common
mistakes through the real command group and checks that no English comes out, and another checks that every
id below still exists in click (so an upgrade that rewords one is noticed).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

DUTCH: dict[str, str] = {
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "No such option {name!r}.": "Optie {name!r} bestaat niet.",
    "No such command {name!r}.": "Opdracht {name!r} bestaat niet.",
    "Missing command.": "Geef een opdracht.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende waarde",
    "Missing {param_type}": "Ontbrekende waarde",
    "Missing parameter: {param_name}": "Ontbrekende waarde: {param_name}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Option {name!r} does not take a value.": "Optie {name!r} krijgt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} krijgt {nargs} waarden.",
    "Invalid start character for option ({option})": "Ongeldig beginteken voor een optie ({option})",
    "Value must be an iterable.": "De waarde moet een reeks zijn.",
    "Could not open file {filename!r}: {message}": "Kan bestand {filename!r} niet openen: {message}",
    "unknown error": "onbekende fout",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig getal.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} is geen geldige ja/nee-waarde. Mogelijk: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "Aborted!": "Afgebroken.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Error: The two entered values do not match.": "Fout: de twee ingevoerde waarden zijn niet gelijk.",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
    "env var: {var}": "omgevingsvariabele: {var}",
    "default: {default}": "standaard: {default}",
    "(dynamic)": "(wisselend)",
    "required": "verplicht",
    "deprecated": "verouderd",
}

DUTCH_PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Bedoelt u {possibility}?",
        "(Bedoelt u een van: {possibilities}?)",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Onverwacht extra argument ({args})",
        "Onverwachte extra argumenten ({args})",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Optie {name!r} heeft een waarde nodig.",
        "Optie {name!r} heeft {nargs} waarden nodig.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Verwacht {nargs} waarden, maar kreeg er 1.",
        "Verwacht {nargs} waarden, maar kreeg er {len}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "{len_type} waarden nodig, maar kreeg er {len_value}.",
        "{len_type} waarden nodig, maar kreeg er {len_value}.",
    ),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): (
        "{value!r} past niet bij de vorm {format}.",
        "{value!r} past niet bij de vormen {formats}.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} is niet {choice}.",
        "{value!r} is niet een van {choices}.",
    ),
}

CLICK_MODULES = (
    "click.core",
    "click.parser",
    "click.exceptions",
    "click.types",
    "click.decorators",
    "click.formatting",
    "click.termui",
    "click.utils",
)


def gettext(message: str) -> str:
    """The Dutch text for one of click's message ids (the id itself when it has none)."""
    return DUTCH.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The Dutch singular or plural for one of click's message id pairs."""
    dutch = DUTCH_PLURALS.get((singular, plural), (singular, plural))
    return dutch[0] if count == 1 else dutch[1]


ARGUMENT_METAVARS = {"files": "BESTAND...", "file": "BESTAND", "out_dir": "MAP", "name": "NAAM"}
TYPE_METAVARS = {"text": "TEKST", "integer": "GETAL", "float": "GETAL", "boolean": "JA/NEE"}


def install() -> None:
    """Make click speak Dutch: point the gettext names of its modules at the tables above.

    One text is not a message id: an option's error hint names its environment variable as
    "(env var: ...)"; that hint is translated by wrapping ``Option.get_error_hint``. Safe to call twice.
    """
    option: Any = click.Option
    if not getattr(option.get_error_hint, "is_dutch", False):
        english = option.get_error_hint

        def get_error_hint(self: click.Option, ctx: click.Context | None) -> str:
            return str(english(self, ctx)).replace(" (env var: ", " (omgevingsvariabele: ")

        get_error_hint.is_dutch = True  # type: ignore[attr-defined]
        option.get_error_hint = get_error_hint
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def use_dutch_usage(command: click.Command) -> None:
    """Dutch placeholders in every usage line: ``Gebruik: sdm load allocations [OPTIES] BESTAND...``."""
    command.options_metavar = "[OPTIES]"
    for param in command.params:
        if isinstance(param, click.Argument) and param.metavar is None and param.name in ARGUMENT_METAVARS:
            param.metavar = ARGUMENT_METAVARS[param.name]
        elif isinstance(param, click.Option) and param.metavar is None and param.type.name in TYPE_METAVARS:
            param.metavar = TYPE_METAVARS[param.type.name]
    if isinstance(command, click.Group):
        command.subcommand_metavar = "OPDRACHT [ARGUMENTEN]..."
        for sub in command.commands.values():
            use_dutch_usage(sub)
