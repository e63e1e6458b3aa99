"""What a report says about its data: the loads it rests on and the rows they read and rejected."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reference import POPULATION, load_reference
from sdmonitor.reports.appendix import data_sources
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv


def test_read_and_rejected_rows_count_allocation_rows_only(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation("a", client="A"), allocation("b", client="B"),
            allocation("c", client="C", start="2018-01-06", end="2018-01-03")]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))
    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n0599;2018;8;1;300\n0599;2018;8;2;200\n0599;2018;78;2;1000\n",
        encoding="utf-8",
    )
    load_reference(warehouse, POPULATION, population, now=datetime(2024, 1, 1))
    sources = data_sources(warehouse, datetime(2025, 1, 1))
    assert sorted(load.kind for load in sources.loads) == ["allocations", "population"]  # both still listed
    assert (sources.read, sources.rejected) == (3, 1)  # not 3 + 3 population rows
