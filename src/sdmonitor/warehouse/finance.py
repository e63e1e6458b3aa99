"""Tariffs, budgets and price index series in the warehouse: stored as versions, read as known at a moment.

Writing (``store_versions``): a row whose key has a current version with the same content is unchanged; one
with other content is a new version that supersedes it (``superseded_at`` = the load's ``known_from``); a new
key is a new version. Rows not in a file stay as they are. A load that never completes is undone at the next
open (``loads.undo_load``). Keys (migration 0012): tariffs (product_code, provider_code, unit, valid_from);
budgets (year, budget_line, version_date); index (series, year, status).

Reading, for the metrics and the forecast (docs/design/money.md §1.3-1.5, §2.3, §3): ``cutoff`` is the first
moment *not* known any more (``metrics.engine.as_of_cutoff(as_of)``; None = the current versions), as for
allocations: a version counts when ``known_from < cutoff <= superseded_at``.

- ``tariffs(backend, cutoff)``: the tariff rows as an Ibis table; ``with_tariff(lines, tariffs, day)`` adds
  each line's tariff on its day (a provider's own tariff beats the generic one; minutes and hours convert).
- ``budgets(backend, year, cutoff, day)``: per budget line of ``year`` its newest version decided on or before
  ``day``; ``budget_line_of(table, lines)`` attributes cost rows to the partition ("niet begroot" when none).
- ``index_series(backend, series, cutoff)``: per year the percentage, definitief preferred over voorlopig,
  and which status was used; ``IndexSeries.factor(y, Y)`` is the price factor of design §2.3.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import ibis
import pyarrow as pa

from sdmonitor.errors import InputError
from sdmonitor.warehouse.database import Warehouse

NOT_BUDGETED = "niet begroot"  # the pseudo-line of costs under no line of the partition (issue 12)
DEFAULT_SERIES = "vng-ova-ppc"  # shipped with sdmonitor (migration 0013)
OPEN_END = date(9999, 12, 31)


@dataclass(frozen=True)
class VersionedTable:
    """A table of versions: its key and content columns (the content decides 'unchanged')."""

    kind: str  # the load kind
    table: str
    key: tuple[str, ...]
    content: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.key, *self.content)


TARIFF_VERSIONS = VersionedTable(
    "tariffs",
    "tariff_versions",
    ("product_code", "provider_code", "unit", "valid_from"),
    ("valid_to", "tariff"),
)
BUDGET_VERSIONS = VersionedTable(
    "budgets",
    "budget_versions",
    ("year", "budget_line", "version_date"),
    ("amount", "law", "product_categories", "provider_code", "budgeted_clients", "budgeted_index"),
)
INDEX_VERSIONS = VersionedTable(
    "index", "index_versions", ("series", "year", "status"), ("percentage", "source_note")
)
VERSIONED = {t.kind: t for t in (TARIFF_VERSIONS, BUDGET_VERSIONS, INDEX_VERSIONS)}


@dataclass(frozen=True)
class Stored:
    """What a load stored: new versions and rows equal to the current version."""

    loaded: int
    unchanged: int


def store_versions(
    warehouse: Warehouse, spec: VersionedTable, batch: pa.Table, *, load_id: int, known_from: datetime
) -> Stored:
    """Store the rows of ``batch`` (``spec.columns`` and ``source_row``; keys unique) as versions of load
    ``load_id``, in one transaction. Call between ``loads.start_load`` and ``loads.complete_load``."""
    key = " AND ".join(f"v.{c} = b.{c}" for c in spec.key)
    same = " AND ".join(f"v.{c} IS NOT DISTINCT FROM b.{c}" for c in spec.content)
    columns = ", ".join((*spec.columns, "source_row"))
    with warehouse.transaction():
        warehouse.execute(
            f"CREATE OR REPLACE TEMP TABLE finance_batch AS SELECT {columns} FROM {spec.table} LIMIT 0"
        )
        warehouse.execute_on(f"INSERT INTO finance_batch BY NAME SELECT {columns} FROM batch", batch)
        warehouse.execute(
            "CREATE OR REPLACE TEMP TABLE finance_new AS SELECT b.* FROM finance_batch b WHERE NOT EXISTS "
            f"(SELECT 1 FROM {spec.table} v WHERE v.superseded_at IS NULL AND {key} AND {same})"
        )
        loaded = int(warehouse.value("SELECT count(*) FROM finance_new"))
        warehouse.execute(
            f"UPDATE {spec.table} v SET superseded_at = ?, superseded_by = ? FROM finance_new b "
            f"WHERE v.superseded_at IS NULL AND {key}",
            [known_from, load_id],
        )
        warehouse.execute(
            f"INSERT INTO {spec.table} ({columns}, load_id, known_from, superseded_at, superseded_by) "
            f"SELECT {columns}, ?, ?, NULL, NULL FROM finance_new",
            [load_id, known_from],
        )
        warehouse.execute("DROP TABLE finance_batch")
        warehouse.execute("DROP TABLE finance_new")
    return Stored(loaded, batch.num_rows - loaded)


def record_issues(warehouse: Warehouse, load_id: int, counts: dict[tuple[str, str], int]) -> None:
    """Store how many rows of the load had each (severity, reason code), for ``sdm loads`` and reports."""
    for (severity, code), rows in sorted(counts.items()):
        warehouse.execute("INSERT INTO load_issues VALUES (?, ?, ?, ?)", [load_id, severity, code, rows])


def current_rows(warehouse: Warehouse, spec: VersionedTable) -> list[dict[str, Any]]:
    """The current versions of ``spec`` (for the checks of a new file against what is stored)."""
    return warehouse.records(
        f"SELECT {', '.join(spec.columns)}, source_row FROM {spec.table} WHERE superseded_at IS NULL "
        f"ORDER BY {', '.join(spec.key)}"
    )


def newest_known_from(warehouse: Warehouse, kind: str) -> datetime | None:
    """The latest ``known_from`` of the completed loads of ``kind`` (a new load is known after it)."""
    value = warehouse.value(
        "SELECT max(known_from) FROM loads WHERE kind = ? AND status = 'complete'", [kind]
    )
    return None if value is None else value


# --- reading -------------------------------------------------------------------------------------------------


def _known(t: Any, cutoff: datetime | None) -> Any:
    """The versions of ``t`` known just before ``cutoff`` (None: the current ones)."""
    if cutoff is None:
        return t.filter(t.superseded_at.isnull())
    moment = ibis.literal(cutoff)
    return t.filter((t.known_from < moment) & (t.superseded_at.isnull() | (t.superseded_at >= moment)))


def tariffs(backend: Any, cutoff: datetime | None) -> Any:
    """The tariffs known at ``cutoff``: product_code, provider_code ('' = every provider), unit, valid_from,
    valid_to (inclusive; NULL = open), tariff (euros per unit). Tariffs of one product, provider and unit
    never overlap (refused when loaded), so a day has at most one tariff per such triple."""
    t = _known(backend.table("tariff_versions"), cutoff)
    return t.select("product_code", "provider_code", "unit", "valid_from", "valid_to", "tariff")


# (line unit, tariff unit, factor): a tariff per hour is 1/60 of it per minute (TR346), and back
MINUTE, HOUR = "01", "04"
_CONVERSIONS = ((MINUTE, HOUR, 1 / 60), (HOUR, MINUTE, 60.0))


def with_tariff(lines: Any, tariff_table: Any, day: str = "day") -> Any:
    """``lines`` (with product_code, provider_code, unit and a date column ``day``) plus a column ``tariff``:
    euros per unit of the line's own unit on that day, NULL when no tariff applies.

    Order of preference: the provider's own tariff in the line's unit, the provider's own tariff converted
    (hours <-> minutes, TR346), the generic tariff (provider '') in the line's unit, the generic one converted.
    Each join matches at most one tariff, so the rows of ``lines`` stay as they are.
    """
    t = tariff_table
    candidates: list[tuple[bool, str | None, float]] = [(True, None, 1.0)]
    candidates += [(True, tariff_unit, factor) for _, tariff_unit, factor in _CONVERSIONS]
    candidates += [(False, None, 1.0)] + [
        (False, tariff_unit, factor) for _, tariff_unit, factor in _CONVERSIONS
    ]
    result = lines
    names: list[str] = []
    for position, (own, tariff_unit, factor) in enumerate(candidates):
        name = f"_tariff_{position}"
        right = t.select(
            _p=t.product_code, _v=t.provider_code, _u=t.unit, _from=t.valid_from,
            _to=t.valid_to.fill_null(OPEN_END), **{name: t.tariff * factor},
        )  # fmt: skip
        line_unit = next((u for u, tu, _ in _CONVERSIONS if tu == tariff_unit), None)
        condition = [
            result.product_code == right._p,
            (right._v == result.provider_code) if own else (right._v == ""),
            (right._u == result.unit) if tariff_unit is None else ((right._u == tariff_unit) & (result.unit == line_unit)),
            right._from <= result[day],
            right._to >= result[day],
        ]  # fmt: skip
        result = result.left_join(right, condition).drop("_p", "_v", "_u", "_from", "_to")
        names.append(name)
    return result.mutate(tariff=ibis.coalesce(*[result[n] for n in names])).drop(*names)


@dataclass(frozen=True)
class BudgetLine:
    """The version of one budget line in force: ``product_categories`` () = every category of the law,
    ``provider_code`` '' = a line of the partition, else the provider's spending room (bestedingsruimte)."""

    year: int
    budget_line: str
    version_date: date
    amount: Decimal
    law: str
    product_categories: tuple[str, ...]
    provider_code: str
    budgeted_clients: int | None
    budgeted_index: float | None

    @property
    def is_spending_room(self) -> bool:
        return self.provider_code != ""


