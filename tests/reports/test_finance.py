"""The finance parts of reports and the dashboard (reports/finance.py) from forecasts made by the forecast's
own arithmetic (metrics/forecast_model.py): seed 003's table, the bridge, the warnings and the chart."""

from __future__ import annotations

from datetime import date

import pytest

from sdmonitor.metrics.forecast_model import (
    Forecast,
    ForecastRow,
    LineInputs,
    bridge_rows,
    forecast_line,
    new_allocation_costs,
)
from sdmonitor.metrics.runoff import CompletionFactors, month_number
from sdmonitor.reports import finance
from sdmonitor.reports.charts import to_svg
from sdmonitor.reports.suppression import Policy

VIEWER = Policy(threshold=5, round_to_5=True)


def row(line: str, budget: float | None, forecast: float, *, clients: int = 500, warning: str = "",
        kind: str = "line") -> ForecastRow:  # fmt: skip
    """A forecast row with only budget and forecast (the rest in 'committed')."""
    return ForecastRow(
        budget_line=line, budget=budget, realised=0.0, late_expected=0.0, committed=forecast, new_expected=0.0,
        forecast=forecast, difference=None if budget is None else budget - forecast, share_used=0.0,
        share_of_year=0.25, depletion_date=None, warning=warning, kind=kind, paid_clients=clients,
    )  # fmt: skip


SEED_003 = Forecast(
    year=2023,
    as_of=date(2023, 4, 5),
    moment=date(2023, 3, 31),
    by="budget_line",
    rows=(
        row("Jeugdzorg", 11_364_000, 11_919_000, warning="overschrijding"),
        row("WMO", 8_512_000, 8_852_000, warning="overschrijding"),
        row("Wijkteam", 4_424_000, 4_229_000),
        row("Overhead", 2_290_000, 2_416_000, warning="overschrijding"),
    ),
)


def texts(table: finance.TableModel) -> list[list[str]]:
    return [[cell.text for cell in r] for r in table.rows]


def test_the_budget_table_is_seed_003s_financieel_overzicht() -> None:
    table = finance.budget_table(finance.view_of(SEED_003), VIEWER)
    assert table.headers == (
        "Begrotingspost", "Begroting 2023", "Verwachting 2023", "Verschil begroting t.o.v. verwachting 2023",
    )  # fmt: skip
    assert texts(table) == [
        ["Jeugdzorg", "€ 11.364.000", "€ 11.919.000", "€ -555.000"],
        ["WMO", "€ 8.512.000", "€ 8.852.000", "€ -340.000"],
        ["Wijkteam", "€ 4.424.000", "€ 4.229.000", "€ 195.000"],
        ["Overhead", "€ 2.290.000", "€ 2.416.000", "€ -126.000"],
        ["Totale kosten", "€ 26.590.000", "€ 27.416.000", "€ -826.000"],
    ]
    assert table.has_total and table.summary_rows == 1


def test_costs_under_no_line_appear_as_niet_begroot_without_a_budget() -> None:
    forecast = Forecast(2023, None, date(2023, 3, 31), "budget_line", (
        row("Jeugdzorg", 1_000_000, 900_000), row("niet begroot", None, 50_000, kind="not_budgeted"),
    ))  # fmt: skip
    table = finance.budget_table(finance.view_of(forecast), None)
    assert texts(table)[1] == ["niet begroot", "", "€ 50.000", ""]
    assert texts(table)[2] == ["Totale kosten", "€ 1.000.000", "€ 950.000", "€ 50.000"]


def test_a_line_with_few_clients_hides_its_amounts_and_another_line_with_it_but_never_its_budget() -> None:
    forecast = Forecast(2023, None, date(2023, 3, 31), "budget_line", (
        row("Jeugdzorg", 1_000_000, 900_000, clients=300),
        row("Wmo", 500_000, 450_000, clients=200),
        row("Vervoer", 20_000, 18_000, clients=3),
    ))  # fmt: skip
    view = finance.view_of(forecast)
    shown = texts(finance.budget_table(view, VIEWER))
    assert shown[2] == ["Vervoer", "€ 20.000", "x", "x"]
    assert shown[1] == ["Wmo", "€ 500.000", "x", "x"]  # the smallest other line: the total gives nothing away
    assert shown[0][2] == "€ 900.000"
    assert texts(finance.budget_table(view, None))[2] == ["Vervoer", "€ 20.000", "€ 18.000", "€ 2.000"]
    assert all(
        "€ 18.000" not in cell for line in texts(finance.forecast_table(view, VIEWER)) for cell in line
    )


def example_f(budget: float) -> LineInputs:
    """Worked example F of docs/design/money.md §3.5 (the forecast's own test data)."""
    jan, feb, mar = (month_number(date(2024, m, 1)) for m in (1, 2, 3))
    later = range(month_number(date(2024, 4, 1)), month_number(date(2024, 12, 1)) + 1)
    factors = CompletionFactors((1.0,) * 24, (0.30, 0.80, 0.95, *(1.0,) * 22))
    b = {m: 8 * 60 * 0.75 for m in later if m <= month_number(date(2024, 6, 1))}
    return LineInputs(
        name="Wmo begeleiding", budget=budget, factors=factors, realised={jan: 1000, feb: 900, mar: 300},
        expected={jan: 1000, feb: 1000, mar: 1000},
        committed={m: b.get(m, 0.0) + 10 * 60 * 0.9 for m in later},
        new_expected=new_allocation_costs({m: 0.2 for m in later}, [300.0] * 12, 2024), paid_clients=40,
    )  # fmt: skip


