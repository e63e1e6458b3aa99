"""The documentation names every reason code and every command, so it cannot drift from the code."""

from __future__ import annotations

import tomllib
from pathlib import Path

import click

from sdmonitor.cli import cli
from sdmonitor.domain.rules import RULES

DOCS = Path(__file__).parent.parent / "docs"


def test_every_reason_code_is_documented() -> None:
    text = (DOCS / "loading.md").read_text(encoding="utf-8")
    assert [code for code in RULES if f"`{code}`" not in text] == []


def test_the_architecture_names_every_import_contract_and_ignored_import() -> None:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    config = tomllib.loads((DOCS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert [c["id"] for c in contracts if f"`{c['id']}`" not in text] == []
    ignored = [i.split(" -> ") for c in contracts for i in c.get("ignore_imports", [])]
    paths = [[name.removeprefix("sdmonitor.").replace(".", "/") + ".py" for name in pair] for pair in ignored]
    assert ignored and [pair for pair in paths if not all(f"`{p}`" in text for p in pair)] == []


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


def declared_rows() -> list[str]:
    """The rows of the three tables of docs/metrics.md, "Declarations", as the catalogue declares them."""
    from sdmonitor.metrics import CATALOGUE, MEASURES, OPTIONS, Kind
    from sdmonitor.metrics.dimensions import STANDARD_BY

    def names(columns: tuple[str, ...]) -> str:
        return ", ".join(f"`{c}`" for c in columns)

    rows = []
    for metric in CATALOGUE.values():
        extra = tuple(c for c in metric.by if c not in STANDARD_BY)
        by = "none" if not metric.by else "all" + (f" + {names(extra)}" if extra else "")
        if metric.by and not set(STANDARD_BY) <= set(metric.by):  # costs: its own list
            by = names(metric.by)
        options = ", ".join(f"`{o.flag}`" for o in metric.declared_options) or "-"
        rows.append(f"| `{metric.name}` | {metric.label} | {names(metric.measures)} | {by} | {options} |")
    for o in OPTIONS.values():
        looks_back = f"`{o.looks_back.__name__}`" if o.looks_back else "-"
        rows.append(
            f"| `{o.flag}` | {o.value_type.__name__} | {o.default} | `{o.envvar}` | {'yes' if o.scope else 'no'} "
            f"| {looks_back} | {o.help} |"
        )
    for m in MEASURES.values():
        kind = m.kind.name.lower()
        if m.of:
            kind += f": `{m.of[0]}` {'-' if m.kind is Kind.DIFFERENCE else '/'} `{m.of[1]}`"
        hidden = {Kind.COUNT: "itself" + "".join(f", `{c}`" for c in m.from_counts), Kind.KEY: "-"}.get(
            m.kind
        )
        hidden = hidden or (names(m.derived_from) if m.derived_from else "any count of its row")
        rows.append(f"| `{m.name}` | {m.label} | {kind} | {m.decimals} | {hidden} |")
    return rows


def test_the_metrics_doc_lists_every_declaration_with_its_label() -> None:
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    missing = [row for row in declared_rows() if row not in text.splitlines()]
    assert missing == [], "docs/metrics.md, Declarations, should have these rows:\n" + "\n".join(missing)
