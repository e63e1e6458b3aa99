"""A warehouse that cannot be used says what is really wrong, in Dutch (issues 10.16 and 10.12).

Each case is a real file run through the real `sdm` command: a read-only file (still readable by the commands
that only read), a file without read permission, a garbage file, a file locked by a second process, and a
warehouse with a damaged data block found while computing a figure or a report. Run as root, the permission
cases run the command as the user `nobody` (through setpriv), since root ignores file permissions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.warehouse import open_warehouse
from sdmonitor.warehouse.loads import LoadStart, start_load
from tests.builders import allocation, write_csv
from tests.conftest import NOW

NOBODY = 65534
BLOCK_SIZE = 262_144
HEADER_SIZE = 3 * 4096  # DuckDB's file header and two database headers precede block 0


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder every user may enter (pytest's own tmp_path is private to its owner)."""
    path = Path(tempfile.mkdtemp(prefix="sdm-open-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def sdm(db: Path, *args: str, other_user: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `sdm --db db args` in a child process; as `nobody` (setpriv) when asked and this test runs as root."""
    prefix: list[str] = []
    if other_user and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip(
                "runs as root and cannot switch to another user (no setpriv): root ignores permissions"
            )
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-c", "from sdmonitor.cli import main; main()", "--db", str(db), "--quiet",
         *args],
        capture_output=True, text=True, check=False, cwd=db.parent, timeout=120,
    )  # fmt: skip


def _warehouse(folder: Path, rows: int = 200) -> Path:
    db = folder / "sdm.duckdb"
    path = write_csv(folder / "a.csv", [allocation(f"T{i}", client=f"C{i % 301}") for i in range(rows)])
    with open_warehouse(db) as warehouse:
        load_allocations(warehouse, path, LoadOptions(known_from=datetime(2024, 1, 1)), now=NOW)
    return db


def _is_dutch_error(result: subprocess.CompletedProcess[str]) -> bool:
    output = result.stdout + result.stderr
    return (
        result.returncode == 1
        and output.startswith("Fout: ")
        and "Traceback" not in output
        and "Error" not in output
    )


def test_a_read_only_warehouse_can_still_be_queried(folder: Path) -> None:
    db = _warehouse(folder)
    db.chmod(0o444)
    loads = sdm(db, "loads", other_user=True)
    assert loads.returncode == 0, loads.stderr
    assert "a.csv" in loads.stdout
    figure = sdm(db, "metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", "--format", "csv",
                 other_user=True)  # fmt: skip
    assert figure.returncode == 0, figure.stderr
    assert "2018-H1" in figure.stdout
    editions = sdm(db, "report", "editions", other_user=True)
    assert editions.returncode == 0, editions.stderr


def test_writing_to_a_read_only_warehouse_says_there_is_no_permission(folder: Path) -> None:
    db = _warehouse(folder)
    db.chmod(0o444)
    result = sdm(db, "init", other_user=True)
    assert _is_dutch_error(result), result.stderr
    assert "Geen toestemming" in result.stderr and "te wijzigen" in result.stderr
    assert "in gebruik" not in result.stderr


def test_an_unreadable_warehouse_says_there_is_no_permission(folder: Path) -> None:
    db = _warehouse(folder)
    db.chmod(0o000)
    result = sdm(db, "loads", other_user=True)
    assert _is_dutch_error(result), result.stderr
    assert "Geen toestemming" in result.stderr and "te lezen" in result.stderr


def test_a_garbage_file_is_not_a_warehouse(folder: Path) -> None:
    db = folder / "sdm.duckdb"
    db.write_bytes(os.urandom(300_000))
    for command in (["loads"], ["metric", "clients"], ["init"]):
        result = sdm(db, *command)
        assert _is_dutch_error(result), result.stderr
        assert "beschadigd of is geen warehouse" in result.stderr
        assert "in gebruik" not in result.stderr


def test_a_warehouse_held_by_another_process_says_it_is_in_use(folder: Path) -> None:
    db = _warehouse(folder)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from sdmonitor.warehouse import open_warehouse; w = open_warehouse(Path(sys.argv[1])); "
         "print('open', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        for command in (["loads"], ["init"]):
            result = sdm(db, *command)
            assert _is_dutch_error(result), result.stderr
            assert f"in gebruik door een ander proces (proces {holder.pid})" in result.stderr
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def _damage_a_data_block_of_allocations(db: Path) -> None:
    """Overwrite the blocks that hold only allocation_versions data: the file opens, a query fails."""
    with open_warehouse(db) as warehouse:
        mine = {row[0] for row in warehouse.rows(
            "SELECT block_id FROM pragma_storage_info('allocation_versions') WHERE block_id >= 0")}  # fmt: skip
        others = {
            row[0]
            for table in ("loads", "schema_migrations", "settings", "load_issues", "postcode_areas")
            for row in warehouse.rows(
                f"SELECT block_id FROM pragma_storage_info('{table}') WHERE block_id >= 0"
            )
        }
        warehouse.execute("CHECKPOINT")
    assert mine - others
    with db.open("r+b") as handle:
        for block in mine - others:
            handle.seek(HEADER_SIZE + block * BLOCK_SIZE + 1024)
            handle.write(os.urandom(4096))


def test_a_damaged_warehouse_during_a_figure_or_a_report_gives_a_dutch_message(folder: Path) -> None:
    db = _warehouse(folder, rows=60_000)
    _damage_a_data_block_of_allocations(db)
    figure = sdm(db, "metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31")
    assert _is_dutch_error(figure), figure.stderr
    assert "beschadigd" in figure.stderr
    report = sdm(db, "report", "halfyear", "--period", "2018-H1", "--out", str(folder / "rapporten"))
    assert _is_dutch_error(report), report.stderr
    assert "beschadigd" in report.stderr


def test_a_read_only_open_that_cannot_repair_an_unfinished_load_refuses(folder: Path) -> None:
    db = _warehouse(folder)
    with open_warehouse(db) as warehouse:
        start_load(warehouse, LoadStart("allocations", "standaard", "b.csv", "x", "canoniek", NOW, NOW, "t"))
    db.chmod(0o444)
    result = sdm(db, "metric", "clients", other_user=True)
    assert _is_dutch_error(result), result.stderr
    assert "niet is afgemaakt" in result.stderr and "sdm init" in result.stderr
    db.chmod(0o644)
    repaired = sdm(db, "loads")
    assert repaired.returncode == 0
    assert "is teruggedraaid" in repaired.stderr
    assert "b.csv" not in repaired.stdout
