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
  an allocation the warehouse does not know, a credit without a debit in the warehouse or the file, a line
  that does not fit its allocation (client, codes, provider, period, unit, volume: the iStandaard rules TR321,
  TR322, TR369, TR384, TR389), an amount that is not volume x the loaded tariff (TR346). They are a snapshot of
  the load: an allocation or tariff loaded later is used when the figures are computed, and is not checked
  again.
"""

from __future__ import annotations

import pyarrow.compute as pc

from sdmonitor.warehouse.allocations import FoldResult, LineIssues, LoadInfo, VersionedLoad, VersionedTable
from sdmonitor.warehouse.database import Warehouse
from sdmonitor.warehouse.finance import tariffs, with_tariff

# The columns of a version that come from the file; the content hash covers them (the submission date only
# when the file gives it).
CONTENT_COLUMNS = (
    "declaration_id", "provider_key", "law", "debit_credit", "pseudonym", "client_number", "allocation_id",
    "product_category", "product_code", "provider_code", "period_start", "period_end", "volume", "unit",
    "amount", "status", "submitted_given", "delivery_form",
)  # fmt: skip
STORED_COLUMNS = (*CONTENT_COLUMNS, "submitted_on")
LINE_KEY = "concat_ws(chr(31), declaration_id, provider_key, law, debit_credit)"

# The staged rows beside the allocation they name (its newest current version, of any source), with the
# declared quantity in the allocation's unit (01 minutes <-> 04 hours convert x60, TR346; a budget allocation,
# unit 83, counts the amount against its volume in eurocent), and the number of the allocation's frequency
# periods that the delivery period touches (days, weeks, months; NULL for a total over the allocation's life).
_STAGED_WITH_ALLOCATION = """
CREATE OR REPLACE TEMP TABLE decl_checked AS
WITH alloc AS (
    SELECT allocation_id, client_key AS a_client, product_category AS a_category, product_code AS a_code,
           provider_code AS a_provider, start_date AS a_start, end_date AS a_end, volume AS a_volume,
           unit AS a_unit, frequency AS a_frequency, is_deleted AS a_deleted
    FROM allocation_versions WHERE superseded_at IS NULL
      AND allocation_id IN (SELECT allocation_id FROM declaration_versions WHERE load_id = $1)
    QUALIFY row_number() OVER (PARTITION BY allocation_id ORDER BY known_from DESC, source) = 1
)
SELECT d.source_row, d.declaration_id, d.client_key, d.product_category, d.product_code, d.provider_code,
       d.period_start, d.period_end, d.unit, d.debit_credit, d.status, alloc.*,
       CASE WHEN alloc.a_unit = '83' THEN CAST(d.amount AS DOUBLE)
            WHEN d.unit = alloc.a_unit THEN d.volume
            WHEN d.unit = '01' AND alloc.a_unit = '04' THEN d.volume / 60
            WHEN d.unit = '04' AND alloc.a_unit = '01' THEN d.volume * 60 END AS declared,
       CASE WHEN alloc.a_unit = '83' THEN alloc.a_volume / 100 ELSE alloc.a_volume END AS allocated,
       CASE alloc.a_frequency
            WHEN '1' THEN date_diff('day', d.period_start, d.period_end) + 1
            WHEN '2' THEN date_diff('week', date_trunc('week', d.period_start), date_trunc('week', d.period_end)) + 1
            WHEN '4' THEN date_diff('month', date_trunc('month', d.period_start), date_trunc('month', d.period_end)) + 1
       END AS periods