def budgets(
    backend: Any, year: int, cutoff: datetime | None, day: date | None = None
) -> tuple[BudgetLine, ...]:
    """The budget lines of ``year`` as known at ``cutoff``: per line the version with the newest
    ``version_date`` on or before ``day`` (None: the newest); a line decided only after ``day`` is left out.
    Partition lines first, then spending rooms, each by name."""
    t = _known(backend.table("budget_versions"), cutoff)
    t = t.filter(t.year == year)
    if day is not None:
        t = t.filter(t.version_date <= ibis.literal(day))
    newest = t.version_date.max().over(ibis.window(group_by=[t.year, t.budget_line]))
    t = t.mutate(_newest=newest)
    t = t.filter(t.version_date == t._newest).drop("_newest")
    rows = t.to_pyarrow().to_pylist()
    lines = [
        BudgetLine(
            year=int(r["year"]),
            budget_line=str(r["budget_line"]),
            version_date=r["version_date"],
            amount=Decimal(r["amount"]),
            law=str(r["law"]),
            product_categories=tuple(r["product_categories"] or ()),
            provider_code=str(r["provider_code"]),
            budgeted_clients=r["budgeted_clients"],
            budgeted_index=r["budgeted_index"],
        )
        for r in rows
    ]
    return tuple(sorted(lines, key=lambda b: (b.is_spending_room, b.provider_code, b.budget_line)))


