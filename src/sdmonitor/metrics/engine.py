"""Metric queries, written once as Ibis expressions so that they run unchanged on DuckDB and Spark.

The formulations are chosen for speed at national scale (docs/metrics.md has the definitions):

- ``clients``/``stock``: per allocation a bit mask of the periods (or dates) it runs in, OR-ed per client
  and group (``bit_or``), then one sum per period; with age columns (and for ``profile``/``repeat_use``) one
  aggregation per client flags each period (``bool_or``), unpivoted to one row per client and period.
- ``allocations``: a range join of allocations with the (few) periods.
- ``flows``: episode boundaries from one sort with two window frames; ``duration``/``reentry``/
  ``outflow_rate``: the episode table (gaps and islands); events go to calendar periods by month arithmetic.

Ratios, fractions and differences of measures (``outflow_rate``, ``net``, ...) are not computed here: they are
declared in ``metrics/catalogue.py`` and added by ``metrics/compile.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import ibis
import ibis.selectors as selectors
import pyarrow as pa
from ibis.expr.types import Table, Value

from sdmonitor.domain.periods import Period
from sdmonitor.errors import InputError
from sdmonitor.metrics.dimensions import AGE, STATIC, AgeBands, Segment, age_dimension, age_on

__all__ = ["AGE", "STATIC", "Scope"]

ALL_COLUMNS = (*STATIC, *AGE)

OPEN_END = date(9999, 12, 31)
STACK_BY_GROUP = "cbs_group"  # stacking over product groups (the default) ...
STACK_BY = (STACK_BY_GROUP, "law")  # ... or over laws (JW, PW, WMO)


@dataclass(frozen=True)
class Scope:
    """What every query needs: the slots (periods or reference dates), the groups and the options."""

    slots: tuple[Period, ...]
    by: tuple[str, ...]
    bands: AgeBands
    segments: tuple[Segment, ...] = ()
    max_gap_days: int = 0
    months_per_slot: int | None = None  # calendar periods of this many months; None for reference dates
    as_of: date | datetime | None = None  # the request's --as-of (a query that reads more than its facts)
    moment: date | None = None  # the data moment, also with --planned (None: no loads)

    @property
    def static(self) -> tuple[str, ...]:
        """The ``--by`` columns that do not depend on the period."""
        return tuple(name for name in self.by if name in STATIC or name == "segment")

    @property
    def ageing(self) -> tuple[str, ...]:
        """The ``--by`` columns that depend on age on the period's last day."""
        return tuple(name for name in self.by if name in AGE)

    @property
    def first(self) -> date:
        return self.slots[0].first

    @property
    def last(self) -> date:
        return self.slots[-1].last


def facts(
    backend: Any,
    as_of: date | datetime | None,
    by: Sequence[str] = ALL_COLUMNS,
    moment: date | None = None,
    carry: Sequence[str] = (),
) -> Table:
    """Allocations that count: current, known at the end of the day ``as_of``, or at the moment ``as_of``.

    With a data ``moment`` the allocations are as realised on that day (docs/metrics.md, "Realised, planned
    and incomplete"): an allocation starting after it is left out (a planned start), and an end date on or
    after it is a planned end, so the allocation is open (an end on the data moment itself is realised). Every metric
    reads the allocations through here, so no figure counts a planned end as outflow or as an ended
    episode. The wijk (from the postcode areas) and the provider type are joined only when ``by`` asks for
    them; ``carry`` names further columns of ``allocation_versions`` to keep (utilisation: volume, unit,
    frequency).
    """
    versions = known_at(backend.table("allocation_versions"), as_of)
    versions = versions.filter(~versions.is_deleted)
    if moment is not None:
        versions = versions.filter(versions.start_date <= moment).mutate(
            end_date=ibis.ifelse(versions.end_date > moment, ibis.null().cast("date"), versions.end_date)
        )
    columns = [
        "allocation_id", "client_key", "birth_date", "gender", "municipality_code", "law", "product_category",
        "product_code", "provider_code", "referrer", "delivery_form", "start_date", "end_date",
        *carry,
    ]  # fmt: skip
    if "wijk" in by:
        versions = versions.left_join(backend.table("postcode_areas").select("pc4", "wijk_name"), "pc4")
        columns.append("wijk_name")
    if "provider_type" in by:
        providers = backend.table("providers").select("provider_code", "provider_type")
        versions = versions.left_join(providers, "provider_code")
        columns.append("provider_type")
    return versions.select(*columns)


