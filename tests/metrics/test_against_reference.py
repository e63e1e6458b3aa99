"""The warehouse engine agrees with the plain-Python reading of docs/metrics.md on generated allocations."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.errors import InputError
from sdmonitor.loading import BENEFIT_TABLE, LoadOptions, load_allocations, load_table
from sdmonitor.metrics import CATALOGUE, MetricRequest, run_metric
from sdmonitor.metrics import MEASURES as CATALOGUE_MEASURES
from sdmonitor.warehouse import Warehouse, open_warehouse
from tests.benefit_builders import benefit, write_benefits
from tests.builders import allocation, write_csv
from tests.conftest import KEY
from tests.metrics import reference as ref
from tests.metrics.reference import Alloc, Benefit, Row
from tests.metrics.strategies import Case, cases

LOAD_MOMENT = datetime(2030, 1, 1)
# The columns and decimals the engine must give, from the declarations (metrics/catalogue.py); the figures
# themselves come from the reference.
MEASURES = {name: metric.measures for name, metric in CATALOGUE.items()}
DECIMALS = {
    m.name: m.decimals for m in CATALOGUE_MEASURES.values() if m.decimals
}  # the figures that are not whole
# Each example loads a fresh warehouse and runs the engine once (about 0.25 s); a deeper run:
# SDM_REFERENCE_EXAMPLES=200 pytest tests/metrics/test_against_reference.py
COUNT = int(os.environ.get("SDM_REFERENCE_EXAMPLES", "20"))
EXAMPLES = settings(max_examples=COUNT, deadline=None)
SOME_EXAMPLES = settings(max_examples=max(1, COUNT // 2), deadline=None)


@contextmanager
def loaded(
    allocs: Sequence[Alloc], extracted_on: date | None = None, benefits: Sequence[Benefit] = ()
) -> Iterator[Warehouse]:
    """A fresh warehouse holding ``allocs`` (and ``benefits``, when there are any), loaded from canonical CSV
    files like any user file (extracted on ``extracted_on``; default the load day, after every date the
    strategies draw). Both files name clients by the same client numbers of the same source: one client."""
    rows = [
        allocation(
            a.id,
            client=a.client,
            birth=a.birth.isoformat(),
            law=a.law,
            category=a.category,
            start=a.start.isoformat(),
            end=None if a.end is None else a.end.isoformat(),
            gender=a.gender,
            provider_code=a.provider,
        )
        for a in allocs
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "allocations.csv", rows)
        with open_warehouse(Path(folder) / "sdm.duckdb") as warehouse:
            options = LoadOptions(extracted_on=extracted_on)
            summary = load_allocations(warehouse, path, options, now=LOAD_MOMENT)
            assert (summary.loaded, summary.rejected) == (len(allocs), 0)
            if benefits:
                files = write_benefits(Path(folder) / "uitkeringen.csv", [benefit_row(b) for b in benefits])
                options = LoadOptions(extracted_on=extracted_on, pseudonym_key=KEY)
                moment = LOAD_MOMENT + timedelta(hours=1)
                summary = load_table(warehouse, files, options, BENEFIT_TABLE, now=moment)
                assert (summary.loaded, summary.rejected) == (len(benefits), 0)
            yield warehouse


def benefit_row(b: Benefit) -> dict[str, str | None]:
    """The canonical benefits row of a reference benefit."""
    return benefit(
        benefit_id=b.id, client_id=b.applicant, birth_date=b.birth.isoformat(), gender=b.gender,
        regulation=b.regulation, start_date=b.start.isoformat(),
        end_date=None if b.end is None else b.end.isoformat(), partner_id=b.partner,
        partner_birth_date=None if b.partner_birth is None else b.partner_birth.isoformat(),
        partner_gender=b.partner_gender, household_type="3" if b.partner else "1",
    )  # fmt: skip


def check(case: Case, name: str, expected: list[Row]) -> None:
    """Run metric ``name`` on the case's allocations in a real warehouse and compare with ``expected``.

    The engine may leave out or add rows whose measures are all zero (or empty); figures rounded to d
    decimals may differ by one unit in the last decimal (see ``snap``).
    """
    request = MetricRequest(
        name=name,
        grain=case.grain,
        start=case.start,
        end=case.end,
        on=case.on,
        by=case.by,
        options={"max_gap_days": case.max_gap_days, "reentry_months": case.reentry_months},
    )
    with loaded(case.allocs, benefits=case.benefits) as warehouse:
        compare(run_metric(warehouse, request), case, name, expected)


def compare(result: Any, case: Case, name: str, expected: list[Row]) -> None:
    """Assert that a metric result has the reference's columns and rows."""
    by = case.by
    columns = ("date" if name == "stock" else "period", *by, *MEASURES[name])
    assert tuple(result.columns) == columns
    keys = 1 + len(by)
    actual = [normalise(row, columns, keys) for row in result.rows]
    actual = [row for row in actual if any(v not in (0, None) for v in row[keys:])]
    wanted = {row[:keys]: row for row in (normalise(row, columns, keys) for row in expected)}
    actual = [snap(row, wanted.get(row[:keys]), columns) for row in actual]
    assert sorted(actual, key=repr) == sorted(wanted.values(), key=repr)
    assert actual == list(wanted.values()), "rows in another order"


