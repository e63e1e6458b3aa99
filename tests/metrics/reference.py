"""A slow, plain reading of docs/metrics.md, to test the warehouse engine against (clarity over speed).

Every date range is inclusive. An allocation's ``end`` is its last day of support; ``None`` means open-ended.
Each metric function returns rows shaped like ``MetricResult.rows``: ``(period label, *by values,
*measures)`` (``stock``: the date instead of the label), sorted by period then by the ``by`` values, with
only the rows that have something to count (see each function). Derived figures are rounded half up.

Episode-based metrics (flows, outflow_rate, duration, reentry) join a client's allocations per group of
the ``by`` columns that do not depend on age; ``age_band`` and ``target_group`` are then taken on the last
day of the period the figure belongs to. ``target_group`` also depends on the law, so those metrics join
per law as well when it is asked for (docs/metrics.md, "Common ground"; see ``_episode_columns``).

The metrics about clients at a time (``clients``, ``stock``, ``profile``, ``stacking``,
``stacking_combinations``) also take ``benefits``: every person on a benefit (applicant and partner) is a
client of law ``PW`` (docs/metrics.md, "Clients across the three laws"; see ``benefit_persons``).
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Period = tuple[str, date, date]  # (label, first day, last day)
Row = tuple[object, ...]

GRAIN_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
DAYS_PER_MONTH = Fraction("30.4375")
AGE_COLUMNS = ("age_band", "target_group")
SEX = {"1": "man", "2": "vrouw"}


@dataclass(frozen=True)
class Alloc:
    """One allocation; ``birth`` and ``gender`` are the client's and the same on all their allocations."""

    id: str
    client: str
    law: str  # "WMO" or "JW"
    category: str
    start: date
    end: date | None
    birth: date | None  # None only for a partner on a benefit whose birth date is not given
    gender: str | None = "0"
    provider: str | None = None


@dataclass(frozen=True)
class Benefit:
    """One benefit (uitkering): an applicant and at most one partner, each a client (the ids are shared with
    the allocations: one person, one client). ``end`` None: running."""

    id: str
    applicant: str
    birth: date
    start: date
    end: date | None
    regulation: str = "PW"  # PW, IOAW, IOAZ, BBZ
    gender: str | None = "0"
    partner: str | None = None
    partner_birth: date | None = None
    partner_gender: str | None = None


def benefit_persons(benefits: Iterable[Benefit]) -> list[Alloc]:
    """Each person on a benefit as a row of law ``PW``: the regulation as category, provider ``gemeente``."""
    found = []
    for b in benefits:
        people = [(b.applicant, b.birth, b.gender, "aanvrager")]
        if b.partner is not None:
            people.append((b.partner, b.partner_birth, b.partner_gender, "partner"))
        for client, birth, gender, role in people:
            found.append(Alloc(f"{b.id}:{role}", client, "PW", b.regulation, b.start, b.end, birth, gender,
                               "gemeente"))  # fmt: skip
    return found


def client_rows(allocs: Iterable[Alloc], benefits: Iterable[Benefit]) -> list[Alloc]:
    """Allocations and persons on benefits, each with its client's birth date: the earliest one given on any of
    the client's rows, whatever periods are asked (a partner's missing birth date taken from their other rows,
    of any time; None when no row gives one)."""
    rows = [*allocs, *benefit_persons(benefits)]
    births: dict[str, date] = {}
    for row in rows:
        if row.birth is not None:
            births[row.client] = min(row.birth, births.get(row.client, row.birth))
    return [replace(row, birth=births.get(row.client)) for row in rows]


def realised_benefits(benefits: Iterable[Benefit], moment: date) -> list[Benefit]:
    """Benefits as realised on the data moment: the same rule as ``realised`` for allocations."""
    return [
        replace(b, end=None if b.end is not None and b.end > moment else b.end)
        for b in benefits
        if b.start <= moment
    ]


@dataclass(frozen=True)
class Episode:
    """Allocations of one client and group joined while the days without support stay within the gap."""

    series: tuple[str, ...]  # the client and the values of the columns the allocations were joined by
    first: Alloc  # the earliest allocation; it carries the birth and the group values
    start: date
    end: date | None  # None: open


# -- realised, planned and incomplete (docs/metrics.md) ------------------------------------------------


