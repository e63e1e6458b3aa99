"""Figures for a multithreaded server: a small pool of warehouse cursors and a cache of metric results.

Every figure comes from ``run_metric`` (what ``sdm metric`` runs). DuckDB connections are not shared between
threads: each cursor of the pool is its own connection to the same database, used by one request at a
time. While the server runs it holds the warehouse file open for writing, so no other process can load
data and a result stays valid for the server's life: results are cached (least recently used first out,
within a budget of rows), and a figure asked for by several requests at once is computed once.
"""

from __future__ import annotations

import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from sdmonitor.domain.periods import Grain, period_of
from sdmonitor.errors import SdmError
from sdmonitor.metrics import MetricRequest, MetricResult, run_metric
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.inventory import data_span

CACHE_ROW_BUDGET = 2_000_000
POOL_WAIT_SECONDS = 60
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

    def __init__(self, warehouse: Warehouse, pool_size: int = 3) -> None:
        self.warehouse = warehouse
        self._pool: queue.Queue[Warehouse] = queue.Queue()
        self._cursors = [Warehouse(warehouse.connection.cursor(), warehouse.path) for _ in range(pool_size)]
        for cursor in self._cursors:
            self._pool.put(cursor)
        self._cache: OrderedDict[MetricRequest, MetricResult] = OrderedDict()
        self._cached_rows = 0
        self._inflight: dict[MetricRequest, threading.Event] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how many results were computed (not taken from the cache)

    @contextmanager
    def cursor(self) -> Iterator[Warehouse]:
        """A warehouse cursor for this thread alone, returned to the pool afterwards."""
        try:
            cursor = self._pool.get(timeout=POOL_WAIT_SECONDS)
        except queue.Empty as exc:
            raise BusyError("Het dashboard is druk; probeer het over een minuut opnieuw.") from exc
        try:
            yield cursor
        finally:
            self._pool.put(cursor)

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
            with self.cursor() as cursor:
                result = run_metric(cursor, request)
            self._store(request, result)
            return result
        finally:
            with self._lock:
                self._inflight.pop(request).set()

    def _store(self, request: MetricRequest, result: MetricResult) -> None:
        with self._lock:
            self.computed += 1
            self._cache[request] = result
            self._cached_rows += len(result.rows) + 1
            while self._cached_rows > CACHE_ROW_BUDGET and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                self._cached_rows -= len(dropped.rows) + 1

    def read(self, query: Callable[[Warehouse], T]) -> T:
        """The result of a named warehouse query (``warehouse/inventory.py``) on a pooled cursor."""
        with self.cursor() as cursor:
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
        """Close the pool's cursors (the warehouse itself is closed by its owner)."""
        for cursor in self._cursors:
            cursor.close()
