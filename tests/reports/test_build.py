"""The report model on a small hand-made data set: figures, formatting, suppression."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports.build import build_report
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import Section, Template, builtin_path, read_template
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv
from tests.metrics.test_metrics import WORKED_EXAMPLE


def load(warehouse: Warehouse, tmp_path: Path, rows: list[dict[str, str | None]]) -> None:
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))


def test_the_half_year_template_builds_on_real_data(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, tmp_path, WORKED_EXAMPLE)
    report = build_report(
        warehouse, read_template(builtin_path("halfjaar")), parse_label("2018-H1"), as_of=None
    )
    assert [s.section.name for s in report.sections] == [s.name for s in report.template.sections]
    assert report.figures["clients.WMO.2018-H1"] == 3
    assert report.figures["clients.JW.2018-H1"] == 1
    clients = next(s for s in report.sections if s.section.name == "kerncijfers").table
    assert clients.headers[:3] == ("Periode", "Wet", "Cliënten")
    # all counts in the worked example are below 5: every one is hidden, and so is what derives from them
    assert all(cell.hidden for row in clients.rows for cell in row[2:] if cell.value is not None)
    assert {row[1].text for row in clients.rows} <= {"Wmo", "Jeugdwet"}


def test_counts_below_the_threshold_show_as_less_than_and_totals_protect_them(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(3)]  # fmt: skip
    rows += [allocation(f"p{i}", client=f"P{i}", law="JW", category="45", birth="2010-01-01", start="2018-02-10",
                        delivery_form="PGB") for i in range(7)]  # fmt: skip
    load(warehouse, tmp_path, rows)
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("vormen", "Per leveringsvorm", "clients", by=("law", "delivery_form"), periods="report", totals=True),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections
    shown = [[cell.text for cell in row] for row in section.table.rows]
    # 3 is hidden; the total is shown, so that one hidden part alone would give itself away (22 - 7 - 12):
    # the smallest shown part, 7, is hidden with it (shown as 'x': shielded, not small)
    assert shown == [
        ["2018-H1", "Jeugdwet", "PGB", "x"],
        ["2018-H1", "Jeugdwet", "ZIN", "< 5"],
        ["2018-H1", "Wmo", "ZIN", "12"],
        ["Totaal", "", "", "22"],
    ]
    assert section.table.has_total


def test_rounding_to_fives_instead_of_secondary_suppression(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, tmp_path, [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(13)])
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (Section("c", "C", "clients", periods="report"),))
    (section,) = build_report(
        warehouse, template, parse_label("2018-H1"), as_of=None, policy=Policy(round_to_5=True)
    ).sections
    assert [[cell.text for cell in row] for row in section.table.rows] == [["2018-H1", "15"]]
