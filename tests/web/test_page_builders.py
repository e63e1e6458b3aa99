"""Each page builder on a warehouse of four allocations, without the demo: the figures and labels it makes.

Four clients, loaded on 2024-01-01; the data run to 2023-08-01 (the last start date), so the latest complete
half-year is 2023-H1 and the latest year 2022:

    A  Wmo       provider 99990001  2022-01-01 .. open        born 1950-06-01, man
    B  Jeugdwet  provider 99990002  2022-03-01 .. 2023-02-28  born 2010-06-01, woman
    C  Wmo       provider 99990001  2023-08-01 .. open        born 1980-06-01, woman
    D  Jeugdwet  provider 99990002  2023-01-01 .. 2023-10-31  born 2012-06-01, man

Clients per half-year: 2022-H1 A B (2), 2022-H2 A B (2), 2023-H1 A B D (3: Wmo 1, Jeugdwet 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import CATALOGUE
from sdmonitor.metrics.catalogue import header
from sdmonitor.reports.model import show
from sdmonitor.warehouse import open_warehouse
from sdmonitor.web import pages
from sdmonitor.web.app import create_app
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages import NAVIGATION, PAGES, PAGES_BY_NAME, Page, declared
from sdmonitor.web.settings import WebSettings
from sdmonitor.web.store import User
from sdmonitor.web.tables import Table
from tests.builders import allocation, write_csv

ROWS = [
    allocation("a1", client="A", law="WMO", category="02", start="2022-01-01", end=None, birth="1950-06-01",
               gender="1", provider_code="99990001"),
    allocation("b1", client="B", law="JW", category="45", start="2022-03-01", end="2023-02-28", birth="2010-06-01",
               gender="2", provider_code="99990002"),
    allocation("c1", client="C", law="WMO", category="07", start="2023-08-01", end=None, birth="1980-06-01",
               gender="2", provider_code="99990001"),
    allocation("d1", client="D", law="JW", category="45", start="2023-01-01", end="2023-10-31", birth="2012-06-01",
               gender="1", provider_code="99990002"),
]  # fmt: skip
SINCE = datetime(2024, 1, 1)
ANALYST = Viewer(User(1, "anna", Role.ANALYST, "", 0, SINCE, SINCE))
VIEWER = Viewer(User(2, "kees", Role.VIEWER, "", 0, SINCE, SINCE))


@pytest.fixture
def dash(tmp_path: Path) -> Iterator[Dashboard]:
    """A dashboard on its own warehouse (not the demo of the other web tests) holding the four allocations."""
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        load_allocations(warehouse, write_csv(tmp_path / "t.csv", ROWS), LoadOptions(), now=SINCE)
    dashboard = Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))  # reads it read-only
    yield dashboard
    dashboard.close()


def build(dash: Dashboard, name: str, who: Viewer = ANALYST, **params: str) -> Page:
    return PAGES_BY_NAME[name].build(dash, who, params)


def column(table: Table, name: str) -> list[Any]:
    """The values of one column, by name."""
    at = table.columns.index(name)
    return [row[at].value for row in table.rows]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def test_the_overview_compares_the_latest_half_year_with_the_one_before(dash: Dashboard) -> None:
    page = build(dash, "overzicht")
    assert page.selection == "2023-H1 ten opzichte van 2022-H2"
    key = page.tables["kerncijfers"]
    assert key.headers == ("Cijfer", "2023-H1", "2022-H2", "Verandering")
    assert texts(key)[:5] == [
        ["Unieke cliënten", "3", "2", "+50,0 %"],
        ["Cliënten Wmo", "1", "1", "0,0 %"],
        ["Cliënten Jeugdwet", "2", "1", "+100,0 %"],
        ["Instroom (episodes)", "1", "0", "–"],  # D; no change from nothing
        ["Uitstroom (episodes)", "1", "0", "–"],  # B
    ]
    assert texts(page.tables["clienten_per_wet"]) == [["2022-H1", "1", "1"], ["2022-H2", "1", "1"],
                                                      ["2023-H1", "1", "2"]]  # fmt: skip
    assert page.tables["clienten_per_wet"].headers == ("Periode", "Wmo", "Jeugdwet")
    assert [chart.table for chart in page.charts] == ["clienten_per_wet"]


def test_a_viewer_sees_the_small_counts_of_the_overview_hidden_and_no_change(dash: Dashboard) -> None:
    first = texts(build(dash, "overzicht", VIEWER).tables["kerncijfers"])[0]
    assert first == ["Unieke cliënten", "< 5", "< 5", "–"]


def test_the_clients_page_counts_clients_and_flows_per_half_year(dash: Dashboard) -> None:
    page = build(dash, "clienten")
    clients, flows = page.tables["clienten"], page.tables["stromen"]
    assert column(clients, "period") == ["2022-H1", "2022-H2", "2023-H1"]
    assert column(clients, "clients") == [2, 2, 3]
    assert column(clients, "change_pct") == [None, 0.0, 50.0]
    assert column(clients, "trend") == [None, "flat", "up"]
    # A and B start in 2022-H1 (too close to the start of the data to tell new from continuing); D starts and
    # B ends in 2023-H1; 2022-H2 has no flow at all
    assert texts(flows) == [["2022-H1 (onvolledig)", "2", "0", "2"], ["2023-H1", "1", "1", "0"]]
    assert clients.row_links[2] == "/details?van=2022-01-01&tot=2023-06-30&periode=halfjaar&cel=2023-H1"
    assert [chart.table for chart in page.charts] == ["clienten", "stromen"]


def test_the_clients_page_gives_a_viewer_no_drilldown_links(dash: Dashboard) -> None:
    assert not any(build(dash, "clienten", VIEWER).tables["clienten"].row_links)


def test_the_providers_page_lists_each_provider_with_growth_and_outflow(dash: Dashboard) -> None:
    table = build(dash, "aanbieders").tables["aanbieders"]
    assert table.title == "Aanbieders 2023-H1"
    assert column(table, "provider") == ["99990002", "99990001"]  # most clients first
    assert column(table, "clients") == [2, 1]  # B and D; A
    assert column(table, "change_pct") == [100.0, 0.0]  # against B; A
    assert column(table, "outflow_clients") == [1, 0]  # B
    assert column(table, "outflow_rate") == [0.5, 0.0]
    assert column(table, "episodes") == [1, 0]  # D, the one ended episode that started in 2023
    assert column(table, "provider_type") == ["onbekend", "onbekend"]  # no providers list loaded
    # the catalogue's headers (as in the reports), the episodes qualified by the year they started in
    assert dict(zip(table.columns, table.headers, strict=True)) | {"provider": "AGB-code"} == {
        "provider_name": "Naam aanbieder", "provider": "AGB-code", "provider_type": "Type aanbieder",
        "clients": header("clients"), "change_pct": header("change_pct"), "outflow_clients": header("outflow_clients"),
        "outflow_rate": header("outflow_rate"), "episodes": f"{header('episodes')} (start 2023)",
        "median_months": header("median_months"),
    }  # fmt: skip


def test_the_profile_gives_age_sex_and_stacking_of_the_latest_year(dash: Dashboard) -> None:
    page = build(dash, "profiel")
    assert page.selection == "2022"
    assert texts(page.tables["geslacht"]) == [["2022", "2", "42,0", "1", "1", "0"]]  # A 72, B 12; man, woman
    assert texts(page.tables["leeftijd"]) == [["12-17", "1"], ["65-74", "1"], ["Totaal", "2"]]
    assert texts(page.tables["stapeling"]) == [["1", "2"], ["Totaal", "2"]]
    assert page.tables["overgang18"].rows == ()


def test_the_drilldown_shows_the_allocations_that_make_the_figure(dash: Dashboard) -> None:
    page = build(dash, "details", cel="2023-H1", wet="JW")
    assert page.selection == "2023-H1; Wet: Jeugdwet"
    assert (page.context["clients"], page.context["figure"]) == (2, 2)  # B and D
    table = page.tables["details"]
    assert column(table, "start_date") == [datetime(2022, 3, 1).date(), datetime(2023, 1, 1).date()]
    assert column(table, "law") == ["JW", "JW"]


def test_the_data_page_counts_loads_and_allocations_with_unknown_codes(dash: Dashboard) -> None:
    page = build(dash, "gegevens")
    loads = page.tables["laadacties"]
    assert (column(loads, "rows_read"), column(loads, "rows_loaded"), column(loads, "rows_rejected")) == (
        [4],
        [4],
        [0],
    )
    assert page.tables["meldingen"].rows == ()
    # running per year: 2022 A B, 2023 all four; the Jeugdwet category 45 has no CBS group; no provider list,
    # no postcodes
    assert texts(page.tables["onbekend"]) == [["2022", "1", "2", "2", "2"], ["2023", "2", "4", "4", "4"]]


def test_the_definitions_editions_users_and_audit_pages_build(dash: Dashboard) -> None:
    assert len(build(dash, "definities").context["catalogue"]) == len(CATALOGUE)
    assert build(dash, "edities", VIEWER).context["editions"] == []
    dash.store.add("bea", Role.ADMIN, "geheim-Wachtwoord-12345")
    assert [u.name for u in build(dash, "gebruikers").context["users"]] == ["bea"]
    dash.store.audit("login", user="bea", role="admin", client_ip="127.0.0.1")
    audit = build(dash, "audit", actie="login")
    assert (audit.context["total"], audit.context["page_number"], audit.context["pages"]) == (1, 1, 1)
    download = PAGES_BY_NAME["audit"].download_build
    assert download is not None
    assert column(download(dash, ANALYST, {}).tables["audit"], "user") == ["bea"]


def test_every_builder_makes_a_page_under_its_declared_name(dash: Dashboard) -> None:
    for declaration in PAGES:
        params = {"cel": "2023-H1"} if declaration.name == "details" else {}
        assert declaration.build(dash, ANALYST, params).name == declaration.name


def test_a_page_is_one_module_that_the_menu_and_the_routes_follow(dash: Dashboard) -> None:
    modules = {path.stem for path in Path(pages.__file__).parent.glob("*.py")} - {"__init__", "base"}
    assert {page.build.__module__.rsplit(".", 1)[1] for page in PAGES} == modules  # each module found
    assert len({p.name for p in PAGES}) == len({p.path for p in PAGES}) == len(PAGES)
    assert [label for _, label, _ in NAVIGATION] == [
        "Overzicht", "Cliënten en stromen", "Aanbieders", "Uitkeringen", "Financiën", "Toegang en wachttijden", "Profiel", "Rapporten",
        "Definities",
        "Gegevens", "Gebruikers", "Auditlog",
    ]  # fmt: skip
    app = create_app(dash)
    assert all(app.url_path_for(f"page_{p.name}") == p.path for p in PAGES)  # one GET route per declaration
    assert PAGES_BY_NAME["details"].role is Role.ANALYST and PAGES_BY_NAME["details"].nav_label is None


def test_a_new_page_module_is_found_and_placed_in_the_menu_by_its_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "morepages"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text("NOTHING = 1\n")  # a module without a page is no page
    for name, order in (("wachttijden", 25), ("kosten", 15)):
        (package / f"{name}.py").write_text(
            "from sdmonitor.web.auth import Role\n"
            "from sdmonitor.web.pages.base import Page, PageDeclaration\n"
            f"PAGE = PageDeclaration(name='{name}', path='/{name}', nav_label='{name.title()}', role=Role.VIEWER,\n"
            f"                       build=lambda dash, viewer, params: Page('{name}', 'empty.html.j2', ''),\n"
            f"                       order={order})\n"
        )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = declared("morepages", ["helpers", "kosten", "wachttijden"])
    assert [page.name for page in found] == ["kosten", "wachttijden"]
    ours = [page for page in PAGES if page.nav_label]
    placed = sorted([*ours, *found], key=lambda page: page.order)
    assert [page.name for page in placed][:4] == ["overzicht", "kosten", "clienten", "wachttijden"]
    (package / "dubbel.py").write_text("from morepages.kosten import PAGE\n")  # the same page twice
    with pytest.raises(ValueError, match="share a name"):
        declared("morepages", ["dubbel", "kosten"])


def test_every_page_on_an_empty_warehouse_says_in_dutch_that_there_is_no_data(tmp_path: Path) -> None:
    db = tmp_path / "leeg.duckdb"
    with open_warehouse(db):
        pass
    empty = Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))
    try:
        for declaration in PAGES:
            page = declaration.build(empty, ANALYST, {})
            assert page.name == declaration.name
            if declaration.name in ("overzicht", "clienten", "aanbieders", "profiel", "details"):
                assert page.template == "empty.html.j2"
    finally:
        empty.close()


def test_a_group_value_reads_on_a_page_as_in_the_reports(dash: Dashboard) -> None:
    for column, value in (("law", "JW"), ("provider_type", "wijkteam_zorg"), ("cbs_group", "onbekend")):
        assert dash.label(column, value) == show(column, value)
    assert dash.choices().options["law"] == [("JW", "Jeugdwet"), ("WMO", "Wmo")]
    assert dash.label("provider", "99990001") == "99990001"  # no providers list: the code itself
