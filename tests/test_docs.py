"""The documentation names every reason code and every command, so it cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

import click

from sdmonitor.cli import cli
from sdmonitor.ingest.validate import RULES

DOCS = Path(__file__).parent.parent / "docs"


def test_every_reason_code_is_documented() -> None:
    text = (DOCS / "loading.md").read_text(encoding="utf-8")
    assert [code for code in RULES if f"`{code}`" not in text] == []


def test_every_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")

    def names(group: click.Group, prefix: str) -> list[str]:
        found = []
        for name, command in group.commands.items():
            found.append(f"{prefix}{name}")
            if isinstance(command, click.Group):
                found.extend(names(command, f"{prefix}{name} "))
        return found

    assert [n for n in names(cli, "sdm ") if f"`{n}" not in text] == []


def test_every_metric_is_defined_in_the_metrics_doc() -> None:
    from sdmonitor.metrics import CATALOGUE

    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    assert [name for name in CATALOGUE if f"`{name}`" not in text and f"## {name}" not in text] == []
    for metric in CATALOGUE.values():
        assert [m for m in metric.measures if f"`{m}`" not in text] == [], metric.name
