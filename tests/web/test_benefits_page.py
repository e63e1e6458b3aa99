"""The page "Uitkeringen" (``/uitkeringen``, issue 14) on a warehouse of its own, exported on 1 July 2024:

    U1  A            PW    alleenstaande               2023-01-01 .. running
    U2  B + partner P PW    gehuwden of samenwonenden   2023-03-01 .. 2024-02-29 (outflow: work)
    U3  C            PW    alleenstaande               2024-01-15 .. running
    U4  D            IOAW  alleenstaande               2022-06-01 .. 2023-06-30
    U5  E            PW    alleenstaande ouder         2024-02-01 .. 2024-12-31 (a planned end: running)

On 31 December 2023: U1 and U2 run: 2 benefits, 3 persons (the couple counts twice). On the data moment: U1,
U3 and U5: 3 benefits, 3 persons. Half-year 2024-H1: inflow C and E (2), outflow B and P (2 persons, one
benefit); the planned end of U5 is no outflow. 2023-H1: inflow A, B and P (3), outflow D (1).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from sdmonitor.domain.periods import Grain
from sdmonitor.errors import InputError
from sdmonitor.warehouse import open_warehouse
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages import NAVIGATION, PAGES_BY_NAME, Page
from sdmonitor.web.pages.uitkeringen import NO_BENEFITS, Selection, reference_dates
from sdmonitor.web.settings import WebSettings
from sdmonitor.web.store import User
from tests.benefit_builders import benefit, load_benefits_rows, load_reintegration_rows, provision

SINCE = datetime(2024, 7, 1, 12)
ANALYST = Viewer(User(1, "anna", Role.ANALYST, "", 0, SINCE, SINCE))
VIEWER = Viewer(User(2, "kees", Role.VIEWER, "", 0, SINCE, SINCE))
MOMENT = date(2024, 7, 1)
ROWS = [
    benefit(benefit_id="U1", client_id="A", household_type="1", start_date="2023-01-01"),
    benefit(benefit_id="U2", client_id="B", partner_id="P", partner_birth_date="1982-05-01", household_type="3",
            start_date="2023-03-01", end_date="2024-02-29", outflow_reason="11"),
    benefit(benefit_id="U3", client_id="C", household_type="1", start_date="2024-01-15"),
    benefit(benefit_id="U4", client_id="D", regulation="IOAW", household_type="1", start_date="2022-06-01",
            end_date="2023-06-30", outflow_reason="98"),
    benefit(benefit_id="U5", client_id="E", household_type="2", start_date="2024-02-01", end_date="2024-12-31"),
]  # fmt: skip


def make(tmp_path: Path, rows: list[dict[str, str | None]] = ROWS, provisions: int = 0) -> Dashboard:
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        if rows:
            load_benefits_rows(warehouse, tmp_path, rows, extracted_on=MOMENT)
        if provisions:
            load_reintegration_rows(
                warehouse, tmp_path, [provision(provision_id=f"R{i}", client_id=f"R{i}") for i in range(provisions)],
                extracted_on=MOMENT,
            )  # fmt: skip
    return Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))


@pytest.fixture
def dash(tmp_path: Path) -> Iterator[Dashboard]:
    dashboard = make(tmp_path, provisions=6)
    yield dashboard
    dashboard.close()


def build(dash: Dashboard, who: Viewer = ANALYST, **params: str) -> Page:
    return PAGES_BY_NAME["uitkeringen"].build(dash, who, params)


def cells(page: Page, table: str, first: str) -> dict[str, dict[str, str]]:
    """The texts of a table by the text of its first column, then by column key."""
    found = page.tables[table]
    return {row[0].text.split(" (")[0]: {c: cell.text for c, cell in zip(found.columns, row, strict=True)}
            for row in found.rows if row[0].text.startswith(first) or not first}  # fmt: skip


def test_benefits_and_persons_on_the_reference_dates_count_a_couple_once_and_twice(dash: Dashboard) -> None:
    page = build(dash)
    stand = cells(page, "stand", "")
    assert (stand["2023-12-31"]["benefits"], stand["2023-12-31"]["persons"]) == ("2", "3")
    assert (stand["2024-07-01"]["benefits"], stand["2024-07-01"]["persons"]) == ("3", "3")  # the data moment
    assert list(stand)[-2:] == ["2024-06-30", "2024-07-01"]  # period ends up to the moment, then the moment
    assert "gezinsuitkeringen meerdere personen" in page.tables["stand"].note
    assert page.chart("stand") is not None and "<svg" in page.chart("stand").svg  # type: ignore[union-attr]


def test_inflow_and_outflow_per_half_year_count_persons_and_a_planned_end_is_no_outflow(
    dash: Dashboard,
) -> None:
    flows = cells(build(dash), "stromen", "")
    assert (flows["2024-H1"]["inflow"], flows["2024-H1"]["outflow"], flows["2024-H1"]["net"]) == (
        "2",
        "2",
        "0",
    )
    assert (flows["2023-H1"]["inflow"], flows["2023-H1"]["outflow"]) == ("3", "1")
    assert "gezinsuitkeringen" in build(dash).tables["stromen"].note


def test_durations_are_in_the_cbs_classes_on_the_moment_and_for_ended_episodes(dash: Dashboard) -> None:
    page = build(dash)
    running = cells(page, "duur_lopend", "")
    # A since 2023-01-01 (18 months), C since 2024-01-15 and E since 2024-02-01 (under six months)
    assert running["0-6 maanden"]["persons"] == "2" and running["1-2 jaar"]["persons"] == "1"
    ended = page.tables["duur_beeindigd"]
    assert "months_0_6" in ended.columns and "years_5_plus" in ended.columns


def test_durations_within_five_years_of_the_first_benefit_say_onvolledig(
    dash: Dashboard, tmp_path: Path
) -> None:
    """The history starts on 2022-06-01 (U4): on the moment, A's episode from 2023-01-01 is 1-2 jaar, but one
    that began before the data could be longer (docs/metrics.md, "Durations near the history start")."""
    page = build(dash)
    running = page.tables["duur_lopend"]
    assert running.title == "Lopende uitkeringen naar duur op 01-07-2024 (onvolledig)"
    assert "eerste vijf jaar" in running.note
    ended = cells(page, "duur_beeindigd", "")
    assert all(row["period"].endswith("(onvolledig)") for row in ended.values())
    assert (
        cells(page, "stand", "")["2024-07-01"]["date"] == "2024-07-01"
    )  # the counts themselves are complete
    # five years and more after the first start, the durations are complete
    late = [benefit(benefit_id="U1", client_id="A", start_date="2019-01-01")]
    later = make(tmp_path / "later", late)
    try:
        assert build(later).tables["duur_lopend"].title == "Lopende uitkeringen naar duur op 01-07-2024"
    finally:
        later.close()


def test_outflow_reasons_are_in_the_cbs_groups_with_their_dutch_names(dash: Dashboard) -> None:
    table = build(dash).tables["uitstroomredenen"]
    rows = {(row[0].text, row[1].text): row[2].text for row in table.rows}
    # B and P left for work (code 11) in 2024-H1, one benefit and two persons; D for another reason (98)
    assert rows == {("2024-H1", "Werk"): "2", ("2023-H1", "Overig"): "1"}
    assert table.headers[:3] == ("Periode", "Reden", "Uitstroom")


def test_a_filter_and_a_breakdown_pick_the_rows_and_an_unknown_value_is_refused(dash: Dashboard) -> None:
    ioaw = cells(build(dash, regeling="IOAW", periode="jaar"), "stromen", "")
    assert ioaw["2022"]["inflow"] == "1" and ioaw["2023"]["outflow"] == "1"
    split = build(dash, uitsplitsen="leefvorm")
    stand = split.tables["stand"]
    assert stand.columns[:2] == ("date", "household_type")
    on_moment = {row[1].text: row[3].text for row in stand.rows if row[0].text.startswith("2024-07-01")}
    assert on_moment == {"Alleenstaande": "2", "Alleenstaande ouder": "1"}
    with pytest.raises(InputError, match="Onbekende waarde 'WW' voor regeling"):
        build(dash, regeling="WW")
    with pytest.raises(InputError, match="Onbekende uitsplitsing"):
        build(dash, uitsplitsen="aanbieder")


def test_a_viewer_sees_small_counts_hidden_and_an_analyst_exact_figures(dash: Dashboard) -> None:
    shown = cells(build(dash, VIEWER), "stand", "")
    assert {shown[day]["persons"] for day in shown} <= {"< 5", ""}
    assert all(text in ("< 5", "x", "0", "") for row in build(dash, VIEWER).tables["stromen"].rows
               for text in (cell.text for cell in row[1:]))  # fmt: skip
    assert build(dash, VIEWER).tables["stand"].is_rounded and not build(dash).tables["stand"].is_rounded


def test_a_viewer_sees_counts_rounded_to_fives_and_the_rate_from_the_rounded_count(tmp_path: Path) -> None:
    many = [benefit(benefit_id=f"V{i}", client_id=f"V{i}", start_date="2023-01-01") for i in range(13)]
    dashboard = make(tmp_path, many)
    try:
        exact = cells(build(dashboard), "stand", "")["2024-07-01"]
        rounded = cells(build(dashboard, VIEWER), "stand", "")["2024-07-01"]
        assert (exact["persons"], rounded["persons"]) == ("13", "15")
        assert (exact["benefits"], rounded["benefits"]) == ("13", "15")
    finally:
        dashboard.close()


def test_running_reintegration_provisions_on_their_data_moment(dash: Dashboard) -> None:
    table = build(dash).tables["reintegratie"]
    # six participatieplaatsen (03), and the total row
    assert [row[table.columns.index("provisions")].text for row in table.rows] == ["6", "6"]


def test_without_benefits_the_page_says_so_in_one_dutch_sentence(tmp_path: Path) -> None:
    dashboard = make(tmp_path, [])
    try:
        page = build(dashboard)
        assert page.context["no_data"] == NO_BENEFITS and not page.tables
        assert NO_BENEFITS.count(".") == 1 and NO_BENEFITS.startswith("Er zijn nog geen uitkeringen geladen")
    finally:
        dashboard.close()


def test_the_reference_dates_are_the_period_ends_before_the_moment_and_the_moment() -> None:
    selection = Selection(date(2023, 1, 1), date(2024, 7, 1), Grain.HALF)
    assert reference_dates(selection, date(2024, 7, 1)) == (
        date(2023, 6, 30), date(2023, 12, 31), date(2024, 6, 30), date(2024, 7, 1),
    )  # fmt: skip
    assert reference_dates(replace(selection, end=date(2023, 12, 31)), date(2023, 12, 31)) == (
        date(2023, 6, 30), date(2023, 12, 31),
    )  # fmt: skip


def test_the_page_is_in_the_menu_for_viewers() -> None:
    assert ("/uitkeringen", "Uitkeringen", Role.VIEWER) in NAVIGATION


def with_population(dash: Dashboard, tmp_path: Path, text: str) -> Dashboard:
    """The dashboard's warehouse with a population loaded (``sdm load population``), reopened."""
    from sdmonitor.reference import POPULATION, load_reference

    db = dash.path
    dash.close()
    population = tmp_path / "bevolking.csv"
    population.write_text(text, encoding="utf-8")
    with open_warehouse(db) as warehouse:
        load_reference(warehouse, POPULATION, population, now=datetime(2024, 7, 2))
    return Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))


