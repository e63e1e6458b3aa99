"""The black-box contract of `sdm metric`: a stable CSV header and the numbers of the engine."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from tests.builders import allocation, write_csv
from tests.cli.test_cli import sdm


def loaded(tmp_path: Path) -> Path:
    rows = [
        allocation("a1", client="A", start="2017-10-01", end="2018-03-31"),
        allocation("a2", client="A", start="2018-04-01"),
        allocation(
            "b1",
            client="B",
            law="JW",
            category="45",
            birth="2010-01-01",
            start="2018-02-15",
            end="2018-02-15",
        ),
    ]
    result = sdm("load", "allocations", str(write_csv(tmp_path / "t.csv", rows)), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_csv_header_is_period_then_by_columns_then_measures(tmp_path: Path) -> None:
    loaded(tmp_path)
    result = sdm("metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", "--by", "law", "--format", "csv",
                 cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "period,law,clients",
        "2018-H1,JW,1",
        "2018-H1,WMO,1",
        "2018-H2,WMO,1",
    ]


def test_flows_and_stock_headers(tmp_path: Path) -> None:
    loaded(tmp_path)
    flows = sdm("metric", "flows", "--from", "2018-01-01", "--to", "2018-03-31", "--grain", "month", "--format", "csv",
                cwd=tmp_path)  # fmt: skip
    assert flows.stdout.splitlines() == ["period,inflow,outflow,net", "2018-02,1,1,0"]
    stock = sdm("metric", "stock", "--on", "2018-02-15", "--on", "01-04-2018", "--by", "law", "--format", "csv",
                cwd=tmp_path)  # fmt: skip
    assert stock.stdout.splitlines() == [
        "date,law,clients",
        "2018-02-15,JW,1",
        "2018-02-15,WMO,1",
        "2018-04-01,WMO,1",
    ]


def test_json_and_xlsx_carry_the_same_numbers(tmp_path: Path) -> None:
    loaded(tmp_path)
    args = ["metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", "--grain", "year"]
    as_json = json.loads(sdm(*args, "--format", "json", cwd=tmp_path).stdout)
    assert as_json == [{"period": "2018", "clients": 2}]
    result = sdm(*args, "--format", "xlsx", "--output", str(tmp_path / "c.xlsx"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(tmp_path / "c.xlsx").active
    assert sheet is not None
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [["Periode", "Cliënten"], ["2018", 2]]


def test_show_query_prints_the_sql(tmp_path: Path) -> None:
    loaded(tmp_path)
    result = sdm(
        "metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", "--show-query", cwd=tmp_path
    )
    assert "SELECT" in result.stdout and "allocation_versions" in result.stdout


def test_as_of_and_bad_input(tmp_path: Path) -> None:
    loaded(tmp_path)
    early = sdm("metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", "--as-of", "2000-01-01",
                "--format", "csv", cwd=tmp_path)  # fmt: skip
    assert early.stdout.splitlines() == ["period,clients"]
    bad = sdm(
        "metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", "--by", "kleur", cwd=tmp_path
    )
    assert bad.returncode == 1 and "Onbekende kolom 'kleur'" in bad.stderr


def test_metric_on_a_missing_warehouse_says_what_to_do(tmp_path: Path) -> None:
    result = sdm("metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", cwd=tmp_path)
    assert result.returncode == 1 and "sdm init" in result.stderr


def test_the_engine_prints_nothing_of_its_own_into_the_output(tmp_path: Path) -> None:
    from sdmonitor.warehouse import open_warehouse

    with open_warehouse(tmp_path / "w.duckdb") as warehouse:
        assert warehouse.value("SELECT current_setting('enable_progress_bar')") is False


def test_long_csv_lines_are_not_wrapped_when_piped(tmp_path: Path) -> None:
    loaded(tmp_path)
    name = "segment met een heel lange naam " * 8
    (tmp_path / "s.yaml").write_text(f"segments:\n  '{name.strip()}': {{laws: [WMO]}}\n", encoding="utf-8")
    result = sdm("metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", "--grain", "year", "--by",
                 "segment", "--segments", str(tmp_path / "s.yaml"), "--format", "csv", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == ["period,segment,clients", f"2018,{name.strip()},1"]


def test_xlsx_has_dutch_headers_numeric_cells_and_percentages_as_fractions(tmp_path: Path) -> None:
    loaded(tmp_path)
    args = [
        "metric",
        "clients",
        "--from",
        "2018-01-01",
        "--to",
        "2018-12-31",
        "--grain",
        "quarter",
        "--growth",
    ]
    as_csv = sdm(*args, "--format", "csv", cwd=tmp_path).stdout.splitlines()
    assert as_csv[0] == "period,clients,previous,change,change_pct,trend,long_trend"  # the contract stays
    result = sdm(*args, "--format", "xlsx", "--output", str(tmp_path / "g.xlsx"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(tmp_path / "g.xlsx")
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == [
        "Periode",
        "Cliënten",
        "Vorige periode",
        "Verschil",
        "Verschil %",
        "Trend",
        "Langjarige trend",
    ]
    for line, cells in zip(as_csv[2:], rows[2:], strict=True):  # from the second quarter on: a change
        fields = line.split(",")
        clients, change_pct = cells[1], cells[4]
        assert (
            clients.data_type == "n" and clients.value == int(fields[1]) and clients.number_format == "#,##0"
        )
        assert change_pct.data_type == "n" and change_pct.number_format == "0.0%"
        assert change_pct.value == float(fields[4]) / 100  # a fraction, as every percentage in the file
    assert (
        dict(workbook["Kolommen"].iter_rows(min_row=2, max_row=8, values_only=True))["Verschil %"]
        == "change_pct"
    )
