"""One client, one key: the integer client key of every staged row, from the identity table.

A row names its client by the pseudonym of a BSN, by the source's client number, or by both. The table
``client_identifiers`` maps each pseudonym (valid in every source) and each client number (valid in its source)
to one integer ``client_key``; the metrics group and sort on that integer. A row with both links them, so that
every row of that person gets one key, across loads. The rules (docs/loading.md, "Eén cliënt, één sleutel"):

- A link is made once and kept: a client number is linked to at most one pseudonym, and a pseudonym to at most
  one client number per source. Within one file the first row (lowest row number) that pairs them decides.
- A row whose client number is linked (or was paired earlier in the file) to another BSN is reported
  (``client_number_other_bsn``); so is a row whose BSN is linked to another client number of the source
  (``bsn_other_client_number``). Such a row counts for the client of its BSN; the figures keep the two apart.
- Merge: when a link joins a client number known under one key to a BSN known under another, the BSN's key
  stays and the client number's key is absorbed. Its current allocation versions get a new version with the
  BSN's key, known from this load, so that earlier figures (``--as-of``) stay as they were.

``resolve_batch`` runs inside the load's transaction for every batch before its rows are stored: it registers
the batch's identifiers and links and leaves each (pseudonym, client number) pair's key in ``id_keys``, so
that the rows are stored once with their key and content hash (which covers the key). Earlier batches of
the file count as known, which is what "the first row decides" means. ``conflicts`` and ``relink`` run after
the fold: the reported rows, and a new version of what a merge absorbed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from sdmonitor.warehouse.database import Warehouse

CONFLICT_CODES = ("client_number_other_bsn", "bsn_other_client_number")
_TEMP_TABLES = ("id_batch", "id_pairs", "id_new", "id_keys", "id_merges", "id_merges_all", "id_conflicts")


@dataclass(frozen=True)
class IdentityConflict:
    """A row whose BSN and client number are each linked to someone else: counted for its BSN, reported."""

    source_row: int
    code: str  # one of CONFLICT_CODES
    client_number: str


def _prepare(warehouse: Warehouse) -> None:
    warehouse.execute(
        "CREATE TEMP TABLE IF NOT EXISTS id_conflicts (source_row BIGINT, code VARCHAR, client_number VARCHAR)"
    )
    warehouse.execute("CREATE TEMP TABLE IF NOT EXISTS id_merges_all (absorbed BIGINT, survivor BIGINT)")


def resolve_batch(
    warehouse: Warehouse, records: pa.Table, source: str, load_id: int, hash_with_key: Callable[[str], str]
) -> None:
    """Register the identifiers and links of a batch (``pseudonym``, ``client_number``, ``source_row``) of load
    ``load_id``; leave every pair's key in the temp table ``id_keys`` (p, n, resolved_key).

    ``hash_with_key(expression)`` is the content-hash SQL with the client key taken from ``expression``: rows of
    earlier batches of this load whose key a merge absorbed get the surviving key and a new hash.
    """
    w = warehouse
    _prepare(w)
    w.execute_on(
        "CREATE OR REPLACE TEMP TABLE id_batch AS SELECT pseudonym AS p, client_number AS n, "
        "min(source_row) AS first_row FROM batch GROUP BY ALL",
        records.select(["pseudonym", "client_number", "source_row"]),
    )
    # The distinct (pseudonym, client number) pairs of this batch with their first row and the keys and
    # partners already known: kp/kn the keys of the pseudonym/number, n_partner the pseudonym linked to kn,
    # p_partner the client number of this source linked to kp.
    w.execute(
        """
        CREATE OR REPLACE TEMP TABLE id_pairs AS
        WITH l AS (SELECT * FROM id_batch), k AS (
            SELECT l.*, ip.client_key AS kp, ic.client_key AS kn
            FROM l
            LEFT JOIN client_identifiers ip ON ip.kind = 'pseudonym' AND ip.identifier = l.p
            LEFT JOIN client_identifiers ic
              ON ic.kind = 'client_number' AND ic.source = $1 AND ic.identifier = l.n
        ), partners AS (
            SELECT k.*, pp.identifier AS n_partner, pn.identifier AS p_partner
            FROM k
            LEFT JOIN client_identifiers pp ON pp.kind = 'pseudonym' AND pp.client_key = k.kn
            LEFT JOIN client_identifiers pn
              ON pn.kind = 'client_number' AND pn.source = $1 AND pn.client_key = k.kp
        ), candidates AS (
            SELECT *, p IS NOT NULL AND n IS NOT NULL AND NOT coalesce(kp = kn, false)
                      AND n_partner IS NULL AND p_partner IS NULL AS candidate
            FROM partners
        ), firsts AS (
            SELECT *,
                   min(first_row) FILTER (WHERE candidate) OVER (PARTITION BY n) AS first_for_n,
                   min(first_row) FILTER (WHERE candidate) OVER (PARTITION BY p) AS first_for_p
            FROM candidates
        )
        SELECT p, n, first_row, kp, kn,
               CASE
                   WHEN p IS NULL OR n IS NULL THEN 'single'
                   WHEN kp = kn THEN 'known'
                   WHEN n_partner IS NOT NULL THEN 'client_number_other_bsn'
                   WHEN p_partner IS NOT NULL THEN 'bsn_other_client_number'
                   WHEN first_row > first_for_n THEN 'client_number_other_bsn'
                   WHEN first_row > first_for_p THEN 'bsn_other_client_number'
                   ELSE 'link'
               END AS status
        FROM firsts
        """,
        [source],
    )
    # New keys: one per new linked pair, per new pseudonym and per new client number not in a link.
    w.execute(
        """
        CREATE OR REPLACE TEMP TABLE id_new AS
        SELECT p, n, nextval('client_keys') AS client_key FROM (
            SELECT p, n FROM id_pairs WHERE status = 'link' AND kp IS NULL AND kn IS NULL
            UNION ALL
            SELECT DISTINCT p, NULL FROM id_pairs WHERE p IS NOT NULL AND kp IS NULL
              AND p NOT IN (SELECT p FROM id_pairs WHERE status = 'link')
            UNION ALL
            SELECT DISTINCT NULL, n FROM id_pairs WHERE n IS NOT NULL AND kn IS NULL
              AND n NOT IN (SELECT n FROM id_pairs WHERE status = 'link')
            ORDER BY 1, 2
        )
        """
    )
    w.execute(
        """
        INSERT INTO client_identifiers
        SELECT 'pseudonym', '', p, client_key, $1 FROM id_new WHERE p IS NOT NULL
        UNION ALL
        SELECT 'pseudonym', '', p, kn, $1 FROM id_pairs WHERE status = 'link' AND kp IS NULL AND kn IS NOT NULL
        UNION ALL
        SELECT 'client_number', $2, n, client_key, $1 FROM id_new WHERE n IS NOT NULL
        UNION ALL
        SELECT 'client_number', $2, n, kp, $1 FROM id_pairs
        WHERE status = 'link' AND kn IS NULL AND kp IS NOT NULL
        """,
        [load_id, source],
    )
    # A link between two known keys: the client number's key is absorbed into the BSN's.
    w.execute(
        "CREATE OR REPLACE TEMP TABLE id_merges AS SELECT DISTINCT kn AS absorbed, kp AS survivor "
        "FROM id_pairs WHERE status = 'link' AND kp IS NOT NULL AND kn IS NOT NULL"
    )
    w.execute(
        "UPDATE client_identifiers SET client_key = m.survivor FROM id_merges m WHERE client_key = m.absorbed"
    )
    # Every pair's key: the BSN's when there is one (it identifies the person), else the client number's.
    w.execute(
        """
        CREATE OR REPLACE TEMP TABLE id_keys AS
        SELECT l.p, l.n, coalesce(ip.client_key, ic.client_key) AS resolved_key
        FROM id_pairs l
        LEFT JOIN client_identifiers ip ON ip.kind = 'pseudonym' AND ip.identifier = l.p
        LEFT JOIN client_identifiers ic ON ic.kind = 'client_number' AND ic.source = $1 AND ic.identifier = l.n
        """,
        [source],
    )
    if w.value("SELECT count(*) FROM id_merges"):
        w.execute(
            f"UPDATE allocation_versions SET client_key = m.survivor, content_hash = {hash_with_key('m.survivor')} "
            "FROM id_merges m WHERE load_id = ? AND client_key = m.absorbed",
            [load_id],
        )
        w.execute("INSERT INTO id_merges_all SELECT absorbed, survivor FROM id_merges")
    conflicting = "status IN ('client_number_other_bsn', 'bsn_other_client_number')"
    if w.value(f"SELECT count(*) FROM id_pairs WHERE {conflicting}"):
        w.execute_on(
            "INSERT INTO id_conflicts SELECT b.source_row, c.status, c.n FROM batch b "
            f"JOIN (SELECT p, n, status FROM id_pairs WHERE {conflicting}) c "
            "ON b.pseudonym IS NOT DISTINCT FROM c.p AND b.client_number IS NOT DISTINCT FROM c.n",
            records.select(["pseudonym", "client_number", "source_row"]),
        )


def conflicts(warehouse: Warehouse) -> tuple[IdentityConflict, ...]:
    """The rows of this load whose identifiers conflict with a link, in row order."""
    _prepare(warehouse)
    rows = warehouse.rows("SELECT source_row, code, client_number FROM id_conflicts ORDER BY source_row")
    return tuple(IdentityConflict(int(row), str(code), str(number)) for row, code, number in rows)


def relink(
    warehouse: Warehouse, load_id: int, known_from: object, hash_with_key: Callable[[str], str]
) -> int:
    """After the fold: a new version, known from this load, of every current version whose key was absorbed.

    Allocations of this load already carry the surviving key. The new versions have ``source_row`` 0 (no row
    of the file). Returns how many versions were made.
    """
    w = warehouse
    _prepare(w)
    absorbed = int(w.value("SELECT count(*) FROM id_merges_all"))
    if not absorbed:
        return 0
    columns = [
        name
        for (name,) in w.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'allocation_versions' "
            "AND column_name NOT IN ('load_id', 'known_from', 'superseded_at', 'source_row', 'content_hash', "
            "'client_key') ORDER BY ordinal_position"
        )
    ]
    listed = ", ".join(columns)
    before = int(w.value("SELECT count(*) FROM allocation_versions WHERE load_id = ?", [load_id]))
    w.execute(
        f"INSERT INTO allocation_versions (load_id, known_from, superseded_at, source_row, content_hash, "
        f"client_key, {listed}) "
        f"SELECT $1, $2, NULL, 0, {hash_with_key('m.survivor')}, m.survivor, {listed} "
        "FROM allocation_versions JOIN id_merges_all m ON client_key = m.absorbed "
        "WHERE superseded_at IS NULL AND load_id <> $1",
        [load_id, known_from],
    )
    w.execute(
        "UPDATE allocation_versions SET superseded_at = $2 WHERE superseded_at IS NULL "
        "AND load_id <> $1 AND client_key IN (SELECT absorbed FROM id_merges_all)",
        [load_id, known_from],
    )
    return int(w.value("SELECT count(*) FROM allocation_versions WHERE load_id = ?", [load_id])) - before


def drop_temp(warehouse: Warehouse) -> None:
    """Remove the work tables of ``resolve``."""
    for table in _TEMP_TABLES:
        warehouse.execute(f"DROP TABLE IF EXISTS {table}")
