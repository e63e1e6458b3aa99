"""One metric table as text, CSV, JSON or XLSX.

CSV is the black-box contract: a header row (period or date, the ``--by`` columns, the measures), numbers
as plain decimals with a point, comma-separated, UTF-8. The text table is for people: Dutch number format.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sdmonitor.domain.formatting import dutch_decimal, dutch_int
from sdmonitor.errors import InputError


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


def write_xlsx(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str) -> None:
    """An XLSX workbook with one sheet: header, rows, numbers as numbers."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31] or "cijfers"
    sheet.append(list(columns))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)


def write_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], output_format: str, output: Path | None,
    *, default_name: str, title: str = "",
) -> str | None:  # fmt: skip
    """Write the table to ``output`` (or return it as text for the terminal; xlsx always goes to a file)."""
    if output_format == "xlsx":
        path = output or Path(f"{default_name}.xlsx")
        write_xlsx(path, columns, rows, title)
        return f"Geschreven: {path}\n"
    render = {"csv": to_csv, "json": to_json, "table": to_text}.get(output_format)
    if render is None:
        raise InputError(f"Onbekend formaat '{output_format}'; kies table, csv, json of xlsx.")
    text = render(columns, rows)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        return f"Geschreven: {output}\n"
    return text
