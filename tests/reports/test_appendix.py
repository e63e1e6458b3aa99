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


def test_the_appendix_names_declaration_and_finance_loads_and_their_reasons_in_dutch(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.domain.rules import FINANCE_RULES
    from tests.money_builders import declaration, load_declarations_rows
    from tests.money_builders_reference import load_budgets_rows, load_index_rows, load_tariffs_rows

    load_allocations(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1", client="C1")]), LoadOptions(),
                     now=datetime(2024, 1, 1))  # fmt: skip
    load_declarations_rows(
        warehouse, tmp_path, [declaration(), declaration(declaration_id="R2", amount="abc")]
    )
    load_tariffs_rows(warehouse, tmp_path, [{"product_code": "02A01", "unit": "04", "tariff": 62.5,
                                             "valid_from": "2024-01-01"}])  # fmt: skip
    # an unknown product category is a warning: the budget line is loaded with a note
    load_budgets_rows(warehouse, tmp_path, [{"year": 2024, "budget_line": "Wmo", "amount": 1_000_000, "law": "WMO",
                                             "product_categories": "99"}])  # fmt: skip
    load_index_rows(warehouse, tmp_path, [{"series": "eigen", "year": 2024, "percentage": 3.1,
                                           "status": "definitief"}])  # fmt: skip
    sources = data_sources(warehouse, None)
    assert sorted(load.kind_name for load in sources.loads) == [
        "Begroting", "Declaraties", "Indexreeksen", "Tarieven", "Toewijzingen",
    ]  # fmt: skip
    codes = {note.code: note.description for note in sources.notes}
    assert codes["unknown_budget_category"] == FINANCE_RULES["unknown_budget_category"].description
    assert all(description != code for code, description in codes.items())  # every reason in Dutch
    assert len(codes) >= 2, codes  # the declaration's rejected amount and the budget's warning
