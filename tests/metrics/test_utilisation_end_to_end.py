"""Utilisation from files loaded as a user loads them (sdm load allocations, sdm load declarations): the data
moment of both sources, the CSV of `sdm metric utilisation`, and privacy in a published table."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.reports import build
from sdmonitor.reports.suppression import DEFAULT_POLICY
from sdmonitor.warehouse import Warehouse, open_warehouse
from tests.builders import write_csv
from tests.cli.test_cli import sdm
from tests.conftest import KEY
from tests.metrics.test_utilisation_allocated import EXAMPLE_U, P1, P2
from tests.money_builders import declaration, load_declarations_rows

Q1_2024 = ["--from", "2024-01-01", "--to", "2024-03-31", "--grain", "quarter"]
CLIENT_OF = {"a1": "A", "a2": "B", "a3": "C"}
PROVIDER_OF = {"a1": P1, "a2": P1, "a3": P2}
PRODUCT_OF = {"a1": ("02", "02A01"), "a2": ("04", "04A01"), "a3": ("01", "01R01")}


def declared(number: str, allocation_id: str, start: str, end: str, volume: str | None, unit: str | None,
             amount: str) -> dict[str, str | None]:  # fmt: skip
    category, product = PRODUCT_OF[allocation_id]
    return declaration(
        declaration_id=number, allocation_id=allocation_id, client_id=CLIENT_OF[allocation_id],
        product_category=category, product_code=product, provider_code=PROVIDER_OF[allocation_id],
        period_start=start, period_end=end, volume=volume, unit=unit, amount=amount, submitted_on=end,
    )  # fmt: skip


DECLARED_U = [
    declared("r1", "a1", "2024-01-01", "2024-01-31", "7", "04", "420.00"),
    declared("r2", "a1", "2024-02-01", "2024-02-29", "480", "01", "480.00"),
    declared("r3", "a1", "2024-03-01", "2024-03-31", "4", "04", "240.00"),
    declared("r4", "a2", "2024-02-15", "2024-02-29", "4", "14", "520.00"),
    declared("r5", "a2", "2024-03-01", "2024-03-31", "6", "14", "780.00"),
    declared("r6", "a3", "2024-01-01", "2024-01-31", "15000", "83", "150.00"),
    declared("r7", "a3", "2024-02-01", "2024-02-29", "20000", "83", "200.00"),
    declared("r8", "a3", "2024-03-01", "2024-03-31", "25000", "83", "250.00"),
]


def loaded(warehouse: Warehouse, tmp_path: Path, declarations_on: date = date(2024, 4, 5)) -> Warehouse:
    """Example U: allocations extracted on 31 March 2024, the declarations submitted by ``declarations_on``
    extracted that day."""
    load_allocations(
        warehouse,
        write_csv(tmp_path / "allocations.csv", EXAMPLE_U),
        LoadOptions(extracted_on=date(2024, 3, 31), pseudonym_key=KEY),
        now=datetime(2024, 4, 1, 12),
    )
    known = [row for row in DECLARED_U if date.fromisoformat(str(row["submitted_on"])) <= declarations_on]
    summary = load_declarations_rows(warehouse, tmp_path, known, extracted_on=declarations_on)
    assert (summary.loaded, summary.rejected) == (len(known), 0)
    return warehouse


def test_worked_example_u_from_loaded_files(warehouse: Warehouse, tmp_path: Path) -> None:
    result = run_metric(loaded(warehouse, tmp_path), MetricRequest("utilisation", grain="quarter",
                                                                   start=date(2024, 1, 1), end=date(2024, 3, 31)))  # fmt: skip
    assert [(r[1], r[3], r[6]) for r in result.rows] == [
        ("01R01", "83", 1.0),
        ("02A01", "04", 0.7308),
        ("04A01", "14", 0.8239),
    ]
    assert result.status.moment == date(2024, 3, 31)


def test_the_data_moment_is_the_earliest_of_allocations_and_declarations(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """Declarations extracted on 20 March: March is not complete for them, so the quarter counts January and
    February only (a1: 15 of 17.14 hours), labelled up to 20 March."""
    loaded(warehouse, tmp_path, declarations_on=date(2024, 3, 20))
    result = run_metric(warehouse, MetricRequest("utilisation", grain="quarter", start=date(2024, 1, 1),
                                                 end=date(2024, 3, 31), by=("product_code",)))  # fmt: skip
    assert result.status.moment == date(2024, 3, 20)
    assert result.status.of("2024-Q1") == "t/m 20-03-2024"
    a1 = next(r for r in result.records() if r["product_code"] == "02A01")
    assert (a1["allocated_volume"], a1["declared_volume"], a1["utilisation"]) == (17.14, 15.0, 0.875)


def test_sdm_metric_utilisation_csv_is_by_product_and_provider_with_the_unit(tmp_path: Path) -> None:
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        loaded(warehouse, tmp_path)
    result = sdm("metric", "utilisation", *Q1_2024, "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "period,product_code,provider,unit,allocated_volume,declared_volume,utilisation,util_allocations,"
        "util_clients,status",
        f"2024-Q1,01R01,{P2},83,600.00,600.00,1.0000,1,1,t/m 31-03-2024",
        f"2024-Q1,02A01,{P1},04,26.00,19.00,0.7308,1,1,t/m 31-03-2024",
        f"2024-Q1,04A01,{P1},14,12.14,10.00,0.8239,1,1,t/m 31-03-2024",
    ]
    by_law = sdm("metric", "utilisation", *Q1_2024, "--by", "law", "--format", "csv", cwd=tmp_path)
    assert by_law.stdout.splitlines()[0].startswith("period,law,unit,allocated_volume")


def test_volumes_and_utilisation_of_few_clients_are_hidden_with_their_count(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    result = run_metric(loaded(warehouse, tmp_path), MetricRequest("utilisation", grain="quarter",
                                                                   start=date(2024, 1, 1), end=date(2024, 3, 31)))  # fmt: skip
    table = build.table_model(result, DEFAULT_POLICY, with_total=False)
    assert table.headers == (
        "Periode", "Product", "Aanbieder", "Eenheid", "Toegewezen volume", "Gedeclareerd volume", "Verzilvering",
        "Toewijzingen met volume", "Cliënten met volume",
    )  # fmt: skip
    for row in table.rows:
        assert [cell.hidden for cell in row] == [False, False, False, False, True, True, True, True, True]
