"""Builders for money test data (issue 12): declaration rows and files, and loading them.

``declaration(amount="250.00", period_start="2024-01-01")`` is one valid canonical row of ``sdm load
declarations``: client ``C1`` of allocation ``T1`` (the defaults of ``tests.builders.allocation``, so the two
are one client with one key), a Wmo begeleiding line of January 2024 at €250. Pass ``bsn=BSN_A`` (and
``client_id=None``) for a fictional BSN from ``tests.builders``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path

from sdmonitor.ingest.columns import DECLARATION_COLUMNS
from sdmonitor.loading import LoadOptions, LoadSummary, load_declarations
from sdmonitor.warehouse import Warehouse
from tests.builders import write_csv
from tests.conftest import KEY

DECLARATION_HEADERS = [c.name for c in DECLARATION_COLUMNS]


def declaration(**overrides: str | None) -> dict[str, str | None]:
    """One valid canonical declaration row; ``overrides`` set any canonical column (None: empty)."""
    row: dict[str, str | None] = {
        "declaration_id": "R1",
        "allocation_id": "T1",
        "client_id": "C1",
        "bsn": None,
        "law": "WMO",
        "product_category": "02",
        "product_code": "02A01",
        "provider_code": "12345678",
        "period_start": "2024-01-01",
        "period_end": "2024-01-31",
        "volume": "4",
        "unit": "04",
        "amount": "250.00",
        "debit_credit": "D",
        "status": "toegekend",
        "submitted_on": "2024-02-05",
        "delivery_form": "ZIN",
    }
    for name, value in overrides.items():
        if name not in row:
            raise KeyError(f"unknown declaration column {name}")
        row[name] = value
    return row


def write_declarations(
    path: Path, rows: Iterable[Mapping[str, str | None]], *, headers: list[str] | None = None
) -> Path:
    """Write declaration rows as a canonical CSV (all canonical columns unless ``headers`` says otherwise)."""
    return write_csv(path, rows, headers=headers or DECLARATION_HEADERS)


def load_declarations_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Iterable[Mapping[str, str | None]],
    *,
    extracted_on: date = date(2024, 3, 1),
    source: str = "standaard",
    name: str | None = None,
    **options: object,
) -> LoadSummary:
    """Write ``rows`` to a CSV in ``tmp_path`` and load it as an export of ``extracted_on``; the summary.

    The load moment is noon of the extraction day. Each call writes its own file (``name``, default
    ``declaraties-<extracted_on>-<n>.csv``).
    """
    if name is None:
        taken = len(list(tmp_path.glob(f"declaraties-{extracted_on}-*.csv")))
        name = f"declaraties-{extracted_on}-{taken + 1}.csv"
    path = write_declarations(tmp_path / name, rows)
    return load_declarations(
        warehouse,
        path,
        LoadOptions(source=source, extracted_on=extracted_on, pseudonym_key=KEY, **options),  # type: ignore[arg-type]
        now=datetime.combine(extracted_on, time(12)),
    )
