"""Requests, deliveries and norms in the warehouse (issue 13; migration 0014; docs/design/access.md §1, §3.3).

Requests and deliveries load like allocations and declarations (``allocations.VersionedLoad``: staged rows,
fold, versions, repair of a killed load). A request's key is (source, request_id); its content hash covers the
client's identifiers as the file gives them (as declarations), and its client key comes from the identity of
allocations and declarations (``identity.resolve_batch``; a merge re-versions it, ``allocations.CLIENT_KEYED``).
A delivery's key is (source, allocation_id, start_date), the logical key of a 305/307 message: a stop for a
loaded start is a new version of that delivery. Deliveries carry no client: they name their allocation.

Checks of a delivery against its allocation (same source, as known at the load) are warnings after the rows
are staged (``line_issues``): a snapshot of the load, as for declarations.

Norms (``norm_versions``) are a small table loaded all or nothing (``finance_loading``): the shipped defaults
(load 0, ``shipped``) are never superseded; each load of norms is the municipality's new set, so loaded norms
missing from it are superseded (``retire_missing_norms``). ``effective_norms`` lists the norms known at a
moment with the default each loaded norm replaces; ``norms`` gives the norms in force, and the
most-specific-row-wins rule the metrics apply to them (provider and category > provider > category > neither; a
loaded norm beats a default) is ``metrics/access.py`` ``resolve_norms``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import ibis
import pyarrow.compute as pc

from sdmonitor.domain.allocations import Law
from sdmonitor.domain.codes import law_codes
from sdmonitor.warehouse.allocations import (
    FoldResult,
    LineIssues,
    LoadInfo,
    VersionedLoad,
    VersionedTable,
)
from sdmonitor.warehouse.database import Warehouse
from sdmonitor.warehouse.finance import VersionedTable as SmallTable
from sdmonitor.warehouse.finance import _known

REQUESTS_KIND = "requests"
DELIVERIES_KIND = "deliveries"
NORMS_KIND = "norms"
STANDARD = "standaard"  # how `sdm norms` marks a shipped default

# The columns of a request version that come from the file; the content hash covers them.
REQUEST_CONTENT = (
    "request_id", "pseudonym", "client_number", "law", "kind", "received_on", "decided_on", "outcome", "team",
    "suspended_days", "extended_days", "product_category", "plan_on", "birth_date",
)  # fmt: skip
DELIVERY_CONTENT = ("allocation_id", "start_date", "end_date", "end_reason", "reported_on")
DELIVERY_KEY = "concat_ws(chr(31), allocation_id, CAST(start_date AS VARCHAR))"


def _hash_of(columns: tuple[str, ...]) -> str:
    return "md5_number(concat_ws(chr(31), {}))".format(
        ", ".join(f"coalesce(CAST({c} AS VARCHAR), chr(0))" for c in columns)
    )


def request_hash_sql(client_key: str = "client_key") -> str:
    """The content hash of a request version; the client key is not in it (a merge keeps the hash)."""
    return _hash_of(REQUEST_CONTENT)


def delivery_hash_sql(client_key: str = "") -> str:
    """The content hash of a delivery version (a delivery has no client)."""
    return _hash_of(DELIVERY_CONTENT)


REQUESTS = VersionedTable(
    table="request_versions",
    key="request_id",
    label="line_key",
    stored=REQUEST_CONTENT,
    content_hash=request_hash_sql,
    noun="melding of aanvraag",
    plural="meldingen of aanvragen",
    revert="een besloten aanvraag weer open maken",
    conflict_code="duplicate_request_id",
    narrow="request_id",
)
DELIVERIES = VersionedTable(
    table="delivery_versions",
    key=DELIVERY_KEY,
    label="split_part(line_key, chr(31), 1) || ' (begindatum ' || split_part(line_key, chr(31), 2) || ')'",
    stored=DELIVERY_CONTENT,
    content_hash=delivery_hash_sql,
    noun="levering",
    plural="levering(en)",
    revert="een gestopte levering weer lopend maken",
    conflict_code="duplicate_delivery",
    narrow="allocation_id",
)


# Staged requests whose extension (Awb 4:14) is longer than their legal term: the most specific norm for their
# law and kind in force now (a category's own term first, a loaded norm before the default).
_EXTENSION_EXCEEDS_TERM = """
SELECT r.source_row, CAST(r.extended_days AS VARCHAR) AS value, CAST(n.days AS VARCHAR) AS term
FROM request_versions r
JOIN norm_versions n ON n.superseded_at IS NULL AND n.law = r.law AND n.applies_to = r.kind
     AND n.provider_code = '' AND (n.product_category = '' OR n.product_category = r.product_category)
WHERE r.load_id = ?
QUALIFY row_number() OVER (PARTITION BY r.source_row ORDER BY n.product_category DESC, n.shipped) = 1
    AND r.extended_days > n.days