def budget_line_of(table: Any, lines: Iterable[BudgetLine], *, spending_rooms: bool = False) -> Any:
    """An Ibis string expression: the budget line each row of ``table`` (law, product_category and, for
    spending rooms, provider_code) falls under. Partition lines (default): one line or ``NOT_BUDGETED``.
    ``spending_rooms``: the provider's spending room, or NULL when the row is under none."""
    chosen = [b for b in lines if b.is_spending_room == spending_rooms]
    branches = []
    for b in chosen:
        condition = table.law == b.law
        if b.product_categories:
            condition &= table.product_category.isin(list(b.product_categories))
        if spending_rooms:
            condition &= table.provider_code == b.provider_code
        branches.append((condition, ibis.literal(b.budget_line)))
    default = ibis.null().cast("string") if spending_rooms else ibis.literal(NOT_BUDGETED)
    if not branches:
        return default
    return ibis.cases(*branches, else_=default)


@dataclass(frozen=True)
class IndexYear:
    """The percentage of one year of a series, the status it has (definitief when known, else voorlopig)
    and where it was published."""

    year: int
    percentage: float
    status: str
    source_note: str | None


@dataclass(frozen=True)
class IndexSeries:
    """A price index series as known at a moment; ``years`` in order."""

    name: str
    years: tuple[IndexYear, ...]

    def year(self, year: int) -> IndexYear:
        """The figure of ``year``; InputError (Dutch) when the series has none."""
        for item in self.years:
            if item.year == year:
                return item
        raise InputError(
            f"Geen indexcijfer voor {year} in reeks {self.name}; laad een eigen reeks met sdm load index."
        )

    def factor(self, from_year: int, to_year: int) -> float:
        """The factor that expresses an amount of ``from_year`` in prices of ``to_year`` (design §2.3):
        the product of (1 + p/100) over the years after ``from_year`` up to ``to_year``; divided when
        ``to_year`` is earlier. Example (vng-ova-ppc): factor(2023, 2025) = 1.0571 x 1.03944."""
        low, high = sorted((from_year, to_year))
        product = math.prod(1 + self.year(y).percentage / 100 for y in range(low + 1, high + 1))
        return product if to_year >= from_year else 1 / product

    def used(self, from_year: int, to_year: int) -> str:
        """Which figures a factor used, in Dutch: '2024 definitief, 2025 voorlopig'."""
        low, high = sorted((from_year, to_year))
        return ", ".join(f"{y} {self.year(y).status}" for y in range(low + 1, high + 1))


