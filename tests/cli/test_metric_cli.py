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
        "period,law,clients,status",
        "2018-H1,JW,1,",
        "2018-H1,WMO,1,",
        "2018-H2,WMO,1,",
    ]


def test_flows_and_stock_headers(tmp_path: Path) -> None:
    loaded(tmp_path)
    flows = sdm("metric", "flows", "--from", "2018-01-01", "--to", "2018-03-31", "--grain", "month", "--format", "csv",
                cwd=tmp_path)  # fmt: skip
    assert flows.stdout.splitlines() == ["period,inflow,outflow,net,status", "2018-02,1,1,0,"]
    stock = sdm("metric", "stock", "--on", "2018-02-15", "--on", "01-04-2018", "--by", "law", "--format", "csv",
                cwd=tmp_path)  # fmt: skip
    assert stock.stdout.splitlines() == [
        "date,law,clients,status",
        "2018-02-15,JW,1,",
        "2018-02-15,WMO,1,",
        "2018-04-01,WMO,1,",
    ]


def test_json_and_xlsx_carry_the_same_numbers(tmp_path: Path) -> None:
    loaded(tmp_path)
    args = ["metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", "--grain", "year"]
    as_json = json.loads(sdm(*args, "--format", "json", cwd=tmp_path).stdout)
    assert as_json == [{"period": "2018", "clients": 2, "status": ""}]
    result = sdm(*args, "--format", "xlsx", "--output", str(tmp_path / "c.xlsx"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(tmp_path / "c.xlsx").active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [r[:2] for r in rows] == [["Periode", "Cliënten"], ["2018", 2]]


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
    assert early.stdout.splitlines() == ["period,clients,status"]
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
    assert lines == ["period,segment,clients,status", f"2018,{name.strip()},1,"]


def test_a_period_after_the_data_moment_is_refused_unless_planned_figures_are_asked(tmp_path: Path) -> None:
    rows = [allocation("a1", client="A", start="2017-10-01", end="2018-09-30")]
    path = write_csv(tmp_path / "t.csv", rows)
    assert sdm("load", "allocations", str(path), "--extracted-on", "2018-03-10", cwd=tmp_path).returncode == 0
    args = ["metric", "clients", "--from", "2018-01-01", "--to", "2018-12-31", "--format", "csv"]
    refused = sdm(*args, cwd=tmp_path)
    assert refused.returncode == 1
    assert (
        "Periode 2018-H2 ligt na het datamoment 10-03-2018" in refused.stderr
        and "--planned" in refused.stderr
    )
    planned = sdm(*args, "--planned", cwd=tmp_path)
    assert planned.stdout.splitlines() == ["period,clients,status", "2018-H1,1,gepland", "2018-H2,1,gepland"]
    partial = sdm(
        "metric", "flows", "--from", "2018-01-01", "--to", "2018-06-30", "--format", "csv", cwd=tmp_path
    )
    # the end on 30 September is planned: no outflow, and the half-year counts up to the data moment
    assert partial.stdout.splitlines() == ["period,inflow,outflow,net,status"]
    labelled = sdm(
        "metric", "clients", "--from", "2018-01-01", "--to", "2018-06-30", "--format", "csv", cwd=tmp_path
    )
    assert labelled.stdout.splitlines()[1] == "2018-H1,1,t/m 10-03-2018"
    as_planned = sdm("metric", "flows", "--from", "2018-01-01", "--to", "2018-12-31", "--planned", "--format", "csv",
                     cwd=tmp_path)  # fmt: skip
    assert as_planned.stdout.splitlines()[1:] == ["2018-H2,0,1,-1,gepland"]


def test_the_footer_says_an_end_after_the_data_moment_is_planned(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("a1", client="A", start="2017-10-01", end="2018-03-10")])
    assert sdm("load", "allocations", str(path), "--extracted-on", "2018-03-10", cwd=tmp_path).returncode == 0
    table = sdm(
        "metric", "clients", "--from", "2018-01-01", "--to", "2018-03-10", "--grain", "month", cwd=tmp_path
    )
    assert "Datamoment 10-03-2018: einddatums na die dag zijn gepland" in " ".join(table.stdout.split())


def test_flows_in_the_first_period_of_the_history_are_marked_incomplete(tmp_path: Path) -> None:
    loaded(tmp_path)
    args = ["metric", "flows", "--from", "2017-10-01", "--to", "2017-12-31", "--grain", "month"]
    csv_lines = sdm(*args, "--format", "csv", cwd=tmp_path).stdout.splitlines()
    assert csv_lines == ["period,inflow,outflow,net,status", "2017-10,1,0,1,onvolledig"]
    table = sdm(*args, cwd=tmp_path).stdout
    assert "onvolledig" in table and "Historie vanaf 01-10-2017" in table
    later = sdm(*args, "--history-from", "2015-01-01", "--format", "csv", cwd=tmp_path).stdout.splitlines()
    assert later == ["period,inflow,outflow,net,status", "2017-10,1,0,1,"]
    growth = sdm("metric", "flows", "--from", "2017-10-01", "--to", "2018-02-28", "--grain", "month", "--growth",
                 "--format", "json", cwd=tmp_path)  # fmt: skip
    rows = {row["period"]: row for row in json.loads(growth.stdout)}
    assert rows["2017-10"]["status"] == "onvolledig" and rows["2017-10"]["long_trend"] is None


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
    assert (
        as_csv[0] == "period,clients,previous,change,change_pct,trend,long_trend,status"
    )  # the contract stays
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
        "Status",
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


def test_the_metric_options_take_their_declared_environment_variables(tmp_path: Path) -> None:
    """`--reentry-months` (a declared option, generated for `sdm metric`) also comes from SDM_REENTRY_MONTHS,
    and widens the history window: 12 months before 2018 lie before the history start (2017-10-01), 3 do not."""
    loaded(tmp_path)
    year = ["--from", "2018-01-01", "--to", "2018-12-31", "--grain", "year"]
    args = ["metric", "reentry", *year, "--format", "csv"]
    assert sdm(*args, cwd=tmp_path).stdout.splitlines()[1] == "2018,1,0,0.0000,onvolledig"
    assert sdm(*args, "--reentry-months", "3", cwd=tmp_path).stdout.splitlines()[1] == "2018,1,0,0.0000,"
    env = {"SDM_REENTRY_MONTHS": "3"}
    assert sdm(*args, cwd=tmp_path, env=env).stdout.splitlines()[1] == "2018,1,0,0.0000,"
    negative = sdm(*args, cwd=tmp_path, env={"SDM_MAX_GAP_DAYS": "-1"})
    assert negative.returncode == 1 and "--max-gap-days mag niet negatief zijn." in negative.stderr


def test_a_fraction_is_written_with_its_four_declared_decimals(tmp_path: Path) -> None:
    """outflow_rate declares 4 decimals: one of two clients left is 0.5000 in CSV and 0,5000 in the table."""
    loaded(tmp_path)
    args = ["metric", "outflow_rate", "--from", "2018-01-01", "--to", "2018-12-31", "--grain", "year"]
    csv = sdm(*args, "--format", "csv", cwd=tmp_path)
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines() == [
        "period,clients,outflow_clients,outflow_rate,status",
        "2018,2,1,0.5000,",
    ]
    table = sdm(*args, cwd=tmp_path).stdout.splitlines()
    assert table[2].split() == ["2018", "2", "1", "0,5000"]
    assert json.loads(sdm(*args, "--format", "json", cwd=tmp_path).stdout)[0]["outflow_rate"] == 0.5