def normalise(row: Sequence[Any], columns: Sequence[str], keys: int) -> Row:
    """Keys as text (a date as ISO text); counts as int and figures as float (None stays None)."""
    cells: list[object] = [str(v) for v in row[:keys]]
    for column, v in zip(columns[keys:], row[keys:], strict=True):
        cells.append(None if v is None else float(v) if column in DECIMALS else int(v))
    return tuple(cells)


def snap(row: Row, expected: Row | None, columns: Sequence[str]) -> Row:
    """``row`` with each figure replaced by the expected one when they differ by at most one unit in the last
    decimal (a tie rounded the other way)."""
    if expected is None:
        return row
    cells = list(row)
    for i, column in enumerate(columns):
        got, want = row[i], expected[i]
        if isinstance(got, float) and isinstance(want, float) and column in DECIMALS:
            cells[i] = want if abs(got - want) <= 1.000001 * 10 ** -DECIMALS[column] else got
    return tuple(cells)


# -- the reference itself on the worked example of docs/metrics.md ---------------------------------------


def worked_example() -> list[Alloc]:
    """Clients A, B and C of docs/metrics.md (birth dates and providers are not in the doc; any will do)."""
    born = date(1980, 5, 5)
    rows = [
        ("a1", "A", "WMO", "02", date(2017, 10, 1), date(2018, 3, 31)),
        ("a2", "A", "WMO", "02", date(2018, 4, 1), None),
        ("a3", "B", "JW", "45", date(2018, 2, 15), date(2018, 2, 15)),
        ("a4", "B", "WMO", "01", date(2018, 5, 1), date(2018, 8, 31)),
        ("a5", "C", "WMO", "07", date(2018, 1, 1), date(2018, 1, 31)),
        ("a6", "C", "WMO", "07", date(2018, 3, 1), date(2018, 6, 30)),
    ]
    return [Alloc(*row, birth=born) for row in rows]