def known_at(versions: Table, as_of: date | datetime | None) -> Table:
    """The versions of a versioned table known at the end of the day ``as_of``, or at the moment ``as_of``
    (None: the current ones): ``known_from <= as_of < superseded_at``. The one as-of rule of every figure."""
    if as_of is None:
        return versions.filter(versions.superseded_at.isnull())
    cutoff = ibis.literal(as_of_cutoff(as_of))
    return versions.filter(
        (versions.known_from < cutoff)
        & (versions.superseded_at.isnull() | (versions.superseded_at >= cutoff))
    )


def as_of_cutoff(as_of: date | datetime) -> datetime:
    """The first moment not known any more: the next day for a date, the next microsecond for a moment."""
    if isinstance(as_of, datetime):
        return as_of + timedelta(microseconds=1)
    return datetime.combine(as_of + timedelta(days=1), time())


def with_static(t: Table, scope: Scope) -> Table:
    """Add the static ``--by`` columns (named ``g_<column>``); segments repeat an allocation per segment.

    With age columns, every allocation gets its client's earliest birth date, so that a client has one
    age in every metric even when the source disagrees with itself.
    """
    if scope.ageing:
        t = t.mutate(birth_date=t.birth_date.min().over(ibis.window(group_by=t.client_key)))
    columns = {f"g_{name}": STATIC[name](t) for name in scope.static if name != "segment"}
    t = t.mutate(**columns) if columns else t
    if "segment" in scope.static:
        parts = [t.filter(s.matches(t)).mutate(g_segment=ibis.literal(s.name)) for s in scope.segments]
        t = ibis.union(*parts) if parts else t.filter(ibis.literal(False)).mutate(g_segment=ibis.literal(""))
    return t


def overlapping(t: Table, first: date, last: date) -> Table:
    """Allocations running at some point in ``first..last``."""
    return t.filter((t.start_date <= last) & (t.end_date.isnull() | (t.end_date >= first)))


def _group_columns(scope: Scope) -> list[str]:
    return [f"g_{name}" for name in scope.static]


def small_table(columns: Mapping[str, Sequence[Any]], schema: Mapping[str, str]) -> Table:
    """A small constant table (the periods, the names of masks) for a query, typed by ``schema`` (Ibis type
    names). Built as an Arrow table, not from a dict: Ibis makes a pandas frame of a dict and registers that,
    which costs 0.02-0.05 s on the first call of a command (pandas' string arrays), for a table of 40 rows."""
    types = ibis.schema(schema).to_pyarrow()
    return ibis.memtable(pa.table({name: pa.array(columns[name], types.field(name).type) for name in schema}))


def _slot_names(scope: Scope, names: list[str]) -> Table:
    return small_table(
        {
            "slot_name": names,
            "slot": [slot.label for slot in scope.slots],
            "slot_last": [slot.last for slot in scope.slots],
        },
        {"slot_name": "string", "slot": "string", "slot_last": "date"},
    )


def _slot_table(scope: Scope) -> Table:
    return small_table(
        {
            "slot": [s.label for s in scope.slots],
            "slot_first": [s.first for s in scope.slots],
            "slot_last": [s.last for s in scope.slots],
        },
        {"slot": "string", "slot_first": "date", "slot_last": "date"},
    )


def _finish(t: Table, scope: Scope) -> Table:
    """Rename ``g_*`` to the ``--by`` names and add the age columns (age on ``slot_last``)."""
    values: dict[str, Value] = {}
    for name in scope.by:
        if name in AGE:
            law = t.law_for_age if name == "target_group" else ibis.literal("")
            values[name] = age_dimension(name, age_on(t.birth, t.slot_last), law, scope.bands)
        elif name in scope.static:
            values[name] = t[f"g_{name}"]
    return t.mutate(**values)


def _runs(t: Table, first: date, last: date) -> Value:
    return (t.start_date <= last) & (t.end_date.isnull() | (t.end_date >= first))


