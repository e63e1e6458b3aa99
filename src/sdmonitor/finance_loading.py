"""The load job of tariffs, budgets and price index series (``sdm load tariffs|budgets|index``).

One file is one load, all or nothing: every row is checked (``ingest/finance.py``, rules in
``domain/rules.py`` ``FINANCE_RULES``) and every row with a problem is in the load report (``rij``, ``ernst``,
``reden``, ``melding``, as for allocations, ``loading.ReportWriter``). One error refuses the whole file:
nothing is stored, the report is kept and the error names the first problems. Otherwise the rows are stored
as versions (``warehouse/finance.py``): loading the same file again changes nothing. The load starts with a
'loading' row and completes with one small final write, so a killed load is undone at the next open.
See docs/loading.md, "Tarieven, budgetten en indexreeksen".
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sdmonitor import __version__
from sdmonitor.domain.clients import mask_bsns_in_text
from sdmonitor.domain.rules import Issue, Severity
from sdmonitor.errors import InputError, LoadRejectedError
from sdmonitor.ingest import finance as checks
from sdmonitor.ingest.access import NORMS, check_norms, norms_batch
from sdmonitor.ingest.columns import Mapping, missing_columns, normalise_header
from sdmonitor.ingest.finance import BudgetRow, Checked, IndexRow, Layout, TariffRow
from sdmonitor.ingest.readers import (
    SUFFIXES,
    SourceFile,
    _open_workbook,
    _parquet_text,
    cell_text,
    detect_encoding,
    first_line,
    sniff_delimiter,
)
from sdmonitor.ingest.validate import ISSUE_SCHEMA
from sdmonitor.loading import _PendingReport, prepare_report, report_target
from sdmonitor.reference import read_csv_text
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.access import NORM_VERSIONS, NORMS_KIND, retire_missing_norms
from sdmonitor.warehouse.allocations import LoadInfo, _check_extraction
from sdmonitor.warehouse.finance import (
    VERSIONED,
    current_rows,
    newest_known_from,
    record_issues,
    store_versions,
)
from sdmonitor.warehouse.loads import LoadCounts, complete_load, start_load, undo_load

SOURCE = "referentie"  # the loads.source of these tables (one table each, not per source system)
# The help of --extracted-on per kind (``sdm load tariffs|budgets|index``): what the extraction day means.
EXTRACTED_ON_HELP = {
    "tariffs": "Datum waarop het tarievenbestand is gemaakt (standaard: vandaag). De tarieven gelden als bekend "
    "vanaf die dag (voor --as-of); vanaf welke dag een tarief geldt staat in valid_from en valid_to.",
    "budgets": "Datum waarop het begrotingsbestand is gemaakt (standaard: vandaag). De regels gelden als bekend "
    "vanaf die dag; een begrotingsregel zonder versiedatum is op die dag besloten.",
    "index": "Datum waarop het bestand met de indexreeks is gemaakt (standaard: vandaag). De percentages gelden "
    "als bekend vanaf die dag; een later geladen percentage van dezelfde reeks en hetzelfde jaar (bijvoorbeeld "
    "definitief na voorlopig) vervangt het vanaf zijn eigen dag.",
    "norms": "Datum waarop het normenbestand is gemaakt (standaard: vandaag). De normen gelden als bekend vanaf "
    "die dag (voor --as-of); het bestand is de hele set eigen normen van de gemeente, de standaardnormen blijven.",
}
SHOWN_PROBLEMS = 5  # problems named in the error of a refused file; the report has them all
# The small tables loaded all or nothing: the money tables, and the norms of issue 13 (a norms file is the
# municipality's whole set: loaded norms missing from it are superseded, the shipped defaults stay).
LAYOUTS = {**checks.LAYOUTS, NORMS_KIND: NORMS}
SPECS = {**VERSIONED, NORMS_KIND: NORM_VERSIONS}


@dataclass(frozen=True)
class TextFile:
    """A small input file as text: its headers, cells per header, spreadsheet row numbers, decimal sign."""

    path: Path
    kind: str  # csv, xlsx, parquet
    headers: list[str]
    raw: pa.Table  # the cells by source header, as text
    rows: list[int]
    decimal: str
    delimiter: str | None


@dataclass(frozen=True)
class FinanceLoadSummary:
    """What one load of tariffs, budgets or index figures did."""

    load_id: int
    kind: str
    label: str
    file: Path
    layout: str  # 'canoniek' or 'nederlands'
    read: int
    loaded: int
    unchanged: int
    duplicates: int
    warned: int
    report_path: Path
    warnings: dict[str, int] = field(default_factory=dict)
    ignored_headers: tuple[str, ...] = ()


def read_text_file(path: Path, layout: Layout) -> TextFile:
    """Read a CSV, XLSX or Parquet file of ``layout`` as text (InputError in Dutch when it cannot be used)."""
    if not path.is_file():
        raise InputError(f"Bestand {path} bestaat niet of is geen bestand.")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind == "csv":
        encoding = detect_encoding(path)
        delimiter = sniff_delimiter(first_line(path, encoding))
        raw = read_csv_text(path)
        decimal = "," if delimiter == ";" else "."
        raw, rows = _without_empty_rows(raw, _csv_line_numbers(path, encoding, raw.num_rows))
        return TextFile(path, kind, raw.column_names, raw, rows, decimal, delimiter)
    if kind == "xlsx":
        return _read_xlsx(path, layout)
    if kind == "parquet":
        try:
            table = pq.read_table(path)
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise InputError(
                f"{path.name} is geen leesbaar Parquet-bestand: het is beschadigd of iets anders met de naam "
                ".parquet. Er is niets geladen."
            ) from exc
        decimal = "," if layout.is_dutch(table.column_names) else "."
        raw = pa.table(
            {n: _parquet_text(table.column(n).combine_chunks(), decimal) for n in table.column_names}
        )
        return TextFile(path, kind, raw.column_names, raw, list(range(2, raw.num_rows + 2)), decimal, None)
    raise InputError(
        f"Bestand {path.name}: onbekend bestandstype '{path.suffix}'. Gebruik CSV (.csv), Excel (.xlsx) of "
        "Parquet (.parquet)."
    )


def _csv_line_numbers(path: Path, encoding: str, count: int) -> list[int]:
    """The line number of each row read: the CSV reader skips empty lines, the report names real lines."""
    text = path.read_text(encoding="utf-8-sig" if encoding == "utf8" else encoding)
    numbers = [n for n, line in enumerate(text.splitlines()[1:], start=2) if line.strip()]
    return numbers if len(numbers) == count else list(range(2, count + 2))


def _without_empty_rows(raw: pa.Table, rows: list[int]) -> tuple[pa.Table, list[int]]:
    """Leave out rows whose every cell is empty (';;;;' at the end of a spreadsheet export)."""
    values = raw.to_pylist()
    keep = [i for i, r in enumerate(values) if any(v is not None and v.strip() for v in r.values())]
    if len(keep) == raw.num_rows:
        return raw, rows
    return raw.take(pa.array(keep, pa.int64())), [rows[i] for i in keep]


def _read_xlsx(path: Path, layout: Layout) -> TextFile:
    """The first worksheet: row 1 the headers; empty rows are skipped (Excel keeps formatted empty rows)."""
    workbook = _open_workbook(path)
    try:
        values = (
            [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
            if workbook.worksheets
            else []
        )
    except Exception as exc:  # any parser error on hostile input: a Dutch message, no traceback
        raise InputError(f"{path.name} is geen leesbaar Excel-bestand (.xlsx). Er is niets geladen.") from exc
    finally:
        workbook.close()
    if not values:
        raise InputError(f"Werkblad 1 van {path.name} is leeg; verwacht een kopregel.")
    headers = [("" if v is None else str(v)).strip() for v in values[0]]
    while headers and not headers[-1]:
        headers.pop()
    decimal = "," if layout.is_dutch(headers) else "."
    columns: list[list[str | None]] = [[] for _ in headers]
    rows: list[int] = []
    for number, cells in enumerate(values[1:], start=2):
        texts = [cell_text(v, decimal) for v in cells[: len(headers)]]
        if all(t is None or not t.strip() for t in texts):
            continue
        texts += [None] * (len(headers) - len(texts))
        for column, text in zip(columns, texts, strict=True):
            column.append(text)
        rows.append(number)
    raw = pa.table({h: pa.array(c, pa.string()) for h, c in zip(headers, columns, strict=True)})
    return TextFile(path, "xlsx", headers, raw, rows, decimal, None)


def check_file(path: Path, layout: Layout) -> TextFile:
    """Refuse, before the warehouse is opened for writing, a file that cannot be read or lacks a column."""
    text = read_text_file(path, layout)
    found = layout.column_of(text.headers)
    missing = [c for c in layout.required if c not in found]
    if missing:
        raise InputError(
            f"{missing_columns(missing)} in {path.name}. Verwacht: {layout.expected()}. Er is niets geladen."
        )
    return text


def load_finance(
    warehouse: Warehouse,
    kind: str,
    path: Path,
    *,
    now: datetime,
    extracted_on: date | None = None,
    report_path: Path | None = None,
) -> FinanceLoadSummary:
    """Load one file of ``kind`` ('tariffs', 'budgets' or 'index'); see the module docstring.

    ``now`` is the load moment (Dutch local time, naive); ``extracted_on`` the day the file was made (default
    today): the versions are known from the start of that day, and a budget row without ``version_date`` is a
    budget decided on it. Raises InputError before anything is stored when the file is unusable as a whole,
    and LoadRejectedError (with the report kept) when a row breaks a rule.
    """
    layout = LAYOUTS[kind]
    spec = SPECS[kind]
    text = check_file(path, layout)
    found = layout.column_of(text.headers)
    info = LoadInfo(
        kind=kind,
        source=SOURCE,
        file_name=mask_bsns_in_text(path.name),
        file_sha256=_sha256(path),
        mapping="nederlands" if layout.is_dutch(text.headers) else "canoniek",
        known_from=now if extracted_on is None else datetime.combine(extracted_on, time()),
        loaded_at=now,
        sdm_version=__version__,
        extracted_on=extracted_on,
    )
    _check_extraction(info)
    latest = newest_known_from(warehouse, kind)
    if latest is not None and info.known_from <= latest:
        # an older export, or a second one of the day: it becomes the newest known state, just after the one
        # before it, so that --as-of an earlier moment still sees what it saw (as for allocations)
        info = replace(info, known_from=latest + timedelta(microseconds=1))
    cells = {column: text.raw.column(header).to_pylist() for column, header in found.items()}
    checked = _check(warehouse, kind, cells, text, info.extraction)
    source = _source_file(text, layout, found, info.file_sha256)
    pending = _PendingReport()
    with pending:
        load_id = start_load(warehouse, info)
        try:
            target = report_target(warehouse, source, load_id, now, report_path)
            report = prepare_report(pending, target, source, tighten=report_path is None)
            try:
                report.write(text.raw, pa.array(text.rows, pa.int64()), _issue_table(checked.issues))
            finally:
                report.close()
            counts = Counter(i.code for i in checked.issues if i.severity is Severity.WARNING)
            warned = len({i.row for i in checked.issues if i.severity is Severity.WARNING})
            if checked.refused:
                undo_load(warehouse, load_id)
                report.keep()
                raise LoadRejectedError(_refusal(path, layout, checked, len(text.rows), target))
            stored = store_versions(
                warehouse, spec, _batch(kind, checked.rows), load_id=load_id, known_from=info.known_from
            )
            if kind == NORMS_KIND:
                retire_missing_norms(warehouse, load_id, info.known_from)
            record_issues(warehouse, load_id, {("waarschuwing", code): n for code, n in counts.items()})
            complete_load(
                warehouse,
                load_id,
                LoadCounts(len(text.rows), stored.loaded, stored.unchanged, checked.duplicates, 0, warned),
                str(target),
            )
        except BaseException:
            undo_load(warehouse, load_id)
            raise
        report.keep()
    return FinanceLoadSummary(
        load_id=load_id,
        kind=kind,
        label=layout.label,
        file=path,
        layout=info.mapping,
        read=len(text.rows),
        loaded=stored.loaded,
        unchanged=stored.unchanged,
        duplicates=checked.duplicates,
        warned=warned,
        report_path=target,
        warnings=dict(counts),
        ignored_headers=tuple(h for h in text.headers if h not in found.values()),
    )


def _check(warehouse: Warehouse, kind: str, cells: Any, text: TextFile, extraction: date) -> Checked[Any]:
    """The rows of the file checked, and checked against the versions now current."""
    if kind == NORMS_KIND:
        return check_norms(cells, text.rows)
    if kind == "tariffs":
        tariffs = checks.check_tariffs(cells, text.rows, decimal=text.decimal)
        stored = [TariffRow(row=r.pop("source_row"), **r) for r in current_rows(warehouse, VERSIONED[kind])]
        clashes = checks.tariff_overlaps(tariffs.rows, stored)
        return Checked(tariffs.rows, _merge(tariffs.issues, clashes), tariffs.duplicates)
    if kind == "budgets":
        budgets = checks.check_budgets(cells, text.rows, decimal=text.decimal)
        stored_budgets = [
            BudgetRow(
                row=r["source_row"], year=r["year"], budget_line=r["budget_line"], amount=r["amount"],
                law=r["law"], product_categories=tuple(r["product_categories"]), provider_code=r["provider_code"],
                version_date=r["version_date"], budgeted_clients=r["budgeted_clients"],
                budgeted_index=r["budgeted_index"],
            )
            for r in current_rows(warehouse, VERSIONED[kind])
        ]  # fmt: skip
        dated = checks.with_version_dates(budgets.rows, stored_budgets, extraction)
        overlaps = checks.budget_overlaps(dated, stored_budgets)
        return Checked(dated, _merge(budgets.issues, overlaps), budgets.duplicates)
    return checks.check_index(cells, text.rows, decimal=text.decimal)


def _merge(first: tuple[Issue, ...], more: tuple[Issue, ...]) -> tuple[Issue, ...]:
    return tuple(sorted((*first, *more), key=lambda i: (i.row, i.severity.value != "fout", i.code)))


def _batch(kind: str, rows: tuple[Any, ...]) -> pa.Table:
    """The checked rows as an Arrow table with the warehouse's column types."""
    if kind == NORMS_KIND:
        return norms_batch(rows)
    if kind == "tariffs":
        t: list[TariffRow] = list(rows)
        return pa.table(
            {
                "product_code": pa.array([r.product_code for r in t], pa.string()),
                "provider_code": pa.array([r.provider_code for r in t], pa.string()),
                "unit": pa.array([r.unit for r in t], pa.string()),
                "valid_from": pa.array([r.valid_from for r in t], pa.date32()),
                "valid_to": pa.array([r.valid_to for r in t], pa.date32()),
                "tariff": pa.array([r.tariff for r in t], pa.float64()),
                "source_row": pa.array([r.row for r in t], pa.int64()),
            }
        )
    if kind == "budgets":
        b: list[BudgetRow] = list(rows)
        return pa.table(
            {
                "year": pa.array([r.year for r in b], pa.int32()),
                "budget_line": pa.array([r.budget_line for r in b], pa.string()),
                "version_date": pa.array([r.version_date for r in b], pa.date32()),
                "amount": pa.array([r.amount for r in b], pa.decimal128(18, 2)),
                "law": pa.array([r.law for r in b], pa.string()),
                "product_categories": pa.array(
                    [list(r.product_categories) for r in b], pa.list_(pa.string())
                ),
                "provider_code": pa.array([r.provider_code for r in b], pa.string()),
                "budgeted_clients": pa.array([r.budgeted_clients for r in b], pa.int64()),
                "budgeted_index": pa.array([r.budgeted_index for r in b], pa.float64()),
                "source_row": pa.array([r.row for r in b], pa.int64()),
            }
        )
    i: list[IndexRow] = list(rows)
    return pa.table(
        {
            "series": pa.array([r.series for r in i], pa.string()),
            "year": pa.array([r.year for r in i], pa.int32()),
            "status": pa.array([r.status for r in i], pa.string()),
            "percentage": pa.array([r.percentage for r in i], pa.float64()),
            "source_note": pa.array([r.source_note for r in i], pa.string()),
            "source_row": pa.array([r.row for r in i], pa.int64()),
        }
    )


