"""Figures for a multithreaded server: a small pool of read-only warehouse cursors and a cache of metric
results.

Every figure comes from ``run_metric`` (what ``sdm metric`` runs). DuckDB connections are not shared between
threads: each cursor of the pool (``warehouse.sharing.SharedReader``) is its own connection to the same
database, used by one request at a time. The data changes only when a writer (``sdm load``) has asked the
server to let go of the warehouse; on reopening, the cache is dropped (``reopened``). Between two loads
results are cached (least recently used first out, within a budget of rows), and a figure asked for by
several requests at once is computed once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from sdmonitor.domain.periods import Grain, period_of
from sdmonitor.errors import SdmError
from sdmonitor.metrics import MetricRequest, MetricResult, run_metric
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.inventory import data_span
from sdmonitor.warehouse.sharing import WRITER_WAIT_SECONDS, SharedReader, WarehouseBusyError

CACHE_ROW_BUDGET = 2_000_000
# a request waits this long for a cursor (all busy, or a load under way) before the "druk" page; while a
# writer (sdm load, sdm report) that asked for the warehouse still runs, up to WRITER_WAIT_SECONDS (one hour)
POOL_WAIT_SECONDS = 180
T = TypeVar("T")


class BusyError(SdmError):
    """No warehouse cursor came free in time."""


@dataclass(frozen=True)
class DataRange:
    """What the warehouse covers: first start date, and the last day with data (see ``data_range``)."""

    first: date
    last: date

    def last_complete(self, grain: Grain) -> date:
        """The last day of the latest period of ``grain`` that the data covers (nearly) whole.

        A period counts as covered when the data reaches to within a month of its end (an export made on 28
        December covers the second half-year); otherwise the period before it, if there is data for it.
        """
        period = period_of(self.last, grain)
        if (period.last - self.last).days <= 31:
            return period.last
        previous = period_of(period.first - timedelta(days=1), grain)
        return previous.last if previous.last >= self.first else period.last


class Figures:
    """Cursors of one warehouse and the metric cache; ``metric(request)`` is the only way to a figure."""

    def __init__(
        self, path: Path, pool_size: int = 3, *, on_reopen: Callable[[int], None] | None = None
    ) -> None:
        self._on_reopen = on_reopen
        self._cache: OrderedDict[MetricRequest, MetricResult] = OrderedDict()
        self._cached_rows = 0
        self._inflight: dict[MetricRequest, threading.Event] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how many results were computed (not taken from the cache)
        self.reader = SharedReader(path, pool_size, on_reopen=self.reopened)

    @property
    def data_version(self) -> int:
        """Counts the loads the server let in: a cached page or figure of another version is out of date."""
        return self.reader.data_version

    def reopened(self, version: int) -> None:
        """The warehouse was written and reopened: forget every result (then tell the dashboard)."""
        with self._lock:
            self._cache.clear()
            self._cached_rows = 0
        if self._on_reopen is not None:
            self._on_reopen(version)

    @contextmanager
    def _cursor(self) -> Iterator[Warehouse]:
        """A warehouse cursor for this thread alone, returned to the pool afterwards (pages never hold one:
        they ask ``metric`` or ``read``)."""
        try:
            with self.reader.cursor(POOL_WAIT_SECONDS, WRITER_WAIT_SECONDS) as cursor:
                yield cursor
        except WarehouseBusyError as exc:
            raise BusyError(str(exc)) from exc

    def metric(self, request: MetricRequest) -> MetricResult:
        """The result of ``run_metric(request)``, from the cache when it was computed before."""
        while True:
            with self._lock:
                cached = self._cache.get(request)
                if cached is not None:
                    self._cache.move_to_end(request)
                    return cached
                waiting = self._inflight.get(request)
                if waiting is None:
                    self._inflight[request] = threading.Event()
                    break
            waiting.wait()  # computed by another request; loop to take it from the cache (or compute)
        try:
            with self._cursor() as cursor:
                version = self.data_version  # a load cannot start while the cursor is lent
                result = run_metric(cursor, request)
            self._store(request, result, version)
            return result
        finally:
            with self._lock:
                self._inflight.pop(request).set()

    def _store(self, request: MetricRequest, result: MetricResult, version: int) -> None:
        with self._lock:
            self.computed += 1
            if version != self.data_version:  # computed before a load that has reopened meanwhile
                return
            self._cache[request] = result
            self._cached_rows += len(result.rows) + 1
            while self._cached_rows > CACHE_ROW_BUDGET and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                self._cached_rows -= len(dropped.rows) + 1

    def read(self, query: Callable[[Warehouse], T]) -> T:
        """The result of a named warehouse query (``warehouse/inventory.py``, ``reports.editions``,
        ``metrics.drilldown``; arguments bound with ``functools.partial``) on a pooled cursor."""
        with self._cursor() as cursor:
            return query(cursor)

    def data_range(self) -> DataRange | None:
        """First start date and last day with data, or None for an empty warehouse.

        The last day is the latest start date, but not after the data moment (the extraction date of the
        data in use, docs/metrics.md): an export may hold allocations decided for the coming months.
        """
        span = self.read(data_span)
        if span.first_start is None or span.last_start is None:
            return None
        last = span.last_start if span.moment is None else min(span.last_start, span.moment)
        return DataRange(span.first_start, max(span.first_start, last))

    def close(self) -> None:
        """Close the pool's cursors and the warehouse."""
        self.reader.close()
