"""Editions: every report run is stored; a later edition lists the figures that changed and the load that
changed each; an old edition is rebuilt exactly with --as-of."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from pathlib import Path

from sdmonitor.domain.periods import Grain
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports.editions import Edition, NewEdition, list_editions
from sdmonitor.reports.run import make_report
from sdmonitor.reports.template import Section, Template
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.editions import EditionFacts, EditionRecord, EditionRow, NewEditionRecord
from tests.builders import allocation, write_csv
from tests.cli.test_cli import sdm

TEMPLATE = Template(
    "test", "Testrapport", Grain.HALF, 2, 5.0,
    (Section("wetten", "Cliënten per wet", "clients", by=("law",), periods="report"),),
    source_hash="t1",
)  # fmt: skip

WMO = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(10)]
JW = [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-02-01")
      for i in range(8)]  # fmt: skip


def load(warehouse: Warehouse, path: Path, rows: list[dict[str, str | None]], now: datetime) -> int:
    return load_allocations(warehouse, write_csv(path, rows), LoadOptions(), now=now).load_id


def report(warehouse: Warehouse, out: Path, now: datetime, as_of: datetime | None = None):  # type: ignore[no-untyped-def]
    return make_report(warehouse, TEMPLATE, "2018-H1", out, now=now, as_of=as_of).edition


def test_an_editions_facts_are_declared_once_for_every_form_of_it() -> None:
    facts = {f.name for f in fields(EditionFacts)}
    assert {"template", "period", "number", "data_moment", "figures_hash", "min_count", "rounded"} <= facts
    forms = (EditionRow, EditionRecord, NewEditionRecord, Edition, NewEdition)
    assert all(issubclass(form, EditionFacts) for form in forms)
    assert {form.__name__: facts & set(form.__annotations__) for form in forms} == {
        f.__name__: set() for f in forms
    }
    assert {f.name for f in fields(EditionRecord)} - facts == {
        "edition_id",
        "previous_id",
        "revision",
        "files",
    }


def test_a_later_edition_lists_each_changed_figure_with_the_load_that_changed_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, tmp_path / "a.csv", WMO + JW, datetime(2018, 7, 2, 9, 0))
    first = report(warehouse, tmp_path / "out", datetime(2018, 7, 3, 10, 0))
    assert first.number == 1 and first.previous_id is None and first.data_moment == datetime(2018, 7, 2, 9, 0)

    # the second export knows two more Wmo clients
    late = [allocation(f"w{i}", client=f"W{i}", start="2018-03-01") for i in (10, 11)]
    second_load = load(warehouse, tmp_path / "b.csv", WMO + JW + late, datetime(2018, 8, 1, 9, 0))
    # and the third one two more Jeugdwet clients
    later = [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-05-01")
             for i in (8, 9)]  # fmt: skip
    third_load = load(warehouse, tmp_path / "c.csv", WMO + JW + late + later, datetime(2018, 9, 1, 9, 0))
    second = report(warehouse, tmp_path / "out", datetime(2018, 9, 2, 10, 0))

    assert second.number == 2 and second.previous_id == first.edition_id
    changes = {c.label: (c.old_text, c.new_text, c.loads) for c in second.revision.changes}
    assert changes == {
        "Cliënten per wet: 2018-H1 · Wmo, Cliënten": ("10", "12", (second_load,)),
        "Cliënten per wet: 2018-H1 · Jeugdwet, Cliënten": ("8", "10", (third_load,)),
    }
    assert second.figures_hash != first.figures_hash
    html = (tmp_path / "out" / "test-2018-H1.html").read_text(encoding="utf-8")
    assert "herziening van editie 1" in html and f"laadactie {second_load} (b.csv" in html


def test_an_old_edition_is_rebuilt_exactly_with_its_as_of_moment(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, tmp_path / "a.csv", WMO + JW, datetime(2018, 7, 2, 9, 0))
    first = report(warehouse, tmp_path / "out", datetime(2018, 7, 3, 10, 0))
    moved = allocation("j7", client="J7", law="JW", category="45", birth="2010-01-01", start="2018-08-01")
    load(warehouse, tmp_path / "b.csv", WMO + JW[:-1] + [moved], datetime(2018, 7, 2, 15, 30))  # same day
    assert first.reproduce_as_of == "2018-07-02T09:00:00"
    again = report(warehouse, tmp_path / "again", datetime(2018, 8, 1), as_of=datetime(2018, 7, 2, 9, 0))
    assert again.figures_hash == first.figures_hash
    assert again.previous_id == first.edition_id and not again.revision.changes
    newest = report(warehouse, tmp_path / "new", datetime(2018, 8, 1))
    assert newest.figures_hash != first.figures_hash
    assert [e.number for e in list_editions(warehouse, "test", "2018-H1")] == [3, 2, 1]


def test_a_change_of_a_hidden_figure_is_counted_but_not_shown(warehouse: Warehouse, tmp_path: Path) -> None:
    few = [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-02-01")
           for i in range(3)]  # fmt: skip
    load(warehouse, tmp_path / "a.csv", WMO + few, datetime(2018, 7, 2))
    report(warehouse, tmp_path / "out", datetime(2018, 7, 3))
    gone = allocation("j2", client="J2", law="JW", category="45", birth="2010-01-01", start="2018-08-01")
    load(warehouse, tmp_path / "b.csv", WMO + few[:2] + [gone], datetime(2018, 8, 1))
    second = report(warehouse, tmp_path / "out", datetime(2018, 8, 2))
    assert second.revision.changes == () and second.revision.hidden_changes == 1


def test_report_diff_prints_the_changed_figures(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", WMO + JW)
    second = write_csv(tmp_path / "b.csv", WMO + JW + [allocation("w10", client="W10", start="2018-03-01")])
    out = str(tmp_path / "out")
    assert sdm("load", "allocations", str(first), "--known-on", "2018-07-02", cwd=tmp_path).returncode == 0
    made = sdm("report", "halfyear", "--period", "2018-H1", "--out", out, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "Editie 1 van halfjaar 2018-H1" in made.stdout and "--as-of 2018-07-02T00:00:00" in made.stdout
    assert sdm("load", "allocations", str(second), "--known-on", "2018-08-01", cwd=tmp_path).returncode == 0
    again = sdm("report", "halfyear", "--period", "2018-H1", "--out", out, cwd=tmp_path)
    assert "cijfers gewijzigd sinds editie 1" in again.stdout
    diff = sdm("report", "diff", "--period", "2018-H1", "--format", "csv", cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
    lines = diff.stdout.splitlines()
    assert lines[0] == "cijfer;editie 1;editie 2;gewijzigd door"
    assert (
        "Kerncijfers: 2018-H1 · Wmo, Cliënten;10;11;laadactie 2 (b.csv, bron standaard, 01-08-2018 00:00)"
        in lines
    )
    listing = sdm("report", "editions", cwd=tmp_path)
    assert listing.returncode == 0 and "halfjaar" in listing.stdout
    unknown = sdm("report", "diff", "--period", "2018-H1", "--edition", "7", cwd=tmp_path)
    assert unknown.returncode == 1 and "Editie 7 bestaat niet" in unknown.stderr


def test_a_report_needs_data_and_a_period_the_data_reaches(warehouse: Warehouse, tmp_path: Path) -> None:
    import pytest

    from sdmonitor.errors import InputError

    with pytest.raises(InputError, match="nog geen toewijzingen geladen"):
        report(warehouse, tmp_path / "out", datetime(2018, 7, 3))
    load(warehouse, tmp_path / "a.csv", WMO, datetime(2017, 12, 1))
    with pytest.raises(InputError, match=r"begint na de stand van de gegevens \(01-12-2017\)"):
        report(warehouse, tmp_path / "out", datetime(2018, 7, 3))
    assert list_editions(warehouse) == []
