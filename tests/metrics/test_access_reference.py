"""``waiting`` and ``waiting_list`` (metrics/access.py) against a simple pure-Python reference on random
histories: allocations of a few clients at two providers, in kind or PGB, decided before or after their
start, with zero to two deliveries (a pause and a restart), renewals and allocations that never start.

The reference follows docs/metrics.md literally, one allocation at a time; the engine does the same with
joins and windows. ``SDM_REFERENCE_EXAMPLES=200`` runs a deeper search.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.metrics import access
from tests.metrics.access_tables import allocations, deliveries, months, norms, on, run

COUNT = int(os.environ.get("SDM_REFERENCE_EXAMPLES", "15"))
OPEN = date(9999, 12, 31)
BASE = date(2024, 1, 1)
PROVIDERS = ("10000001", "10000002")
CATEGORIES = {"WMO": ("01", "02"), "JW": ("54", "45")}


@dataclass(frozen=True)
class Allocation:
    id: str
    client: str
    law: str
    category: str
    provider: str
    form: str | None
    start: date
    end: date | None
    decision: date | None


@dataclass(frozen=True)
class Delivery:
    allocation: str
    start: date
    end: date | None


def norm(law: str, category: str) -> int:
    """The worked examples' norms (tests/metrics/access_tables.NORMS)."""
    return 98 if (law, category) == ("JW", "54") else 42


def one_decimal(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percentile(values: list[int], p: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * p
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def reference_waits(allocs: list[Allocation], delivs: list[Delivery]) -> dict[str, tuple[date, date | None]]:
    """Per allocation that can wait: (clock start, first delivery start or None)."""
    first: dict[str, date] = {}
    for d in delivs:
        first[d.allocation] = min(first.get(d.allocation, d.start), d.start)
    in_kind = [a for a in allocs if a.form in (None, "ZIN")]
    reported = {(a.provider, a.law) for a in in_kind if a.id in first}
    kept: dict[str, tuple[date, date | None]] = {}
    for a in in_kind:
        if (a.provider, a.law) not in reported:
            continue
        same = [
            b for b in in_kind
            if (b.client, b.law, b.category, b.provider) == (a.client, a.law, a.category, a.provider)
        ]  # fmt: skip
        same.sort(key=lambda b: (b.start, b.id))
        earlier = same[: same.index(a)]
        if any(b.id in first and (a.start - (b.end or OPEN)).days <= 1 for b in earlier):
            continue
        clock = max(a.start, a.decision or a.start)
        kept[a.id] = (clock, first.get(a.id))
    return kept


def reference_waiting(allocs: list[Allocation], delivs: list[Delivery]) -> dict[str, tuple[Any, ...]]:
    """``waiting`` per month of 2024 (label 2024-01 ...): started, mean, median, p80, within_norm."""
    by_id = {a.id: a for a in allocs}
    per_month: dict[str, list[tuple[int, int]]] = {}
    for allocation_id, (clock, first) in reference_waits(allocs, delivs).items():
        if first is None or first.year != 2024:
            continue
        a = by_id[allocation_id]
        wait = max(0, (first - clock).days)
        per_month.setdefault(f"{first:%Y-%m}", []).append((wait, norm(a.law, a.category)))
    result = {}
    for month, rows in per_month.items():
        waits = [w for w, _ in rows]
        result[month] = (
            len(waits),
            one_decimal(statistics.fmean(waits)),
            one_decimal(percentile(waits, 0.5)),
            one_decimal(percentile(waits, 0.8)),
            sum(1 for w, n in rows if w <= n),
        )
    return result


def reference_list(
    allocs: list[Allocation], delivs: list[Delivery], day: date, grace: int
) -> tuple[Any, ...] | None:
    """``waiting_list`` on ``day``: waiting, mean, median, over_norm, bridged (None: nobody waits)."""
    by_id = {a.id: a for a in allocs}
    waited: list[tuple[int, bool, bool]] = []
    for allocation_id, (clock, first) in reference_waits(allocs, delivs).items():
        a = by_id[allocation_id]
        running = a.start <= day <= (a.end or OPEN)
        if not running or (first is not None and first <= day) or (day - clock).days < grace:
            continue
        days = (day - clock).days
        care = any(
            by_id[d.allocation].client == a.client and by_id[d.allocation].law == a.law
            and d.allocation != a.id and d.start <= day <= (d.end or OPEN)
            for d in delivs
        ) or any(
            b.form == "PGB" and b.client == a.client and b.law == a.law and b.start <= day <= (b.end or OPEN)
            for b in allocs
        )  # fmt: skip
        waited.append((days, days > norm(a.law, a.category), care))
    if not waited:
        return None
    days_list = [d for d, _, _ in waited]
    return (
        len(waited),
        one_decimal(statistics.fmean(days_list)),
        one_decimal(percentile(days_list, 0.5)),
        sum(1 for _, over, _ in waited if over),
        sum(1 for _, _, care in waited if care),
    )


day_offsets = st.integers(min_value=-60, max_value=420)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Allocation], list[Delivery]]:
    allocs: list[Allocation] = []
    delivs: list[Delivery] = []
    for number in range(draw(st.integers(min_value=1, max_value=7))):
        law = draw(st.sampled_from(["WMO", "JW"]))
        client = draw(st.sampled_from(["A", "B", "C"]))
        start = BASE + timedelta(days=draw(day_offsets))
        # a renewal the day after an earlier allocation of the client, now and then
        if allocs and draw(st.booleans()):
            earlier = draw(st.sampled_from(allocs))
            if earlier.end is not None:
                law, client, start = (
                    earlier.law,
                    earlier.client,
                    earlier.end + timedelta(days=draw(st.sampled_from([1, 2]))),
                )
        length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=300)))
        end = None if length is None else start + timedelta(days=length)
        decision = draw(st.one_of(st.none(), st.integers(min_value=-30, max_value=30)))
        allocation = Allocation(
            f"a{number}", client, law,
            draw(st.sampled_from(CATEGORIES[law])), draw(st.sampled_from(PROVIDERS)),
            draw(st.sampled_from(["ZIN", "ZIN", None, "PGB"])), start, end,
            None if decision is None else start + timedelta(days=decision),
        )  # fmt: skip
        allocs.append(allocation)
        at = start + timedelta(days=draw(st.integers(min_value=-10, max_value=150)))
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            stop = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=60)))
            delivs.append(Delivery(allocation.id, at, None if stop is None else at + timedelta(days=stop)))
            at = at + timedelta(days=(stop or 0) + draw(st.integers(min_value=1, max_value=40)))
    return allocs, delivs