def test_the_rate_per_10000_adults_is_exact_for_analysts_and_from_the_rounded_count_for_viewers(
    tmp_path: Path,
) -> None:
    many = [benefit(benefit_id=f"V{i}", client_id=f"V{i}", start_date="2023-01-01") for i in range(13)]
    dashboard = with_population(
        make(tmp_path, many), tmp_path, "gemeentecode;jaar;leeftijd;geslacht;aantal\n1621;2024;17;1;900\n"
        "1621;2024;18;1;6000\n1621;2024;40;2;4000\n",
    )  # fmt: skip
    try:
        # 13 persons of 10,000 inhabitants aged 18 and over (the 17-year-olds do not count): 13.0
        assert cells(build(dashboard), "stand", "")["2024-07-01"]["per_10000"] == "13,0"
        # a viewer: 15 persons (rounded), so 15.0; the exact 13 cannot be worked back
        assert cells(build(dashboard, VIEWER), "stand", "")["2024-07-01"]["per_10000"] == "15,0"
    finally:
        dashboard.close()


def test_a_population_in_bands_across_18_gives_the_table_without_the_rate_and_says_why(
    tmp_path: Path,
) -> None:
    dashboard = with_population(
        make(tmp_path), tmp_path, "gemeentecode;jaar;leeftijdsklasse;geslacht;aantal\n1621;2024;0-14;1;500\n"
        "1621;2024;15-24;1;400\n1621;2024;25+;2;100\n",
    )  # fmt: skip
    try:
        page = build(dashboard)
        assert "per_10000" not in page.tables["stand"].columns
        assert cells(page, "stand", "")["2024-07-01"]["persons"] == "3"
        assert any("niet samenvallen met 18 jaar" in note for note in page.context["notes"])
    finally:
        dashboard.close()


