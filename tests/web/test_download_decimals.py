"""A dashboard table and its downloads show days and rates with the decimals their measures declare: 41,4 days
on the page, 41.4 in CSV and a one-decimal number format in Excel, never 41,40."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import load_workbook

from sdmonitor.web.tables import TableSpec, build_table, to_csv, to_xlsx

COLUMNS = ("date", "waiting", "waited_mean_days", "list_within_norm_share", "per_10000")
ROWS = [("2024-07-01", 20, 41.4, 95.0, 15.384615384615385)]  # the rate recomputed from a rounded count


def test_days_and_rates_on_the_page_and_in_the_downloads_have_their_declared_decimals() -> None:
    table = build_table(TableSpec("t", "Wachtlijst", COLUMNS, ROWS), None)
    assert [cell.text for cell in table.rows[0]] == ["2024-07-01", "20", "41,4", "95,0 %", "15,4"]
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows[1] == ["2024-07-01", "20", "41.4", "0.95", "15.4"]  # a percentage stays a fraction
    workbook = load_workbook(
        io.BytesIO(to_xlsx(table, selection="2024", made_at=datetime(2026, 1, 2, 3, 4), source="t"))
    )
    cells = next(workbook.worksheets[0].iter_rows(min_row=2, max_row=2))
    assert [cell.number_format for cell in cells[2:5:2]] == ["#,##0.0", "#,##0.0"]
    assert cells[3].number_format == "0.0%"
