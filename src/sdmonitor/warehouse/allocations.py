"""Storing allocations: one atomic load per file, every change kept as a new version.

A load runs in one transaction. Its rows are staged first; ``finish`` then folds exact duplicates, rejects
allocation ids that occur with different content in the same file, skips rows identical to the version
already known, and stores the rest as new versions (superseding the previous ones). Nothing is visible to
others until ``commit``; an exception or a killed process leaves the warehouse exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from sdmonitor.errors import InputError
from sdmonitor.warehouse.database import Warehouse

# The columns of a stored version that come from the file (its content); the hash covers these.
CONTENT_COLUMNS = (
    "client_key", "birth_date", "gender", "municipality_code", "pc4", "law", "product_category",
    "product_code", "provider_code", "provider_name", "start_date", "end_date", "volume", "unit",
    "frequency", "delivery_form", "referrer", "request_date", "decision_date", "change_reason",
    "end_reason",
)  # fmt: skip
STORED_COLUMNS = ("allocation_id", *CONTENT_COLUMNS, "is_deleted")
_HASH = "md5_number(concat_ws(chr(31), allocation_id, {}))".format(
    ", ".join(f"coalesce(CAST({c} AS VARCHAR), chr(0))" for c in CONTENT_COLUMNS)
)


@dataclass(frozen=True)
class LoadInfo:
    """What describes a load besides its rows."""

    kind: str
    source: str
    file_name: str
    file_sha256: str
    mapping: str
    known_from: datetime
    loaded_at: datetime
    sdm_version: str


@dataclass(frozen=True)
class Conflict:
    """A row whose allocation id occurs in the same file with other content."""

    source_row: int
    allocation_id: str
    other_rows: tuple[int, ...]


@dataclass(frozen=True)
class FoldResult:
    """What ``finish`` found: new versions, unchanged rows, duplicates and conflicting rows."""

    loaded: int
    unchanged: int
    duplicates: int
    conflicts: tuple[Conflict, ...]


class AllocationLoad:
    """One atomic load of allocation records into the warehouse (use as a context manager)."""

    def __init__(self, warehouse: Warehouse, info: LoadInfo) -> None:
        self.warehouse = warehouse
        self.info = info
        self.load_id = 0
        self._open = False

    def __enter__(self) -> AllocationLoad:
        latest = self.warehouse.value(
            "SELECT max(known_from) FROM loads WHERE kind = ? AND source = ?",
            [self.info.kind, self.info.source],
        )
        if latest is not None and self.info.known_from < latest:
            raise InputError(
                f"Bron '{self.info.source}' heeft al gegevens van {latest:%d-%m-%Y %H:%M}; een export "
                f"van {self.info.known_from:%d-%m-%Y %H:%M} is ouder. Laad exports in volgorde van datum."
            )
        self.warehouse.execute("BEGIN TRANSACTION")
        self._open = True
        self.load_id = int(self.warehouse.value("SELECT nextval('load_ids')"))
        self.warehouse.execute(
            "CREATE OR REPLACE TEMP TABLE staged AS SELECT CAST(NULL AS BIGINT) AS source_row, "
            "allocation_id, content_hash, " + ", ".join(CONTENT_COLUMNS) + ", is_deleted "
            "FROM allocation_versions LIMIT 0"
        )
        return self

    def add(self, records: pa.Table) -> None:
        """Stage validated records (``sdmonitor.ingest.validate.RECORD_SCHEMA``)."""
        if records.num_rows == 0:
            return
        self.warehouse.register("incoming", records)
        try:
            self.warehouse.execute(
                "INSERT INTO staged BY NAME SELECT * EXCLUDE (has_warning), "
                + _HASH
                + " AS content_hash FROM incoming"
            )
        finally:
            self.warehouse.unregister("incoming")

    def finish(self) -> FoldResult:
        """Fold the staged rows into new versions (not yet committed) and say what happened."""
        w = self.warehouse
        staged = int(w.value("SELECT count(*) FROM staged"))
        w.execute(
            "CREATE OR REPLACE TEMP TABLE distinct_rows AS SELECT * FROM staged "
            "QUALIFY row_number() OVER (PARTITION BY allocation_id, content_hash ORDER BY source_row) = 1"
        )
        distinct = int(w.value("SELECT count(*) FROM distinct_rows"))
        conflict_rows = w.rows(
            "SELECT source_row, allocation_id, list(source_row) OVER (PARTITION BY allocation_id) "
            "FROM distinct_rows QUALIFY count(*) OVER (PARTITION BY allocation_id) > 1 "
            "ORDER BY source_row"
        )
        conflicts = tuple(
            Conflict(int(row), str(aid), tuple(sorted(int(o) for o in others if o != row)))
            for row, aid, others in conflict_rows
        )
        w.execute(
            "CREATE OR REPLACE TEMP TABLE candidates AS SELECT d.* FROM distinct_rows d "
            "WHERE d.allocation_id NOT IN "
            "(SELECT allocation_id FROM distinct_rows GROUP BY 1 HAVING count(*) > 1)"
        )
        w.execute(
            "CREATE OR REPLACE TEMP TABLE new_versions AS SELECT c.* FROM candidates c "
            "ANTI JOIN (SELECT allocation_id, content_hash FROM allocation_versions "
            "           WHERE source = ? AND superseded_at IS NULL) v "
            "ON v.allocation_id = c.allocation_id AND v.content_hash = c.content_hash",
            [self.info.source],
        )
        candidates = int(w.value("SELECT count(*) FROM candidates"))
        loaded = int(w.value("SELECT count(*) FROM new_versions"))
        w.execute(
            "UPDATE allocation_versions SET superseded_at = ? "
            "WHERE source = ? AND superseded_at IS NULL "
            "AND allocation_id IN (SELECT allocation_id FROM new_versions)",
            [self.info.known_from, self.info.source],
        )
        columns = ", ".join(STORED_COLUMNS)
        w.execute(
            f"INSERT INTO allocation_versions (source, load_id, known_from, superseded_at, source_row, "
            f"content_hash, {columns}) "
            f"SELECT ?, ?, ?, NULL, source_row, content_hash, {columns} FROM new_versions",
            [self.info.source, self.load_id, self.info.known_from],
        )
        return FoldResult(
            loaded=loaded,
            unchanged=candidates - loaded,
            duplicates=staged - distinct,
            conflicts=conflicts,
        )

    def commit(self, counts: dict[str, int], report_path: str | None) -> None:
        """Record the load with its counts and make everything visible at once."""
        i = self.info
        self.warehouse.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.load_id, i.kind, i.source, i.file_name, i.file_sha256, i.mapping, i.known_from,
                i.loaded_at, counts["read"], counts["loaded"], counts["unchanged"],
                counts["duplicates"], counts["rejected"], counts["warned"], report_path, i.sdm_version,
            ],
        )  # fmt: skip
        self._drop_temp()
        self.warehouse.execute("COMMIT")
        self._open = False

    def rollback(self) -> None:
        """Undo everything this load did."""
        if self._open:
            self.warehouse.execute("ROLLBACK")
            self._open = False
        self._drop_temp()

    def _drop_temp(self) -> None:
        for table in ("staged", "distinct_rows", "candidates", "new_versions"):
            self.warehouse.execute(f"DROP TABLE IF EXISTS {table}")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if self._open:
            self.rollback()