def test_reference_reproduces_the_worked_example() -> None:
    allocs = worked_example()
    halves = ref.periods("half", date(2018, 1, 1), date(2018, 12, 31))
    h1 = halves[:1]
    months = ref.periods("month", date(2018, 1, 1), date(2018, 12, 31))
    year = ref.periods("year", date(2018, 1, 1), date(2018, 12, 31))

    assert ref.clients(allocs, halves, ["law"]) == [
        ("2018-H1", "JW", 1),
        ("2018-H1", "WMO", 3),
        ("2018-H2", "WMO", 2),
    ]
    assert ref.clients(allocs, halves, []) == [("2018-H1", 3), ("2018-H2", 2)]

    assert ref.allocations(allocs, h1, []) == [("2018-H1", 6)]
    assert ref.allocations(allocs, h1, ["overlap"]) == [
        ("2018-H1", "ended_in_period", 1),  # a1
        ("2018-H1", "in_period", 3),  # a3, a5, a6
        ("2018-H1", "started_in_period", 2),  # a2, a4
    ]

    assert ref.stock(allocs, [date(2018, 2, 15), date(2018, 3, 1)], []) == [
        (date(2018, 2, 15), 2),  # A, B
        (date(2018, 3, 1), 2),  # A, C
    ]

    assert ref.flows(allocs, months, [], max_gap_days=0) == [
        ("2018-01", 1, 1, 0),  # C in (a5), C out (a5)
        ("2018-02", 1, 1, 0),  # B in and out (a3)
        ("2018-03", 1, 0, 1),  # C in (a6)
        ("2018-05", 1, 0, 1),  # B in (a4)
        ("2018-06", 0, 1, -1),  # C out (a6)
        ("2018-08", 0, 1, -1),  # B out (a4)
    ]
    assert ref.flows(allocs, months, [], max_gap_days=28) == [
        ("2018-01", 1, 0, 1),  # C in: a5 and a6 are one episode
        ("2018-02", 1, 1, 0),
        ("2018-05", 1, 0, 1),
        ("2018-06", 0, 1, -1),  # C out
        ("2018-08", 0, 1, -1),
    ]
    assert ref.flows(allocs, months, [], max_gap_days=27)[0] == ("2018-01", 1, 1, 0)

    assert ref.allocation_flows(allocs, year, []) == [("2018", 5, 5, 0)]

    assert ref.outflow_rate(allocs, h1, [], max_gap_days=0) == [("2018-H1", 3, 1, 0.3333)]

    # The doc states episodes 1, 123, 31 and 122 days with mean 69.25; median and p90 follow from them.
    assert ref.duration(allocs, year, [], max_gap_days=0) == [
        ("2018", 4, 0, 69.25, 76.5, 122.7, 2.28, 2.51, 4.03)
    ]

    assert ref.reentry(allocs, year, [], max_gap_days=0, reentry_months=12) == [("2018", 4, 2, 0.5)]


def test_reference_cuts_whole_periods() -> None:
    assert ref.periods("quarter", date(2018, 2, 10), date(2018, 4, 1)) == [
        ("2018-Q1", date(2018, 1, 1), date(2018, 3, 31)),
        ("2018-Q2", date(2018, 4, 1), date(2018, 6, 30)),
    ]
    assert ref.periods("half", date(2018, 6, 30), date(2018, 7, 1)) == [
        ("2018-H1", date(2018, 1, 1), date(2018, 6, 30)),
        ("2018-H2", date(2018, 7, 1), date(2018, 12, 31)),
    ]
    assert ref.periods("month", date(2020, 2, 29), date(2020, 2, 29)) == [
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29))
    ]
    assert ref.periods("year", date(2017, 12, 31), date(2018, 1, 1)) == [
        ("2017", date(2017, 1, 1), date(2017, 12, 31)),
        ("2018", date(2018, 1, 1), date(2018, 12, 31)),
    ]


def test_reference_ages_in_completed_years_on_the_last_day() -> None:
    born = date(2000, 6, 30)
    kid = Alloc("a1", "A", "WMO", "02", date(2018, 1, 1), None, born)
    assert ref.value(kid, "age_band", date(2018, 1, 1), date(2018, 6, 29)) == "0-17"
    assert ref.value(kid, "age_band", date(2018, 1, 1), date(2018, 6, 30)) == "18-64"
    assert ref.value(kid, "target_group", date(2018, 1, 1), date(2018, 6, 30)) == "volwassenen"
    youth = Alloc("a2", "A", "JW", "45", date(2018, 1, 1), None, date(1990, 1, 1))
    assert ref.value(youth, "target_group", date(2018, 1, 1), date(2018, 6, 30)) == "jeugd"


