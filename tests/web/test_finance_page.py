"""The finance page (``/financien``) and the warnings on the overview, on a warehouse of its own: twelve Wmo
clients with begeleiding from January 2024, declared for January and February, and one overspent budget line.

    12 clients x 2 months x € 250 = € 6.000 realised; budget 'Wmo begeleiding' 2024: € 5.000
    'Hulp bij het huishouden' 2024: € 50.000 with 3 clients (€ 100 each in January): a small line

Loaded as an export of 10 March 2024 (the data moment).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports import finance
from sdmonitor.warehouse import open_warehouse
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages import PAGES_BY_NAME, Page
from sdmonitor.web.pages.financien import web_table
from sdmonitor.web.settings import WebSettings
from sdmonitor.web.store import User
from sdmonitor.web.tables import to_xlsx
from tests.builders import allocation, write_csv
from tests.money_builders import declaration, load_declarations_rows
from tests.money_builders_reference import load_budgets_rows
from tests.reports.test_finance import forecast_f

SINCE = datetime(2024, 3, 10, 12)
ANALYST = Viewer(User(1, "anna", Role.ANALYST, "", 0, SINCE, SINCE))
VIEWER = Viewer(User(2, "kees", Role.VIEWER, "", 0, SINCE, SINCE))
BEGELEIDING = [f"B{i:02d}" for i in range(12)]
HUISHOUDEN = ["H1", "H2", "H3"]


def fill(db: Path, tmp_path: Path) -> None:
    """The allocations, declarations and budgets of the module docstring, in the warehouse at ``db``."""
    allocations = [
        allocation(f"t{c}", client=c, category="02", product_code="02A01", provider_code="12345678", start="2024-01-01", end=None)
        for c in BEGELEIDING
    ] + [allocation(f"t{c}", client=c, category="01", product_code="01A01", provider_code="12345678", start="2024-01-01", end=None)
         for c in HUISHOUDEN]  # fmt: skip
    lines = [
        declaration(declaration_id=f"{c}-{m}", allocation_id=f"t{c}", client_id=c, period_start=f"2024-0{m}-01",
                    period_end=f"2024-0{m}-{28 if m == 2 else 31}", submitted_on=f"2024-0{m + 1}-05")
        for c in BEGELEIDING for m in (1, 2)
    ] + [
        declaration(declaration_id=f"{c}-1", allocation_id=f"t{c}", client_id=c, product_category="01",
                    product_code="01A01", amount="100.00", period_start="2024-01-01", period_end="2024-01-31",
                    submitted_on="2024-02-05")
        for c in HUISHOUDEN
    ]  # fmt: skip
    with open_warehouse(db) as warehouse:
        load_allocations(warehouse, write_csv(tmp_path / "t.csv", allocations), LoadOptions(), now=SINCE)
        load_declarations_rows(warehouse, tmp_path, lines, extracted_on=date(2024, 3, 10))
        load_budgets_rows(warehouse, tmp_path, [
            {"year": 2024, "budget_line": "Wmo begeleiding", "amount": 5000, "law": "WMO",
             "product_categories": "02"},
            {"year": 2024, "budget_line": "Hulp bij het huishouden", "amount": 50000, "law": "WMO",
             "product_categories": "01"},
        ], extracted_on=date(2024, 1, 15))  # fmt: skip


@pytest.fixture
def dash(tmp_path: Path) -> Iterator[Dashboard]:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)
    dashboard = Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))
    yield dashboard
    dashboard.close()


def build(dash: Dashboard, who: Viewer, **params: str) -> Page:
    return PAGES_BY_NAME["financien"].build(dash, who, params)


def rows(page: Page, table: str) -> dict[str, list[str]]:
    return {row[0].text: [cell.text for cell in row[1:]] for row in page.tables[table].rows}


def test_the_finance_page_shows_budget_forecast_and_a_depletion_chart_per_line(dash: Dashboard) -> None:
    page = build(dash, ANALYST)
    assert page.selection == "2024"
    budget = rows(page, "begroting")
    assert budget["Wmo begeleiding"][0] == "€ 5.000"
    assert budget["Totale kosten"][0] == "€ 55.000"
    forecast = page.tables["verwachting"]
    realised = forecast.columns.index("realised")
    line = next(row for row in forecast.rows if row[0].value == "Wmo begeleiding")
    assert line[realised].value == pytest.approx(6000)
    warnings = page.context["warnings"]
    assert any(w.startswith("Wmo begeleiding:") and "boven de begroting van € 5.000" in w for w in warnings)
    charts = {chart["title"]: chart["svg"] for chart in page.context["line_charts"]}
    assert set(charts) == {"Wmo begeleiding", "Hulp bij het huishouden"}
    assert "uitgeput" in charts["Wmo begeleiding"] and "begroting" in charts["Wmo begeleiding"]
    assert "uitgeput" not in charts["Hulp bij het huishouden"]


def test_a_viewer_sees_only_protected_finance_figures(dash: Dashboard) -> None:
    page = build(dash, VIEWER)
    budget = rows(page, "begroting")
    # three clients behind 'Hulp bij het huishouden': its amounts hidden, and the other line's with it
    assert budget["Hulp bij het huishouden"] == ["€ 50.000", "x", "x"]
    assert budget["Wmo begeleiding"][1:] == ["x", "x"]
    assert page.context["line_charts"] == []
    assert rows(page, "verwachting")["Hulp bij het huishouden"][1] == "x"  # realised
    assert rows(build(dash, ANALYST), "verwachting")["Hulp bij het huishouden"][1] == "€ 300"
    months = page.tables["kosten_per_maand"]
    clients = months.columns.index("paid_clients")
    assert all(row[clients].text in ("< 5", "x") or int(row[clients].text) % 5 == 0 for row in months.rows)


def test_the_overview_shows_the_finance_warnings_protected_for_viewers(dash: Dashboard) -> None:
    analyst = PAGES_BY_NAME["overzicht"].build(dash, ANALYST, {}).context["finance_warnings"]
    assert any(w.startswith("Wmo begeleiding:") and "€ 5.000" in w for w in analyst)
    viewer = PAGES_BY_NAME["overzicht"].build(dash, VIEWER, {}).context["finance_warnings"]
    # the line's amounts are hidden for viewers (it shields the small line): the warning names none, nor the
    # depletion date (with the budget it would tell the cumulative costs)
    assert viewer == [
        "Wmo begeleiding: de verwachting ligt boven de begroting; een groter deel van het budget is gebruikt, "
        "terwijl 19,1 % van het jaar voorbij is."
    ]


def test_without_declarations_or_budgets_the_page_says_no_finance_data_are_loaded(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        rows_ = [allocation("a1", client="A", start="2024-01-01", end=None)]
        load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows_), LoadOptions(), now=SINCE)
    empty = Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))
    try:
        page = build(empty, ANALYST)
        assert page.context["no_data"] == finance.NO_FINANCE_DATA and page.tables == {}
        assert PAGES_BY_NAME["overzicht"].build(empty, ANALYST, {}).context["finance_warnings"] == []
    finally:
        empty.close()


def load_room(db: Path, tmp_path: Path) -> None:
    """The budgets of ``fill`` plus a spending room of € 1.000 for provider 12345678's hulp bij het
    huishouden (three clients, € 300 realised in January)."""
    with open_warehouse(db) as warehouse:
        load_budgets_rows(warehouse, tmp_path, [
            {"year": 2024, "budget_line": "Wmo begeleiding", "amount": 5000, "law": "WMO",
             "product_categories": "02"},
            {"year": 2024, "budget_line": "Hulp bij het huishouden", "amount": 50000, "law": "WMO",
             "product_categories": "01"},
            {"year": 2024, "budget_line": "Ruimte 12345678", "amount": 1000, "law": "WMO",
             "product_categories": "01", "provider_code": "12345678"},
        ], extracted_on=date(2024, 1, 16))  # fmt: skip


def test_spending_rooms_show_only_when_loaded_and_a_viewer_sees_only_the_room_of_a_small_provider(
    dash: Dashboard, tmp_path: Path
) -> None:
    assert "bestedingsruimte" not in build(dash, ANALYST).tables
    db = tmp_path / "rooms.duckdb"
    fill(db, tmp_path)
    load_room(db, tmp_path)
    dashboard = Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))
    try:
        analyst = PAGES_BY_NAME["financien"].build(dashboard, ANALYST, {}).tables["bestedingsruimte"]
        viewer = PAGES_BY_NAME["financien"].build(dashboard, VIEWER, {}).tables["bestedingsruimte"]
    finally:
        dashboard.close()
    assert analyst.headers == ("Aanbieder", "Bestedingsruimte", "Gerealiseerd", "Deel gebruikt", "Verwachting",
                               "Signaal")  # fmt: skip
    (row,) = analyst.rows
    assert [row[0].text, row[1].text, row[2].value] == ["12345678", "€ 1.000", 300]
    assert row[3].text.endswith(" %") and row[3].value >= 0.3
    (shown,) = viewer.rows
    assert shown[1].text == "€ 1.000"  # the room is not personal
    assert shown[2].hidden and shown[3].hidden and shown[4].hidden and shown[5].text == ""


def test_the_shares_of_the_forecast_download_as_percentages_and_show_with_one_decimal() -> None:
    view = finance.view_of(forecast_f(10_000))
    table = web_table(finance.forecast_table(view, None), "verwachting", "Verwachting", policy=None)
    sheet = load_workbook(io.BytesIO(to_xlsx(table, selection="2024", made_at=SINCE, source="test"))).active
    headers = [cell.value for cell in sheet[1]]
    for header, share in (("Deel gebruikt", view.lines[0].share_used), ("Deel van het jaar", 91 / 366)):
        cell = sheet.cell(2, headers.index(header) + 1)
        assert cell.number_format == "0.0%" and cell.value == pytest.approx(share)
        shown = table.rows[0][table.headers.index(header)].text
        assert shown == f"{share * 100:.1f} %".replace(".", ",")
