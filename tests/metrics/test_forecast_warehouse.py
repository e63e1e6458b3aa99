"""The forecast read from a real warehouse (docs/forecast.md): realised, commitments, 'niet begroot', replay."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics.forecast import NOT_BUDGETED, TOTAL, make_forecast
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv
from tests.metrics.declaration_rows import insert_lines, line

P1 = "12345678"


def _declarations_load(warehouse: Warehouse, extracted_on: date) -> None:
    """Record a declarations load of ``extracted_on`` (the lines themselves are stored by ``insert_lines``)."""
    warehouse.execute(
        "INSERT INTO loads (load_id, kind, source, file_name, file_sha256, mapping, known_from, loaded_at, "
        "rows_read, rows_loaded, rows_unchanged, rows_duplicate, rows_rejected, rows_warned, sdm_version, "
        "extracted_on) VALUES (900, 'declarations', 'test', 'd.csv', '', 'standaard', ?, ?, 0, 0, 0, 0, 0, 0, "
        "'test', ?)",
        [datetime.combine(extracted_on, datetime.min.time()), datetime.combine(extracted_on, datetime.min.time()),
         extracted_on],
    )  # fmt: skip


def _budget(warehouse: Warehouse, name: str, amount: float, law: str, categories: list[str]) -> None:
    warehouse.execute(
        "INSERT INTO budget_versions (year, budget_line, version_date, amount, law, product_categories, "
        "provider_code, load_id, known_from, source_row) VALUES (2024, ?, DATE '2024-01-01', ?, ?, ?, '', 1, "
        "TIMESTAMP '2024-01-01 00:00:00', 1)",
        [name, amount, law, categories],
    )


def _client_keys(warehouse: Warehouse) -> dict[str, int]:
    rows = warehouse.records("SELECT allocation_id, client_key FROM allocation_versions")
    return {r["allocation_id"]: r["client_key"] for r in rows}


@pytest.fixture
def world(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    """One Wmo begeleiding allocation (8 hours a month at €60, planned end 30 June 2024), declared in full for
    January..March 2024 (€480 a month, submitted the month after), one hulp bij het huishouden line (no budget
    line: 'niet begroot'), a budget line 'Wmo begeleiding' of €10,000; data moment 31 March 2024."""
    rows = [
        allocation("A1", client="C1", category="02", product_code="02A01", provider_code=P1,
                   start="2024-01-01", end="2024-06-30", volume="8", unit="04", frequency="4"),
        allocation("A2", client="C2", category="01", product_code="01A01", provider_code=P1,
                   start="2024-01-01", end="2024-01-31", volume="4", unit="04", frequency="4"),
    ]  # fmt: skip
    load_allocations(
        warehouse,
        write_csv(tmp_path / "a.csv", rows),
        LoadOptions(extracted_on=date(2024, 3, 31)),
        now=datetime(2024, 3, 31, 12),
    )
    keys = _client_keys(warehouse)
    lines: list[dict[str, Any]] = []
    for month in range(1, 4):
        start, end = date(2024, month, 1), date(2024, month + 1, 1) if month < 12 else date(2025, 1, 1)
        last = date.fromordinal(end.toordinal() - 1)
        lines.append(
            line(f"D{month}", keys["A1"], f"{start}", f"{last}", 480.0, allocation_id="A1",
                 product_code="02A01", submitted_on=min(date(2024, 3, 31), date.fromordinal(last.toordinal() + 5)))
        )  # fmt: skip
    lines.append(
        line("H1", keys["A2"], "2024-01-01", "2024-01-31", 120.0, category="01", allocation_id="A2",
             product_code="01A01", submitted_on=date(2024, 2, 5))
    )  # fmt: skip
    insert_lines(warehouse, lines)
    _declarations_load(warehouse, date(2024, 3, 31))
    _budget(warehouse, "Wmo begeleiding", 10_000, "WMO", ["02"])
    return warehouse


def test_forecast_reads_realised_committed_and_niet_begroot_from_the_warehouse(world: Warehouse) -> None:
    forecast = make_forecast(world, 2024)
    assert forecast.as_of == date(2024, 3, 31) and not forecast.approximated
    assert [r.budget_line for r in forecast.rows] == ["Wmo begeleiding", NOT_BUDGETED, TOTAL]
    line_row = forecast.row("Wmo begeleiding")
    assert line_row.budget == 10_000
    assert line_row.realised == pytest.approx(3 * 480)
    # April..June: 8 hours a month; no tariff is loaded, so the observed cost per allocation-month (480)
    assert line_row.committed == pytest.approx(3 * 480, rel=0.01)
    assert forecast.row(NOT_BUDGETED).realised == pytest.approx(120)
    assert forecast.row(NOT_BUDGETED).budget is None
    total = forecast.row(TOTAL)
    assert total.forecast == pytest.approx(line_row.forecast + forecast.row(NOT_BUDGETED).forecast)
    assert len(forecast.paths["Wmo begeleiding"]) == 12
    assert forecast.paths["Wmo begeleiding"][0].realised == pytest.approx(480)


def test_a_forecast_without_load_history_says_it_is_approximated(world: Warehouse) -> None:
    forecast = make_forecast(world, 2024, as_of=date(2024, 2, 29))
    assert forecast.approximated
    assert forecast.notes[0].startswith("Benaderd uit bedrijfsdatums")
    # only what was submitted by 29 February: January's lines (submitted 5 February)
    assert forecast.row("Wmo begeleiding").realised == pytest.approx(480)