ORDER BY r.source_row
"""


class RequestLoad(VersionedLoad):
    """One atomic load of request records (``ingest.access.REQUEST_RECORD_SCHEMA``)."""

    def __init__(self, warehouse: Warehouse, info: LoadInfo) -> None:
        super().__init__(warehouse, info, REQUESTS)

    def finish(self) -> FoldResult:
        """Check the staged rows against the legal terms (``line_issues``), then fold them into versions."""
        rows = self.warehouse.arrow(_EXTENSION_EXCEEDS_TERM, [self.load_id])
        self.line_issues = tuple(i for i in (LineIssues("extension_exceeds_term", rows),) if i.rows.num_rows)
        return super().finish()


# The staged deliveries beside the allocation they name: its current version of the same source.
_STAGED_WITH_ALLOCATION = """
CREATE OR REPLACE TEMP TABLE delivery_checked AS
SELECT d.source_row, d.allocation_id, d.start_date, d.end_reason, a.law, a.delivery_form, a.is_deleted,
       a.start_date AS a_start, a.end_date AS a_end, a.allocation_id IS NOT NULL AS known,
       list_contains($3, d.end_reason) AS in_wmo, list_contains($4, d.end_reason) AS in_jw
FROM delivery_versions d
LEFT JOIN (SELECT * FROM allocation_versions WHERE superseded_at IS NULL AND source = $2) a
  ON a.allocation_id = d.allocation_id
WHERE d.load_id = $1
"""
# (code, condition, message fields as SQL by name)
_AGAINST_ALLOCATION: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("delivery_unknown_allocation", "NOT known", (("allocation_id", "allocation_id"),)),
    ("delivery_on_pgb", "delivery_form = 'PGB'", ()),
    ("delivery_on_deleted_allocation", "is_deleted", ()),
    ("start_before_allocation", "start_date < a_start", (("allocation_start", "strftime(a_start, '%d-%m-%Y')"),)),
    ("start_after_allocation_end", "start_date > a_end", (("allocation_end", "strftime(a_end, '%d-%m-%Y')"),)),
    (
        "unknown_end_reason",
        "(in_wmo OR in_jw) AND NOT CASE law WHEN 'WMO' THEN in_wmo WHEN 'JW' THEN in_jw END",
        (("value", "end_reason"), ("law", "law")),
    ),
)  # fmt: skip


# Staged deliveries that start while another delivery of the same allocation runs: the others as they stand after
# this load (its own rows, and the current ones of the source it does not replace). Reported on the later start.
_CONCURRENT = """
WITH after_load AS (
    SELECT allocation_id, start_date, end_date, source_row, load_id = $1 AS staged FROM delivery_versions
    WHERE load_id = $1 OR (source = $2 AND superseded_at IS NULL AND load_id <> $1 AND DELIVERY_KEY NOT IN
          (SELECT DELIVERY_KEY FROM delivery_versions WHERE load_id = $1))
)
SELECT n.source_row, CASE WHEN o.end_date IS NULL THEN 'restart_without_stop' ELSE 'overlapping_deliveries' END
       AS code, strftime(min(o.start_date), '%d-%m-%Y') AS other
FROM after_load n JOIN after_load o ON o.allocation_id = n.allocation_id AND o.start_date < n.start_date
     AND (o.end_date IS NULL OR o.end_date >= n.start_date)
