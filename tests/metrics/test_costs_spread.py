"""The declared lines as known and their spread over delivery months (metrics/costs.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sdmonitor.metrics.costs import declaration_facts, month_spread
from sdmonitor.warehouse import Warehouse
from tests.metrics.declaration_rows import insert_lines, line


def spread(warehouse: Warehouse, **facts: object) -> list[tuple[str, date, float]]:
    lines = declaration_facts(warehouse.ibis(), facts.pop("as_of", None), **facts)  # type: ignore[arg-type]
    rows = warehouse.ibis().to_pyarrow(month_spread(lines)).to_pylist()
    return sorted((r["declaration_id"], r["month"], round(r["amount"], 6)) for r in rows)


def test_a_period_within_one_month_belongs_to_that_month(warehouse: Warehouse) -> None:
    insert_lines(warehouse, [line("r1", 1, "2024-01-01", "2024-01-31", 400.0)])
    assert spread(warehouse) == [("r1", date(2024, 1, 1), 400.0)]


def test_a_period_over_months_is_spread_by_days_and_a_credit_counts_negative(warehouse: Warehouse) -> None:
    insert_lines(
        warehouse,
        [
            line("f1", 2, "2024-01-17", "2024-02-15", 310.0),  # 15 + 15 of 30 days
            line("f1", 2, "2024-01-17", "2024-02-15", 310.0, debit_credit="C"),
            line("y1", 3, "2023-12-30", "2024-03-01", 630.0),  # 2 + 31 + 29 + 1 of 63 days
        ],
    )
    assert spread(warehouse) == [
        ("f1", date(2024, 1, 1), -155.0),
        ("f1", date(2024, 1, 1), 155.0),
        ("f1", date(2024, 2, 1), -155.0),
        ("f1", date(2024, 2, 1), 155.0),
        ("y1", date(2023, 12, 1), 20.0),
        ("y1", date(2024, 1, 1), 310.0),
        ("y1", date(2024, 2, 1), 290.0),
        ("y1", date(2024, 3, 1), 10.0),
    ]


def test_the_days_after_the_data_moment_are_planned_and_left_out(warehouse: Warehouse) -> None:
    insert_lines(
        warehouse,
        [
            line("f1", 2, "2024-01-17", "2024-02-15", 300.0),  # 30 days, 24 realised by 9 February
            line("r2", 1, "2024-02-01", "2024-02-29", 290.0),  # 9 of 29 days
            line("r3", 1, "2024-02-10", "2024-02-29", 100.0),  # starts after the moment
        ],
    )
    assert spread(warehouse, moment=date(2024, 2, 9)) == [
        ("f1", date(2024, 1, 1), 150.0),
        ("f1", date(2024, 2, 1), 90.0),
        ("r2", date(2024, 2, 1), 90.0),
    ]


def test_the_version_known_at_as_of_counts_and_the_status_filter_keeps_approved(warehouse: Warehouse) -> None:
    insert_lines(
        warehouse,
        [
            line(
                "r5",
                1,
                "2024-02-01",
                "2024-02-29",
                150.0,
                status="ingediend",
                superseded_at=datetime(2024, 3, 15),
            ),
            line("r5", 1, "2024-02-01", "2024-02-29", 150.0, known_from=datetime(2024, 3, 15)),
            line("r4", 1, "2024-01-01", "2024-01-31", 200.0, status="afgewezen"),
        ],
    )
    approved = ("toegekend",)
    assert spread(warehouse, as_of=date(2024, 3, 1), statuses=approved) == []
    assert spread(warehouse, as_of=date(2024, 3, 15), statuses=approved) == [("r5", date(2024, 2, 1), 150.0)]
    assert spread(warehouse, statuses=approved) == [("r5", date(2024, 2, 1), 150.0)]
    assert [r[0] for r in spread(warehouse, as_of=date(2024, 3, 1))] == ["r4", "r5"]


@pytest.mark.parametrize("first, last, months", [(date(2024, 1, 5), date(2024, 1, 5), 1), (None, None, 3)])
def test_the_spread_can_be_limited_to_a_window_of_months(
    warehouse: Warehouse, first: date | None, last: date | None, months: int
) -> None:
    insert_lines(warehouse, [line("y1", 3, "2023-12-30", "2024-02-29", 610.0)])
    lines = declaration_facts(warehouse.ibis(), None)
    rows = warehouse.ibis().to_pyarrow(month_spread(lines, first, last)).to_pylist()
    assert len(rows) == months
    assert rows[0]["volume"] is None and rows[0]["client_key"] == 3
