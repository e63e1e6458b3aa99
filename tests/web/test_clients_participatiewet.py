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


def test_the_flows_of_the_participatiewet_point_to_the_page_uitkeringen(dash: Dashboard) -> None:
    page = build(dash, wet="PW")
    assert page.tables["stromen"].rows == ()  # `flows` counts episodes of allocations: none of law PW
    pointer = page.context["benefit_flows"]
    assert pointer["only"] and pointer["link"] == "/uitkeringen?periode=halfjaar"
    assert (
        pointer["text"].count(".") == 0 and "uitkering" in pointer["text"]
    )  # one sentence, ends with the link
    html = render_content(page)
    assert "Geen gegevens voor deze selectie" not in html
    assert 'de pagina <a href="/uitkeringen?periode=halfjaar">Uitkeringen</a>.' in html
    # without the filter the flows of the Wmo and the Jeugdwet are shown, with the same pointer under them
    everything = build(dash)
    assert everything.tables["stromen"].rows and not everything.context["benefit_flows"]["only"]
    assert 'id="stromen-participatiewet"' in render_content(everything)
    assert build(dash, wet="WMO").context["benefit_flows"] is None


def test_without_benefits_the_flows_have_no_pointer(tmp_path: Path) -> None:
    dashboard = make(tmp_path, benefits=False)
    try:
        assert build(dashboard).context["benefit_flows"] is None
    finally:
        dashboard.close()


def render_content(page: Page) -> str:
    """The page's template as the server renders it inside the layout."""
    from sdmonitor.web.deps import _environment

    return (
        _environment()
        .get_template(page.template)
        .render(page=page, viewer=ANALYST, threshold=5, user=ANALYST.user, title=page.title)
    )


def test_the_details_of_the_participatiewet_are_benefits_and_a_later_end_is_planned(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        load_allocations_rows(warehouse, tmp_path, [allocation("a1", client="A", start="2023-01-01", end=None)],
                              extracted_on=MOMENT)  # fmt: skip
        load_benefits_rows(
            warehouse, tmp_path,
            [benefit(benefit_id="U1", client_id="E", regulation="IOAW", start_date="2023-01-01",
                     end_date="2024-09-30"),
             benefit(benefit_id="U2", client_id="F", start_date="2023-02-01", end_date="2024-03-31")],
            extracted_on=MOMENT,
        )  # fmt: skip
    dashboard = Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))
    try:
        params = {
            "van": "2024-01-01",
            "tot": "2024-06-30",
            "periode": "halfjaar",
            "wet": "PW",
            "cel": "2024-H1",
        }
        details = PAGES_BY_NAME["details"].build(dashboard, ANALYST, params)
        table = details.tables["details"]
        assert table.title == "Uitkeringen achter het cijfer" and details.context["noun"] == "uitkeringen"
        ends = sorted(row[table.columns.index("end_date")].text for row in table.rows)
        assert ends == ["30-09-2024 (gepland)", "31-03-2024"]  # after the data moment 1 July 2024: planned
        assert "Gepland" in table.note
        html = render_content(details)
        assert "U ziet gepseudonimiseerde uitkeringen" in html and "Cliënten in deze uitkeringen" in html
        # without the law filter: the allocation and the benefits together
        mixed = PAGES_BY_NAME["details"].build(
            dashboard, ANALYST, {k: v for k, v in params.items() if k != "wet"}
        )
        assert mixed.tables["details"].title == "Toewijzingen en uitkeringen achter het cijfer"
    finally:
        dashboard.close()


def test_sdm_metric_flows_with_only_benefits_points_to_benefit_flows(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sdmonitor.cli import cli

    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        load_benefits_rows(warehouse, tmp_path, [benefit(benefit_id="U1", client_id="C", start_date="2023-04-01")],
                           extracted_on=MOMENT)  # fmt: skip
    asked = ["--db", str(db), "metric", "flows", "--by", "law", "--grain", "half", "--from", "2023-01-01",
             "--to", "2023-12-31"]  # fmt: skip
    result = CliRunner().invoke(cli, [*asked, "--format", "csv"], env={"SDM_QUIET": "1"})
    assert result.exit_code == 0, result.output
    assert result.stdout == "period,law,inflow,outflow,net,status\n"  # the CSV stays the contract
    assert "sdm metric benefit_flows" in result.stderr
    shown = CliRunner().invoke(cli, asked, env={"SDM_QUIET": "1"})
    assert "(geen rijen)" in shown.stdout and "sdm metric benefit_flows" in shown.stdout
