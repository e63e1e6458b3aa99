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
        "2023,JW,1000.0,1,1000.0,1,1000.0,",
        "2025,WMO,1000.0,1,1000.0,1,1000.0,",
    ]


def test_prices_add_corrected_columns_and_name_the_series(tmp_path: Path) -> None:
    warehouse_with_costs(tmp_path)
    args = ["metric", "costs", *YEARS, "--prices", "2025"]
    csv = sdm(*args, "--format", "csv", cwd=tmp_path)
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines() == [
        "period,amount,clients,cost_per_client,client_months,cost_per_client_month,amount_prices_2025,"
        "cost_per_client_prices_2025,cost_per_client_month_prices_2025,status",
        "2023,1000.0,1,1000.0,1,1000.0,1098.79,1098.79,1098.79,",
        "2025,1000.0,1,1000.0,1,1000.0,1000.0,1000.0,1000.0,",
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


def test_xlsx_names_the_corrected_columns_in_dutch(tmp_path: Path) -> None:
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
    assert headers[1:3] == ["Kosten (euro)", "Cliënten"]
    assert headers[6:9] == [
        "Kosten (euro), prijzen 2025", "Kosten per cliënt, prijzen 2025", "Kosten per cliëntmaand, prijzen 2025",
    ]  # fmt: skip
