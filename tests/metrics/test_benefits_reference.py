"""The Participatiewet metrics against a short pure-Python reference on generated benefits (hypothesis).

Each example loads the benefits with the real ``sdm load benefits`` (exported on ``MOMENT``, inside the span of
the dates, so planned starts and ends occur) and compares every figure of ``benefits``, ``benefit_flows``,
``benefit_reentry``, ``benefit_durations`` and ``benefit_outflow_reasons`` with the reference below, which
follows docs/metrics.md "Participatiewet" literally: per person, episodes joined while the days without a
benefit are at most the gap; durations in completed months to the day after; a benefit by its applicant, a
person by their own sex and age.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.domain.benefits import OUTFLOW_REASONS
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.benefits import benefit_facts, benefit_persons
from sdmonitor.warehouse import Warehouse, open_warehouse
from tests.benefit_builders import benefit, load_benefits_rows
from tests.metrics.reference import add_months, age_on, periods

MOMENT = date(2019, 6, 30)  # the data moment: later starts are left out, later ends are planned
FIRST, LAST = date(2018, 1, 1), date(2019, 12, 31)
PERSONS = ("P1", "P2", "P3", "P4", "P5")
CLASSES = ((0, "0-6 maanden"), (6, "6-12 maanden"), (12, "1-2 jaar"), (24, "2-3 jaar"), (36, "3-4 jaar"),
           (48, "4-5 jaar"), (60, "5 jaar of langer"))  # fmt: skip
COUNT = int(os.environ.get("SDM_REFERENCE_EXAMPLES", "12"))
EXAMPLES = settings(max_examples=COUNT, deadline=None)


@dataclass(frozen=True)
class Benefit:
    id: str
    applicant: str
    partner: str | None
    start: date
    end: date | None
    regulation: str
    outflow_reason: str | None


@dataclass(frozen=True)
class People:
    """Every person's birth date and sex (the same on every benefit they are on)."""

    birth: dict[str, date]
    gender: dict[str, str]


Row = tuple[Any, ...]


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Benefit], People]:
    births = {p: draw(st.dates(date(1955, 1, 1), date(2002, 12, 31))) for p in PERSONS}
    # a few people turn 18 around the dates asked for
    if draw(st.booleans()):
        births["P1"] = date(2000, 7, 1) + timedelta(days=draw(st.integers(-2, 2)))
    genders = {p: draw(st.sampled_from(("1", "2", "0"))) for p in PERSONS}
    benefits = []
    for i in range(draw(st.integers(1, 9))):
        applicant = draw(st.sampled_from(PERSONS))
        start = draw(st.dates(FIRST, LAST))
        ended = [b for b in benefits if b.end is not None]
        if ended and draw(st.booleans()):  # the same person again, days around the gap after an earlier end
            earlier = draw(st.sampled_from(ended))
            applicant = draw(
                st.sampled_from([p for p in (earlier.applicant, earlier.partner) if p is not None])
            )
            assert earlier.end is not None
            start = earlier.end + timedelta(days=draw(st.sampled_from((1, 2, 30, 31, 32, 200, 400))))
        partner = draw(st.one_of(st.none(), st.sampled_from([p for p in PERSONS if p != applicant])))
        length = draw(st.one_of(st.none(), st.integers(0, 800)))
        end = None if length is None else start + timedelta(days=length)
        same_day = [b.end for b in ended if b.end is not None and b.end >= start]
        if same_day and draw(st.booleans()):  # ends on the day another benefit ends
            end = draw(st.sampled_from(same_day))
        reason = draw(st.sampled_from((None, "11", "02", "14", "32", "98")))
        regulation = draw(st.sampled_from(("PW", "PW", "IOAW")))
        benefits.append(Benefit(f"U{i}", applicant, partner, start, end, regulation, reason))
    return benefits, People(births, genders)


