"""Storing declarations: one atomic load per file into ``declaration_versions`` (migration 0012).

The load is the allocation load (``allocations.VersionedLoad``: staged rows, fold, versions, repair of a killed
load) on another table. A line's key is (source, declaration_id, provider_key, law, debit_credit): a 323
ReferentieNummer is unique per provider and law only (TR314), and a credit carries the number of the debit it
cancels (TR390), so a credit is its own line that nets against its debit (docs/design/money.md 0.1).

What differs from allocations:

- The content hash covers the client's identifiers as the file gives them (pseudonym, client number), not the
  client key: a merge of two keys (``identity.relink``) gives a declaration a new version with the same hash.
- ``submitted_on`` absent from the file is the extraction day of the first load that brought the line: a new
  version of a known line without a date keeps the date of the version it replaces.
- Checks against what the warehouse knows are warnings after the rows are staged (``line_issues``): a line on
  an allocation the warehouse does not know, a credit without a debit in the warehouse or the file.
"""

from __future__ import annotations

from sdmonitor.warehouse.allocations import FoldResult, LineIssue, LoadInfo, VersionedLoad, VersionedTable
from sdmonitor.warehouse.database import Warehouse

# The columns of a version that come from the file; the content hash covers them (the submission date only
# when the file gives it).
CONTENT_COLUMNS = (
    "declaration_id", "provider_key", "law", "debit_credit", "pseudonym", "client_number", "allocation_id",
    "product_category", "product_code", "provider_code", "period_start", "period_end", "volume", "unit",
    "amount", "status", "submitted_given", "delivery_form",
)  # fmt: skip
STORED_COLUMNS = (*CONTENT_COLUMNS, "submitted_on")
LINE_KEY = "concat_ws(chr(31), declaration_id, provider_key, law, debit_credit)"


def content_hash_sql(client_key: str = "client_key") -> str:
    """The content hash of a declaration version (MD5 of its content columns); the client key is not in it."""
    values = [*CONTENT_COLUMNS, "CASE WHEN submitted_given THEN submitted_on END"]
    return "md5_number(concat_ws(chr(31), {}))".format(
        ", ".join(f"coalesce(CAST({v} AS VARCHAR), chr(0))" for v in values)
    )


DECLARATIONS = VersionedTable(
    table="declaration_versions",
    key=LINE_KEY,
    label="split_part(line_key, chr(31), 1)",
    stored=STORED_COLUMNS,
    content_hash=content_hash_sql,
    noun="declaratieregel",
    plural="declaratieregel(s)",
    revert="een toegekende declaratie weer ingediend maken",
    conflict_code="duplicate_declaration_id",
)


class DeclarationLoad(VersionedLoad):
    """One atomic load of declaration records (``ingest.declarations.DECLARATION_RECORD_SCHEMA``)."""

    def __init__(self, warehouse: Warehouse, info: LoadInfo) -> None:
        super().__init__(warehouse, info, DECLARATIONS)

    def finish(self) -> FoldResult:
        """Check the staged rows against the warehouse (``line_issues``), then fold them into versions."""
        self.line_issues = self._unknown_allocations() + self._credits_without_debit()
        return super().finish()

    def _unknown_allocations(self) -> tuple[LineIssue, ...]:
        """Rows that name an allocation no allocation load brought (retourcode 9338): loaded, counted."""
        rows = self.warehouse.rows(
            "SELECT source_row, allocation_id FROM declaration_versions d WHERE load_id = ? "
            "AND allocation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM allocation_versions a "
            "WHERE a.allocation_id = d.allocation_id AND a.superseded_at IS NULL) ORDER BY source_row",
            [self.load_id],
        )
        return tuple(LineIssue(int(r), "unknown_allocation", (("allocation_id", str(a)),)) for r, a in rows)

    def _credits_without_debit(self) -> tuple[LineIssue, ...]:
        """Credit rows whose line has no debit in the warehouse or in this file (retourcode 8017)."""
        rows = self.warehouse.rows(
            "SELECT source_row, declaration_id FROM declaration_versions c WHERE load_id = $1 "
            "AND debit_credit = 'C' AND NOT EXISTS (SELECT 1 FROM declaration_versions d "
            "WHERE d.debit_credit = 'D' AND d.source = c.source AND d.declaration_id = c.declaration_id "
            "AND d.provider_key = c.provider_key AND d.law = c.law "
            "AND (d.load_id = $1 OR d.superseded_at IS NULL)) ORDER BY source_row",
            [self.load_id],
        )
        return tuple(
            LineIssue(int(r), "credit_without_debit", (("declaration_id", str(d)),)) for r, d in rows
        )

    def before_supersede(self) -> None:
        """A new version without a submission date keeps the date of the version it replaces."""
        self.warehouse.execute(
            "UPDATE declaration_versions AS n SET submitted_on = o.submitted_on, "
            "submitted_given = o.submitted_given FROM declaration_versions AS o "
            "WHERE n.load_id = $1 AND NOT n.submitted_given AND o.load_id <> $1 AND o.source = n.source "
            "AND o.superseded_at IS NULL AND o.declaration_id = n.declaration_id "
            "AND o.provider_key = n.provider_key AND o.law = n.law AND o.debit_credit = n.debit_credit",
            [self.load_id],
        )