FROM declaration_versions d JOIN alloc USING (allocation_id)
WHERE d.load_id = $1
"""
# Per allocation with a total (frequency 6): the net declared quantity of its lines as they stand after this
# load (the current lines it does not replace, and its own first row of each line), rejected lines left out.
_CUMULATIVE = """
WITH after_load AS (
    SELECT allocation_id, debit_credit, status, unit, volume, amount FROM declaration_versions
    WHERE superseded_at IS NULL AND load_id <> $1 AND source = $2
      AND allocation_id IN (SELECT allocation_id FROM decl_checked WHERE a_frequency = '6')
      AND LINE_KEY NOT IN (SELECT LINE_KEY FROM declaration_versions WHERE load_id = $1)
    UNION ALL
    SELECT allocation_id, debit_credit, status, unit, volume, amount FROM declaration_versions WHERE load_id = $1
    QUALIFY row_number() OVER (PARTITION BY LINE_KEY ORDER BY source_row) = 1
), totals AS (
    SELECT c.allocation_id, any_value(c.allocated) AS allocated, any_value(c.a_unit) AS a_unit,
           sum(CASE WHEN c.a_unit = '83' THEN CAST(l.amount AS DOUBLE)
                    WHEN l.unit = c.a_unit THEN l.volume
                    WHEN l.unit = '01' AND c.a_unit = '04' THEN l.volume / 60
                    WHEN l.unit = '04' AND c.a_unit = '01' THEN l.volume * 60 END
               * CASE l.debit_credit WHEN 'C' THEN -1 ELSE 1 END) AS total
    FROM (SELECT DISTINCT allocation_id, allocated, a_unit FROM decl_checked WHERE a_frequency = '6') c
    JOIN after_load l USING (allocation_id)
    WHERE l.status <> 'afgewezen'
    GROUP BY c.allocation_id
)
SELECT d.source_row, t.a_unit = '83' AS budget, d.allocation_id, printf('%.2f', t.total) AS declared,
       printf('%.2f', t.allocated) AS allowed
FROM decl_checked d JOIN totals t USING (allocation_id)
WHERE d.debit_credit = 'D' AND t.total > t.allocated + 1e-9
""".replace("LINE_KEY", LINE_KEY)
# A second debit for the same allocation, product and period while the first counts (TR389): a rejected
# debit (afgewezen) or a credited one does not, so a rejected line declared again under a new number (the
# procedure for a correction) is no second debit. Only the lines on this load's allocations are read (and
# the credits with their numbers), never the whole table.
_SECOND_DEBIT = """
WITH load_allocations AS (
    SELECT DISTINCT allocation_id FROM declaration_versions WHERE load_id = $1 AND allocation_id IS NOT NULL
), load_debits AS (
    SELECT declaration_id, provider_key, law FROM declaration_versions WHERE load_id = $1 AND debit_credit = 'D'
), candidates AS (
    SELECT source_row, load_id, allocation_id, product_code, period_start, period_end, declaration_id,
           provider_key, law
    FROM declaration_versions SEMI JOIN load_allocations USING (allocation_id)
    WHERE debit_credit = 'D' AND status <> 'afgewezen' AND source = $2 AND (load_id = $1 OR superseded_at IS NULL)
), counted AS (
    SELECT * FROM candidates WHERE load_id = $1
    UNION ALL
    SELECT * FROM (SELECT * FROM candidates WHERE load_id <> $1)
        ANTI JOIN load_debits USING (declaration_id, provider_key, law)
), debits AS (
    SELECT * FROM counted ANTI JOIN (
        SELECT declaration_id, provider_key, law FROM declaration_versions
        WHERE debit_credit = 'C' AND source = $2 AND (load_id = $1 OR superseded_at IS NULL)
          AND declaration_id IN (SELECT declaration_id FROM candidates)
    ) credits USING (declaration_id, provider_key, law)
)
SELECT n.source_row, min(o.declaration_id) AS other
FROM debits n JOIN debits o ON o.allocation_id = n.allocation_id
     AND o.product_code IS NOT DISTINCT FROM n.product_code AND o.period_start = n.period_start
     AND o.period_end = n.period_end
     AND (o.declaration_id, o.provider_key, o.law) <> (n.declaration_id, n.provider_key, n.law)
