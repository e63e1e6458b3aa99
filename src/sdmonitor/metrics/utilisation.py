"""Utilisation (verzilvering): declared volume against allocated volume, per allocation and month.

docs/metrics.md ("utilisation") has the definition with worked example U; docs/design/money.md §2.4 the
reasoning. In short:

- ``allocated_volume``: per allocation and calendar month, the volume allocated for the days the allocation
  runs in that month (within a window), in the allocation's own unit, by its iWmo/iJw frequency: per day
  (``1``) volume x days; per week (``2``) volume x days / 7; per month (``4``) volume x days / days of the
  month; in total (``6``) volume x days / days of the whole validity (an open-ended total cannot be spread).
  Unit ``83`` (euros) is a budget given in cents (IV042): allocated in euros, volume / 100. The forecast uses
  it for months after the data moment too (commitments = allocated volume x tariff x utilisation).
- ``declared_volume``: per allocation and month, the approved (toegekend) declared volume on it, spread over
  the days of each line's delivery period, credits negative, converted to the allocation's unit (minutes and
  hours x 60; nothing else converts); for a budget (unit 83) the declared amount in euros (TR369).
- ``utilisation`` (the query): per period, ``--by`` group and unit, the sum of the declared volume over the
  sum of the allocated volume of the complete months (month end on or before the data moment): a ratio of
  sums, weighted by allocated volume, never a mean of ratios; units never mix (``unit`` names the row).
- ``utilisation_rates``: per product, provider and unit over the 12 complete months before a moment, shrunk
  towards the product's rate (the forecast's u, design §3.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import ibis
from ibis.expr.types import Table, Value

from sdmonitor.metrics import costs, engine

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
    """The allocations that count (``engine.facts``, the one place of the as-of rules) with their volume,
    unit and frequency; with a data ``moment``, those that started by then.

    End dates stay as registered, also after the moment: a total (frequency 6) is spread over the whole
    validity, planned end included, and the forecast ends commitments at planned ends. What lies after the
    moment is cut by the window of ``allocated_volume`` instead.
    """
    t = engine.facts(backend, as_of, by, None, carry=VOLUME_COLUMNS)
    return t if moment is None else t.filter(t.start_date <= ibis.literal(moment))


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
    days = [(b - a).days + 1 for a, b in zip(firsts, lasts, strict=True)]
    return engine.small_table(  # typed, so that an empty window is an empty table
        {"month": firsts, "month_last": lasts, "month_days": days},
        {"month": "date", "month_last": "date", "month_days": "int64"},
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
    frequency = t.frequency.re_replace("^0+", "")
    days = t.days.cast("float64")
    spread = frequency.cases(
        (PER_DAY, volume * days),
        (PER_WEEK, volume * days / 7),
        (PER_MONTH, volume * days / t.month_days.cast("float64")),
        (IN_TOTAL, volume * days / validity),
        else_=ibis.null().cast("float64"),
    )
    return ibis.ifelse(t.unit.isnull(), ibis.null().cast("float64"), spread)


def declaration_months(
    backend: Any,
    as_of: date | datetime | None,
    moment: date | None,
    first: date,
    last: date,
    submitted_by: date | None = None,
) -> Table:
    """The approved declared lines on an allocation, spread over the months of ``first..last`` their delivery
    period touches (``costs.declaration_facts`` and ``costs.month_spread``, the one place of the as-of,
    data-moment and spread rules for declarations): allocation_id, month, unit, volume and amount (each the
    line's signed share of that month, unrounded). ``submitted_by``: only lines submitted on or before that
    day (a forecast replayed from business dates, docs/forecast.md "Replay")."""
    lines = costs.declaration_facts(backend, as_of, moment, (costs.APPROVED,))
    lines = lines.filter(lines.allocation_id.notnull())
    if submitted_by is not None:
        lines = lines.filter(lines.submitted_on <= submitted_by)
    return costs.month_spread(lines, first, last).select("allocation_id", "month", "unit", "volume", "amount")


def _converted(t: Table) -> Value:
    """A declared line's share in the unit of its allocation (``allocation_unit``): the amount in euros for a
    budget (83), the volume in the same unit, minutes as hours / 60 and hours as minutes x 60 (TR346); null
    (not counted) for any other unit, and for a line without a unit."""
    return ibis.cases(
        (t.allocation_unit == EUROS, t.amount),
        (t.unit == t.allocation_unit, t.volume),
        ((t.unit == MINUTES) & (t.allocation_unit == HOURS), t.volume / 60),
        ((t.unit == HOURS) & (t.allocation_unit == MINUTES), t.volume * 60),
        else_=ibis.null().cast("float64"),
    )


def with_declared(allocated: Table, declarations: Table) -> Table:
    """The rows of ``allocated_volume`` with a known volume, each with ``declared_volume``: the declared
    volume (``declaration_months``) on that allocation in that month, in its unit (0 when none)."""
    allocated = allocated.filter(allocated.allocated_volume.notnull())
    units = allocated.select(
        d_allocation_id=allocated.allocation_id, d_month=allocated.month, allocation_unit=allocated.unit
    ).distinct()
    lines = declarations.join(
        units, [declarations.allocation_id == units.d_allocation_id, declarations.month == units.d_month]
    )
    declared = lines.group_by(["d_allocation_id", "d_month"]).aggregate(declared=_converted(lines).sum())
    joined = allocated.left_join(
        declared,
        [allocated.allocation_id == declared.d_allocation_id, allocated.month == declared.d_month],
    )
    return joined.mutate(declared_volume=ibis.coalesce(joined.declared, 0.0)).drop(
        "d_allocation_id", "d_month", "declared"
    )


def complete_until(last: date, moment: date | None) -> date:
    """The last day of ``..last`` that lies in a month complete at the data ``moment`` (its last day on or
    before the moment); ``last`` itself without a moment."""
    if moment is None:
        return last
    is_month_end = (moment + timedelta(days=1)).day == 1
    return min(last, moment if is_month_end else moment.replace(day=1) - timedelta(days=1))


def utilisation_months(
    t: Table,
    first: date,
    last: date,
    as_of: date | datetime | None,
    moment: date | None,
    submitted_by: date | None = None,
) -> Table:
    """Per allocation of ``t`` (``allocation_facts``) and month of ``first..last`` with a known allocated
    volume: its columns, ``allocated_volume`` and ``declared_volume`` (declarations as known at ``as_of``,
    realised up to the data ``moment``, submitted by ``submitted_by`` when given)."""
    declarations = declaration_months(t.get_backend(), as_of, moment, first, last, submitted_by)
    return with_declared(allocated_volume(t, first, last), declarations)


def utilisation(t: Table, scope: engine.Scope) -> Table:
    """``utilisation``: per slot, ``--by`` group and unit, the allocated and declared volume summed over the
    allocations and their months complete at the data moment, the allocations and clients behind them (the
    fraction is declared in the catalogue: a ratio of the sums)."""
    last = complete_until(scope.last, scope.moment)
    rows = utilisation_months(engine.with_static(t, scope), scope.first, last, scope.as_of, scope.moment)
    rows = engine._events_in_slots(rows.mutate(birth=rows.birth_date, law_for_age=rows.law), "month", scope)
    rows = engine._finish(rows, scope)
    return rows.group_by(["slot", *scope.by, "unit"]).aggregate(
        allocated_volume=rows.allocated_volume.sum(),
        declared_volume=rows.declared_volume.sum(),
        util_allocations=rows.allocation_id.nunique(),
        util_clients=rows.client_key.nunique(),
    )


SHRINKAGE = 50  # allocation-months of weight the product's rate has against a provider's (design §3.3)
CAP = 1.5  # the highest rate a forecast uses


def utilisation_rates(
    backend: Any,
    cutoff: date,
    months: int = 12,
    as_of: date | datetime | None = None,
    weight: int = SHRINKAGE,
    submitted_by: date | None = None,
) -> Table:
    """The forecast's utilisation u per product_code, provider_code and unit: over the ``months`` months
    complete at ``cutoff`` (the forecast's data moment; the newest is the last month whose last day is on or
    before it), from the allocations started by then and the declarations as known at ``as_of`` (None:
    current; the forecast's replay passes its moment).

    Columns: product_code, provider_code, unit (null codes form their own group), allocation_months (n: the
    allocation-month pairs with an allocated volume), allocated_volume, declared_volume, provider_rate (their
    ratio), product_rate (the same ratio over every provider of the product, same unit) and utilisation =
    (n x provider_rate + weight x product_rate) / (n + weight), kept within 0..``CAP``. A product, provider
    and unit without history has no row: fall back to the product's rate (another provider's row), else 1.
    ``submitted_by``: only declarations submitted on or before it (the forecast's replay from business dates).
    """
    last = complete_until(cutoff, cutoff)
    first = _months_before(last, months)
    t = allocation_facts(backend, as_of, (), cutoff)
    rows = utilisation_months(t, first, last, as_of, cutoff, submitted_by)
    keys = ["product_code", "provider_code", "unit"]
    cells = rows.group_by(keys).aggregate(
        allocation_months=rows.count(),
        allocated_volume=rows.allocated_volume.sum(),
        declared_volume=rows.declared_volume.sum(),
    )
    products = cells.group_by(["product_code", "unit"]).aggregate(
        p_allocated=cells.allocated_volume.sum(), p_declared=cells.declared_volume.sum()
    )
    same_product = (cells.product_code == products.product_code) | (
        cells.product_code.isnull() & products.product_code.isnull()
    )
    joined = cells.join(products, [same_product, cells.unit == products.unit])
    provider_rate = joined.declared_volume / joined.allocated_volume.nullif(0)
    product_rate = joined.p_declared / joined.p_allocated.nullif(0)
    n = joined.allocation_months.cast("float64")
    shrunk = (n * ibis.coalesce(provider_rate, product_rate) + weight * product_rate) / (n + weight)
    return joined.select(
        *keys,
        "allocation_months",
        "allocated_volume",
        "declared_volume",
        provider_rate=provider_rate,
        product_rate=product_rate,
        utilisation=ibis.least(ibis.greatest(shrunk, 0.0), CAP),
    )


def _months_before(last: date, months: int) -> date:
    """The first day of the ``months`` calendar months ending with the month of ``last``."""
    index = last.year * 12 + last.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)
