"""The access benchmark's baselines (pandas, Polars, hand-written SQL) compute what ``sdm metric waiting`` and
``sdm metric waiting_list`` compute (docs/design/access.md §2.4-2.6) on a generated demo, and the benchmark's
shortcut (INSERT instead of the loader) gives the metrics the rows the loader gives."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest
from benchmarks.access_data import EXTRACTED_ON, SOURCE, insert_access

from benchmarks import access_baselines as baselines
from sdmonitor.demo.generate import GenerateOptions, generate
from sdmonitor.loading import ALLOCATION_TABLE, DELIVERY_TABLE, LoadOptions, load_table
from sdmonitor.metrics import run_metric
from sdmonitor.warehouse import open_warehouse
from tests.conftest import KEY


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated demo (allocations and deliveries) and its benchmark warehouse."""
    folder = tmp_path_factory.mktemp("access")
    generate(folder / "files", GenerateOptions(inhabitants=8_000, money=False))
    insert_access(
        folder / "inserted.duckdb",
        folder / "files" / "toewijzingen.parquet",
        folder / "files" / "leveringen.csv",
    )
    return folder


@pytest.mark.parametrize("figure", baselines.FIGURES)
def test_every_baseline_gives_the_metrics_rows(demo: Path, figure: str) -> None:
    with open_warehouse(demo / "inserted.duckdb", read_only=True) as warehouse:
        expected = baselines.normalise(run_metric(warehouse, baselines.REQUESTS[figure]).rows, figure)
        # the demo has what the figures count: starts in most months under both laws, waiting lists
        assert len(expected) >= (200 if figure == "waiting" else 24)
        assert sum(row[2] for row in expected) > (4_000 if figure == "waiting" else 50)
        if figure == "waiting_list":
            assert sum(row[7] for row in expected) > 0  # some waiting clients bridged
        for name, run in baselines.RUNNERS.items():
            rows = baselines.normalise(run(warehouse, figure), figure)
            assert baselines.same_rows(rows, expected, figure), (name, rows[:3], expected[:3])


def test_the_insert_setup_gives_the_metrics_what_the_loader_gives(demo: Path) -> None:
    loaded = demo / "loaded.duckdb"
    now = datetime.combine(EXTRACTED_ON, time(12))
    options = LoadOptions(source=SOURCE, extracted_on=EXTRACTED_ON, pseudonym_key=KEY)
    with open_warehouse(loaded) as warehouse:
        load_table(warehouse, demo / "files" / "toewijzingen.parquet", options, ALLOCATION_TABLE, now=now)
        load_table(warehouse, demo / "files" / "leveringen.csv", options, DELIVERY_TABLE, now=now)
    results = {}
    for db in (demo / "inserted.duckdb", loaded):
        with open_warehouse(db, read_only=True) as warehouse:
            results[db] = [
                baselines.normalise(run_metric(warehouse, baselines.REQUESTS[f]).rows, f)
                for f in baselines.FIGURES
            ]
    assert results[demo / "inserted.duckdb"] == results[loaded]


def test_rounding_is_half_away_from_zero_as_duckdb() -> None:
    assert [baselines._round(x) for x in (34.25, 0.05, 2.349, -1.25)] == [34.3, 0.1, 2.3, -1.3]