WHERE n.load_id = $1
GROUP BY n.source_row
"""
# Checks of a staged row against its allocation: (code, condition, message fields as SQL by name).
_AGAINST_ALLOCATION: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("declared_on_deleted_allocation", "a_deleted", ()),
    ("allocation_of_other_client", "a_client <> client_key", ()),
    (
        "category_differs_from_allocation",
        "a_category <> product_category",
        (("category", "product_category"), ("allocated", "a_category")),
    ),
    (
        "product_code_differs_from_allocation",
        "a_code <> product_code",
        (("product_code", "product_code"), ("allocated", "a_code")),
    ),
    (
        "provider_differs_from_allocation",
        "a_provider <> provider_code",
        (("provider", "provider_code"), ("allocated", "a_provider")),
    ),
    (
        "period_outside_allocation",
        "period_start < a_start OR period_end > a_end",
        (("start", "strftime(a_start, '%d-%m-%Y')"), ("end", "coalesce(strftime(a_end, '%d-%m-%Y'), 'open')")),
    ),
    (
        "unit_differs_from_allocation",
        "unit <> a_unit AND a_unit <> '83' AND NOT (unit IN ('01', '04') AND a_unit IN ('01', '04'))",
        (("unit", "unit"), ("allocated", "a_unit")),
    ),
    (
        "volume_exceeds_allocation",
        "debit_credit = 'D' AND a_unit <> '83' AND declared > allocated * periods + 1e-9",
        (("declared", "printf('%g', declared)"), ("allowed", "printf('%g', allocated * periods)")),
    ),
    (
        "amount_exceeds_allocation_budget",
        "debit_credit = 'D' AND a_unit = '83' AND declared > allocated * periods + 1e-9",
        (("allocation_id", "allocation_id"), ("declared", "printf('%.2f', declared)"),
         ("allowed", "printf('%.2f', allocated * periods)")),
    ),
)  # fmt: skip


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
    narrow="declaration_id",
)


class DeclarationLoad(VersionedLoad):
    """One atomic load of declaration records (``ingest.declarations.DECLARATION_RECORD_SCHEMA``)."""

    def __init__(self, warehouse: Warehouse, info: LoadInfo) -> None:
        super().__init__(warehouse, info, DECLARATIONS)

    def finish(self) -> FoldResult:
        """Check the staged rows against the warehouse (``line_issues``), then fold them into versions."""
        found = [
            *self._unknown_allocations(),
            *self._credits_without_debit(),
            *self._against_allocations(),
            self._against_tariffs(),
        ]
        self.line_issues = tuple(issues for issues in found if issues.rows.num_rows)
        self.totals = self._totals()
        return super().finish()

    def _totals(self) -> dict[str, int]:
        """Of the lines this file loads or leaves unchanged (each distinct row once, no conflicting key): the net
        amount in cents (credits negative) and how many have a delivery period over more than one month."""
        cents, multi_month = self.warehouse.rows(
            f"WITH staged AS (SELECT {LINE_KEY} AS line_key, content_hash, any_value(amount) AS amount, "
            "any_value(debit_credit) AS debit_credit, any_value(period_start) AS period_start, "
            "any_value(period_end) AS period_end FROM declaration_versions WHERE load_id = ? "
            "GROUP BY line_key, content_hash) "
            "SELECT coalesce(sum(CASE debit_credit WHEN 'C' THEN -amount ELSE amount END) * 100, 0)::BIGINT, "
            "count(*) FILTER (WHERE date_trunc('month', period_start) <> date_trunc('month', period_end)) "
            "FROM staged WHERE line_key NOT IN "
            "(SELECT line_key FROM staged GROUP BY line_key HAVING count(*) > 1)",
            [self.load_id],
        )[0]
        return {"cents": int(cents), "multi_month": int(multi_month)}

    def _against_allocations(self) -> list[LineIssues]:
        """Rows that do not fit the allocation they name: warnings with the iStandaard return code."""
        w, params = self.warehouse, [self.load_id, self.info.source]
        w.execute(_STAGED_WITH_ALLOCATION, [self.load_id])
        found = [
            LineIssues(
                code,
                w.arrow(
                    "SELECT source_row, "
                    + ", ".join(
                        [f"CAST({sql} AS VARCHAR) AS {name}" for name, sql in fields] or ["NULL AS none"]
                    )
                    + f" FROM decl_checked WHERE coalesce({condition}, false)"
                ).drop_columns([] if fields else ["none"]),
            )
            for code, condition, fields in _AGAINST_ALLOCATION
        ]
        totals = w.arrow(_CUMULATIVE, params)
        budget = pc.fill_null(totals.column("budget"), False)
        found.append(
            LineIssues("amount_exceeds_allocation_budget", totals.filter(budget).drop_columns(["budget"]))
        )
        found.append(
            LineIssues(
                "cumulative_volume_exceeds_allocation",
                totals.filter(pc.invert(budget)).drop_columns(["budget"]),
            )
        )
        found.append(LineIssues("second_debit_same_period", w.arrow(_SECOND_DEBIT, params)))
        w.execute("DROP TABLE IF EXISTS decl_checked")
        return found

    def _against_tariffs(self) -> LineIssues:
        """Rows whose amount is not volume x tariff (TR346, retourcode 0611): the tariff loaded now for the
        line's product, provider (its own, else the generic one) and unit on the first day of its period, an
        hourly tariff converted to minutes (/60). Beyond EUR 0.01 after rounding volume x tariff to cents;
        not for a budget (unit 83), a PGB line or a line without volume or unit."""
        backend = self.warehouse.ibis()
        d = backend.table("declaration_versions")
        lines = d.filter(
            (d.load_id == self.load_id)
            & d.volume.notnull()
            & d.unit.notnull()
            & (d.unit != "83")
            & (d.delivery_form != "PGB")
        ).select(
            "source_row", "product_code", "provider_code", "unit", "volume", "amount", day=d.period_start
        )
        priced = with_tariff(lines, tariffs(backend, None))
        sql = backend.compile(priced.filter(priced.tariff.notnull()))
        rows = self.warehouse.arrow(
            "SELECT source_row, printf('%.2f', amount) AS amount, printf('%g', volume) AS volume, "
            "rtrim(rtrim(printf('%.4f', tariff), '0'), '.') AS tariff, printf('%.2f', expected) AS expected "
            f"FROM (SELECT *, round(volume * tariff, 2) AS expected FROM ({sql})) "
            "WHERE abs(CAST(amount AS DOUBLE) - expected) > 0.01 + 1e-6 ORDER BY source_row"
        )
        return LineIssues("amount_differs_from_tariff", rows)

    def _unknown_allocations(self) -> list[LineIssues]:
        """Rows that name an allocation no allocation load brought (retourcode 9338): loaded, counted."""
        rows = self.warehouse.arrow(
            "SELECT source_row, allocation_id FROM declaration_versions d WHERE load_id = ? "
            "AND allocation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM allocation_versions a "
            "WHERE a.allocation_id = d.allocation_id AND a.superseded_at IS NULL)",
            [self.load_id],
        )
        return [LineIssues("unknown_allocation", rows)]

    def _credits_without_debit(self) -> list[LineIssues]:
        """Credit rows whose line has no debit in the warehouse or in this file (retourcode 8017)."""
        rows = self.warehouse.arrow(
            "WITH credits AS (SELECT source_row, declaration_id, provider_key, law FROM declaration_versions "
            "WHERE load_id = $1 AND debit_credit = 'C') "
            "SELECT source_row, declaration_id FROM credits ANTI JOIN (SELECT declaration_id, provider_key, law "
            "FROM declaration_versions WHERE debit_credit = 'D' AND source = $2 "
            "AND (load_id = $1 OR superseded_at IS NULL) "
            "AND declaration_id IN (SELECT declaration_id FROM credits)) d USING (declaration_id, provider_key, law)",
            [self.load_id, self.info.source],
        )
        return [LineIssues("credit_without_debit", rows)]

    def before_supersede(self) -> None:
        """A new version without a submission date keeps the date of the version it replaces."""
        undated = "SELECT 1 FROM declaration_versions WHERE load_id = ? AND NOT submitted_given LIMIT 1"
        if not self.warehouse.rows(undated, [self.load_id]):
            return
        self.warehouse.execute(
            "UPDATE declaration_versions AS n SET submitted_on = o.submitted_on, "
            "submitted_given = o.submitted_given FROM declaration_versions AS o "
            "WHERE n.load_id = $1 AND NOT n.submitted_given AND o.load_id <> $1 AND o.source = n.source "
            "AND o.superseded_at IS NULL AND o.declaration_id = n.declaration_id "
            "AND o.provider_key = n.provider_key AND o.law = n.law AND o.debit_credit = n.debit_credit "
            "AND o.declaration_id IN (SELECT declaration_id FROM declaration_versions "
            "WHERE load_id = $1 AND NOT submitted_given)",
            [self.load_id],
        )
