"""The warehouse: one DuckDB file, created and migrated on first use. The only module that imports duckdb.

Migrations are the numbered SQL files in ``migrations/``; ``schema_migrations`` records which have run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb  # noqa: TID251 - the warehouse is the one place that talks to the database
import pyarrow as pa

from sdmonitor.errors import WarehouseError

DEFAULT_MEMORY_LIMIT = "3GB"


@dataclass(frozen=True)
class Migration:
    """One schema change: its number, name and SQL."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The packaged migrations in order (``0001_initial.sql`` -> version 1)."""
    folder = resources.files("sdmonitor.warehouse").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


class Warehouse:
    """An open warehouse: a DuckDB connection with the schema at the latest version."""

    def __init__(
        self, connection: duckdb.DuckDBPyConnection, path: Path, memory_limit: str = DEFAULT_MEMORY_LIMIT
    ) -> None:
        self.connection = connection
        self.path = path
        self.memory_limit = memory_limit  # as configured, to restore after a load lowered it
        self._ibis: Any = None

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> None:
        """Run one statement to completion, with parameters (never pasted into the SQL)."""
        self.connection.execute(sql, parameters).fetchall()

    def rows(self, sql: str, parameters: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """All result rows of a query."""
        return self.connection.execute(sql, parameters).fetchall()

    def value(self, sql: str, parameters: Sequence[Any] | None = None) -> Any:
        """The first column of the first row (None when there is no row)."""
        rows = self.connection.execute(sql, parameters).fetchall()
        return rows[0][0] if rows else None

    def arrow(self, sql: str, parameters: Sequence[Any] | None = None) -> pa.Table:
        """A query result as an Arrow table."""
        return self.connection.execute(sql, parameters).to_arrow_table()

    def execute_on(self, sql: str, batch: pa.Table, parameters: Sequence[Any] | None = None) -> None:
        """Run ``sql`` in which the name ``batch`` is the given Arrow table.

        DuckDB finds ``batch`` by a replacement scan of this frame. Unlike ``register``, that leaves no
        catalog entry, so inside a long transaction the Arrow memory is released after each statement.
        """
        assert batch is not None  # the local name `batch` is what the SQL reads
        # Ibis turns replacement scans off on the connection it is given; this statement needs them
        self.connection.execute("SET python_enable_replacements = true")
        try:
            self.connection.execute(sql, parameters).fetchall()
        finally:
            if self._ibis is not None:
                self.connection.execute("SET python_enable_replacements = false")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: commit when the block ends normally, roll back on any exception."""
        self.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def ibis(self) -> Any:
        """An Ibis backend on this connection: the one place the metric engine meets a concrete engine."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self.connection)
        return self._ibis

    def setting(self, name: str) -> str | None:
        """A stored setting (e.g. the pseudonym key fingerprint)."""
        value = self.value("SELECT value FROM settings WHERE name = ?", [name])
        return None if value is None else str(value)

    def set_setting(self, name: str, value: str) -> None:
        """Store a setting, replacing an earlier value."""
        self.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [name, value])

    def schema_version(self) -> int:
        """The highest migration applied."""
        return int(self.value("SELECT coalesce(max(version), 0) FROM schema_migrations"))

    def close(self) -> None:
        """Close the connection; the file stays."""
        if self._ibis is not None:
            self._ibis.disconnect()
            self._ibis = None
        self.connection.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_warehouse(path: Path, *, read_only: bool = False) -> Warehouse:
    """Open (and create and migrate, unless ``read_only``) the warehouse file at ``path``.

    Raises WarehouseError with a Dutch message when the file is locked, not a warehouse, or newer than
    this version of sdmonitor.
    """
    if read_only and not path.exists():
        raise WarehouseError(
            f"Warehouse {path} bestaat nog niet. Maak het met 'sdm init' of laad eerst gegevens."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": os.environ.get("SDM_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        "preserve_insertion_order": "false",
    }
    try:
        connection = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        raise WarehouseError(
            f"Kan warehouse {path} niet openen: {exc}. Is het in gebruik door een ander proces?"
        ) from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"Kan warehouse {path} niet openen: {exc}") from exc
    # DuckDB's own progress bar writes to stdout even when it is not a terminal: it would end up in
    # `sdm metric --format csv` output. The CLI shows its own progress on stderr.
    connection.execute("SET enable_progress_bar = false").fetchall()
    warehouse = Warehouse(connection, path, str(config["memory_limit"]))
    if not read_only:
        migrate(warehouse)
    else:
        _check_version(warehouse)
    return warehouse


def _check_version(warehouse: Warehouse) -> None:
    latest = migrations()[-1].version
    try:
        current = warehouse.schema_version()
    except duckdb.CatalogException as exc:
        raise WarehouseError(f"{warehouse.path} is geen sdmonitor-warehouse.") from exc
    if current > latest:
        raise WarehouseError(
            f"Warehouse {warehouse.path} heeft schemaversie {current}; deze versie van sdmonitor kent "
            f"er {latest}. Werk sdmonitor bij."
        )
    if current < latest:
        raise WarehouseError(f"Warehouse {warehouse.path} moet worden bijgewerkt; voer eerst 'sdm init' uit.")


def migrate(warehouse: Warehouse) -> list[Migration]:
    """Apply the migrations that have not run yet, each in its own transaction; return them."""
    warehouse.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    current = warehouse.schema_version()
    known = migrations()
    if current > known[-1].version:
        _check_version(warehouse)
    applied = []
    for migration in known:
        if migration.version <= current:
            continue
        with warehouse.transaction():
            warehouse.execute(migration.sql)
            warehouse.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, datetime.now(UTC).replace(tzinfo=None)],
            )
        applied.append(migration)
    return applied