def realised(allocs: Iterable[Alloc], moment: date) -> list[Alloc]:
    """The allocations as realised on the data moment: a start after it is planned (left out); an end after
    it is planned too (issue 9: "an end date after the data moment is a planned end"), so the allocation is
    open. An end on the data moment itself is realised: the export of that day registers it as ended."""
    return [
        replace(a, end=None if a.end is not None and a.end > moment else a.end)
        for a in allocs
        if a.start <= moment
    ]


def refused(periods: Sequence[Period], moment: date) -> bool:
    """Whether a realised figure is refused: a period starts after the data moment."""
    return any(first > moment for _, first, _ in periods)


def statuses(
    metric: str,
    periods: Sequence[Period],
    moment: date,
    history_start: date,
    max_gap_days: int = 0,
    reentry_months: int = 12,
    lookback_years: int = 5,
) -> dict[str, str]:
    """Per period label its status: 'onvolledig' (the history window is too short to tell new from
    continuing support), 't/m DD-MM-JJJJ' (the period runs past the data moment), both, or ''."""
    found = {}
    for label, first, last in periods:
        notes = []
        new_or_continuing = first <= history_start + timedelta(days=max_gap_days)
        short = {
            "flows": new_or_continuing,
            "allocation_flows": new_or_continuing,
            "duration": new_or_continuing,
            "reentry": new_or_continuing or first < add_months(history_start, reentry_months),
            "repeat_use": add_months(first, -12 * lookback_years) < history_start,
        }.get(metric, False)
        if short:
            notes.append("onvolledig")
        if first <= moment <= last and first != last:
            notes.append(f"t/m {moment:%d-%m-%Y}")
        found[label] = ", ".join(notes)
    return found


# -- periods and groups ---------------------------------------------------------------------------------


def period_of(grain: str, day: date) -> Period:
    """The period of ``grain`` that contains ``day``: ``2018-01``, ``2018-Q1``, ``2018-H1`` or ``2018``."""
    length = GRAIN_MONTHS[grain]
    month = (day.month - 1) // length * length + 1
    first = date(day.year, month, 1)
    last = add_months(first, length) - timedelta(days=1)
    number = (month - 1) // length + 1
    label = {
        "month": f"{day.year}-{month:02d}",
        "quarter": f"{day.year}-Q{number}",
        "half": f"{day.year}-H{number}",
        "year": f"{day.year}",
    }[grain]
    return label, first, last


def periods(grain: str, start: date, end: date) -> list[Period]:
    """The whole periods of ``grain`` that together contain ``start``..``end`` (inclusive)."""
    found = [period_of(grain, start)]
    while found[-1][2] < end:
        found.append(period_of(grain, found[-1][2] + timedelta(days=1)))
    return found


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; a day past the end of that month becomes its last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def runs(start: date, end: date | None, first: date, last: date) -> bool:
    """Whether support from ``start`` to ``end`` (None: open) has a day in ``first``..``last``."""
    return start <= last and (end is None or end >= first)


