"""The costs benchmark's baselines (pandas, Polars, hand-written SQL) compute what docs/design/money.md 2.1-2.2
defines, agree with each other and with a plain-Python reading on small inputs, and the generator makes the
lines the benchmark promises."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from benchmarks.costs import insert_declarations
from benchmarks.declarations import EXTRACTED_ON, SCHEMA, write_declarations
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import costs_baselines as baselines
from sdmonitor.loading import LoadOptions, load_declarations
from sdmonitor.metrics import run_metric
from sdmonitor.warehouse import Warehouse, open_warehouse


@dataclass(frozen=True)
class Line:
    id: str
    client: str
    law: str
    start: date
    end: date
    amount: str  # euros, 2 decimals
    debit_credit: str = "D"
    status: str = "toegekend"


@contextmanager
def warehouse_with(lines: Sequence[Line]) -> Iterator[Warehouse]:
    """A fresh warehouse holding ``lines`` (put in as the benchmark does, without the loader)."""
    columns: dict[str, list[object]] = {name: [] for name in SCHEMA.names}
    for line in lines:
        values = {
            "declaration_id": line.id, "allocation_id": None, "client_id": line.client, "law": line.law,
            "product_category": "02" if line.law == "WMO" else "45", "product_code": None, "provider_code": "98000001",
            "period_start": line.start, "period_end": line.end, "volume": None, "unit": None,
            "amount": Decimal(line.amount), "debit_credit": line.debit_credit,
            "status": line.status, "submitted_on": line.end, "delivery_form": "ZIN",
        }  # fmt: skip
        for name, value in values.items():
            columns[name].append(value)
    with tempfile.TemporaryDirectory() as folder:
        parquet = Path(folder) / "lines.parquet"
        pq.write_table(pa.Table.from_pydict(columns, schema=SCHEMA), parquet)
        insert_declarations(Path(folder) / "sdm.duckdb", parquet)
        with open_warehouse(Path(folder) / "sdm.duckdb", read_only=True) as warehouse:
            yield warehouse


def every_implementation(warehouse: Warehouse) -> dict[str, list[baselines.Row]]:
    return {name: baselines.normalise(run(warehouse)) for name, run in baselines.RUNNERS.items()}


def test_worked_example_c_per_month_and_law() -> None:
    """docs/design/money.md example C: a debit cancelled by a credit and declared again, a line over two
    months spread by days, a rejected and a submitted line that do not count."""
    lines = [
        Line("r1", "A", "WMO", date(2024, 1, 1), date(2024, 1, 31), "400.00"),
        Line("r2", "A", "WMO", date(2024, 2, 1), date(2024, 2, 29), "400.00"),
        Line("r2", "A", "WMO", date(2024, 2, 1), date(2024, 2, 29), "400.00", debit_credit="C"),
        Line("r3", "A", "WMO", date(2024, 2, 1), date(2024, 2, 29), "360.00"),
        Line("f1", "B", "JW", date(2024, 1, 17), date(2024, 2, 15), "310.00"),
        Line("r4", "C", "WMO", date(2024, 1, 1), date(2024, 1, 31), "200.00", status="afgewezen"),
        Line("r5", "C", "WMO", date(2024, 2, 1), date(2024, 2, 29), "150.00", status="ingediend"),
    ]
    expected = [
        ("2024-01", "JW", 155.0, 1, 155.0, 1, 155.0),
        ("2024-01", "WMO", 400.0, 1, 400.0, 1, 400.0),
        ("2024-02", "JW", 155.0, 1, 155.0, 1, 155.0),
        ("2024-02", "WMO", 360.0, 1, 360.0, 1, 360.0),
    ]
    with warehouse_with(lines) as warehouse:
        for name, rows in every_implementation(warehouse).items():
            assert rows == expected, name


def test_a_net_of_zero_is_no_client_and_a_negative_amount_stays() -> None:
    """Example D: a debit and its credit in one month leave no row; a credit dated a month after its debit
    gives that month a negative amount, no clients and no cost per client."""
    lines = [
        Line("e1", "E", "WMO", date(2024, 3, 1), date(2024, 3, 31), "100.00"),
        Line("e1", "E", "WMO", date(2024, 3, 1), date(2024, 3, 31), "100.00", debit_credit="C"),
        Line("f2", "F", "WMO", date(2024, 1, 1), date(2024, 1, 31), "50.00"),
        Line("f3", "F", "WMO", date(2024, 2, 1), date(2024, 2, 29), "50.00", debit_credit="C"),
    ]
    expected = [
        ("2024-01", "WMO", 50.0, 1, 50.0, 1, 50.0),
        ("2024-02", "WMO", -50.0, 0, None, 0, None),
    ]
    with warehouse_with(lines) as warehouse:
        for name, rows in every_implementation(warehouse).items():
            assert rows == expected, name


def test_debits_and_their_credits_make_no_client_in_any_order_of_summing() -> None:
    """0.10 + 0.20 - 0.10 - 0.20 leaves 2.8e-17 in floats when summed in that order: still no client."""
    lines = [
        Line("a", "A", "JW", date(2024, 5, 1), date(2024, 5, 31), "0.10"),
        Line("b", "A", "JW", date(2024, 5, 1), date(2024, 5, 31), "0.20"),
        Line("a", "A", "JW", date(2024, 5, 1), date(2024, 5, 31), "0.10", debit_credit="C"),
        Line("b", "A", "JW", date(2024, 5, 1), date(2024, 5, 31), "0.20", debit_credit="C"),
        Line("c", "B", "JW", date(2024, 5, 1), date(2024, 5, 31), "70.00"),
    ]
    with warehouse_with(lines) as warehouse:
        for name, rows in every_implementation(warehouse).items():
            assert rows == [("2024-05", "JW", 70.0, 1, 70.0, 1, 70.0)], name


def test_lines_outside_2015_2024_count_only_for_their_days_inside() -> None:
    lines = [Line("x1", "A", "JW", date(2014, 12, 17), date(2015, 1, 15), "300.00")]  # 15 of 30 days inside
    with warehouse_with(lines) as warehouse:
        for name, rows in every_implementation(warehouse).items():
            assert rows == [("2015-01", "JW", 150.0, 1, 150.0, 1, 150.0)], name


def reference(lines: Sequence[Line]) -> list[baselines.Row]:
    """Plain Python, day by day in exact fractions: the reading of money.md 2.1-2.2 for months by law (a net
    counts as above zero from a millionth of a euro, as in the metric)."""
    net: dict[tuple[int, str, str], Fraction] = defaultdict(Fraction)
    for line in lines:
        if line.status != "toegekend":
            continue
        signed = Fraction(line.amount) * (-1 if line.debit_credit == "C" else 1)
        days = (line.end - line.start).days + 1
        for offset in range(days):
            day = line.start + timedelta(days=offset)
            month = (day.year - 2015) * 12 + day.month - 1
            if 0 <= month < len(baselines.MONTHS):
                net[(month, line.law, line.client)] += signed / days
    groups: dict[tuple[int, str], list[Fraction]] = defaultdict(list)
    for (month, law, _), value in net.items():
        groups[(month, law)].append(value)
    rows = []
    for (month, law), nets in groups.items():
        amount, clients = sum(nets, Fraction(0)), sum(1 for n in nets if n > Fraction(1, 10**6))
        rows.append(baselines._finish(month, law, float(amount), clients, clients))
    return baselines.normalise(rows)


@st.composite
def line_sets(draw: st.DrawFn) -> list[Line]:
    """A few clients' lines in 2014-2025, some over several months, some rejected or submitted, some debits
    credited (a copy with C)."""
    lines: list[Line] = []
    for number in range(draw(st.integers(1, 25))):
        client = draw(st.sampled_from("ABCDE"))
        start = date(2014, 11, 1) + timedelta(days=draw(st.integers(0, 4000)))
        end = start + timedelta(days=draw(st.sampled_from([0, 3, 27, 30, 45, 70, 100])))
        cents = draw(st.integers(1, 500_000))
        line = Line(
            f"L{number}", client, draw(st.sampled_from(["WMO", "JW"])), start, end, f"{cents // 100}.{cents % 100:02d}",
            status=draw(st.sampled_from(["toegekend"] * 8 + ["afgewezen", "ingediend"])),
        )  # fmt: skip
        lines.append(line)
        if line.status == "toegekend" and draw(st.booleans()):
            lines.append(Line(line.id, client, line.law, start, end, line.amount, debit_credit="C"))
    return lines


@settings(max_examples=15, deadline=None)
@given(line_sets())
def test_every_baseline_agrees_with_the_plain_reading(lines: list[Line]) -> None:
    expected = reference(lines)
    with warehouse_with(lines) as warehouse:
        for name, rows in every_implementation(warehouse).items():
            assert baselines.same_rows(rows, expected), (name, rows, expected)


def test_the_generated_lines_have_the_promised_shape(tmp_path: Path, warehouse: Warehouse) -> None:
    path = write_declarations(tmp_path / "lines.parquet", 200_000)
    [shape] = warehouse.rows(
        f"""SELECT count(*), avg((debit_credit = 'C')::INT), avg((status = 'afgewezen')::INT),
                   avg((status = 'ingediend')::INT), avg((date_trunc('month', period_start)
                   <> date_trunc('month', period_end))::INT), max(date_diff('month', period_start, period_end)),
                   min(period_start), max(period_end), max(submitted_on), min(period_end - period_start)
            FROM read_parquet('{path}')"""
    )
    count, credits, rejected, submitted, multi, most_months, first, last, submitted_last, shortest = shape
    assert count == 200_000
    assert 0.008 < credits < 0.012 and 0.017 < rejected < 0.023 and 0.008 < submitted < 0.012
    assert 0.025 < multi < 0.035 and most_months == 3 and shortest >= 0
    assert first >= date(2015, 1, 1) and last <= date(2024, 12, 31) and submitted_last <= EXTRACTED_ON
    # every credit is an approved copy of the debit with its number: it nets that line to zero
    [unmatched] = warehouse.rows(
        f"""SELECT count(*) FROM read_parquet('{path}') c
            WHERE c.debit_credit = 'C' AND NOT EXISTS (
                SELECT 1 FROM read_parquet('{path}') d
                WHERE d.debit_credit = 'D' AND d.status = 'toegekend' AND d.declaration_id = c.declaration_id
                  AND d.client_id = c.client_id AND d.period_start = c.period_start
                  AND d.period_end = c.period_end AND d.amount = c.amount)"""
    )
    assert unmatched == (0,)


def test_the_insert_setup_gives_the_metric_what_the_loader_gives_and_the_baselines_agree(
    tmp_path: Path,
) -> None:
    """The benchmark's shortcut (INSERT from Parquet) and ``sdm load declarations`` of the same file give
    ``sdm metric costs --grain month --by law`` the same rows, and every baseline computes them."""
    parquet = write_declarations(tmp_path / "lines.parquet", 4_000)
    inserted, loaded = tmp_path / "inserted.duckdb", tmp_path / "loaded.duckdb"
    insert_declarations(inserted, parquet)
    with open_warehouse(loaded) as warehouse:
        summary = load_declarations(
            warehouse,
            parquet,
            LoadOptions(source="bench", extracted_on=EXTRACTED_ON),
            now=datetime.combine(EXTRACTED_ON, time(12)),
        )
        assert (summary.loaded, summary.warned) == (4_000, 0)
    results = {}
    for db in (inserted, loaded):
        with open_warehouse(db, read_only=True) as warehouse:
            results[db] = baselines.normalise(run_metric(warehouse, baselines.REQUEST).rows)
            if db == inserted:
                for name, rows in every_implementation(warehouse).items():
                    assert baselines.same_rows(rows, results[db]), name
    assert results[inserted] == results[loaded]
    assert len(results[inserted]) == 240