def forecast_f(budget: float) -> Forecast:
    line, path = forecast_line(example_f(budget), 2024, date(2024, 3, 31))
    return Forecast(
        2024, date(2024, 3, 31), date(2024, 3, 31), "budget_line", (line,), {line.budget_line: path}
    )


def test_the_depletion_warning_names_the_overspend_the_date_and_the_share_of_the_year() -> None:
    view = finance.view_of(forecast_f(10_000))
    assert finance.warning_sentences(view, VIEWER) == (
        "Wmo begeleiding: de verwachting (€ 11.790) ligt € 1.790 boven de begroting van € 10.000; het budget is "
        "naar verwachting op 10-11-2024 uitgeput; 31,5 % van het budget is gebruikt, terwijl 24,9 % van het "
        "jaar voorbij is.",
    )
    assert finance.warning_sentences(finance.view_of(forecast_f(12_000)), VIEWER) == ()


def test_the_forecast_table_has_every_part_and_the_depletion_date() -> None:
    table = finance.forecast_table(finance.view_of(forecast_f(10_000)), None)
    line = dict(zip(table.columns, texts(table)[0], strict=True))
    assert line == {
        "budget_line": "Wmo begeleiding", "budget": "€ 10.000", "realised": "€ 2.200", "late_expected": "€ 950",
        "committed": "€ 5.940", "new_expected": "€ 2.700", "forecast": "€ 11.790", "difference": "€ -1.790",
        "share_used": "31,5 %", "share_of_year": "24,9 %", "depletion_date": "10-11-2024",
        "warning": "overschrijding, loopt voor",
    }  # fmt: skip


def test_the_path_is_solid_up_to_the_forecasts_month_and_dashed_after() -> None:
    line = finance.view_of(forecast_f(10_000)).lines[0]
    assert line.path[0].day == "2024-01-01" and line.path[0].cumulative == 0
    assert [(p.day, round(p.cumulative), p.realised) for p in line.path[3:5]] == [
        ("2024-03-31", 3150, True), ("2024-04-30", 4110, False),
    ]  # fmt: skip


def test_the_finance_chart_draws_the_budget_and_the_depletion_line() -> None:
    line = finance.view_of(forecast_f(10_000)).lines[0]
    spec = finance.depletion_chart(line, 2024)
    assert spec is not None
    drawn = spec["layer"][0]["data"]["values"]
    assert {v["series"] for v in drawn} == {"gerealiseerd", "verwacht"}
    # the dashed part starts where the solid part ends, so the line is unbroken
    assert next(v for v in drawn if v["series"] == "verwacht")["day"] == "2024-03-31"
    assert spec["layer"][1]["data"]["values"] == [{"budget": 10_000, "label": "begroting"}]
    assert spec["layer"][2]["data"]["values"][0]["day"] == "2024-11-10"
    svg = to_svg(spec)
    assert "uitgeput 10-11-2024" in svg and "begroting" in svg


def test_the_bridge_table_adds_up_to_the_overspend_and_always_shows_the_residual() -> None:
    effects = bridge_rows("Jeugdzorg", budget=1_000_000, forecast=1_100_000, budgeted_clients=500,
                          forecast_clients=520, budgeted_index=5.02, actual_index=6.82)  # fmt: skip
    forecast = Forecast(
        2023, None, date(2023, 3, 31), "budget_line", (row("Jeugdzorg", 1_000_000, 1_100_000),)
    )
    view = finance.view_of(forecast, effects)
    table = finance.bridge_table(view, None)
    amounts = {r[1].value: r[2].value for r in table.rows}
    assert amounts["Indexatie"] == pytest.approx(17_139.59)
    assert amounts["Overig"] == pytest.approx(0.01)
    assert amounts["totaal"] == pytest.approx(100_000)
    in_sum = [e.amount for e in view.bridges[0].effects if not e.memo and e.amount is not None]
    assert sum(in_sum) == pytest.approx(100_000)
    assert "Nagekomen declaraties eerdere jaren (memo, niet in de som)" in [r[1].text for r in table.rows]
    (sentence,) = finance.bridge_sentences(view, None)
    assert sentence.startswith("Jeugdzorg: de verwachting ligt € 100.000 hoger dan de begroting")


def test_without_budgeted_clients_the_bridge_says_volume_and_intensity_cannot_be_split() -> None:
    effects = bridge_rows("Wmo", budget=1_000_000, forecast=1_100_000, budgeted_clients=None,
                          forecast_clients=520, budgeted_index=5.02, actual_index=6.82)  # fmt: skip
    forecast = Forecast(2023, None, date(2023, 3, 31), "budget_line", (row("Wmo", 1_000_000, 1_100_000),))
    table = finance.bridge_table(finance.view_of(forecast, effects), None)
    shown = {r[1].value: r[2].text for r in table.rows}
    assert shown["Meer/minder cliënten"] == "niet te bepalen"
    notes = {r[1].value: r[3].text for r in table.rows}
    assert (
        notes["Meer/minder cliënten"]
        == "volume en intensiteit niet te splitsen: geen begroot aantal cliënten"
    )
    assert shown["Overig"] == "€ 82.860"  # 100,000 - 17,139.59: volume and intensity together
    assert "geen begroot aantal cliënten" in finance.view_of(forecast, effects).bridges[0].note


def test_amounts_are_shown_as_seed_003_prints_them() -> None:
    assert finance.euro(-555_000.4) == "€ -555.000"
    assert finance.euro(1_685.08) == "€ 1.685"
    assert finance.euro_cents(1_685.084) == "€ 1.685,08"
    assert finance.percent(0.2637) == "26,4 %"
