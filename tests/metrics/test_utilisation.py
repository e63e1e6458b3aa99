"""Utilisation (verzilvering), hand-worked: worked example U of docs/metrics.md, every figure written out, and
the rules around it (ratio of sums, unit conversion, units never mix, complete months, credits, as-of)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv
from tests.metrics.declaration_rows import insert_lines, line
from tests.metrics.test_utilisation_allocated import EXAMPLE_U, P1, P2

Q1_2024 = {"grain": "quarter", "start": date(2024, 1, 1), "end": date(2024, 3, 31)}
# a4: the fictional second allocation of 02A01 at P1 of the ratio-of-sums example (13 hours in March)
A4 = allocation(
    "a4", client="D", category="02", product_code="02A01", provider_code=P1, start="2024-03-01",
    end="2024-03-31", volume="13", unit="04", frequency="4",
)  # fmt: skip


def declared(
    number: str, allocation_id: str, start: str, end: str, *, volume: float | None, unit: str | None,
    amount: float = 0.0, **other: Any,
) -> dict[str, Any]:  # fmt: skip
    """An approved declared line on an allocation (client key 1: utilisation links lines by allocation)."""
    return line(number, 1, start, end, amount, allocation_id=allocation_id, volume=volume, unit=unit, **other)


EXAMPLE_U_DECLARED = [
    declared("r1", "a1", "2024-01-01", "2024-01-31", volume=7, unit="04", amount=420),
    declared("r2", "a1", "2024-02-01", "2024-02-29", volume=480, unit="01", amount=480),  # 480 minutes = 8 h
    declared("r3", "a1", "2024-03-01", "2024-03-31", volume=4, unit="04", amount=240),
    declared("r4", "a2", "2024-02-15", "2024-02-29", volume=4, unit="14", amount=520),
    declared("r5", "a2", "2024-03-01", "2024-03-31", volume=6, unit="14", amount=780),
    declared("r6", "a3", "2024-01-01", "2024-01-31", volume=None, unit=None, amount=150),  # a budget: euros
    declared("r7", "a3", "2024-02-01", "2024-02-29", volume=None, unit=None, amount=200),
    declared("r8", "a3", "2024-03-01", "2024-03-31", volume=None, unit=None, amount=250),
]
A4_DECLARED = [declared("r9", "a4", "2024-03-01", "2024-03-31", volume=13, unit="04", amount=780)]


def stored(
    warehouse: Warehouse,
    tmp_path: Path,
    allocations: list[dict[str, str | None]],
    lines: list[dict[str, Any]],
    moment: date = date(2024, 3, 31),
) -> Warehouse:
    """The allocations loaded (extracted on ``moment``, the data moment) and the declared lines stored."""
    load_allocations(
        warehouse,
        write_csv(tmp_path / "allocations.csv", allocations),
        LoadOptions(extracted_on=moment),
        now=datetime(2024, 4, 2),
    )
    insert_lines(warehouse, lines)
    return warehouse


def records(warehouse: Warehouse, **request: Any) -> list[dict[str, Any]]:
    return run_metric(warehouse, MetricRequest("utilisation", **request)).records()


def test_utilisation_worked_example_per_week_per_month_and_total(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """docs/metrics.md worked example U: a1 19/26, a2 10/12.1379, a3 600/600; by product and provider."""
    result = run_metric(
        stored(warehouse, tmp_path, EXAMPLE_U, EXAMPLE_U_DECLARED), MetricRequest("utilisation", **Q1_2024)
    )
    assert result.columns == (
        "period", "product_code", "provider", "unit", "allocated_volume", "declared_volume", "utilisation",
        "util_allocations", "util_clients",
    )  # fmt: skip
    assert result.rows == [
        ("2024-Q1", "01R01", P2, "83", 600.00, 600.00, 1.0000, 1, 1),
        ("2024-Q1", "02A01", P1, "04", 26.00, 19.00, 0.7308, 1, 1),
        ("2024-Q1", "04A01", P1, "14", 12.14, 10.00, 0.8239, 1, 1),  # 10 / 12.1379, not 10 / 12.14
    ]
    months = records(
        warehouse, grain="month", start=date(2024, 1, 1), end=date(2024, 3, 31), by=("product_code",)
    )
    assert [
        (r["period"], r["product_code"], r["allocated_volume"], r["declared_volume"]) for r in months
    ] == [
        ("2024-01", "01R01", 204.40, 150.00),
        ("2024-01", "02A01", 8.86, 7.00),
        ("2024-02", "01R01", 191.21, 200.00),
        ("2024-02", "02A01", 8.29, 8.00),
        ("2024-02", "04A01", 4.14, 4.00),
        ("2024-03", "01R01", 204.40, 250.00),
        ("2024-03", "02A01", 8.86, 4.00),
        ("2024-03", "04A01", 8.00, 6.00),
    ]


def test_utilisation_is_a_ratio_of_sums_not_a_mean_of_ratios(warehouse: Warehouse, tmp_path: Path) -> None:
    """a1 (19 of 26 hours) and a4 (13 of 13): (19 + 13) / (26 + 13) = 0.8205; the mean of 0.7308 and 1 would
    be 0.8654."""
    stored(warehouse, tmp_path, [*EXAMPLE_U, A4], [*EXAMPLE_U_DECLARED, *A4_DECLARED])
    rows = records(warehouse, by=("provider",), **Q1_2024)
    assert [
        (r["provider"], r["unit"], r["allocated_volume"], r["declared_volume"], r["utilisation"])
        for r in rows
    ] == [
        (P1, "04", 39.00, 32.00, 0.8205),
        (P1, "14", 12.14, 10.00, 0.8239),
        (P2, "83", 600.00, 600.00, 1.0000),
    ]
    assert rows[0]["util_allocations"] == 2 and rows[0]["util_clients"] == 2


def test_minutes_declared_on_an_hours_allocation_count_as_hours(warehouse: Warehouse, tmp_path: Path) -> None:
    allocations = [
        allocation("h1", client="A", product_code="02A01", start="2024-01-01", end="2024-01-31", volume="10",
                   unit="04", frequency="4"),
        allocation("m1", client="B", product_code="02A02", start="2024-01-01", end="2024-01-31", volume="600",
                   unit="01", frequency="4"),
    ]  # fmt: skip
    lines = [
        declared("l1", "h1", "2024-01-01", "2024-01-15", volume=90, unit="01"),  # 1.5 hours
        declared("l2", "h1", "2024-01-16", "2024-01-31", volume=3, unit="04"),
        declared("l3", "m1", "2024-01-01", "2024-01-31", volume=2, unit="04"),  # 120 minutes
        declared("l4", "h1", "2024-01-10", "2024-01-10", volume=1, unit="14"),  # an etmaal: no hours
        declared("l5", "h1", "2024-01-11", "2024-01-11", volume=1, unit=None),  # no unit: not counted
    ]
    stored(warehouse, tmp_path, allocations, lines)
    rows = records(warehouse, grain="month", start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert [
        (r["product_code"], r["unit"], r["allocated_volume"], r["declared_volume"], r["utilisation"])
        for r in rows
    ] == [
        ("02A01", "04", 10.00, 4.50, 0.45),
        ("02A02", "01", 600.00, 120.00, 0.2),
    ]


def test_units_never_mix_in_one_utilisation_row(warehouse: Warehouse, tmp_path: Path) -> None:
    """One product at one provider allocated in hours and in dagdelen: two rows, one per unit."""
    allocations = [
        allocation("u1", client="A", product_code="07A01", provider_code=P1, start="2024-01-01",
                   end="2024-01-31", volume="31", unit="04", frequency="1"),
        allocation("u2", client="B", product_code="07A01", provider_code=P1, start="2024-01-01",
                   end="2024-01-31", volume="4", unit="16", frequency="4"),
    ]  # fmt: skip
    lines = [
        declared("l1", "u1", "2024-01-01", "2024-01-31", volume=620, unit="04"),
        declared("l2", "u2", "2024-01-01", "2024-01-31", volume=4, unit="16"),
        declared("l3", "u2", "2024-01-05", "2024-01-05", volume=2, unit="04"),  # hours on dagdelen: left out
    ]
    stored(warehouse, tmp_path, allocations, lines)
    rows = records(warehouse, grain="month", start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert [(r["unit"], r["allocated_volume"], r["declared_volume"], r["utilisation"]) for r in rows] == [
        ("04", 961.00, 620.00, 0.6452),
        ("16", 4.00, 4.00, 1.0),
    ]


def test_only_months_complete_at_the_data_moment_count(warehouse: Warehouse, tmp_path: Path) -> None:
    """Data moment 10 March 2024: the first quarter is January and February only (a1: 17.14 hours allocated,
    15 declared); March is not complete, so its 4 hours and its allocated hours are both left out."""
    stored(warehouse, tmp_path, EXAMPLE_U[:1], EXAMPLE_U_DECLARED[:3], moment=date(2024, 3, 10))
    result = run_metric(warehouse, MetricRequest("utilisation", **Q1_2024))
    assert result.rows == [("2024-Q1", "02A01", P1, "04", 17.14, 15.00, 0.875, 1, 1)]
    assert result.status.of("2024-Q1") == "t/m 10-03-2024"
    assert run_metric(warehouse, MetricRequest("utilisation", grain="month", start=date(2024, 3, 1),
                                               end=date(2024, 3, 31))).rows == []  # fmt: skip


def test_a_credit_cancels_its_debit_and_rejected_or_pending_lines_do_not_count(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    lines = [
        declared("c1", "a1", "2024-01-01", "2024-01-31", volume=7, unit="04"),
        declared("c1", "a1", "2024-01-01", "2024-01-31", volume=7, unit="04", debit_credit="C"),
        declared("c2", "a1", "2024-01-01", "2024-01-31", volume=6, unit="04"),  # the re-declaration
        declared("c3", "a1", "2024-02-01", "2024-02-29", volume=5, unit="04", status="afgewezen"),
        declared("c4", "a1", "2024-03-01", "2024-03-31", volume=5, unit="04", status="ingediend"),
    ]
    stored(warehouse, tmp_path, EXAMPLE_U[:1], lines)
    rows = records(warehouse, **Q1_2024)
    assert [(r["allocated_volume"], r["declared_volume"], r["utilisation"]) for r in rows] == [
        (26.0, 6.0, 0.2308)
    ]


def test_a_line_over_two_months_is_spread_by_days(warehouse: Warehouse, tmp_path: Path) -> None:
    """A line of 14 hours from 17 January to 13 February (28 days): 15/28 in January, 13/28 in February."""
    lines = [declared("s1", "a1", "2024-01-17", "2024-02-13", volume=14, unit="04")]
    stored(warehouse, tmp_path, EXAMPLE_U[:1], lines)
    rows = records(warehouse, grain="month", start=date(2024, 1, 1), end=date(2024, 2, 29))
    assert [(r["period"], r["declared_volume"]) for r in rows] == [("2024-01", 7.5), ("2024-02", 6.5)]


def test_declarations_are_as_known_at_as_of(warehouse: Warehouse, tmp_path: Path) -> None:
    lines = [
        declared(
            "k1", "a1", "2024-01-01", "2024-01-31", volume=7, unit="04", known_from=datetime(2024, 2, 5)
        ),
        declared(
            "k2", "a1", "2024-02-01", "2024-02-29", volume=8, unit="04", known_from=datetime(2024, 4, 3)
        ),
    ]
    stored(warehouse, tmp_path, EXAMPLE_U[:1], lines)
    later = records(warehouse, **Q1_2024)
    assert [(r["declared_volume"], r["utilisation"]) for r in later] == [(15.0, 0.5769)]
    earlier = records(warehouse, as_of=date(2024, 4, 2), **Q1_2024)
    assert [(r["declared_volume"], r["utilisation"]) for r in earlier] == [(7.0, 0.2692)]


def test_an_allocation_without_volume_is_left_out_and_its_declarations_with_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    allocations = [allocation("n1", client="A", product_code="05A01", start="2024-01-01", end="2024-03-31")]
    stored(
        warehouse,
        tmp_path,
        allocations,
        [declared("n1", "n1", "2024-01-01", "2024-01-31", volume=1, unit="82")],
    )
    assert records(warehouse, **Q1_2024) == []


@pytest.mark.parametrize("by", [("law",), ("product_category", "provider"), ("age_band",), ("cbs_group",)])
def test_other_groupings_keep_the_unit_as_key(
    warehouse: Warehouse, tmp_path: Path, by: tuple[str, ...]
) -> None:
    stored(warehouse, tmp_path, EXAMPLE_U, EXAMPLE_U_DECLARED)
    rows = records(warehouse, by=by, **Q1_2024)
    assert sorted((r["unit"], r["utilisation"]) for r in rows) == [
        ("04", 0.7308),
        ("14", 0.8239),
        ("83", 1.0),
    ]
