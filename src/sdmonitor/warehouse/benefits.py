"""Benefits and re-integration provisions in the warehouse (issue 14; migration 0015; docs/loading.md).

Both load like allocations and requests (``allocations.VersionedLoad``: staged rows, fold, versions, repair of a
killed load). A benefit's key is (source, benefit_id), a provision's (source, provision_id); the content hash of
either covers the identifiers as the file gives them, not the client keys (as requests), so a merge of two
clients keeps the hash.

A benefit names two persons: the applicant (``client_key``) and, when there is one, the partner
(``partner_key``). Both get their key from the one identity of all laws (``identity.resolve_batch``): a partner
with Wmo support under the same BSN is the same client. A merge of two keys re-versions every current version
that carries the absorbed key in either column (``identity.relink``, ``allocations.CLIENT_KEYED``).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.warehouse import identity, inventory
from sdmonitor.warehouse.allocations import DataWindow, FoldResult, LoadInfo, VersionedLoad, VersionedTable
from sdmonitor.warehouse.database import Warehouse

BENEFITS_KIND = "benefits"
REINTEGRATION_KIND = "reintegration"

# The columns of a version that come from the file; the content hash covers them.
BENEFIT_CONTENT = (
    "benefit_id", "pseudonym", "client_number", "partner_pseudonym", "partner_client_number", "birth_date",
    "partner_birth_date", "gender", "partner_gender", "regulation", "household_type", "cost_sharers",
    "start_date", "end_date", "inflow_reason", "outflow_reason", "municipality_code", "pc4",
)  # fmt: skip
REINTEGRATION_CONTENT = (
    "provision_id", "pseudonym", "client_number", "birth_date", "provision_type", "start_date", "end_date",
    "municipality_code", "pc4",
)  # fmt: skip


def _hash_of(columns: tuple[str, ...]) -> str:
    return "md5_number(concat_ws(chr(31), {}))".format(
        ", ".join(f"coalesce(CAST({c} AS VARCHAR), chr(0))" for c in columns)
    )


def benefit_hash_sql(client_key: str = "client_key") -> str:
    """The content hash of a benefit version; the client keys are not in it (a merge keeps the hash)."""
    return _hash_of(BENEFIT_CONTENT)


def reintegration_hash_sql(client_key: str = "client_key") -> str:
    """The content hash of a provision version; the client key is not in it."""
    return _hash_of(REINTEGRATION_CONTENT)


BENEFITS = VersionedTable(
    table="benefit_versions",
    key="benefit_id",
    label="line_key",
    stored=BENEFIT_CONTENT,
    content_hash=benefit_hash_sql,
    noun="uitkering",
    plural="uitkering(en)",
    revert="een beëindigde uitkering weer lopend maken",
    conflict_code="duplicate_benefit_id",
    narrow="benefit_id",
)
REINTEGRATION = VersionedTable(
    table="reintegration_versions",
    key="provision_id",
    label="line_key",
    stored=REINTEGRATION_CONTENT,
    content_hash=reintegration_hash_sql,
    noun="re-integratievoorziening",
    plural="re-integratievoorziening(en)",
    revert="een beëindigde voorziening weer lopend maken",
    conflict_code="duplicate_provision_id",
    narrow="provision_id",
)


class BenefitLoad(VersionedLoad):
    """One atomic load of benefit records (``ingest.benefits.BENEFIT_RECORD_SCHEMA``): applicant and partner
    each get a client key."""

    def __init__(self, warehouse: Warehouse, info: LoadInfo) -> None:
        super().__init__(warehouse, info, BENEFITS)

    def add(self, records: pa.Table) -> None:
        """Append validated records, with the client key of the applicant and of the partner."""
        if records.num_rows == 0:
            return
        applicants = self._resolve(records)
        self._follow_merges()
        partners = self._partner_keys(records)
        if partners is not None:
            self._follow_merges()
            applicants = _after_merges(self.warehouse, applicants)
        records = records.append_column("client_key", applicants).append_column(
            "partner_key", partners if partners is not None else pa.nulls(records.num_rows, pa.int64())
        )
        columns = ", ".join(BENEFIT_CONTENT)
        self.warehouse.execute_on(
            "INSERT INTO benefit_versions (source, load_id, known_from, superseded_at, source_row, content_hash, "
            f"client_key, partner_key, {columns}) SELECT ?, ?, ?, NULL, source_row, {benefit_hash_sql()}, "
            f"client_key, partner_key, {columns} FROM batch",
            records,
            [self.info.source, self.load_id, self.info.known_from],
        )
        self.staged += records.num_rows

    def finish(self) -> FoldResult:
        """Count the benefits the file loads or leaves unchanged and those with a partner (``totals``; not the
        ids rejected as conflicts), then fold them into versions."""
        benefits, couples = self.warehouse.rows(
            "SELECT count(DISTINCT benefit_id), count(DISTINCT benefit_id) FILTER (WHERE partner_key IS NOT NULL) "
            "FROM benefit_versions WHERE load_id = $1 AND benefit_id NOT IN (SELECT benefit_id FROM "
            "benefit_versions WHERE load_id = $1 GROUP BY benefit_id HAVING count(DISTINCT content_hash) > 1)",
            [self.load_id],
        )[0]
        self.totals = {"benefits": int(benefits), "couples": int(couples)}
        return super().finish()

    def _resolve(self, identifiers: pa.Table) -> pa.Array:
        return identity.resolve_batch(
            self.warehouse,
            identifiers,
            self.info.source,
            self.load_id,
            benefit_hash_sql,
            self._known,
            BENEFITS.table,
        )

    def _partner_keys(self, records: pa.Table) -> pa.Array | None:
        """The partner's key per row (null without a partner); None when no row of the batch has a partner."""
        has_partner = pc.or_(
            pc.is_valid(records.column("partner_pseudonym")),
            pc.is_valid(records.column("partner_client_number")),
        )
        where = pc.indices_nonzero(has_partner)
        if len(where) == 0:
            return None
        partners = pa.table(
            {
                "pseudonym": pc.take(records.column("partner_pseudonym"), where),
                "client_number": pc.take(records.column("partner_client_number"), where),
                "source_row": pc.take(records.column("source_row"), where),
            }
        )
        keys = self._resolve(partners).to_numpy()
        full = np.zeros(records.num_rows, dtype=np.int64)
        full[where.to_numpy()] = keys
        return pa.array(full, pa.int64(), mask=~np.asarray(has_partner.to_numpy(zero_copy_only=False), bool))

    def _follow_merges(self) -> None:
        """Rows of this load already stored whose partner's key the last batch merged get the surviving key
        (``resolve_batch`` does this for the applicant's key)."""
        self.warehouse.execute(
            "UPDATE benefit_versions SET partner_key = m.survivor FROM id_merges m "
            "WHERE load_id = ? AND partner_key = m.absorbed",
            [self.load_id],
        )