def index_series(backend: Any, series: str, cutoff: datetime | None) -> IndexSeries:
    """The series ``series`` as known at ``cutoff``: per year definitief when known, else voorlopig.
    InputError (Dutch) when the series is not known at all."""
    t = _known(backend.table("index_versions"), cutoff)
    rows = t.filter(t.series == series).select("year", "status", "percentage", "source_note").to_pyarrow()
    chosen: dict[int, IndexYear] = {}
    for r in sorted(rows.to_pylist(), key=lambda r: (r["year"], r["status"] == "definitief")):
        chosen[int(r["year"])] = IndexYear(
            int(r["year"]), float(r["percentage"]), r["status"], r["source_note"]
        )
    if not chosen:
        known = index_series_names(backend, cutoff)
        names = ", ".join(known) if known else "geen"
        raise InputError(
            f"Indexreeks '{series}' is niet bekend (bekende reeksen: {names}); laad een reeks met sdm load index."
        )
    return IndexSeries(series, tuple(chosen[y] for y in sorted(chosen)))


def index_series_names(backend: Any, cutoff: datetime | None) -> tuple[str, ...]:
    """The names of the series known at ``cutoff``, sorted."""
    t = _known(backend.table("index_versions"), cutoff)
    return tuple(sorted(str(s) for s in t.select("series").distinct().to_pyarrow().column(0).to_pylist()))


@dataclass(frozen=True)
class IndexListing:
    """One row of ``sdm index list``: a figure as known now, and where it came from."""

    series: str
    year: int
    status: str
    percentage: float
    used: bool  # the figure a computation uses (definitief over voorlopig)
    source_note: str | None
    load_id: int  # 0: shipped with sdmonitor


def index_listing(warehouse: Warehouse, series: Sequence[str] = ()) -> tuple[IndexListing, ...]:
    """Every current index figure (of ``series``; empty = all), by series, year and status."""
    rows = warehouse.rows(
        "SELECT series, year, status, percentage, source_note, load_id FROM index_versions WHERE superseded_at IS NULL AND (len(?) = 0 OR list_contains(?, series)) "
        "ORDER BY series, year, status DESC",  # voorlopig before definitief
        [list(series), list(series)],
    )
    definitief = {(r[0], r[1]) for r in rows if r[2] == "definitief"}
    return tuple(
        IndexListing(
            series=str(r[0]), year=int(r[1]), status=str(r[2]), percentage=float(r[3]),
            used=r[2] == "definitief" or (r[0], r[1]) not in definitief, source_note=r[4], load_id=int(r[5]),
        )
        for r in rows
    )  # fmt: skip
