"""The Participatiewet on the page "Cliënten en stromen" (issue 14): persons on a running benefit are clients
of law PW, so the law filter offers it as 'Participatiewet' and a breakdown by law shows it beside the Wmo and
the Jeugdwet. Warehouse of its own, exported on 1 July 2024:

    Wmo: A (2023-01-01 .. open) and B (2023-02-01 .. open)
    benefits: U1 applicant A with partner P (2023-03-01 .. open), U2 applicant C (2023-04-01 .. 2023-05-31)

In 2023-H1 the Participatiewet has three clients (A, P and C: the partner counts, as does a benefit that
ended in the half-year); A is a client of the Wmo and of the Participatiewet, one client overall."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from sdmonitor.errors import InputError
from sdmonitor.warehouse import open_warehouse
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages import PAGES_BY_NAME, Page
from sdmonitor.web.settings import WebSettings
from sdmonitor.web.store import User
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import benefit, load_benefits_rows
from tests.builders import allocation

SINCE = datetime(2024, 7, 1, 12)
ANALYST = Viewer(User(1, "anna", Role.ANALYST, "", 0, SINCE, SINCE))
MOMENT = date(2024, 7, 1)
RANGE = {"van": "2023-01-01", "tot": "2023-12-31", "periode": "halfjaar"}


def make(tmp_path: Path, *, benefits: bool = True) -> Dashboard:
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        load_allocations_rows(
            warehouse, tmp_path, [allocation("a1", client="A", start="2023-01-01", end=None),
                                  allocation("b1", client="B", start="2023-02-01", end=None)],
            extracted_on=MOMENT,
        )  # fmt: skip
        if benefits:
            load_benefits_rows(
                warehouse, tmp_path,
                [benefit(benefit_id="U1", client_id="A", partner_id="P", partner_birth_date="1982-05-01",
                         household_type="3", start_date="2023-03-01"),
                 benefit(benefit_id="U2", client_id="C", start_date="2023-04-01", end_date="2023-05-31")],
                extracted_on=MOMENT,
            )  # fmt: skip
    return Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))


@pytest.fixture
def dash(tmp_path: Path) -> Iterator[Dashboard]:
    dashboard = make(tmp_path)
    yield dashboard
    dashboard.close()


def build(dash: Dashboard, **params: str) -> Page:
    return PAGES_BY_NAME["clienten"].build(dash, ANALYST, {**RANGE, **params})


def first_half(page: Page) -> dict[str, str]:
    """The clients of 2023-H1 by the label of the row's second column (or 'alle' without a breakdown)."""
    table = page.tables["clienten"]
    at = table.columns.index("clients")
    grouped = table.key_columns > 1
    return {(row[1].text if grouped else "alle"): row[at].text for row in table.rows
            if row[0].text.startswith("2023-H1")}  # fmt: skip


def test_the_law_filter_offers_the_participatiewet_once_benefits_are_loaded(
    dash: Dashboard, tmp_path: Path
) -> None:
    assert ("PW", "Participatiewet") in build(dash).context["choices"].options["law"]
    without = make(tmp_path / "zonder", benefits=False)
    try:
        assert "PW" not in [law for law, _ in build(without).context["choices"].options["law"]]
        with pytest.raises(InputError, match="Onbekende waarde 'PW'"):
            build(without, wet="PW")
    finally:
        without.close()


def test_persons_on_a_benefit_are_clients_of_the_participatiewet(dash: Dashboard) -> None:
    assert first_half(build(dash, wet="PW")) == {"alle": "3"}  # A, the partner P and C
    page = build(dash, wet="PW")
    assert "Wet: Participatiewet" in page.selection


def test_a_breakdown_by_law_shows_the_participatiewet_beside_the_wmo(dash: Dashboard) -> None:
    assert first_half(build(dash, uitsplitsen="wet")) == {"Participatiewet": "3", "Wmo": "2"}
    assert first_half(build(dash)) == {"alle": "4"}  # A, B, P and C: A once over both laws


def test_the_profile_offers_the_participatiewet_and_counts_its_persons(dash: Dashboard) -> None:
    profile = PAGES_BY_NAME["profiel"]
    page = profile.build(dash, ANALYST, {"periode": "2023-H1", "wet": "PW"})
    assert ("PW", "Participatiewet") in page.context["choices"].options["law"]
    table = page.tables["geslacht"]
    assert [row[table.columns.index("clients")].text for row in table.rows] == ["3"]  # A, P and C
    assert "Wet: Participatiewet" in page.selection


def test_the_details_of_a_participatiewet_figure_agree_with_it(dash: Dashboard) -> None:
    page = build(dash, wet="PW")
    link = page.tables["clienten"].row_links[0]
    assert link is not None and "wet=PW" in link
    params = dict(pair.split("=", 1) for pair in link.split("?", 1)[1].split("&"))
    details = PAGES_BY_NAME["details"].build(dash, ANALYST, params)
    assert details.context["clients"] == details.context["figure"] > 0
