"""Dashboard tables: small cells hidden for viewers, on the page and in CSV and XLSX downloads."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import load_workbook

from sdmonitor.reports.suppression import Policy
from sdmonitor.web.tables import TableSpec, build_table, to_csv, to_xlsx

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
        ["2019-H1", "12", "0.0", "→"],
    ]
    workbook = load_workbook(
        io.BytesIO(to_xlsx(table, selection="2018", made_at=datetime(2026, 1, 2, 3, 4), source="t"))
    )
    values = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    assert values[1] == ["2018-H1", "< 5", None, None]
    assert values[2][1] == 12 and isinstance(values[2][1], int)
    notes = dict(workbook["Toelichting"].iter_rows(values_only=True))
    assert notes["Selectie"] == "2018" and "< 5" in notes
