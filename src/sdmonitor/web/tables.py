"""Dashboard tables: cells formatted for Dutch readers, small cells hidden for viewers, CSV and XLSX.

Suppression reuses ``reports.suppression``: every count from 1 to the threshold - 1 shows ``< 5``, and every
figure derived from a hidden count in the same row (a rate, a mean, a change, a trend) shows ``x``. A count
that follows others (``reports.protect.followers``: the costs' ``client_months`` of its ``paid_clients``) is
hidden with them, by the same rule as in reports (``reports.protect.suppress_following``); amounts, costs per
client and utilisation are hidden with the counts of their row. Under a
policy with ``round_to_5`` (the dashboard's viewers) every other count is published rounded to a multiple
of 5, and rates, per-1,000 figures and changes are recomputed from the rounded counts
(``reports.protect.rounded``), as CBS does for interactive tables: filters combine freely, so no per-table
secondary suppression could stop a reader from differencing two tables. Without rounding, where a table
declares that counts add up (the parts of a total, or the men, women and unknown of a row), a lone hidden
part takes the smallest other part with it (``x``). The same texts go into the downloads, so a download
never shows what the page hides.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sdmonitor.domain.formatting import csv_text, fixed_decimal
from sdmonitor.domain.wording import trend_of
from sdmonitor.errors import InputError
from sdmonitor.metrics.catalogue import header as catalogue_header
from sdmonitor.metrics.compare import pct_change, trend
from sdmonitor.metrics.run import DataStatus
from sdmonitor.reports import model
from sdmonitor.reports.model import PROTECTED_TEXT, policy_text, show
from sdmonitor.reports.protect import COUNTS, FRACTIONS, followers, rounded, suppress_following
from sdmonitor.reports.suppression import Policy, Relation, primary, round_to_five
from sdmonitor.reports.tables import PERCENT_POINTS, SheetWriter, as_fraction, declared_decimals, sheet_name

# Headers of the dashboard's own columns (not metric results: those are catalogue.header's).
EXTRA_HEADERS = {
    "provider_name": "Naam aanbieder",
    "pseudonym": "Pseudoniem",
    "age": "Leeftijd",
    "start_date": "Ingangsdatum",
    "end_date": "Einddatum",
    "allocation_id": "Toewijzing",
    "loads": "Laadactie",
}
ROUNDING_NOTE = (
    "Aantallen zijn afgerond op vijftallen; percentages en veranderingen zijn berekend uit de afgeronde "
    "aantallen. Totalen kunnen daardoor afwijken van de som van de delen."
)
# Rows one download may hold (CSV or XLSX): a 100,000-row drill-down workbook takes about 9 s to make on one
# core; a larger selection is refused with a Dutch message (docs/dashboard.md).
MAX_DOWNLOAD_ROWS = 100_000
PERCENT_NOTE = (
    "Percentages staan in de downloads als breuk (0,125 = 12,5 %); in Excel met een procentnotatie, in CSV "
    "als decimaal getal met een punt (0.125)."
)


def header(column: str) -> str:
    """The Dutch header of a column key."""
    return EXTRA_HEADERS.get(column) or catalogue_header(column)


@dataclass(frozen=True)
class Cell(model.Cell):
    """The report's cell (value, what a reader sees, hidden) with what a page and its downloads add."""

    numeric: bool = False  # aligned as a number; an empty one is an empty download cell, not a dash
    spoken: str | None = None  # for screen readers, when the text is a symbol (trend arrows)
    measure: str | None = None  # what the value is when it differs per row ('outflow_rate'); else the column


@dataclass(frozen=True, kw_only=True)
class Table(model.TableModel):
    """The report's table model with a title and what a page adds: ``key`` names it in download links
    (``/download/<page>/<key>.xlsx``), row links lead to the figures behind a row (drill-down)."""

    key: str
    title: str
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    suppressed: bool = False  # small cells hidden (viewer)
    hidden_count: int = 0
    links_header: str = ""  # header of the column of row links (drill-down), if any
    row_links: tuple[str | None, ...] = ()
    threshold: int = 5  # hidden small counts read '< threshold'
    is_rounded: bool = False  # counts published rounded to multiples of 5 (viewers)

    @property
    def numeric(self) -> tuple[bool, ...]:
        return tuple(any(row[i].numeric for row in self.rows) for i in range(len(self.columns)))


