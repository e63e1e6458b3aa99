"""The black-box contract of `sdm metric costs`: the CSV header of the issue, JSON and the text table with
--prices, and the Dutch refusal of a year without an index figure."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sdmonitor.warehouse import open_warehouse
from tests.cli.test_cli import sdm
from tests.metrics.declaration_rows import insert_index, insert_lines, line, record_load

YEARS = ["--from", "2023-01-01", "--to", "2025-12-31", "--grain", "year"]


def warehouse_with_costs(tmp_path: Path) -> Path:
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        insert_lines(
            warehouse,
            [
                line("a", 1, "2023-05-01", "2023-05-31", 1000.00, law="JW", category="45"),
                line("b", 2, "2025-05-01", "2025-05-31", 1000.00),
            ],
        )
        insert_index(
            warehouse, [("vng-ova-ppc", 2024, "definitief", 5.71), ("vng-ova-ppc", 2025, "voorlopig", 3.944)]
        )
        record_load(warehouse, date(2026, 1, 6))
    return tmp_path


def test_costs_csv_header_is_the_contract(tmp_path: Path) -> None:
    warehouse_with_costs(tmp_path)
    result = sdm("metric", "costs", *YEARS, "--by", "law", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "period,law,amount,clients,cost_per_client,client_months,cost_per_client_month,status",
        "2023,JW,1000.00,1,1000.00,1,1000.00,",
        "2025,WMO,1000.00,1,1000.00,1,1000.00,",
    ]


def test_prices_add_corrected_columns_and_name_the_series(tmp_path: Path) -> None:
    warehouse_with_costs(tmp_path)
    args = ["metric", "costs", *YEARS, "--prices", "2025"]
    csv = sdm(*args, "--format", "csv", cwd=tmp_path)
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines() == [
        "period,amount,clients,cost_per_client,client_months,cost_per_client_month,amount_prices_2025,"
        "cost_per_client_prices_2025,cost_per_client_month_prices_2025,status",
        "2023,1000.00,1,1000.00,1,1000.00,1098.79,1098.79,1098.79,",
        "2025,1000.00,1,1000.00,1,1000.00,1000.00,1000.00,1000.00,",
    ]
    used = "reeks vng-ova-ppc: 2024 definitief 5,71 %, 2025 voorlopig 3,944 %"
    assert f"Prijzen 2025, {used}." in csv.stderr
    rows = json.loads(sdm(*args, "--format", "json", cwd=tmp_path).stdout)
    assert rows[0]["amount_prices_2025"] == 1098.79 and rows[0]["price_index"] == f"prijzen 2025, {used}"
    table = sdm(*args, cwd=tmp_path).stdout
    assert f"Prijzen 2025, {used}." in table and "Datamoment 06-01-2026" in table


def test_prices_without_an_index_figure_are_refused_in_dutch(tmp_path: Path) -> None:
    warehouse_with_costs(tmp_path)
    result = sdm("metric", "costs", *YEARS, "--prices", "2021", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "Geen indexcijfer voor 2022 in reeks vng-ova-ppc" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_xlsx_heads_clients_with_costs_and_the_corrected_columns_in_dutch(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    warehouse_with_costs(tmp_path)
    out = tmp_path / "kosten.xlsx"
    result = sdm(
        "metric", "costs", *YEARS, "--prices", "2025", "--format", "xlsx", "--output", str(out), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    # paid_clients is written 'clients' (the CSV contract) but headed as itself, not as the allocations' clients
    assert headers[1:3] == ["Kosten (euro)", "Cliënten met kosten"]
    names = {row[0]: row[1] for row in load_workbook(out)["Kolommen"].iter_rows(min_row=2, values_only=True)}
    assert names["Cliënten met kosten"] == "clients"
    assert headers[6:9] == [
        "Kosten (euro), prijzen 2025", "Kosten per cliënt, prijzen 2025", "Kosten per cliëntmaand, prijzen 2025",
    ]  # fmt: skip


MONTHS = ["--from", "2024-01-01", "--to", "2024-04-30", "--grain", "month"]


def warehouse_with_odd_amounts(tmp_path: Path) -> Path:
    """Amounts a float writes short (310.0, 2192.5, 12660856.6), a ratio with a repeating decimal
    (520 / 3 = 173.333...) and a month with only a credit: no client with costs, so no cost per client."""
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        insert_lines(
            warehouse,
            [
                line("jan", 1, "2024-01-01", "2024-01-31", 310.0),
                line("feb-1", 1, "2024-02-01", "2024-02-29", 100.0),
                line("feb-2", 2, "2024-02-01", "2024-02-29", 200.0),
                line("feb-3", 3, "2024-02-01", "2024-02-29", 220.0),
                line("mar-1", 1, "2024-03-01", "2024-03-31", 2192.5),
                line("mar-2", 2, "2024-03-01", "2024-03-31", 12658664.1),
                line("apr", 4, "2024-04-01", "2024-04-30", 50.0, debit_credit="C"),
            ],
        )
        record_load(warehouse, date(2024, 6, 1))
    return tmp_path


def test_costs_csv_writes_euros_with_two_decimals(tmp_path: Path) -> None:
    warehouse_with_odd_amounts(tmp_path)
    result = sdm("metric", "costs", *MONTHS, "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "period,amount,clients,cost_per_client,client_months,cost_per_client_month,status",
        "2024-01,310.00,1,310.00,1,310.00,",
        "2024-02,520.00,3,173.33,3,173.33,",
        "2024-03,12660856.60,2,6330428.30,2,6330428.30,",
        "2024-04,-50.00,0,,0,,",  # no client with costs: the ratios stay empty
    ]


def test_costs_table_writes_euros_in_dutch_notation_with_two_decimals(tmp_path: Path) -> None:
    warehouse_with_odd_amounts(tmp_path)
    result = sdm("metric", "costs", *MONTHS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {
        line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line.startswith("2024")
    }
    assert rows["2024-01"] == ["310,00", "1", "310,00", "1", "310,00"]
    assert rows["2024-02"] == ["520,00", "3", "173,33", "3", "173,33"]
    assert rows["2024-03"] == ["12.660.856,60", "2", "6.330.428,30", "2", "6.330.428,30"]
    assert rows["2024-04"] == ["-50,00", "0", "0"]


def test_costs_json_keeps_numbers_and_xlsx_formats_them_with_two_decimals(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    warehouse_with_odd_amounts(tmp_path)
    rows = json.loads(sdm("metric", "costs", *MONTHS, "--format", "json", cwd=tmp_path).stdout)
    assert rows[0]["amount"] == 310.0 and rows[3]["cost_per_client"] is None
    out = tmp_path / "kosten.xlsx"
    result = sdm("metric", "costs", *MONTHS, "--format", "xlsx", "--output", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    march = next(sheet.iter_rows(min_row=4, max_row=4))
    assert (march[1].value, march[1].number_format) == (12660856.6, "#,##0.00")
    assert (march[2].value, march[2].number_format) == (2, "#,##0")
    assert march[3].number_format == "#,##0.00"
