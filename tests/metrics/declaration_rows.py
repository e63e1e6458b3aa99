"""Declared lines written straight into ``declaration_versions``, for tests of the spread and the as-of rules
that need versions at chosen moments (the loader's own tests go through ``sdm load declarations``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sdmonitor.warehouse import Warehouse

COLUMNS = (
    "source", "declaration_id", "provider_key", "law", "debit_credit", "load_id", "known_from",
    "superseded_at", "superseded_by", "source_row", "content_hash", "client_key", "pseudonym",
    "client_number", "allocation_id", "product_category", "product_code", "provider_code", "period_start",
    "period_end", "volume", "unit", "amount", "status", "submitted_on", "submitted_given", "delivery_form",
)  # fmt: skip


def line(
    declaration_id: str,
    client_key: int,
    start: str,
    end: str,
    amount: float,
    *,
    debit_credit: str = "D",
    status: str = "toegekend",
    law: str = "WMO",
    category: str = "02",
    provider: str = "12345678",
    known_from: datetime = datetime(2024, 1, 1),
    superseded_at: datetime | None = None,
    **other: Any,
) -> dict[str, Any]:
    """One stored version with sensible defaults; ``other`` sets any further column."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(
        source="test", declaration_id=declaration_id, provider_key=provider, law=law,
        debit_credit=debit_credit, load_id=1, known_from=known_from, superseded_at=superseded_at,
        source_row=1, content_hash=0, client_key=client_key, product_category=category,
        provider_code=provider, period_start=date.fromisoformat(start), period_end=date.fromisoformat(end),
        amount=amount, status=status, submitted_on=date.fromisoformat(end), submitted_given=True,
        delivery_form="ZIN",
    )  # fmt: skip
    for name, value in other.items():
        if name not in row:
            raise KeyError(f"unknown column {name}")
        row[name] = value
    return row


def insert_lines(warehouse: Warehouse, rows: list[dict[str, Any]]) -> None:
    """Store the rows as versions of ``declaration_versions``."""
    marks = ", ".join("?" for _ in COLUMNS)
    for row in rows:
        warehouse.execute(
            f"INSERT INTO declaration_versions ({', '.join(COLUMNS)}) VALUES ({marks})",
            [row[c] for c in COLUMNS],
        )


def record_load(warehouse: Warehouse, extracted_on: date, *, source: str = "test") -> None:
    """A complete load of kind 'declarations' extracted on ``extracted_on`` (its data moment)."""
    moment = datetime.combine(extracted_on, datetime.min.time())
    load_id = warehouse.value("SELECT nextval('load_ids')")
    warehouse.execute(
        "INSERT INTO loads (load_id, kind, source, file_name, file_sha256, mapping, known_from, loaded_at, "
        "rows_read, rows_loaded, rows_unchanged, rows_duplicate, rows_rejected, rows_warned, sdm_version, "
        "status, extracted_on) VALUES (?, 'declarations', ?, 'test.csv', '', 'canoniek', ?, ?, 0, 0, 0, 0, 0, "
        "0, 'test', 'complete', ?)",
        [load_id, source, moment, moment, extracted_on],
    )


def insert_index(
    warehouse: Warehouse,
    rows: list[tuple[str, int, str, float]],
    *,
    known_from: datetime = datetime(2024, 1, 1),
    superseded_at: datetime | None = None,
) -> None:
    """Store price index figures (series, year, status, percentage) as versions of ``index_versions``; a
    figure the warehouse already holds (the shipped series) is left as it is."""
    for series, year, status, percentage in rows:
        held = warehouse.value(
            "SELECT count(*) FROM index_versions WHERE series = ? AND year = ? AND status = ? "
            "AND percentage = ? AND superseded_at IS NULL",
            [series, year, status, percentage],
        )
        if held:
            continue
        warehouse.execute(
            "INSERT INTO index_versions (series, year, status, percentage, source_note, load_id, known_from, "
            "superseded_at, superseded_by, source_row) VALUES (?, ?, ?, ?, NULL, 1, ?, ?, NULL, 1)",
            [series, year, status, percentage, known_from, superseded_at],
        )
