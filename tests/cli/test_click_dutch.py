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
        (["metric", "clients", "--grain", "banaan"], "'banaan' is niet een van"),
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