def test_a_client_who_stays_in_the_group_under_another_law_does_not_flow_out() -> None:
    """Born 2000-12-31, the client is 17 on 2017-12-31: Jeugdwet and Wmo support are both ``jeugd`` but form
    separate episodes. The Jeugdwet episode ends on 2017-01-01, the Wmo one runs on: the client stays in
    ``jeugd`` (the Jeugdwet group total of ``--by law`` does see the outflow)."""
    born = date(2000, 12, 31)
    allocs = [
        Alloc("a1", "C1", "JW", "45", date(2016, 1, 1), date(2017, 1, 1), born),
        Alloc("a2", "C1", "WMO", "02", date(2016, 1, 2), None, born),
    ]
    years = ref.periods("year", date(2017, 1, 1), date(2018, 12, 31))
    assert ref.outflow_rate(allocs, years, ["target_group"], 0) == [
        ("2017", "jeugd", 1, 0, 0.0),
        ("2018", "volwassenen", 1, 0, 0.0),  # 18 on 2018-12-31: the Wmo support is adult support now
    ]
    assert ref.outflow_rate(allocs, years, ["law"], 0) == [
        ("2017", "JW", 1, 1, 1.0),
        ("2017", "WMO", 1, 0, 0.0),
        ("2018", "WMO", 1, 0, 0.0),
    ]
    # Nested: a Wmo episode that starts after the Jeugdwet one and ends first is no outflow either (the
    # last episode is the one that ends last: Jeugdwet support continues after 2017).
    nested = [
        Alloc("b1", "C2", "JW", "45", date(2016, 1, 1), None, born),
        Alloc("b2", "C2", "WMO", "02", date(2017, 3, 1), date(2017, 6, 30), born),
    ]
    assert ref.outflow_rate(nested, years[:1], ["target_group"], 0) == [("2017", "jeugd", 1, 0, 0.0)]
    for case_allocs, by in [(allocs, ("target_group",)), (allocs, ("law",)), (nested, ("target_group",))]:
        case = Case(
            allocs=case_allocs, grain="year", start=date(2017, 1, 1), end=date(2018, 12, 31), by=by,
            max_gap_days=0, reentry_months=12, on=(),
        )  # fmt: skip
        check(case, "outflow_rate", ref.outflow_rate(case_allocs, years, by, 0))
    # In a gap of the Jeugdwet episode (42 days, within --max-gap-days 60) the client has only Wmo support,
    # which ends in February: the Jeugdwet episode runs on through February, so no outflow then either.
    gap = [
        Alloc("c1", "C3", "JW", "45", date(2017, 1, 1), date(2017, 1, 31), born),
        Alloc("c2", "C3", "JW", "45", date(2017, 3, 15), None, born),
        Alloc("c3", "C3", "WMO", "02", date(2017, 2, 1), date(2017, 2, 20), born),
    ]
    months = ref.periods("month", date(2017, 1, 1), date(2017, 3, 31))
    assert ref.outflow_rate(gap, months, ["target_group"], 60) == [
        ("2017-01", "jeugd", 1, 0, 0.0),
        ("2017-02", "jeugd", 1, 0, 0.0),
        ("2017-03", "jeugd", 1, 0, 0.0),
    ]
    case = Case(
        allocs=gap, grain="month", start=date(2017, 1, 1), end=date(2017, 3, 31), by=("target_group",),
        max_gap_days=60, reentry_months=12, on=(),
    )  # fmt: skip
    check(case, "outflow_rate", ref.outflow_rate(gap, months, ["target_group"], 60))


# -- the engine against the reference --------------------------------------------------------------------

COUNT_BY = [
    (),
    ("law",),
    ("age_band",),
    ("target_group",),
    ("sex", "provider"),
    ("product_category",),
    ("law", "age_band"),
]
# Episode metrics: with target_group, episodes are formed per law as well (docs/metrics.md).
EPISODE_BY = [
    (),
    ("law",),
    ("provider",),
    ("age_band",),
    ("law", "target_group"),
    ("target_group",),
    ("sex",),
]
GAPS = [0, 3]


def periods_of(case: Case) -> list[ref.Period]:
    return ref.periods(case.grain, case.start, case.end)


