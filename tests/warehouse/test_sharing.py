"""A dashboard's read-only warehouse lets a writer in and reopens on the new data; stale requests are ignored."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sdmonitor.warehouse import open_warehouse
from sdmonitor.warehouse.sharing import SharedReader, WarehouseBusyError, live_markers, open_for_writing


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "sdm.duckdb"
    with open_warehouse(path) as warehouse:
        warehouse.set_setting("versie", "1")
    return path


def test_a_writer_gets_in_and_a_query_asked_meanwhile_waits_and_sees_the_new_data(db: Path) -> None:
    reopened: list[int] = []
    reader = SharedReader(db, 2, on_reopen=reopened.append)
    try:
        with reader.cursor(5) as cursor:
            assert cursor.setting("versie") == "1"
        seen: list[str | None] = []
        writer = open_for_writing(db)  # the reader lets go within a poll
        asked = threading.Thread(target=lambda: seen.append(_read(reader)))
        asked.start()
        time.sleep(0.5)
        assert seen == []  # waiting, not failing
        with writer:
            writer.set_setting("versie", "2")
        asked.join(timeout=10)
        assert seen == ["2"] and reopened == [1] and reader.data_version == 1
        assert live_markers(db, "release") == []
    finally:
        reader.close()
    assert live_markers(db, "serving") == []


def _read(reader: SharedReader) -> str | None:
    with reader.cursor(30) as cursor:
        return cursor.setting("versie")


def test_a_request_of_a_writer_that_died_does_not_close_the_warehouse(db: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = db.with_name(f"{db.name}.release-{dead.stdout.strip()}-0000")
    stale.write_text(dead.stdout, encoding="utf-8")
    reader = SharedReader(db, 1)
    try:
        time.sleep(0.6)
        with reader.cursor(1) as cursor:
            assert cursor.setting("versie") == "1"
        assert reader.releases == 0 and not stale.exists()
        with reader.cursor(1), pytest.raises(WarehouseBusyError, match="druk"):  # the one cursor is lent
            _read_within(reader, 0.3)
    finally:
        reader.close()


def _read_within(reader: SharedReader, seconds: float) -> None:
    with reader.cursor(seconds):
        pass


def test_a_request_waits_as_long_as_a_writer_that_asked_for_the_warehouse_runs(db: Path) -> None:
    reader = SharedReader(db, 1, poll_seconds=0.05)
    try:
        seen: list[str | None] = []
        writer = open_for_writing(db)
        asked = threading.Thread(target=lambda: seen.append(_read_waiting_for_writers(reader, 0.2, 30)))
        asked.start()
        time.sleep(1.0)  # five times the request's own timeout: still waiting, not failing
        assert seen == [] and asked.is_alive()
        with writer:
            writer.set_setting("versie", "2")
        asked.join(timeout=10)
        assert seen == ["2"]
    finally:
        reader.close()


def test_a_request_waiting_for_a_writer_fails_at_the_hard_cap(db: Path) -> None:
    reader = SharedReader(db, 1, poll_seconds=0.05)
    try:
        with open_for_writing(db):
            time.sleep(0.3)  # the reader has let go
            started = time.monotonic()
            with pytest.raises(WarehouseBusyError, match="druk"):
                _read_waiting_for_writers(reader, 0.2, 0.8)
            assert 0.7 < time.monotonic() - started < 3
    finally:
        reader.close()


def _read_waiting_for_writers(reader: SharedReader, seconds: float, writer_seconds: float) -> str | None:
    with reader.cursor(seconds, writer_seconds) as cursor:
        return cursor.setting("versie")
