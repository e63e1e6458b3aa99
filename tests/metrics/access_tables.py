"""Small in-memory tables for the access rules (metrics/access.py): requests, allocations, deliveries and
norms as the facts functions give them, and a runner for the queries on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import ibis
import pyarrow as pa
from ibis.expr.types import Table

from sdmonitor.domain.periods import Grain, Period, cut
from sdmonitor.metrics import MEASURES, engine
from sdmonitor.metrics.catalogue import Kind, Measure
from sdmonitor.metrics.dimensions import AgeBands
from sdmonitor.reports.protect import fraction

D = date.fromisoformat

# The shipped terms and norms of the worked examples (design §1.4), as norm rows.
NORMS = [
    ("WMO", None, None, "melding", 42),
    ("WMO", None, None, "aanvraag", 14),
    ("JW", None, None, "aanvraag", 56),
    ("PW", None, None, "aanvraag", 56),
    ("WMO", None, None, "waiting", 42),
    ("JW", None, None, "waiting", 42),
    ("JW", "54", None, "waiting", 98),
]

REQUEST_SCHEMA = {
    "source": pa.string(), "request_id": pa.string(), "client_key": pa.string(), "law": pa.string(),
    "kind": pa.string(), "team": pa.string(), "received_on": pa.date32(), "decided_on": pa.date32(),
    "outcome": pa.string(), "suspended_days": pa.int64(), "extended_days": pa.int64(),
    "product_category": pa.string(), "plan_on": pa.date32(), "birth_date": pa.date32(),
}  # fmt: skip
ALLOCATION_SCHEMA = {
    "source": pa.string(), "allocation_id": pa.string(), "client_key": pa.string(), "birth_date": pa.date32(),
    "law": pa.string(), "product_category": pa.string(), "product_code": pa.string(),
    "provider_code": pa.string(), "delivery_form": pa.string(), "start_date": pa.date32(),
    "end_date": pa.date32(), "decision_date": pa.date32(),
}  # fmt: skip
DELIVERY_SCHEMA = {
    "source": pa.string(), "allocation_id": pa.string(), "start_date": pa.date32(), "end_date": pa.date32(),
}  # fmt: skip


def _table(rows: Sequence[dict[str, Any]], schema: dict[str, pa.DataType]) -> Table:
    columns = {name: pa.array([row.get(name) for row in rows], kind) for name, kind in schema.items()}
    return ibis.memtable(pa.table(columns))


def _dated(row: dict[str, Any]) -> dict[str, Any]:
    return {k: D(v) if isinstance(v, str) and len(v) == 10 and v[4] == "-" else v for k, v in row.items()}


def requests(*rows: dict[str, Any]) -> Table:
    return _table([{"source": "s", **_dated(r)} for r in rows], REQUEST_SCHEMA)


def allocations(*rows: dict[str, Any]) -> Table:
    defaults = {"source": "s", "birth_date": D("1950-01-01"), "delivery_form": "ZIN", "product_code": None}
    return _table([{**defaults, **_dated(r)} for r in rows], ALLOCATION_SCHEMA)


def deliveries(*rows: dict[str, Any]) -> Table:
    return _table([{"source": "s", **_dated(r)} for r in rows], DELIVERY_SCHEMA)


def norms(rows: Sequence[tuple[Any, ...]] = NORMS, loaded: Sequence[tuple[Any, ...]] = ()) -> Table:
    both = [(*r, False) for r in rows] + [(*r, True) for r in loaded]
    names = ("law", "product_category", "provider_code", "applies_to", "days", "loaded")
    kinds = (pa.string(), pa.string(), pa.string(), pa.string(), pa.int64(), pa.bool_())
    columns = {
        n: pa.array([r[i] for r in both], k) for i, (n, k) in enumerate(zip(names, kinds, strict=True))
    }
    return ibis.memtable(pa.table(columns))


def quarters(first: str, last: str, by: tuple[str, ...] = ()) -> engine.Scope:
    return engine.Scope(tuple(cut(D(first), D(last), Grain.QUARTER)), by, AgeBands(), months_per_slot=3)


def halves(first: str, last: str, by: tuple[str, ...] = ()) -> engine.Scope:
    return engine.Scope(tuple(cut(D(first), D(last), Grain.HALF)), by, AgeBands(), months_per_slot=6)


def months(first: str, last: str, by: tuple[str, ...] = ()) -> engine.Scope:
    return engine.Scope(tuple(cut(D(first), D(last), Grain.MONTH)), by, AgeBands(), months_per_slot=1)


def on(*days: str, by: tuple[str, ...] = ()) -> engine.Scope:
    return engine.Scope(tuple(Period(D(d), D(d), d) for d in days), by, AgeBands())


def run(expression: Table, derived: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The rows of a query, sorted by slot and groups, with the named derived (percent) measures added from
    their counts as ``compile.with_derived`` and privacy do."""
    rows = ibis.duckdb.connect().to_pyarrow(expression).to_pylist()
    for row in rows:
        for name in derived:
            measure: Measure = MEASURES[name]
            assert measure.kind is Kind.FRACTION
            row[name] = fraction(measure, row[measure.of[0]], row[measure.of[1]])
    return sorted(rows, key=lambda r: tuple(str(v) for v in r.values()))
