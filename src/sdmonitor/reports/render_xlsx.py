"""A report as an XLSX workbook: one sheet per section, then a sheet with definitions and the legend.

Hidden cells are written as their text ('< 5', 'x') and never as the number behind them, so nothing a
reader may not see is in the file. Numbers are real numbers with a number format (Excel shows them in the
reader's own locale: 1.234 and 18,2 in Dutch Excel). Rates (fractions) and changes in percent are both
stored as fractions with a percent format, so Dutch Excel shows 18,6 % and 12,7 %.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from sdmonitor.domain.wording import NO_LONG_TREND
from sdmonitor.metrics import CATALOGUE
from sdmonitor.metrics.compare import GROWTH_COLUMNS
from sdmonitor.reports.appendix import ReportContext
from sdmonitor.reports.build import ReportModel, SectionModel
from sdmonitor.reports.keyfigures import NO_DATA, NO_TARGET, KeyFigure
from sdmonitor.reports.model import PROTECTED_TEXT, TableModel, is_hidden_text, policy_text
from sdmonitor.reports.protect import COUNTS, FRACTIONS, PERCENT_POINTS, value_measure
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy
from sdmonitor.reports.tables import SHARES, declared_decimals

# Measures that are fractions (0.186 is 18,6 %); 'change_pct' is in percent already (12.7 is 12,7 %).
PERCENT_FORMAT = "0.0%"
# A change of a percentage in percentage points: 3.6 shows as '+3,6 %-punt' in Dutch Excel.
POINTS_FORMAT = '+0.0" %-punt";-0.0" %-punt";0.0" %-punt"'


def _sheet_name(title: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = "".join("-" if c in "[]:*?/\\" else c for c in title)[:31].strip() or "Blad"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def write_xlsx(
    report: ReportModel, path: Path, policy: Policy = DEFAULT_POLICY, context: ReportContext | None = None
) -> Path:
    """Write the report's tables to ``path``: key figures and KPIs first, then a sheet per section, then the
    definitions and legend, the data sources and quality notes, and every revised figure."""
    # Text is never a formula, a link or a number, also when a cell is written with write(): belt and braces
    # next to _write_text, which writes every text with write_string (a load's file name '=HYPERLINK(...)').
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    f = {
        "bold": workbook.add_format({"bold": True, "bottom": 1}),
        "whole": workbook.add_format({"num_format": "#,##0"}),
        "decimal": workbook.add_format({"num_format": "#,##0.0#"}),
        "hidden": workbook.add_format({"align": "right", "font_color": "#555555"}),
        "total_whole": workbook.add_format({"bold": True, "top": 1, "num_format": "#,##0"}),
        "total_decimal": workbook.add_format({"bold": True, "num_format": "#,##0.0"}),
        "percent": workbook.add_format({"num_format": PERCENT_FORMAT}),
        "points": workbook.add_format({"num_format": POINTS_FORMAT}),
        "total_percent": workbook.add_format({"bold": True, "num_format": PERCENT_FORMAT}),
    }
    for places in range(1, MAX_DECIMALS + 1):  # a measure's declared decimals (amount: #,##0.00)
        pattern = "#,##0." + "0" * places
        f[f"fixed_{places}"] = workbook.add_format({"num_format": pattern})
        f[f"total_fixed_{places}"] = workbook.add_format({"bold": True, "num_format": pattern})
    used: set[str] = set()
    title = f"{report.template.title}, {report.period.label}"
    if report.summary or report.kpis:
        sheet = workbook.add_worksheet(_sheet_name("Kerncijfers", used))
        _write_text(sheet, 0, 0, f"Kerncijfers ({title})", f["bold"])
        headers = ["Kerncijfer", report.period.label, "Vorige periode", "Verandering (% of %-punt)", "Trend", "Langjarig",
                   "Streefwaarde", "Gehaald", "Status", "Langjarig sinds"]  # fmt: skip
        _write_row(sheet, 2, 0, headers, f["bold"])
        for r, figure in enumerate((*report.summary, *report.kpis), start=3):
            _write_key_figure(sheet, r, figure, f)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 9, 14)
    for section in report.sections:
        sheet = workbook.add_worksheet(_sheet_name(section.section.title, used))
        _write_text(sheet, 0, 0, f"{section.section.title} ({title})", f["bold"])
        if section.source and section.has_table:  # where the figures come from, as with the table in the PDF
            sheet.write_string(1, 0, f"Bron: {section.source}.")
        top = 2
        shown = (section.shown, section.compare) if section.has_table else ()
        for table in (t for t in shown if t is not None):
            _write_table(sheet, top, table, f, _pivot_measures(section, table))
            top += len(table.rows) + 3
        for line, item in enumerate(section.items):
            sheet.write_string(top + line, 0, item)
        top += len(section.items)
        if section.note:
            sheet.write_string(top, 0, section.note)
    notes = workbook.add_worksheet(_sheet_name("Toelichting", used))
    _write_text(notes, 0, 0, "Definities en legenda", f["bold"])
    line = 2
    for section in report.sections:
        _write_text(notes, line, 0, section.label, f["bold"])
        _write_text(notes, line, 1, section.definition)
        line += 1
    line += 1
    _write_text(notes, line, 0, policy_text(policy))
    _write_text(
        notes,
        line,
        1,
        f"Minder dan {policy.threshold}: om de privacy van cliënten te beschermen niet getoond.",
    )
    _write_text(notes, line + 1, 0, PROTECTED_TEXT)
    _write_text(
        notes,
        line + 1,
        1,
        "Afgeschermd: niet klein, maar verborgen zodat een totaal een klein aantal niet verraadt.",
    )
    notes.write(line + 2, 0, "onvolledig")
    notes.write(
        line + 2,
        1,
        "Te kort na het begin van de gegevens om nieuwe van doorlopende ondersteuning te onderscheiden; "
        "nooit de basis van een trendpijl.",
    )
    notes.write(line + 3, 0, "t/m (datum)")
    notes.write(line + 3, 1, "Loopt door na het datamoment (de exportdatum): geteld tot en met die datum.")
    notes.set_column(0, 0, 30)
    notes.set_column(1, 1, 100)
    if context is not None:
        _write_sources(workbook, _sheet_name("Bronnen", used), context, f)
        _write_revision(workbook, _sheet_name("Herzieningen", used), context, f)
    workbook.close()
    return path


def _write_text(sheet: Any, r: int, c: int, text: str, cell_format: Any = None) -> None:
    """A text cell, always stored as text: never run as a formula or made a link (OWASP, CSV injection)."""
    sheet.write_string(r, c, text, cell_format)


def _write_row(sheet: Any, r: int, c: int, values: list[Any], cell_format: Any = None) -> None:
    """A row of cells: text as text (``_write_text``), numbers as numbers."""
    for i, value in enumerate(values):
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(r, c + i, value, cell_format)
        else:
            _write_text(sheet, r, c + i, "" if value is None else str(value), cell_format)


MAX_DECIMALS = 4  # the most decimals a measure declares (fractions)


def _number(measure: str, value: float) -> tuple[float, str]:
    """What to store for a number and its format key: rates and changes as fractions with a percent format;
    a measure that declares decimals (``Measure.decimals``; a ``--prices`` column its base measure's) with that
    many (amount: ``fixed_2``, #,##0.00), a count whole; any other number as it is."""
    if measure in FRACTIONS or measure in SHARES:
        return value, "percent"
    if measure in PERCENT_POINTS:  # change_pct and the percent measures: in percent already
        return value / 100, "percent"
    places = declared_decimals([measure])[0]
    if places is not None and 0 < places <= MAX_DECIMALS:
        return value, f"fixed_{places}"
    return value, "whole" if isinstance(value, int) or places == 0 else "decimal"


def _write_figure(
    sheet: Any, r: int, c: int, measure: str, value: Any, text: str | None, f: dict[str, Any]
) -> None:
    """A key-figure cell: hidden text as text, a number as a number, nothing when there is no figure."""
    if text is not None and is_hidden_text(text):
        sheet.write_string(r, c, text, f["hidden"])
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number, kind = _number(measure, value)
        sheet.write_number(r, c, number, f[kind])


def _write_key_figure(sheet: Any, r: int, figure: KeyFigure, f: dict[str, Any]) -> None:
    """One row of the Kerncijfers sheet: value, previous value, change, trends, target."""
    sheet.write_string(r, 0, figure.kpi.title)
    if not figure.has_data:
        sheet.write_string(r, 1, NO_DATA)
        return
    # No rows for a count means nobody was counted: 0 (keyfigures shows '0'); a rate without rows has no value.
    value = 0 if figure.value is None and figure.measure in COUNTS else figure.value
    _write_figure(sheet, r, 1, figure.measure, value, figure.value_text, f)
    previous = figure.previous_value
    if figure.previous_text == NO_DATA:  # the previous period lies before the history starts
        sheet.write_string(r, 2, NO_DATA, f["hidden"])
    elif figure.previous_text is not None:
        _write_figure(sheet, r, 2, figure.measure, previous, figure.previous_text, f)
    if figure.is_percentage:  # a percentage changes in percentage points (3.6 is '+3,6 %-punt')
        if figure.change_points is not None:
            sheet.write_number(r, 3, figure.change_points, f["points"])
    else:
        _write_figure(sheet, r, 3, "change_pct", figure.change_pct, None, f)
    sheet.write_string(r, 4, figure.trend.word if figure.trend else "")
    if figure.base_label:  # the long-term trend's base: the first usable period after the history start
        sheet.write_string(r, 5, figure.long_trend.word if figure.long_trend else "")
        sheet.write_string(r, 9, figure.base_label)
    else:
        sheet.write_string(r, 5, NO_LONG_TREND)
    if figure.kpi.target is None:
        _write_text(sheet, r, 6, NO_TARGET)
    else:
        _write_figure(sheet, r, 6, figure.measure, figure.kpi.target, None, f)
    if figure.meets_target is not None:
        sheet.write_string(r, 7, "ja" if figure.meets_target else "nee")
    if figure.status_text:  # the report period's value is 'onvolledig', 't/m <datamoment>' or 'gepland'
        sheet.write_string(r, 8, figure.status_text)


def _pivot_measures(section: SectionModel, table: TableModel) -> dict[str, str]:
    """For a table with periods as columns: each period column -> the measure it shows."""
    if table is not section.display or not section.section.is_metric:
        return {}
    measure = value_measure(CATALOGUE[section.section.metric].measures)
    return {c: measure for c in table.columns[table.key_columns :] if c not in GROWTH_COLUMNS}


def _write_table(
    sheet: Any, top: int, table: TableModel, f: dict[str, Any], measures: dict[str, str] | None = None
) -> None:
    """A table: hidden cells as their text, numbers as numbers in their column's format."""
    measures = measures or {}
    _write_row(sheet, top, 0, list(table.headers), f["bold"])
    first_summary = top + 1 + len(table.rows) - table.summary_rows
    for r, row in enumerate(table.rows, start=top + 1):
        is_total = (table.has_total and r >= first_summary) or r - top - 1 in table.subtotal_rows
        for c, cell in enumerate(row):
            if cell.value in ("", None) and not cell.hidden:
                continue
            if cell.hidden:
                sheet.write_string(r, c, cell.text, f["hidden"])
            elif isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
                sheet.write_string(r, c, cell.text, f["bold"] if is_total and c == 0 else None)
            else:
                column = table.columns[c]
                number, kind = _number(measures.get(column, column), cell.value)
                sheet.write_number(r, c, number, f[f"total_{kind}" if is_total else kind])
    sheet.set_column(0, len(table.headers) - 1, 16)


def _write_sources(workbook: Any, name: str, context: ReportContext, f: dict[str, Any]) -> None:
    sheet = workbook.add_worksheet(name)
    _write_text(sheet, 0, 0, "Laadacties waarop deze editie rust", f["bold"])
    headers = [
        "Nr.",
        "Gegevens",
        "Bron",
        "Bestand",
        "Stand van",
        "Gelezen",
        "Geladen",
        "Afgewezen",
        "Met melding",
    ]
    _write_row(sheet, 2, 0, headers, f["bold"])
    r = 3
    for load in context.sources.loads:
        _write_row(sheet, r, 0, [load.load_id, load.kind_name, load.source, load.file_name])
        sheet.write_string(r, 4, f"{load.known_from:%d-%m-%Y %H:%M}")
        _write_row(sheet, r, 5, [load.read, load.loaded, load.rejected, load.warned], f["whole"])
        r += 1
    r += 1
    _write_text(sheet, r, 0, "Datakwaliteit: rijen per reden", f["bold"])
    _write_row(sheet, r + 1, 0, ["Gevolg", "Reden", "Toelichting", "Rijen"], f["bold"])
    for i, note in enumerate(context.sources.notes, start=r + 2):
        severity = "afgewezen" if note.severity == "fout" else "geladen, met melding"
        _write_row(sheet, i, 0, [severity, note.code, note.description])
        sheet.write_number(i, 3, note.rows, f["whole"])
    sheet.set_column(0, 2, 14)
    sheet.set_column(3, 3, 40)
    sheet.set_column(4, 8, 16)


def _write_revision(workbook: Any, name: str, context: ReportContext, f: dict[str, Any]) -> None:
    edition = context.edition
    sheet = workbook.add_worksheet(name)
    _write_text(sheet, 0, 0, f"Editie {edition.number}, editiekenmerk {edition.figures_hash[:16]}", f["bold"])
    previous = edition.previous
    if previous is None:
        _write_text(sheet, 1, 0, "Dit is de eerste editie van dit rapport over deze periode.")
        return
    _write_text(
        sheet,
        1,
        0,
        f"Gewijzigde cijfers ten opzichte van editie {previous.number} ({previous.created_at:%d-%m-%Y %H:%M})",
    )
    _write_row(
        sheet, 3, 0, ["Cijfer", f"Editie {previous.number}", "Deze editie", "Gewijzigd door"], f["bold"]
    )
    for r, change in enumerate(edition.revision.changes, start=4):
        _write_row(
            sheet, r, 0, [change.label, change.old_text, change.new_text, edition.revision.changed_by(change)]
        )
    sheet.set_column(0, 0, 70)
    sheet.set_column(1, 2, 14)
    sheet.set_column(3, 3, 60)
