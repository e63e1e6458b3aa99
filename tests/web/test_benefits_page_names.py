"""The page "Uitkeringen" as a reader without the code lists reads it (review of issue 14, findings 6, 8, 9 and
12): provision types by their SRG names with a total row that is the BBV indicator, herinstroom called
herinstroom, the income system named as the source of its chart and footer, and a note when a breakdown's rows
need not add up to the total. The warehouse is that of ``test_benefits_page`` (exported on 1 July 2024)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from sdmonitor.domain.benefits import PROVISION_TYPES
from sdmonitor.domain.wording import PROVISION_TYPE_NAMES, SOURCE_NAMES
from sdmonitor.metrics import MetricRequest
from sdmonitor.reference import POPULATION as POPULATION_KIND
from sdmonitor.reference import load_reference
from sdmonitor.warehouse import open_warehouse
from sdmonitor.web.dashboard import Dashboard
from sdmonitor.web.pages import PAGES_BY_NAME
from sdmonitor.web.settings import WebSettings
from sdmonitor.web.tables import to_csv
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import benefit, load_benefits_rows, load_reintegration_rows, provision
from tests.builders import allocation
from tests.web.test_benefits_page import ANALYST, MOMENT, ROWS, VIEWER, build, make

POPULATION = "gemeentecode;jaar;leeftijd;geslacht;aantal\n1621;2024;14;1;1000\n1621;2024;40;2;10000\n"
YEARS = {"van": "2023-01-01", "tot": "2024-07-01", "periode": "jaar"}  # 2024 up to the data moment
TYPES = ["01", "04", "04", "05", "99", "04", "01"]  # 2 x 01, 3 x 04, 1 x 05, 1 x 99


def with_provisions(tmp_path: Path, types: list[str] = TYPES) -> Dashboard:
    """The page's warehouse with provisions of ``types`` running on the data moment and 10,000 inhabitants
    aged 15-64 (and 1,000 aged 14, who are no part of the BBV rate)."""
    db = tmp_path / "sdm.duckdb"
    population = tmp_path / "bevolking.csv"
    population.write_text(POPULATION, encoding="utf-8")
    provisions = [
        provision(provision_id=f"R{i}", client_id=f"R{i}", provision_type=t) for i, t in enumerate(types)
    ]
    with open_warehouse(db) as warehouse:
        load_benefits_rows(warehouse, tmp_path, ROWS, extracted_on=MOMENT)
        load_reintegration_rows(warehouse, tmp_path, provisions, extracted_on=MOMENT)
        load_reference(warehouse, POPULATION_KIND, population, now=datetime(2024, 7, 2))
    return Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))


def test_every_srg_provision_type_has_a_dutch_name() -> None:
    assert set(PROVISION_TYPE_NAMES) == set(PROVISION_TYPES)
    assert PROVISION_TYPE_NAMES["04"] == "Loonkostensubsidie (Participatiewet)"
    assert PROVISION_TYPE_NAMES["05"] == "Beschut werk"


def test_provision_types_show_their_names_and_the_total_row_is_the_bbv_indicator(tmp_path: Path) -> None:
    dashboard = with_provisions(tmp_path)
    try:
        table = build(dashboard).tables["reintegratie"]
        rows = {row[0].text: (row[1].text, row[2].text) for row in table.rows}
        assert rows == {
            "01 Tijdelijke loonkostensubsidie": ("2", "2,0"),
            "04 Loonkostensubsidie (Participatiewet)": ("3", "3,0"),
            "05 Beschut werk": ("1", "1,0"),
            "99 Overige voorziening": ("1", "1,0"),
            "Totaal": ("7", "7,0"),  # 7 running provisions per 10,000 inhabitants aged 15-64
        }
        assert table.has_total and table.rows[-1][0].text == "Totaal"
        # the total is `sdm metric reintegration --per-10000` without a breakdown
        whole = dashboard.figures.metric(
            MetricRequest("reintegration", on=(MOMENT,), per_10000=True)
        ).records()
        by_type = dashboard.figures.metric(
            MetricRequest("reintegration", on=(MOMENT,), by=("provision_type",))
        ).records()
        assert (whole[0]["provisions"], whole[0]["per_10000"]) == (7, 7.0)
        assert sorted(r["provision_type"] for r in by_type) == ["01", "04", "05", "99"]  # the CSV keeps codes
        assert "BBV-indicator" in table.note
        download = to_csv(table).decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(download)))[-1] == ["Totaal", "7", "7.0"]
    finally:
        dashboard.close()


def test_a_viewer_sees_the_total_rounded_and_its_rate_from_the_rounded_count(tmp_path: Path) -> None:
    dashboard = with_provisions(tmp_path)
    try:
        rows = {
            row[0].text: (row[1].text, row[2].text)
            for row in build(dashboard, VIEWER).tables["reintegratie"].rows
        }
        assert rows["Totaal"] == (
            "5",
            "5,0",
        )  # 7 rounded to 5, so 5 per 10,000: the exact 7 cannot be worked back
        assert rows["04 Loonkostensubsidie (Participatiewet)"] == ("< 5", "x")
    finally:
        dashboard.close()


def test_a_type_outside_the_srg_list_keeps_its_code(tmp_path: Path) -> None:
    dashboard = with_provisions(tmp_path, ["04", "L7"])
    try:
        names = [row[0].text for row in build(dashboard).tables["reintegratie"].rows]
        assert names == ["04 Loonkostensubsidie (Participatiewet)", "L7", "Totaal"]
    finally:
        dashboard.close()


def test_the_bijstand_reentries_are_called_herinstroom(tmp_path: Path) -> None:
    dashboard = make(tmp_path)
    try:
        table = build(dashboard).tables["herinstroom"]
        assert table.headers == ("Periode", "Instroom", "Herinstroom", "Herinstroom %")
    finally:
        dashboard.close()


def test_the_charts_name_the_income_system_as_their_source(tmp_path: Path) -> None:
    dashboard = make(tmp_path)
    try:
        page = build(dashboard)
        assert page.charts and all("inkomensadministratie (Participatiewet" in c.svg for c in page.charts)
        assert not any("registratie sociaal domein" in c.svg for c in page.charts)
    finally:
        dashboard.close()


def test_the_footer_of_the_page_names_only_the_sources_of_its_figures(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        load_allocations_rows(warehouse, tmp_path, [allocation("a1", client="A", start="2023-01-01", end=None)],
                              extracted_on=MOMENT)  # fmt: skip
        load_benefits_rows(warehouse, tmp_path, ROWS, extracted_on=MOMENT)
    dashboard = Dashboard(db, WebSettings(secret_key="k" * 40, warm_up=False))
    try:
        declared = PAGES_BY_NAME["uitkeringen"].sources
        assert dashboard.sources(declared) == SOURCE_NAMES["benefits"]  # no provisions loaded: not named
        assert dashboard.sources() == f"{SOURCE_NAMES['allocations']} en {SOURCE_NAMES['benefits']}"
        assert PAGES_BY_NAME["clienten"].sources is None  # clients of the three laws: every loaded source
    finally:
        dashboard.close()


def test_a_breakdown_by_a_benefit_column_says_its_rows_need_not_add_up(tmp_path: Path) -> None:
    # a couple P+R on one benefit until 2024-03-31; R goes on alone from 2024-04-01, without a gap
    rows = [
        benefit(benefit_id="U1", client_id="P", partner_id="R", partner_birth_date="1982-05-01", household_type="3",
                start_date="2023-01-01", end_date="2024-03-31", outflow_reason="02"),
        benefit(benefit_id="U2", client_id="R", birth_date="1982-05-01", household_type="2", start_date="2024-04-01"),
    ]  # fmt: skip
    dashboard = make(tmp_path, rows)
    try:
        split = build(dashboard, ANALYST, uitsplitsen="leefvorm", **YEARS)
        flows = {
            (r[0].text.split(" ")[0], r[1].text): (r[2].text, r[3].text) for r in split.tables["stromen"].rows
        }
        whole = {
            r[0].text.split(" ")[0]: (r[1].text, r[2].text)
            for r in build(dashboard, ANALYST, **YEARS).tables["stromen"].rows
        }
        # R flows out as a couple and in as a single parent; the total sees only P's outflow
        assert flows[("2024", "Gehuwden of samenwonenden")] == ("0", "2")
        assert flows[("2024", "Alleenstaande ouder")] == ("1", "0")
        assert whole["2024"] == ("0", "1")
        for key in ("stromen", "herinstroom", "uitstroomredenen", "instroomredenen", "duur_beeindigd"):
            assert "een paar dat uit elkaar gaat" in split.tables[key].note, key
        assert "tellen daarom niet altijd op tot het totaal" in split.tables["stromen"].note
        for parameter in ("leeftijd", "geslacht"):  # a person's own: the rows add up
            assert "niet altijd op" not in build(dashboard, uitsplitsen=parameter).tables["stromen"].note
        assert "niet altijd op" not in build(dashboard).tables["stromen"].note
        assert "andere wijk" in build(dashboard, ANALYST, uitsplitsen="wijk").tables["stromen"].note
    finally:
        dashboard.close()