def client_slots(
    t: Table,
    scope: Scope,
    *,
    lookback_years: int | None = None,
    carry: dict[str, Value] | None = None,
) -> Table:
    """One row per client, group and slot the client runs in: (slot, slot_last, g_*, birth, ...).

    Formulation: group allocations by client and group, flag each slot with ``bool_or`` of "runs in the
    slot", then unpivot the flags and keep the flagged (client, slot) pairs. (A ``union all`` of one branch
    per slot made DuckDB repeat the aggregation per branch: 5x slower for 120 months.) With
    ``lookback_years`` a column ``before`` says whether the client also ran in the years before the slot;
    ``carry`` adds per-client aggregates (e.g. ``gender``).
    """
    earliest = scope.first if lookback_years is None else _years_before(scope.first, lookback_years)
    t = with_static(overlapping(t, earliest, scope.last), scope)
    keys = ["client_key", *_group_columns(scope)]
    needs_law = "target_group" in scope.ageing and "g_law" not in keys
    if needs_law:
        keys.append("law")
    # per slot one small number: 1 = runs in the slot, +2 = also ran in the look-back years before it
    flags: dict[str, Value] = {}
    for i, slot in enumerate(scope.slots):
        code = _runs(t, slot.first, slot.last).any().cast("int8")
        if lookback_years is not None:
            before = _runs(t, _years_before(slot.first, lookback_years), slot.first - timedelta(days=1))
            code = code + before.any().cast("int8") * 2
        flags[f"s{i}"] = code
    extra = {
        name: expression(t) if callable(expression) else expression
        for name, expression in (carry or {}).items()
    }
    grouped = t.group_by(keys).aggregate(birth=t.birth_date.min(), **flags, **extra)
    long = grouped.pivot_longer(selectors.cols(*flags), names_to="slot_name", values_to="flag")
    long = long.filter(long.flag % 2 == 1)
    rows = long.join(_slot_names(scope, list(flags)), "slot_name")
    if lookback_years is not None:
        rows = rows.mutate(before=rows.flag >= 2)
    if "target_group" in scope.ageing:
        rows = rows.mutate(law_for_age=rows.law if needs_law else rows["g_law"])
    return rows


def _years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


WORD_BITS = 62  # slots per 64-bit mask word (shifts stay clear of the sign bit)


def _count_passed(
    day: Value, bounds: Sequence[date], inclusive: bool, low: int = 0, high: int | None = None
) -> Value:
    """How many of the sorted ``bounds`` lie before ``day`` (``inclusive``: on or before it).

    A binary search written as nested CASE: about log2(len(bounds)) comparisons per row instead of one
    per bound.
    """
    high = len(bounds) if high is None else high
    if low == high:
        return ibis.literal(low, type="int64")
    middle = (low + high) // 2
    passed = day >= bounds[middle] if inclusive else day > bounds[middle]
    return ibis.ifelse(
        passed,
        _count_passed(day, bounds, inclusive, middle + 1, high),
        _count_passed(day, bounds, inclusive, low, middle),
    )


def _slot_indexes(t: Table, scope: Scope) -> tuple[Value, Value]:
    """First and last slot index an allocation runs in (first > last: none).

    Calendar periods: from month numbers; reference dates: by binary search over the slot bounds.
    """
    end = ibis.coalesce(t.end_date, ibis.literal(OPEN_END))
    if scope.months_per_slot is not None:
        first_month = scope.first.year * 12 + scope.first.month - 1
        size = scope.months_per_slot

        def index(day: Value) -> Value:
            return (day.year() * 12 + day.month() - 1 - first_month) // size

        return ibis.greatest(index(t.start_date), -1), ibis.least(index(end), len(scope.slots))
    first = _count_passed(t.start_date, [slot.last for slot in scope.slots], inclusive=False)
    last = _count_passed(end, [slot.first for slot in scope.slots], inclusive=True) - 1
    return first, last


def _with_slot_masks(t: Table, scope: Scope) -> tuple[Table, list[str]]:
    """Add, per allocation, one bit mask per word of slots: bit k set when it runs in slot k of that word.

    The indexes get their own projection so that they are computed once per allocation, not once per use.
    """
    first_index, last_index = _slot_indexes(t, scope)
    t = t.mutate(first_index=first_index, last_index=last_index)
    # a bare literal 1 compiles to a 32-bit integer in DuckDB: shifting it by 32 or more is an error
    one, zero = ibis.literal(1, type="int8").cast("int64"), ibis.literal(0, type="int8").cast("int64")
    masks: dict[str, Value] = {}
    for word, base in enumerate(range(0, len(scope.slots), WORD_BITS)):
        size = min(WORD_BITS, len(scope.slots) - base)
        low = ibis.greatest(t.first_index - base, 0)
        high = ibis.least(t.last_index - base, size - 1)
        masks[f"m{word}"] = ibis.ifelse(low <= high, (one << (high + 1)) - (one << low), zero)
    return t.select("client_key", *_group_columns(scope), **masks), list(masks)


