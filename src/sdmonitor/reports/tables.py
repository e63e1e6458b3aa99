"""One metric table as text, CSV, JSON or XLSX, and the cell writer the dashboard's Excel downloads share.

CSV is the black-box contract: a header row (period or date, the ``--by`` columns, the measures), numbers
as plain decimals with a point, comma-separated, UTF-8. The text table is for people: Dutch number format.
XLSX is for analysts: Dutch headers, numbers as numeric cells with a number format (Excel shows them with
the reader's separators: 1.234 and 12,5 in a Dutch Excel), dates as dates, and every percentage as a
fraction shown with a percent format (``change_pct`` 12.5 becomes 0.125, shown as 12,5 %), so that one
convention holds in the whole file. A sheet 'Kolommen' names the CSV column of each header.

A measure's figures are written with the decimals its declaration gives (``Measure.decimals``; a ``--prices``
column those of the measure it corrects): amounts ``310.00`` in CSV, ``12.660.856,60`` in the text table,
``#,##0.00`` in XLSX; fractions with 4 (``0.3333``), counts as whole numbers. ``write_table`` learns them from
``decimals`` (``declared_decimals`` of the result's measure names, as the metric command passes them); a column
no measure declares (period, the ``--by`` columns, change, status) is written as its value is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sdmonitor.domain.formatting import dutch_decimal, dutch_int, dutch_number, fixed_decimal, half_up
from sdmonitor.errors import InputError
from sdmonitor.metrics.catalogue import COLUMN_DECIMALS, MEASURES, corrected_measure, header
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


Decimals = Sequence[int | None]  # per column: the decimals its measure declares, None for any other column


def declared_decimals(columns: Sequence[str]) -> tuple[int | None, ...]:
    """Per column (by measure name, not output name: ``decision_mean_days`` is written ``mean_days`` with 1
    decimal), the decimals its measure declares; a ``--prices`` column (``amount_prices_2025``) those of the
    measure it corrects; a column of ``COLUMN_DECIMALS`` (``per_10000``: 1) those; None for any other column."""
    found: list[int | None] = []
    for column in columns:
        measure = MEASURES.get(corrected_measure(column)[0])
        found.append(COLUMN_DECIMALS.get(column) if measure is None else measure.decimals)
    return tuple(found)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value  # not NaN


def _decimals_of(decimals: Decimals | None, width: int) -> Decimals:
    if decimals is None:
        return [None] * width
    if len(decimals) != width:
        raise ValueError(f"{len(decimals)} decimals for {width} columns")
    return decimals


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
        self.workbook = workbook

    def fixed(self, places: int) -> Any:
        """The number format of a measure with ``places`` decimals: ``#,##0`` or ``#,##0.00``."""
        name = f"fixed_{places}"
        if name not in self.formats:
            pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
            self.formats[name] = self.workbook.add_format({"num_format": pattern})
        return self.formats[name]

    def header(self, row: int, headers: Sequence[str]) -> None:
        for at, text in enumerate(headers):
            self.sheet.write_string(row, at, text, self.bold)

    def cell(self, row: int, at: int, column: str, value: Any, decimals: int | None = None) -> None:
        """One value of ``column``; None and '' leave the cell empty. ``decimals``: those its measure declares,
        the number format of a number that is no percentage (percentages keep the percent format)."""
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
            if decimals is not None and column not in FRACTIONS | PERCENT_POINTS | SHARES:
                self.sheet.write_number(row, at, value, self.fixed(decimals))
                return
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


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]], decimals: Decimals | None = None) -> str:
    """Comma-separated text with a header line; empty cells for missing values; a number of a column with
    declared ``decimals`` with exactly that many (``310.00``), any other value as it is."""
    places = _decimals_of(decimals, len(columns))

    def cell(value: Any, d: int | None) -> Any:
        if value is None:
            return ""
        return fixed_decimal(value, d) if d is not None and _is_number(value) else value

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[cell(v, d) for v, d in zip(row, places, strict=True)] for row in rows])
    return buffer.getvalue()


def to_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A JSON list with one object per row; a column of ``COLUMN_DECIMALS`` (the rate per 10,000, exact in the
    metric) rounded to its decimals (2.3), any other number as it is."""
    places = [COLUMN_DECIMALS.get(column) for column in columns]

    def value(v: Any, d: int | None) -> Any:
        return half_up(v, d) if d is not None and isinstance(v, float) else v

    objects = [{c: value(v, d) for c, v, d in zip(columns, row, places, strict=True)} for row in rows]
    return json.dumps(objects, ensure_ascii=False, indent=1) + "\n"


def to_text(columns: Sequence[str], rows: Sequence[Sequence[Any]], decimals: Decimals | None = None) -> str:
    """An aligned text table with Dutch number formatting (1.234; 18,25); a number of a column with declared
    ``decimals`` with exactly that many (12.660.856,60), any other number with at most 4."""
    places = _decimals_of(decimals, len(columns))

    def cell(value: Any, d: int | None = None) -> str:
        if d is not None and _is_number(value):
            return dutch_number(value, d)
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

    texts = [[cell(v, d) for v, d in zip(row, places, strict=True)] for row in rows]
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
    headers: Sequence[str] | None = None, decimals: Decimals | None = None,
) -> None:  # fmt: skip
    """An XLSX workbook: a sheet with Dutch headers (``headers``, else each column's ``header``) and the rows
    (see the module docstring; numbers of a column with declared ``decimals`` formatted with that many), and a
    sheet 'Kolommen' with the CSV column name of each header."""
    places = _decimals_of(decimals, len(columns))
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(sheet_name(title))
    writer = SheetWriter(workbook, sheet)
    headers = list(headers) if headers is not None else [header(column) for column in columns]
    writer.header(0, headers)
    for at, text in enumerate(headers):
        sheet.set_column(at, at, max(10, min(len(text) + 2, 40)))
    for number, row in enumerate(rows, start=1):
        for at, (column, value, d) in enumerate(zip(columns, row, places, strict=True)):
            writer.cell(number, at, column, value, d)
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
    decimals: Decimals | None = None,
) -> str | None:  # fmt: skip
    """Write the table to ``output`` (or return it as text for the terminal; xlsx always goes to a file).
    ``headers``: the Dutch headers of the XLSX columns when a column's output name is not its measure's
    (``Measure.column``: the costs' ``paid_clients`` is written ``clients``, headed 'Cliënten met kosten').
    ``decimals``: per column the decimals its measure declares (``declared_decimals``), so that CSV, the text
    table and XLSX write ``amount`` with two (``310.00``); JSON keeps the numbers as they are."""
    if output_format == "xlsx":
        path = output or Path(f"{default_name}.xlsx")
        write_xlsx(path, columns, rows, title, headers, decimals)
        return f"Geschreven: {path}\n"
    if output_format == "csv":
        text = to_csv(columns, rows, decimals)
    elif output_format == "table":
        text = to_text(columns, rows, decimals)
    elif output_format == "json":
        text = to_json(columns, rows)
    else:
        raise InputError(f"Onbekend formaat '{output_format}'; kies table, csv, json of xlsx.")
    if output is not None:
        output.write_text(text, encoding="utf-8")
        return f"Geschreven: {output}\n"
    return text
