"""Dashboard tables: small cells hidden for viewers, on the page and in CSV and XLSX downloads."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from sdmonitor.errors import InputError
from sdmonitor.reports.suppression import Policy
from sdmonitor.web.tables import MAX_DOWNLOAD_ROWS, TableSpec, build_table, download_problem, to_csv, to_xlsx

VIEWER = Policy(threshold=5)
COLUMNS = ("period", "clients", "previous", "change", "change_pct", "trend")
ROWS = [
    ("2018-H1", 3, None, None, None, None),
    ("2018-H2", 12, 3, 9, 300.0, "up"),
    ("2019-H1", 12, 12, 0, 0.0, "flat"),
]


def texts(table: object) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]  # type: ignore[attr-defined]


def test_a_viewer_sees_small_counts_as_less_than_five_and_changes_from_them_as_x() -> None:
    table = build_table(TableSpec("t", "Cliënten", COLUMNS, ROWS), VIEWER)
    assert table.headers == ("Periode", "Cliënten", "Verschil %", "Trend")
    assert texts(table) == [
        ["2018-H1", "< 5", "", ""],
        ["2018-H2", "12", "x", "x"],  # the change from 3 would tell the 3
        ["2019-H1", "12", "0,0 %", "→"],
    ]
    assert table.hidden_count == 3


def test_an_analyst_sees_every_count() -> None:
    table = build_table(TableSpec("t", "Cliënten", COLUMNS, ROWS), None)
    assert texts(table)[0][1] == "3" and texts(table)[1][2] == "+300,0 %"
    assert table.hidden_count == 0


def test_parts_that_add_up_hide_a_second_cell_so_the_first_cannot_be_worked_back() -> None:
    columns = ("period", "clients", "men", "women", "sex_unknown", "mean_age")
    table = build_table(
        TableSpec("t", "Profiel", columns, [("2018", 40, 20, 17, 3, 44.5)],
                  parts_of={"clients": ("men", "women", "sex_unknown")}, derived_from={"mean_age": ("clients",)}),
        VIEWER,
    )  # fmt: skip
    assert texts(table) == [["2018", "40", "20", "x", "< 5", "44,5"]]


def test_a_total_row_protects_its_parts() -> None:
    table = build_table(
        TableSpec("t", "Leeftijd", ("age_band", "clients"), [("0-17", 2), ("18-64", 30), ("65+", 50)],
                  total=("Totaal", 82)),
        VIEWER,
    )  # fmt: skip
    assert texts(table) == [["0-17", "< 5"], ["18-64", "x"], ["65+", "50"], ["Totaal", "82"]]
    assert table.has_total


def test_downloads_hold_the_hidden_texts_never_the_small_numbers() -> None:
    table = build_table(TableSpec("t", "Cliënten", COLUMNS, ROWS), VIEWER)
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows == [
        ["Periode", "Cliënten", "Verschil %", "Trend"],
        ["2018-H1", "< 5", "", ""],
        ["2018-H2", "12", "x", "x"],
        ["2019-H1", "12", "0.0", "stabiel"],  # a trend as a word an analyst can filter on (the report's word)
    ]
    workbook = load_workbook(
        io.BytesIO(to_xlsx(table, selection="2018", made_at=datetime(2026, 1, 2, 3, 4), source="t"))
    )
    values = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    assert values[1] == ["2018-H1", "< 5", None, None]
    assert values[2][1] == 12 and isinstance(values[2][1], int)
    notes = dict(workbook["Toelichting"].iter_rows(values_only=True))
    assert notes["Selectie"] == "2018" and "< 5" in notes


ROUNDED = Policy(threshold=5, round_to_5=True)


def _published(spec: TableSpec) -> list[list[str]]:
    return texts(build_table(spec, ROUNDED))


def test_differencing_a_breakdown_by_sex_and_its_total_cannot_give_the_small_count() -> None:
    # the review's example: 129 clients = 80 men + 48 women + 1 unknown; the same filter without breakdown
    columns = ("period", "clients", "men", "women", "sex_unknown")
    parts = {"clients": ("men", "women", "sex_unknown")}
    published = [
        (_published(TableSpec("t", "Profiel", columns, [("2018", 80 + 48 + unknown, 80, 48, unknown)],
                              parts_of=parts)),
         _published(TableSpec("t", "Cliënten", ("period", "clients"), [("2018", 80 + 48 + unknown)])))
        for unknown in (1, 2, 3, 4)
    ]  # fmt: skip
    assert published[0] == ([["2018", "130", "80", "50", "< 5"]], [["2018", "130"]])
    assert all(tables == published[0] for tables in published)  # every small count gives the same pages


def test_differencing_providers_with_and_without_a_law_filter_cannot_give_the_small_count() -> None:
    columns = ("provider_name", "clients")

    def pages(all_laws: int, wmo: int) -> tuple[list[list[str]], list[list[str]]]:
        return (_published(TableSpec("t", "Aanbieders", columns, [("Zorg BV", all_laws)])),
                _published(TableSpec("t", "Aanbieders, Wmo", columns, [("Zorg BV", wmo)])))  # fmt: skip

    # 2 or 3 Jeugdwet clients (23 or 24 in all, 21 Wmo): the reader sees the same two pages
    assert pages(23, 21) == pages(24, 21) == ([["Zorg BV", "25"]], [["Zorg BV", "20"]])


def test_flows_per_year_and_per_quarter_do_not_add_up_to_a_small_quarter() -> None:
    columns = ("period", "inflow", "outflow")
    for last_quarter in (1, 2, 3, 4):
        quarters = [("Q1", 12, 10), ("Q2", 15, 10), ("Q3", 11, 10), ("Q4", last_quarter, 10)]
        year = [("2018", sum(q[1] for q in quarters), 40)]
        by_quarter, by_year = (
            _published(TableSpec("q", "S", columns, quarters)),
            _published(TableSpec("y", "S", columns, year)),
        )
        assert [row[1] for row in by_quarter] == ["10", "15", "10", "< 5"]
        assert by_year[0][1] == "40"  # 39..42 all publish as 40: the year tells nothing about Q4


def test_a_viewers_change_and_rate_are_computed_from_the_rounded_counts() -> None:
    columns = (
        "period",
        "clients",
        "previous",
        "change",
        "change_pct",
        "trend",
        "outflow_clients",
        "outflow_rate",
    )
    table = build_table(
        TableSpec("t", "Cliënten", columns, [("2018-H2", 13, 12, 1, 8.3, "up", 6, 6 / 13)]), ROUNDED
    )
    assert texts(table) == [["2018-H2", "15", "+50,0 %", "↑", "5", "33,3 %"]]
    assert table.is_rounded
    assert texts(build_table(TableSpec("t", "Cliënten", columns, [("2018-H2", 13, 12, 1, 8.3, "flat", 6, 6 / 13)]),
                             None))[0][1] == "13"  # fmt: skip


def test_the_legend_of_hidden_counts_follows_the_threshold() -> None:
    from sdmonitor.web.charts import _note

    table = build_table(TableSpec("t", "Cliënten", COLUMNS, ROWS), Policy(threshold=10, round_to_5=True))
    assert texts(table)[0][1] == "< 10"
    workbook = load_workbook(
        io.BytesIO(to_xlsx(table, selection="2018", made_at=datetime(2026, 1, 2, 3, 4), source="t"))
    )
    notes = dict(workbook["Toelichting"].iter_rows(values_only=True))
    assert "< 10" in notes and "< 5" not in notes
    assert "9" in str(notes["< 10"]) and "Afronding" in notes
    assert _note(2, 10) == "Kleine aantallen (< 10) zijn weggelaten."


def test_text_that_looks_like_a_formula_stays_text_in_downloads() -> None:
    attack = '=HYPERLINK("http://evil.example/","x")'
    rows = [
        ("01-01-2026 10:00:00", attack),
        ("01-01-2026 10:00:01", "+31 6"),
        ("01-01-2026 10:00:02", "anna"),
    ]
    table = build_table(TableSpec("audit", "Auditlog", ("logged_at", "user"), rows, labels=2), None)
    lines = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["'" + attack, "'+31 6", "anna"]
    workbook = load_workbook(
        io.BytesIO(to_xlsx(table, selection=attack, made_at=datetime(2026, 1, 2, 3, 4), source="t"))
    )
    sheet = workbook.worksheets[0]
    assert sheet.cell(2, 2).value == attack and sheet.cell(2, 2).data_type == "s"
    assert sheet.cell(1, 1).value == table.headers[0] and sheet.max_row == 4
    notes = workbook["Toelichting"]
    assert all(cell.data_type != "f" for row in notes.iter_rows() for cell in row)


def _drilldown_like(rows: int) -> Any:
    columns = ("pseudonym", "age", "law", "product_code", "provider", "start_date")
    data = [
        (f"P{i:09d}", 20 + i % 60, "WMO", "02A01", "12345678", f"0{1 + i % 9}-01-2020") for i in range(rows)
    ]
    return build_table(TableSpec("details", "Toewijzingen", columns, data, labels=2), None)


def test_an_excel_download_of_8000_rows_takes_linear_time() -> None:
    table = _drilldown_like(8000)
    start = time.perf_counter()
    content = to_xlsx(table, selection="2020", made_at=datetime(2026, 1, 2, 3, 4), source="t")
    elapsed = time.perf_counter() - start
    assert elapsed < 8.0, f"8,000 rows took {elapsed:.1f} s (the quadratic version took 27 s)"
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    assert sum(1 for _ in sheet.iter_rows()) == 8001


def test_a_download_over_the_maximum_is_refused_with_a_dutch_message() -> None:
    largest = _drilldown_like(MAX_DOWNLOAD_ROWS)
    assert download_problem(largest) is None
    table = replace(largest, rows=(*largest.rows, largest.rows[0]))
    for export in (to_csv, lambda t: to_xlsx(t, selection="", made_at=datetime(2026, 1, 1), source="")):
        with pytest.raises(InputError, match=r"hoogstens 100\.000\. Kies een kortere periode"):
            export(table)


def test_the_period_status_labels_the_period_cell_on_the_page_and_in_the_downloads() -> None:
    from datetime import date

    from sdmonitor.metrics.run import DataStatus

    status = DataStatus(
        moment=date(2025, 1, 6), incomplete=frozenset({"2015-H1"}), partial=frozenset({"2025-H1"})
    )
    rows = [("2015-H1", 40), ("2024-H2", 50), ("2025-H1", 60)]
    table = build_table(
        TableSpec("t", "Cliënten", ("period", "clients"), rows, total=("Totaal", 150), status=status), None
    )
    expected = ["2015-H1 (onvolledig)", "2024-H2", "2025-H1 (t/m 06-01-2025)", "Totaal"]
    assert [row[0].text for row in table.rows] == expected
    assert [row[0].value for row in table.rows][:3] == ["2015-H1", "2024-H2", "2025-H1"]  # charts, links
    lines = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == expected
    sheet = load_workbook(io.BytesIO(to_xlsx(table, selection="", made_at=datetime(2025, 1, 7), source="")))
    assert [row[0] for row in sheet.worksheets[0].iter_rows(min_row=2, values_only=True)] == expected
    planned = replace(status, planned=True)
    single = build_table(TableSpec("s", "Aanbieders 2025-H1", ("name", "clients"), [("A", 60)], status=planned,
                                   period="2025-H1"), None)  # fmt: skip
    assert single.title == "Aanbieders 2025-H1 (gepland)" and single.rows[0][0].text == "A"


def test_a_trend_reads_as_in_the_reports_on_the_page_for_screen_readers_and_in_downloads() -> None:
    from sdmonitor.domain.wording import Trend
    from sdmonitor.reports.model import TableModel

    table = build_table(TableSpec("t", "Cliënten", COLUMNS, ROWS), None)
    assert isinstance(table, TableModel) and table.key_columns == 1  # the reports' table model, extended
    trend_cells = [row[-1] for row in table.rows[1:]]
    assert [(c.text, c.spoken) for c in trend_cells] == [("↑", "stijgend"), ("→", "stabiel")]
    assert [c.spoken for c in trend_cells] == [Trend.UP.word, Trend.FLAT.word]  # as in the report's workbook
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert [row[-1] for row in rows[2:]] == ["stijgend", "stabiel"]


COSTS = ("provider", "amount", "paid_clients", "cost_per_client", "client_months", "cost_per_client_month")
COST_ROWS = [
    ("99990001", 1200.0, 3, 400.0, 9, 1200.0 / 9),
    ("99990002", 5000.0, 10, 500.0, 60, 5000.0 / 60),
    ("99990003", 8000.0, 20, 400.0, 120, 8000.0 / 120),
]
COST_TOTAL = ("Totaal", 14200.0, 33, 14200.0 / 33, 189, 14200.0 / 189)


def test_a_viewer_sees_amounts_client_months_and_costs_per_client_hidden_with_few_clients_with_costs() -> (
    None
):
    table = build_table(TableSpec("kosten", "Kosten", COSTS, COST_ROWS, total=COST_TOTAL), VIEWER)
    assert table.headers == (
        "Aanbieder", "Kosten (euro)", "Cliënten met kosten", "Kosten per cliënt", "Cliëntmaanden",
        "Kosten per cliëntmaand",
    )  # fmt: skip
    # 9 client-months are no small count, but they are 3 clients' months: hidden with them, as in reports
    assert texts(table)[0] == ["99990001", "x", "< 5", "x", "x", "x"]
    # the total row would give the 3 clients and their 1,200 euros back: the smallest other row goes too
    assert texts(table)[1] == ["99990002", "x", "x", "x", "x", "x"]
    assert texts(table)[2] == ["99990003", "8.000,00", "20", "400,00", "120", "66,67"]
    assert texts(table)[3][2] == "33"


def test_a_viewer_with_rounded_counts_sees_client_months_hidden_with_few_clients_with_costs() -> None:
    table = build_table(TableSpec("kosten", "Kosten", COSTS, COST_ROWS), Policy(threshold=5, round_to_5=True))
    assert texts(table)[0] == ["99990001", "x", "< 5", "x", "x", "x"]
    assert texts(table)[1][2] == "10" and texts(table)[1][4] == "60"


def test_a_viewer_sees_volumes_utilisation_and_allocations_hidden_with_few_clients_with_volume() -> None:
    columns = ("product_code", "unit", "allocated_volume", "declared_volume", "utilisation", "util_allocations",
               "util_clients")  # fmt: skip
    rows = [("02A01", "04", 100.0, 80.0, 0.8, 9, 3), ("02A02", "04", 500.0, 450.0, 0.9, 20, 12)]
    table = build_table(TableSpec("verzilvering", "Verzilvering", columns, rows, labels=2), VIEWER)
    assert texts(table)[0] == ["02A01", "04", "x", "x", "x", "x", "< 5"]
    assert texts(table)[1][2:] == ["500,00", "450,00", "90,0 %", "20", "12"]
