"""The finance parts of the quarterly and half-year reports on a real warehouse: with declarations and
budgets loaded they show the forecast, the bridge and the warnings; without them the report is still made and
its finance parts say that no finance data are loaded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sdmonitor.domain.periods import parse_label
from sdmonitor.errors import InputError
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics.forecast import make_forecast
from sdmonitor.reports import finance
from sdmonitor.reports.build import build_report, forecast_or_reason, money_loaded
from sdmonitor.reports.keyfigures import NO_DECLARATIONS
from sdmonitor.reports.render_html import render_html
from sdmonitor.reports.render_xlsx import write_xlsx
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import apply_targets, builtin_path, read_template
from sdmonitor.warehouse import Warehouse, open_warehouse
from tests.builders import allocation, write_csv
from tests.money_builders import declaration, load_declarations_rows
from tests.money_builders_reference import load_budgets_rows
from tests.web.test_finance_page import fill, load_room

ALLOCATIONS = [allocation(f"a{i}", client=f"C{i}", start="2023-01-01", end=None) for i in range(12)]


def load(warehouse: Warehouse, tmp_path: Path) -> None:
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", ALLOCATIONS), LoadOptions(),
                     now=datetime(2023, 4, 5))  # fmt: skip


def test_a_report_without_declarations_or_budgets_says_no_finance_data_are_loaded(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, tmp_path)
    template = read_template(builtin_path("kwartaal"))
    report = build_report(warehouse, template, parse_label("2023-Q1"), as_of=None)
    parts = {s.section.name: s for s in report.sections if not s.section.is_metric}
    assert set(parts) == {"financieel_overzicht", "verklaring_verschil", "uitputting"}
    assert all(part.note == finance.NO_FINANCE_DATA and not part.table.rows for part in parts.values())
    money_kpis = [k for k in report.kpis if k.kpi.metric == "costs"]
    assert all(not k.has_data and k.missing_text == NO_DECLARATIONS for k in money_kpis)
    html, unknown = render_html(report, {}, today=date(2023, 4, 10))
    assert unknown == [] and "Geen financiële gegevens geladen" in html


def test_a_finance_section_takes_only_a_name_a_title_and_its_kind(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    base = "name: t\ngrain: quarter\nsections:\n  - {name: geld, title: Geld, kind: %s}\n"
    path.write_text(base % "budget")
    (section,) = read_template(path).sections
    assert section.kind == "budget" and not section.is_metric
    path.write_text(base % "begroting")
    with pytest.raises(InputError, match="kind 'begroting' is onbekend"):
        read_template(path)
    path.write_text("name: t\nsections:\n  - {name: geld, kind: bridge, metric: clients, by: [law]}\n")
    with pytest.raises(InputError, match="kent geen by, metric"):
        read_template(path)


def test_the_quarterly_report_has_the_finance_table_bridge_and_cost_per_client_corrected(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)  # Wmo begeleiding € 6.000 realised against € 5.000; 15 clients in January
    with open_warehouse(db, read_only=True) as warehouse:
        template = read_template(builtin_path("kwartaal"))
        report = build_report(warehouse, template, parse_label("2024-Q1"), as_of=None, policy=Policy(5))
    parts = {s.section.name: s for s in report.sections}
    overview = parts["financieel_overzicht"].table
    assert overview.headers[1:3] == ("Begroting 2024", "Verwachting 2024")
    assert [row[0].text for row in overview.rows] == [
        "Wmo begeleiding", "Hulp bij het huishouden", "niet begroot", "Totale kosten",
    ]  # fmt: skip
    assert overview.rows[0][1].text == "€ 5.000" and overview.rows[-1][1].text == "€ 55.000"
    assert "zoals bekend op 10-03-2024" in parts["financieel_overzicht"].note
    bridge = parts["verklaring_verschil"].table
    assert {row[1].text for row in bridge.rows} >= {
        "Indexatie",
        "Overig",
        "Verschil verwachting t.o.v. begroting",
    }
    assert "bestedingsruimte" not in parts  # no spending rooms loaded: no part for them
    depletion = parts["uitputting"]
    assert any(item.startswith("Wmo begeleiding:") for item in depletion.items)
    # privacy: three clients behind 'Hulp bij het huishouden' hide its amounts (and the other line's): no charts
    assert depletion.charts == ()
    kpis = {k.kpi.name: k for k in report.kpis}
    nominal, corrected = kpis["kosten_per_klant"], kpis["kosten_per_klant_gecorrigeerd"]
    assert nominal.has_data and nominal.measure == "cost_per_client"
    assert nominal.value == pytest.approx((12 * 250 + 3 * 100 + 12 * 250) / 15)  # Q1: 15 clients with costs
    assert corrected.measure == "cost_per_client_prices_2024"
    assert corrected.kpi.title.endswith("(prijzen 2024, reeks vng-ova-ppc)")
    assert corrected.value == pytest.approx(nominal.value)  # costs of 2024 in the prices of 2024
    html, unknown = render_html(report, {}, today=date(2024, 3, 11))
    assert unknown == [] and "Begroting 2024" in html and "Financieel overzicht" in html
    write_xlsx(report, tmp_path / "kwartaal.xlsx", Policy(5))
    assert (tmp_path / "kwartaal.xlsx").stat().st_size > 0


def test_an_analyst_sees_the_depletion_chart_of_every_line(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)
    with open_warehouse(db, read_only=True) as warehouse:
        template = read_template(builtin_path("kwartaal"))
        report = build_report(warehouse, template, parse_label("2024-Q1"), as_of=None, policy=Policy(1))
        forecast = make_forecast(warehouse, 2024)
    depletion = next(s for s in report.sections if s.section.name == "uitputting")
    assert len(depletion.charts) == 2
    (line,) = [row for row in forecast.rows if row.budget_line == "Wmo begeleiding"]
    # € 6.000 realised in January and February (plus the late declarations expected) against € 5.000
    assert line.depletion_date is not None and date(2024, 2, 1) <= line.depletion_date < date(2024, 3, 1)
    html, _ = render_html(report, {}, today=date(2024, 3, 11), policy=Policy(1))
    assert f"uitgeput {line.depletion_date:%d-%m-%Y}" in html


def test_the_half_year_report_has_costs_per_law_and_product_and_the_ten_costliest_providers(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)
    halfjaar = read_template(builtin_path("halfjaar"))
    # the costs sections only: the monthly flows of the rest would refuse months after the data moment
    money = replace(halfjaar, sections=tuple(s for s in halfjaar.sections if s.metric == "costs"))
    assert [s.name for s in money.sections] == ["kosten", "kosten_per_client", "top_aanbieders_kosten"]
    with open_warehouse(db, read_only=True) as warehouse:
        report = build_report(warehouse, money, parse_label("2024-H1"), as_of=None, policy=Policy(1))
    parts = {s.section.name: s for s in report.sections}
    costs = parts["kosten"].shown
    assert [cell.text for cell in costs.rows[0][:2]] == ["Wmo", "01 Hulp bij het huishouden"]
    assert costs.rows[0][2].value == pytest.approx(300)
    per_client = parts["kosten_per_client"].table
    assert "cost_per_client_month" in per_client.columns
    top = parts["top_aanbieders_kosten"].shown
    assert [row[0].value for row in top.rows] == ["12345678"]


def test_a_cost_per_client_in_prices_of_a_year_without_an_index_says_why_and_the_report_is_still_made(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)
    kwartaal = read_template(builtin_path("kwartaal"))
    template = replace(kwartaal, kpis=tuple(
        replace(k, prices=1990) if k.name == "kosten_per_klant_gecorrigeerd" else k for k in kwartaal.kpis
    ))  # fmt: skip
    with open_warehouse(db, read_only=True) as warehouse:
        report = build_report(warehouse, template, parse_label("2024-Q1"), as_of=None, policy=Policy(5))
    kpis = {k.kpi.name: k for k in report.kpis}
    assert kpis["kosten_per_klant"].has_data
    corrected = kpis["kosten_per_klant_gecorrigeerd"]
    assert not corrected.has_data
    assert corrected.missing_text.startswith("Niet te corrigeren voor indexatie: Geen indexcijfer voor")


def test_budgets_without_declarations_still_give_a_report_that_says_so(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, tmp_path)
    load_budgets_rows(warehouse, tmp_path, [{"year": 2023, "budget_line": "Wmo", "amount": 1000, "law": "WMO"}],
                      extracted_on=date(2023, 1, 15))  # fmt: skip
    report = build_report(
        warehouse, read_template(builtin_path("kwartaal")), parse_label("2023-Q1"), as_of=None
    )
    parts = [s for s in report.sections if not s.section.is_metric]
    assert all(part.note == finance.NO_FINANCE_DATA for part in parts)


def test_a_year_without_budget_lines_says_which_budgets_to_load(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)  # budgets for 2024 only
    with open_warehouse(db, read_only=True) as warehouse:
        view, reason = forecast_or_reason(warehouse, 2023, None, money_loaded(warehouse))
    assert reason == finance.NO_BUDGETS.format(year=2023)
    assert view is None or not view.has_budgets


def test_costs_over_a_period_after_the_declarations_data_moment_say_so_and_the_report_is_made(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)  # declarations exported on 10 March 2024
    halfjaar = read_template(builtin_path("halfjaar"))
    money = replace(
        halfjaar, summary=(), sections=tuple(s for s in halfjaar.sections if s.name == "kosten_per_client")
    )
    with open_warehouse(db, read_only=True) as warehouse:
        (section,) = build_report(
            warehouse, money, parse_label("2024-H2"), as_of=None, policy=Policy(1)
        ).sections
    assert section.note.startswith("Geen kosten: Periode 2024-H2 ligt na het datamoment 10-03-2024")
    assert section.table.rows == ()


def test_the_cost_per_client_target_comes_from_the_targets_file_and_lower_is_better(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)  # Q1 2024: € 6.300 over 15 clients = € 420 per client
    targets = tmp_path / "streefwaarden.yaml"
    targets.write_text("kosten_per_klant: 400\nkosten_per_klant_gecorrigeerd: 450\n", encoding="utf-8")
    template = apply_targets(read_template(builtin_path("kwartaal")), targets)
    with open_warehouse(db, read_only=True) as warehouse:
        report = build_report(warehouse, template, parse_label("2024-Q1"), as_of=None, policy=Policy(5))
    kpis = {k.kpi.name: k for k in report.kpis}
    assert kpis["kosten_per_klant"].meets_target is False  # 420 > 400
    assert kpis["kosten_per_klant_gecorrigeerd"].meets_target is True  # 420 <= 450
    assert kpis["kosten_per_klant_gecorrigeerd"].target_text == "450,00"


def test_the_bridge_shows_the_late_declarations_of_earlier_years_instead_of_niet_te_bepalen(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)
    december = declaration(declaration_id="L1", allocation_id="tB00", client_id="B00", period_start="2023-12-01",
                           period_end="2023-12-31", submitted_on="2024-01-10")  # fmt: skip
    with open_warehouse(db) as warehouse:
        load_declarations_rows(
            warehouse, tmp_path, [december], extracted_on=date(2024, 3, 10), source="nagekomen"
        )
    with open_warehouse(db, read_only=True) as warehouse:
        view = finance.finance_view(warehouse, 2024, as_of=None)
    table = finance.bridge_table(view, None)
    memo = {r[0].text: r[2].text for r in table.rows if r[1].value == "Nagekomen declaraties eerdere jaren"}
    assert memo["Wmo begeleiding"] == "€ 250"
    assert memo["Hulp bij het huishouden"] == "€ 0"


def test_the_quarterly_report_shows_the_spending_rooms_per_provider_when_they_are_loaded(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)
    load_room(db, tmp_path)  # € 1.000 for the three clients of hulp bij het huishouden of 12345678
    with open_warehouse(db, read_only=True) as warehouse:
        template = read_template(builtin_path("kwartaal"))
        report = build_report(warehouse, template, parse_label("2024-Q1"), as_of=None, policy=Policy(5))
    parts = {s.section.name: s for s in report.sections}
    rooms = parts["bestedingsruimte"]
    assert rooms.table.headers[:2] == ("Aanbieder", "Bestedingsruimte")
    (row,) = rooms.table.rows
    assert row[0].text == "12345678" and row[1].text == "€ 1.000"
    assert row[2].hidden and row[4].hidden  # three clients: only the room shows
    assert "70 %" in rooms.note
    write_xlsx(report, tmp_path / "kwartaal.xlsx", Policy(5))
    workbook = load_workbook(tmp_path / "kwartaal.xlsx")
    (sheet,) = (workbook[name] for name in workbook.sheetnames if name.startswith("Uitputting"))
    shares = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, float) and 0 < c.value < 1]
    assert shares and all(c.number_format == "0.0%" for c in shares)  # 'Deel van het jaar' as a percentage
