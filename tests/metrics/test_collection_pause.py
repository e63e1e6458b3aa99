"""A metric run pauses Python's cyclic garbage collector (``metrics.run.collection_paused``): the collector is
off while any run is under way, in any thread, and as it was before once the last one is done."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import date

import pytest

from sdmonitor.errors import InputError
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.run import collection_paused
from sdmonitor.warehouse import Warehouse


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_during_a_run_and_on_again_after_it() -> None:
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_on_again_after_a_run_that_fails() -> None:
    with pytest.raises(ValueError), collection_paused():
        raise ValueError("de query faalde")
    assert gc.isenabled()


def test_a_collector_that_was_off_before_stays_off() -> None:
    gc.disable()
    with collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_the_collector_stays_off_until_the_last_of_overlapping_runs_is_done() -> None:
    """Two threads (the dashboard serves requests in a thread pool): the first run ends while the second is
    under way; the collector comes back only when the second ends."""
    second_started, first_done, second_may_end = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def second() -> None:
        with collection_paused():
            second_started.set()
            first_done.wait(5)
            seen["after the first ended"] = gc.isenabled()
            second_may_end.wait(5)

    with collection_paused():
        thread = threading.Thread(target=second)
        thread.start()
        assert second_started.wait(5)
    first_done.set()
    second_may_end.set()
    thread.join(5)
    assert seen == {"after the first ended": False}
    assert gc.isenabled()


def test_a_metric_run_and_a_refused_one_leave_the_collector_on(warehouse: Warehouse) -> None:
    result = run_metric(warehouse, MetricRequest("clients", start=date(2024, 1, 1), end=date(2024, 12, 31)))
    assert result.columns == ("period", "clients") and gc.isenabled()
    with pytest.raises(InputError):
        run_metric(warehouse, MetricRequest("clients", on=(date(2024, 1, 1),)))
    assert gc.isenabled()