def _issue_table(issues: tuple[Issue, ...]) -> pa.Table:
    return pa.table(
        {
            "row": pa.array([i.row for i in issues], pa.int64()),
            "severity": pa.array([i.severity.value for i in issues], pa.string()),
            "code": pa.array([i.code for i in issues], pa.string()),
            "column": pa.array([i.column for i in issues], pa.string()),
            "message": pa.array([i.message for i in issues], pa.string()),
        },
        schema=ISSUE_SCHEMA,
    )


def _source_file(text: TextFile, layout: Layout, found: dict[str, str], sha256: str) -> SourceFile:
    """The file as the load report sees it: its headers and which of them are read (echoed)."""
    mapping = Mapping(
        name=layout.kind,
        columns={normalise_header(header): column for column, header in found.items()},
        delimiter=text.delimiter,
        decimal=text.decimal,
    )
    return SourceFile(
        path=text.path,
        kind=text.kind,
        mapping=mapping,
        headers=text.headers,
        delimiter=text.delimiter,
        encoding="utf8",
        size_bytes=text.path.stat().st_size,
        sha256=sha256,
    )


def _refusal(path: Path, layout: Layout, checked: Checked[Any], read: int, report: Path) -> str:
    errors = [i for i in checked.issues if i.severity is Severity.ERROR]
    rows = len({i.row for i in errors})
    shown = "; ".join(f"rij {i.row}: {i.message.rstrip('.')}" for i in errors[:SHOWN_PROBLEMS])
    more = f"; en nog {len(errors) - SHOWN_PROBLEMS}" if len(errors) > SHOWN_PROBLEMS else ""
    return mask_bsns_in_text(
        f"{path.name}: {rows} van {read} rijen afgewezen, dus is er niets geladen ({layout.label} worden alleen "
        f"helemaal geladen). {shown}{more}. Alle problemen staan in het rapport: {report}"
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
