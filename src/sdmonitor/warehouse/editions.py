"""Storage of report editions (table ``report_editions``, migration 0004): next number, store, list, get.

A row as stored: the revision, the files and the figures are JSON text, which ``reports/editions.py`` writes
and reads; this module only moves rows in and out, by column name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from sdmonitor.warehouse.database import Warehouse


@dataclass(frozen=True)
class EditionRecord:
    """One stored edition without its figures (``edition_figures``): the columns of ``report_editions``."""

    edition_id: int
    template: str
    template_title: str
    template_hash: str
    period: str
    number: int
    as_of: str | None
    data_moment: datetime | None
    last_load_id: int | None
    created_at: datetime
    figures_hash: str
    previous_id: int | None
    revision: str  # JSON
    files: str  # JSON: kind -> path
    min_count: int | None  # None: made before the privacy settings were recorded
    rounded: bool | None


@dataclass(frozen=True)
class NewEditionRecord:
    """An edition to store: every column but its id, which ``insert_edition`` draws."""

    template: str
    template_title: str
    template_hash: str
    period: str
    number: int
    as_of: str | None
    data_moment: datetime | None
    last_load_id: int | None
    created_at: datetime
    figures_hash: str
    previous_id: int | None
    revision: str  # JSON
    files: str  # JSON
    min_count: int | None
    rounded: bool | None
    figures: str  # JSON: every figure of the edition
    sdm_version: str


_COLUMNS = ", ".join(f.name for f in fields(EditionRecord))


def list_editions(
    warehouse: Warehouse, template: str | None = None, period: str | None = None
) -> list[EditionRecord]:
    """Stored editions, newest (last stored) first, optionally of one template and/or period."""
    rows = warehouse.records(
        f"SELECT {_COLUMNS} FROM report_editions WHERE (? IS NULL OR template = ?) AND (? IS NULL OR period = ?) "
        "ORDER BY edition_id DESC",
        [template, template, period, period],
    )
    return [EditionRecord(**r) for r in rows]


def get_edition(warehouse: Warehouse, edition_id: int) -> EditionRecord | None:
    """One stored edition (None: no such edition)."""
    rows = warehouse.records(f"SELECT {_COLUMNS} FROM report_editions WHERE edition_id = ?", [edition_id])
    return EditionRecord(**rows[0]) if rows else None


def edition_figures(warehouse: Warehouse, edition_id: int) -> str | None:
    """The stored figures of an edition as JSON text (None: no such edition)."""
    rows = warehouse.records("SELECT figures FROM report_editions WHERE edition_id = ?", [edition_id])
    return str(rows[0]["figures"]) if rows else None


def next_number(warehouse: Warehouse, template: str, period: str) -> int:
    """The number the next edition of ``template`` for ``period`` gets: 1 for the first."""
    rows = warehouse.records(
        "SELECT coalesce(max(number), 0) + 1 AS number FROM report_editions WHERE template = ? AND period = ?",
        [template, period],
    )
    return int(rows[0]["number"])


def insert_edition(warehouse: Warehouse, edition: NewEditionRecord) -> int:
    """Store an edition in one transaction; returns its new id."""
    values = asdict(edition)
    names = ", ".join(values)
    with warehouse.transaction():
        edition_id = int(warehouse.records("SELECT nextval('edition_ids') AS id")[0]["id"])
        warehouse.execute(
            f"INSERT INTO report_editions (edition_id, {names}) VALUES (?{', ?' * len(values)})",
            [edition_id, *values.values()],
        )
    return edition_id