@dataclass
class TableSpec:
    """How to build a table from rows: which leading columns are labels, which counts add up."""

    key: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    labels: int = 1  # leading columns that name the row (period, group); the rest are measures
    labeller: Callable[[str, Any], str] | None = None  # label of a group value ('JW' -> 'Jeugdwet')
    total: Sequence[Any] | None = None  # a total row (label columns first) whose counts the rows add up to
    # counts that add up within a row: clients -> (men, women, sex_unknown)
    parts_of: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # a derived column -> the counts it is computed from (default: every count of the row)
    derived_from: Mapping[str, Sequence[str]] = field(default_factory=dict)
    note: str = ""
    row_links: Sequence[str | None] = ()
    links_header: str = ""
    omit: Sequence[str] = ("previous", "change")  # computed for suppression, not shown
    counts: Sequence[str] | None = None  # the columns that count people (default: reports.protect.COUNTS)
    trend_threshold: float = 5.0  # percent change beyond which a recomputed trend is up or down
    # the metric's status: the period label in the first column gets '(t/m 06-01-2025)', '(onvolledig)' or
    # '(gepland)' (``DataStatus.of``), on the page and in the downloads alike (docs/dashboard.md)
    status: DataStatus | None = None
    period: str | None = (
        None  # the one period of a table without a period column: its status goes in the title
    )


def build_table(spec: TableSpec, policy: Policy | None) -> Table:
    """Format a table, hiding small cells when ``policy`` is given (viewers); see the module docstring."""
    columns = list(spec.columns)
    rows = [list(row) for row in spec.rows]
    has_total = spec.total is not None and bool(rows)
    if has_total and spec.total is not None:
        rows.append(list(spec.total))
    counting = COUNTS if spec.counts is None else frozenset(spec.counts)
    counts = [i for i, c in enumerate(columns) if c in counting and i >= spec.labels]
    hidden: set[Hashable] = set()
    small: set[Hashable] = set()
    if policy is not None:
        values: dict[Hashable, int] = {
            (r, i): row[i] for r, row in enumerate(rows) for i in counts if isinstance(row[i], int)
        }
        relations = []
        if has_total:
            last = len(rows) - 1
            relations += [Relation((last, i), tuple((r, i) for r in range(last))) for i in counts]
        for whole, parts in spec.parts_of.items():
            if whole in columns:
                at = columns.index(whole)
                places = tuple(columns.index(p) for p in parts if p in columns)
                relations += [Relation((r, at), tuple((r, p) for p in places)) for r in range(len(rows))]
        follows = {
            at: tuple(columns.index(base) for base in followers().get(columns[at], ()) if base in columns)
            for at in counts
        }

        def bases(key: Hashable) -> Iterator[Hashable]:
            row, at = cast("tuple[int, int]", key)
            return ((row, base) for base in follows[at])

        hidden = suppress_following(values, relations, policy, bases)
        small = primary(values, policy)
        if policy.round_to_5:
            rows = [_published(columns, row, counts, spec.trend_threshold, policy) for row in rows]
    shown = [i for i, c in enumerate(columns) if c not in spec.omit]
    cells: list[tuple[Cell, ...]] = []
    sources = {
        i: [columns.index(c) for c in spec.derived_from[column] if c in columns]
        for i, column in enumerate(columns)
        if column in spec.derived_from
    }

    def total_row(r: int) -> bool:
        return has_total and r == len(rows) - 1

    for r, row in enumerate(rows):
        row_hidden = any((r, i) in hidden for i in counts)
        line = []
        for i in shown:
            column, value = columns[i], row[i]
            if i < spec.labels:
                text = _label(column, value, spec.labeller)
                note = (
                    spec.status.of(str(value))
                    if spec.status and spec.period is None and i == 0 and not total_row(r)
                    else ""
                )
                text = f"{text} ({note})" if note else text
                line.append(Cell(value, text))
            elif (r, i) in hidden or (
                value is not None  # an empty cell tells nothing
                and i not in counts
                and (any((r, s) in hidden for s in sources[i]) if i in sources else row_hidden)
            ):
                text = policy_text(policy) if (r, i) in small and policy else PROTECTED_TEXT
                line.append(Cell(None, text, hidden=True, numeric=True))
            else:
                line.append(_measure(column, value))
        cells.append(tuple(line))
    links = tuple(spec.row_links) + (None,) * (len(cells) - len(spec.row_links))
    title_note = spec.status.of(spec.period) if spec.status and spec.period else ""
    return Table(
        key=spec.key, title=f"{spec.title} ({title_note})" if title_note else spec.title, columns=tuple(columns[i] for i in shown),
        headers=tuple(header(columns[i]) for i in shown), rows=tuple(cells), note=spec.note,
        suppressed=policy is not None, has_total=has_total, summary_rows=int(has_total),
        key_columns=sum(1 for i in shown if i < spec.labels),
        hidden_count=sum(1 for row in cells for cell in row if cell.hidden),
        links_header=spec.links_header if any(links) else "", row_links=links if any(links) else (),
        threshold=policy.threshold if policy else 5, is_rounded=bool(policy and policy.round_to_5),
    )  # fmt: skip


