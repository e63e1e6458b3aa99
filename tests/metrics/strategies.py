"""Hypothesis strategies: small sets of allocations whose dates crowd around the edges of the periods asked for.

A ``Case`` is a request (grain, range, ``by``, options) plus allocations drawn around the first and last
days of its periods (and of the period before and after): 1-6 clients with 1-5 allocations each. A
client's next allocation is often a renewal the next day, a one-day gap, a gap of 2-5 days (around
``max_gap_days=3``), an overlap, or a start about ``reentry_months`` after the previous end; ends are often
open, the same day, or on a period edge (give or take a day). Many clients turn 18 or 65 on a period's last
day (or a reference date), or the day before or after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from hypothesis import strategies as st

from tests.metrics.reference import Alloc, Benefit, add_months, periods

CATEGORIES = {"WMO": ("02", "01", "07"), "JW": ("45", "40", "55")}
PROVIDERS = ("12345678", "87654321", None)
GENDERS = ("1", "2", "0", None)
REGULATIONS = ("PW", "PW", "IOAW", "IOAZ", "BBZ")
OFFSETS = (0, 0, -1, 1)  # days next to an edge; sampled_from draws duplicates more often
EARLIEST, LATEST = date(2016, 1, 1), date(2020, 12, 31)
grains = st.sampled_from(["year", "half", "quarter", "month"])


@dataclass(frozen=True)
class Case:
    """One generated request and the allocations to run it on."""

    allocs: list[Alloc]
    grain: str
    start: date
    end: date
    by: tuple[str, ...]
    max_gap_days: int = 0
    reentry_months: int = 12
    on: tuple[date, ...] = ()
    benefits: tuple[Benefit, ...] = ()


@st.composite
def near(draw: st.DrawFn, edges: Sequence[date]) -> date:
    """One of ``edges``, the day before or the day after."""
    return draw(st.sampled_from(edges)) + timedelta(days=draw(st.sampled_from(OFFSETS)))


def days(edges: Sequence[date]) -> st.SearchStrategy[date]:
    """Mostly days at the edges, sometimes any day."""
    return st.one_of(near(edges), near(edges), near(edges), st.dates(EARLIEST, LATEST))


@st.composite
def ends(draw: st.DrawFn, start: date, edges: Sequence[date]) -> date | None:
    """An end for an allocation starting on ``start``: open, the same day, at a later edge, or any later day."""
    later = [e for e in edges if e >= start]
    kind = draw(st.sampled_from(["open", "same_day", "edge", "edge", "later"]))
    if kind == "open":
        return None
    if kind == "same_day":
        return start
    if kind == "edge" and later:
        return max(start, draw(near(later[:8])))
    return start + timedelta(days=draw(st.integers(1, 400)))


@st.composite
def next_starts(draw: st.DrawFn, previous: Alloc | None, edges: Sequence[date], months: int) -> date:
    """A start relative to the client's previous allocation: renewal, short gap, overlap, re-entry or anywhere."""
    kinds = ["anywhere"]
    if previous is not None:
        kinds += ["overlap"] + (["renewal", "gap", "gap", "reentry", "reentry"] if previous.end else [])
    kind = draw(st.sampled_from(kinds))
    if previous is None or kind == "anywhere":
        return draw(days(edges))
    if kind == "overlap":
        length = 400 if previous.end is None else (previous.end - previous.start).days
        return previous.start + timedelta(days=draw(st.integers(0, length)))
    assert previous.end is not None
    if kind == "reentry":  # about ``months`` after the previous end
        return add_months(previous.end, months) + timedelta(days=draw(st.sampled_from(OFFSETS)))
    days_without_support = 0 if kind == "renewal" else draw(st.integers(1, 5))
    return previous.end + timedelta(days=1 + days_without_support)


@st.composite
def births(draw: st.DrawFn, birthdays: Sequence[date]) -> date:
    """Mostly someone turning 18 or 65 on (or next to) one of ``birthdays``, else any birth date.

    Never February 29: docs/metrics.md does not say when someone born then has a birthday.
    """
    if draw(st.sampled_from([True, True, False])):
        day = draw(st.sampled_from(birthdays))
        years = draw(st.sampled_from([18, 65]))
        birth = date(day.year - years, day.month, min(day.day, 28 if day.month == 2 else 31))
        birth += timedelta(days=draw(st.sampled_from(OFFSETS)))
    else:
        birth = draw(st.dates(date(1925, 1, 1), date(2015, 12, 31)))
    return birth if (birth.month, birth.day) != (2, 29) else birth - timedelta(days=1)