WHERE n.staged
GROUP BY n.source_row, code
QUALIFY row_number() OVER (PARTITION BY n.source_row ORDER BY code DESC) = 1
ORDER BY n.source_row
""".replace("DELIVERY_KEY", DELIVERY_KEY)


class DeliveryLoad(VersionedLoad):
    """One atomic load of delivery records (``ingest.access.DELIVERY_RECORD_SCHEMA``); no client key."""

    def __init__(self, warehouse: Warehouse, info: LoadInfo) -> None:
        super().__init__(warehouse, info, DELIVERIES)

    def add(self, records: Any) -> None:
        """Append validated records to this load (a delivery names its allocation, not a client)."""
        if records.num_rows == 0:
            return
        columns = ", ".join(DELIVERY_CONTENT)
        self.warehouse.execute_on(
            "INSERT INTO delivery_versions (source, load_id, known_from, superseded_at, source_row, content_hash, "
            f"{columns}) SELECT ?, ?, ?, NULL, source_row, {delivery_hash_sql()}, {columns} FROM batch",
            records,
            [self.info.source, self.load_id, self.info.known_from],
        )
        self.staged += records.num_rows

    def finish(self) -> FoldResult:
        """Check the staged rows against their allocations (``line_issues``), then fold them into versions."""
        w = self.warehouse
        lists = [
            list(law_codes(Law.WMO, "LDT_RedenBeeindiging")),
            list(law_codes(Law.JW, "LDT_RedenBeeindiging")),
        ]
        w.execute(_STAGED_WITH_ALLOCATION, [self.load_id, self.info.source, *lists])
        found = []
        for code, condition, fields in _AGAINST_ALLOCATION:
            selected = ", ".join(
                ["source_row", *(f"CAST({sql} AS VARCHAR) AS {name}" for name, sql in fields)]
            )
            rows = w.arrow(
                f"SELECT {selected} FROM delivery_checked WHERE coalesce({condition}, false) ORDER BY source_row"
            )
            found.append(LineIssues(code, rows))
        w.execute("DROP TABLE IF EXISTS delivery_checked")
        concurrent = w.arrow(_CONCURRENT, [self.load_id, self.info.source])
        for code in ("restart_without_stop", "overlapping_deliveries"):
            chosen = concurrent.filter(pc.equal(concurrent.column("code"), code)).drop_columns(["code"])
            found.append(LineIssues(code, chosen))
        self.line_issues = tuple(issues for issues in found if issues.rows.num_rows)
        return super().finish()


# --- norms ---------------------------------------------------------------------------------------------------

NORM_VERSIONS = SmallTable(
    NORMS_KIND,
    "norm_versions",
    ("law", "product_category", "provider_code", "applies_to", "shipped"),
    ("days", "basis"),
)


def retire_missing_norms(warehouse: Warehouse, load_id: int, known_from: datetime) -> int:
    """Supersede the loaded norms (not the defaults) that load ``load_id`` did not bring: a norms file is the
    municipality's whole set. Call after storing its versions, before completing it; returns how many."""
    before = int(warehouse.value("SELECT count(*) FROM norm_versions WHERE superseded_by = ?", [load_id]))
    warehouse.execute(
        "UPDATE norm_versions v SET superseded_at = ?, superseded_by = ? WHERE v.superseded_at IS NULL "
        "AND NOT v.shipped AND v.load_id <> ? AND NOT EXISTS (SELECT 1 FROM norm_versions n WHERE n.load_id = ? "
        "AND n.law = v.law AND n.product_category = v.product_category AND n.provider_code = v.provider_code "
        "AND n.applies_to = v.applies_to)",
        [known_from, load_id, load_id, load_id],
    )
    return (
        int(warehouse.value("SELECT count(*) FROM norm_versions WHERE superseded_by = ?", [load_id])) - before
    )


def norms(backend: Any, cutoff: datetime | None = None) -> Any:
    """The norms in force at ``cutoff`` (None: now), one row per key: law, product_category, provider_code
    ('' = all), applies_to, days, and ``rank`` (2 x provider given + category given). A loaded norm replaces
    the default of the same key."""
    t = _known(backend.table("norm_versions"), cutoff)
    keys = ["law", "product_category", "provider_code", "applies_to"]
    # a loaded norm (shipped false) sorts first and wins over the default of its key
    first = ibis.row_number().over(group_by=keys, order_by=[t.shipped, t.load_id.desc()])
    t = t.mutate(_n=first).filter(lambda r: r._n == 0).drop("_n")
    rank = (t.provider_code != "").cast("int8") * 2 + (t.product_category != "").cast("int8")
    return t.select(*keys, "days", rank=rank)


@dataclass(frozen=True)
class EffectiveNorm:
    """A norm in force (``sdm norms``): ``basis`` says what it rests on ('standaard' defaults with their
    source; a loaded norm names its load and the default it replaces)."""

    law: str
    product_category: str
    provider_code: str
    applies_to: str
    days: int
    shipped: bool
    basis: str
    load_id: int
    replaces: int | None  # the days of the default of the same key that a loaded norm replaces


def effective_norms(warehouse: Warehouse, cutoff: datetime | None = None) -> list[EffectiveNorm]:
    """The norms in force at ``cutoff`` (None: now), ordered by law, applies_to, category and provider."""
    known = (
        "superseded_at IS NULL"
        if cutoff is None
        else "known_from < $1 AND (superseded_at IS NULL OR superseded_at >= $1)"
    )
    rows = warehouse.records(
        f"WITH known AS (SELECT * FROM norm_versions WHERE {known}) "
        "SELECT l.law, l.product_category, l.provider_code, l.applies_to, l.days, l.shipped, "
        "coalesce(l.basis, '') AS basis, l.load_id, d.days AS replaces FROM known l "
        "LEFT JOIN known d ON NOT l.shipped AND d.shipped AND d.law = l.law "
        "AND d.product_category = l.product_category AND d.provider_code = l.provider_code "
        "AND d.applies_to = l.applies_to "
        "WHERE l.shipped = false OR NOT EXISTS (SELECT 1 FROM known o WHERE NOT o.shipped AND o.law = l.law "
        "AND o.product_category = l.product_category AND o.provider_code = l.provider_code "
        "AND o.applies_to = l.applies_to) "
        "ORDER BY l.law, l.applies_to, l.product_category, l.provider_code",
        [] if cutoff is None else [cutoff],
    )
    return [EffectiveNorm(**r) for r in rows]
