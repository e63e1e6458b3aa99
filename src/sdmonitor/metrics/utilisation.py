"""Utilisation (verzilvering): declared volume against allocated volume, per allocation and month.

docs/metrics.md ("utilisation") has the definition with worked example U; docs/design/money.md §2.4 the
reasoning. In short:

- ``allocated_volume``: per allocation and calendar month, the volume allocated for the days the allocation
  runs in that month (within a window), in the allocation's own unit, by its iWmo/iJw frequency: per day
  (``1``) volume x days; per week (``2``) volume x days / 7; per month (``4``) volume x days / days of the
  month; in total (``6``) volume x days / days of the whole validity (an open-ended total cannot be spread).
  Unit ``83`` (euros) is a budget given in cents (IV042): allocated in euros, volume / 100. The forecast uses
  it for months after the data moment too (commitments = allocated volume x tariff x utilisation).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import ibis
from ibis.expr.types import Table, Value

from sdmonitor.metrics import engine

MINUTES, HOURS, EUROS = "01", "04", "83"
PER_DAY, PER_WEEK, PER_MONTH, IN_TOTAL = "1", "2", "4", "6"
# the columns of an allocation ``allocated_volume`` needs besides its dates
VOLUME_COLUMNS = ("volume", "unit", "frequency")


def allocation_facts(
    backend: Any,
    as_of: date | datetime | None,
    by: Sequence[str] = (),
    moment: date | None = None,
) -> Table:
    """The allocations that count (``engine.facts``, the one place of the as-of and data-moment rules) with
    their volume, unit and frequency.

    For volumes, pass no ``moment`` and end the window of ``allocated_volume`` at the data moment instead:
    with a moment a planned end becomes an open end, and a total (frequency 6) is spread over the whole
    validity, planned end included.
    """
    return engine.facts(backend, as_of, by, moment, carry=VOLUME_COLUMNS)


def months(first: date, last: date) -> Table:
    """The calendar months that touch ``first..last`` (inclusive): month (its first day), month_last,
    month_days."""
    firsts, lasts = [], []
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        firsts.append(month)
        lasts.append(following - timedelta(days=1))
        month = following
    return ibis.memtable(
        {
            "month": firsts,
            "month_last": lasts,
            "month_days": [(b - a).days + 1 for a, b in zip(firsts, lasts, strict=True)],
        },
        schema={"month": "date", "month_last": "date", "month_days": "int64"},
    )


def allocated_volume(allocations: Table, first: date, last: date) -> Table:
    """One row per allocation and calendar month in which it runs on some day of ``first..last`` (inclusive):
    the allocation's columns plus ``month`` (first day), ``month_last``, ``month_days``, ``days`` (the days it
    runs in that month within the window) and ``allocated_volume`` (in the allocation's ``unit``; euros for
    unit 83).

    ``allocations`` needs start_date, end_date (inclusive; null = open-ended), volume, unit and frequency
    (``allocation_facts``). ``allocated_volume`` is null when it cannot be known: no volume or unit, a
    frequency other than 1, 2, 4 or 6 (after leading zeros), or frequency 6 (in total) without an end date.
    Those rows are kept, so that a caller sees every month an allocation runs in.
    """
    calendar = months(first, last)
    end = ibis.coalesce(allocations.end_date, ibis.literal(engine.OPEN_END))
    joined = allocations.join(
        calendar,
        [
            allocations.start_date <= calendar.month_last,
            end >= calendar.month,
            allocations.start_date <= ibis.literal(last),
            end >= ibis.literal(first),
        ],
    )
    end = ibis.coalesce(joined.end_date, ibis.literal(engine.OPEN_END))
    from_day = ibis.greatest(joined.start_date, joined.month, ibis.literal(first))
    to_day = ibis.least(end, joined.month_last, ibis.literal(last))
    joined = joined.mutate(days=(to_day.delta(from_day, unit="day") + 1).cast("int64"))
    return joined.mutate(allocated_volume=_allocated(joined))


def _allocated(t: Table) -> Value:
    """The allocated volume of ``t.days`` days of a month (see ``allocated_volume``)."""
    volume = ibis.ifelse(t.unit == EUROS, t.volume / 100, t.volume)
    validity = (t.end_date.delta(t.start_date, unit="day") + 1).cast("float64")
    frequency = t.frequency.strip().re_replace("^0+", "")
    days = t.days.cast("float64")
    spread = frequency.cases(
        (PER_DAY, volume * days),
        (PER_WEEK, volume * days / 7),
        (PER_MONTH, volume * days / t.month_days.cast("float64")),
        (IN_TOTAL, volume * days / validity),
        else_=ibis.null().cast("float64"),
    )
    return ibis.ifelse(t.unit.isnull(), ibis.null().cast("float64"), spread)
