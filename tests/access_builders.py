"""Builders for access test data (issue 13): requests, deliveries and norms, written as files and loaded with
the real load jobs (``sdm load requests|deliveries|norms``).

``request(decided_on=None)`` is one valid canonical request row: an open Wmo aanvraag of client ``C1`` (the
client of ``tests.builders.allocation``, so the two are one client with one key). ``delivery(start_date=...)``
is the start of care under allocation ``T1`` (the default allocation of ``tests.builders``). Pass
``bsn=BSN_A`` (and ``client_id=None``) for a fictional BSN from ``tests.builders``. Example::

    load_allocations_rows(...)  # or load_rows(warehouse, tmp_path, [allocation("T1", start="2024-01-01")])
    load_requests_rows(warehouse, tmp_path, [request(received_on="2024-01-02", decided_on="2024-01-20")])
    load_deliveries_rows(warehouse, tmp_path, [delivery(start_date="2024-02-01")])
    load_norms_rows(warehouse, tmp_path, [{"law": "JW", "applies_to": "waiting", "days": 56}])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path

from sdmonitor.finance_loading import FinanceLoadSummary, load_finance
from sdmonitor.ingest.columns import DELIVERY_COLUMNS, REQUEST_COLUMNS
from sdmonitor.loading import (
    ALLOCATION_TABLE,
    DELIVERY_TABLE,
    REQUEST_TABLE,
    FileKind,
    LoadOptions,
    LoadSummary,
    load_table,
)
from sdmonitor.warehouse import Warehouse
from tests.builders import COLUMN_NAMES, write_csv
from tests.conftest import KEY
from tests.money_builders_reference import write_rows

REQUEST_HEADERS = [c.name for c in REQUEST_COLUMNS]
DELIVERY_HEADERS = [c.name for c in DELIVERY_COLUMNS]
NORM_HEADERS = ("law", "product_category", "provider_code", "applies_to", "days")


def request(**overrides: str | None) -> dict[str, str | None]:
    """One valid canonical request row; ``overrides`` set any canonical column (None: empty)."""
    row: dict[str, str | None] = {
        "request_id": "A1",
        "client_id": "C1",
        "bsn": None,
        "law": "WMO",
        "kind": "aanvraag",
        "received_on": "2024-01-08",
        "decided_on": "2024-01-19",
        "outcome": "toegekend",
        "team": "Wijkteam Noord",
        "suspended_days": None,
        "extended_days": None,
        "product_category": "02",
        "plan_on": None,
        "birth_date": None,
    }
    for name, value in overrides.items():
        if name not in row:
            raise KeyError(f"unknown request column {name}")
        row[name] = value
    return row


def delivery(**overrides: str | None) -> dict[str, str | None]:
    """One valid canonical delivery row (the start of care under allocation T1); ``overrides`` set any column."""
    row: dict[str, str | None] = {
        "allocation_id": "T1",
        "start_date": "2018-01-15",
        "end_date": None,
        "end_reason": None,
        "reported_on": None,
    }
    for name, value in overrides.items():
        if name not in row:
            raise KeyError(f"unknown delivery column {name}")
        row[name] = value
    return row


def _load_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    table: FileKind,
    stem: str,
    headers: list[str],
    rows: Iterable[Mapping[str, str | None]],
    extracted_on: date,
    name: str | None,
    options: dict[str, object],
) -> LoadSummary:
    if name is None:
        taken = len(list(tmp_path.glob(f"{stem}-{extracted_on}-*.csv")))
        name = f"{stem}-{extracted_on}-{taken + 1}.csv"
    path = write_csv(tmp_path / name, rows, headers=headers)
    return load_table(
        warehouse,
        path,
        LoadOptions(extracted_on=extracted_on, pseudonym_key=KEY, **options),  # type: ignore[arg-type]
        table,
        now=datetime.combine(extracted_on, time(12)),
    )


def load_allocations_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Iterable[Mapping[str, str | None]],
    *,
    extracted_on: date = date(2024, 3, 1),
    name: str | None = None,
    **options: object,
) -> LoadSummary:
    """Write allocation rows (``tests.builders.allocation``) to a canonical CSV and load them as an export of
    ``extracted_on``; as ``load_requests_rows``."""
    return _load_rows(
        warehouse, tmp_path, ALLOCATION_TABLE, "toewijzingen", list(COLUMN_NAMES), rows, extracted_on, name,
        options,
    )  # fmt: skip


def load_requests_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Iterable[Mapping[str, str | None]],
    *,
    extracted_on: date = date(2024, 3, 1),
    name: str | None = None,
    **options: object,
) -> LoadSummary:
    """Write ``rows`` to a canonical requests CSV and load it as an export of ``extracted_on`` (load moment:
    noon of that day); ``options`` are further ``LoadOptions`` (``source``, ``reload``, ``strict``)."""
    return _load_rows(
        warehouse, tmp_path, REQUEST_TABLE, "aanvragen", REQUEST_HEADERS, rows, extracted_on, name, options
    )


def load_deliveries_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Iterable[Mapping[str, str | None]],
    *,
    extracted_on: date = date(2024, 3, 1),
    name: str | None = None,
    **options: object,
) -> LoadSummary:
    """Write ``rows`` to a canonical deliveries CSV and load it as an export of ``extracted_on``; as
    ``load_requests_rows``. The source must be the allocations' (default 'standaard')."""
    return _load_rows(
        warehouse, tmp_path, DELIVERY_TABLE, "leveringen", DELIVERY_HEADERS, rows, extracted_on, name, options
    )


def load_norms_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Sequence[Mapping[str, object]],
    *,
    extracted_on: date = date(2024, 3, 1),
) -> FinanceLoadSummary:
    """Write ``rows`` (missing columns empty) as a norms CSV and load it, all or nothing (raises as ``sdm load
    norms`` would). Each load is the municipality's whole set of norms."""
    number = 1
    while (tmp_path / f"normen-{number}.csv").exists():
        number += 1
    path = write_rows(tmp_path / f"normen-{number}.csv", NORM_HEADERS, rows)
    return load_finance(
        warehouse, "norms", path, now=datetime.combine(extracted_on, time(12)), extracted_on=extracted_on
    )