def test_a_population_of_an_earlier_year_fills_the_rates_and_the_page_names_that_year(
    dash: Dashboard, tmp_path: Path
) -> None:
    # the population is loaded up to 2023; the page's dates are in 2024 (re-integration: the data moment)
    dashboard = with_population(
        dash, tmp_path, "gemeentecode;jaar;leeftijd;geslacht;aantal\n1621;2023;40;2;10000\n"
    )
    try:
        page = build(dashboard)
        table = page.tables["reintegratie"]
        assert [row[table.columns.index("per_10000")].text for row in table.rows] == [
            "6,0",
            "6,0",
        ]  # 6 of 10,000, one decimal as declared; the one type and the total
        assert cells(page, "stand", "")["2024-07-01"]["per_10000"] == "3,0"  # 3 persons of 10,000
        assert any("voor 2024 de bevolking van 2023" in note for note in page.context["notes"])
    finally:
        dashboard.close()


def test_a_viewers_rate_per_10000_is_the_rounded_count_over_the_adults_rounded_once(tmp_path: Path) -> None:
    # review of issue 14, finding 10: 7 persons (five singles and a couple) of 30,000 adults. Exact: 2,3. A
    # viewer sees 5 persons and 5 / 30,000 x 10,000 = 1,67 -> 1,7; not the exact rate 2,3 x 5 / 7 = 1,64 -> 1,6
    seven = [benefit(benefit_id=f"S{i}", client_id=f"S{i}", start_date="2023-01-01") for i in range(5)]
    seven.append(benefit(benefit_id="P", client_id="P", partner_id="Q", partner_birth_date="1982-05-01",
                         household_type="3", start_date="2023-01-01"))  # fmt: skip
    dashboard = with_population(
        make(tmp_path, seven, provisions=6), tmp_path,
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n1621;2024;10;1;10000\n"
        "1621;2024;40;1;15000\n1621;2024;70;2;15000\n",
    )  # fmt: skip
    try:
        exact = cells(build(dashboard), "stand", "")["2024-07-01"]
        shown = cells(build(dashboard, VIEWER), "stand", "")["2024-07-01"]
        assert (exact["persons"], exact["per_10000"]) == ("7", "2,3")
        assert (shown["persons"], shown["per_10000"]) == ("5", "1,7")
        # the re-integration rate follows the same rule: 6 provisions (viewer 5) of 15,000 aged 15-64
        table = build(dashboard, VIEWER).tables["reintegratie"]
        at = table.columns.index("per_10000"), table.columns.index("provisions")
        # (one type, and the total row of every type together)
        assert [(row[at[1]].text, row[at[0]].text) for row in table.rows] == [("5", "3,3"), ("5", "3,3")]
    finally:
        dashboard.close()