def age_on(birth: date, day: date) -> int:
    """Completed years on ``day``: born 2000-06-30 is 18 on 2018-06-30 and 17 the day before."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def value(alloc: Alloc, column: str, first: date, last: date) -> str:
    """The value of one ``by`` column for ``alloc`` in the period ``first``..``last`` (age on ``last``; an
    unknown birth date: age 'onbekend', except Jeugdwet support, which is 'jeugd' at any age)."""
    if alloc.birth is None and column in AGE_COLUMNS:
        return "jeugd" if column == "target_group" and alloc.law == "JW" else "onbekend"
    age = 0 if alloc.birth is None else age_on(alloc.birth, last)
    if column == "law":
        return alloc.law
    if column == "product_category":
        return alloc.category
    if column == "provider":
        return alloc.provider or "onbekend"
    if column == "sex":
        return SEX.get(alloc.gender or "", "onbekend")
    if column == "age_band":
        return "0-17" if age < 18 else "18-64" if age < 65 else "65+"
    if column == "target_group":
        if alloc.law == "JW" or age < 18:
            return "jeugd"
        return "volwassenen" if age < 65 else "ouderen"
    if column == "overlap":
        started_before = alloc.start < first
        ends_after = alloc.end is None or alloc.end > last
        return {
            (False, False): "in_period",
            (True, False): "ended_in_period",
            (False, True): "started_in_period",
            (True, True): "spans_period",
        }[started_before, ends_after]
    raise ValueError(f"unknown by column {column}")


def group(alloc: Alloc, by: Sequence[str], first: date, last: date) -> tuple[str, ...]:
    """The values of all ``by`` columns for ``alloc`` in the period ``first``..``last``."""
    return tuple(value(alloc, column, first, last) for column in by)


# -- episodes -------------------------------------------------------------------------------------------


def _episode_columns(by: Sequence[str]) -> list[str]:
    """The columns allocations are joined by: ``by`` without age columns; with law when target_group asks."""
    columns = [c for c in by if c not in AGE_COLUMNS]
    if "target_group" in by and "law" not in columns:
        columns.append("law")  # Jeugdwet is jeugd at any age: an episode must have one law
    return columns


def episodes(allocs: Iterable[Alloc], by: Sequence[str], max_gap_days: int) -> list[Episode]:
    """All episodes, per client and group of the ``by`` columns that do not depend on age.

    Sorted by start, an allocation continues the current episode when ``start - end - 1 <= max_gap_days``
    (a renewal the next day leaves 0 days without support); overlapping allocations always continue it.
    """
    columns = _episode_columns(by)
    per_series: dict[tuple[str, ...], list[Alloc]] = defaultdict(list)
    for alloc in allocs:
        day = alloc.start  # the columns used here do not depend on the day
        per_series[(alloc.client, *group(alloc, columns, day, day))].append(alloc)
    found: list[Episode] = []
    for series, same in per_series.items():
        same.sort(key=lambda a: (a.start, a.id))
        current = Episode(series, same[0], same[0].start, same[0].end)
        for alloc in same[1:]:
            assert (alloc.birth, alloc.gender) == (current.first.birth, current.first.gender)
            if current.end is None or (alloc.start - current.end).days - 1 <= max_gap_days:
                end = None if current.end is None or alloc.end is None else max(current.end, alloc.end)
                current = Episode(series, current.first, current.start, end)
            else:
                found.append(current)
                current = Episode(series, alloc, alloc.start, alloc.end)
        found.append(current)
    return found


# -- helpers --------------------------------------------------------------------------------------------


def rounded(number: Fraction, digits: int) -> float:
    """``number`` rounded half up to ``digits`` decimals: 0.125 -> 0.13."""
    exact = Decimal(number.numerator) / Decimal(number.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def percentile(values: Sequence[int], fraction: Fraction) -> Fraction:
    """The value at ``fraction`` of the sorted values, interpolating linearly (numpy's default)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = int(position)  # floor: position >= 0
    if below + 1 == len(ordered):
        return Fraction(ordered[below])
    return ordered[below] + (position - below) * (ordered[below + 1] - ordered[below])


def _count_rows(counts: dict[tuple[Period, tuple[str, ...]], int]) -> list[Row]:
    """``(label, *group, count)`` for the non-zero counts, sorted by period then group."""
    keys = sorted((k for k, n in counts.items() if n), key=lambda k: (k[0][1], k[1]))
    return [(period[0], *values, counts[period, values]) for period, values in keys]


# -- metrics --------------------------------------------------------------------------------------------


def clients(
    allocs: Sequence[Alloc], periods: Sequence[Period], by: Sequence[str], benefits: Sequence[Benefit] = ()
) -> list[Row]:
    """``(period, *by, clients)``: distinct clients with a running allocation or benefit; groups with clients
    only."""
    if not periods:
        return []
    allocs = client_rows(allocs, benefits)
    seen: dict[tuple[Period, tuple[str, ...]], set[str]] = defaultdict(set)
    for period in periods:
        _, first, last = period
        for alloc in allocs:
            if runs(alloc.start, alloc.end, first, last):
                seen[period, group(alloc, by, first, last)].add(alloc.client)
    return _count_rows({key: len(found) for key, found in seen.items()})


def allocations(allocs: Sequence[Alloc], periods: Sequence[Period], by: Sequence[str]) -> list[Row]:
    """``(period, *by, allocations)``: running allocations (by may hold ``overlap``); non-zero rows only."""
    counts: dict[tuple[Period, tuple[str, ...]], int] = defaultdict(int)
    for period in periods:
        _, first, last = period
        for alloc in allocs:
            if runs(alloc.start, alloc.end, first, last):
                counts[period, group(alloc, by, first, last)] += 1
    return _count_rows(counts)


def stock(
    allocs: Sequence[Alloc], dates: Sequence[date], by: Sequence[str], benefits: Sequence[Benefit] = ()
) -> list[Row]:
    """``(date, *by, clients)``: ``clients`` in the one-day period of each date; non-zero rows only."""
    rows = clients(allocs, [(day.isoformat(), day, day) for day in dates], by, benefits)
    return [(date.fromisoformat(str(row[0])), *row[1:]) for row in rows]


def flows(
    allocs: Sequence[Alloc], periods: Sequence[Period], by: Sequence[str], max_gap_days: int
) -> list[Row]:
    """``(period, *by, inflow, outflow, net)`` of episodes; rows with an inflow or outflow only."""
    inflow: dict[tuple[Period, tuple[str, ...]], int] = defaultdict(int)
    outflow: dict[tuple[Period, tuple[str, ...]], int] = defaultdict(int)
    for episode in episodes(allocs, by, max_gap_days):
        for period in periods:
            _, first, last = period
            if first <= episode.start <= last:
                inflow[period, group(episode.first, by, first, last)] += 1
            if episode.end is not None and first <= episode.end <= last:
                outflow[period, group(episode.first, by, first, last)] += 1
    return _flow_rows(inflow, outflow)


def allocation_flows(allocs: Sequence[Alloc], periods: Sequence[Period], by: Sequence[str]) -> list[Row]:
    """``(period, *by, inflow, outflow, net)`` of single allocations; rows with a start or an end only."""
    inflow: dict[tuple[Period, tuple[str, ...]], int] = defaultdict(int)
    outflow: dict[tuple[Period, tuple[str, ...]], int] = defaultdict(int)
    for alloc in allocs:
        for period in periods:
            _, first, last = period
            if first <= alloc.start <= last:
                inflow[period, group(alloc, by, first, last)] += 1
            if alloc.end is not None and first <= alloc.end <= last:
                outflow[period, group(alloc, by, first, last)] += 1
    return _flow_rows(inflow, outflow)


def _flow_rows(
    inflow: dict[tuple[Period, tuple[str, ...]], int], outflow: dict[tuple[Period, tuple[str, ...]], int]
) -> list[Row]:
    keys = sorted(set(inflow) | set(outflow), key=lambda k: (k[0][1], k[1]))
    return [
        (
            period[0],
            *values,
            inflow[period, values],
            outflow[period, values],
            inflow[period, values] - outflow[period, values],
        )
        for period, values in keys
    ]


def outflow_rate(
    allocs: Sequence[Alloc], periods: Sequence[Period], by: Sequence[str], max_gap_days: int
) -> list[Row]:
    """``(period, *by, clients, outflow_clients, outflow_rate)``; groups with clients only.

    A client flows out of a group in a period when the last of their episodes (in that group) that runs
    in the period ends on or before its last day: the one that ends last, so every episode of theirs in the
    group that runs in the period has ended by then and no support in the group continues after it. (With
    target_group a group can hold a Jeugdwet and a Wmo episode at once; the one that started last may end
    first, and ties in start date need no rule.)
    """
    all_episodes = episodes(allocs, by, max_gap_days)
    rows: list[Row] = []
    for period in periods:
        _, first, last = period
        present: dict[tuple[str, ...], set[str]] = defaultdict(set)
        leaving: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for alloc in allocs:
            if not runs(alloc.start, alloc.end, first, last):
                continue
            values = group(alloc, by, first, last)
            present[values].add(alloc.client)
            mine = [
                e
                for e in all_episodes
                if e.first.client == alloc.client
                and group(e.first, by, first, last) == values
                and runs(e.start, e.end, first, last)
            ]
            if all(e.end is not None and e.end <= last for e in mine):
                leaving[values].add(alloc.client)
        for values in sorted(present):
            n, out = len(present[values]), len(leaving[values])
            rows.append((period[0], *values, n, out, rounded(Fraction(out, n), 4)))
    return rows


def duration(
    allocs: Sequence[Alloc], periods: Sequence[Period], by: Sequence[str], max_gap_days: int
) -> list[Row]:
    """``(period, *by, episodes, open_episodes, mean/median/p90 days, mean/median/p90 months)``.

    Per start cohort; lengths of ended episodes (end - start + 1 days; months = days / 30.4375), figures
    rounded to 2 decimals and None when no episode has ended. Rows for cohorts with an episode only.
    """
    lengths: dict[tuple[Period, tuple[str, ...]], list[int]] = {}
    still_open: dict[tuple[Period, tuple[str, ...]], int] = defaultdict(int)
    for episode in episodes(allocs, by, max_gap_days):
        for period in periods:
            _, first, last = period
            if first <= episode.start <= last:
                key = (period, group(episode.first, by, first, last))
                cohort = lengths.setdefault(key, [])  # a cohort of open episodes only still has a row
                if episode.end is None:
                    still_open[key] += 1
                else:
                    cohort.append((episode.end - episode.start).days + 1)
    rows: list[Row] = []
    for key in sorted(lengths, key=lambda k: (k[0][1], k[1])):
        days = lengths[key]
        figures: Sequence[float | None] = [None] * 6
        if days:
            stats = [
                Fraction(sum(days), len(days)),
                percentile(days, Fraction(1, 2)),
                percentile(days, Fraction(9, 10)),
            ]
            figures = [rounded(s, 2) for s in stats] + [rounded(s / DAYS_PER_MONTH, 2) for s in stats]
        rows.append((key[0][0], *key[1], len(days), still_open[key], *figures))
    return rows


def reentry(
    allocs: Sequence[Alloc],
    periods: Sequence[Period],
    by: Sequence[str],
    max_gap_days: int,
    reentry_months: int,
) -> list[Row]:
    """``(period, *by, inflow, reentries, reentry_rate)``; periods and groups with inflow only.

    An episode starting on S re-enters when an earlier episode of the same client and group ended on E with
    ``S <= E + reentry_months`` calendar months (so a start exactly N months after E still counts).
    """
    all_episodes = episodes(allocs, by, max_gap_days)
    inflow: dict[tuple[Period, tuple[str, ...]], int] = defaultdict(int)
    again: dict[tuple[Period, tuple[str, ...]], int] = defaultdict(int)
    for episode in all_episodes:
        for period in periods:
            _, first, last = period
            if not first <= episode.start <= last:
                continue
            key = (period, group(episode.first, by, first, last))
            inflow[key] += 1
            if any(
                earlier.series == episode.series
                and earlier.end is not None
                and earlier.end < episode.start <= add_months(earlier.end, reentry_months)
                for earlier in all_episodes
            ):
                again[key] += 1
    keys = sorted(inflow, key=lambda k: (k[0][1], k[1]))
    return [
        (
            period[0],
            *values,
            inflow[period, values],
            again[period, values],
            rounded(Fraction(again[period, values], inflow[period, values]), 4),
        )
        for period, values in keys
    ]


# -- the remaining metrics ------------------------------------------------------------------------------

WMO_GROUPS = {
    "01": "hulp bij het huishouden",
    **dict.fromkeys(["02", "03", "04", "06", "07", "09", "10"], "ondersteuning thuis"),
    **dict.fromkeys(["05", "08", "11", "12", "13", "14"], "hulpmiddelen en diensten"),
    **dict.fromkeys(["15", "16", "17", "18"], "verblijf en opvang"),
}


def product_group(alloc: Alloc) -> str:
    """CBS group of a Wmo category; Jeugdwet allocations here have no product code: 'onbekend'; a benefit:
    'bijstand' (regulation PW) or 'bijstandsgerelateerde uitkering' (IOAW, IOAZ, Bbz)."""
    if alloc.law == "PW":
        return "bijstand" if alloc.category == "PW" else "bijstandsgerelateerde uitkering"
    return WMO_GROUPS.get(alloc.category, "onbekend") if alloc.law == "WMO" else "onbekend"


def allocations_per_client(
    allocs: Sequence[Alloc], periods: Sequence[Period], by: Sequence[str]
) -> list[Row]:
    """``(period, *by, allocations, clients, allocations_per_client)`` for groups with allocations."""
    counts: dict[tuple[Period, tuple[str, ...]], int] = defaultdict(int)
    people: dict[tuple[Period, tuple[str, ...]], set[str]] = defaultdict(set)
    for period in periods:
        _, first, last = period
        for alloc in allocs:
            if runs(alloc.start, alloc.end, first, last):
                key = (period, group(alloc, by, first, last))
                counts[key] += 1
                people[key].add(alloc.client)
    keys = sorted(counts, key=lambda k: (k[0][1], k[1]))
    return [
        (p[0], *g, counts[p, g], len(people[p, g]), rounded(Fraction(counts[p, g], len(people[p, g])), 2))
        for p, g in keys
    ]


def repeat_use(
    allocs: Sequence[Alloc], periods: Sequence[Period], by: Sequence[str], years: int = 5
) -> list[Row]:
    """``(period, *by, clients, repeat_clients, repeat_share)``: clients in the period, and those of them with
    a running allocation (in the same group) in the ``years`` before the period's first day."""
    rows: list[Row] = []
    for period in periods:
        label, first, last = period
        try:
            since = first.replace(year=first.year - years)
        except ValueError:
            since = first.replace(year=first.year - years, day=28)
        before = first - timedelta(days=1)
        now: dict[tuple[str, ...], set[str]] = defaultdict(set)
        earlier: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for alloc in allocs:
            if runs(alloc.start, alloc.end, first, last):
                now[group(alloc, by, first, last)].add(alloc.client)
        for alloc in allocs:
            if runs(alloc.start, alloc.end, since, before):
                earlier[group(alloc, by, first, last)].add(alloc.client)
        for values in sorted(now):
            repeat = len(now[values] & earlier[values])
            rows.append(
                (label, *values, len(now[values]), repeat, rounded(Fraction(repeat, len(now[values])), 4))
            )
    return rows


def profile(
    allocs: Sequence[Alloc], periods: Sequence[Period], benefits: Sequence[Benefit] = ()
) -> list[Row]:
    """``(period, clients, mean_age, men, women, sex_unknown)`` over the clients running in the period (the
    mean over the clients whose birth date is known; None when none is)."""
    if not periods:
        return []
    allocs = client_rows(allocs, benefits)
    rows: list[Row] = []
    for label, first, last in periods:
        people = {a.client: a for a in allocs if runs(a.start, a.end, first, last)}
        if not people:
            continue
        ages = [age_on(a.birth, last) for a in people.values() if a.birth is not None]
        mean = rounded(Fraction(sum(ages), len(ages)), 1) if ages else None
        men = sum(1 for a in people.values() if a.gender == "1")
        women = sum(1 for a in people.values() if a.gender == "2")
        rows.append((label, len(people), mean, men, women, len(people) - men - women))
    return rows


def groups_held(
    allocs: Sequence[Alloc], first: date, last: date, stack_by: str = "cbs_group"
) -> dict[str, set[str]]:
    """Per client, the product groups (``stack_by`` 'law': the laws) of the allocations running in
    ``first``..``last``."""
    held: dict[str, set[str]] = defaultdict(set)
    for alloc in allocs:
        if runs(alloc.start, alloc.end, first, last):
            held[alloc.client].add(alloc.law if stack_by == "law" else product_group(alloc))
    return held


def stacking(
    allocs: Sequence[Alloc],
    periods: Sequence[Period],
    benefits: Sequence[Benefit] = (),
    stack_by: str = "cbs_group",
) -> list[Row]:
    """``(period, groups, clients)``: clients by the number of distinct product groups they have."""
    allocs = [*allocs, *benefit_persons(benefits)]
    rows: list[Row] = []
    for label, first, last in periods:
        held = groups_held(allocs, first, last, stack_by)
        tally = Counter(len(groups) for groups in held.values())
        rows.extend((label, n, tally[n]) for n in sorted(tally))
    return rows


def stacking_combinations(
    allocs: Sequence[Alloc],
    periods: Sequence[Period],
    benefits: Sequence[Benefit] = (),
    stack_by: str = "cbs_group",
) -> list[Row]:
    """``(period, combination, clients)``, most frequent first, then by combination."""
    allocs = [*allocs, *benefit_persons(benefits)]
    rows: list[Row] = []
    for label, first, last in periods:
        held = groups_held(allocs, first, last, stack_by)
        tally = Counter(" + ".join(sorted(groups)) for groups in held.values())
        rows.extend((label, c, n) for c, n in sorted(tally.items(), key=lambda item: (-item[1], item[0])))
    return rows


def transitions_18(allocs: Sequence[Alloc], periods: Sequence[Period], months: int = 6) -> list[Row]:
    """``(period, turned_18, with_wmo, share)`` by the period of the 18th birthday (docs/metrics.md)."""
    found: dict[str, list[bool]] = defaultdict(list)
    for client in sorted({a.client for a in allocs}):
        own = [a for a in allocs if a.client == client]
        jeugd = [a for a in own if a.law == "JW"]
        if not jeugd or any(a.end is None for a in jeugd):
            continue
        born = own[0].birth
        assert born is not None  # an allocation always has a birth date
        birthday = add_months(born, 18 * 12)
        end = max(a.end for a in jeugd if a.end is not None)
        if not add_months(birthday, -months) <= end <= add_months(birthday, months):
            continue
        wmo = any(
            a.law == "WMO" and runs(a.start, a.end, birthday, add_months(birthday, months)) for a in own
        )
        for label, first, last in periods:
            if first <= birthday <= last:
                found[label].append(wmo)
    return [
        (
            label,
            len(found[label]),
            sum(found[label]),
            rounded(Fraction(sum(found[label]), len(found[label])), 4),
        )
        for label, _, _ in periods
        if found[label]
    ]