def _published(
    columns: Sequence[str], row: Sequence[Any], counts: Sequence[int], threshold: float, policy: Policy
) -> list[Any]:
    """A row as published under rounding: counts to multiples of 5, and what derives from them recomputed
    from the rounded counts (rates, per 1,000, saldo, change and trend), so no exact count can be worked back.
    """
    exact = dict(zip(columns, row, strict=True))
    out = rounded(exact, policy)
    for i in counts:
        value = row[i]
        if isinstance(value, int) and not isinstance(value, bool):
            out[columns[i]] = round_to_five(value)
    if "previous" in out and out["previous"] is not None:
        primary_at = next((i for i in counts if columns[i] == "clients"), None)
        if primary_at is None:
            primary_at = next((i for i in counts if columns[i] != "previous"), None)
        now = out[columns[primary_at]] if primary_at is not None else None
        if isinstance(now, int):
            change_pct = pct_change(now, out["previous"])
            if "change" in out:
                out["change"] = now - out["previous"]
            if "change_pct" in out:
                out["change_pct"] = change_pct
            if "trend" in out:
                out["trend"] = trend(change_pct, threshold)
    return [out[column] for column in columns]


def _label(column: str, value: Any, labeller: Callable[[str, Any], str] | None) -> str:
    if value is None:
        return ""
    if labeller is not None:
        return labeller(column, value)
    return show(column, value)


def _measure(column: str, value: Any) -> Cell:
    if value is None:
        return Cell(None, "", numeric=True)
    if column in ("trend", "long_trend"):
        trend = trend_of(value)
        return Cell(value, show(column, value), spoken=trend.word if trend else None)
    if column == "change_pct" and isinstance(value, int | float):
        sign = "+" if value > 0 else ""
        return Cell(value, sign + show(column, float(value)), numeric=True)
    if column == "combination":
        return Cell(value, str(value))
    if column in FRACTIONS and isinstance(value, int | float):
        return Cell(value, show(column, float(value)), numeric=True)
    return Cell(value, show(column, value), numeric=isinstance(value, int | float))


# --- downloads --------------------------------------------------------------------------------------------


def export_value(column: str, cell: Cell) -> Any:
    """A cell as it goes into a download: hidden cells as their text (``< 5``, ``x``), numbers as numbers
    (labels too: an age), dates as dates, a trend as a word, other labels as shown."""
    if cell.hidden:
        return cell.text
    value = cell.value
    if cell.numeric and value is None:  # no figure: an empty cell, not a dash
        return ""
    if column in ("trend", "long_trend"):
        trend = trend_of(value)
        return "" if value is None else (trend.word if trend else cell.text)
    if isinstance(value, int | float | date) and not isinstance(value, bool):
        return value
    return cell.text


