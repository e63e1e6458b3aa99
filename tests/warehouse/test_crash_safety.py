"""A load is all or nothing even when its process is killed, the commit included (issue 10.1).

The kill test runs the real ``sdm load allocations`` in a child process and kills it (SIGKILL) at many
moments: at random, when the warehouse's WAL appears, and while the WAL grows during the big commit. After
every kill the warehouse, opened again, holds either the state before the load or the whole load, and loading
the file again works. The other tests build the states a kill can leave (the rows committed without the final
write, or part of an unfinished transaction recovered by DuckDB) and check that opening undoes them.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics.run import MetricRequest, run_metric
from sdmonitor.reference import POPULATION, load_reference
from sdmonitor.warehouse import Warehouse, open_warehouse
from sdmonitor.warehouse.allocations import CONTENT_COLUMNS, IDENTITY_COLUMNS
from sdmonitor.warehouse.loads import LoadStart, start_load
from tests.builders import allocation, write_csv
from tests.conftest import NOW
from tests.processes import kill_when, start_sdm

FIRST_KNOWN = datetime(2024, 1, 1)
SECOND_KNOWN = datetime(2024, 2, 1)


def _state(db: Path) -> dict[str, Any]:
    """What a user can see of the warehouse, without load ids (a killed load uses up its id)."""
    with open_warehouse(db) as warehouse:
        return _visible(warehouse)


# A version's content without the integer client key: a killed load uses up keys as it uses up its load id, so
# the same load done again gives the same people other numbers. Who is the same client is compared apart.
_CONTENT = "md5(concat_ws(chr(31), {}))".format(
    ", ".join(
        f"coalesce(CAST({c} AS VARCHAR), chr(0))"
        for c in (*CONTENT_COLUMNS, *IDENTITY_COLUMNS)
        if c != "client_key"
    )
)


def _visible(warehouse: Warehouse) -> dict[str, Any]:
    clients = run_metric(
        warehouse, MetricRequest("clients", start=date(2018, 1, 1), end=date(2024, 12, 31), planned=True)
    )
    return {
        "versions": sorted(
            warehouse.rows(
                f"SELECT allocation_id, {_CONTENT}, known_from, superseded_at, superseded_by IS NULL "
                "FROM allocation_versions"
            )
        ),
        "same_client": sorted(
            warehouse.rows(
                "SELECT list_sort(list(allocation_id)) FROM allocation_versions WHERE superseded_at IS NULL "
                "GROUP BY client_key"
            )
        ),
        "identifiers": sorted(
            warehouse.rows(
                "SELECT list_sort(list(kind || ':' || source || ':' || identifier)) FROM client_identifiers "
                "GROUP BY client_key"
            )
        ),
        "loads": warehouse.rows(
            "SELECT kind, file_name, status, rows_read, rows_loaded, rows_unchanged, rows_duplicate, "
            "rows_rejected, rows_warned FROM loads ORDER BY load_id"
        ),
        "issues": sorted(
            warehouse.rows(
                "SELECT l.file_name, i.severity, i.code, i.rows FROM load_issues i JOIN loads l USING (load_id)"
            )
        ),
        "orphans": warehouse.value(
            "SELECT (SELECT count(*) FROM allocation_versions ANTI JOIN loads USING (load_id)) "
            "+ (SELECT count(*) FROM load_issues ANTI JOIN loads USING (load_id))"
        ),
        "clients": clients.rows,
        "population": sorted(warehouse.rows("SELECT * FROM population")),
    }


@dataclass(frozen=True)
class Fixture:
    base: Path  # a warehouse with the first load
    second: Path  # the file the killed process loads
    before: dict[str, Any]
    after: dict[str, Any]


def _build(folder: Path, first_rows: int, second_rows: int) -> Fixture:
    """A warehouse with one load, and a second file that supersedes half of it, adds rows and has errors."""
    folder.mkdir(parents=True, exist_ok=True)
    first = write_csv(
        folder / "first.csv",
        [allocation(f"T{i}", client=f"C{i % 997}", start="2019-01-01") for i in range(first_rows)],
    )
    half = first_rows // 2
    rows = [
        allocation(f"T{i}", client=f"C{i % 997}", start="2019-01-01", end="2023-06-30")
        for i in range(half, half + second_rows)
    ]
    rows += [allocation(f"X{i}", law="XX") for i in range(25)]  # rejected: a load_issues row
    second = write_csv(folder / "second.csv", rows)
    base = folder / "base.duckdb"
    with open_warehouse(base) as warehouse:
        load_allocations(warehouse, first, LoadOptions(known_from=FIRST_KNOWN), now=NOW)
        before = _visible(warehouse)
    done = folder / "done.duckdb"
    shutil.copy(base, done)
    with open_warehouse(done) as warehouse:
        load_allocations(warehouse, second, LoadOptions(known_from=SECOND_KNOWN), now=NOW)
        after = _visible(warehouse)
    assert before != after
    return Fixture(base, second, before, after)


def _load_and_kill(fixture: Fixture, db: Path, moment: tuple[str, float]) -> bool:
    """Run `sdm load allocations` on a copy of the base warehouse and kill it at ``moment``; True if killed.

    Moments: ('start', s) s seconds after the start; ('wal', s) s seconds after the WAL file appears (the
    load's first small write); ('commit', s) s seconds after the WAL has grown past 256 kB (the big commit
    is being written).
    """
    shutil.copy(fixture.base, db)
    wal = Path(f"{db}.wal")
    command = ["--db", str(db), "--quiet", "load", "allocations", str(fixture.second)]
    command += ["--known-on", f"{SECOND_KNOWN:%Y-%m-%d}", "--report", str(db.with_suffix(".csv"))]
    process = start_sdm(*command)
    kind, delay = moment

    def ready() -> bool:
        return kind == "start" or (wal.exists() and (kind == "wal" or wal.stat().st_size > 256_000))

    return kill_when(process, ready, delay=delay)


def _kill_at_moments(fixture: Fixture, folder: Path, moments: list[tuple[str, float]]) -> dict[str, int]:
    outcomes = {"before": 0, "after": 0, "killed": 0}
    for number, moment in enumerate(moments):
        db = folder / f"kill-{number}.duckdb"
        outcomes["killed"] += _load_and_kill(fixture, db, moment)
        state = _state(db)  # opening repairs
        assert state in (fixture.before, fixture.after), (
            f"killed at {moment}: neither before nor after the load"
        )
        assert state["orphans"] == 0
        if state == fixture.before:
            outcomes["before"] += 1
            with open_warehouse(db) as warehouse:
                summary = load_allocations(
                    warehouse, fixture.second, LoadOptions(known_from=SECOND_KNOWN), now=NOW
                )
                assert summary.loaded > 0, f"killed at {moment}: loading again stored nothing"
                assert _visible(warehouse) == fixture.after
        else:
            outcomes["after"] += 1
        for leftover in folder.glob(f"kill-{number}.*"):
            leftover.unlink()
    return outcomes


def test_a_load_killed_at_any_moment_leaves_the_warehouse_before_or_after_it(tmp_path: Path) -> None:
    fixture = _build(tmp_path, first_rows=2_000, second_rows=15_000)
    rng = random.Random(101)
    # the big commit of 15,000 rows takes a few milliseconds; the final write follows within about 10 ms
    moments = [("wal", 0.0), ("commit", 0.0), ("commit", 0.01), ("commit", 0.04)]
    moments += [("start", rng.uniform(0.5, 2.0))]
    outcomes = _kill_at_moments(fixture, tmp_path, moments)
    assert outcomes["killed"] >= len(moments) - 1, outcomes  # the kills hit a running load
    assert outcomes["before"] >= 1, outcomes


@pytest.mark.soak  # about 5 to 14 minutes: `pytest -m soak`
def test_a_large_load_killed_at_many_moments_leaves_the_warehouse_before_or_after_it(tmp_path: Path) -> None:
    fixture = _build(tmp_path, first_rows=20_000, second_rows=300_000)
    rng = random.Random(202)
    moments = [("wal", d) for d in (0.0, 0.5)]
    moments += [("commit", d) for d in (0.0, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1)]
    moments += [("start", rng.uniform(1.0, 12.0)) for _ in range(3)]
    outcomes = _kill_at_moments(fixture, tmp_path, moments)
    assert outcomes["before"] >= 1, outcomes


def test_rows_committed_without_the_final_write_are_undone_at_the_next_open(tmp_path: Path) -> None:
    fixture = _build(tmp_path, first_rows=200, second_rows=300)
    db = tmp_path / "sdm.duckdb"
    shutil.copy(fixture.base, db)
    # the process dies (os._exit: no clean-up) right after the big commit, before the final small write
    script = (
        "import os, sys; from datetime import datetime; from pathlib import Path\n"
        "import sdmonitor.warehouse.allocations as allocations\n"
        "from sdmonitor.loading import LoadOptions, load_allocations\n"
        "from sdmonitor.warehouse import open_warehouse\n"
        "allocations.complete_load = lambda *_: os._exit(9)\n"
        "warehouse = open_warehouse(Path(sys.argv[1]))\n"
        "load_allocations(warehouse, Path(sys.argv[2]), LoadOptions(known_from=datetime(2024, 2, 1)),\n"
        "                 now=datetime(2024, 3, 1, 12))\n"
    )
    process = subprocess.run([sys.executable, "-c", script, str(db), str(fixture.second)], check=False)
    assert process.returncode == 9
    with open_warehouse(db, read_only=True) as peek:  # a read-only open repairs through a short writable one
        assert peek.repaired_loads
    with open_warehouse(db) as warehouse:
        assert _visible(warehouse) == fixture.before
        summary = load_allocations(warehouse, fixture.second, LoadOptions(known_from=SECOND_KNOWN), now=NOW)
        assert summary.loaded == 300
        assert _visible(warehouse) == fixture.after


def test_part_of_an_unfinished_load_recovered_by_duckdb_is_undone_at_the_next_open(tmp_path: Path) -> None:
    fixture = _build(tmp_path, first_rows=200, second_rows=300)
    db = tmp_path / "sdm.duckdb"
    shutil.copy(fixture.base, db)
    population = write_csv(
        tmp_path / "population.csv",
        [{"gemeentecode": "0363", "jaar": "2024", "leeftijd": "7", "geslacht": "1", "inwoners": "40"}],
        headers=["gemeentecode", "jaar", "leeftijd", "geslacht", "inwoners"],
    )
    with open_warehouse(db) as warehouse:
        load_reference(warehouse, POPULATION, population, now=NOW)
        before = _visible(warehouse)
        # what DuckDB 1.5 can replay from the WAL of a load killed during its commit: rows of a load that
        # has only its 'loading' row, versions marked superseded by it, its issues; and a half-replaced table
        start = LoadStart("allocations", "standaard", "second.csv", "x", "canoniek", SECOND_KNOWN, NOW, "t")
        load_id = start_load(warehouse, start)
        warehouse.execute(
            "INSERT INTO allocation_versions SELECT * REPLACE (? AS load_id, NULL AS superseded_at, "
            "NULL AS superseded_by) FROM allocation_versions",
            [load_id],
        )
        warehouse.execute(
            "UPDATE allocation_versions SET superseded_at = ?, superseded_by = ? WHERE load_id <> ?",
            [SECOND_KNOWN, load_id, load_id],
        )
        warehouse.execute("INSERT INTO load_issues VALUES (?, 'fout', 'invalid_law', 25)", [load_id])
        reference_id = start_load(warehouse, LoadStart("population", "referentie", "p.csv", "y", "bevolking",
                                                       NOW, NOW, "t"))  # fmt: skip
        warehouse.execute("DELETE FROM population")
        assert reference_id > load_id
    with open_warehouse(db) as warehouse:
        assert warehouse.repaired_loads == (reference_id, load_id)
        assert _visible(warehouse) == before
        assert warehouse.value("SELECT count(*) FROM population_before_load") == 0
