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


def test_the_appendix_lists_the_loads_whose_versions_are_in_use_not_every_load(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation("a", client="A"), allocation("b", client="B"),
            allocation("c", client="C", start="2018-01-06", end="2018-01-03")]  # fmt: skip
    first = load_allocations(warehouse, write_csv(tmp_path / "jan.csv", rows), LoadOptions(),
                             now=datetime(2024, 1, 1)).load_id  # fmt: skip
    # the same export again (as a second `make demo` does): it changes nothing, so it is not a source
    load_allocations(warehouse, write_csv(tmp_path / "jan-opnieuw.csv", rows), LoadOptions(reload=True),
                     now=datetime(2024, 2, 1))  # fmt: skip
    sources = data_sources(warehouse, datetime(2024, 2, 1))
    assert [load.load_id for load in sources.loads] == [first]
    assert (sources.read, sources.rejected) == (3, 1)
    assert [(note.code, note.rows) for note in sources.notes if note.severity == "fout"] == [
        (sources.notes[0].code, 1)
    ]
    # a later export that ends B: both loads are in use; before it, only the first
    rows[1] = allocation("b", client="B", end="2018-06-30")
    second = load_allocations(warehouse, write_csv(tmp_path / "mrt.csv", rows), LoadOptions(),
                              now=datetime(2024, 3, 1)).load_id  # fmt: skip
    assert [load.load_id for load in data_sources(warehouse, datetime(2024, 3, 1)).loads] == [first, second]
    assert [load.load_id for load in data_sources(warehouse, datetime(2024, 2, 1)).loads] == [first]
    assert [load.load_id for load in data_sources(warehouse, None).loads] == [first, second]
