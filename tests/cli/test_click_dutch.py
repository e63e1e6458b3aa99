"""Every error a user can meet is Dutch, also click's own parser errors and help texts."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sdmonitor import clitext
from sdmonitor.cli import cli

ENGLISH = re.compile(
    r"Usage|Error|Try |No such|Invalid|Missing|env var|is not|not one of|Options|Commands|Show this|"
    r"OPTIONS|COMMAND|ARGS|requires|does not|unexpected|Did you mean|\bTEXT\b|\bINTEGER\b|\bNAME\b|\bFILES?\b"
)


@pytest.mark.parametrize(
    ("args", "dutch"),
    [
        (["--nope"], "Optie '--nope' bestaat niet"),
        (["nope"], "Opdracht 'nope' bestaat niet"),
        (["metric", "clients", "--grain", "banaan"], "'banaan' is geen van de keuzes; kies month (maand)"),
        (["metric"], "Ontbrekend argument 'NAAM'"),
        (["load", "allocations"], "Ontbrekend argument 'BESTAND...'"),
        (["--db"], "Optie '--db' heeft een waarde nodig"),
        (["init", "extra"], "Onverwacht extra argument (extra)"),
        (["load", "allocations", "--strict=ja", "x.csv"], "krijgt geen waarde"),
    ],
)
def test_click_parser_errors_are_dutch(tmp_path: Path, args: list[str], dutch: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "w.duckdb"), *args] if args != ["--db"] else args
    )
    assert result.exit_code == 2
    assert dutch in result.output
    assert result.output.count("Fout: ") == 1
    assert ENGLISH.findall(result.output) == []


@pytest.mark.parametrize("args", [["--help"], ["load", "allocations", "--help"], ["metric", "--help"]])
def test_help_texts_have_dutch_headings_and_placeholders(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert "Gebruik:" in result.output and "Opties:" in result.output
    assert "Toon deze hulp en stop." in result.output
    assert ENGLISH.findall(result.output) == []


def test_every_translated_message_id_still_exists_in_click() -> None:
    """An upgrade of click that rewords a message would silently bring English back."""
    sources = "".join(
        Path(module.__file__ or "").read_text(encoding="utf-8")
        for module in (
            click.core,
            click.parser,
            click.exceptions,
            click.types,
            click.formatting,
            click.termui,
            click.decorators,
            click.utils,
        )
    )
    ids = [*clitext.DUTCH, *(text for pair in clitext.DUTCH_PLURALS for text in pair)]
    flat = sources.replace('"\n', "").replace("\\n", "\n").replace("\\t", "\t")
    missing = [i for i in ids if i not in flat and i not in sources]
    assert missing == []


def _choice_options(
    command: click.Command, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str, list[str]]]:
    """(command path, option flag, choices) of every option with choices of ``command`` and its subcommands."""
    found = [
        (path, param.opts[0], [str(c) for c in param.type.choices])
        for param in command.params
        if isinstance(param, click.Option) and isinstance(param.type, click.Choice)
    ]
    for name, sub in getattr(command, "commands", {}).items():
        found += _choice_options(sub, (*path, name))
    return found


CHOICE_OPTIONS = _choice_options(cli)


def test_every_choice_of_every_option_has_its_dutch_meaning() -> None:
    assert {flag for _, flag, _ in CHOICE_OPTIONS} >= {"--grain", "--format", "--by", "--role"}
    assert [c for _, _, choices in CHOICE_OPTIONS for c in choices if c not in clitext.CHOICE_WORDS] == []


@pytest.mark.parametrize(
    ("path", "flag", "choices"), CHOICE_OPTIONS, ids=lambda v: "-".join(v) if isinstance(v, tuple) else v
)
def test_a_value_that_is_no_choice_names_every_choice_with_its_meaning_in_dutch(
    tmp_path: Path, path: tuple[str, ...], flag: str, choices: list[str]
) -> None:
    """Through the real command group: the bad value comes first, so it is the error, whatever else is missing."""
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "w.duckdb"), *path, flag, "banaan"])
    assert result.exit_code == 2
    error = result.output.split("Fout: ", 1)[1]
    assert error.startswith(f"Ongeldige waarde voor '{flag}': 'banaan' is geen van de keuzes; kies ")
    assert all(f"{c} ({clitext.CHOICE_WORDS[c]})" in error for c in choices)
    assert f" of {choices[-1]} (" in error
    assert "omgevingsvariabele" not in error  # typed on the command line: no variable to name
    assert ENGLISH.findall(result.output) == []


def test_grain_week_says_weeks_are_not_offered_why_and_what_to_use_instead(tmp_path: Path) -> None:
    for week in ("week", "Weken", "day"):
        result = CliRunner().invoke(
            cli, ["--db", str(tmp_path / "w.duckdb"), "metric", "stock", "--grain", week]
        )
        assert result.exit_code == 2
        error = " ".join(result.output.split("Fout: ", 1)[1].split())  # rich may wrap
        assert error.startswith(
            f"Ongeldige waarde voor '--grain': '{week}' is geen van de keuzes; kies month (maand), "
            "quarter (kwartaal), half (halfjaar) of year (jaar). Weken en dagen biedt sdm niet als periode"
        )
        assert "week 1 van 2025 begint op 30-12-2024" in error  # why: a week crosses months and years
        assert "Gebruik --grain month" in error and "--on 2024-06-03 --on 2024-06-10" in error
        assert ENGLISH.findall(result.output) == []


@pytest.mark.parametrize(
    ("args", "advice"),
    [
        (["metric", "stock", "--grain", "maand"], "Bedoelt u 'month'? De keuzes zijn Engelse woorden."),
        (["metric", "stock", "--grain", "Year"], "Bedoelt u 'year'? Schrijf de keuze in kleine letters."),
        (["metric", "stock", "--format", "excel"], "Bedoelt u 'xlsx'?"),
        (["metric", "stock", "--format", "pdf"], "Een PDF- of HTML-rapport maakt 'sdm report halfyear'"),
        (["forecast", "--by", "aanbieder"], "Bedoelt u 'provider'?"),
        (["user", "add", "--role", "beheerder"], "Bedoelt u 'admin'?"),
    ],
)
def test_a_dutch_word_or_a_wish_gets_the_choice_meant(tmp_path: Path, args: list[str], advice: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "w.duckdb"), *args])
    assert result.exit_code == 2
    assert advice in " ".join(result.output.split())
    assert "Weken" not in result.output  # the week advice only where weeks were asked for
    assert ENGLISH.findall(result.output) == []


def test_a_bad_choice_from_its_environment_variable_says_it_came_from_there(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "w.duckdb"), "metric", "stock"], env={"SDM_GRAIN": "week"}
    )
    assert result.exit_code == 2
    assert "Ongeldige waarde voor '--grain' (uit omgevingsvariabele 'SDM_GRAIN'): 'week'" in result.output
    missing = CliRunner().invoke(cli, ["--db", str(tmp_path / "w.duckdb"), "report", "diff"])
    assert "Ontbrekende optie '--period' (omgevingsvariabele: 'SDM_PERIOD')" in missing.output


def test_the_choice_error_of_the_installed_program_is_dutch(tmp_path: Path) -> None:
    """The real ``sdm`` (its entry point ``main``), as a user runs it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "from sdmonitor.cli import main; main()", "--db", str(tmp_path / "w.duckdb"),
         "metric", "benefits", "--grain", "week"],
        capture_output=True, text=True, env={"PATH": "", "COLUMNS": "300"}, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Fout: Ongeldige waarde voor '--grain': 'week' is geen van de keuzes" in done.stderr
    assert "Weken en dagen biedt sdm niet als periode" in done.stderr
    assert ENGLISH.findall(done.stderr) == []
