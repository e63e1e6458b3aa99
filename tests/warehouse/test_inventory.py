"""What the warehouse holds, through the named queries of ``warehouse/inventory.py``, on a real warehouse."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reference import PROVIDERS, load_reference
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.inventory import (
    DataSpan,
    IssueTotal,
    LoadIssueCount,
    allocation_moment,
    count_loads,
    data_span,
    issue_totals,
    last_load_id,
    list_loads,
    load_issue_counts,
    loads_in_use,
    provider_names,
    provider_types,
    reference_loads_since,
    versioned_loads_between,
)
from tests.builders import allocation, write_csv
from tests.conftest import KEY, NOW


def load(warehouse: Warehouse, path: Path, days: int = 0, extracted_on: date | None = None) -> int:
    options = LoadOptions(pseudonym_key=KEY, extracted_on=extracted_on)
    return load_allocations(warehouse, path, options, now=NOW + timedelta(days=days)).load_id


def test_an_empty_warehouse_has_no_loads_and_no_span(warehouse: Warehouse) -> None:
    assert list_loads(warehouse) == []
    assert count_loads(warehouse) == 0
    assert last_load_id(warehouse) is None
    assert allocation_moment(warehouse) is None
    assert data_span(warehouse) == DataSpan(None, None, None)
    assert provider_names(warehouse) == {}


def test_loads_are_listed_oldest_first_with_their_counts(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation("T1"), allocation("T2", start="2018-13-01"), allocation("T1")]
    first = load(warehouse, write_csv(tmp_path / "jan.csv", rows), extracted_on=date(2024, 2, 28))
    providers = tmp_path / "aanbieders.csv"
    providers.write_text("agb,naam,type\n12345678,Zorg BV,ggz\n", encoding="utf-8")
    load_reference(warehouse, PROVIDERS, providers, now=NOW + timedelta(days=1))
    listed = list_loads(warehouse)
    assert [(a.load_id, a.kind, a.file_name) for a in listed] == [
        (first, "allocations", "jan.csv"),
        (first + 1, "providers", "aanbieders.csv"),
    ]
    jan = listed[0]
    assert (jan.rows_read, jan.rows_loaded, jan.rows_duplicate, jan.rows_rejected) == (3, 1, 1, 1)
    assert (jan.loaded_at, jan.extracted_on) == (NOW, date(2024, 2, 28))
    assert count_loads(warehouse) == 2
    assert last_load_id(warehouse) == first + 1
    assert provider_names(warehouse) == {"12345678": "Zorg BV"}
    assert provider_types(warehouse) == {"12345678": "ggz"}
    assert load_issue_counts(warehouse) == [LoadIssueCount(first, "fout", "invalid_start_date", 1)]
    assert issue_totals(warehouse, [first, first + 1]) == [IssueTotal("fout", "invalid_start_date", 1)]
    assert issue_totals(warehouse, [first + 1]) == []


def test_the_data_span_ends_at_the_oldest_newest_extraction(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation("T1", start="2018-02-01"), allocation("T2", start="2024-06-01")]
    load(warehouse, write_csv(tmp_path / "a.csv", rows), extracted_on=date(2024, 2, 1))
    load(warehouse, write_csv(tmp_path / "b.csv", rows), days=1, extracted_on=date(2024, 2, 20))
    span = data_span(warehouse)
    # the data moment is the newest load's extraction date (per source; both loads are of one source)
    assert span == DataSpan(date(2018, 2, 1), date(2024, 6, 1), date(2024, 2, 20))


def test_loads_in_use_are_those_whose_versions_count_at_a_moment(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    first = load(warehouse, write_csv(tmp_path / "jan.csv", [allocation("T1")]))
    again = load(warehouse, write_csv(tmp_path / "jan2.csv", [allocation("T1")]), days=1)  # changes nothing
    changed = load(warehouse, write_csv(tmp_path / "feb.csv", [allocation("T1", end="2018-12-31")]), days=30)
    assert [a.load_id for a in loads_in_use(warehouse, None)] == [changed]
    assert [a.load_id for a in loads_in_use(warehouse, NOW + timedelta(days=2))] == [first]
    assert allocation_moment(warehouse) == NOW + timedelta(days=30)
    assert allocation_moment(warehouse, before=NOW + timedelta(days=30)) == NOW + timedelta(days=1)
    between = versioned_loads_between(warehouse, NOW, NOW + timedelta(days=30))
    assert [a.load_id for a in between] == [again, changed]
    assert [a.load_id for a in versioned_loads_between(warehouse, None, NOW)] == [first]
    assert reference_loads_since(warehouse, NOW) == []