def count_clients(t: Table, scope: Scope) -> Table:
    """Distinct clients per slot and group (``clients`` and ``stock``).

    Without age columns: OR the slot bit masks of a client's allocations per group (``bit_or``), then count
    the set bits per slot with one sum each: one pass over the allocations and one over the clients.
    With age columns the client's age per slot is needed, so the per-slot rows of ``client_slots`` are used.
    """
    if scope.ageing:
        rows = _finish(client_slots(t, scope), scope)
        return rows.group_by(["slot", *scope.by]).aggregate(clients=rows.client_key.nunique())
    t = with_static(overlapping(t, scope.first, scope.last), scope)
    groups = _group_columns(scope)
    t, words = _with_slot_masks(t, scope)
    per_client = t.group_by(["client_key", *groups]).aggregate(**{w: t[w].bit_or() for w in words})
    sums = {}
    for index in range(len(scope.slots)):
        word, bit = divmod(index, WORD_BITS)
        sums[f"s{index}"] = ((per_client[f"m{word}"] >> bit) & 1).sum()
    wide = per_client.group_by(groups).aggregate(**sums) if groups else per_client.aggregate(**sums)
    long = wide.pivot_longer(selectors.cols(*sums), names_to="slot_name", values_to="clients")
    long = long.filter(long.clients > 0).join(_slot_names(scope, list(sums)), "slot_name")
    return long.rename({name: f"g_{name}" for name in scope.static})


def running_allocations(t: Table, scope: Scope) -> Table:
    """Every (allocation, slot) pair where the allocation runs in the slot, with its overlap type."""
    t = with_static(overlapping(t, scope.first, scope.last), scope)
    slots = _slot_table(scope)
    joined = t.join(
        slots, [t.start_date <= slots.slot_last, t.end_date.isnull() | (t.end_date >= slots.slot_first)]
    )
    started_before = joined.start_date < joined.slot_first
    ends_after = joined.end_date.isnull() | (joined.end_date > joined.slot_last)
    overlap = ibis.cases(
        (~started_before & ~ends_after, "in_period"),
        (started_before & ~ends_after, "ended_in_period"),
        (~started_before & ends_after, "started_in_period"),
        else_="spans_period",
    )
    return joined.mutate(overlap=overlap, birth=joined.birth_date, law_for_age=joined.law)


def count_allocations(t: Table, scope: Scope) -> Table:
    """Running allocations per slot and group (``--by overlap`` splits them by overlap type)."""
    rows = _finish(running_allocations(t, scope), scope)
    return rows.group_by(["slot", *scope.by]).aggregate(allocations=rows.count())


def allocations_and_clients(t: Table, scope: Scope) -> Table:
    """Running allocations and distinct clients per slot and group (``allocations_per_client``: their ratio
    is declared in the catalogue)."""
    allocs = _finish(running_allocations(t, scope), scope)
    return allocs.group_by(["slot", *scope.by]).aggregate(
        allocations=allocs.count(), clients=allocs.client_key.nunique()
    )


def _episode_keys(scope: Scope) -> list[str]:
    """What episodes are formed per: the client and the static groups, and the law when ``target_group``
    is asked for (the target group depends on the law: a client's Jeugdwet and Wmo support are separate
    episodes then, each in its own group)."""
    keys = ["client_key", *_group_columns(scope)]
    if "target_group" in scope.ageing and "g_law" not in keys:
        keys.append("law")
    return keys