def engine_rows(allocs: list[Allocation], delivs: list[Delivery]) -> tuple[Any, Any]:
    a = allocations(
        *(
            {"allocation_id": x.id, "client_key": x.client, "law": x.law, "product_category": x.category,
             "provider_code": x.provider, "delivery_form": x.form, "start_date": x.start, "end_date": x.end,
             "decision_date": x.decision}
            for x in allocs
        )
    )  # fmt: skip
    d = deliveries(
        *({"allocation_id": x.allocation, "start_date": x.start, "end_date": x.end} for x in delivs)
    )
    return access.wait_rows(a, d, norms()), access.care_intervals(a, d)


@settings(max_examples=COUNT, deadline=None)
@given(histories())
def test_waiting_percentiles_match_a_simple_reference(
    history: tuple[list[Allocation], list[Delivery]],
) -> None:
    allocs, delivs = history
    rows, _ = engine_rows(allocs, delivs)
    result = run(access.waiting_from(rows, months("2024-01-01", "2024-12-31")))
    found = {
        r["slot"]: (r["started"], r["wait_mean_days"], r["wait_median_days"], r["p80_days"], r["within_norm"])
        for r in result
    }
    assert found == reference_waiting(allocs, delivs)


@settings(max_examples=COUNT, deadline=None)
@given(histories(), st.sampled_from([0, 7]))
def test_waiting_list_property_against_reference_on_random_histories(
    history: tuple[list[Allocation], list[Delivery]], grace: int
) -> None:
    allocs, delivs = history
    days = [date(2024, 3, 1), date(2024, 6, 30), date(2024, 11, 15)]
    rows, care = engine_rows(allocs, delivs)
    result = run(access.waiting_list_from(rows, care, on(*(d.isoformat() for d in days)), grace))
    found = {
        r["slot"]: (
            r["waiting"],
            r["waited_mean_days"],
            r["waited_median_days"],
            r["over_norm"],
            r["bridged"],
        )
        for r in result
    }
    expected = {d.isoformat(): reference_list(allocs, delivs, d, grace) for d in days}
    assert found == {day: figures for day, figures in expected.items() if figures is not None}
