"""Storage of report editions (table ``report_editions``, migration 0004): next number, store, list, get.

A row as stored: the revision, the files and the figures are JSON text, which ``reports/editions.py`` writes
and reads; this module only moves rows in and out, by column name.

Each column is declared once. ``EditionFacts`` holds what an edition is in every form (stored, read back,
about to be stored, and ``reports/editions.py``'s ``Edition`` and ``NewEdition``, which extend it);
``EditionRow`` adds the columns kept as they are stored; ``EditionRecord`` (read back: with its id) and
``NewEditionRecord`` (to store: with its figures and the sdm version) extend that.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from sdmonitor.warehouse.database import Warehouse


@dataclass(frozen=True, kw_only=True)
class EditionFacts:
    """What an edition is, in every form: the report, its period and number, the data and the privacy
    settings it was made with, the hash of what it publishes."""

    template: str
    template_title: str
    template_hash: str
    period: str
    number: int
    as_of: str | None  # the --as-of it was made with (None: the data as loaded)
    data_moment: datetime | None  # the newest allocation load it includes
    last_load_id: int | None
    created_at: datetime
    figures_hash: str
    min_count: int | None = None  # published threshold (None: made before the settings were recorded)
    rounded: bool | None = None  # counts published rounded to fives (None: unknown, old)


def facts_of(edition: EditionFacts) -> dict[str, Any]:
    """The fields of ``EditionFacts`` of any form of an edition, by name (to build another form from it)."""
    return {f.name: getattr(edition, f.name) for f in fields(EditionFacts)}


@dataclass(frozen=True, kw_only=True)
class EditionRow(EditionFacts):
    """The columns of ``report_editions`` but its id, figures and sdm version."""

    previous_id: int | None
    revision: str  # JSON
    files: str  # JSON: kind -> path


@dataclass(frozen=True, kw_only=True)
class EditionRecord(EditionRow):
    """One stored edition without its figures (``edition_figures``)."""

    edition_id: int


@dataclass(frozen=True, kw_only=True)
class NewEditionRecord(EditionRow):
    """An edition to store: every column but its id, which ``insert_edition`` draws."""

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
