"""What the warehouse holds: its loads, their issue counts, the span of the data and the reference lists.

Named read-only queries for the CLI, the dashboard and the reports, which never write SQL themselves. Results
are frozen dataclasses (or dicts), read by field name. Writing a load lives in ``loads.py``; the report
editions in ``editions.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sdmonitor.warehouse.database import Warehouse
from sdmonitor.warehouse.loads import REFERENCE_KINDS, VERSIONED_TABLES

ALLOCATIONS = "allocations"  # the kind of an allocation load
DECLARATIONS = "declarations"  # the kind of a declaration load (``sdm load declarations``)
REQUESTS = "requests"  # meldingen and aanvragen (``sdm load requests``)
DELIVERIES = "deliveries"  # the actual start and end of care (``sdm load deliveries``)
# The kinds of load that store versions (``loads.VERSIONED_TABLES``, in that order): what a figure at a moment
# includes is the versions known then, so each load of these kinds describes a moment of its own.
VERSIONED_KINDS = (
    ALLOCATIONS, DECLARATIONS, "tariffs", "budgets", "index", REQUESTS, DELIVERIES, "norms", "benefits",
    "reintegration",
)  # fmt: skip


@dataclass(frozen=True)
class Load:
    """One row of the ``loads`` table: a file loaded, when, and its counts (``docs/loading.md``)."""

    load_id: int
    kind: str  # 'allocations', 'declarations', or a reference table: 'postcode_areas', 'providers', 'population'
    source: str
    file_name: str
    known_from: datetime  # the moment the file describes
    loaded_at: datetime
    extracted_on: date | None  # the day the source was extracted
    rows_read: int
    rows_loaded: int
    rows_unchanged: int
    rows_duplicate: int
    rows_rejected: int
    rows_warned: int


_LOAD_COLUMNS = (
    "load_id, kind, source, file_name, known_from, loaded_at, extracted_on, rows_read, rows_loaded, "
    "rows_unchanged, rows_duplicate, rows_rejected, rows_warned"
)


@dataclass(frozen=True)
class LoadIssueCount:
    """How many rows of one load were rejected or warned for one reason."""

    load_id: int
    severity: str  # 'fout' (rejected) or 'waarschuwing' (loaded, with a note)
    code: str
    rows: int


@dataclass(frozen=True)
class IssueTotal:
    """Rows with one problem, summed over several loads."""

    severity: str
    code: str
    rows: int


@dataclass(frozen=True)
class DataSpan:
    """The start dates of the allocations that count and the data moment (None for an empty warehouse).

    ``moment`` is the extraction date of the data in use: of each source's newest allocation load, the
    earliest (docs/metrics.md, "Realised, planned and incomplete"); None when no allocation load has one.
    """

    first_start: date | None
    last_start: date | None
    moment: date | None


def list_loads(warehouse: Warehouse) -> list[Load]:
    """Every load, oldest (lowest number) first."""
    return [Load(**r) for r in warehouse.records(f"SELECT {_LOAD_COLUMNS} FROM loads ORDER BY load_id")]


def count_loads(warehouse: Warehouse) -> int:
    """How many loads the warehouse records (0: nothing was ever loaded)."""
    return int(warehouse.records("SELECT count(*) AS n FROM loads")[0]["n"])


def last_load_id(warehouse: Warehouse) -> int | None:
    """The number of the newest load (None: no loads)."""
    value = warehouse.records("SELECT max(load_id) AS load_id FROM loads")[0]["load_id"]
    return None if value is None else int(value)


def loads_in_use(warehouse: Warehouse, moment: datetime | None) -> list[Load]:
    """The loads whose data the figures at ``moment`` (None: now) use, by kind, source and moment.

    A load of versions (allocations, declarations) is in use when a version it stored is the known version
    at ``moment``; a load that changed nothing or whose versions were all superseded is not. Reference data
    is replaced whole by each load, so only the newest load of each kind is in use.
    """
    known = (
        "(CAST($1 AS TIMESTAMP) IS NULL AND superseded_at IS NULL) "
        "OR (known_from <= $1 AND (superseded_at IS NULL OR superseded_at > $1))"
    )
    versions = " UNION ".join(
        f"SELECT DISTINCT load_id FROM {table} WHERE {known}" for table in VERSIONED_TABLES
    )
    rows = warehouse.records(
        f"WITH in_use AS ({versions}), "
        "newest_reference AS (SELECT max(load_id) AS load_id FROM loads WHERE list_contains($2, kind) "
        "GROUP BY kind) "
        f"SELECT {_LOAD_COLUMNS} FROM loads WHERE load_id IN (SELECT load_id FROM in_use) "
        "OR load_id IN (SELECT load_id FROM newest_reference) ORDER BY kind, source, known_from, load_id",
        [moment, list(REFERENCE_KINDS)],
    )
    return [Load(**r) for r in rows]


def data_moments(warehouse: Warehouse, kind: str, cutoff: datetime | None = None) -> dict[str, date]:
    """Per source of loads of ``kind`` known before ``cutoff`` (None: all): the extraction day of its newest
    load, its data moment (docs/metrics.md, "Realised, planned and incomplete").

    Example: allocations of 'gws' extracted 2024-03-01 and of 'suite' 2024-02-15 -> {'gws': 2024-03-01,
    'suite': 2024-02-15}; a figure over both is realised up to 2024-02-15 (``data_moment``).
    """
    rows = warehouse.records(
        "SELECT source, arg_max(extracted_on, load_id) AS extracted_on FROM loads "
        "WHERE kind = ? AND status = 'complete' AND (CAST(? AS TIMESTAMP) IS NULL OR known_from < ?) "
        "GROUP BY source ORDER BY source",
        [kind, cutoff, cutoff],
    )
    return {str(r["source"]): r["extracted_on"] for r in rows if r["extracted_on"] is not None}


def data_moment(warehouse: Warehouse, kinds: Sequence[str], cutoff: datetime | None = None) -> date | None:
    """The data moment of a figure over the loads of ``kinds``: the earliest of the sources' moments (None
    when there is no such load). Costs use ('declarations',); what combines allocations and declarations
    (utilisation, forecast) uses both; decision times use ('requests',), waiting times ('allocations',
    'deliveries')."""
    moments = [m for kind in kinds for m in data_moments(warehouse, kind, cutoff).values()]
    return min(moments, default=None)


def allocation_moment(warehouse: Warehouse, before: datetime | None = None) -> datetime | None:
    """The ``known_from`` of the newest allocation load, of those known before ``before`` (None: of all)."""
    value = warehouse.records(
        "SELECT max(known_from) AS moment FROM loads WHERE kind = ? AND (CAST(? AS TIMESTAMP) IS NULL "
        "OR known_from < ?)",
        [ALLOCATIONS, before, before],
    )[0]["moment"]
    return value if isinstance(value, datetime) else None


def versioned_moment(warehouse: Warehouse, before: datetime | None = None) -> datetime | None:
    """The ``known_from`` of the newest load of versioned data (allocations, declarations, tariffs, budgets,
    index series), of those known before ``before`` (None: of all): the newest moment a figure can include."""
    value = warehouse.records(
        "SELECT max(known_from) AS moment FROM loads WHERE list_contains(?, kind) "
        "AND (CAST(? AS TIMESTAMP) IS NULL OR known_from < ?)",
        [list(VERSIONED_KINDS), before, before],
    )[0]["moment"]
    return value if isinstance(value, datetime) else None


def versioned_loads_between(
    warehouse: Warehouse, after: datetime | None, upto: datetime, since: datetime | None = None
) -> list[Load]:
    """Loads of versioned data (``VERSIONED_KINDS``: allocations, declarations, tariffs, budgets, index series)
    with ``after < known_from <= upto`` (any ``known_from`` up to ``upto`` when ``after`` is None), oldest
    first; with ``since``, also those loaded after ``since`` that describe an earlier moment. A declaration
    load that merged clients, re-versioning their allocations, is one of them."""
    rows = warehouse.records(
        f"SELECT {_LOAD_COLUMNS} FROM loads WHERE list_contains(?, kind) "
        "AND known_from <= ? AND (CAST(? AS TIMESTAMP) IS NULL OR known_from > ? "
        "OR (CAST(? AS TIMESTAMP) IS NOT NULL AND loaded_at > ?)) "
        "ORDER BY known_from, load_id",
        [list(VERSIONED_KINDS), upto, after, after, since, since],
    )
    return [Load(**r) for r in rows]


def reference_loads_since(warehouse: Warehouse, moment: datetime) -> list[Load]:
    """Loads of reference data (population, providers, areas) made after ``moment``, oldest first."""
    rows = warehouse.records(
        f"SELECT {_LOAD_COLUMNS} FROM loads WHERE list_contains(?, kind) AND loaded_at > ? "
        "ORDER BY loaded_at, load_id",
        [list(REFERENCE_KINDS), moment],
    )
    return [Load(**r) for r in rows]


def load_issue_counts(warehouse: Warehouse) -> list[LoadIssueCount]:
    """Rejected and warned rows per load and reason: newest load first, then by severity and most rows."""
    rows = warehouse.records(
        "SELECT load_id, severity, code, rows FROM load_issues ORDER BY load_id DESC, severity, rows DESC, code"
    )
    return [LoadIssueCount(**r) for r in rows]


def issue_totals(warehouse: Warehouse, load_ids: Sequence[int]) -> list[IssueTotal]:
    """Rejected and warned rows per reason, summed over ``load_ids``: by severity, most rows first."""
    rows = warehouse.records(
        "SELECT severity, code, sum(rows)::BIGINT AS rows FROM load_issues WHERE list_contains(?, load_id) "
        "GROUP BY severity, code ORDER BY severity, sum(rows) DESC, code",
        [list(load_ids)],
    )
    return [IssueTotal(**r) for r in rows]


def data_span(warehouse: Warehouse) -> DataSpan:
    """The first and last start date of the allocations that count, and the data moment."""
    row = warehouse.records(
        "SELECT min(start_date) AS first_start, max(start_date) AS last_start, (SELECT min(extracted_on) FROM "
        "(SELECT arg_max(extracted_on, load_id) AS extracted_on FROM loads WHERE kind = ? GROUP BY source)) "
        "AS moment FROM allocations",
        [ALLOCATIONS],
    )[0]
    return DataSpan(**row)


def provider_names(warehouse: Warehouse) -> dict[str, str]:
    """AGB code -> provider name, from the providers reference table (``sdm load providers``)."""
    rows = warehouse.records("SELECT provider_code, provider_name FROM providers")
    return {str(r["provider_code"]): str(r["provider_name"]) for r in rows}


def provider_types(warehouse: Warehouse) -> dict[str, str]:
    """AGB code -> provider type, from the providers reference table."""
    rows = warehouse.records("SELECT provider_code, provider_type FROM providers")
    return {str(r["provider_code"]): str(r["provider_type"]) for r in rows}
