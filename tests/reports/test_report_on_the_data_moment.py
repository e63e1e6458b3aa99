"""A report over a period whose last day is the data moment (the export is dated 30 June): the reference dates
after the data moment are left out with a note, a stock on a date after the data moment is counted on the
data moment instead, and the rest of the report is made (it used to refuse: 'Peildatum 2024-07-01 ligt na het
datamoment')."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sdmonitor.domain.periods import parse_label
from sdmonitor.reports.build import build_report
from sdmonitor.reports.template import builtin_path, read_template
from sdmonitor.warehouse import Warehouse
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import benefit, load_benefits_rows
from tests.builders import allocation


def report_sections(warehouse: Warehouse) -> dict[str, Any]:
    report = build_report(
        warehouse, read_template(builtin_path("halfjaar")), parse_label("2024-H1"), as_of=None
    )
    return {s.section.name: s for s in report.sections}


def test_a_half_year_report_exported_on_its_last_day_counts_the_stock_up_to_that_day(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"A{i}", client=f"C{i}", start="2024-01-15") for i in range(12)]
    load_allocations_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 6, 30))
    stock = report_sections(warehouse)["peildatum"]
    assert [row[0].value for row in stock.table.rows] == ["2024-04-01", "2024-06-30"]  # nobody on 1 January
    assert [row[-1].text for row in stock.table.rows] == ["12", "12"]
    assert stock.note.startswith(
        "Peildatum 01-07-2024 ligt na het datamoment 30-06-2024 (de datum van de export) en is weggelaten"
    )


def test_benefits_on_a_reference_date_after_their_data_moment_are_counted_on_the_data_moment(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(
        warehouse, tmp_path, [allocation("A1", start="2024-01-15")], extracted_on=date(2024, 6, 30)
    )
    people = [benefit(benefit_id=f"U{i}", client_id=f"B{i}", start_date="2024-02-01") for i in range(7)]
    load_benefits_rows(warehouse, tmp_path, people, extracted_on=date(2024, 6, 15))
    benefits = report_sections(warehouse)["uitkeringen"]  # on the last day of each half-year: 30 June
    last = benefits.table.rows[-1]
    assert last[0].value == "2024-06-15" and [cell.text for cell in last[1:3]] == ["7", "7"]
    assert "Peildatum 30-06-2024 ligt na het datamoment 15-06-2024" in benefits.note
    assert "in plaats daarvan staat de stand op het datamoment" in benefits.note
