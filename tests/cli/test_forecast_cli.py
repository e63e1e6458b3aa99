"""The black-box contract of `sdm forecast`: the CSV header of the issue, notes on stderr, Dutch refusals."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

from sdmonitor.warehouse import open_warehouse
from tests.builders import allocation
from tests.cli.test_cli import sdm
from tests.metrics.test_forecast_warehouse import P1, P2, T, budget, load_allocation_rows, monthly_lines
from tests.money_builders import load_declarations_rows
from tests.money_builders_reference import load_budgets_rows

CONTRACT = (
    "budget_line,budget,realised,late_expected,committed,new_expected,forecast,difference,share_used,"
    "share_of_year,depletion_date,warning"
)


def loaded(tmp_path: Path, *, submitted: bool = True) -> Path:
    """A warehouse in ``tmp_path`` with one Wmo begeleiding allocation declared January..March 2024."""
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        load_allocation_rows(warehouse, tmp_path, [
            allocation("A1", client="C1", category="02", product_code="02A01", provider_code=P1,
                       start="2024-01-01", end="2024-06-30", volume="8", unit="04", frequency="4"),
        ])  # fmt: skip
        lines = monthly_lines("A1", "C1", range(1, 4), 480)
        if not submitted:
            lines = [{**line, "submitted_on": None} for line in lines]
        load_declarations_rows(warehouse, tmp_path, lines, extracted_on=T)
        load_budgets_rows(
            warehouse,
            tmp_path,
            [budget("Wmo begeleiding", 2_000, categories="02", version_date="2024-01-01")],
        )
    return tmp_path


def test_forecast_csv_header_is_the_contract(tmp_path: Path) -> None:
    result = sdm("forecast", "--year", "2024", "--format", "csv", cwd=loaded(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == CONTRACT
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["budget_line"] for r in rows] == ["Wmo begeleiding", "niet begroot", "totaal"]
    line = rows[0]
    assert float(line["budget"]) == 2000
    assert float(line["realised"]) == 1440
    assert float(line["share_of_year"]) == round(91 / 366, 4)
    assert line["warning"] == "overschrijding, loopt voor"
    assert date.fromisoformat(line["depletion_date"]) <= date(2024, 6, 30)


def test_forecast_by_provider_names_its_first_column_provider(tmp_path: Path) -> None:
    result = sdm("forecast", "--year", "2024", "--by", "provider", "--format", "json", cwd=loaded(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["provider"] == P1 and rows[-1]["provider"] == "totaal"


def test_the_notes_of_an_approximated_forecast_go_to_stderr_for_csv(tmp_path: Path) -> None:
    result = sdm(
        "forecast", "--year", "2024", "--as-of", "2024-02-29", "--format", "csv", cwd=loaded(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == CONTRACT
    assert "Benaderd uit bedrijfsdatums" in result.stderr


def test_the_bridge_shows_its_residual(tmp_path: Path) -> None:
    result = sdm("forecast", "--year", "2024", "--bridge", "--format", "csv", cwd=loaded(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["effect"] for r in rows] == ["index", "volume", "intensity", "late_prior", "residual"]
    assert "niet te splitsen" in rows[-1]["note"]  # no budgeted clients loaded


def test_forecast_without_a_year_or_declarations_refuses_in_dutch(tmp_path: Path) -> None:
    result = sdm("forecast", cwd=loaded(tmp_path))
    assert result.returncode == 1 and "--year" in result.stderr and "Traceback" not in result.stderr
    empty = tmp_path / "leeg"
    empty.mkdir()
    sdm("init", cwd=empty)
    result = sdm("forecast", "--year", "2024", cwd=empty)
    assert result.returncode == 1 and "geen declaraties geladen" in result.stderr


def test_the_backtest_refuses_without_submission_dates(tmp_path: Path) -> None:
    result = sdm("forecast", "--backtest", cwd=loaded(tmp_path, submitted=False))
    assert result.returncode == 1
    assert "Geen indieningsdatums" in result.stderr and "terugtoets niet mogelijk" in result.stderr


def with_room(tmp_path: Path) -> Path:
    """``loaded`` plus a second provider without a room and a spending room of €1,500 for P1."""
    loaded(tmp_path)
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        load_allocation_rows(warehouse, tmp_path, [
            allocation("A1", client="C1", category="02", product_code="02A01", provider_code=P1,
                       start="2024-01-01", end="2024-06-30", volume="8", unit="04", frequency="4"),
            allocation("A2", client="C2", category="02", product_code="02A01", provider_code=P2,
                       start="2024-01-01", end="2024-06-30", volume="8", unit="04", frequency="4"),
        ])  # fmt: skip
        lines = monthly_lines("A1", "C1", range(1, 4), 480) + [
            {**line, "provider_code": P2} for line in monthly_lines("A2", "C2", range(1, 4), 480)
        ]
        load_declarations_rows(warehouse, tmp_path, lines, extracted_on=T)
        load_budgets_rows(
            warehouse,
            tmp_path,
            [budget("Ruimte P1", 1_500, categories="02", provider=P1, version_date="2024-01-01")],
        )
    return tmp_path


def test_the_provider_total_compares_no_partial_room_with_all_costs(tmp_path: Path) -> None:
    result = sdm("forecast", "--year", "2024", "--by", "provider", "--format", "csv", cwd=with_room(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == CONTRACT.replace("budget_line", "provider", 1)
    rows = {r["provider"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows[P1]["budget"] == "1500.00"
    total = rows["totaal"]
    assert float(total["realised"]) == float(rows[P1]["realised"]) + float(rows[P2]["realised"])
    assert [total[c] for c in ("budget", "difference", "share_used", "depletion_date", "warning")] == [""] * 5
    assert "totaalrij" in result.stderr and "deel gerealiseerd" in result.stderr


def test_by_provider_shows_the_realised_share_the_70_percent_signal_uses(tmp_path: Path) -> None:
    cwd = with_room(tmp_path)
    rows = json.loads(
        sdm("forecast", "--year", "2024", "--by", "provider", "--format", "json", cwd=cwd).stdout
    )
    room = next(r for r in rows if r["provider"] == P1)
    assert list(room)[-1] == "share_realised"
    assert room["share_realised"] == round(float(room["realised"]) / 1500, 4)
    table = sdm("forecast", "--year", "2024", "--by", "provider", cwd=cwd)
    assert "Deel gerealiseerd" in table.stdout.splitlines()[0]
    assert "gemeten op het deel gerealiseerd" in table.stdout


def test_forecast_csv_writes_money_with_two_decimals(tmp_path: Path) -> None:
    result = sdm("forecast", "--year", "2024", "--format", "csv", cwd=loaded(tmp_path))
    line = next(csv.DictReader(io.StringIO(result.stdout)))
    for column in (
        "budget",
        "realised",
        "late_expected",
        "committed",
        "new_expected",
        "forecast",
        "difference",
    ):
        assert line[column].partition(".")[2].__len__() == 2, (column, line[column])
    assert line["budget"] == "2000.00" and line["realised"] == "1440.00"
    assert (
        len(line["share_used"].partition(".")[2]) == 4 and len(line["share_of_year"].partition(".")[2]) == 4
    )
    assert line["share_of_year"] == f"{91 / 366:.4f}"


def test_the_bridge_table_is_dutch_with_cents_and_ja_nee(tmp_path: Path) -> None:
    cwd = loaded(tmp_path)
    table = sdm("forecast", "--year", "2024", "--bridge", cwd=cwd)
    assert table.returncode == 0, table.stderr
    header, _, *body = table.stdout.splitlines()
    assert header.split()[:2] == ["Begrotingspost", "Effect"] and "In de som" in header
    assert "True" not in table.stdout and "False" not in table.stdout and " ja" in table.stdout
    residual = next(line for line in body if "residual" in line)
    assert re.search(r"-?\d[\d.]*,\d\d\b", residual), residual  # always two decimals, also 0,00
    csv_rows = list(csv.DictReader(io.StringIO(sdm("forecast", "--year", "2024", "--bridge", "--format",
                                                     "csv", cwd=cwd).stdout)))  # fmt: skip
    assert list(csv_rows[0]) == ["budget_line", "effect", "label", "amount", "in_sum", "note"]
    assert {r["in_sum"] for r in csv_rows} <= {"true", "false"}
    assert all(r["amount"] == "" or len(r["amount"].partition(".")[2]) == 2 for r in csv_rows)


def test_a_year_without_a_budget_or_after_the_data_moment_says_so(tmp_path: Path) -> None:
    result = sdm("forecast", "--year", "2025", cwd=loaded(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Geen begroting geladen voor 2025" in result.stdout
    assert "Het hele jaar 2025 ligt na het datamoment" in result.stdout


def test_a_year_before_any_declaration_is_refused_naming_the_first_year(tmp_path: Path) -> None:
    result = sdm("forecast", "--year", "2014", cwd=loaded(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "het eerste jaar met gegevens is 2024" in result.stderr


def test_forecast_json_writes_the_depletion_date_iso(tmp_path: Path) -> None:
    result = sdm("forecast", "--year", "2024", "--format", "json", cwd=loaded(tmp_path))
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)[0]
    assert date.fromisoformat(line["depletion_date"]) <= date(2024, 6, 30)


def test_each_finance_load_explains_its_own_extraction_day(tmp_path: Path) -> None:
    helps = {
        kind: sdm("load", kind, "--help", cwd=tmp_path).stdout for kind in ("tariffs", "budgets", "index")
    }
    assert "begrotingsregel zonder versiedatum" in helps["budgets"]
    for kind in ("tariffs", "index"):
        assert "begrotingsregel" not in helps[kind] and "--extracted-on" in helps[kind]
    assert "valid_from" in helps["tariffs"] and "indexreeks" in helps["index"]
