"""The page "Toegang en wachttijden" (``/toegang``) and its tile on the overview, on a warehouse of its own:
sixteen Wmo allocations at provider 11111111 from 1 February 2024, ten of which started care on 15 February
and six still wait; six more at 22222222, a provider that never sent a delivery. Export of 5 July 2024."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from sdmonitor.reports.build import NO_ACCESS_DATA
from sdmonitor.warehouse import open_warehouse
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages import PAGES_BY_NAME, Page
from sdmonitor.web.pages.toegang import WHO_WAITS, over_term
from sdmonitor.web.settings import WebSettings
from sdmonitor.web.store import User
from tests.access_builders import (
    delivery,
    load_allocations_rows,
    load_deliveries_rows,
    load_requests_rows,
    request,
)
from tests.builders import allocation
from tests.metrics.test_access_partners import EXAMPLE_A, q

SINCE = datetime(2024, 7, 5, 12)
ANALYST = Viewer(User(1, "anna", Role.ANALYST, "", 0, SINCE, SINCE))
VIEWER = Viewer(User(2, "kees", Role.VIEWER, "", 0, SINCE, SINCE))
MOMENT = date(2024, 7, 5)
STARTED = [f"T{i}" for i in range(10)]
WAITING = [f"W{i}" for i in range(6)]


def make(tmp_path: Path, *, deliveries: bool = True) -> Dashboard:
    db = tmp_path / "sdm.duckdb"
    rows = [
        allocation(a, client=f"C{a}", start="2024-02-01", provider_code="11111111", product_code="02A01")
        for a in (*STARTED, *WAITING)
    ] + [allocation(f"S{i}", client=f"CS{i}", start="2024-02-01", provider_code="22222222") for i in range(6)]
    with open_warehouse(db) as warehouse:
        load_allocations_rows(warehouse, tmp_path, rows, extracted_on=MOMENT)
        if deliveries:
            load_deliveries_rows(
                warehouse, tmp_path, [delivery(allocation_id=a, start_date="2024-02-15") for a in STARTED],
                extracted_on=MOMENT,
            )  # fmt: skip
    return Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))


@pytest.fixture
def dash(tmp_path: Path) -> Iterator[Dashboard]:
    dashboard = make(tmp_path)
    yield dashboard
    dashboard.close()


def build(dash: Dashboard, who: Viewer) -> Page:
    return PAGES_BY_NAME["toegang"].build(dash, who, {})


def column(page: Page, table: str, name: str) -> list[str]:
    found = page.tables[table]
    return [row[found.columns.index(name)].text for row in found.rows]


def test_the_access_page_shows_the_waiting_list_its_spread_and_who_waits_for_analysts(
    dash: Dashboard,
) -> None:
    page = build(dash, ANALYST)
    assert page.selection == "05-07-2024"
    assert column(page, "wachtlijst_product", "waiting") == ["6"]
    by_provider = page.tables["wachtlijst_aanbieder"]
    assert [row[1].value for row in by_provider.rows] == ["11111111"]  # the silent provider is left out
    # waited 1 February - 5 July 2024 = 155 days: all six in the 13-26 weeks bucket, drawn as a bar chart
    assert column(page, "wachtlijst_product", "weeks_13_26") == ["6"]
    chart = page.chart("wachtlijst_product")
    assert (
        chart is not None
        and "<svg" in chart.svg
        and "13-26 weken" in chart.svg
        and "http" not in chart.svg.replace("http://www.w3.org", "")
    )
    who = page.tables[WHO_WAITS]
    assert len(who.rows) == 6 and set(column(page, WHO_WAITS, "provider")) == {"11111111"}
    assert set(column(page, WHO_WAITS, "days_waited")) == {"155"}
    assert all(len(text) < 9 for text in column(page, WHO_WAITS, "pseudonym"))  # a key, never a BSN
    assert set(column(page, WHO_WAITS, "over_norm")) == {"ja"}  # 155 days against 42: Dutch, not 'True'
    assert "beslistermijnen" not in page.tables and NO_ACCESS_DATA in page.context["notes"]  # no requests


def test_a_viewer_never_gets_who_waits_and_sees_protected_counts(dash: Dashboard) -> None:
    page = build(dash, VIEWER)
    # the download route serves only tables of the viewer's own page (routes/downloads.py): none here
    assert WHO_WAITS not in page.tables
    assert all(
        text in ("< 5", "x") or int(text) % 5 == 0 for text in column(page, "wachtlijst_product", "waiting")
    )
    assert column(page, "wachtlijst_product", "waiting") == ["5"]  # six, rounded to five


def test_without_deliveries_or_requests_the_page_says_no_waiting_data_are_loaded(tmp_path: Path) -> None:
    dashboard = make(tmp_path, deliveries=False)
    try:
        page = build(dashboard, ANALYST)
        assert page.context["no_data"] == NO_ACCESS_DATA and not page.tables
        assert PAGES_BY_NAME["overzicht"].build(dashboard, ANALYST, {}).context["over_term"] is None
    finally:
        dashboard.close()


def test_decisions_and_open_requests_over_their_term_from_requests_alone(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    decided = [request(request_id=f"A{i}", client_id=f"R{i}", received_on="2024-01-02", decided_on="2024-01-20")
               for i in range(5)]  # fmt: skip
    still_open = [request(request_id=f"O{i}", client_id=f"O{i}", received_on="2024-01-02", decided_on=None,
                          outcome=None) for i in range(6)]  # fmt: skip
    with open_warehouse(db) as warehouse:
        load_requests_rows(warehouse, tmp_path, decided + still_open, extracted_on=MOMENT)
    dashboard = Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))
    try:
        page = build(dashboard, ANALYST)
        assert "wachtlijst_product" not in page.tables and NO_ACCESS_DATA in page.context["notes"]
        assert column(page, "beslistermijnen", "decided") == ["5"]
        # 18 days from aanvraag to decision: over the Wmo term of 14 days (art. 2.3.5), none within it
        assert column(page, "beslistermijnen", "within_term") == ["0"]
        # six aanvragen open since 2 January, on 5 July far over the Wmo term of 14 days
        assert column(page, "open_aanvragen", "over_term") == ["6"]
        assert over_term(dashboard, ANALYST) == "6" and over_term(dashboard, VIEWER) == "5"
    finally:
        dashboard.close()


def test_support_plans_and_access_partners_exact_for_analysts_and_protected_for_viewers(
    tmp_path: Path,
) -> None:
    """Figures 4 and 5 on the page: worked example A (docs/metrics.md) plus six more CJG questions, an earlier
    question that starts the history in 2022, and a partner (Kwadraad) with questions a year earlier only."""
    more = [
        q(f"c{i}", f"Z{i}", "JW", "melding", "CJG", "2024-04-01", "2024-04-20", "2024-04-25")
        for i in range(6)
    ]
    earlier = [
        q("e1", "E", "WMO", "aanvraag", "SWL", "2022-06-01", "2022-06-10"),
        q("k1", "Q", "WMO", "melding", "Kwadraad", "2023-02-01", "2023-03-01", "2023-03-02", birth="1980-01-01"),
    ]  # fmt: skip
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        load_requests_rows(warehouse, tmp_path, [*EXAMPLE_A, *more, *earlier], extracted_on=MOMENT)
    dashboard = Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))
    try:
        page = build(dashboard, ANALYST)
        partners = page.tables["toegangspartners"]
        assert partners.title == "Toegangspartners in 2024-H1"  # the last whole half-year before 5 July
        assert [tuple(cell.text for cell in row) for row in partners.rows] == [
            ("2024-H1", "CJG", "8", "1", "7", "1", "7", "1"),
            ("2024-H1", "SWL", "2", "", "1", "", "1", ""),
            ("2024-H1", "Kwadraad", "", "1", "", "1", "", "1"),  # n.b.: empty, not 0
        ]
        assert "(een jaar eerder)" in partners.headers[3] and "2023-H1" in partners.note
        plans = page.tables["ondersteuningsplannen"]
        assert [(row[0].text, row[1].text, row[2].text, row[3].text) for row in plans.rows] == [
            ("2023-H1", "jeugd", "Jeugdwet", "1"), ("2023-H1", "volwassenen", "Wmo", "1"),
            ("2024-H1", "jeugd", "Jeugdwet", "7"), ("2024-H1", "ouderen", "Wmo", "1"),
        ]  # fmt: skip
        seen = build(dashboard, VIEWER).tables["toegangspartners"]
        assert [tuple(cell.text for cell in row[2:]) for row in seen.rows] == [
            ("10", "< 5", "5", "< 5", "5", "< 5"),  # 8 and 7 rounded to fives, the ones hidden
            ("< 5", "", "< 5", "", "< 5", ""),
            ("", "< 5", "", "< 5", "", "< 5"),
        ]
    finally:
        dashboard.close()