@st.composite
def client_allocations(
    draw: st.DrawFn, client: str, edges: Sequence[date], birthdays: Sequence[date], months: int
) -> list[Alloc]:
    """1-5 allocations of one client; ids are filled in by ``allocation_sets``."""
    birth, gender = draw(births(birthdays)), draw(st.sampled_from(GENDERS))
    found: list[Alloc] = []
    for _ in range(draw(st.integers(1, 5))):
        previous = found[-1] if found else None
        if previous is not None and draw(st.booleans()):  # same law, category and provider
            law, category, provider = previous.law, previous.category, previous.provider
        else:
            law = draw(st.sampled_from(["WMO", "JW"]))
            category = draw(st.sampled_from(CATEGORIES[law]))
            provider = draw(st.sampled_from(PROVIDERS))
        start = draw(next_starts(previous, edges, months))
        end = draw(ends(start, edges))
        found.append(Alloc("", client, law, category, start, end, birth, gender, provider))
    return found


@st.composite
def allocation_sets(
    draw: st.DrawFn, edges: Sequence[date], birthdays: Sequence[date], months: int = 12
) -> list[Alloc]:
    """Allocations of 1-6 clients (``C1``, ``C2``, ...) around ``edges``, with ids ``a1``, ``a2``, ...

    Many clients turn 18 or 65 on (or next to) one of ``birthdays``; re-entries come about ``months``
    after an end.
    """
    allocs = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        allocs.extend(draw(client_allocations(f"C{number}", edges, birthdays, months)))
    return [
        Alloc(f"a{i}", a.client, a.law, a.category, a.start, a.end, a.birth, a.gender, a.provider)
        for i, a in enumerate(allocs, start=1)
    ]


@st.composite
def benefit_sets(
    draw: st.DrawFn, allocs: Sequence[Alloc], edges: Sequence[date], birthdays: Sequence[date]
) -> tuple[Benefit, ...]:
    """0-4 benefits (``u1``, ``u2``, ...) of the allocations' clients and of two clients without allocations
    (``C7``, ``C8``), around ``edges``: singles and couples (a partner is often a client with Wmo or Jeugdwet
    support too), every regulation, sometimes without the partner's birth date. A person's birth date and sex
    are the same on all their rows, as for allocations."""
    people = {a.client: (a.birth, a.gender) for a in allocs}
    for client in ("C7", "C8"):
        people[client] = (draw(births(birthdays)), draw(st.sampled_from(GENDERS)))
    names = sorted(people)
    found = []
    for number in range(1, draw(st.integers(0, 4)) + 1):
        applicant = draw(st.sampled_from(names))
        partner = draw(st.one_of(st.none(), st.sampled_from([n for n in names if n != applicant])))
        start = draw(days(edges))
        birth, gender = people[applicant]
        assert birth is not None
        benefit = Benefit(f"u{number}", applicant, birth, start, draw(ends(start, edges)),
                          draw(st.sampled_from(REGULATIONS)), gender)  # fmt: skip
        if partner is not None:
            partner_birth = people[partner][0] if draw(st.booleans()) or partner in ("C7", "C8") else None
            benefit = replace(benefit, partner=partner, partner_birth=partner_birth,
                              partner_gender=people[partner][1])  # fmt: skip
        found.append(benefit)
    return tuple(found)


@st.composite
def cases(
    draw: st.DrawFn,
    by: Sequence[tuple[str, ...]] = ((),),
    gaps: Sequence[int] = (0,),
    reentry_months: Sequence[int] = (12,),
    on: bool = False,
    benefits: bool = False,
) -> Case:
    """A request (range often 2018, sometimes cut mid-period) and allocations around its period edges; with
    ``benefits``, benefits too (``benefit_sets``)."""
    grain = draw(grains)
    start = draw(st.one_of(st.just(date(2018, 1, 1)), st.dates(date(2017, 1, 1), date(2019, 6, 30))))
    end = draw(st.one_of(st.just(date(2018, 12, 31)), st.dates(start, start + timedelta(days=700))))
    end = max(start, end)
    asked = periods(grain, start, end)
    around = periods(grain, asked[0][1] - timedelta(days=1), end + timedelta(days=1))
    edges = sorted({day for _, first, last in around for day in (first, last)})
    dates = tuple(sorted(set(draw(st.lists(days(edges), min_size=1, max_size=4))))) if on else ()
    birthdays = dates or tuple(last for _, _, last in asked)  # where ages are taken
    months = draw(st.sampled_from(reentry_months))
    allocs = draw(allocation_sets(sorted({*edges, *dates}), birthdays, months))
    found = draw(benefit_sets(allocs, sorted({*edges, *dates}), birthdays)) if benefits else ()
    return Case(
        allocs, grain, start, end, draw(st.sampled_from(by)), draw(st.sampled_from(gaps)), months, dates,
        found,
    )  # fmt: skip
