"""The benefits benchmark's baselines (pandas, Polars, hand-written SQL) compute what issue 14 defines for
``benefits`` and ``benefit_flows``, agree with a plain-Python reading on small inputs and with ``sdm metric``
on a worked example and a generated set, and the generator makes the benefits the benchmark promises."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from benchmarks.benefit_data import EXTRACTED_ON, SCHEMA, insert_benefits, write_benefits
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import benefit_baselines as baselines
from sdmonitor.metrics import run_metric
from sdmonitor.warehouse import Warehouse, open_warehouse


@dataclass(frozen=True)
class Benefit:
    applicant: int
    start: date
    end: date | None
    partner: int | None = None


@contextmanager
def warehouse_with(benefits: Sequence[Benefit]) -> Iterator[Warehouse]:
    """A fresh warehouse holding ``benefits`` (put in as the benchmark does)."""
    columns: dict[str, list[object]] = {name: [] for name in SCHEMA.names}
    for number, b in enumerate(benefits):
        values = {
            "benefit_id": f"U{number}", "client_key": b.applicant, "partner_key": b.partner,
            "birth_date": date(1980, 1, 1), "partner_birth_date": None if b.partner is None else date(1981, 1, 1),
            "gender": "1", "partner_gender": None if b.partner is None else "2", "regulation": "PW",
            "household_type": None, "cost_sharers": 0, "start_date": b.start, "end_date": b.end,
            "inflow_reason": None, "outflow_reason": None, "municipality_code": "9901", "pc4": "1000",
        }  # fmt: skip
        for name, value in values.items():
            columns[name].append(value)
    with tempfile.TemporaryDirectory() as folder:
        parquet = Path(folder) / "benefits.parquet"
        pq.write_table(pa.Table.from_pydict(columns, schema=SCHEMA), parquet)
        insert_benefits(Path(folder) / "sdm.duckdb", parquet)
        with open_warehouse(Path(folder) / "sdm.duckdb", read_only=True) as warehouse:
            yield warehouse


def every_implementation(
    warehouse: Warehouse, figure: str, sdm: bool = False
) -> dict[str, list[baselines.Row]]:
    runners = {**baselines.RUNNERS, **baselines.sql_runners(figure)}
    if sdm:
        runners["sdm"] = lambda w, f: run_metric(w, baselines.REQUESTS[f]).rows
    return {name: baselines.normalise(run(warehouse, figure), figure) for name, run in runners.items()}


def test_a_couple_is_one_benefit_and_two_persons_and_a_short_gap_one_episode() -> None:
    """A and partner B on U0 from 2015-02-10 to 2015-05-31; A again from 2015-06-20 (19 days without: the same
    episode) to 2015-08-31; B alone from 2015-08-01 (62 days after U0: a new episode), still running; C from
    2015-04-02 with a planned end after the data moment (open)."""
    benefits = [
        Benefit(1, date(2015, 2, 10), date(2015, 5, 31), partner=2),
        Benefit(1, date(2015, 6, 20), date(2015, 8, 31)),
        Benefit(2, date(2015, 8, 1), None),
        Benefit(3, date(2015, 4, 2), date(2026, 1, 1)),
    ]
    with warehouse_with(benefits) as warehouse:
        for name, rows in every_implementation(warehouse, "benefits", sdm=True).items():
            assert rows[:4] == [("2015-04-01", 1, 2), ("2015-07-01", 2, 2), ("2015-10-01", 2, 2),
                                ("2016-01-01", 2, 2)], name  # fmt: skip
            assert len(rows) == 39, name  # every quarter start from 2015-04-01 on
        for name, rows in every_implementation(warehouse, "benefit_flows", sdm=True).items():
            assert rows == [
                ("2015-02", 2, 0, 2),  # A and B
                ("2015-04", 1, 0, 1),  # C
                ("2015-05", 0, 1, -1),  # B's first episode ends
                ("2015-08", 1, 1, 0),  # B again; A's episode ends on 08-31
            ], name


def reference(benefits: Sequence[Benefit], figure: str) -> list[baselines.Row]:
    """Plain Python, person by person and day by day: the reading of issue 14."""
    moment = EXTRACTED_ON
    counted = [
        (b.applicant, b.partner, b.start, None if b.end is None or b.end > moment else b.end)
        for b in benefits
        if b.start <= moment
    ]
    far = date(9999, 12, 31)
    if figure == "benefits":
        rows = []
        for day in baselines.QUARTER_STARTS:
            running = [(a, p) for a, p, s, e in counted if s <= day <= (e or far)]
            persons = {a for a, _ in running} | {p for _, p in running if p is not None}
            rows.append((day.isoformat(), len(running), len(persons)))
        return baselines.normalise(rows, figure)
    periods: dict[int, list[tuple[date, date]]] = {}
    for a, p, s, e in counted:
        for person in (a, p):
            if person is not None:
                periods.setdefault(person, []).append((s, e or far))
    inflow: dict[str, int] = {}
    outflow: dict[str, int] = {}
    for spans in periods.values():
        spans.sort()
        episodes: list[list[date]] = []
        for s, e in spans:
            if episodes and (s - episodes[-1][1]).days - 1 <= baselines.MAX_GAP_DAYS:
                episodes[-1][1] = max(episodes[-1][1], e)
            else:
                episodes.append([s, e])
        for s, e in episodes:
            inflow[f"{s:%Y-%m}"] = inflow.get(f"{s:%Y-%m}", 0) + 1
            if e != far:
                outflow[f"{e:%Y-%m}"] = outflow.get(f"{e:%Y-%m}", 0) + 1
    rows = [
        (label, inflow.get(label, 0), outflow.get(label, 0), inflow.get(label, 0) - outflow.get(label, 0))
        for label in baselines.LABELS
    ]
    return baselines.normalise(rows, figure)


@st.composite
def benefit_sets(draw: st.DrawFn) -> list[Benefit]:
    """A few persons' benefits in 2013-2025, some with a partner, gaps short and long, some open or planned."""
    benefits = []
    for _ in range(draw(st.integers(1, 20))):
        start = date(2013, 6, 1) + timedelta(days=draw(st.integers(0, 4400)))
        end = draw(st.one_of(st.none(), st.integers(0, 1500).map(lambda n, s=start: s + timedelta(days=n))))
        partner = draw(st.one_of(st.none(), st.integers(1, 6)))
        applicant = draw(st.integers(1, 6))
        benefits.append(Benefit(applicant, start, end, None if partner == applicant else partner))
    return benefits


