"""The life of a load: started, filled, completed; and the repair of loads that never completed.

A load never relies on DuckDB discarding an unfinished transaction (DuckDB 1.5 can replay part of one from its
WAL after a kill during the commit; duckdb pull request 25931). Instead:

1. ``start_load`` commits a small ``loads`` row with status 'loading' (and, for a reference table, a copy of
   its current content in ``<table>_before_load``);
2. the caller writes the load's rows in one transaction: new versions carry the load id, the versions they
   supersede get ``superseded_by`` = the load id;
3. ``complete_load`` is one small final write: the counts and status 'complete'.

``repair_unfinished_loads`` (run by every writable open) undoes each load still 'loading': it removes its
versions and its ``load_issues``, restores the versions it superseded and the reference table it replaced,
and removes its ``loads`` row. Whatever part of step 2 DuckDB recovered, the warehouse is as before the load.
See docs/guarantees.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

import pyarrow as pa

from sdmonitor.warehouse.database import Warehouse

log = logging.getLogger(__name__)

LOADING = "loading"
COMPLETE = "complete"
# Reference tables: replaced whole by a load of the same kind.
REFERENCE_KINDS = ("postcode_areas", "providers", "population")
# Tables of versions (load_id, superseded_by): a load that never completed has its versions removed and the
# versions it superseded restored. Load 0 (data shipped with sdmonitor, migrations 0013 and 0014) is never undone.
VERSIONED_TABLES = (
    "allocation_versions", "declaration_versions", "tariff_versions", "budget_versions", "index_versions",
    "request_versions", "delivery_versions", "norm_versions", "benefit_versions", "reintegration_versions",
)  # fmt: skip


@dataclass(frozen=True)
class LoadStart:
    """What is known of a load before its rows are read."""

    kind: str
    source: str
    file_name: str
    file_sha256: str
    mapping: str
    known_from: datetime
    loaded_at: datetime
    sdm_version: str
    extracted_on: date | None = None  # the day the source was extracted; None: the day of known_from

    @property
    def extraction(self) -> date:
        """The day the source was extracted (the export date)."""
        return self.extracted_on or self.known_from.date()


@dataclass(frozen=True)
class LoadCounts:
    """The counts of a completed load (``docs/loading.md``)."""

    read: int
    loaded: int
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    warned: int = 0


def start_load(warehouse: Warehouse, start: LoadStart) -> int:
    """Commit the load's ``loads`` row with status 'loading' (for a reference table also a copy of the table
    as it is); return the new load id. Call outside a transaction."""
    with warehouse.transaction():
        load_id = int(warehouse.value("SELECT nextval('load_ids')"))
        warehouse.execute(
            "INSERT INTO loads (load_id, kind, source, file_name, file_sha256, mapping, known_from, loaded_at, "
            "rows_read, rows_loaded, rows_unchanged, rows_duplicate, rows_rejected, rows_warned, report_path, "
            "sdm_version, status, extracted_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, NULL, ?, ?, ?)",
            [load_id, start.kind, start.source, start.file_name, start.file_sha256, start.mapping,
             start.known_from, start.loaded_at, start.sdm_version, LOADING,
             start.extraction],
        )  # fmt: skip
        if start.kind in REFERENCE_KINDS:
            warehouse.execute(
                f"INSERT INTO {start.kind}_before_load BY NAME SELECT ? AS load_id, * FROM {start.kind}",
                [load_id],
            )
    return load_id


def replace_reference_table(warehouse: Warehouse, kind: str, table: pa.Table) -> None:
    """Replace the whole content of the reference table ``kind`` by ``table`` (columns by name), in one
    transaction. Call between ``start_load`` and ``complete_load``; undo with ``undo_load`` if it fails."""
    if kind not in REFERENCE_KINDS:
        raise ValueError(f"not a reference table: {kind}")
    with warehouse.transaction():
        warehouse.execute(f"DELETE FROM {kind}")
        warehouse.execute_on(f"INSERT INTO {kind} BY NAME SELECT * FROM batch", table)


def complete_load(warehouse: Warehouse, load_id: int, counts: LoadCounts, report_path: str | None) -> None:
    """The one small final write that makes a load count: its counts and status 'complete'.

    Call after the load's rows are committed. Only the status decides: a crash that leaves some counts
    written and the status not, is undone at the next open like any unfinished load.
    """
    warehouse.execute(
        "UPDATE loads SET status = ?, rows_read = ?, rows_loaded = ?, rows_unchanged = ?, rows_duplicate = ?, "
        "rows_rejected = ?, rows_warned = ?, report_path = ? WHERE load_id = ?",
        [COMPLETE, counts.read, counts.loaded, counts.unchanged, counts.duplicates, counts.rejected,
         counts.warned, report_path, load_id],
    )  # fmt: skip
    _drop_copies(warehouse)


def unfinished_loads(warehouse: Warehouse) -> list[int]:
    """The ids of loads that started and never completed (a killed or failed load), oldest first."""
    return [
        int(row[0])
        for row in warehouse.rows("SELECT load_id FROM loads WHERE status <> ? ORDER BY load_id", [COMPLETE])
    ]


def undo_load(warehouse: Warehouse, load_id: int) -> None:
    """Undo one unfinished load, whatever part of its rows was stored, in one transaction."""
    kind = warehouse.value("SELECT kind FROM loads WHERE load_id = ? AND status <> ?", [load_id, COMPLETE])
    if kind is None:
        return
    with warehouse.transaction():
        for table in VERSIONED_TABLES:
            warehouse.execute(f"DELETE FROM {table} WHERE load_id = ?", [load_id])
            warehouse.execute(
                f"UPDATE {table} SET superseded_at = NULL, superseded_by = NULL WHERE superseded_by = ?",
                [load_id],
            )
        warehouse.execute("DELETE FROM load_issues WHERE load_id = ?", [load_id])
        # the client identity (migration 0009): identifiers moved by a link go back, the ones added go
        warehouse.execute(
            "UPDATE client_identifiers SET client_key = m.old_key FROM client_identifier_moves m "
            "WHERE m.load_id = ? AND client_identifiers.kind = m.kind AND client_identifiers.source = m.source "
            "AND client_identifiers.identifier = m.identifier",
            [load_id],
        )
        warehouse.execute("DELETE FROM client_identifier_moves WHERE load_id = ?", [load_id])
        warehouse.execute("DELETE FROM client_identifiers WHERE load_id = ?", [load_id])
        if kind in REFERENCE_KINDS:
            columns = [row[0] for row in warehouse.rows(f"DESCRIBE {kind}")]
            names = ", ".join(columns)
            warehouse.execute(f"DELETE FROM {kind}")
            warehouse.execute(
                f"INSERT INTO {kind} ({names}) SELECT {names} FROM {kind}_before_load WHERE load_id = ?",
                [load_id],
            )
            warehouse.execute(f"DELETE FROM {kind}_before_load WHERE load_id = ?", [load_id])
        warehouse.execute("DELETE FROM loads WHERE load_id = ?", [load_id])


def repair_unfinished_loads(warehouse: Warehouse) -> tuple[int, ...]:
    """Undo every unfinished load (newest first) and drop stale copies of reference tables; the ids undone."""
    undone = tuple(reversed(unfinished_loads(warehouse)))
    for load_id in undone:
        log.info("load %s never completed; its rows are removed and what it replaced is restored", load_id)
        undo_load(warehouse, load_id)
    _drop_copies(warehouse)
    return undone


def _drop_copies(warehouse: Warehouse) -> None:
    """Remove the copies kept for completed reference loads (a separate write after the final one)."""
    for kind in REFERENCE_KINDS:
        warehouse.execute(
            f"DELETE FROM {kind}_before_load WHERE load_id IN (SELECT load_id FROM loads WHERE status = ?)",
            [COMPLETE],
        )
