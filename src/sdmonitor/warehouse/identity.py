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

``resolve`` runs inside the load's transaction, before the fold: it gives every staged row of the load its
key and its content hash (which covers the key). ``relink`` runs after the fold and re-versions what a merge
absorbed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sdmonitor.warehouse.database import Warehouse

CONFLICT_CODES = ("client_number_other_bsn", "bsn_other_client_number")
_TEMP_TABLES = ("id_pairs", "id_new", "id_keys", "id_merges")


@dataclass(frozen=True)
class IdentityConflict:
    """A row whose BSN and client number are each linked to someone else: counted for its BSN, reported."""

    source_row: int
    code: str  # one of CONFLICT_CODES
    client_number: str


def resolve(
    warehouse: Warehouse, source: str, load_id: int, hash_with_key: Callable[[str], str]
) -> tuple[IdentityConflict, ...]:
    """Give every staged row of ``load_id`` its client key and content hash; register new identifiers and links.

    ``hash_with_key(expression)`` is the content-hash SQL with the client key taken from ``expression``.
    Returns the rows whose identifiers conflict with a link (in row order).
    """
    w = warehouse
    # The distinct (pseudonym, client number) pairs of this load with their first row and the keys and
    # partners already known: kp/kn the keys of the pseudonym/number, n_partner the pseudonym linked to kn,
    # p_partner the client number of this source linked to kp.
    w.execute(
        """
        CREATE OR REPLACE TEMP TABLE id_pairs AS
        WITH l AS (
            SELECT pseudonym AS p, client_number AS n, min(source_row) AS first_row
            FROM allocation_versions WHERE load_id = $1 GROUP BY ALL
        ), k AS (
            SELECT l.*, ip.client_key AS kp, ic.client_key AS kn
            FROM l
            LEFT JOIN client_identifiers ip ON ip.kind = 'pseudonym' AND ip.identifier = l.p
            LEFT JOIN client_identifiers ic
              ON ic.kind = 'client_number' AND ic.source = $2 AND ic.identifier = l.n
        ), partners AS (
            SELECT k.*, pp.identifier AS n_partner, pn.identifier AS p_partner
            FROM k
            LEFT JOIN client_identifiers pp ON pp.kind = 'pseudonym' AND pp.client_key = k.kn
            LEFT JOIN client_identifiers pn
              ON pn.kind = 'client_number' AND pn.source = $2 AND pn.client_key = k.kp
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
        [load_id, source],
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
    w.execute(
        f"UPDATE allocation_versions SET client_key = k.resolved_key, content_hash = "
        f"{hash_with_key('k.resolved_key')} FROM id_keys k WHERE load_id = $1 "
        "AND pseudonym IS NOT DISTINCT FROM k.p AND client_number IS NOT DISTINCT FROM k.n",
        [load_id],
    )
    rows = w.rows(
        "SELECT v.source_row, c.status, c.n FROM allocation_versions v "
        "JOIN (SELECT p, n, status FROM id_pairs WHERE status IN ('client_number_other_bsn', "
        "'bsn_other_client_number')) c "
        "ON v.pseudonym IS NOT DISTINCT FROM c.p AND v.client_number IS NOT DISTINCT FROM c.n "
        "WHERE v.load_id = ? ORDER BY v.source_row",
        [load_id],
    )
    return tuple(IdentityConflict(int(row), str(code), str(number)) for row, code, number in rows)


def relink(
    warehouse: Warehouse, load_id: int, known_from: object, hash_with_key: Callable[[str], str]
) -> int:
    """After the fold: a new version, known from this load, of every current version whose key was absorbed.

    Allocations of this load already carry the surviving key. The new versions have ``source_row`` 0 (no row
    of the file). Returns how many versions were made.
    """
    w = warehouse
    absorbed = int(w.value("SELECT count(*) FROM id_merges"))
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
        "FROM allocation_versions JOIN id_merges m ON client_key = m.absorbed "
        "WHERE superseded_at IS NULL AND load_id <> $1",
        [load_id, known_from],
    )
    w.execute(
        "UPDATE allocation_versions SET superseded_at = $2 WHERE superseded_at IS NULL "
        "AND load_id <> $1 AND client_key IN (SELECT absorbed FROM id_merges)",
        [load_id, known_from],
    )
    return int(w.value("SELECT count(*) FROM allocation_versions WHERE load_id = ?", [load_id])) - before


def drop_temp(warehouse: Warehouse) -> None:
    """Remove the work tables of ``resolve``."""
    for table in _TEMP_TABLES:
        warehouse.execute(f"DROP TABLE IF EXISTS {table}")