def _after_merges(warehouse: Warehouse, keys: pa.Array) -> pa.Array:
    """``keys`` with each key that the last ``resolve_batch`` absorbed replaced by the surviving one."""
    merges = warehouse.arrow("SELECT absorbed, survivor FROM id_merges")
    if merges.num_rows == 0:
        return keys
    survivor = pc.take(merges.column("survivor"), pc.index_in(keys, value_set=merges.column("absorbed")))
    return pc.coalesce(survivor, keys)


class ReintegrationLoad(VersionedLoad):
    """One atomic load of re-integration provisions (``ingest.benefits.REINTEGRATION_RECORD_SCHEMA``)."""

    def __init__(self, warehouse: Warehouse, info: LoadInfo) -> None:
        super().__init__(warehouse, info, REINTEGRATION)


def benefit_window(warehouse: Warehouse, kind: str, cutoff: datetime | None) -> DataWindow:
    """What the benefits (``kind`` BENEFITS_KIND) or re-integration provisions (REINTEGRATION_KIND) known
    before ``cutoff`` (None: the current versions) can tell, as ``allocations.data_window`` for allocations:
    the data moment of their loads and the earliest start date (the start of the history), in two small
    queries, without building the facts (the one place of the benefits' history start: metrics and the
    Uitkeringen page)."""
    table = {BENEFITS_KIND: "benefit_versions", REINTEGRATION_KIND: "reintegration_versions"}[kind]
    start = warehouse.value(
        f"SELECT min(start_date) FROM {table} WHERE ("
        "  CASE WHEN CAST(? AS TIMESTAMP) IS NULL THEN superseded_at IS NULL"
        "  ELSE known_from < ? AND (superseded_at IS NULL OR superseded_at >= ?) END)",
        [cutoff, cutoff, cutoff],
    )
    return DataWindow(inventory.data_moment(warehouse, (kind,), cutoff), start)