def episodes(t: Table, scope: Scope) -> Table:
    """Episodes per client and static group: allocations joined while the days without support are at most
    ``max_gap_days``. Columns: client_key, g_*, episode, episode_start, episode_end (null = open), birth,
    law_for_age (the law of the episode's first allocation, for target_group)."""
    t = with_static(t, scope)
    keys = _episode_keys(scope)
    end = ibis.coalesce(t.end_date, ibis.literal(OPEN_END))
    t = t.mutate(end_filled=end)
    order = [t.start_date, t.end_filled]
    previous_end = t.end_filled.max().over(ibis.window(group_by=keys, order_by=order, rows=(None, -1)))
    t = t.mutate(previous_end=previous_end)
    gap = t.start_date.delta(t.previous_end, unit="day") - 1
    t = t.mutate(new_episode=(t.previous_end.isnull() | (gap > scope.max_gap_days)).cast("int64"))
    t = t.mutate(
        episode=t.new_episode.sum().over(
            ibis.window(group_by=keys, order_by=[t.start_date, t.end_filled], rows=(None, 0))
        )
    )
    result = t.group_by([*keys, "episode"]).aggregate(
        episode_start=t.start_date.min(),
        episode_end=t.end_filled.max(),
        birth=t.birth_date.min(),
        law_for_age=t.law.min(),
    )
    return result.mutate(
        episode_end=ibis.ifelse(result.episode_end == OPEN_END, ibis.null().cast("date"), result.episode_end)
    )


