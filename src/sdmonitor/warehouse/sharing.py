"""One warehouse, a dashboard that reads it and writers that come and go.

DuckDB lets many processes open a file read-only, or one process open it for writing. The dashboard
(``sdm serve``) reads through a ``SharedReader``: a read-only connection with a small pool of cursors. A
writer (``sdm load``, ``sdm report``, ``sdm init``, ``sdm demo``) opens through ``open_for_writing``; when the
file is held and a dashboard serves it, the writer asks the dashboard to let go and waits:

1. the writer's open fails on DuckDB's lock; it finds a live dashboard by its marker file next to the
   warehouse (``sdm.duckdb.serving-<pid>-<random>``), writes a release request beside it
   (``sdm.duckdb.release-<pid>-<random>``) and retries the open every 0.2 s until ``SDM_WAIT_SECONDS``;
2. the dashboard's watcher thread sees the request within 0.2 s, stops handing out cursors (new requests
   wait; pages it has cached are still served), waits for the queries under way, and closes the file; a
   request waits as long as the writer's process runs (up to ``WRITER_WAIT_SECONDS``), not just its own
   timeout, so a long load does not make requests fail;
3. the writer opens, writes, commits and closes; closing withdraws its request;
4. with no request left, the dashboard reopens read-only (retrying while the file is still held), counts
   up ``data_version`` and calls ``on_reopen``, which drops every cache; then the waiting requests go on.

A marker or request whose process no longer runs is ignored (and removed when possible), so a killed
writer or server never blocks the other. The files are found from the warehouse's path alone, so every
writer finds the dashboard whatever options either was started with. See docs/dashboard.md.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sdmonitor.errors import WarehouseError
from sdmonitor.warehouse.database import Warehouse, WarehouseInUseError, open_warehouse

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
DEFAULT_WAIT_SECONDS = 300  # how long a writer waits for the dashboard (and queries under way) to let go
# the hard cap on how long a request waits while a writer that asked for the warehouse still runs
WRITER_WAIT_SECONDS = 3600
WAIT_VARIABLE = "SDM_WAIT_SECONDS"
SERVING = "serving"
RELEASE = "release"


class WarehouseBusyError(WarehouseError):
    """No cursor of a shared reader came free in time (a long load, or every cursor busy)."""


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it runs
        return True
    return True


def _new_marker(path: Path, kind: str) -> Path:
    marker = path.with_name(f"{path.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}")
    marker.write_text(f"{os.getpid()}\n", encoding="utf-8")
    return marker


def live_markers(path: Path, kind: str) -> list[Path]:
    """The markers of ``kind`` ('serving' or 'release') of the warehouse at ``path`` whose process runs;
    those of dead processes are removed when that is allowed."""
    found = []
    for marker in path.parent.glob(f"{path.name}.{kind}-*"):
        pid = marker.name.removeprefix(f"{path.name}.{kind}-").partition("-")[0]
        if pid.isdigit() and _process_runs(int(pid)):
            found.append(marker)
        elif os.access(marker.parent, os.W_OK):
            marker.unlink(missing_ok=True)
    return found


def wait_seconds() -> float:
    """How long a writer waits for the dashboard to let go: ``SDM_WAIT_SECONDS`` or 300."""
    value = os.environ.get(WAIT_VARIABLE, "")
    try:
        return float(value) if value else DEFAULT_WAIT_SECONDS
    except ValueError:
        raise WarehouseError(f"{WAIT_VARIABLE} moet een aantal seconden zijn, niet '{value[:40]}'.") from None


def open_for_writing(path: Path, *, on_wait: Callable[[str], None] | None = None) -> Warehouse:
    """Open the warehouse for writing (``open_warehouse``); when a serving dashboard holds it, ask it to let
    go, tell ``on_wait`` once (a Dutch line) and retry until ``wait_seconds()``. The request is withdrawn
    when the returned warehouse is closed. Without a dashboard a held file is refused at once, as before."""
    try:
        return open_warehouse(path)
    except WarehouseInUseError:
        if not live_markers(path, SERVING):
            raise
    limit = wait_seconds()
    request = _new_marker(path, RELEASE)
    try:
        if on_wait is not None:
            on_wait(
                f"Het dashboard ('sdm serve') gebruikt warehouse {path}; wachten tot het dat loslaat "
                f"(hoogstens {limit:.0f} s)..."
            )
        deadline = time.monotonic() + limit
        while True:
            time.sleep(POLL_SECONDS)
            try:
                warehouse = open_warehouse(path)
            except WarehouseInUseError as exc:
                if time.monotonic() < deadline:
                    continue
                raise WarehouseInUseError(
                    f"{exc} Na {limit:.0f} s wachten is het warehouse nog niet vrij (een lange berekening van het "
                    f"dashboard of een andere laadactie). Probeer het later opnieuw, of wacht langer met "
                    f"{WAIT_VARIABLE}."
                ) from None
            warehouse.on_close = lambda: request.unlink(missing_ok=True)
            return warehouse
    except BaseException:
        request.unlink(missing_ok=True)
        raise


class SharedReader:
    """A read-only warehouse shared by a server's threads, that lets go while a writer writes.

    ``cursor()`` lends one of ``size`` cursors; it waits while every cursor is lent or the warehouse is let go,
    and raises WarehouseBusyError after ``timeout`` seconds. ``data_version`` counts the reopenings; each calls
    ``on_reopen`` first, before any cursor is lent on the new data. Never migrates or repairs the warehouse
    (``open_warehouse(repair=False)``): a warehouse that needs it is refused (WarehouseError, Dutch).
    """

    def __init__(
        self, path: Path, size: int = 3, *, on_reopen: Callable[[int], None] | None = None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:  # fmt: skip
        self.path = path
        self.size = size
        self.on_reopen = on_reopen
        self.poll_seconds = poll_seconds
        self.data_version = 0
        self.releases = 0  # how often a writer was let in
        self._changed = threading.Condition()
        self._main: Warehouse | None = None
        self._free: list[Warehouse] = []
        self._lent = 0
        self._let_go = False
        # let go, and the warehouse cannot be reopened (e.g. after a killed load): requests fail at once
        self._reopen_refused = False
        self._stopping = threading.Event()
        self._open()
        try:
            self._marker: Path | None = _new_marker(path, SERVING)
        except OSError as exc:  # a folder the server may not write: it serves, but cannot be asked to let go
            log.warning("no marker beside %s (%s): writers cannot ask this server to let go", path, exc)
            self._marker = None
        self._watcher = threading.Thread(target=self._watch, name="warehouse-watcher", daemon=True)
        self._watcher.start()

    def _open(self) -> None:
        main = open_warehouse(self.path, read_only=True, repair=False)
        cursors = [main.cursor() for _ in range(self.size)]
        with self._changed:
            self._main, self._free = main, cursors

    @contextmanager
    def cursor(self, timeout: float, writer_timeout: float = WRITER_WAIT_SECONDS) -> Iterator[Warehouse]:
        """A cursor for this thread alone, returned afterwards.

        Waits up to ``timeout`` seconds for a free cursor; while the warehouse is let go to a writer (whose
        process still runs, or that has just finished and the warehouse is being reopened), up to
        ``writer_timeout`` seconds instead."""
        started = time.monotonic()
        deadline, cap = started + timeout, started + max(timeout, writer_timeout)
        with self._changed:
            while self._let_go or not self._free:
                now = time.monotonic()
                if self._stopping.is_set() or now >= cap:
                    raise WarehouseBusyError("Het dashboard is druk; probeer het over een minuut opnieuw.")
                if now >= deadline:
                    if not self._let_go or self._reopen_refused:
                        raise WarehouseBusyError(
                            "Het dashboard is druk; probeer het over een minuut opnieuw."
                        )
                    self._changed.wait(min(self.poll_seconds * 5, cap - now))  # look again at the writer
                    continue
                self._changed.wait(deadline - now)
            cursor = self._free.pop()
            self._lent += 1
        try:
            yield cursor
        finally:
            with self._changed:
                self._free.append(cursor)
                self._lent -= 1
                self._changed.notify_all()

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll_seconds):
            try:
                if live_markers(self.path, RELEASE):
                    self._let_writer_in()
            except Exception:  # keep watching; the next round tries again
                log.exception("letting a writer into %s failed", self.path)

    def _let_writer_in(self) -> None:
        """Close the warehouse once the queries under way are done; reopen when no writer asks any more."""
        log.info("a writer asks for %s: letting go", self.path)
        with self._changed:
            self._let_go = True
            while self._lent:
                self._changed.wait()
            cursors, main = self._free, self._main
            self._free, self._main = [], None
        for cursor in cursors:
            cursor.close()
        if main is not None:
            main.close()
        self.releases += 1
        refused = ""
        while not self._stopping.is_set():
            time.sleep(self.poll_seconds)
            if live_markers(self.path, RELEASE):
                continue
            try:
                self._open()
            except WarehouseInUseError:
                continue  # the writer has not closed yet
            except WarehouseError as exc:  # e.g. a killed load: wait for 'sdm init' (or the next load)
                if str(exc) != refused:
                    log.error("cannot reopen %s: %s", self.path, exc)
                    refused = str(exc)
                with self._changed:
                    self._reopen_refused = True  # requests fail now instead of waiting for the cap
                    self._changed.notify_all()
                time.sleep(1)
                continue
            self.data_version += 1
            if self.on_reopen is not None:
                self.on_reopen(self.data_version)
            with self._changed:
                self._let_go = self._reopen_refused = False
                self._changed.notify_all()
            log.info("reopened %s (data version %d)", self.path, self.data_version)
            return

    def close(self) -> None:
        """Stop watching, close every cursor and the warehouse, and remove the marker."""
        self._stopping.set()
        self._watcher.join(timeout=10)
        with self._changed:
            cursors, main = self._free, self._main
            self._free, self._main = [], None
            self._changed.notify_all()
        for cursor in cursors:
            cursor.close()
        if main is not None:
            main.close()
        if self._marker is not None:
            self._marker.unlink(missing_ok=True)