@EXAMPLES
@given(cases(COUNT_BY))
def test_clients_agrees_with_the_reference(case: Case) -> None:
    check(case, "clients", ref.clients(case.allocs, periods_of(case), case.by))


@EXAMPLES
@given(cases([(), ("overlap",), ("law", "overlap"), ("age_band",)]))
def test_allocations_agrees_with_the_reference(case: Case) -> None:
    check(case, "allocations", ref.allocations(case.allocs, periods_of(case), case.by))


@EXAMPLES
@given(cases(COUNT_BY, on=True))
def test_stock_on_reference_dates_agrees_with_the_reference(case: Case) -> None:
    check(case, "stock", ref.stock(case.allocs, case.on, case.by))


@SOME_EXAMPLES
@given(cases([(), ("law",), ("age_band",)]))
def test_stock_on_the_first_day_of_each_period_agrees_with_the_reference(case: Case) -> None:
    firsts = [first for _, first, _ in periods_of(case)]
    check(case, "stock", ref.stock(case.allocs, firsts, case.by))


@EXAMPLES
@given(cases(EPISODE_BY, GAPS))
def test_flows_agrees_with_the_reference(case: Case) -> None:
    check(case, "flows", ref.flows(case.allocs, periods_of(case), case.by, case.max_gap_days))


@EXAMPLES
@given(cases(COUNT_BY))
def test_allocation_flows_agrees_with_the_reference(case: Case) -> None:
    check(case, "allocation_flows", ref.allocation_flows(case.allocs, periods_of(case), case.by))


@EXAMPLES
@given(cases(EPISODE_BY, GAPS))
def test_outflow_rate_agrees_with_the_reference(case: Case) -> None:
    expected = ref.outflow_rate(case.allocs, periods_of(case), case.by, case.max_gap_days)
    check(case, "outflow_rate", expected)


@EXAMPLES
@given(cases(EPISODE_BY, GAPS))
def test_duration_agrees_with_the_reference(case: Case) -> None:
    check(case, "duration", ref.duration(case.allocs, periods_of(case), case.by, case.max_gap_days))


@EXAMPLES
@given(cases(EPISODE_BY, GAPS, reentry_months=[12, 1, 3]))
def test_reentry_agrees_with_the_reference(case: Case) -> None:
    expected = ref.reentry(case.allocs, periods_of(case), case.by, case.max_gap_days, case.reentry_months)
    check(case, "reentry", expected)


@EXAMPLES
@given(cases([(), ("law",), ("age_band",), ("sex", "provider")]))
def test_allocations_per_client_agrees_with_the_reference(case: Case) -> None:
    check(case, "allocations_per_client", ref.allocations_per_client(case.allocs, periods_of(case), case.by))


@EXAMPLES
@given(cases([(), ("law",), ("provider",)]))
def test_repeat_use_agrees_with_the_reference(case: Case) -> None:
    check(case, "repeat_use", ref.repeat_use(case.allocs, periods_of(case), case.by))


@EXAMPLES
@given(cases([()]))
def test_profile_agrees_with_the_reference(case: Case) -> None:
    check(case, "profile", ref.profile(case.allocs, periods_of(case)))


@EXAMPLES
@given(cases([()]))
def test_transitions_18_agrees_with_the_reference(case: Case) -> None:
    check(case, "transitions_18", ref.transitions_18(case.allocs, periods_of(case)))


@EXAMPLES
@given(cases([()]))
def test_stacking_and_its_combinations_agree_with_the_reference(case: Case) -> None:
    base = {"grain": case.grain, "start": case.start, "end": case.end}
    with loaded(case.allocs) as warehouse:
        stacking = run_metric(warehouse, MetricRequest("stacking", **base)).rows  # type: ignore[arg-type]
        combinations = run_metric(warehouse, MetricRequest("stacking_combinations", **base)).rows  # type: ignore[arg-type]
    assert [tuple(row) for row in stacking] == ref.stacking(case.allocs, periods_of(case))
    assert [tuple(row) for row in combinations] == ref.stacking_combinations(case.allocs, periods_of(case))


