"""A report as an XLSX workbook: one sheet per section, then a sheet with definitions and the legend.

Hidden cells are written as their text ('< 5', 'x') and never as the number behind them, so nothing a
reader may not see is in the file. Numbers are real numbers with a number format (Excel shows them in the
reader's own locale: 1.234 and 18,2 in Dutch Excel).
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from sdmonitor.reports.build import PROTECTED_TEXT, ReportModel, policy_text
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy


def _sheet_name(title: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = "".join("-" if c in "[]:*?/\\" else c for c in title)[:31].strip() or "Blad"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def write_xlsx(report: ReportModel, path: Path, policy: Policy = DEFAULT_POLICY) -> Path:
    """Write the report's tables to ``path``."""
    workbook = xlsxwriter.Workbook(str(path))
    bold = workbook.add_format({"bold": True, "bottom": 1})
    whole = workbook.add_format({"num_format": "#,##0"})
    decimal = workbook.add_format({"num_format": "#,##0.0#"})
    hidden = workbook.add_format({"align": "right", "font_color": "#555555"})
    total = workbook.add_format({"bold": True, "top": 1, "num_format": "#,##0"})
    used: set[str] = set()
    for section in report.sections:
        sheet = workbook.add_worksheet(_sheet_name(section.section.title, used))
        sheet.write(0, 0, f"{section.section.title} ({report.template.title}, {report.period.label})", bold)
        for block, table in enumerate(t for t in (section.table, section.compare) if t is not None):
            top = 2 + block * (len(section.table.rows) + 4)
            sheet.write_row(top, 0, list(table.headers), bold)
            for r, row in enumerate(table.rows, start=top + 1):
                is_total = table.has_total and r == top + len(table.rows)
                for c, cell in enumerate(row):
                    if cell.value in ("", None) and not cell.hidden:
                        continue
                    if cell.hidden:
                        sheet.write_string(r, c, cell.text, hidden)
                    elif isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
                        sheet.write_string(r, c, cell.text, bold if is_total and c == 0 else None)
                    else:
                        sheet.write_number(
                            r,
                            c,
                            cell.value,
                            total if is_total else (whole if isinstance(cell.value, int) else decimal),
                        )
            sheet.set_column(0, len(table.headers) - 1, 16)
    notes = workbook.add_worksheet(_sheet_name("Toelichting", used))
    notes.write(0, 0, "Definities en legenda", bold)
    line = 2
    for section in report.sections:
        notes.write(line, 0, section.label, bold)
        notes.write(line, 1, section.definition)
        line += 1
    line += 1
    notes.write(line, 0, policy_text(policy))
    notes.write(
        line, 1, f"Minder dan {policy.threshold}: om de privacy van cliënten te beschermen niet getoond."
    )
    notes.write(line + 1, 0, PROTECTED_TEXT)
    notes.write(
        line + 1,
        1,
        "Afgeschermd: niet klein, maar verborgen zodat een totaal een klein aantal niet verraadt.",
    )
    notes.set_column(0, 0, 30)
    notes.set_column(1, 1, 100)
    workbook.close()
    return path