def to_csv(table: Table) -> bytes:
    """The table as CSV (UTF-8 with a byte order mark, so that Excel reads the accents; decimal point).

    Text that a spreadsheet would take for a formula gets a leading quote (``csv_text``). InputError
    (Dutch) for a table over ``MAX_DOWNLOAD_ROWS``."""
    problem = download_problem(table)
    if problem:
        raise InputError(problem)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_text(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_value(column, cell) for column, cell in zip(table.columns, row, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def download_problem(table: Table) -> str | None:
    """A Dutch reason why a table is too large to download (``MAX_DOWNLOAD_ROWS``), or None."""
    if len(table.rows) <= MAX_DOWNLOAD_ROWS:
        return None
    return (
        f"Deze tabel heeft {len(table.rows):,} rijen; een download bevat er hoogstens "
        f"{MAX_DOWNLOAD_ROWS:,}. Kies een kortere periode of een filter (wet, wijk, aanbieder) en download "
        "de delen apart."
    ).replace(",", ".")


def download_decimals(column: str) -> int | None:
    """The decimals a download writes a number of ``column`` with: those its measure declares (a waiting time
    in days 1: ``41.4``; a rate per 10,000 1), as the page shows it; None for a count (an average of counts
    keeps its decimals), a percentage (written as a fraction) and a column nothing declares."""
    if column in COUNTS or column in FRACTIONS or column in PERCENT_POINTS:
        return None
    return declared_decimals([column])[0]


def _csv_value(column: str, cell: Cell) -> Any:
    """A CSV field: numbers as Python writes them (decimal point, no thousands separator) with the decimals
    their measure declares, percentages as fractions, dates as ISO dates, text made inert against formulas."""
    measure = cell.measure or column
    value = as_fraction(measure, export_value(column, cell))
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    places = download_decimals(measure)
    if places is not None and isinstance(value, int | float) and not isinstance(value, bool):
        return fixed_decimal(value, places)
    return csv_text(value)


def to_xlsx(table: Table, *, selection: str, made_at: datetime, source: str) -> bytes:
    """The table as a workbook: a sheet with the table, and a sheet 'Toelichting' with the selection.

    Written row by row with xlsxwriter (``constant_memory``), so time and memory grow linearly with the
    rows; openpyxl's normal mode looked up the sheet's last row for every cell (8,000 rows took 27 s).
    Text is always written as text, never as a formula. InputError (Dutch) for a table over
    ``MAX_DOWNLOAD_ROWS``."""
    import xlsxwriter

    problem = download_problem(table)
    if problem:
        raise InputError(problem)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet(sheet_name(table.title))
    for at, head in enumerate(table.headers):  # widths from the first rows
        width = max([len(head), *(len(r[at].text) for r in table.rows[:200])]) + 2
        sheet.set_column(at, at, min(width, 60))
    writer = SheetWriter(workbook, sheet)
    writer.header(0, table.headers)
    for number, row in enumerate(table.rows, start=1):
        for at, (column, shown) in enumerate(zip(table.columns, row, strict=True)):
            measure = shown.measure or column
            writer.cell(number, at, measure, export_value(column, shown), download_decimals(measure))
    notes = workbook.add_worksheet("Toelichting")
    notes.set_column(0, 0, 14)
    notes.set_column(1, 1, 100)
    lines = [
        ("Tabel", table.title),
        ("Selectie", selection),
        ("Gemaakt op", made_at.strftime("%d-%m-%Y %H:%M")),
        ("Bron", source),
    ]
    if table.note:
        lines.append(("Toelichting", table.note))
    if table.suppressed:
        lines += [
            (f"< {table.threshold}", f"Aantal van 1 tot en met {table.threshold - 1}, niet getoond ter "
             "bescherming van de privacy."),
            ("x", "Niet getoond omdat het een klein aantal zou verraden, of ervan is afgeleid."),
        ]  # fmt: skip
    if table.is_rounded:
        lines.append(("Afronding", ROUNDING_NOTE))
    if any(column in FRACTIONS or column in PERCENT_POINTS for column in table.columns):
        lines.append(("Percentages", PERCENT_NOTE))
    for number, (term, text) in enumerate(lines):
        notes.write_string(number, 0, term)
        notes.write_string(number, 1, text)
    workbook.close()
    return buffer.getvalue()
