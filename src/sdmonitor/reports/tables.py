"""One metric table as text, CSV, JSON or XLSX, and the cell writer the dashboard's Excel downloads share.

CSV is the black-box contract: a header row (period or date, the ``--by`` columns, the measures), numbers
as plain decimals with a point, comma-separated, UTF-8. The text table is for people: Dutch number format.
XLSX is for analysts: Dutch headers, numbers as numeric cells with a number format (Excel shows them with
the reader's separators: 1.234 and 12,5 in a Dutch Excel), dates as dates, and every percentage as a
fraction shown with a percent format (``change_pct`` 12.5 becomes 0.125, shown as 12,5 %), so that one
convention holds in the whole file. A sheet 'Kolommen' names the CSV column of each header.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sdmonitor.domain.formatting import dutch_decimal, dutch_int
from sdmonitor.errors import InputError
from sdmonitor.metrics.catalogue import header
from sdmonitor.reports import protect
from sdmonitor.reports.protect import FRACTIONS

# Percentages held as numbers of percent (12.5 = 12,5 %: change_pct and the ``percent`` measures such as
# within_norm_share); exports turn them into fractions like FRACTIONS.
PERCENT_POINTS = protect.PERCENT_POINTS
# Fractions of the forecast that are no catalogue measure (reports/finance.py, docs/forecast.md): 0.315 is 31,5 %.
SHARES = frozenset({"share_used", "share_of_year"})
NUMBER_FORMATS = {
    "whole": "#,##0",
    "decimal": "#,##0.0#",
    "percent": "0.0%",
    "date": "dd-mm-yyyy",
    "moment": "dd-mm-yyyy hh:mm",
}


def as_fraction(column: str, value: Any) -> Any:
    """A percentage of ``PERCENT_POINTS`` as a fraction (12.5 -> 0.125); anything else unchanged."""
    if column in PERCENT_POINTS and isinstance(value, int | float) and not isinstance(value, bool):
        return round(value / 100, 10)  # 1.3 -> 0.013, not 0.013000000000000001
    return value


class SheetWriter:
    """Writes cells into an xlsxwriter sheet as an analyst can calculate with them: text always as text
    (never a formula), numbers as numbers with a Dutch-readable number format, percentages as fractions
    with a percent format, dates as dates."""

    def __init__(self, workbook: Any, sheet: Any) -> None:
        self.sheet = sheet
        self.formats = {name: workbook.add_format({"num_format": f}) for name, f in NUMBER_FORMATS.items()}
        self.bold = workbook.add_format({"bold": True})

    def header(self, row: int, headers: Sequence[str]) -> None:
        for at, text in enumerate(headers):
            self.sheet.write_string(row, at, text, self.bold)

    def cell(self, row: int, at: int, column: str, value: Any) -> None:
        """One value of ``column``; None and '' leave the cell empty."""
        value = as_fraction(column, value)
        if value is None or value == "":
            return
        if isinstance(value, str):
            self.sheet.write_string(row, at, value)
        elif isinstance(value, bool):
            self.sheet.write_string(row, at, "ja" if value else "nee")
        elif isinstance(value, datetime):
            self.sheet.write_datetime(row, at, value, self.formats["moment"])
        elif isinstance(value, date):
            self.sheet.write_datetime(row, at, value, self.formats["date"])
        elif isinstance(value, int | float):
            kind = (
                "percent"
                if column in FRACTIONS | PERCENT_POINTS | SHARES
                else "whole"
                if isinstance(value, int)
                else "decimal"
            )
            self.sheet.write_number(row, at, value, self.formats[kind])
        else:
            self.sheet.write_string(row, at, str(value))


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Comma-separated text with a header line; empty cells for missing values."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue()


def to_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A JSON list with one object per row."""
    return (
        json.dumps([dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False, indent=1)
        + "\n"
    )


def to_text(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table with Dutch number formatting (1.234; 18,25)."""

    def cell(value: Any) -> str:
        if isinstance(value, bool) or value is None:
            return "" if value is None else str(value)
        if isinstance(value, int):
            return dutch_int(value)
        if isinstance(value, float):
            text = f"{value:.4f}".rstrip("0").rstrip(".")
            return (
                dutch_decimal(float(text), len(text.partition(".")[2]))
                if "." in text
                else dutch_int(int(value))
            )
        return str(value)

    texts = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in texts)]) for i, c in enumerate(columns)]
    numeric = [
        bool(rows) and all(row[i] is None or isinstance(row[i], int | float) for row in rows)
        for i in range(len(columns))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    lines = [line(list(columns)), line(["-" * w for w in widths]), *(line(r) for r in texts)]
    if not rows:
        lines.append("(geen rijen)")
    return "\n".join(lines) + "\n"


def write_xlsx(
    path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str,
    headers: Sequence[str] | None = None,
) -> None:  # fmt: skip
    """An XLSX workbook: a sheet with Dutch headers (``headers``, else each column's ``header``) and the rows
    (see the module docstring), and a sheet 'Kolommen' with the CSV column name of each header."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(sheet_name(title))
    writer = SheetWriter(workbook, sheet)
    headers = list(headers) if headers is not None else [header(column) for column in columns]
    writer.header(0, headers)
    for at, text in enumerate(headers):
        sheet.set_column(at, at, max(10, min(len(text) + 2, 40)))
    for number, row in enumerate(rows, start=1):
        for at, (column, value) in enumerate(zip(columns, row, strict=True)):
            writer.cell(number, at, column, value)
    names = workbook.add_worksheet("Kolommen")
    names.set_column(0, 1, 30)
    SheetWriter(workbook, names).header(0, ["Kolom", "Naam in CSV"])
    for number, (text, column) in enumerate(zip(headers, columns, strict=True), start=1):
        names.write_string(number, 0, text)
        names.write_string(number, 1, column)
    if any(column in FRACTIONS | PERCENT_POINTS for column in columns):
        names.write_string(
            len(columns) + 2, 0, "Percentages staan als breuk met een procentnotatie: 0,125 = 12,5 %."
        )
    workbook.close()


def sheet_name(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    name = "".join("-" if c in "[]:*?/\\" else c for c in title[:31]).strip("'")
    return name or "cijfers"


def write_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], output_format: str, output: Path | None,
    *, default_name: str, title: str = "", headers: Sequence[str] | None = None,
) -> str | None:  # fmt: skip
    """Write the table to ``output`` (or return it as text for the terminal; xlsx always goes to a file).
    ``headers``: the Dutch headers of the XLSX columns when a column's output name is not its measure's
    (``Measure.column``: the costs' ``paid_clients`` is written ``clients``, headed 'Cliënten met kosten')."""
    if output_format == "xlsx":
        path = output or Path(f"{default_name}.xlsx")
        write_xlsx(path, columns, rows, title, headers)
        return f"Geschreven: {path}\n"
    render = {"csv": to_csv, "json": to_json, "table": to_text}.get(output_format)
    if render is None:
        raise InputError(f"Onbekend formaat '{output_format}'; kies table, csv, json of xlsx.")
    text = render(columns, rows)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        return f"Geschreven: {output}\n"
    return text
