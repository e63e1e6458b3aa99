"""The black-box contract of `sdm forecast`: the CSV header of the issue, notes on stderr, Dutch refusals."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from sdmonitor.warehouse import open_warehouse
from tests.builders import allocation
from tests.cli.test_cli import sdm
from tests.metrics.test_forecast_warehouse import P1, T, budget, load_allocation_rows, monthly_lines
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
