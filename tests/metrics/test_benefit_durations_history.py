"""Durations of bijstand near the start of the history (docs/metrics.md, "Participatiewet", "Durations"): an
episode that starts within ``--max-gap-days`` of the history start may have begun before it, so its duration
class is a lower bound, certain only in the top class (5 jaar of langer). ``benefits --by duration_class`` on a
date and ``benefit_durations`` in a period are ``onvolledig`` while such an episode can still be below the top
class: while the date (or the period's first day) lies less than five years after the history start plus the
gap.

Worked example Q (exported on 2021-01-06; the history starts on 2015-01-01, the earliest start):

    V1  F  2015-01-01 .. running      on the history start: may have begun before it
    V2  G  2015-01-31 .. running      30 days after it: may continue a benefit that ended on 2014-12-31
    V3  H  2015-02-01 .. 2019-12-31   31 days after it: certainly new (more than the gap of 30 days)
    V4  K  2018-01-01 .. 2020-09-30
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.domain.periods import Grain, Period, cut, period_of
from sdmonitor.metrics import CATALOGUE, MetricRequest, run_metric
from sdmonitor.metrics.run import DataStatus, is_incomplete
from sdmonitor.warehouse import Warehouse, open_warehouse
from tests.benefit_builders import benefit, load_benefits_rows
from tests.metrics.test_benefits_reference import months_between

MOMENT = date(2021, 1, 6)
EXAMPLE_Q = [
    benefit(benefit_id="V1", client_id="F", start_date="2015-01-01"),
    benefit(benefit_id="V2", client_id="G", start_date="2015-01-31"),
    benefit(benefit_id="V3", client_id="H", start_date="2015-02-01", end_date="2019-12-31"),
    benefit(benefit_id="V4", client_id="K", start_date="2018-01-01", end_date="2020-09-30"),
]
# G's benefit before the history: it ended 30 days before V2 began, so V2 continues it
BEFORE = benefit(benefit_id="V0", client_id="G", start_date="2014-06-01", end_date="2014-12-31")
ON = (date(2019, 12, 31), date(2020, 1, 29), date(2020, 1, 30))
HALVES = {"grain": "half", "start": date(2019, 7, 1), "end": date(2020, 12, 31)}


@pytest.fixture
def example(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    load_benefits_rows(warehouse, tmp_path, EXAMPLE_Q, extracted_on=MOMENT)
    return warehouse


def table(warehouse: Warehouse, name: str, **request: Any) -> list[tuple[Any, ...]]:
    return run_metric(warehouse, MetricRequest(name, **request)).labelled()[1]


def test_running_durations_are_incomplete_until_an_episode_from_the_gap_reaches_five_years(
    example: Warehouse,
) -> None:
    assert table(example, "benefits", on=ON, by=("duration_class",)) == [
        # G (59 months) may have begun before 2015: the date is onvolledig; H is new, F already 5 years
        ("2019-12-31", "2-3 jaar", 1, 1, "onvolledig"),  # K
        ("2019-12-31", "4-5 jaar", 2, 2, "onvolledig"),  # G and H: 59 months
        ("2019-12-31", "5 jaar of langer", 1, 1, "onvolledig"),  # F: 60 months, certain
        ("2020-01-29", "2-3 jaar", 1, 1, "onvolledig"),
        ("2020-01-29", "4-5 jaar", 1, 1, "onvolledig"),  # G: 59 months, maybe more
        ("2020-01-29", "5 jaar of langer", 1, 1, "onvolledig"),
        ("2020-01-30", "2-3 jaar", 1, 1, ""),
        ("2020-01-30", "5 jaar of langer", 2, 2, ""),  # F and G: every class is certain from here
    ]


def test_with_a_gap_of_0_days_only_an_episode_from_the_history_start_itself_is_in_doubt(
    example: Warehouse,
) -> None:
    on = (date(2019, 12, 30), date(2019, 12, 31))
    rows = table(example, "benefits", on=on, by=("duration_class",), options={"max_gap_days": 0})
    assert [(row[0], row[-1]) for row in rows if row[1] == "4-5 jaar"] == [
        ("2019-12-30", "onvolledig"),  # F from 2015-01-01: 59 months, maybe more
        ("2019-12-31", ""),  # F 60 months; G's 30 days without a benefit before V2 make a new episode
    ]


def test_benefits_without_duration_classes_are_never_incomplete_by_the_history(example: Warehouse) -> None:
    assert table(example, "benefits", on=ON) == [
        ("2019-12-31", 4, 4, ""),
        ("2020-01-29", 3, 3, ""),
        ("2020-01-30", 3, 3, ""),
    ]
    assert table(example, "benefits", on=ON[:1], by=("regulation",)) == [("2019-12-31", "PW", 4, 4, "")]


def test_ended_durations_are_incomplete_in_the_periods_within_five_years_of_the_history_start(
    example: Warehouse,
) -> None:
    assert table(example, "benefit_durations", **HALVES) == [
        # H: 59 months, certain (H is new), but an episode of G ending in 2019-H2 could be understated
        ("2019-H2", 1, 0, 0, 0, 0, 0, 1, 0, "onvolledig"),
        ("2020-H2", 1, 0, 0, 0, 1, 0, 0, 0, ""),  # K: 33 months
    ]
    half_2020 = Period(date(2020, 1, 1), date(2020, 6, 30), "2020-H1")  # nothing ends in it in example Q
    assert incomplete("benefit_durations", half_2020, date(2015, 1, 1), 30)
    assert not incomplete("benefit_durations", half_2020, date(2015, 1, 1), 0)


def test_a_date_marked_incomplete_was_indeed_understated(warehouse: Warehouse, tmp_path: Path) -> None:
    """With G's benefit of 2014 known (it ended 30 days before V2), G's episode began on 2014-06-01: on
    2020-01-29 it is 5 jaar of langer, not the 4-5 jaar of example Q."""
    load_benefits_rows(warehouse, tmp_path, [BEFORE, *EXAMPLE_Q], extracted_on=MOMENT)
    assert table(warehouse, "benefits", on=(date(2020, 1, 29),), by=("duration_class",)) == [
        ("2020-01-29", "2-3 jaar", 1, 1, ""),
        ("2020-01-29", "5 jaar of langer", 2, 2, ""),  # the history starts on 2014-06-01 now
    ]


# -- the rule against a brute-force reading of it ---------------------------------------------------------------


def incomplete(name: str, slot: Period, start: date, gap: int, by: tuple[str, ...] = ()) -> bool:
    request = MetricRequest(name, by=by, options={"max_gap_days": gap})
    return is_incomplete(CATALOGUE[name], request, slot, start)


def may_be_understated(start: date, gap: int, first: date, last: date) -> bool:
    """Brute force: some episode that may continue support from before the history (its start within ``gap``
    days of the history ``start``) ends, or is counted, on a day of ``first..last`` below 60 months."""
    return any(
        months_between(start + timedelta(days=k), day + timedelta(days=1)) < 60
        for k in range(gap + 1)
        for day in (first + timedelta(days=d) for d in range((last - first).days + 1))
        if day >= start + timedelta(days=k)
    )


@settings(max_examples=300, deadline=None)
@given(
    st.dates(date(2012, 1, 1), date(2016, 12, 31)),
    st.integers(0, 62),
    st.integers(-120, 7 * 366),
)
def test_a_date_is_incomplete_exactly_when_an_episode_from_the_gap_can_be_below_five_years(
    start: date, gap: int, offset: int
) -> None:
    day = start + timedelta(days=offset)
    slot = Period(day, day, day.isoformat())
    reference = day < start or may_be_understated(start, gap, day, day)  # before the history nothing is known
    assert incomplete("benefits", slot, start, gap, by=("duration_class",)) == reference
    assert incomplete("benefits", slot, start, gap, by=("sex", "duration_class")) == reference
    assert not incomplete("benefits", slot, start, gap, by=("sex",))


@settings(max_examples=150, deadline=None)
@given(
    st.dates(date(2012, 1, 1), date(2016, 12, 31)),
    st.integers(0, 62),
    st.integers(-120, 7 * 366),
    st.sampled_from([Grain.MONTH, Grain.QUARTER, Grain.HALF]),
)
def test_a_period_of_ended_durations_is_incomplete_exactly_when_an_episode_from_the_gap_can_end_in_it_below_five_years(
    start: date, gap: int, offset: int, grain: Grain
) -> None:
    period = period_of(start + timedelta(days=offset), grain)
    # the history rule of benefit_flows: an episode starting in it may continue one from before the history
    starts_in_doubt = period.first - timedelta(days=gap + 1) < start
    reference = starts_in_doubt or may_be_understated(start, gap, period.first, period.last)
    assert incomplete("benefit_durations", period, start, gap) == reference


# -- the rule is sound: a date or period whose classes change with an earlier history is marked ----------------

CUT = date(2015, 1, 1)  # the history start of the cut data
END = date(2021, 6, 30)  # the data moment
COUNT = int(os.environ.get("SDM_REFERENCE_EXAMPLES", "12"))

Span = tuple[str, date, date | None]  # person, start, end (inclusive; None: running)


@st.composite
def histories(draw: st.DrawFn) -> list[Span]:
    """Benefits of a few persons from 2011 on, many of them around the cut and the gap of 30 days before it."""
    spans: list[Span] = []
    for person in ("P1", "P2", "P3", "P4"):
        day = draw(st.dates(date(2011, 1, 1), date(2016, 6, 30)))
        if draw(st.booleans()):  # a benefit that ends just before the cut, and maybe one just after it
            day = CUT - timedelta(days=draw(st.integers(200, 2000)))
        for _ in range(draw(st.integers(1, 3))):
            length = draw(st.one_of(st.none(), st.integers(0, 2600)))
            if draw(st.booleans()):  # ends 1 to 40 days before the cut (or on its start, when that is later)
                length = max(0, (CUT - timedelta(days=draw(st.integers(1, 40))) - day).days)
            end = None if length is None else day + timedelta(days=length)
            spans.append((person, day, end))
            if end is None:
                break
            day = end + timedelta(days=draw(st.sampled_from((1, 2, 20, 31, 32, 45, 400))))
            if day > END:
                break
    return spans


def cut_at(spans: Sequence[Span], day: date) -> list[Span]:
    """The benefits as a history that starts on ``day`` sees them: what ended before it is unknown, and a
    benefit that runs on it counts from it."""
    return [(p, max(s, day), e) for p, s, e in spans if e is None or e >= day]


@contextmanager
def loaded(spans: Sequence[Span]) -> Iterator[Warehouse]:
    rows = [
        benefit(
            benefit_id=f"U{i}",
            client_id=p,
            start_date=s.isoformat(),
            end_date=None if e is None else e.isoformat(),
        )
        for i, (p, s, e) in enumerate(spans)
    ]
    with tempfile.TemporaryDirectory() as folder, open_warehouse(Path(folder) / "sdm.duckdb") as warehouse:
        load_benefits_rows(warehouse, Path(folder), rows, extracted_on=END)
        yield warehouse


def by_slot(warehouse: Warehouse, name: str, **request: Any) -> tuple[dict[str, list[Any]], DataStatus]:
    """The rows per date or period, and the status of the result."""
    result = run_metric(warehouse, MetricRequest(name, **request))
    rows: dict[str, list[Any]] = {}
    for row in result.rows:
        rows.setdefault(str(row[0]), []).append(row[1:])
    return rows, result.status


@settings(max_examples=COUNT, deadline=None)
@given(histories(), st.sampled_from([0, 30]))
def test_every_date_and_period_whose_classes_an_earlier_history_changes_is_incomplete(
    spans: list[Span], gap: int
) -> None:
    known = cut_at(spans, CUT)
    if not known:
        return
    every = [CUT + timedelta(days=61 * i) for i in range(40)]
    dates = tuple(sorted({*(d for d in every if d <= END), *(date(2020, 1, d) for d in range(25, 32))}))
    quarters = {"grain": "quarter", "start": CUT, "end": date(2021, 3, 31)}
    options = {"max_gap_days": gap}
    requests: list[tuple[str, dict[str, Any], Sequence[str]]] = [
        ("benefits", {"on": dates, "by": ("duration_class",)}, [d.isoformat() for d in dates]),
        ("benefit_durations", quarters, [q.label for q in cut(CUT, date(2021, 3, 31), Grain.QUARTER)]),
    ]
    with loaded(spans) as full, loaded(known) as seen:
        for name, request, labels in requests:
            truth, _ = by_slot(full, name, options=options, **request)
            got, status = by_slot(seen, name, options=options, **request)
            for label in labels:
                if truth.get(label, []) != got.get(label, []):
                    assert "onvolledig" in status.of(label), (name, label, truth.get(label), got.get(label))