# -- persons on benefits: clients of law PW (docs/metrics.md, "Clients across the three laws") -------------

BENEFIT_BY = [
    (),
    ("law",),
    ("law", "target_group"),
    ("target_group",),
    ("age_band",),
    ("provider", "sex"),
    ("product_category",),
]


@EXAMPLES
@given(cases(BENEFIT_BY, benefits=True))
def test_clients_with_benefits_agrees_with_the_reference(case: Case) -> None:
    check(case, "clients", ref.clients(case.allocs, periods_of(case), case.by, case.benefits))


@EXAMPLES
@given(cases(BENEFIT_BY, on=True, benefits=True))
def test_stock_with_benefits_agrees_with_the_reference(case: Case) -> None:
    check(case, "stock", ref.stock(case.allocs, case.on, case.by, case.benefits))


@EXAMPLES
@given(cases([()], benefits=True))
def test_profile_and_stacking_with_benefits_agree_with_the_reference(case: Case) -> None:
    base = {"grain": case.grain, "start": case.start, "end": case.end}
    laws = {**base, "options": {"stack_by": "law"}}
    found = {}
    with loaded(case.allocs, benefits=case.benefits) as warehouse:
        for name in ("profile", "stacking", "stacking_combinations"):
            found[name] = [tuple(r) for r in run_metric(warehouse, MetricRequest(name, **base)).rows]  # type: ignore[arg-type]
        for name in ("stacking", "stacking_combinations"):
            found[f"{name}_law"] = [tuple(r) for r in run_metric(warehouse, MetricRequest(name, **laws)).rows]  # type: ignore[arg-type]
    every = periods_of(case)
    assert found["stacking"] == ref.stacking(case.allocs, every, case.benefits)
    assert found["stacking_combinations"] == ref.stacking_combinations(case.allocs, every, case.benefits)
    assert found["stacking_law"] == ref.stacking(case.allocs, every, case.benefits, "law")
    assert found["stacking_combinations_law"] == ref.stacking_combinations(
        case.allocs, every, case.benefits, "law"
    )
    expected = ref.profile(case.allocs, every, case.benefits)
    compare_profile = [normalise(r, ("period", *MEASURES["profile"]), 1) for r in found["profile"]]
    assert compare_profile == [normalise(r, ("period", *MEASURES["profile"]), 1) for r in expected]


@EXAMPLES
@given(cases([(), ("law",), ("law", "target_group")], benefits=True), st.data())
def test_clients_with_benefits_at_a_data_moment_agree_with_the_reference(
    case: Case, data: st.DataObject
) -> None:
    """Allocations and benefits both extracted on a day among the case's dates: the clients are those of the
    allocations and benefits as realised then (a benefit starting later is left out, a later end is open)."""
    days = sorted({d for x in (*case.allocs, *case.benefits) for d in (x.start, x.end) if d is not None})
    moment = data.draw(st.sampled_from(days)) + timedelta(days=data.draw(st.sampled_from([0, -1, 1])))
    cut_end = max(case.start, min(case.end, moment))
    asked = ref.periods(case.grain, case.start, cut_end)
    if ref.refused(asked, moment):
        return
    expected = ref.clients(
        ref.realised(case.allocs, moment), asked, case.by, ref.realised_benefits(case.benefits, moment)
    )
    request = MetricRequest("clients", grain=case.grain, start=case.start, end=cut_end, by=case.by)
    with loaded(case.allocs, extracted_on=moment, benefits=case.benefits) as warehouse:
        compare(run_metric(warehouse, request), replace(case, end=cut_end), "clients", expected)


# -- realised figures at a data moment -------------------------------------------------------------------


