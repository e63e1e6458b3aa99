"""The SQL of every metric, for a few fixed scopes, is stored in tests/metrics/sql_snapshots/: a change of
formulation shows in review as a diff of those files. After an intended change, refresh them with
``pytest tests/metrics/test_sql_snapshots.py --refresh-sql-snapshots`` and commit the diff.

Ibis names in-memory tables (the slots) with a random suffix (``ibis_pandas_memtable_<random>``); those names
are replaced by ``memtable_1``, ``memtable_2``, ... in order of appearance, and the columns of an ``EXCLUDE``
(dropped columns, a set in Ibis) are sorted. Everything else (the ``t0``, ``t1`` aliases included) is the same
from run to run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import CATALOGUE, Metric, MetricRequest
from sdmonitor.metrics.run import build, show_sql
from sdmonitor.warehouse import Warehouse, open_warehouse
from tests.builders import write_csv
from tests.metrics.test_metrics import WORKED_EXAMPLE

SNAPSHOTS = Path(__file__).parent / "sql_snapshots"
YEAR_2018 = {"start": date(2018, 1, 1), "end": date(2018, 12, 31)}
# scope name -> (the request's options, which metrics it applies to)
SCOPES: dict[str, tuple[dict[str, Any], Callable[[Metric], bool]]] = {
    "half_years_2018_by_law": (
        {"grain": "half", "by": ("law",), **YEAR_2018},
        lambda m: "law" in m.by and not m.only_dates,
    ),
    "half_years_2018": ({"grain": "half", **YEAR_2018}, lambda m: not m.by),
    "on_2018_03_01": ({"on": (date(2018, 3, 1),)}, lambda m: m.on_dates),
    "months_2018_max_gap_28": (
        {"grain": "month", "options": {"max_gap_days": 28}, **YEAR_2018},
        lambda m: "max_gap_days" in m.options or m.history,
    ),
    "year_2018_by_target_group": (
        {"grain": "year", "by": ("target_group",), **YEAR_2018},
        lambda m: m.name in ("clients", "flows"),
    ),
}
CASES = [
    (name, scope)
    for name, metric in CATALOGUE.items()
    for scope, (_, applies) in SCOPES.items()
    if applies(metric)
]


def snapshot_path(name: str, scope: str) -> Path:
    return SNAPSHOTS / f"{name}__{scope}.sql"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """The worked example of docs/metrics.md, loaded once (its data moment is the load day, 2024-01-01)."""
    folder = tmp_path_factory.mktemp("sql")
    with open_warehouse(folder / "sdm.duckdb") as warehouse:
        load_allocations(
            warehouse, write_csv(folder / "t.csv", WORKED_EXAMPLE), LoadOptions(), now=datetime(2024, 1, 1)
        )
        yield warehouse


def compiled_sql(warehouse: Warehouse, request: MetricRequest) -> str:
    """The SQL a request runs, with the random names of in-memory tables made stable."""
    names: dict[str, str] = {}

    def stable(match: re.Match[str]) -> str:
        return names.setdefault(match.group(0), f"memtable_{len(names) + 1}")

    def ordered(match: re.Match[str]) -> str:  # Ibis keeps dropped columns in a frozenset: any order
        return "EXCLUDE (" + ", ".join(sorted(match.group(1).split(", "))) + ")"

    sql = show_sql(build(warehouse, request)[2])
    sql = re.sub(r"EXCLUDE \(([^()]*)\)", ordered, sql)
    return re.sub(r"ibis_[a-z]+_memtable_[a-z0-9]+", stable, sql) + "\n"


@pytest.mark.parametrize(("name", "scope"), CASES, ids=[f"{n}__{s}" for n, s in CASES])
def test_the_sql_of_a_metric_is_its_snapshot(
    tiny: Warehouse, request: pytest.FixtureRequest, name: str, scope: str
) -> None:
    sql = compiled_sql(tiny, MetricRequest(name, **SCOPES[scope][0]))
    path = snapshot_path(name, scope)
    if request.config.getoption("--refresh-sql-snapshots"):
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run pytest {__file__} --refresh-sql-snapshots"
    assert sql == path.read_text(encoding="utf-8"), f"the SQL of {name} changed: see the diff after a refresh"


def test_every_metric_has_a_snapshot_and_every_snapshot_a_metric(request: pytest.FixtureRequest) -> None:
    expected = {snapshot_path(name, scope).name for name, scope in CASES}
    assert {name for name, _ in CASES} == set(CATALOGUE)
    stale = sorted(p.name for p in SNAPSHOTS.glob("*.sql") if p.name not in expected)
    if request.config.getoption("--refresh-sql-snapshots"):
        for name in stale:
            (SNAPSHOTS / name).unlink()
        stale = []
    assert stale == []


def test_the_sql_is_the_same_from_run_to_run(tiny: Warehouse) -> None:
    request = MetricRequest("flows", grain="month", options={"max_gap_days": 28}, by=("law",), **YEAR_2018)
    assert compiled_sql(tiny, request) == compiled_sql(tiny, request)
