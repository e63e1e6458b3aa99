"""The forecast read from a real warehouse (docs/forecast.md): realised, commitments, 'niet begroot', spending
rooms, budget versions and replay. Everything is loaded with the real load jobs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics.backtest import backtest, late_prior
from sdmonitor.metrics.forecast import NOT_BUDGETED, TOTAL, bridge, make_forecast
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv
from tests.conftest import KEY
from tests.money_builders import declaration, load_declarations_rows
from tests.money_builders_reference import load_budgets_rows, load_tariffs_rows

P1, P2 = "12345678", "12345679"
T = date(2024, 3, 31)


def load_allocation_rows(
    warehouse: Warehouse, tmp_path: Path, rows: list[dict[str, str | None]], extracted_on: date = T
) -> None:
    path = write_csv(tmp_path / f"toewijzingen-{extracted_on}.csv", rows)
    load_allocations(
        warehouse,
        path,
        LoadOptions(extracted_on=extracted_on, pseudonym_key=KEY),
        now=datetime.combine(extracted_on, datetime.min.time()).replace(hour=12),
    )


def monthly_lines(
    allocation_id: str,
    client: str,
    months: range,
    amount: float,
    *,
    year: int = 2024,
    lag_days: int = 0,
    volume: str = "8",
    prefix: str = "D",
    **other: str | None,
) -> list[dict[str, str | None]]:
    """One declared line per month of ``year`` (the whole month), submitted ``lag_days`` after its last day
    (0: on the last day itself)."""
    rows = []
    for month in months:
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
        end = date.fromordinal(last)
        rows.append(
            declaration(
                declaration_id=f"{prefix}{allocation_id}-{year}-{month}", allocation_id=allocation_id, client_id=client,
                period_start=f"{first}", period_end=f"{end}", amount=f"{amount:.2f}", volume=volume,
                submitted_on=f"{date.fromordinal(last + lag_days)}", provider_code=P1, **other,
            )
        )  # fmt: skip
    return rows


def budget(
    name: str, amount: float, law: str = "WMO", categories: str = "", provider: str = "", **other: object
) -> dict[str, object]:
    return {"year": 2024, "budget_line": name, "amount": amount, "law": law, "product_categories": categories,
            "provider_code": provider, **other}  # fmt: skip


@pytest.fixture
def world(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    """Wmo begeleiding: allocation A1 of 8 hours a month at €60 (planned end 30 June 2024), declared in full
    for January..March 2024 (€480 a month, submitted on the month's last day); hulp bij het huishouden: A2 in
    January only (€120; no budget line: 'niet begroot'); the line 'Wmo begeleiding' €10,000. Data moment 31
    March 2024."""
    load_allocation_rows(warehouse, tmp_path, [
        allocation("A1", client="C1", category="02", product_code="02A01", provider_code=P1, start="2024-01-01",
                   end="2024-06-30", volume="8", unit="04", frequency="4"),
        allocation("A2", client="C2", category="01", product_code="01A01", provider_code=P1, start="2024-01-01",
                   end="2024-01-31", volume="2", unit="04", frequency="4"),
    ])  # fmt: skip
    lines = monthly_lines("A1", "C1", range(1, 4), 480)
    lines += monthly_lines(
        "A2", "C2", range(1, 2), 120, volume="2", product_category="01", product_code="01A01"
    )
    load_declarations_rows(warehouse, tmp_path, lines, extracted_on=T)
    load_tariffs_rows(warehouse, tmp_path, [
        {"product_code": "02A01", "unit": "04", "tariff": 60, "valid_from": "2023-01-01", "valid_to": "2024-05-31"},
        {"product_code": "02A01", "unit": "04", "tariff": 70, "valid_from": "2024-06-01"},
    ])  # fmt: skip
    load_budgets_rows(
        warehouse, tmp_path, [budget("Wmo begeleiding", 10_000, categories="02", version_date="2024-01-01")]
    )
    return warehouse


def test_forecast_reads_realised_committed_and_niet_begroot_from_the_warehouse(world: Warehouse) -> None:
    forecast = make_forecast(world, 2024)
    assert forecast.moment == T and forecast.as_of is None and not forecast.approximated
    assert [r.budget_line for r in forecast.rows] == ["Wmo begeleiding", NOT_BUDGETED, TOTAL]
    line = forecast.row("Wmo begeleiding")
    assert line.budget == 10_000
    assert line.realised == pytest.approx(3 * 480)
    assert forecast.row(NOT_BUDGETED).realised == pytest.approx(120)
    assert forecast.row(NOT_BUDGETED).budget is None
    total = forecast.row(TOTAL)
    assert total.forecast == pytest.approx(line.forecast + forecast.row(NOT_BUDGETED).forecast)
    assert len(forecast.paths["Wmo begeleiding"]) == 12
    assert forecast.paths["Wmo begeleiding"][0].realised == pytest.approx(480)


def test_commitments_end_at_planned_end_dates_and_tariff_changes_apply_per_month(world: Warehouse) -> None:
    line = make_forecast(world, 2024).row("Wmo begeleiding")
    # utilisation 1 (8 of 8 hours declared): April and May at €60, June at €70, nothing after 30 June
    assert line.committed == pytest.approx(2 * 8 * 60 + 8 * 70)
    path = make_forecast(world, 2024).paths["Wmo begeleiding"]
    assert [round(p.expected, 2) for p in path[3:7]] == [480.0, 480.0, 560.0, 0.0]


def test_a_forecast_without_load_history_says_it_is_approximated(world: Warehouse) -> None:
    forecast = make_forecast(world, 2024, as_of=date(2024, 2, 29))
    assert forecast.approximated
    assert forecast.notes[0].startswith("Benaderd uit bedrijfsdatums")
    # only what was submitted by 29 February: January's and February's lines
    assert forecast.row("Wmo begeleiding").realised == pytest.approx(2 * 480)


def test_the_budget_version_known_at_as_of_is_used(world: Warehouse, tmp_path: Path) -> None:
    load_budgets_rows(
        world,
        tmp_path,
        [budget("Wmo begeleiding", 12_000, categories="02", version_date="2024-03-15")],
        extracted_on=date(2024, 3, 15),
        now=datetime(2024, 3, 15, 12),
    )
    assert make_forecast(world, 2024).row("Wmo begeleiding").budget == 12_000
    load_budgets_rows(
        world,
        tmp_path,
        [budget("Wmo begeleiding", 15_000, categories="02", version_date="2024-09-01")],
        extracted_on=date(2024, 9, 1),
        now=datetime(2024, 9, 1, 12),
    )
    # a change dated after the data moment is not yet in force
    assert make_forecast(world, 2024).row("Wmo begeleiding").budget == 12_000


def test_a_budget_allocation_commits_only_what_is_left_of_its_budget(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocation_rows(warehouse, tmp_path, [
        allocation("B1", client="C1", category="02", product_code="02A01", provider_code=P1, start="2024-01-01",
                   end="2024-06-30", volume="120000", unit="83", frequency="6"),
    ])  # fmt: skip
    lines = monthly_lines("B1", "C1", range(1, 4), 200, volume="20000", unit="83")
    load_declarations_rows(warehouse, tmp_path, lines, extracted_on=T)
    load_budgets_rows(warehouse, tmp_path, [budget("Wmo begeleiding", 10_000, categories="02")])
    forecast = make_forecast(warehouse, 2024)
    line = forecast.row("Wmo begeleiding")
    assert line.realised == pytest.approx(600)
    assert line.committed == pytest.approx(1200 - 600)  # spread over April..June by days
    path = forecast.paths["Wmo begeleiding"]
    assert path[4].expected == pytest.approx(600 * 31 / 91)


def test_an_open_allocation_runs_by_the_kaplan_meier_survival_of_its_product(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # twenty allocations of 04A01 in 2022 that each ran exactly 100 days, and one open one from 1 March 2024
    past = [
        allocation(f"H{i}", client=f"H{i}", category="04", product_code="04A01", provider_code=P2,
                   start="2022-01-01", end="2022-04-10", volume="8", unit="04", frequency="4")
        for i in range(20)
    ]  # fmt: skip
    now = allocation("O1", client="C1", category="04", product_code="04A01", provider_code=P2,
                     start="2024-03-01", end=None, volume="8", unit="04", frequency="4")  # fmt: skip
    load_allocation_rows(warehouse, tmp_path, [*past, now])
    lines = monthly_lines("O1", "C1", range(3, 4), 480, product_category="04", product_code="04A01")
    load_declarations_rows(warehouse, tmp_path, [{**r, "provider_code": P2} for r in lines], extracted_on=T)
    load_tariffs_rows(
        warehouse,
        tmp_path,
        [{"product_code": "04A01", "unit": "04", "tariff": 60, "valid_from": "2020-01-01"}],
    )
    load_budgets_rows(warehouse, tmp_path, [budget("Wmo", 10_000)])
    path = make_forecast(warehouse, 2024).paths["Wmo"]
    # age 31 days at T; mid-April 46, mid-May 76 (< 100: running); mid-June 107 (every one had ended)
    assert [round(p.expected, 2) for p in path[3:7]] == [480.0, 480.0, 0.0, 0.0]


def test_a_provider_at_seventy_percent_of_its_spending_room_is_alerted(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocation_rows(warehouse, tmp_path, [
        allocation("A1", client="C1", category="02", product_code="02A01", provider_code=P1, start="2024-01-01",
                   end="2024-09-30", volume="8", unit="04", frequency="4"),
    ], extracted_on=date(2024, 9, 30))  # fmt: skip
    lines = monthly_lines("A1", "C1", range(1, 10), 400)
    load_declarations_rows(warehouse, tmp_path, lines, extracted_on=date(2024, 9, 30))
    load_budgets_rows(warehouse, tmp_path, [
        budget("Wmo", 100_000), budget("Ruimte P1", 5_000, provider=P1),
    ])  # fmt: skip
    forecast = make_forecast(warehouse, 2024, by="provider")
    room = forecast.row(P1)
    assert room.kind == "room" and room.budget == 5_000 and room.realised == pytest.approx(3_600)
    assert room.warning == "70% bestedingsruimte"
    assert forecast.records()[0]["provider"] == P1


def test_the_replay_uses_only_the_loads_extracted_by_then(world: Warehouse, tmp_path: Path) -> None:
    before = make_forecast(world, 2024, as_of=T)
    # a later export: April declared, and a late March correction
    later = [
        *monthly_lines("A1", "C1", range(4, 5), 480),
        declaration(declaration_id="X1", allocation_id="A1", client_id="C1", period_start="2024-03-01",
                    period_end="2024-03-31", amount="40.00", submitted_on="2024-04-20", provider_code=P1),
    ]  # fmt: skip
    load_declarations_rows(world, tmp_path, later, extracted_on=date(2024, 4, 30))
    load_allocation_rows(world, tmp_path, [
        allocation("A1", client="C1", category="02", product_code="02A01", provider_code=P1, start="2024-01-01",
                   end="2024-06-30", volume="8", unit="04", frequency="4"),
    ], extracted_on=date(2024, 4, 30))  # fmt: skip
    again = make_forecast(world, 2024, as_of=T)
    assert again.rows == before.rows and not again.approximated
    assert (again.as_of, again.moment) == (T, T)
    now = make_forecast(world, 2024)
    assert now.moment == date(2024, 4, 30)
    assert now.row("Wmo begeleiding").realised == pytest.approx(4 * 480 + 40)


def test_late_declarations_of_earlier_years_are_a_memo_line_of_the_bridge(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocation_rows(warehouse, tmp_path, [
        allocation("A1", client="C1", category="02", product_code="02A01", provider_code=P1, start="2023-12-01",
                   end="2024-06-30", volume="8", unit="04", frequency="4"),
    ])  # fmt: skip
    late = monthly_lines("A1", "C1", range(12, 13), 480, year=2023, lag_days=50)  # submitted 19 February 2024
    load_declarations_rows(
        warehouse, tmp_path, [*late, *monthly_lines("A1", "C1", range(1, 4), 480)], extracted_on=T
    )
    load_budgets_rows(warehouse, tmp_path, [budget("Wmo", 10_000, version_date="2024-01-01")])
    forecast = make_forecast(warehouse, 2024)
    assert forecast.row("Wmo").realised == pytest.approx(3 * 480)  # December 2023 is not a cost of 2024
    prior = late_prior(warehouse, forecast)
    assert prior == {"Wmo": pytest.approx(480)}  # nothing was reserved on 31 December 2023 (no history then)
    memo = next(r for r in bridge(forecast, prior) if r.effect == "late_prior")
    assert memo.amount == 480.0 and not memo.in_sum


def history(warehouse: Warehouse, tmp_path: Path) -> None:
    """Three open Wmo begeleiding allocations from 2022, declared monthly 20 days after each month, known
    from one export of 30 June 2024 (so every replay is approximated from business dates)."""
    rows = [
        allocation(f"A{i}", client=f"C{i}", category="02", product_code="02A01", provider_code=P1,
                   start="2022-01-01", end=None, volume="8", unit="04", frequency="4",
                   decision_date="2021-12-15")
        for i in range(3)
    ]  # fmt: skip
    load_allocation_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 6, 30))
    lines = []
    for i in range(3):
        for year, months in (
            (2022, range(1, 13)),
            (2023, range(1, 13)),
            (2024, range(1, 6)),
        ):
            lines += monthly_lines(f"A{i}", f"C{i}", months, 480, year=year, lag_days=20)
    load_declarations_rows(warehouse, tmp_path, lines, extracted_on=date(2024, 6, 30))
    load_tariffs_rows(
        warehouse,
        tmp_path,
        [{"product_code": "02A01", "unit": "04", "tariff": 60, "valid_from": "2020-01-01"}],
    )
    load_budgets_rows(warehouse, tmp_path, [
        {**budget("Wmo", 40_000, version_date="2023-01-01"), "year": 2023},
        budget("Wmo", 40_000, version_date="2024-01-01"),
    ])  # fmt: skip


@pytest.mark.slow
def test_the_backtest_reports_mape_and_the_run_rate_using_only_data_known_at_each_month_end(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    history(warehouse, tmp_path)
    first = backtest(warehouse, years=[2023])
    assert first.years == (2023,)
    rows = {(r.budget_line, r.month): r for r in first.rows}
    assert {m for line, m in rows if line == "Wmo"} == set(range(1, 13))
    outcome = 3 * 12 * 480
    assert rows[("Wmo", 1)].years == 1
    # the run-rate at the end of January knows nothing yet (declared 20 days after the month)
    assert rows[("Wmo", 1)].mape_runrate == pytest.approx(1.0)
    # commitments, tariff and utilisation are exact here, so the forecast hits the outcome at every month end;
    # the run-rate misses the month still to be declared: 1/m
    assert [rows[("Wmo", m)].mape_forecast for m in range(1, 13)] == [pytest.approx(0.0, abs=1e-9)] * 12
    assert [rows[("Wmo", m)].mape_runrate for m in range(1, 13)] == [
        pytest.approx(1 / m) for m in range(1, 13)
    ]
    assert all(rows[("Wmo", m)].beats_runrate for m in range(1, 13))
    assert make_forecast(warehouse, 2023).row("Wmo").forecast == pytest.approx(outcome)
    # later data (a new allocation and declarations of the second half of 2024) change nothing of 2023's test
    load_allocation_rows(warehouse, tmp_path, [
        allocation("N1", client="N1", category="02", product_code="02A01", provider_code=P1, start="2024-07-01",
                   volume="8", unit="04", frequency="4", decision_date="2024-06-20"),
    ], extracted_on=date(2024, 9, 30))  # fmt: skip
    load_declarations_rows(
        warehouse,
        tmp_path,
        monthly_lines("N1", "N1", range(7, 9), 480, lag_days=20),
        extracted_on=date(2024, 9, 30),
    )
    assert backtest(warehouse, years=[2023]).rows == first.rows


def test_a_forecast_keeps_the_day_asked_apart_from_its_data_moment(world: Warehouse) -> None:
    asked = T + timedelta(days=10)
    later = make_forecast(world, 2024, as_of=asked)
    assert (later.as_of, later.moment) == (asked, T)
    assert later.rows == make_forecast(world, 2024).rows


def test_an_approximated_replay_reads_the_utilisation_only_from_declarations_submitted_by_then(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    loaded = date(2024, 6, 30)  # every load after the replay's day: declarations and allocations approximated
    load_allocation_rows(warehouse, tmp_path, [
        allocation("A1", client="C1", category="02", product_code="02A01", provider_code=P1, start="2023-01-01",
                   end="2024-12-31", volume="8", unit="04", frequency="4"),
    ], extracted_on=loaded)  # fmt: skip
    load_declarations_rows(
        warehouse, tmp_path, monthly_lines("A1", "C1", range(1, 13), 480, year=2023), extracted_on=loaded
    )
    load_tariffs_rows(warehouse, tmp_path, [
        {"product_code": "02A01", "unit": "04", "tariff": 60, "valid_from": "2023-01-01"},
    ])  # fmt: skip
    load_budgets_rows(warehouse, tmp_path, [budget("Wmo begeleiding", 10_000, categories="02")])
    day = date(2024, 3, 31)
    before = make_forecast(warehouse, 2024, as_of=day)
    assert before.approximated and before.row("Wmo begeleiding").committed > 0
    # submitted in May 2024: eight more hours in October 2023, a month long complete on 31 March
    extra = monthly_lines("A1", "C1", range(10, 11), 480, year=2023, prefix="X", lag_days=200)
    load_declarations_rows(warehouse, tmp_path, extra, extracted_on=date(2024, 7, 31), source="nagekomen")
    assert make_forecast(warehouse, 2024, as_of=day).rows == before.rows
    assert (
        make_forecast(warehouse, 2024).row("Wmo begeleiding").committed
        != before.row("Wmo begeleiding").committed
    )