@EXAMPLES
@given(cases(EPISODE_BY, GAPS, reentry_months=[12, 3]), st.data())
def test_figures_at_a_data_moment_agree_with_the_reference_on_the_realised_allocations(
    case: Case, data: st.DataObject
) -> None:
    """Loaded with an extraction date among the case's dates, every realised figure equals the reference
    on the allocations as realised then; a period after the moment is refused; each period's status (
    incomplete, partial) is the reference's."""
    days = sorted({d for a in case.allocs for d in (a.start, a.end) if d is not None})
    edges = sorted({d for _, first, last in periods_of(case) for d in (first, last)})
    moment = data.draw(st.sampled_from(days + edges)) + timedelta(
        days=data.draw(st.sampled_from([0, 0, -1, 1]))
    )
    realised = ref.realised(case.allocs, moment)
    history_start = min(a.start for a in case.allocs)
    gap, months = case.max_gap_days, case.reentry_months
    # the range asked, and the same range cut at the data moment (the range a user is pointed to)
    cut_end = max(case.start, min(case.end, moment))
    asked = ref.periods(case.grain, case.start, cut_end)
    with loaded(case.allocs, extracted_on=moment) as warehouse:
        whole = MetricRequest(name="clients", grain=case.grain, start=case.start, end=case.end)
        if ref.refused(periods_of(case), moment):
            with pytest.raises(InputError, match="na het datamoment"):
                run_metric(warehouse, whole)
        if ref.refused(asked, moment):
            return
        expected = {
            "clients": ref.clients(realised, asked, case.by),
            "flows": ref.flows(realised, asked, case.by, gap),
            "outflow_rate": ref.outflow_rate(realised, asked, case.by, gap),
            "duration": ref.duration(realised, asked, case.by, gap),
            "reentry": ref.reentry(realised, asked, case.by, gap, months),
        }
        for name, rows in expected.items():
            request = MetricRequest(
                name=name, grain=case.grain, start=case.start, end=cut_end, by=case.by,
                options={"max_gap_days": gap, "reentry_months": months},
            )  # fmt: skip
            result = run_metric(warehouse, request)
            compare(result, replace(case, end=cut_end), name, rows)
            wanted = ref.statuses(name, asked, moment, history_start, gap, months)
            assert {label: result.status.of(label) for label, _, _ in asked} == wanted


def test_the_worked_example_at_a_data_moment() -> None:
    """docs/metrics.md: exported on 2018-06-30, C's end on that day is realised (June has its outflow), B's a4
    (from 1 May, ends 31 August) has a planned end and runs; the half-year is partial up to 30-06-2018."""
    realised = ref.realised(worked_example(), date(2018, 6, 30))
    months = ref.periods("month", date(2018, 1, 1), date(2018, 6, 30))
    assert ref.flows(realised, months, [], max_gap_days=0) == [
        ("2018-01", 1, 1, 0),
        ("2018-02", 1, 1, 0),
        ("2018-03", 1, 0, 1),
        ("2018-05", 1, 0, 1),
        ("2018-06", 0, 1, -1),
    ]
    halves = ref.periods("half", date(2018, 1, 1), date(2018, 6, 30))
    assert ref.statuses("flows", halves, date(2018, 6, 30), date(2017, 10, 1)) == {
        "2018-H1": "t/m 30-06-2018"
    }
    assert ref.refused(ref.periods("half", date(2018, 1, 1), date(2018, 12, 31)), date(2018, 6, 30))
    with loaded(worked_example(), extracted_on=date(2018, 6, 30)) as warehouse:
        result = run_metric(
            warehouse, MetricRequest("flows", grain="month", start=date(2018, 1, 1), end=date(2018, 6, 30))
        )
        assert result.rows == [(m, *rest) for m, *rest in ref.flows(realised, months, [], max_gap_days=0)]
        assert result.labelled()[0][-1] == "status"
        with pytest.raises(InputError, match="2018-07 ligt na het datamoment 30-06-2018"):
            run_metric(
                warehouse,
                MetricRequest("flows", grain="month", start=date(2018, 1, 1), end=date(2018, 7, 31)),
            )
        planned = run_metric(
            warehouse,
            MetricRequest(
                "flows", grain="month", start=date(2018, 7, 1), end=date(2018, 8, 31), planned=True
            ),
        )
        assert planned.rows == [("2018-08", 0, 1, -1)] and planned.status.of("2018-08") == "gepland"
