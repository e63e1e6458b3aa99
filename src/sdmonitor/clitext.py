"""Dutch texts for click's own messages: parser errors (unknown option, bad value, missing argument) and help.

click builds every message it shows from English message ids through ``gettext``; ``install`` points the
``_`` and ``ngettext`` names of click's modules at the tables below, so every click error a user can meet is
Dutch, in one place, without a catalogue file. A message id missing here stays English; a test runs the common
mistakes through the real command group and checks that no English comes out, and another checks that every
id below still exists in click (so an upgrade that rewords one is noticed).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import click
from click.core import ParameterSource

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


# What every choice of an option means (``click.Choice``): named beside the value in the error for a value
# that is none of them, so a user sees that 'month' is the word for maand. Every choice of every option of
# sdm is here (a test checks it); a new option with choices adds its values.
CHOICE_WORDS: dict[str, str] = {
    "month": "maand",
    "quarter": "kwartaal",
    "half": "halfjaar",
    "year": "jaar",
    "table": "tabel op het scherm",
    "csv": "CSV-bestand",
    "json": "JSON",
    "xlsx": "Excel-bestand",
    "parquet": "Parquet-bestand",
    "budget_line": "per begrotingspost",
    "provider": "per aanbieder",
    "viewer": "kijker",
    "analyst": "analist",
    "admin": "beheerder",
}
# Dutch (or other) words a user may type for a choice: the error asks 'Bedoelt u ...?'.
CHOICE_ALIASES: dict[str, str] = {
    "maand": "month",
    "maanden": "month",
    "kwartaal": "quarter",
    "halfjaar": "half",
    "half jaar": "half",
    "halfyear": "half",
    "jaar": "year",
    "tabel": "table",
    "excel": "xlsx",
    "xls": "xlsx",
    "begrotingspost": "budget_line",
    "aanbieder": "provider",
    "kijker": "viewer",
    "analist": "analyst",
    "beheerder": "admin",
}
# Advice for wrong values that are a wish sdm does not offer: option -> (values, advice).
_PER_WEEK = (
    "week", "weeks", "weekly", "weken", "wekelijks", "wk", "w", "isoweek",
    "dag", "dagen", "dagelijks", "day", "days", "daily", "d",
)  # fmt: skip
CHOICE_ADVICE: dict[str, tuple[tuple[str, ...], str]] = {
    "--grain": (
        _PER_WEEK,
        "Weken en dagen biedt sdm niet als periode: de cijfers volgen de perioden van de planning-en-"
        "controlcyclus, CBS en de BBV-indicatoren (maand, kwartaal, halfjaar, jaar), en een week past niet in "
        "één maand of jaar (week 1 van 2025 begint op 30-12-2024). Gebruik --grain month voor de kleinste "
        "periode, of --on met een datum (herhaalbaar: --on 2024-06-03 --on 2024-06-10) voor de stand op "
        "gekozen dagen bij de cijfers op een peildatum, zoals stock, benefits en waiting_list.",
    ),
    "--format": (
        ("pdf", "html", "docx", "word"),
        "Een PDF- of HTML-rapport maakt 'sdm report halfyear'; kies hier xlsx voor Excel.",
    ),
}


def choice_message(value: object, choices: Sequence[str], option: str | None) -> str:
    """The Dutch error for ``value`` that is none of ``choices`` of ``option`` (its flag, '--grain'): the
    choices with their meaning, the choice meant where the value is a Dutch word or differs only in case, and
    the advice of ``CHOICE_ADVICE`` where the value asks for something sdm does not offer."""
    named = [f"{c} ({CHOICE_WORDS[c]})" if c in CHOICE_WORDS else c for c in choices]
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} of {named[-1]}"
    text = f"'{value}' is geen van de keuzes; kies {listed}."
    typed = str(value).strip().lower()
    meant = typed if typed in choices else CHOICE_ALIASES.get(typed)
    if meant in choices:
        text += f" Bedoelt u '{meant}'?"
        text += (
            " Schrijf de keuze in kleine letters." if typed == meant else " De keuzes zijn Engelse woorden."
        )
    values, advice = CHOICE_ADVICE.get(option or "", ((), ""))
    if typed in values:
        text += " " + advice
    return text


ARGUMENT_METAVARS = {"files": "BESTAND...", "file": "BESTAND", "out_dir": "MAP", "name": "NAAM"}
TYPE_METAVARS = {"text": "TEKST", "integer": "GETAL", "float": "GETAL", "boolean": "JA/NEE"}


def install() -> None:
    """Make click speak Dutch: point the gettext names of its modules at the tables above.

    Two texts are not message ids. An option's error hint names its environment variable as "(env var: ...)":
    ``_error_hint`` replaces ``Option.get_error_hint`` and names the variable only where the value came from it
    or may come from it. A value that is none of an option's choices gets ``choice_message`` (the choices
    with their meaning, and advice) through a wrapper of ``Choice.convert``. Safe to call twice.
    """
    option: Any = click.Option
    if not getattr(option.get_error_hint, "is_dutch", False):
        option.get_error_hint = _error_hint
    choice: Any = click.Choice
    if not getattr(choice.convert, "is_dutch", False):
        english_convert = choice.convert

        def convert(self: click.Choice[Any], value: Any, param: Any, ctx: click.Context | None) -> Any:
            try:
                return english_convert(self, value, param, ctx)
            except click.BadParameter:  # the one error of Choice.convert: a value that is none of the choices
                flag = param.opts[0] if isinstance(param, click.Option) and param.opts else None
                choices = [str(getattr(c, "value", c)) for c in self.choices]
                raise click.BadParameter(choice_message(value, choices, flag), ctx=ctx, param=param) from None

        convert.is_dutch = True  # type: ignore[attr-defined]
        choice.convert = convert
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def _error_hint(self: click.Option, ctx: click.Context | None) -> str:
    """Which option an error is about: '--grain'; with "(uit omgevingsvariabele 'SDM_GRAIN')" when the value
    came from that variable, and "(omgevingsvariabele: 'SDM_GRAIN')" when no value was given (it may be set
    there); a value typed on the command line needs no variable named."""
    hint = click.Parameter.get_error_hint(self, ctx)
    if not (self.show_envvar and self.envvar):
        return hint
    names = ", ".join(
        f"'{name}'" for name in ([self.envvar] if isinstance(self.envvar, str) else self.envvar)
    )
    source = ctx.get_parameter_source(self.name) if ctx is not None and self.name else None
    if source is ParameterSource.COMMANDLINE:
        return hint
    if source is ParameterSource.ENVIRONMENT:
        return f"{hint} (uit omgevingsvariabele {names})"
    return f"{hint} (omgevingsvariabele: {names})"


_error_hint.is_dutch = True  # type: ignore[attr-defined]


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
