from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports.build import build_report
from sdmonitor.reports.render_xlsx import write_xlsx
from sdmonitor.reports.template import Section, Template
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv


def test_the_workbook_has_every_table_and_never_a_hidden_number(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(3)]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))
    template = Template("t", "Testrapport", Grain.HALF, 1, 5.0, (
        Section("wet", "Cliënten per wet", "clients", by=("law",), periods="report", totals=True),
    ))  # fmt: skip
    report = build_report(warehouse, template, parse_label("2018-H1"), as_of=None)
    path = write_xlsx(report, tmp_path / "rapport.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Cliënten per wet", "Toelichting"]
    values = [list(r) for r in workbook["Cliënten per wet"].iter_rows(min_row=3, values_only=True)]
    assert values[0] == ["Periode", "Wet", "Cliënten"]
    # Jeugdwet 3 is small; with the total shown, Wmo 12 is shielded too
    assert values[1:] == [["2018-H1", "Jeugdwet", "< 5"], ["2018-H1", "Wmo", "x"], ["Totaal", None, 15]]
    legend = {r[0]: r[1] for r in workbook["Toelichting"].iter_rows(values_only=True) if r[0] in ("< 5", "x")}
    assert set(legend) == {"< 5", "x"}
