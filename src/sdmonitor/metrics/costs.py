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

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import ibis
from ibis.expr.types import Table, Value

from sdmonitor.domain.formatting import dutch_decimal
from sdmonitor.metrics.dimensions import STATIC, UNKNOWN, age_dimension, age_on
from sdmonitor.metrics.engine import Scope, as_of_cutoff, facts, known_at, small_table
from sdmonitor.metrics.runoff import MAX_LAG, completion_factors, cumulative_triangle
from sdmonitor.warehouse.finance import IndexYear, index_series

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
    lines = known_at(backend.table("declaration_versions"), as_of)
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
    start = month_number(lines.period_start)
    # within one month or not is decided on period_end, not counted_end (least(period_end, moment) on every
    # line first): counted_end lies between the two, so a period within one month is counted within it too;
    # a longer period that the data moment cuts back into its first month unnests to that one month
    within = (lines.period_start.year() == lines.period_end.year()) & (
        lines.period_start.month() == lines.period_end.month()
    )
    single = lines.filter(within).mutate(month=start, months=ibis.literal(0, "int64"))
    counted = single.counted_end.delta(single.period_start, unit="day") + 1
    clipped = single.counted_end < single.period_end  # only then is the share below 1 (the data moment)
    single = single.mutate(share=ibis.ifelse(clipped, counted / single.days.cast("float64"), 1.0))
    multi = lines.filter(~within)
    multi = multi.mutate(month=start, months=month_number(multi.counted_end) - start)
    multi = multi.mutate(offset=ibis.range(0, multi.months + 1).unnest())
    month_first = (multi.period_start.truncate("M") + multi.offset.as_interval("M")).cast("date")
    multi = multi.mutate(month=multi.month + multi.offset, month_first=month_first)
    month_last = (multi.month_first + ibis.interval(months=1)).cast("date") - ibis.interval(days=1)
    overlap_first = ibis.greatest(multi.period_start, multi.month_first)
    overlap_last = ibis.least(multi.counted_end, month_last.cast("date"))
    overlap = overlap_last.delta(overlap_first, unit="day") + 1
    multi = multi.mutate(share=overlap / multi.days.cast("float64")).drop("offset").drop("month_first")
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


# The --by columns of costs that come from the client rather than the line (design §2.2).
CLIENT_COLUMNS = ("wijk", "age_band", "target_group", "segment")
# A net amount counts as above zero from a millionth of a euro: the float rounding of a spread that nets to
# exactly zero (a debit and its credit over the same days) never makes a client.
ABOVE_ZERO = 1e-6


def cost_facts(
    backend: Any, as_of: date | datetime | None, by: tuple[str, ...], moment: date | None = None
) -> Table:
    """The approved lines known at ``as_of`` (``declaration_facts``) with the client attributes ``by`` asks
    for, named as on the allocation facts so that the ``--by`` columns of ``dimensions.STATIC`` apply.

    Line attributes (law, product, provider, delivery form) come from the line. The wijk and the segment's
    product, provider and law come from the linked allocation as known at ``as_of``, else (wijk) from the
    client's most recent allocation, else 'onbekend'; the birth date is the client's earliest (the age is
    taken on the period's last day). The provider type comes from the providers table.
    """
    lines = declaration_facts(backend, as_of, moment, statuses=(APPROVED,))
    if "provider_type" in by:
        providers = backend.table("providers").select("provider_code", "provider_type")
        lines = _left_join(lines, providers, "provider_code")
    if not set(by) & set(CLIENT_COLUMNS):
        return lines
    allocations = facts(backend, as_of, ("wijk",) if "wijk" in by else ())
    if "wijk" in by:
        linked = allocations.group_by("allocation_id").aggregate(linked_wijk=allocations.wijk_name.max())
        lines = _left_join(lines, linked, "allocation_id")
    if "segment" in by:
        segment_columns = allocations.group_by("allocation_id").aggregate(
            a_law=allocations.law.max(),
            a_product_category=allocations.product_category.max(),
            a_product_code=allocations.product_code.max(),
            a_provider_code=allocations.provider_code.max(),
            linked=ibis.literal(True),
        )
        lines = _left_join(lines, segment_columns, "allocation_id")
    per_client: dict[str, Value] = {"birth_date": allocations.birth_date.min()}
    if "wijk" in by:
        per_client["recent_wijk"] = allocations.wijk_name.argmax(allocations.start_date)
    clients = allocations.group_by("client_key").aggregate(**per_client)
    lines = _left_join(lines, clients, "client_key")
    if "wijk" in by:
        lines = lines.mutate(wijk_name=ibis.coalesce(lines.linked_wijk, lines.recent_wijk))
    return lines


