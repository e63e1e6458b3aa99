"""Allocated volume per allocation and month (docs/metrics.md, "utilisation", worked example U): by frequency,
in the allocation's unit, for the days it runs within a window, past or future."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics.utilisation import allocated_volume, allocation_facts
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv

P1, P2 = "12345670", "12345671"

# worked example U of docs/metrics.md (a4 is the fictional second allocation of the ratio-of-sums example)
EXAMPLE_U = [
    allocation(
        "a1", client="A", category="02", product_code="02A01", provider_code=P1, start="2024-01-01",
        end="2024-03-31", volume="2", unit="04", frequency="2",
    ),
    allocation(
        "a2", client="B", category="04", product_code="04A01", provider_code=P1, start="2024-02-15", end=None,
        volume="8", unit="14", frequency="4",
    ),
    allocation(
        "a3", client="C", category="01", product_code="01R01", provider_code=P2, start="2024-01-01",
        end="2024-06-30", volume="120000", unit="83", frequency="6",
    ),
]  # fmt: skip


def load(warehouse: Warehouse, tmp_path: Path, rows: list[dict[str, str | None]]) -> Warehouse:
    load_allocations(
        warehouse, write_csv(tmp_path / "allocations.csv", rows), LoadOptions(), now=datetime(2024, 4, 1)
    )
    return warehouse


def per_month(
    warehouse: Warehouse, first: date, last: date
) -> dict[tuple[str, str], tuple[int, float | None]]:
    """(allocation, month) -> (days, allocated volume rounded to 4 decimals)."""
    table = allocated_volume(allocation_facts(warehouse.ibis(), None), first, last)
    rows = warehouse.ibis().to_pyarrow(table).to_pylist()
    return {
        (r["allocation_id"], f"{r['month']:%Y-%m}"): (
            r["days"],
            None if r["allocated_volume"] is None else round(r["allocated_volume"], 4),
        )
        for r in rows
    }


def test_allocated_volume_of_worked_example_u_per_week_per_month_and_in_total(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    got = per_month(load(warehouse, tmp_path, EXAMPLE_U), date(2024, 1, 1), date(2024, 3, 31))
    assert got == {
        ("a1", "2024-01"): (31, round(31 * 2 / 7, 4)),  # 2 hours per week
        ("a1", "2024-02"): (29, round(29 * 2 / 7, 4)),
        ("a1", "2024-03"): (31, round(31 * 2 / 7, 4)),
        ("a2", "2024-02"): (15, 4.1379),  # 8 etmalen per month, from the 15th: 15/29 of February
        ("a2", "2024-03"): (31, 8.0),
        ("a3", "2024-01"): (31, round(31 / 182 * 1200, 4)),  # EUR 1,200 (120000 cents) over 182 days
        ("a3", "2024-02"): (29, round(29 / 182 * 1200, 4)),
        ("a3", "2024-03"): (31, round(31 / 182 * 1200, 4)),
    }
    totals = {a: sum(v or 0 for (b, _), (_, v) in got.items() if b == a) for a in ("a1", "a2", "a3")}
    assert round(totals["a1"], 2) == 26.00 and round(totals["a2"], 4) == 12.1379
    assert round(totals["a3"], 2) == 600.00


def test_allocated_volume_per_day_counts_the_days_within_the_window(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """A window that starts and ends mid-month (the forecast's: from the day after the data moment)."""
    rows = [allocation("d1", start="2023-12-20", end="2024-02-10", volume="1.5", unit="14", frequency="1")]
    got = per_month(load(warehouse, tmp_path, rows), date(2024, 1, 11), date(2024, 12, 31))
    assert got == {("d1", "2024-01"): (21, 31.5), ("d1", "2024-02"): (10, 15.0)}


def test_future_months_of_an_open_allocation_have_their_allocated_volume(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    got = per_month(load(warehouse, tmp_path, EXAMPLE_U[1:2]), date(2024, 11, 16), date(2024, 12, 31))
    assert got == {("a2", "2024-11"): (15, 4.0), ("a2", "2024-12"): (31, 8.0)}


@pytest.mark.parametrize(
    ("volume", "unit", "frequency", "end"),
    [
        (None, "04", "2", "2024-03-31"),  # no volume (most hulpmiddelen)
        ("2", None, "2", "2024-03-31"),  # no unit
        ("2", "04", "9", "2024-03-31"),  # a frequency that is no iWmo/iJw code
        ("2", "04", None, "2024-03-31"),  # no frequency
        ("120000", "83", "6", None),  # a total over an open validity cannot be spread
    ],
)
def test_an_allocation_without_a_knowable_volume_keeps_its_months_with_an_empty_volume(
    warehouse: Warehouse,
    tmp_path: Path,
    volume: str | None,
    unit: str | None,
    frequency: str | None,
    end: str | None,
) -> None:
    rows = [allocation("x1", start="2024-01-01", end=end, volume=volume, unit=unit, frequency=frequency)]
    got = per_month(load(warehouse, tmp_path, rows), date(2024, 1, 1), date(2024, 2, 29))
    assert got == {("x1", "2024-01"): (31, None), ("x1", "2024-02"): (29, None)}


def test_a_frequency_with_a_leading_zero_is_the_same_frequency(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation("w1", start="2024-01-01", end="2024-01-31", volume="7", unit="04", frequency="02")]
    got = per_month(load(warehouse, tmp_path, rows), date(2024, 1, 1), date(2024, 1, 31))
    assert got == {("w1", "2024-01"): (31, 31.0)}
