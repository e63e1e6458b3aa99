"""Builders for tariffs, budgets and index series in tests: rows as dicts with the canonical headers (issue 12's
black-box contract), written to a CSV and loaded with the real load job (``sdm load tariffs|budgets|index``).

Example::

    load_tariffs_rows(warehouse, tmp_path, [{"product_code": "45A01", "unit": "04", "tariff": 62.5,
                                             "valid_from": "2024-01-01"}])
    load_budgets_rows(warehouse, tmp_path, [{"year": 2024, "budget_line": "Jeugdzorg", "amount": 1_000_000,
                                             "law": "JW"}], extracted_on=date(2024, 1, 15))

A value may be a str, number, date or None (an empty cell); a header missing from every row is left out of the
file, except the required ones, which are always written.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from sdmonitor.finance_loading import FinanceLoadSummary, load_finance
from sdmonitor.warehouse import Warehouse

NOW = datetime(2024, 3, 1, 12, 0, 0)  # as tests/conftest.py
TARIFF_HEADERS = ("product_code", "provider_code", "unit", "tariff", "valid_from", "valid_to")
BUDGET_HEADERS = ("year", "budget_line", "amount", "law", "product_categories", "provider_code")
BUDGET_OPTIONAL = ("version_date", "budgeted_clients", "budgeted_index")
INDEX_HEADERS = ("series", "year", "percentage", "status")
INDEX_OPTIONAL = ("source_note",)

Row = Mapping[str, object]


def write_rows(path: Path, headers: Sequence[str], rows: Sequence[Row], *, delimiter: str = ",") -> Path:
    """Write ``rows`` under ``headers`` plus any other keys the rows have (in first-seen order)."""
    columns = list(headers)
    for row in rows:
        columns += [k for k in row if k not in columns]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in columns])
    return path


def _fresh(tmp_path: Path, stem: str) -> Path:
    """A file name not used yet in ``tmp_path`` (each load gets its own file)."""
    number = 1
    while (tmp_path / f"{stem}-{number}.csv").exists():
        number += 1
    return tmp_path / f"{stem}-{number}.csv"


def _load(
    warehouse: Warehouse,
    kind: str,
    path: Path,
    *,
    extracted_on: date | None,
    now: datetime,
) -> FinanceLoadSummary:
    return load_finance(warehouse, kind, path, now=now, extracted_on=extracted_on)


def load_tariffs_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Sequence[Row],
    *,
    extracted_on: date | None = None,
    now: datetime = NOW,
) -> FinanceLoadSummary:
    """Write ``rows`` as a tariffs CSV and load it (raises as ``sdm load tariffs`` would)."""
    path = write_rows(_fresh(tmp_path, "tarieven"), TARIFF_HEADERS, rows)
    return _load(warehouse, "tariffs", path, extracted_on=extracted_on, now=now)


def load_budgets_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Sequence[Row],
    *,
    extracted_on: date | None = None,
    now: datetime = NOW,
) -> FinanceLoadSummary:
    """Write ``rows`` as a budgets CSV and load it; ``product_categories`` may be a list or '02;07'."""
    prepared = [
        {k: ";".join(v) if isinstance(v, list | tuple) else v for k, v in row.items()} for row in rows
    ]
    path = write_rows(_fresh(tmp_path, "begroting"), BUDGET_HEADERS, prepared)
    return _load(warehouse, "budgets", path, extracted_on=extracted_on, now=now)


def load_index_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Sequence[Row],
    *,
    extracted_on: date | None = None,
    now: datetime = NOW,
) -> FinanceLoadSummary:
    """Write ``rows`` as an index CSV and load it."""
    path = write_rows(_fresh(tmp_path, "index"), INDEX_HEADERS, rows)
    return _load(warehouse, "index", path, extracted_on=extracted_on, now=now)
