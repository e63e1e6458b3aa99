"""The report model on a small hand-made data set: figures, formatting, suppression."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports.build import build_report
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import Section, Template, builtin_path, read_template
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv
from tests.metrics.test_metrics import WORKED_EXAMPLE


def load(warehouse: Warehouse, tmp_path: Path, rows: list[dict[str, str | None]]) -> None:
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))


def test_the_half_year_template_builds_on_real_data(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, tmp_path, WORKED_EXAMPLE)
    report = build_report(
        warehouse, read_template(builtin_path("halfjaar")), parse_label("2018-H1"), as_of=None
    )
    assert [s.section.name for s in report.sections] == [s.name for s in report.template.sections]
    assert report.figures["clients.WMO.2018-H1"] == 3
    assert report.figures["clients.JW.2018-H1"] == 1
    clients = next(s for s in report.sections if s.section.name == "kerncijfers").table
    assert clients.headers[:3] == ("Periode", "Wet", "Cliënten")
    # all counts in the worked example are below 5: every one is hidden, and so is what derives from them
    assert all(cell.hidden for row in clients.rows for cell in row[2:] if cell.value is not None)
    assert {row[1].text for row in clients.rows} <= {"Wmo", "Jeugdwet"}


def test_counts_below_the_threshold_show_as_less_than_and_totals_protect_them(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(3)]  # fmt: skip
    rows += [allocation(f"p{i}", client=f"P{i}", law="JW", category="45", birth="2010-01-01", start="2018-02-10",
                        delivery_form="PGB") for i in range(7)]  # fmt: skip
    load(warehouse, tmp_path, rows)
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("vormen", "Per leveringsvorm", "clients", by=("law", "delivery_form"), periods="report", totals=True),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections
    shown = [[cell.text for cell in row] for row in section.table.rows]
    # 3 is hidden; the total is shown, so that one hidden part alone would give itself away (22 - 7 - 12):
    # the smallest shown part, 7, is hidden with it (shown as 'x': shielded, not small)
    assert shown == [
        ["2018-H1", "Jeugdwet", "PGB", "x"],
        ["2018-H1", "Jeugdwet", "ZIN", "< 5"],
        ["2018-H1", "Wmo", "ZIN", "12"],
        ["Totaal", "", "", "22"],
    ]
    assert section.table.has_total


def test_rounding_to_fives_instead_of_secondary_suppression(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, tmp_path, [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(13)])
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (Section("c", "C", "clients", periods="report"),))
    (section,) = build_report(
        warehouse, template, parse_label("2018-H1"), as_of=None, policy=Policy(round_to_5=True)
    ).sections
    assert [[cell.text for cell in row] for row in section.table.rows] == [["2018-H1", "15"]]


def test_periods_as_columns_put_each_group_on_one_row(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-03-01") for i in range(10)]
    rows += [allocation(f"n{i}", client=f"N{i}", start="2018-02-01") for i in range(2)]
    load(warehouse, tmp_path, rows)
    template = Template("t", "Test", Grain.HALF, 3, 5.0, (
        Section("wet", "Per wet", "clients", by=("law",), growth=True, layout="columns"),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections
    shown = section.shown
    assert shown.headers == (
        "Wet",
        "2017-H1",
        "2017-H2",
        "2018-H1",
        "Verschil %",
        "Trend",
        "Langjarige trend",
    )
    assert [[cell.text for cell in row] for row in shown.rows] == [
        ["Wmo", "10", "10", "12", "20,0 %", "↑", "↑"]
    ]


def test_monthly_flows_have_a_total_an_average_and_the_renewal_note(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # ten clients start in January; each allocation is renewed on 1 March (a new allocation, no gap)
    rows = [allocation(f"a{i}", client=f"C{i}", start="2018-01-05", end="2018-02-28") for i in range(10)]
    rows += [allocation(f"b{i}", client=f"C{i}", start="2018-03-01", end="2018-04-30") for i in range(10)]
    load(warehouse, tmp_path, rows)
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("stromen", "Stromen", "flows", grain=Grain.MONTH, periods="report", totals=True,
                compare="allocation_flows"),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections
    table = section.table
    total, average = ([cell.text for cell in row] for row in table.rows[-2:])
    assert total == ["Totaal", "10", "10", "0"] and average == ["Gemiddeld per maand", "1,7", "1,7", "0,0"]
    assert table.summary_rows == 2
    naive_total = [cell.text for cell in section.compare.rows[-2]] if section.compare else []
    assert naive_total == ["Totaal", "20", "20", "0"]
    assert section.note.endswith(
        "dan is de instroom 20 in plaats van 10 (100,0 % hoger) en de uitstroom 20 in plaats van 10 (100,0 % hoger)."
    )


def test_a_figure_hidden_in_one_table_is_hidden_in_every_table_that_shows_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(3)]  # fmt: skip
    rows += [allocation(f"p{i}", client=f"P{i}", law="JW", category="45", birth="2010-01-01", start="2018-02-10",
                        delivery_form="PGB") for i in range(7)]  # fmt: skip
    load(warehouse, tmp_path, rows)
    # the first table hides 7 (PGB) to protect 3 (ZIN); the second shows the same figure on its own
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("vormen", "Per leveringsvorm", "clients", by=("law", "delivery_form"), periods="report", totals=True),
        Section("zelfde", "Nogmaals", "clients", by=("law", "delivery_form"), periods="report"),
    ))  # fmt: skip
    report = build_report(warehouse, template, parse_label("2018-H1"), as_of=None)
    second = [[cell.text for cell in row] for row in report.sections[1].table.rows]
    assert second == [
        ["2018-H1", "Jeugdwet", "PGB", "x"],
        ["2018-H1", "Jeugdwet", "ZIN", "< 5"],
        ["2018-H1", "Wmo", "ZIN", "12"],
    ]
    assert report.shown["clients.JW.PGB.2018-H1"] == "x"


def test_a_chart_never_draws_a_hidden_count(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(3)]  # fmt: skip
    load(warehouse, tmp_path, rows)
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("wet", "Per wet", "clients", by=("law",), chart="line"),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections
    assert section.chart is not None
    assert section.chart["data"]["values"] == [{"x": "2018-H1", "series": "Wmo", "value": 12.0}]
    assert "niet getekend" in section.chart["title"]["subtitle"][1]


def test_top_providers_keeps_the_largest_groups_and_names_them(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.reference import PROVIDERS, load_reference

    sizes = {"11111111": 9, "22222222": 12, "33333333": 6}
    rows = [
        allocation(f"{code}-{i}", client=f"{code}-{i}", start="2018-01-10", provider_code=code)
        for code, n in sizes.items()
        for i in range(n)
    ]
    load(warehouse, tmp_path, rows)
    providers = tmp_path / "aanbieders.csv"
    providers.write_text(
        "provider_code,provider_name,provider_type\n11111111,Zorg Eén,ggz\n22222222,Twee Thuis,ouderenzorg\n"
        "33333333,Drie,ggz\n",
        encoding="utf-8",
    )
    load_reference(warehouse, PROVIDERS, providers, now=datetime(2024, 1, 1))
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("top", "Grootste aanbieders", "clients", by=("provider",), periods="report", top=2),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections
    assert [[cell.text for cell in row] for row in section.table.rows] == [
        ["2018-H1", "Twee Thuis (22222222)", "12"],
        ["2018-H1", "Zorg Eén (11111111)", "9"],
    ]


def test_periods_as_columns_show_no_stale_change_for_a_group_gone_in_the_last_period(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-03-01") for i in range(10)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2017-01-01",
                        end="2017-06-30") for i in range(6)]  # fmt: skip
    rows += [allocation(f"k{i}", client=f"K{i}", law="JW", category="45", birth="2010-01-01", start="2016-08-01",
                        end="2017-06-30") for i in range(5)]  # fmt: skip
    load(warehouse, tmp_path, rows)
    template = Template("t", "Test", Grain.HALF, 3, 5.0, (
        Section("wet", "Per wet", "clients", by=("law",), growth=True, layout="columns"),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections
    jeugd = next(row for row in section.shown.rows if row[0].text == "Jeugdwet")
    assert [cell.text for cell in jeugd] == ["Jeugdwet", "11", "0", "0", "", "", ""]


def test_a_section_shows_only_the_measures_it_names(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10", end="2018-05-31") for i in range(6)]
    load(warehouse, tmp_path, rows)
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("duur", "Duur", "duration", periods="report", measures=("episodes", "mean_months")),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections
    assert section.table.columns == ("period", "episodes", "mean_months")
    assert [cell.text for cell in section.table.rows[0]][:2] == [
        "2018-H1 (onvolledig)",
        "6",
    ]  # data start 2018


def test_text_references_reach_every_measure_as_the_tables_show_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"a{i}", client=f"C{i}", start="2018-01-05", end="2018-02-28") for i in range(10)]
    rows += [allocation(f"b{i}", client=f"D{i}", start="2018-01-05") for i in range(3)]
    load(warehouse, tmp_path, rows)
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("stromen", "Stromen", "flows", grain=Grain.MONTH, periods="report", totals=True),
    ))  # fmt: skip
    report = build_report(warehouse, template, parse_label("2018-H1"), as_of=None)
    assert report.shown["flows.2018-01"] == "13"  # the primary measure: inflow
    assert report.shown["flows.2018-02#outflow"] == "10"
    assert report.shown["flows.2018-03#inflow"] == "0"
    assert report.figures["flows.2018-02#outflow"] == 10
