"""The costs query agrees with a plain-Python reading of docs/metrics.md ("costs") on generated lines.

The reference spreads every line over the days of its delivery period with exact fractions, adds them per
client, month and group, and counts clients and client-months whose net is above zero; the engine must give
the same amounts (to the cent) and counts.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.warehouse import open_warehouse
from tests.metrics.declaration_rows import insert_lines, line, record_load

COUNT = int(os.environ.get("SDM_REFERENCE_EXAMPLES", "20"))
FIRST, LAST = date(2023, 10, 1), date(2024, 6, 30)
GRAIN_MONTHS = {"month": 1, "quarter": 3, "half": 6}
ABOVE_ZERO = Fraction(1, 1_000_000)  # as the engine: a net counts from a millionth of a euro


@dataclass(frozen=True)
class Line:
    client: int
    law: str
    start: date
    end: date
    cents: int
    credit: bool
    approved: bool


lines_strategy = st.lists(
    st.builds(
        Line,
        client=st.integers(1, 4),
        law=st.sampled_from(["WMO", "JW"]),
        start=st.dates(FIRST - timedelta(days=40), LAST),
        end=st.just(FIRST),  # replaced by start + length below
        cents=st.integers(1, 100_000),
        credit=st.booleans(),
        approved=st.booleans() | st.just(True),
    ),
    max_size=12,
)


def month_of(day: date) -> int:
    return day.year * 12 + day.month - 1


def period_label(month: int, grain: str) -> str:
    year, index = divmod(month, 12)
    if grain == "month":
        return f"{year}-{index + 1:02d}"
    if grain == "quarter":
        return f"{year}-Q{index // 3 + 1}"
    return f"{year}-H{index // 6 + 1}"


def reference(lines: list[Line], moment: date, grain: str, by_law: bool) -> list[tuple[Any, ...]]:
    """Period, (law,) amount, clients, client_months per docs/metrics.md, exact."""
    per_month: dict[tuple[str, str, int, int], Fraction] = defaultdict(Fraction)
    for ln in lines:
        if not ln.approved or ln.start > moment:
            continue
        days = (ln.end - ln.start).days + 1
        amount = Fraction(-ln.cents if ln.credit else ln.cents, 100)
        size = GRAIN_MONTHS[grain]
        low = month_of(FIRST) // size * size  # whole periods: the first one starts on or before FIRST
        high = month_of(min(LAST, moment)) // size * size + size - 1
        day = ln.start
        while day <= min(ln.end, moment):
            if low <= month_of(day) <= high:
                key = (period_label(month_of(day), grain), ln.law if by_law else "", ln.client, month_of(day))
                per_month[key] += amount / days
            day += timedelta(days=1)
    per_client: dict[tuple[str, str, int], list[Fraction]] = defaultdict(list)
    for (period, law, client, _), net in per_month.items():
        per_client[(period, law, client)].append(net)
    groups: dict[tuple[str, str], list[Fraction | int]] = defaultdict(lambda: [Fraction(0), 0, 0])
    for (period, law, _), nets in per_client.items():
        group = groups[(period, law)]
        group[0] += sum(nets)
        group[1] += int(sum(nets) > ABOVE_ZERO)
        group[2] += sum(1 for n in nets if n > ABOVE_ZERO)
    rows = []
    for (period, law), (amount, clients, months) in groups.items():
        exact = Fraction(amount) * 100
        cents = (1 if exact >= 0 else -1) * math.floor(abs(exact) + Fraction(1, 2))  # half away from zero
        if cents == 0 and clients == 0:
            continue
        rows.append((period, *((law,) if by_law else ()), cents / 100, clients, months))
    return sorted(rows)


@settings(
    max_examples=COUNT, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
)
@given(
    lines=lines_strategy,
    lengths=st.lists(st.integers(0, 80), min_size=12, max_size=12),
    moment=st.dates(date(2024, 3, 1), LAST),
    grain=st.sampled_from(list(GRAIN_MONTHS)),
    by_law=st.booleans(),
)
@example(  # 0.81 over 72 days puts exactly half a cent (0.045) in May: rounded half away from zero
    lines=[Line(1, "WMO", date(2024, 2, 23), FIRST, 81, credit=False, approved=True)],
    lengths=[71],
    moment=date(2024, 6, 1),
    grain="month",
    by_law=False,
)
def test_costs_agree_with_the_reference(
    lines: list[Line], lengths: list[int], moment: date, grain: str, by_law: bool
) -> None:
    lines = [
        Line(ln.client, ln.law, ln.start, ln.start + timedelta(days=n), ln.cents, ln.credit, ln.approved)
        for ln, n in zip(lines, lengths, strict=False)
    ]
    with tempfile.TemporaryDirectory() as folder, open_warehouse(Path(folder) / "sdm.duckdb") as warehouse:
        insert_lines(
            warehouse,
            [
                line(
                    f"l{i}",
                    ln.client,
                    ln.start.isoformat(),
                    ln.end.isoformat(),
                    ln.cents / 100,
                    law=ln.law,
                    debit_credit="C" if ln.credit else "D",
                    status="toegekend" if ln.approved else "afgewezen",
                )
                for i, ln in enumerate(lines)
            ],
        )
        record_load(warehouse, moment)
        request = MetricRequest(
            "costs", grain=grain, start=FIRST, end=min(LAST, moment), by=("law",) if by_law else ()
        )
        result = run_metric(warehouse, request)
    width = 2 if by_law else 1
    engine = sorted((*row[:width], row[width], row[width + 1], row[width + 3]) for row in result.rows)
    assert engine == reference(lines, moment, grain, by_law)
