"""Costs from declarations: the declared lines as known, spread over their delivery months, and the ``costs``
metric (docs/metrics.md, "costs"; design in docs/design/money.md §2.1-2.3).

``declaration_facts`` is the one place where the as-of and data-moment rules for declarations live, as
``engine.facts`` is for allocations: a version counts when it was known at ``--as-of``; a line whose delivery
period starts after the data moment is planned and left out, and the days of a period after the data moment
are planned too (``counted_end``). ``month_spread`` attributes every line to the months of its delivery
period in proportion to days (a period within one month belongs to that month). Every figure on money
(``costs``, utilisation, the forecast) reads the declarations through these two functions.

Formulated for speed at national scale: a line within one month (nearly all of them; OP367 forbids a 323
prestatie over two months) is not expanded; only multi-month lines are unnested to one row per month. The
costs query then aggregates once per client, month and group before it counts clients and client-months.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import ibis
from ibis.expr.types import Table, Value

from sdmonitor.metrics.engine import as_of_cutoff

APPROVED = "toegekend"  # the municipality's decision that makes a declared line a cost
CREDIT = "C"

# The columns of a declared line that ``declaration_facts`` gives, besides its days.
LINE_COLUMNS = (
    "source", "declaration_id", "provider_key", "debit_credit", "client_key", "allocation_id", "law",
    "product_category", "product_code", "provider_code", "delivery_form", "period_start", "period_end",
    "unit", "status", "submitted_on", "submitted_given",
)  # fmt: skip


def declaration_facts(
    backend: Any,
    as_of: date | datetime | None,
    moment: date | None = None,
    statuses: tuple[str, ...] | None = None,
) -> Table:
    """The declared lines that count: current, or known at the end of the day ``as_of`` (at the moment, for
    a datetime), with their sign applied and the days of their delivery period that are realised.

    With a data ``moment`` (docs/metrics.md, "Realised, planned and incomplete"), a line whose period starts
    after it is planned and left out, and the days after it are planned: ``counted_end`` is the earlier of
    ``period_end`` and the moment. ``statuses`` keeps only lines with those statuses (``('toegekend',)`` for
    costs; the forecast also reads 'ingediend'); None keeps all.

    Columns: ``LINE_COLUMNS``, ``counted_end``, ``days`` (all days of the period, inclusive), ``amount`` and
    ``volume`` signed (a credit negative; float euros and units, unrounded).
    """
    lines = backend.table("declaration_versions")
    if as_of is None:
        lines = lines.filter(lines.superseded_at.isnull())
    else:
        cutoff = ibis.literal(as_of_cutoff(as_of))
        lines = lines.filter(
            (lines.known_from < cutoff) & (lines.superseded_at.isnull() | (lines.superseded_at >= cutoff))
        )
    if statuses is not None:
        lines = lines.filter(
            lines.status == statuses[0] if len(statuses) == 1 else lines.status.isin(list(statuses))
        )
    counted_end: Value = lines.period_end
    if moment is not None:
        lines = lines.filter(lines.period_start <= moment)
        counted_end = ibis.least(lines.period_end, ibis.literal(moment))
    sign = ibis.ifelse(lines.debit_credit == CREDIT, -1.0, 1.0)
    return lines.select(
        *LINE_COLUMNS,
        counted_end=counted_end,
        days=lines.period_end.delta(lines.period_start, unit="day") + 1,
        amount=lines.amount.cast("float64") * sign,
        volume=lines.volume * sign,
    )


def month_number(day: Value) -> Value:
    """Months since year 0 (year * 12 + month - 1): the integer the spread and the slots compare."""
    return day.year() * 12 + day.month() - 1


def spread_numbers(lines: Table, first: date | None = None, last: date | None = None) -> Table:
    """``lines`` (as ``declaration_facts`` gives them) spread over their months: one row per line and month
    of ``period_start..counted_end``, with ``month`` (``month_number``) and the line's share of that month in
    ``amount`` and ``volume``: share = days of the period in the month / days of the whole period.

    ``first``/``last``: only the months from the month of ``first`` to the month of ``last`` (lines outside
    are dropped before the spread). A line within one month is not expanded; only a line over several months
    is unnested to one row per month (``range`` of its month offsets).
    """
    if first is not None:
        lines = lines.filter(lines.counted_end >= first)
    if last is not None:
        lines = lines.filter(lines.period_start <= last)
    start, end = month_number(lines.period_start), month_number(lines.counted_end)
    lines = lines.mutate(month=start, months=end - start)
    single = lines.filter(lines.months == 0)
    counted = single.counted_end.delta(single.period_start, unit="day") + 1
    single = single.mutate(share=counted / single.days.cast("float64"))
    multi = lines.filter(lines.months > 0)
    multi = multi.mutate(offset=ibis.range(0, multi.months + 1).unnest())
    month_first = (multi.period_start.truncate("M") + multi.offset.as_interval("M")).cast("date")
    multi = multi.mutate(month=multi.month + multi.offset, month_first=month_first)
    month_last = (multi.month_first + ibis.interval(months=1)).cast("date") - ibis.interval(days=1)
    overlap_first = ibis.greatest(multi.period_start, multi.month_first)
    overlap_last = ibis.least(multi.counted_end, month_last.cast("date"))
    overlap = overlap_last.delta(overlap_first, unit="day") + 1
    multi = multi.mutate(share=overlap / multi.days.cast("float64")).drop("offset", "month_first")
    both = ibis.union(single, multi)
    if first is not None:
        both = both.filter(both.month >= first.year * 12 + first.month - 1)
    if last is not None:
        both = both.filter(both.month <= last.year * 12 + last.month - 1)
    return both.mutate(amount=both.amount * both.share, volume=both.volume * both.share).drop("months")


def month_spread(lines: Table, first: date | None = None, last: date | None = None) -> Table:
    """One row per line and month it touches (within the months of ``first..last`` when given): client_key,
    month (its first day), law, product_category, product_code, provider_code, delivery_form,
    allocation_id, amount and volume (the line's signed share of that month), share, submitted_on, status,
    and the line's key (source, declaration_id, provider_key, debit_credit) and unit.

    The public form of ``spread_numbers`` for the forecast and utilisation (the costs query uses the
    month numbers directly).
    """
    spread = spread_numbers(lines, first, last)
    month = ibis.date(spread.month // 12, spread.month % 12 + 1, 1)
    return spread.select(
        "client_key", month=month, law=spread.law, product_category=spread.product_category,
        product_code=spread.product_code, provider_code=spread.provider_code,
        delivery_form=spread.delivery_form, allocation_id=spread.allocation_id, amount=spread.amount,
        volume=spread.volume, share=spread.share, submitted_on=spread.submitted_on, status=spread.status,
        source=spread.source, declaration_id=spread.declaration_id, provider_key=spread.provider_key,
        debit_credit=spread.debit_credit, unit=spread.unit,
    )  # fmt: skip