@settings(max_examples=15, deadline=None)
@given(benefit_sets())
def test_every_baseline_agrees_with_the_plain_reading(benefits: list[Benefit]) -> None:
    with warehouse_with(benefits) as warehouse:
        for figure in baselines.FIGURES:
            expected = reference(benefits, figure)
            for name, rows in every_implementation(warehouse, figure).items():
                assert rows == expected, (figure, name)


def test_the_generated_benefits_have_the_promised_shape(tmp_path: Path, warehouse: Warehouse) -> None:
    path = write_benefits(tmp_path / "benefits.parquet", 40_000)
    [shape] = warehouse.rows(
        f"""SELECT count(*), avg((partner_key IS NOT NULL)::INT), count(*) FILTER (start_date <= DATE '2020-01-01'
                   AND (end_date IS NULL OR end_date >= DATE '2020-01-01')), max(start_date),
                   count(*) FILTER (end_date > DATE '{EXTRACTED_ON}'), count(*) FILTER (partner_key = client_key)
            FROM read_parquet('{path}')"""
    )
    count, partners, running, last_start, planned, self_partner = shape
    assert 50_000 < count < 65_000 and 0.16 < partners < 0.20
    assert 9_000 < running < 11_000  # 1,600,000 persons: about 400,000
    assert last_start <= EXTRACTED_ON and planned > 0 and self_partner == 0


def test_every_baseline_gives_the_metrics_rows_on_generated_benefits(tmp_path: Path) -> None:
    parquet = write_benefits(tmp_path / "benefits.parquet", 20_000)
    insert_benefits(tmp_path / "sdm.duckdb", parquet)
    with open_warehouse(tmp_path / "sdm.duckdb", read_only=True) as warehouse:
        for figure in baselines.FIGURES:
            results = every_implementation(warehouse, figure, sdm=True)
            expected = results.pop("sdm")
            assert len(expected) == (40 if figure == "benefits" else 120)
            for name, rows in results.items():
                assert rows == expected, (figure, name)
