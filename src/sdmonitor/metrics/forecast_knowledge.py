"""What a forecast may know at the data moment T: the moment itself, how each kind of load is read (its
versions known at the as-of day, or approximated from business dates), the budget lines in force and the index
percentage (docs/forecast.md, "What is known at T"). Used by the forecast and the backtest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ibis.expr.types import Table

from sdmonitor.errors import InputError
from sdmonitor.metrics import engine
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.inventory import list_loads


@dataclass(frozen=True)
class Knowledge:
    """What a forecast may know: the data moment T, and per kind of load how its versions are read.

    ``as_of``: the requested moment (None: now, the current versions of everything). ``exact``: the kinds of
    load (``allocations``, ``declarations``, ``tariffs``, ``budgets``, ``index``) with a load extracted by
    ``as_of``: their versions known then are used, exactly as they were. A kind without one is read from its
    current versions; for declarations and allocations that is approximated from business dates (submitted
    by T, decided by T, end dates after T open)."""

    moment: date
    as_of: date | None = None
    exact: frozenset[str] = frozenset()

    def versions(self, kind: str) -> date | None:
        """The version rule for ``kind``: the versions known at ``as_of``, or None for the current ones."""
        return self.as_of if self.as_of is not None and kind in self.exact else None

    def approximates(self, kind: str) -> bool:
        return self.as_of is not None and kind not in self.exact

    @property
    def approximated(self) -> bool:
        return self.approximates("declarations") or self.approximates("allocations")

    @property
    def versions_as_of(self) -> date | None:
        """The version rule of figures that read allocations and declarations together."""
        both = self.as_of is not None and {"allocations", "declarations"} <= self.exact
        return self.as_of if both else None


@dataclass(frozen=True)
class BudgetLine:
    name: str
    amount: float
    law: str
    categories: tuple[str, ...]
    provider: str
    budgeted_clients: int | None
    budgeted_index: float | None


def knowledge(warehouse: Warehouse, as_of: date | None) -> Knowledge:
    """The data moment and version rules of a forecast at ``as_of`` (None: now, with everything loaded).

    The data moment is the earliest over the sources (allocations and declarations) of the extraction day
    of each source's newest load (docs/metrics.md, "Realised, planned and incomplete"). With ``as_of``, the
    loads extracted by then are used exactly, per kind; a kind without such a load is approximated from
    business dates, with ``as_of`` as its moment."""
    newest: dict[tuple[str, str], date] = {}
    for load in list_loads(warehouse):
        day = load.extracted_on or load.known_from.date()
        if as_of is not None and day > as_of:
            continue
        newest[(load.kind, load.source)] = day  # loads come oldest first: the newest wins
    kinds = {kind for kind, _ in newest}
    moments = [day for (kind, _), day in newest.items() if kind in ("allocations", "declarations")]
    if as_of is None:
        if "declarations" not in kinds:
            raise InputError("Er zijn geen declaraties geladen. Laad ze eerst met 'sdm load declarations'.")
        return Knowledge(min(moments))
    if not {"allocations", "declarations"} <= kinds:
        moments.append(as_of)
    return Knowledge(min(moments), as_of, frozenset(kinds))


def budget_lines(backend: Any, year: int, known: Knowledge) -> list[BudgetLine]:
    """The budget lines of ``year`` in force at T: per line the version with the latest ``version_date`` on or
    before T, of the versions known at T."""
    versions = known_versions(backend.table("budget_versions"), known.versions("budgets"))
    versions = versions.filter((versions.year == year) & (versions.version_date <= known.moment))
    newest: dict[str, dict[str, Any]] = {}
    for row in sorted(rows_of(backend, versions), key=lambda r: (r["version_date"], r["source_row"])):
        newest[row["budget_line"]] = row
    return [
        BudgetLine(
            name=r["budget_line"],
            amount=float(r["amount"]),
            law=r["law"],
            categories=tuple(r["product_categories"] or ()),
            provider=r["provider_code"] or "",
            budgeted_clients=r["budgeted_clients"],
            budgeted_index=r["budgeted_index"],
        )
        for r in newest.values()
    ]


def first_declared_year(backend: Any, known: Knowledge) -> int | None:
    """The first year with an approved declared delivery month as known at T (None: none at all)."""
    from sdmonitor.metrics.costs import declaration_facts

    facts = declaration_facts(backend, known.versions("declarations"), known.moment, statuses=("toegekend",))
    first = backend.to_pyarrow(facts.period_start.min().name("first")).as_py()
    return None if first is None else int(first.year)


def known_versions(versions: Table, as_of: date | None) -> Table:
    """The versions known at the end of ``as_of`` (None: the current ones): ``engine.known_at``."""
    return engine.known_at(versions, as_of)


def rows_of(backend: Any, expression: Table) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = backend.to_pyarrow(expression).to_pylist()
    return rows


def index_percentage(backend: Any, year: int, known: Knowledge, series: str) -> tuple[float | None, str]:
    """The index percentage of ``year`` in ``series`` as known at T (definitief over voorlopig)."""
    versions = known_versions(backend.table("index_versions"), known.versions("index"))
    versions = versions.filter((versions.series == series) & (versions.year == year))
    found = {r["status"]: float(r["percentage"]) for r in rows_of(backend, versions)}
    if "definitief" in found:
        return found["definitief"], ""
    if "voorlopig" in found:
        return found["voorlopig"], f"Index {year} ({series}) is voorlopig."
    return None, f"Geen index {year} in reeks {series}: het indexeffect van de brug blijft leeg."
