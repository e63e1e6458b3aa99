"""Figures 4 and 5 of Lansingerland in the half-year report (issue 13): the support plans per half-year by
target group and law, and per access partner the new questions, broad inquiries and support plans beside
those of the same half-year a year earlier (``previous: year``); small numbers hidden; one Dutch sentence
without requests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from sdmonitor.domain.periods import parse_label
from sdmonitor.errors import InputError
from sdmonitor.metrics.compare import add_previous_year
from sdmonitor.reports.build import NO_REQUESTS, build_report
from sdmonitor.reports.run import make_report
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import Template, builtin_path, read_template
from sdmonitor.warehouse import Warehouse
from tests.access_builders import load_allocations_rows, load_requests_rows
from tests.builders import allocation
from tests.metrics.test_access_partners import EXAMPLE_A, q

OPEN = Policy(threshold=1)  # every count shown: the figures themselves


def halfjaar() -> Template:
    return read_template(builtin_path("halfjaar"))


def parts(warehouse: Warehouse, policy: Policy = OPEN) -> dict[str, Any]:
    report = build_report(warehouse, halfjaar(), parse_label("2024-H1"), as_of=None, policy=policy)
    return {s.section.name: s for s in report.sections}


def texts(section: Any) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row) for row in section.shown.rows]


@pytest.fixture
def example(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    """Worked example A, an earlier question that starts the history in 2022 (so 2023-H1 is complete), and
    a partner (Kwadraad) with questions in 2023-H1 but none registered in 2024-H1 (Lansingerland's "n.b.")."""
    load_allocations_rows(
        warehouse, tmp_path, [allocation("T1", start="2024-01-01")], extracted_on=date(2024, 7, 1)
    )
    earlier = [
        q("e1", "E", "WMO", "aanvraag", "SWL", "2022-06-01", "2022-06-10"),
        q("k1", "Q", "WMO", "melding", "Kwadraad", "2023-02-01", "2023-03-01", "2023-03-02", birth="1980-01-01"),
    ]  # fmt: skip
    load_requests_rows(warehouse, tmp_path, [*EXAMPLE_A, *earlier], extracted_on=date(2024, 7, 1))
    return warehouse


def test_figure_5_shows_last_years_figure_beside_each_and_an_empty_cell_for_a_silent_partner(
    example: Warehouse,
) -> None:
    section = parts(example)["toegangspartners"]
    table = section.shown
    assert table.columns == (
        "period", "team", "new_requests", "new_requests_previous_year", "broad_inquiries",
        "broad_inquiries_previous_year", "support_plans", "support_plans_previous_year",
    )  # fmt: skip
    assert table.headers[2:4] == ("Nieuwe vragen", "Nieuwe vragen (een jaar eerder)")
    assert texts(section) == [
        ("2024-H1", "CJG", "2", "1", "1", "1", "1", "1"),  # worked example A: CJG 2 (1), 1 (1), 1 (1)
        ("2024-H1", "SWL", "2", "", "1", "", "1", ""),  # nothing registered at SWL in 2023-H1
        ("2024-H1", "Kwadraad", "", "1", "", "1", "", "1"),  # n.b.: empty, not 0
    ]
    assert "2023-H1" in section.note and "geen 0" in section.note


def test_figure_5_hides_small_numbers_and_last_years_under_that_periods_own_name(example: Warehouse) -> None:
    report = build_report(example, halfjaar(), parse_label("2024-H1"), as_of=None)
    section = next(s for s in report.sections if s.section.name == "toegangspartners")
    assert {cell.text for row in section.shown.rows for cell in row[2:]} <= {"< 5", ""}
    assert all(cell.hidden for row in section.shown.rows for cell in row[2:] if cell.value is not None)


def test_figure_4_support_plans_per_half_year_by_target_group_and_law(example: Warehouse) -> None:
    section = parts(example)["ondersteuningsplannen"]
    table = section.shown
    assert table.columns[:2] == ("target_group", "law")
    assert table.columns[2:] == ("2023-H1", "2024-H1")  # the half-years with plans, side by side
    rows = {row[:2]: row[2:] for row in texts(section)}
    assert rows == {
        ("jeugd", "Jeugdwet"): ("1", "1"),  # P in 2023, K in 2024
        ("volwassenen", "Wmo"): ("1", "0"),  # Kwadraad's client Q, 43 in 2023
        ("ouderen", "Wmo"): ("0", "1"),  # M, 70 on 2024-06-30
    }


def test_without_requests_the_access_parts_say_so_in_one_sentence(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(
        warehouse, tmp_path, [allocation("T1", start="2024-01-01")], extracted_on=date(2024, 7, 1)
    )
    found = parts(warehouse)
    for name in ("ondersteuningsplannen", "toegangspartners"):
        assert found[name].note == NO_REQUESTS and found[name].shown.rows == ()
    assert NO_REQUESTS.count(".") == 1 and NO_REQUESTS.startswith("Geen meldingen en aanvragen geladen")


def test_previous_year_takes_the_same_period_a_year_earlier_and_skips_an_incomplete_one() -> None:
    columns = ("period", "team", "new_requests", "support_plans")
    rows = [("2023-H1", "A", 3, 1), ("2023-H2", "A", 9, 9), ("2024-H1", "A", 4, 0), ("2024-H1", "B", 1, 1)]
    out_columns, out = add_previous_year(columns, rows, 1, ("new_requests",), ["2024-H1"])
    assert out_columns == ("period", "team", "new_requests", "new_requests_previous_year", "support_plans")
    assert out == [("2024-H1", "A", 4, 3, 0), ("2024-H1", "B", 1, None, 1)]
    _, skipped = add_previous_year(columns, rows, 1, ("new_requests",), ["2024-H1"], unusable={"2023-H1"})
    assert skipped == [("2024-H1", "A", 4, None, 0), ("2024-H1", "B", 1, None, 1)]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"previous": "month"}, "previous 'month' is onbekend"),
        ({"previous": "year", "growth": True}, "gaat niet samen met growth"),
        ({"previous": "year", "layout": "columns"}, "gaat niet samen met layout: columns"),
    ],
)
def test_a_template_refuses_an_unknown_or_clashing_previous(
    tmp_path: Path, extra: dict[str, Any], message: str
) -> None:
    section = {"name": "t", "title": "T", "metric": "access", "by": ["team"], "periods": "report", **extra}
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"name": "t", "sections": [section]}), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_template(path)


def test_the_report_files_carry_figure_5_with_last_years_columns(example: Warehouse, tmp_path: Path) -> None:
    files = make_report(example, halfjaar(), "2024-H1", tmp_path / "out", now=datetime(2024, 7, 2, 9))
    html = files.html.read_text(encoding="utf-8")
    assert "Activiteiten van de toegangspartners" in html and "Nieuwe vragen (een jaar eerder)" in html
    assert files.pdf.stat().st_size > 0
    cells = [
        str(c.value) for ws in load_workbook(files.xlsx).worksheets for row in ws.iter_rows() for c in row
    ]
    assert "Ondersteuningsplannen (een jaar eerder)" in cells