def _left_join(left: Table, right: Table, key: str) -> Table:
    """``left`` with the other columns of ``right`` where ``key`` matches (null where nothing does)."""
    right = right.rename(joined_key=key)
    return left.left_join(right, left[key] == right.joined_key).drop("joined_key")


def _with_segments(t: Table, scope: Scope) -> Table:
    """One row per line and segment it belongs to (``g_segment``): by its allocation's law, product and
    provider when it has one, else by its own."""
    own = ("law", "product_category", "product_code", "provider_code")
    judged = t.mutate(**{f"line_{c}": t[c] for c in own})
    judged = judged.mutate(
        **{c: ibis.ifelse(judged.linked.notnull(), judged[f"a_{c}"], judged[c]) for c in own}
    )
    parts = [judged.filter(s.matches(judged)).mutate(g_segment=ibis.literal(s.name)) for s in scope.segments]
    if not parts:
        return t.filter(ibis.literal(False)).mutate(g_segment=ibis.literal(""))
    both = ibis.union(*parts)
    both = both.mutate(**{c: both[f"line_{c}"] for c in own})
    return both.select(*(c for c in both.columns if not c.startswith("line_")))  # drop() orders a set


def costs(t: Table, scope: Scope, prices: PriceBasis | None = None) -> Table:
    """``amount``, ``paid_clients`` and ``client_months`` per period and group (the ratios are declared in
    the catalogue); with ``prices`` also ``amount_prices`` (every month's amount times the factor of its
    year).

    One aggregation per client, month and group; then (for periods longer than a month) one per client,
    period and group, whose net amounts above zero are the paid clients; then one per period and group.
    """
    months_per_slot = scope.months_per_slot or 1
    first_month = scope.first.year * 12 + scope.first.month - 1
    static = [name for name in scope.static if name != "segment"]
    columns = {f"g_{name}": STATIC[name](t) for name in static}
    t = t.mutate(**columns) if columns else t
    if "segment" in scope.static:
        t = _with_segments(t, scope)
    rows = spread_numbers(t, scope.first, scope.last)
    groups = [f"g_{name}" for name in scope.static]
    slots = _slots(scope)
    if scope.ageing:  # the age is taken on the period's last day: the period first
        rows = rows.mutate(slot_index=_slot_index(rows.month, first_month, months_per_slot))
        rows = rows.join(slots, "slot_index")
        rows = rows.mutate(birth=rows.birth_date, law_for_age=rows.law)
        rows = rows.mutate(**{name: _age(rows, name, scope) for name in scope.ageing})
        groups = [*groups, *scope.ageing]
    per_month = rows.group_by(["month", "client_key", *groups]).aggregate(amount=rows.amount.sum())
    values = ["amount"]
    if prices is not None:  # the factor of the month's year
        per_month = per_month.mutate(amount_prices=per_month.amount * prices.factor_of(per_month.month // 12))
        values.append("amount_prices")
    per_month = per_month.mutate(slot_index=_slot_index(per_month.month, first_month, months_per_slot))
    positive = (per_month.amount > ABOVE_ZERO).cast("int64")
    if months_per_slot == 1:  # the month is the period
        per_client = per_month.mutate(positive_months=positive)
    else:
        per_client = per_month.group_by(["slot_index", "client_key", *groups]).aggregate(
            positive_months=positive.sum(), **{name: per_month[name].sum() for name in values}
        )
    result = per_client.group_by(["slot_index", *groups]).aggregate(
        paid_clients=(per_client.amount > ABOVE_ZERO).cast("int64").sum(),
        client_months=per_client.positive_months.sum(),
        **{name: _cents(per_client[name].sum()) for name in values},
    )
    result = result.filter((result.amount != 0) | (result.paid_clients > 0))
    result = result.join(slots, "slot_index")
    return result.rename({name: f"g_{name}" for name in scope.static}).drop("slot_index")


def _slot_index(month: Value, first_month: int, months_per_slot: int) -> Value:
    """The index of the period a month number lies in (periods of ``months_per_slot`` months from
    ``first_month``)."""
    if months_per_slot == 1:
        return month - first_month
    return (month - first_month) // months_per_slot


def _cents(euros: Value) -> Value:
    """A float sum of euros rounded to cents, half away from zero, without float noise: first to a
    millionth (a decimal), then to cents in decimal arithmetic (0.045 is 0.05, also when the float sum is
    0.04499999999999999)."""
    return euros.cast("decimal(18, 6)").round(2).cast("float64")


def _slots(scope: Scope) -> Table:
    return small_table(
        {
            "slot_index": list(range(len(scope.slots))),
            "slot": [s.label for s in scope.slots],
            "slot_last": [s.last for s in scope.slots],
        },
        {"slot_index": "int64", "slot": "string", "slot_last": "date"},
    )


def _age(rows: Table, name: str, scope: Scope) -> Value:
    """The age band or target group on the period's last day; 'onbekend' for a client without a birth date
    (no allocation), except that Jeugdwet costs are 'jeugd' at any age."""
    known = age_dimension(name, age_on(rows.birth, rows.slot_last), rows.law_for_age, scope.bands)
    unknown: Value = ibis.literal(UNKNOWN)
    if name == "target_group":
        unknown = ibis.ifelse(rows.law_for_age == "JW", ibis.literal("jeugd"), unknown)
    return ibis.ifelse(rows.birth.isnull(), unknown, known)


DEFAULT_INDEX = "vng-ova-ppc"


@dataclass(frozen=True)
class PriceBasis:
    """The prices of ``year`` in series ``series``: per delivery year the factor its amounts are multiplied
    by, and the index figures that went into them (docs/metrics.md, "costs", --prices)."""

    year: int
    series: str
    factors: tuple[tuple[int, float], ...]  # (delivery year, factor), unrounded
    figures: tuple[IndexYear, ...]  # the years whose percentage a factor used

    def factor_of(self, year: Value) -> Value:
        """The factor of a delivery-year expression (1 for a year outside ``factors``; none is asked)."""
        return year.cases(*self.factors, else_=ibis.literal(1.0))

    def describe(self) -> str:
        """'prijzen 2025, reeks vng-ova-ppc: 2024 definitief 5,71 %, 2025 voorlopig 3,944 %'."""
        used = ", ".join(
            f"{f.year} {f.status} {dutch_decimal(f.percentage, _decimals(f.percentage))} %"
            for f in self.figures
        )
        return f"prijzen {self.year}, reeks {self.series}" + (
            f": {used}" if used else " (geen indexatie nodig)"
        )


def _decimals(value: float) -> int:
    """The decimals a percentage was published with (5.71 -> 2, 3.944 -> 3, 10.0 -> 1)."""
    text = f"{value:.6f}".rstrip("0")
    return max(1, len(text.partition(".")[2]))


def price_basis(
    backend: Any, year: int, series: str, as_of: date | datetime | None, delivery_years: range
) -> PriceBasis:
    """The factors to the prices of ``year`` for the delivery years asked, from ``series`` as known at
    ``as_of`` (``warehouse.finance.index_series``: a year's 'definitief' figure when one is known then, else
    its 'voorlopig' one); the factor of year y is the product of (1 + p/100) over y+1..year, or 1 divided by
    the product over year+1..y for a later y (design §2.3).

    Refuses (InputError, in Dutch) a series that is not loaded and a year it needs without a figure.
    """
    index = index_series(backend, series, None if as_of is None else as_of_cutoff(as_of))
    factors = tuple((y, index.factor(y, year)) for y in delivery_years)
    needed = sorted({k for y in delivery_years for k in range(min(y, year) + 1, max(y, year) + 1)})
    return PriceBasis(year, series, factors, tuple(index.year(k) for k in needed))


# -- expected completeness: periods still missing late declarations ('onvolledig') -------------------------

COMPLETE_ENOUGH = 0.95  # a period expected to be less complete than this is 'onvolledig'
COMPLETENESS_MONTHS = 24  # the run-off triangle: the delivery months of the last two years before the moment
FALLBACK_MONTHS = 2  # without submission dates: the last two complete months are 'onvolledig'


@dataclass(frozen=True)
class Completeness:
    """How complete the approved costs of each recent delivery month are expected to be at the data moment
    (docs/metrics.md, "costs", "Late declarations"): per month number the amount known and the completion
    factor c of its lag (``metrics/runoff.py``), pooled over all lines. ``by_factors`` false: the warehouse
    has no submission dates, and the last ``FALLBACK_MONTHS`` complete months count as incomplete."""

    months: tuple[tuple[int, float, float], ...]  # (month number, amount known, completion factor)
    by_factors: bool

    def of(self, first: date, last: date) -> float | None:
        """The expected completeness of the period ``first..last``: the amount known over the expected final
        amount (each month's known amount / its c), so months weigh by their amount. A month with c = 0
        (usually nothing is known yet at its lag) is expected to come to the mean expected final amount of
        the months judged with c > 0. None when the period has no amount in the months judged."""
        low, high = month_number_of(first), month_number_of(last)
        inside = [(a, c) for m, a, c in self.months if low <= m <= high]
        finals = [a / c for _, a, c in self.months if c > 0 and a > 0]
        prior = sum(finals) / len(finals) if finals else 0.0
        known = sum(a for a, _ in inside)
        expected = sum(a / c if c > 0 else max(a, prior) for a, c in inside)
        if expected <= 0 or known <= 0:
            return None
        return min(1.0, known / expected)

    def incomplete(self, first: date, last: date) -> bool:
        """Whether the period ``first..last`` is 'onvolledig': expected less than ``COMPLETE_ENOUGH``
        complete by the factors; without submission dates, when it holds one of the fallback months."""
        if not self.by_factors:
            low, high = month_number_of(first), month_number_of(last)
            return any(low <= m <= high and c < 1 for m, _, c in self.months)
        share = self.of(first, last)
        return share is not None and share < COMPLETE_ENOUGH


def month_number_of(day: date) -> int:
    """``month_number`` of a Python date."""
    return day.year * 12 + day.month - 1


def completeness(backend: Any, as_of: date | datetime | None, moment: date) -> Completeness:
    """The expected completeness of the delivery months of the ``COMPLETENESS_MONTHS`` months up to the data
    ``moment``, from one aggregation over the approved lines as known (``declaration_facts``, spread): the
    amount per delivery month and lag in months to its submission month, with or without a given date.

    The completion factors are chain-ladder factors (``runoff.completion_factors``) of the triangle of the
    lines whose submission date was given, pooled over all laws and lines; a submission month counts once
    it is over. Without any given date the factors are unknown: the last ``FALLBACK_MONTHS`` months that are
    over at the moment get c = 0.5 (incomplete), the others 1.
    """
    now = month_number_of(moment)
    month_end = (moment + timedelta(days=1)).day == 1
    last_complete = now if month_end else now - 1
    first = now - COMPLETENESS_MONTHS + 1
    lines = declaration_facts(backend, as_of, moment, statuses=(APPROVED,))
    lines = lines.filter(lines.period_start >= date(first // 12, first % 12 + 1, 1))
    month = month_number(lines.period_start)  # a line's delivery month is that of its start (see above)
    lag = month_number(lines.submitted_on) - month
    cells = lines.group_by(
        month=month, lag=ibis.least(ibis.greatest(lag, 0), MAX_LAG), given=lines.submitted_given
    ).aggregate(amount=lines.amount.sum())
    rows = backend.to_pyarrow(cells).to_pylist()
    amounts: dict[int, float] = {}
    dated: list[tuple[int, int, float]] = []
    for row in rows:
        month, value = int(row["month"]), float(row["amount"] or 0.0)
        amounts[month] = amounts.get(month, 0.0) + value
        if row["given"]:
            dated.append((month, int(row["lag"]), value))
    months = range(first, now + 1)
    if not dated:
        fallback = range(last_complete - FALLBACK_MONTHS + 1, last_complete + 1)
        return Completeness(
            tuple((m, amounts.get(m, 0.0), 0.5 if m in fallback else 1.0) for m in months), by_factors=False
        )
    h, k, a = zip(*dated, strict=True)
    triangle = cumulative_triangle(h, k, a, last_known=last_complete, months=months)
    factors = completion_factors(triangle)
    return Completeness(
        tuple((m, amounts.get(m, 0.0), factors.at(last_complete - m)) for m in months), by_factors=True
    )
