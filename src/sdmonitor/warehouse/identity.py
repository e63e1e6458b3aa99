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
the batch's identifiers and links and returns each row's key, so that the rows are stored once, with their
key and their content hash (which covers the key). Earlier batches of
the file count as known, which is what "the first row decides" means. ``conflicts`` and ``relink`` run after
the fold: the reported rows, and a new version of what a merge absorbed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.warehouse.database import Warehouse

CONFLICT_CODES = ("client_number_other_bsn", "bsn_other_client_number")
_TEMP_TABLES = (
    "id_known", "id_added", "id_pairs", "id_new", "id_merges", "id_merges_all", "id_conflicts",
)  # fmt: skip


@dataclass(frozen=True)
class IdentityConflict:
    """A row whose BSN and client number are each linked to someone else: counted for its BSN, reported."""

    source_row: int
    code: str  # one of CONFLICT_CODES
    client_number: str


class _SortedRuns:
    """Identifier -> client key in memory: a few runs sorted by a 64-bit hash of the identifier.

    A look-up finds the identifier's hash with a binary search and then compares the identifier byte for byte
    (NUL-padded fixed-width bytes; no identifier holds a NUL), so a hash collision never mixes up two
    identifiers. About 50 bytes per pseudonym: the 7.5 million identifiers of a national first load take
    about 400 MB.
    """

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (hashes, identifiers, keys)

    def _positions(self, wanted: np.ndarray, hashes: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per run: which of ``wanted`` it holds, and where."""
        order = np.argsort(hashes, kind="stable")  # sorted needles: the binary searches stay close
        found = []
        for run_hashes, run_ids, _ in self.runs:
            first = np.searchsorted(run_hashes, hashes[order], side="left")
            last = np.searchsorted(run_hashes, hashes[order], side="right")
            single = np.flatnonzero(last - first == 1)
            hit = run_ids[first[single]] == wanted[order[single]]
            needles, places = [order[single[hit]]], [first[single[hit]]]
            for i in np.flatnonzero(last - first > 1):  # equal hashes: compare each (almost never)
                for place in range(first[i], last[i]):
                    if run_ids[place] == wanted[order[i]]:
                        needles.append(np.array([order[i]]))
                        places.append(np.array([place]))
            found.append((np.concatenate(needles), np.concatenate(places)))
        return found

    def find(self, identifiers: pa.Array | pa.ChunkedArray) -> pa.Array:
        """The key of each identifier (null when unknown or when the identifier is null)."""
        text = _combined(identifiers)
        keys = np.zeros(len(text), dtype=np.int64)
        found = np.zeros(len(text), dtype=bool)
        present = np.flatnonzero(np.asarray(pc.is_valid(text).to_numpy(zero_copy_only=False), dtype=bool))
        if self.runs and len(present):
            wanted, hashes = _fixed_bytes(pc.take(text, pa.array(present)))
            for (needles, places), (_, _, run_keys) in zip(
                self._positions(wanted, hashes), self.runs, strict=True
            ):
                keys[present[needles]] = run_keys[places]
                found[present[needles]] = True
        return pa.array(keys, pa.int64(), mask=~found)

    def add(self, identifiers: pa.Array | pa.ChunkedArray, keys: np.ndarray) -> None:
        """Add identifiers not yet in the index, with their keys."""
        if len(identifiers) == 0:
            return
        ids, hashes = _fixed_bytes(_combined(identifiers))
        order = np.argsort(hashes, kind="stable")
        self.runs.append((hashes[order], ids[order], keys[order]))
        # merge the newest runs while the last is at least half the size of the one before: few runs, each
        # identifier copied about log2(n) times in all
        while len(self.runs) > 1 and 2 * len(self.runs[-1][0]) >= len(self.runs[-2][0]):
            (hashes_a, ids_a, keys_a), (hashes_b, ids_b, keys_b) = self.runs[-2], self.runs[-1]
            merged_hashes = np.concatenate([hashes_a, hashes_b])
            order = np.argsort(merged_hashes, kind="stable")
            ids = np.concatenate([ids_a, ids_b])[order]
            self.runs[-2:] = [(merged_hashes[order], ids, np.concatenate([keys_a, keys_b])[order])]

    def replace(self, identifiers: pa.Array | pa.ChunkedArray, keys: np.ndarray) -> None:
        """Give identifiers already in the index a new key."""
        if len(identifiers) == 0 or not self.runs:
            return
        wanted, hashes = _fixed_bytes(_combined(identifiers))
        for (needles, places), (_, _, run_keys) in zip(
            self._positions(wanted, hashes), self.runs, strict=True
        ):
            run_keys[places] = keys[needles]


class KnownIdentifiers:
    """The identity table of one load's source in memory: pseudonyms (every source) and client numbers.

    Read once from ``client_identifiers`` at the first batch, then kept equal to it by ``resolve_batch``: the
    identifiers it adds and the keys a merge changes. It lives as long as the load (its transaction).
    """

    def __init__(self) -> None:
        self.pseudonyms = _SortedRuns()
        self.numbers = _SortedRuns()
        self._read = False

    def read(self, warehouse: Warehouse, source: str) -> None:
        """Read the identity table of ``source`` (once per load)."""
        if not self._read:
            self.add(
                warehouse.arrow(
                    "SELECT kind, identifier, client_key FROM client_identifiers "
                    "WHERE kind = 'pseudonym' OR (kind = 'client_number' AND source = ?)",
                    [source],
                )
            )
            self._read = True

    def add(self, rows: pa.Table) -> None:
        """Add rows (``kind``, ``identifier``, ``client_key``) new to the identity table."""
        for kind, runs in (("pseudonym", self.pseudonyms), ("client_number", self.numbers)):
            of_kind = rows.filter(pc.equal(rows.column("kind"), kind))
            runs.add(of_kind.column("identifier"), of_kind.column("client_key").to_numpy())

    def replace(self, rows: pa.Table) -> None:
        """Set the key of rows (``kind``, ``identifier``, ``client_key``) already in the identity table."""
        for kind, runs in (("pseudonym", self.pseudonyms), ("client_number", self.numbers)):
            of_kind = rows.filter(pc.equal(rows.column("kind"), kind))
            runs.replace(of_kind.column("identifier"), of_kind.column("client_key").to_numpy())


def _combined(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        return array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    return array


_MIX = np.uint64(0x9E3779B97F4A7C15)


def _fixed_bytes(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Strings without nulls as numpy fixed-width bytes (NUL-padded to the longest), and a 64-bit hash of each.

    The hash reads only a string's own 8-byte words, so it does not depend on the width it was padded to.
    """
    text = text.cast(pa.string())
    count = len(text)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[text.offset : text.offset + count + 1]
    lengths = np.diff(offsets).astype(np.int64)
    width = -(-max(int(lengths.max()) if count else 1, 1) // 8) * 8
    data = (
        np.frombuffer(text.buffers()[2], dtype=np.uint8)
        if text.buffers()[2] is not None
        else np.zeros(0, dtype=np.uint8)
    )
    matrix = np.zeros((count, width), dtype=np.uint8)
    columns = np.arange(width, dtype=np.int64)
    inside = columns[None, :] < lengths[:, None]
    matrix[inside] = data[(offsets[:-1, None].astype(np.int64) + columns[None, :])[inside]]
    words = matrix.view(np.uint64)
    hashes = lengths.astype(np.uint64) * _MIX
    for i in range(words.shape[1]):
        mixed = (hashes ^ words[:, i]) * _MIX
        hashes = np.where(8 * i < lengths, mixed ^ (mixed >> np.uint64(29)), hashes)
    return matrix.view(f"S{width}").ravel(), hashes


def _prepare(warehouse: Warehouse) -> None:
    warehouse.execute(
        "CREATE TEMP TABLE IF NOT EXISTS id_conflicts (source_row BIGINT, code VARCHAR, client_number VARCHAR)"
    )
    warehouse.execute("CREATE TEMP TABLE IF NOT EXISTS id_merges_all (absorbed BIGINT, survivor BIGINT)")


def resolve_batch(
    warehouse: Warehouse,
    records: pa.Table,
    source: str,
    load_id: int,
    hash_with_key: Callable[[str], str],
    known: KnownIdentifiers,
    table: str = "allocation_versions",
) -> pa.Array:
    """Register the identifiers and links of a batch (``pseudonym``, ``client_number``, ``source_row``) of load
    ``load_id``; return the client key of every row.

    ``hash_with_key(expression)`` is the content-hash SQL with the client key taken from ``expression``: rows of
    earlier batches of this load whose key a merge absorbed get the surviving key and a new hash. ``known`` is
    the load's in-memory copy of the identity table (one per load, kept up to date here). ``table`` is
    the table of versions the load stores its rows in.
    """
    w = warehouse
    _prepare(w)
    pairs_of_batch, pair_of_row = _distinct_pairs(records)
    # The batch's distinct (pseudonym, client number) pairs with their first row and the keys already known:
    # kp/kn the keys of the pseudonym and of the client number, from the load's in-memory copy of the identity
    # table (reading the table itself for every batch costs time in proportion to its size: a national first
    # load read it 90 times).
    known.read(w, source)
    pairs_of_batch = pairs_of_batch.append_column(
        "kp", known.pseudonyms.find(pairs_of_batch.column("p"))
    ).append_column("kn", known.numbers.find(pairs_of_batch.column("n")))
    w.execute_on(
        "CREATE OR REPLACE TEMP TABLE id_known AS SELECT pair, p, n, first_row, kp, kn FROM batch",
        pairs_of_batch,
    )
    # The pairs of both identifiers under different (or no) keys, and whether they link: n_partner is the
    # pseudonym already linked to kn, p_partner the client number of this source already linked to kp; of
    # the rest, the first row that pairs a client number (or a pseudonym) decides. (Few: most rows give one
    # identifier, or two already linked.)
    both = "p IS NOT NULL AND n IS NOT NULL AND NOT coalesce(kp = kn, false)"
    if not w.value(f"SELECT count(*) FROM id_known WHERE {both}"):
        w.execute(
            "CREATE OR REPLACE TEMP TABLE id_pairs AS "
            "SELECT p, n, first_row, kp, kn, 'link' AS status FROM id_known WHERE false"
        )
    else:
        _classify_pairs(w, source, both)
    # New keys: one per new linked pair, per new pseudonym and per new client number not in a link.
    w.execute(
        """
        CREATE OR REPLACE TEMP TABLE id_new AS
        SELECT p, n, nextval('client_keys') AS client_key FROM (
            SELECT p, n FROM id_pairs WHERE status = 'link' AND kp IS NULL AND kn IS NULL
            UNION ALL
            SELECT DISTINCT p, NULL FROM id_known WHERE p IS NOT NULL AND kp IS NULL
              AND p NOT IN (SELECT p FROM id_pairs WHERE status = 'link')
            UNION ALL
            SELECT DISTINCT NULL, n FROM id_known WHERE n IS NOT NULL AND kn IS NULL
              AND n NOT IN (SELECT n FROM id_pairs WHERE status = 'link')
            ORDER BY 1, 2
        )
        """
    )
    w.execute(
        """
        CREATE OR REPLACE TEMP TABLE id_added AS
        SELECT 'pseudonym' AS kind, p AS identifier, client_key FROM id_new WHERE p IS NOT NULL
        UNION ALL
        SELECT 'pseudonym', p, kn FROM id_pairs WHERE status = 'link' AND kp IS NULL AND kn IS NOT NULL
        UNION ALL
        SELECT 'client_number', n, client_key FROM id_new WHERE n IS NOT NULL
        UNION ALL
        SELECT 'client_number', n, kp FROM id_pairs WHERE status = 'link' AND kn IS NULL AND kp IS NOT NULL
        """
    )
    w.execute(
        "INSERT INTO client_identifiers SELECT kind, CASE kind WHEN 'pseudonym' THEN '' ELSE $2 END, "
        "identifier, client_key, $1 FROM id_added",
        [load_id, source],
    )
    known.add(w.arrow("SELECT kind, identifier, client_key FROM id_added"))
    # A link between two known keys: the client number's key is absorbed into the BSN's.
    w.execute(
        "CREATE OR REPLACE TEMP TABLE id_merges AS SELECT DISTINCT kn AS absorbed, kp AS survivor "
        "FROM id_pairs WHERE status = 'link' AND kp IS NOT NULL AND kn IS NOT NULL"
    )
    merged = bool(w.value("SELECT count(*) FROM id_merges"))
    if merged:
        w.execute(
            "INSERT INTO client_identifier_moves SELECT ?, i.kind, i.source, i.identifier, i.client_key, m.survivor "
            "FROM client_identifiers i JOIN id_merges m ON i.client_key = m.absorbed",
            [load_id],
        )
        w.execute(
            "UPDATE client_identifiers SET client_key = m.survivor FROM id_merges m WHERE client_key = m.absorbed"
        )
        known.replace(
            w.arrow(
                "SELECT kind, identifier, client_key FROM client_identifiers "
                "WHERE client_key IN (SELECT survivor FROM id_merges) AND (kind = 'pseudonym' OR source = ?)",
                [source],
            )
        )
    # Every pair's key: the BSN's when there is one (it identifies the person), else the client number's.
    pairs = w.arrow(
        """
        SELECT l.pair,
               CASE WHEN l.p IS NOT NULL THEN coalesce(l.kp, ap.client_key)
                    ELSE coalesce(m.survivor, l.kn, an.client_key) END AS resolved_key
        FROM id_known l
        LEFT JOIN (SELECT identifier, client_key FROM id_added WHERE kind = 'pseudonym') ap
          ON ap.identifier = l.p
        LEFT JOIN (SELECT identifier, client_key FROM id_added WHERE kind = 'client_number') an
          ON an.identifier = l.n
        LEFT JOIN id_merges m ON m.absorbed = l.kn
        """
    )
    if merged:
        w.execute(
            f"UPDATE {table} SET client_key = m.survivor, content_hash = {hash_with_key('m.survivor')} "
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
    # each row's key is its pair's (Arrow and numpy, no join in SQL)
    resolved = pairs.column("resolved_key")
    assert pairs.num_rows == pairs_of_batch.num_rows and resolved.null_count == 0, "every pair has a key"
    key_of_pair = np.empty(pairs.num_rows, dtype=np.int64)
    key_of_pair[pairs.column("pair").to_numpy()] = resolved.to_numpy()
    return pa.array(key_of_pair[pair_of_row], pa.int64())


def _distinct_pairs(records: pa.Table) -> tuple[pa.Table, np.ndarray]:
    """The batch's distinct (pseudonym, client number) pairs, and each row's pair (an index into them).

    The pairs table has ``pair`` (its index), ``p``, ``n`` and ``first_row`` (the lowest ``source_row`` that
    gives it). A null is its own value, distinct from any text, as in a GROUP BY.
    """
    encoded = pc.dictionary_encode(_pair_text(records.column("pseudonym"), records.column("client_number")))
    pair_of_row = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    count = len(encoded.dictionary)
    _, first_position = np.unique(pair_of_row, return_index=True)
    first_row = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_row, pair_of_row, records.column("source_row").to_numpy())
    positions = pa.array(first_position)
    pairs = pa.table(
        {
            "pair": pa.array(np.arange(count, dtype=np.int64)),
            "p": pc.take(records.column("pseudonym"), positions),
            "n": pc.take(records.column("client_number"), positions),
            "first_row": pa.array(first_row),
        }
    )
    return pairs, pair_of_row


def _pair_text(pseudonym: pa.Array, number: pa.Array) -> pa.Array:
    """A pair as one text: 'pseudonym<US>number', a null as NUL (never in a pseudonym or a client number)."""
    pieces = (pc.fill_null(pseudonym, "\x00"), pc.fill_null(number, "\x00"), "\x1f")
    joined = pc.binary_join_element_wise(*pieces)
    return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined


def _classify_pairs(w: Warehouse, source: str, both: str) -> None:
    """``id_pairs``: the pairs of both identifiers under different (or no) keys, and whether they link."""
    w.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE id_pairs AS
        WITH both_ AS (SELECT * FROM id_known WHERE {both}), partners AS (
            SELECT b.*, pp.identifier AS n_partner, pn.identifier AS p_partner
            FROM both_ b
            LEFT JOIN (SELECT c.identifier, c.client_key FROM client_identifiers c
                       JOIN (SELECT DISTINCT kn FROM both_) k ON c.client_key = k.kn
                       WHERE c.kind = 'pseudonym') pp ON pp.client_key = b.kn
            LEFT JOIN (SELECT c.identifier, c.client_key FROM client_identifiers c
                       JOIN (SELECT DISTINCT kp FROM both_) k ON c.client_key = k.kp
                       WHERE c.kind = 'client_number' AND c.source = $1) pn ON pn.client_key = b.kp
        ), firsts AS (
            SELECT *,
                   min(first_row) FILTER (WHERE n_partner IS NULL AND p_partner IS NULL)
                       OVER (PARTITION BY n) AS first_for_n,
                   min(first_row) FILTER (WHERE n_partner IS NULL AND p_partner IS NULL)
                       OVER (PARTITION BY p) AS first_for_p
            FROM partners
        )
        SELECT p, n, first_row, kp, kn,
               CASE
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


def conflicts(warehouse: Warehouse) -> tuple[IdentityConflict, ...]:
    """The rows of this load whose identifiers conflict with a link, in row order."""
    _prepare(warehouse)
    rows = warehouse.rows("SELECT source_row, code, client_number FROM id_conflicts ORDER BY source_row")
    return tuple(IdentityConflict(int(row), str(code), str(number)) for row, code, number in rows)


def relink(
    warehouse: Warehouse,
    load_id: int,
    known_from: object,
    tables: Sequence[tuple[str, Callable[[str], str]]],
) -> int:
    """After the fold: a new version, known from this load, of every current version whose key was absorbed.

    ``tables`` are the tables of versions that carry a client key, each with its content-hash SQL. Rows of
    this load already carry the surviving key. The new versions have ``source_row`` 0 (no row of the file).
    Returns how many versions were made.
    """
    w = warehouse
    _prepare(w)
    absorbed = int(w.value("SELECT count(*) FROM id_merges_all"))
    if not absorbed:
        return 0
    return sum(_relink_table(w, table, load_id, known_from, hash_with_key) for table, hash_with_key in tables)


def _relink_table(
    w: Warehouse, table: str, load_id: int, known_from: object, hash_with_key: Callable[[str], str]
) -> int:
    """New versions of ``table``'s current versions whose client key (or, for a benefit, partner key) was
    absorbed: each key column gets its surviving key."""
    all_columns = [
        name
        for (name,) in w.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table],
        )
    ]
    keys = [c for c in ("client_key", "partner_key") if c in all_columns]
    skipped = {"load_id", "known_from", "superseded_at", "source_row", "content_hash", *keys}
    columns = [c for c in all_columns if c not in skipped]
    listed = ", ".join(f"t.{c}" for c in columns)
    joins = " ".join(f"LEFT JOIN id_merges_all m_{k} ON t.{k} = m_{k}.absorbed" for k in keys)
    merged = " OR ".join(f"m_{k}.absorbed IS NOT NULL" for k in keys)
    surviving = ", ".join(f"coalesce(m_{k}.survivor, t.{k})" for k in keys)
    before = int(w.value(f"SELECT count(*) FROM {table} WHERE load_id = ?", [load_id]))
    w.execute(
        f"INSERT INTO {table} (load_id, known_from, superseded_at, source_row, content_hash, "
        f"{', '.join(keys)}, {', '.join(columns)}) "
        f"SELECT $1, $2, NULL, 0, {hash_with_key('coalesce(m_client_key.survivor, t.client_key)')}, "
        f"{surviving}, {listed} FROM {table} t {joins} "
        f"WHERE ({merged}) AND t.superseded_at IS NULL AND t.load_id <> $1",
        [load_id, known_from],
    )
    absorbed = " OR ".join(f"{k} IN (SELECT absorbed FROM id_merges_all)" for k in keys)
    w.execute(
        f"UPDATE {table} SET superseded_at = $2, superseded_by = $1 WHERE superseded_at IS NULL "
        f"AND load_id <> $1 AND ({absorbed})",
        [load_id, known_from],
    )
    return int(w.value(f"SELECT count(*) FROM {table} WHERE load_id = ?", [load_id])) - before


def drop_temp(warehouse: Warehouse) -> None:
    """Remove the work tables of ``resolve_batch`` (at the end of a load)."""
    for table in _TEMP_TABLES:
        warehouse.execute(f"DROP TABLE IF EXISTS {table}")