@contextmanager
def loaded(benefits: Sequence[Benefit], people: People) -> Iterator[Warehouse]:
    rows = [
        benefit(
            benefit_id=b.id, client_id=b.applicant, birth_date=people.birth[b.applicant].isoformat(),
            gender=people.gender[b.applicant], partner_id=b.partner,
            partner_birth_date=None if b.partner is None else people.birth[b.partner].isoformat(),
            partner_gender=None if b.partner is None else people.gender[b.partner],
            regulation=b.regulation, start_date=b.start.isoformat(),
            end_date=None if b.end is None else b.end.isoformat(), outflow_reason=b.outflow_reason,
        )
        for b in benefits
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, open_warehouse(Path(folder) / "sdm.duckdb") as warehouse:
        summary = load_benefits_rows(warehouse, Path(folder), rows, extracted_on=MOMENT)
        assert summary.loaded == len(rows)
        yield warehouse


# -- the reference -------------------------------------------------------------------------------------------


def realised(benefits: Sequence[Benefit]) -> list[Benefit]:
    """As on the data moment: a start after it left out, an end after it planned (open, no reason)."""
    out = []
    for b in benefits:
        if b.start > MOMENT:
            continue
        planned = b.end is not None and b.end > MOMENT
        out.append(Benefit(b.id, b.applicant, b.partner, b.start, None if planned else b.end, b.regulation,
                           None if planned else b.outflow_reason))  # fmt: skip
    return out


def rows_of(benefits: Sequence[Benefit]) -> list[tuple[Benefit, str, str]]:
    """(benefit, role, person) for every person on every benefit."""
    out = [(b, "aanvrager", b.applicant) for b in benefits]
    return out + [(b, "partner", b.partner) for b in benefits if b.partner is not None]


def sex(people: People, person: str) -> str:
    return {"1": "man", "2": "vrouw"}.get(people.gender[person], "onbekend")


def band(people: People, person: str, day: date) -> str:
    age = age_on(people.birth[person], day)
    return "0-17" if age < 18 else "18-64" if age < 65 else "65+"


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def duration_class(months: int) -> str:
    return [label for low, label in CLASSES if months >= low][-1]


def episodes(periods_: Sequence[tuple[date, date | None]], gap: int) -> list[tuple[date, date | None]]:
    """Benefit periods joined while the days without a benefit between them are at most ``gap``."""
    found: list[list[Any]] = []
    for start, end in sorted(periods_, key=lambda p: (p[0], p[1] or date.max)):
        if found and (found[-1][1] is None or (start - found[-1][1]).days - 1 <= gap):
            found[-1][1] = None if found[-1][1] is None or end is None else max(found[-1][1], end)
        else:
            found.append([start, end])
    return [(s, e) for s, e in found]


def person_episodes(
    benefits: Sequence[Benefit], by: Sequence[str], people: People, gap: int
) -> dict[tuple[str, tuple[str, ...]], list[tuple[date, date | None, str | None]]]:
    """Per (person, static groups): episodes (start, end, the reason of the benefit that ends it)."""
    spans: dict[tuple[str, tuple[str, ...]], list[Benefit]] = defaultdict(list)
    for b, _, person in rows_of(benefits):
        groups = tuple(b.regulation if name == "regulation" else sex(people, person) for name in by
                       if name in ("regulation", "sex"))  # fmt: skip
        spans[(person, groups)].append(b)
    found = {}
    for key, bs in spans.items():
        eps = episodes([(b.start, b.end) for b in bs], gap)
        found[key] = [(s, e, last_reason([b for b in bs if b.end == e and b.start >= s])) for s, e in eps]
    return found


def last_reason(ending: Sequence[Benefit]) -> str | None:
    """The reason of the benefit that ends an episode; of several ending that day the highest code."""
    reasons = sorted(b.outflow_reason for b in ending if b.outflow_reason is not None)
    return reasons[-1] if reasons else None


def stock(benefits: Sequence[Benefit], people: People, dates: Sequence[date], by: Sequence[str],
          gap: int) -> list[Row]:  # fmt: skip
    counts: dict[tuple[date, tuple[str, ...]], list[Any]] = {}
    static = [name for name in by if name in ("regulation", "sex")]
    eps = person_episodes(benefits, static, people, gap)
    for day in dates:
        for b, role, person in rows_of(benefits):
            if not (b.start <= day and (b.end is None or b.end >= day)):
                continue
            values = []
            for name in by:
                if name == "regulation":
                    values.append(b.regulation)
                elif name == "sex":
                    values.append(sex(people, person))
                elif name == "age_band":
                    values.append(band(people, person, day))
                else:
                    key = (
                        person,
                        tuple(b.regulation if n == "regulation" else sex(people, person) for n in static),
                    )
                    start = next(s for s, e, _ in eps[key] if s <= day and (e is None or e >= day))
                    values.append(duration_class(months_between(start, day + timedelta(days=1))))
            entry = counts.setdefault((day, tuple(values)), [0, set()])
            entry[0] += role == "aanvrager"
            entry[1].add(person)
    return sorted((d.isoformat(), *g, n, len(ps)) for (d, g), (n, ps) in counts.items())


def events(benefits: Sequence[Benefit], people: People, grain: str, by: Sequence[str], gap: int
           ) -> list[tuple[str, str, tuple[str, ...], date, date | None, str | None]]:  # fmt: skip
    """('in' or 'out', period label, groups, start, previous end or the episode's end, reason) per event."""
    span = periods(grain, FIRST, MOMENT)
    label = {}
    for name, first, last in span:
        day = first
        while day <= last:
            label[day] = (name, last)
            day += timedelta(days=1)
    found = []
    for (person, groups), eps in person_episodes(benefits, by, people, gap).items():
        previous = None
        for start, end, reason in eps:
            for kind, day in (("in", start), ("out", end)):
                if day is None or day not in label:
                    continue
                name, last = label[day]
                values = iter(groups)
                full = tuple(band(people, person, last) if n == "age_band" else next(values) for n in by)
                found.append((kind, name, full, start, previous if kind == "in" else end, reason))
            previous = end
    return found


# -- the properties ------------------------------------------------------------------------------------------


def engine_rows(warehouse: Warehouse, name: str, **request: Any) -> list[Row]:
    return sorted(run_metric(warehouse, MetricRequest(name, **request)).rows, key=str)


@EXAMPLES
@given(cases(), st.sampled_from([(), ("sex",), ("age_band",), ("duration_class",), ("regulation", "age_band")]),
       st.sampled_from([0, 30]))  # fmt: skip
def test_benefits_on_dates_match_the_reference(case: tuple[list[Benefit], People], by: tuple[str, ...],
                                               gap: int) -> None:  # fmt: skip
    benefits, people = case
    every = (date(2018, 1, 1) + timedelta(days=45 * i) for i in range(13))  # to 2019-07-02, past the moment
    dates = (*(d for d in every if d <= MOMENT), date(2018, 6, 30), date(2018, 7, 1))
    with loaded(benefits, people) as warehouse:
        got = engine_rows(warehouse, "benefits", on=dates, by=by, options={"max_gap_days": gap})
    want = stock(realised(benefits), people, sorted(set(dates)), by, gap)
    assert got == sorted(want, key=str)


def _month_start(day: date, months: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@EXAMPLES
@given(cases(), st.sampled_from([1, 3, 6, 12]), st.sampled_from([(), ("sex",), ("regulation",)]), st.data())
def test_benefits_on_regular_month_starts_match_the_reference(
    case: tuple[list[Benefit], People], step: int, by: tuple[str, ...], data: st.DataObject
) -> None:
    """Month, quarter, half-year and year starts (the dates numbered by arithmetic), with starts and ends
    moved onto, just before and just after the first days of months, where those numbers turn."""
    benefits, people = case
    shift = st.sampled_from((-1, 0, 1))
    moved = []
    for b in benefits:
        start = b.start
        if data.draw(st.booleans()):
            start = _month_start(b.start) + timedelta(days=data.draw(shift))
        end = b.end
        if end is not None and data.draw(st.booleans()):
            end = max(start, _month_start(end, 1) + timedelta(days=data.draw(shift)))
        moved.append(replace(b, start=start, end=end))
    first = date(2017, 11, 1)
    dates = tuple(d for d in (_month_start(first, i * step) for i in range(40)) if d <= MOMENT)
    with loaded(moved, people) as warehouse:
        got = engine_rows(warehouse, "benefits", on=dates, by=by)
    assert got == sorted(stock(realised(moved), people, list(dates), by, 30), key=str)


@EXAMPLES
@given(cases(), st.sampled_from(["month", "quarter", "half"]), st.sampled_from([(), ("sex",), ("age_band",)]),
       st.sampled_from([0, 30]))  # fmt: skip
def test_flows_reentry_durations_and_reasons_match_the_reference(
    case: tuple[list[Benefit], People], grain: str, by: tuple[str, ...], gap: int
) -> None:
    benefits, people = case
    request = {"grain": grain, "start": FIRST, "end": MOMENT, "by": by, "options": {"max_gap_days": gap}}
    with loaded(benefits, people) as warehouse:
        flows = engine_rows(warehouse, "benefit_flows", **request)
        reentry = engine_rows(warehouse, "benefit_reentry", **request)
        durations = engine_rows(warehouse, "benefit_durations", **request)
        reasons = engine_rows(warehouse, "benefit_outflow_reasons", **request)
    found = events(realised(benefits), people, grain, by, gap)
    inflow = Counter((p, g) for kind, p, g, *_ in found if kind == "in")
    outflow = Counter((p, g) for kind, p, g, *_ in found if kind == "out")
    assert flows == sorted(
        (
            (p, *g, inflow[(p, g)], outflow[(p, g)], inflow[(p, g)] - outflow[(p, g)])
            for p, g in inflow | outflow
        ),
        key=str,
    )
    reentries = Counter(
        (p, g) for kind, p, g, start, before, _ in found
        if kind == "in" and before is not None and start <= add_months(before, 12)
    )  # fmt: skip
    assert [row[:-1] for row in reentry] == sorted(
        ((p, *g, inflow[(p, g)], reentries[(p, g)]) for p, g in inflow), key=str
    )
    classes: dict[tuple[str, tuple[str, ...]], Counter[str]] = defaultdict(Counter)
    for kind, p, g, start, end, _ in found:
        if kind == "out":
            assert end is not None
            classes[(p, g)][duration_class(months_between(start, end + timedelta(days=1)))] += 1
    assert durations == sorted(
        ((p, *g, outflow[(p, g)], *(classes[(p, g)][label] for _, label in CLASSES)) for p, g in outflow),
        key=str,
    )
    groups = Counter(
        (p, g, "onbekend" if reason is None else OUTFLOW_REASONS.get(reason, "overig"))
        for kind, p, g, _, _, reason in found if kind == "out"
    )  # fmt: skip
    assert reasons == sorted(((p, *g, str(group), n) for (p, g, group), n in groups.items()), key=str)


def _counts(warehouse: Warehouse, count: Any, scope: Any) -> list[Row]:
    table = count(benefit_facts(warehouse.ibis(), None, MOMENT), scope)
    columns = ["slot", *scope.by, "benefits", "persons"]
    return sorted(tuple(r.values()) for r in warehouse.ibis().to_pyarrow(table.select(*columns)).to_pylist())


@EXAMPLES
@given(
    cases(), st.sampled_from([(), ("regulation",), ("regulation", "household_type")]), st.sampled_from([1, 3])
)
def test_the_count_per_benefit_agrees_with_the_count_per_person_and_the_general_one(
    case: tuple[list[Benefit], People], by: tuple[str, ...], step: int
) -> None:
    """``benefits`` by properties of the benefit is counted from one row per benefit (``_count_benefits_per_
    benefit``); on the same data the formulation over the persons' rows (``_count_benefits_one_word``) and the
    general one (``_count_with_masks``, any by and number of dates) give the same rows."""
    from sdmonitor.metrics import benefits as queries
    from sdmonitor.metrics.engine import Scope
    from sdmonitor.metrics.run import metric_of, slots_of

    benefits, people = case
    dates = tuple(d for d in (_month_start(date(2017, 11, 1), i * step) for i in range(30)) if d <= MOMENT)
    request = MetricRequest("benefits", on=dates, by=by)
    scope = Scope(
        slots_of(metric_of("benefits"), request), by, request.age_bands, max_gap_days=30, moment=MOMENT
    )

    def per_person(facts: Any, scope: Scope) -> Any:
        return queries._count_benefits_one_word(queries._with_groups(benefit_persons(facts), scope), scope)

    with loaded(benefits, people) as warehouse:
        fast = _counts(warehouse, queries._count_benefits_per_benefit, scope)
        assert fast == _counts(warehouse, per_person, scope)
        assert fast == _counts(warehouse, queries._count_with_masks, scope)
