"""The utilisation query agrees with a day-by-day reading of docs/metrics.md ("utilisation") in plain Python,
on generated allocations and declared lines.

The reference works per day, where the engine works per month: an allocation's volume per day is volume
(per dag), volume / 7 (per week), volume / days of the month (per maand) or volume / days of the validity
(totaal); a declared line's volume per day is its signed volume / days of its period, converted to the
allocation's unit. Days are summed per period, group and unit over the months complete at the data moment.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.warehouse import open_warehouse
from tests.builders import allocation, write_csv
from tests.metrics.declaration_rows import insert_lines, line

PRODUCTS = ("02A01", "07A01")
PROVIDERS = ("12345670", "12345671")
UNITS = ("01", "04", "14", "83")
FREQUENCIES = ("1", "2", "4", "6")
YEAR = date(2024, 1, 1), date(2024, 12, 31)
COUNT = int(os.environ.get("SDM_REFERENCE_EXAMPLES", "20"))


@dataclass(frozen=True)
class Alloc:
    id: str
    client: str
    product: str
    provider: str
    start: date
    end: date | None
    volume: int
    unit: str | None
    frequency: str


@dataclass(frozen=True)
class Line:
    id: str
    allocation: str
    start: date
    end: date
    volume: int | None
    unit: str | None
    amount: int
    credit: bool
    status: str


def days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def month_days(day: date) -> int:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (following - day.replace(day=1)).days


def allocated_on(a: Alloc, day: date) -> float | None:
    """The volume a allocates on one day, in its unit (euros for a budget); None when unknown."""
    if a.unit is None or (a.frequency == "6" and a.end is None):
        return None
    volume = a.volume / 100 if a.unit == "83" else float(a.volume)
    if a.frequency == "1":
        return volume
    if a.frequency == "2":
        return volume / 7
    if a.frequency == "4":
        return volume / month_days(day)
    assert a.end is not None
    return volume / ((a.end - a.start).days + 1)


def converted(line_: Line, unit: str) -> float | None:
    """A line's signed volume in the allocation's unit (its amount for a budget); None: does not count."""
    sign = -1 if line_.credit else 1
    if unit == "83":
        return sign * float(line_.amount)
    if line_.volume is None or line_.unit is None:
        return None
    factor = {("01", "04"): 1 / 60, ("04", "01"): 60.0}.get(
        (line_.unit, unit), 1.0 if line_.unit == unit else None
    )
    return None if factor is None else sign * line_.volume * factor


def reference(
    allocs: list[Alloc], lines: list[Line], periods: list[tuple[str, date, date]], moment: date
) -> dict[tuple[str, str, str, str], tuple[float, float, int, int]]:
    """(period, product, provider, unit) -> (allocated, declared, allocations, clients)."""
    complete = moment if (moment + timedelta(days=1)).day == 1 else moment.replace(day=1) - timedelta(days=1)
    allocated: dict[Any, float] = defaultdict(float)
    declared: dict[Any, float] = defaultdict(float)
    who: dict[Any, set[tuple[str, str]]] = defaultdict(set)
    runs: dict[tuple[str, date], str] = {}  # (allocation, month) it runs in -> its period label
    by_id = {a.id: a for a in allocs}
    for label, first, last in periods:
        last = min(last, complete)
        for a in allocs:
            end = min(a.end or last, last)
            for day in days(max(a.start, first), end):
                value = allocated_on(a, day)
                if value is None:
                    continue
                key = (label, a.product, a.provider, a.unit)
                allocated[key] += value
                who[key].add((a.id, a.client))
                runs[(a.id, day.replace(day=1))] = label
    for item in lines:
        a = by_id.get(item.allocation)
        if a is None or item.status != "toegekend" or a.unit is None:
            continue
        total = converted(item, a.unit)
        if total is None:
            continue
        length = (item.end - item.start).days + 1
        for day in days(item.start, item.end):
            label_ = runs.get((a.id, day.replace(day=1)))
            if label_ is not None:
                declared[(label_, a.product, a.provider, a.unit)] += total / length
    return {
        key: (value, declared[key], len({i for i, _ in who[key]}), len({c for _, c in who[key]}))
        for key, value in allocated.items()
    }


@st.composite
def examples(draw: st.DrawFn) -> tuple[list[Alloc], list[Line], str, date]:
    allocs = []
    for i in range(draw(st.integers(1, 5))):
        start = draw(st.dates(date(2023, 11, 1), date(2024, 8, 31)))
        end = draw(st.one_of(st.none(), st.dates(start, date(2025, 3, 31))))
        allocs.append(
            Alloc(
                f"a{i}",
                draw(st.sampled_from(["A", "B", "C"])),
                draw(st.sampled_from(PRODUCTS)),
                draw(st.sampled_from(PROVIDERS)),
                start,
                end,
                draw(st.integers(1, 5000)),
                draw(st.sampled_from([*UNITS, None])),
                draw(st.sampled_from(FREQUENCIES)),
            )
        )
    lines = []
    for i in range(draw(st.integers(0, 10))):
        start = draw(st.dates(date(2023, 12, 1), date(2024, 9, 30)))
        end = start + timedelta(days=draw(st.sampled_from([0, 6, 30, 45])))
        lines.append(
            Line(
                f"r{i}",
                draw(st.sampled_from([a.id for a in allocs] + ["unknown"])),
                start,
                end,
                draw(st.one_of(st.none(), st.integers(0, 600))),
                draw(st.sampled_from([*UNITS, None])),
                draw(st.integers(0, 900)),
                draw(st.booleans()),
                draw(st.sampled_from(["toegekend", "toegekend", "afgewezen", "ingediend"])),
            )
        )
    grain = draw(st.sampled_from(["month", "quarter", "half", "year"]))
    moment = draw(st.sampled_from([date(2024, 9, 15), date(2024, 6, 30), date(2024, 12, 31)]))
    return allocs, lines, grain, moment


def periods_of(grain: str) -> list[tuple[str, date, date]]:
    from sdmonitor.domain.periods import Grain, cut

    return [(p.label, p.first, p.last) for p in cut(*YEAR, Grain(grain)) if p.first <= date(2024, 12, 31)]


@settings(max_examples=COUNT, deadline=None)
@given(examples())
def test_utilisation_agrees_with_the_day_by_day_reference(
    example: tuple[list[Alloc], list[Line], str, date],
) -> None:
    allocs, lines, grain, moment = example
    rows = [
        allocation(
            a.id,
            client=a.client,
            category=a.product[:2],
            product_code=a.product,
            provider_code=a.provider,
            start=a.start.isoformat(),
            end=None if a.end is None else a.end.isoformat(),
            volume=str(a.volume),
            unit=a.unit,
            frequency=a.frequency,
        )
        for a in allocs
    ]
    stored = [
        line(
            x.id,
            1,
            x.start.isoformat(),
            x.end.isoformat(),
            float(x.amount),
            allocation_id=x.allocation,
            volume=x.volume,
            unit=x.unit,
            debit_credit="C" if x.credit else "D",
            status=x.status,
        )
        for x in lines
    ]
    end = moment if grain == "month" else YEAR[1]
    request = MetricRequest("utilisation", grain=grain, start=YEAR[0], end=end, planned=True)
    with tempfile.TemporaryDirectory() as folder, open_warehouse(Path(folder) / "sdm.duckdb") as warehouse:
        path = write_csv(Path(folder) / "allocations.csv", rows)
        load_allocations(warehouse, path, LoadOptions(extracted_on=moment), now=datetime(2025, 6, 1))
        insert_lines(warehouse, stored)
        result = run_metric(warehouse, request).records()
    got = {(r["period"], r["product_code"], r["provider"], r["unit"]): r for r in result}
    expected = reference(allocs, lines, [p for p in periods_of(grain) if p[1] <= end], moment)
    assert set(got) == set(expected)
    for key, (allocated, declared, n_allocations, n_clients) in expected.items():
        row = got[key]
        assert row["allocated_volume"] == pytest.approx(allocated, abs=0.0051), key
        assert row["declared_volume"] == pytest.approx(declared, abs=0.0051), key
        assert (row["util_allocations"], row["util_clients"]) == (n_allocations, n_clients), key
        ratio = declared / allocated if allocated else None
        assert row["utilisation"] == (None if ratio is None else pytest.approx(ratio, abs=0.00011)), key
