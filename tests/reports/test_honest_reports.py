"""Honest reports (issue 9.5): like compared with like, denominators written down, reference dates as the seeds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reference import POPULATION, load_reference
from sdmonitor.reports.build import build_report
from sdmonitor.reports.template import Section, Template
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv


def test_jeugdwet_per_1000_uses_inhabitants_aged_0_to_17_and_the_report_says_so(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", birth="1940-01-01", start="2018-01-10") for i in range(30)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(10)]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2019, 1, 1))
    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n0599;2018;8;1;1000\n0599;2018;8;2;1000\n0599;2018;78;2;8000\n",
        encoding="utf-8",
    )
    load_reference(warehouse, POPULATION, population, now=datetime(2019, 1, 1))
    template = Template("t", "T", Grain.HALF, 1, 5.0, (
        Section("vormen", "Per 1.000 inwoners", "clients", by=("law",), periods="report", per_1000=True),
    ))  # fmt: skip
    section = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections[0]
    per_1000 = {row[1].text: row[-1].text for row in section.shown.rows}
    assert per_1000 == {"Jeugdwet": "5,0", "Wmo": "3,0"}  # 10 of 2,000 aged 0-17; 30 of 10,000 inhabitants
    assert "voor de Jeugdwet de inwoners van 0 tot en met 17 jaar" in section.note


def test_a_section_by_year_in_a_first_half_report_compares_the_same_months(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"a{y}{i}", client=f"A{y}{i}", start=f"{y}-01-10", end=f"{y}-03-31")
            for y in (2016, 2017, 2018) for i in range(10)]  # fmt: skip
    rows += [allocation(f"h{i}", client=f"H{i}", start="2017-08-01", end="2017-12-31") for i in range(20)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2018, 7, 2))
    template = Template("t", "T", Grain.HALF, 5, 5.0, (
        Section("jaren", "Cliënten per jaar", "clients", by=("law",), grain=Grain.YEAR, growth=True),
    ))  # fmt: skip
    section = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections[0]
    table = section.table
    at = {name: i for i, name in enumerate(table.columns)}
    shown = [(row[0].text, row[at["clients"]].text, row[at["change_pct"]].text) for row in table.rows]
    # 2017 as a whole year had 30 clients; January to June only 10, like 2016 and 2018
    assert shown == [("2016-H1", "10", ""), ("2017-H1", "10", "0,0 %"), ("2018-H1", "10", "0,0 %")]
    assert "januari tot en met juni" in section.label and "januari tot en met juni" in section.note
    whole = build_report(warehouse, template, parse_label("2017-H2"), as_of=None).sections[0].table
    assert [row[0].text for row in whole.rows] == ["2016", "2017"]  # a second-half report: whole years


def test_a_stock_section_shows_the_leiden_and_cbs_reference_dates(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"a{i}", client=f"A{i}", start="2017-06-01", end="2018-06-30") for i in range(10)]
    rows += [allocation(f"b{i}", client=f"B{i}", start="2018-07-01") for i in range(6)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2018, 7, 2))
    template = Template("t", "T", Grain.HALF, 1, 5.0, (
        Section("peildatum", "Cliëntenbestand op peildata", "stock", grain=Grain.QUARTER, periods="report"),
    ))  # fmt: skip
    section = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections[0]
    # 1 January, 1 April and 1 July (Leiden) and 30 June (CBS); the 10 leave after 30 June, the 6 start on 1 July
    assert [(row[0].value, row[-1].text) for row in section.table.rows] == [
        ("2018-01-01", "10"), ("2018-04-01", "10"), ("2018-06-30", "10"), ("2018-07-01", "6"),
    ]  # fmt: skip
    assert "zoals Leiden" in section.note and "peildatum van CBS" in section.note


def test_a_section_by_year_in_a_first_half_report_rests_no_trend_on_an_incomplete_year(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"a{y}{i}", client=f"A{y}{i}", start=f"{y}-01-10", end=f"{y}-03-31")
            for y in (2016, 2017, 2018) for i in range(10)]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2018, 7, 2))
    template = Template("t", "T", Grain.HALF, 5, 5.0, (
        Section("instroom", "Instroom per jaar", "flows", by=("law",), grain=Grain.YEAR, growth=True),
    ))  # fmt: skip
    table = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections[0].table
    at = {name: i for i, name in enumerate(table.columns)}
    shown = [(row[0].text, row[at["change_pct"]].text, row[at["long_trend"]].value) for row in table.rows]
    # the history starts in January 2016: that year's inflow is the stock at the start, no base of a trend
    assert shown[0] == ("2016-H1 (onvolledig)", "", None)
    assert shown[1][1] == "" and shown[2][1] == "0,0 %" and shown[2][2] == "flat"