def _events_in_slots(events: Table, day: str, scope: Scope) -> Table:
    """Each event (a date in column ``day``) with the slot it falls in; events outside all slots dropped.

    Calendar periods: the slot index from the month number (an equi-join); reference dates: a range join.
    """
    slots = _slot_table(scope)
    if scope.months_per_slot is None:
        return events.join(slots, [events[day] >= slots.slot_first, events[day] <= slots.slot_last])
    first = scope.first.year * 12 + scope.first.month - 1
    month = events[day].year() * 12 + events[day].month() - 1
    indexed = events.mutate(slot_index=(month - first) // scope.months_per_slot)
    indexed = indexed.filter((indexed.slot_index >= 0) & (indexed.slot_index < len(scope.slots)))
    numbered = slots.mutate(slot_index=ibis.row_number().over(order_by=slots.slot_first))
    return indexed.join(numbered, "slot_index").drop("slot_index")


def flows(starts: Table, ends: Table, scope: Scope) -> Table:
    """Inflow (by ``start``) and outflow (by ``end``) per slot and group (net is declared in the catalogue)."""
    inflow = _events_in_slots(starts, "start", scope)
    outflow = _events_in_slots(ends.filter(ends.end.notnull()), "end", scope)
    columns = ["slot", "slot_last", "birth", "law_for_age", *_group_columns(scope)]
    both = ibis.union(
        inflow.select(*columns, inflow_n=ibis.literal(1), outflow_n=ibis.literal(0)),
        outflow.select(*columns, inflow_n=ibis.literal(0), outflow_n=ibis.literal(1)),
    )
    rows = _finish(both, scope)
    return rows.group_by(["slot", *scope.by]).aggregate(
        inflow=rows.inflow_n.sum(), outflow=rows.outflow_n.sum()
    )


def episode_flows(t: Table, scope: Scope) -> Table:
    """``flows``: inflow and outflow of episodes.

    Fast path: the episode boundaries straight from the window (a row that starts a new episode is an
    inflow on its start and the outflow of the previous episode on the running maximum end before it; the
    last episode ends on the maximum end of the partition), no grouping into episodes. ``target_group``
    needs each episode's law, so it takes the episode table.
    """
    if "target_group" in scope.ageing:
        e = episodes(t, scope)
        e = e.mutate(start=e.episode_start, end=e.episode_end)
        return flows(e, e, scope)
    t = with_static(t, scope)
    keys = ["client_key", *_group_columns(scope)]
    t = t.mutate(
        end_filled=ibis.coalesce(t.end_date, ibis.literal(OPEN_END)), birth=t.birth_date, law_for_age=t.law
    )
    order = [t.start_date, t.end_filled]
    t = t.mutate(
        previous_end=t.end_filled.max().over(ibis.window(group_by=keys, order_by=order, rows=(None, -1))),
        last_end=t.end_filled.max().over(ibis.window(group_by=keys, order_by=order, rows=(None, None))),
    )
    new = t.previous_end.isnull() | (t.start_date.delta(t.previous_end, unit="day") - 1 > scope.max_gap_days)
    t = t.mutate(is_new=new)
    starts = t.filter(t.is_new).mutate(start=t.start_date)
    ends = ibis.union(
        t.filter(t.is_new & t.previous_end.notnull()).mutate(end=t.previous_end),
        t.filter(t.previous_end.isnull() & (t.last_end < OPEN_END)).mutate(end=t.last_end),
    )
    return flows(starts, ends, scope)


def allocation_flows(t: Table, scope: Scope) -> Table:
    """``allocation_flows``: allocation-level starts and ends (the naive count)."""
    a = with_static(t, scope)
    a = a.mutate(start=a.start_date, end=a.end_date, birth=a.birth_date, law_for_age=a.law)
    return flows(a, a, scope)


def outflow_clients(t: Table, scope: Scope) -> Table:
    """Clients, and clients who flow out (``outflow_rate``: their fraction is declared in the catalogue).

    A client flows out of a group in a slot when every episode of theirs in that group that runs in the
    slot has ended by its last day (docs/metrics.md, outflow_rate). With ``target_group`` a group can hold
    episodes of two laws (Jeugdwet at any age and Wmo under 18 are both ``jeugd``), so the rule is applied
    per client and group, not per episode series: one row per allocation running in the slot (the client
    is present) and one per episode running in it (open or ending after the slot: the client stays).
    """
    keys = _episode_keys(scope)
    slots = _slot_table(scope)
    allocations = with_static(overlapping(t, scope.first, scope.last), scope)
    present = allocations.join(
        slots,
        [
            allocations.start_date <= slots.slot_last,
            allocations.end_date.isnull() | (allocations.end_date >= slots.slot_first),
        ],
    )
    e = episodes(t, scope)
    e = e.filter((e.episode_start <= scope.last) & (e.episode_end.isnull() | (e.episode_end >= scope.first)))
    staying = e.join(
        slots,
        [e.episode_start <= slots.slot_last, e.episode_end.isnull() | (e.episode_end > slots.slot_last)],
    )
    columns = [*keys, "slot", "slot_last"]
    both = ibis.union(
        present.select(
            *columns,
            birth=present.birth_date,
            law_for_age=present.law,
            present=ibis.literal(True),
            stays=ibis.literal(False),
        ),
        staying.select(
            *columns, "birth", "law_for_age", present=ibis.literal(False), stays=ibis.literal(True)
        ),
    )
    rows = _finish(both, scope)
    per_client = rows.group_by(["slot", "client_key", *scope.by]).aggregate(
        present=rows.present.any(), stays=rows.stays.any()
    )
    per_client = per_client.filter(per_client.present)
    return per_client.group_by(["slot", *scope.by]).aggregate(
        clients=per_client.count(), outflow_clients=(~per_client.stays).cast("int64").sum()
    )


def duration(t: Table, scope: Scope) -> Table:
    """Episodes by start cohort: count, open ones, mean/median/p90 length in days and months."""
    e = episodes(t, scope)
    e = e.mutate(
        start=e.episode_start, days=(e.episode_end.delta(e.episode_start, unit="day") + 1).cast("float64")
    )
    rows = _finish(_events_in_slots(e, "start", scope), scope)
    ended = rows.episode_end.notnull()
    result = rows.group_by(["slot", *scope.by]).aggregate(
        episodes=ended.cast("int64").sum(),
        open_episodes=(~ended).cast("int64").sum(),
        mean_days=rows.days.mean(),
        median_days=rows.days.quantile(0.5),
        p90_days=rows.days.quantile(0.9),
    )
    months = 30.4375
    return result.mutate(
        mean_days=result.mean_days.round(2),
        median_days=result.median_days.round(2),
        p90_days=result.p90_days.round(2),
        mean_months=(result.mean_days / months).round(2),
        median_months=(result.median_days / months).round(2),
        p90_months=(result.p90_days / months).round(2),
    )


def reentry(t: Table, scope: Scope, reentry_months: int) -> Table:
    """Episodes starting in the slot, and those starting within ``reentry_months`` after an earlier one
    ended (the rate is declared in the catalogue)."""
    e = episodes(t, scope)
    keys = _episode_keys(scope)
    previous = e.episode_end.lag().over(ibis.window(group_by=keys, order_by=e.episode_start))
    e = e.mutate(start=e.episode_start, previous_end=previous)
    e = e.mutate(
        is_reentry=(
            e.previous_end.notnull() & (e.start <= e.previous_end + ibis.interval(months=reentry_months))
        )
    )
    rows = _finish(_events_in_slots(e, "start", scope), scope)
    return rows.group_by(["slot", *scope.by]).aggregate(
        inflow=rows.count(), reentries=rows.is_reentry.cast("int64").sum()
    )


def repeat_use(t: Table, scope: Scope, lookback_years: int) -> Table:
    """Clients in the slot, and those who also had support in the ``lookback_years`` before it (CBS herhaald
    beroep; the share is declared in the catalogue)."""
    rows = _finish(client_slots(t, scope, lookback_years=lookback_years), scope)
    return rows.group_by(["slot", *scope.by]).aggregate(
        clients=rows.client_key.nunique(), repeat_clients=rows.client_key.nunique(where=rows.before)
    )


def profile(t: Table, scope: Scope) -> Table:
    """Clients, mean age on the slot's last day, and clients by sex."""
    rows = client_slots(t, scope, carry={"gender": lambda a: a.gender.max()})
    rows = _finish(rows.mutate(age=age_on(rows.birth, rows.slot_last)), scope)
    result = rows.group_by(["slot", *scope.by]).aggregate(
        clients=rows.client_key.nunique(),
        mean_age=rows.age.mean(),
        men=rows.client_key.nunique(where=rows.gender == "1"),
        women=rows.client_key.nunique(where=rows.gender == "2"),
    )
    return result.mutate(
        mean_age=result.mean_age.round(1), sex_unknown=result.clients - result.men - result.women
    )


def _client_groups(t: Table, scope: Scope, stack_by: str) -> Table:
    """Per slot and client: the distinct CBS groups (``stack_by`` 'cbs_group') or laws ('law') of the
    allocations (and benefits) running in the slot."""
    from sdmonitor.metrics.dimensions import cbs_group

    if stack_by not in STACK_BY:
        raise InputError(f"--stack-by '{stack_by}': kies {' of '.join(STACK_BY)}.")
    running = running_allocations(t, scope)
    group = cbs_group(running) if stack_by == STACK_BY_GROUP else running.law
    running = running.mutate(product_group=group)
    keys = ["slot", "slot_last", "client_key", *_group_columns(scope)]
    return running.group_by(keys).aggregate(
        groups=running.product_group.nunique(),
        combination=running.product_group.collect(distinct=True).sort().join(" + "),
        birth=running.birth_date.min(),
        law_for_age=running.law.min(),
    )


def stacking(t: Table, scope: Scope, stack_by: str = STACK_BY_GROUP) -> Table:
    """Clients by the number of distinct product groups (or laws) they have in the slot (zorgstapeling)."""
    rows = _finish(_client_groups(t, scope, stack_by), scope)
    return rows.group_by(["slot", *scope.by, "groups"]).aggregate(clients=rows.client_key.nunique())


def stacking_combinations(t: Table, scope: Scope, stack_by: str = STACK_BY_GROUP) -> Table:
    """Clients by the combination of product groups (or laws: 'PW + WMO') they have in the slot."""
    rows = _finish(_client_groups(t, scope, stack_by), scope)
    return rows.group_by(["slot", *scope.by, "combination"]).aggregate(clients=rows.client_key.nunique())


def transitions_18(t: Table, scope: Scope, window_months: int) -> Table:
    """Clients whose Jeugdwet support (all of it) ended within ``window_months`` of their 18th birthday, by
    the period of that birthday, and how many of them had Wmo support within that window after it (the share
    is declared in the catalogue)."""
    t = t.mutate(birth=t.birth_date.min().over(ibis.window(group_by=t.client_key)))
    birthday = t.birth + ibis.interval(years=18)
    window = ibis.interval(months=window_months)
    end = ibis.coalesce(t.end_date, ibis.literal(OPEN_END))
    wmo_after = (t.law == "WMO") & (t.start_date <= birthday + window) & (end >= birthday)
    per_client = t.group_by("client_key").aggregate(
        birth=t.birth.min(),
        jeugd_end=end.max(where=t.law == "JW"),
        wmo=wmo_after.any(),
    )
    per_client = per_client.mutate(
        birthday=(per_client.birth + ibis.interval(years=18)).cast("date"), law_for_age=ibis.literal("JW")
    )
    near = (
        (per_client.jeugd_end < OPEN_END)
        & (per_client.jeugd_end >= per_client.birthday - window)
        & (per_client.jeugd_end <= per_client.birthday + window)
    )
    rows = _events_in_slots(per_client.filter(near), "birthday", scope)
    return rows.group_by("slot").aggregate(
        turned_18=rows.client_key.nunique(), with_wmo=rows.client_key.nunique(where=rows.wmo)
    )
