"""The warehouse: one DuckDB file, created and migrated on first use. The only module that imports duckdb.

Migrations are the numbered SQL files in ``migrations/``; ``schema_migrations`` records which have run.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
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
log = logging.getLogger(__name__)


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
        self.repaired_loads: tuple[int, ...] = ()  # unfinished loads undone when it was opened
        self.on_close: Callable[[], None] | None = None  # e.g. withdraw a writer's release request
        self._ibis: Any = None

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> None:
        """Run one statement to completion, with parameters (never pasted into the SQL)."""
        self.connection.execute(sql, parameters).fetchall()

    def rows(self, sql: str, parameters: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """All result rows of a query."""
        return self.connection.execute(sql, parameters).fetchall()

    def records(self, sql: str, parameters: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """All result rows of a query, each a dict by column name."""
        result = self.connection.execute(sql, parameters)
        names = [column[0] for column in result.description or ()]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

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
        try:
            if self._ibis is not None:
                self._ibis.disconnect()
                self._ibis = None
            self.connection.close()
        finally:
            if self.on_close is not None:
                self.on_close()
                self.on_close = None

    def cursor(self) -> Warehouse:
        """A second connection to the same open database, for another thread (closed by its user)."""
        return Warehouse(self.connection.cursor(), self.path, self.memory_limit)

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connection_config() -> dict[str, str | bool | int | float | list[str]]:
    """DuckDB's settings for every connection to a warehouse (one process may only hold one set per file)."""
    return {
        "memory_limit": os.environ.get("SDM_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        "preserve_insertion_order": "false",
    }


class WarehouseInUseError(WarehouseError):
    """The warehouse file is held by another process (DuckDB's file lock), or in this process with another
    mode; a writer may ask a serving dashboard to let go (``sharing.open_for_writing``)."""


def open_warehouse(path: Path, *, read_only: bool = False, repair: bool = True) -> Warehouse:
    """Open (and create and migrate, unless ``read_only``) the warehouse file at ``path``.

    A writable open undoes loads that never completed (a killed load; see ``loads.py``) and lists them in
    ``repaired_loads``. A read-only open that finds one, or an older schema, repairs it through a short
    writable open, or refuses when it cannot write; with ``repair=False`` (the dashboard) it always refuses,
    naming the command that repairs. Raises WarehouseError with a Dutch message when the file is locked (then
    WarehouseInUseError), not a warehouse, or newer than this version of sdmonitor.
    """
    if read_only and not path.exists():
        raise WarehouseError(
            f"Warehouse {path} bestaat nog niet. Maak het met 'sdm init' of laad eerst gegevens."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(
            f"Kan de map {path.parent} voor warehouse {path} niet maken: geen toestemming of geen geldige map. "
            "Kies met --db (SDM_DB) een plek waar u mag schrijven."
        ) from exc
    config = connection_config()
    try:
        connection = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as exc:
        raise open_failure(path, exc, read_only=read_only) from exc
    warehouse = Warehouse(connection, path, str(config["memory_limit"]))
    try:
        # DuckDB's own progress bar writes to stdout even when it is not a terminal: it would end up in
        # `sdm metric --format csv` output. The CLI shows its own progress on stderr.
        connection.execute("SET enable_progress_bar = false").fetchall()
        if not read_only:
            migrate(warehouse)
            from sdmonitor.warehouse.loads import repair_unfinished_loads

            warehouse.repaired_loads = repair_unfinished_loads(warehouse)
            return warehouse
        from sdmonitor.warehouse.loads import unfinished_loads

        outdated = not _check_version(warehouse, allow_older=True)
        unfinished = [] if outdated else unfinished_loads(warehouse)
    except BaseException as exc:
        warehouse.close()
        if isinstance(exc, duckdb.Error):
            raise open_failure(path, exc, read_only=read_only) from exc
        raise
    if not unfinished and not outdated:
        return warehouse
    if not repair:
        warehouse.close()
        if outdated:
            raise WarehouseError(
                f"Warehouse {path} heeft een ouder schema; het dashboard werkt het niet zelf bij. Voer eerst "
                "'sdm init' uit."
            )
        raise WarehouseError(
            f"Warehouse {path} bevat een laadactie die niet is afgemaakt (nummer {', '.join(map(str, unfinished))}, "
            "bijvoorbeeld van een afgebroken proces). Het dashboard draait die niet zelf terug: voer eerst "
            "'sdm init' uit."
        )
    # an older schema or an unfinished load: bring the file up to date through a short writable open
    warehouse.close()
    try:
        with open_warehouse(path) as repairing:
            repaired = repairing.repaired_loads
    except WarehouseError as exc:
        if outdated:
            raise WarehouseError(
                f"Warehouse {path} heeft een ouder schema en moet worden bijgewerkt; dat kan alleen met "
                f"schrijfrechten: voer 'sdm init' uit als een gebruiker die het bestand mag wijzigen. Reden: {exc}"
            ) from exc
        numbers = ", ".join(map(str, unfinished))
        raise WarehouseError(
            f"Warehouse {path} bevat een laadactie die niet is afgemaakt (nummer {numbers}, bijvoorbeeld van een "
            "afgebroken proces). Die moet eerst worden teruggedraaid en dat kan alleen met schrijfrechten: voer "
            f"'sdm init' uit als een gebruiker die het bestand mag wijzigen. Reden: {exc}"
        ) from exc
    reopened = open_warehouse(path, read_only=True)
    reopened.repaired_loads = repaired
    return reopened


def open_failure(path: Path, exc: BaseException, *, read_only: bool) -> WarehouseError:
    """What is really wrong when the warehouse at ``path`` cannot be opened, in Dutch: in use by another
    process, no permission, or not a warehouse / damaged. DuckDB's English text goes to the log only."""
    text = str(exc)
    log.debug("opening %s failed: %s", path, text)
    # the lock of another process; in this process: another mode, or an instance still being let go
    held = (
        "Could not set lock",
        "Conflicting lock",
        "different configuration",
        "Unique file handle conflict",
    )
    if any(marker in text for marker in held):
        pid = re.search(r"\(PID (\d+)\)", text)
        who = f" (proces {pid.group(1)})" if pid else ""
        return WarehouseInUseError(
            f"Warehouse {path} is in gebruik door een ander proces{who}, bijvoorbeeld een lopende laadactie of "
            "'sdm serve'. Wacht tot dat klaar is of stop het, en probeer het opnieuw."
        )
    allowed = os.access(path, os.R_OK if read_only else os.R_OK | os.W_OK)
    if "permission denied" in text.lower() or (path.exists() and not allowed):
        action = "te lezen" if read_only else "te wijzigen"
        return WarehouseError(
            f"Geen toestemming om warehouse {path} {action}. Vraag de beheerder om rechten op het bestand (en de "
            "map), of gebruik een opdracht die alleen leest, zoals 'sdm loads' of 'sdm metric'."
        )
    return damaged(path, exc)


def damaged(path: Path, exc: BaseException) -> WarehouseError:
    """The message for a file that is not a warehouse or is damaged (DuckDB's text goes to the log only)."""
    log.debug("%s is unusable: %s", path, exc)
    return WarehouseError(
        f"{path} is geen bruikbaar sdmonitor-warehouse: het bestand is beschadigd of is geen warehouse. Zet een "
        "reservekopie terug, of kies met --db (SDM_DB) het juiste bestand. Ontbrekende gegevens kunt u opnieuw "
        "laden in een nieuw warehouse."
    )


def storage_failure(exc: BaseException, path: Path | None) -> WarehouseError | None:
    """A Dutch error for a failure of the warehouse file met while querying (damaged blocks, disk full),
    or None when ``exc`` is something else (then it is a bug). For the entry points, which do not import
    duckdb."""
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc)
    if "no space left" in text.lower():
        return WarehouseError(
            f"De schijf van warehouse {path or ''} is vol. Maak ruimte vrij en probeer het opnieuw; wat niet "
            "is afgemaakt, is niet opgeslagen."
        )
    corrupt = "corrupt" in text.lower() or "checksum" in text.lower()
    if corrupt or isinstance(exc, duckdb.IOException | duckdb.SerializationException):
        return damaged(path or Path("het warehouse"), exc)
    return None


def _check_version(warehouse: Warehouse, *, allow_older: bool = False) -> bool:
    """Refuse a warehouse of a newer version or not a warehouse; True when it is at the latest version.

    An older one is refused too, unless ``allow_older`` (then False is returned)."""
    latest = migrations()[-1].version
    try:
        current = warehouse.schema_version()
    except duckdb.CatalogException as exc:
        raise WarehouseError(
            f"{warehouse.path} is geen sdmonitor-warehouse (een ander DuckDB-bestand). Kies met --db (SDM_DB) "
            "het juiste bestand."
        ) from exc
    if current > latest:
        raise WarehouseError(
            f"Warehouse {warehouse.path} heeft schemaversie {current}; deze versie van sdmonitor kent "
            f"er {latest}. Werk sdmonitor bij."
        )
    if current < latest and not allow_older:
        raise WarehouseError(f"Warehouse {warehouse.path} moet worden bijgewerkt; voer eerst 'sdm init' uit.")
    return current == latest


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
