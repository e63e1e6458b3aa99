"""Storing allocations: one atomic load per file, every change kept as a new version.

A load starts with a small committed ``loads`` row marked 'loading' (``loads.start_load``). Its rows then go
in one transaction, appended straight to ``allocation_versions`` (DuckDB writes large appends compressed to
disk, so memory stays flat); ``finish`` removes exact duplicates, allocation ids that occur with different
content in the same file, and rows identical to the version already known, and marks the versions that the
remaining rows supersede (``superseded_at``, ``superseded_by``). After that transaction commits, one small
final write marks the load complete. An exception undoes the load at once; a killed process leaves a load
marked 'loading' that the next open of the warehouse undoes (``loads.repair_unfinished_loads``), whatever part
of the big transaction DuckDB recovered. See docs/guarantees.md.

Rows arrive with the client's identifiers (pseudonym, client number); each batch is stored with its integer
client key from the identity table (``identity.resolve_batch``), and after the fold ``finish`` re-versions
what a new link merged (``identity.relink``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pyarrow as pa

from sdmonitor.domain.clients import mask_bsns_in_text
from sdmonitor.errors import ConfigError, InputError
from sdmonitor.warehouse import identity, inventory
from sdmonitor.warehouse.database import Warehouse
from sdmonitor.warehouse.identity import IdentityConflict
from sdmonitor.warehouse.loads import COMPLETE, LoadCounts, LoadStart, complete_load, start_load, undo_load

# The columns of a stored version that come from the file (its content); the hash covers these.
CONTENT_COLUMNS = (
    "client_key", "birth_date", "gender", "municipality_code", "pc4", "law", "product_category",
    "product_code", "provider_code", "provider_name", "start_date", "end_date", "volume", "unit",
    "frequency", "delivery_form", "referrer", "request_date", "decision_date", "change_reason",
    "end_reason",
)  # fmt: skip
# The client's identifiers as the file gave them; ``identity.resolve`` turns them into the integer client_key.
IDENTITY_COLUMNS = ("pseudonym", "client_number")
STORED_COLUMNS = (
    "allocation_id", *(c for c in CONTENT_COLUMNS if c != "client_key"), "is_deleted", *IDENTITY_COLUMNS,
)  # fmt: skip


def content_hash_sql(client_key: str = "client_key") -> str:
    """The content hash of a version (MD5 of its content columns), with the client key from ``client_key``.

    Migration 0009 writes the same expression out.
    """
    values = (client_key if c == "client_key" else c for c in CONTENT_COLUMNS)
    return "md5_number(concat_ws(chr(31), allocation_id, {}))".format(
        ", ".join(f"coalesce(CAST({v} AS VARCHAR), chr(0))" for v in values)
    )


@dataclass(frozen=True)
class VersionedTable:
    """A table of versions that loads fold into (``VersionedLoad``): allocations, declarations.

    ``key`` is the SQL of a line's key (one version of it is current per source), ``label`` the SQL naming the
    line in a message from its key ``line_key``; ``stored`` the columns a load inserts from its records besides the client key;
    ``content_hash(client_key)`` the SQL of the content hash with the client key taken from ``client_key``.
    ``noun`` names a line in Dutch ("toewijzing"), ``revert`` what loading an older export would undo.
    """

    table: str
    key: str
    label: str
    stored: tuple[str, ...]
    content_hash: Callable[[str], str]
    noun: str
    plural: str
    revert: str
    conflict_code: str  # the reason code of a line key with two contents in one file
    # a plain column of the key: only rows with a value of it that this load has can share a line key with the
    # load's rows, so the fold joins on it first instead of computing the key over the whole table
    narrow: str


def hash_without_key(client_key: str) -> str:
    """For a table whose content hash covers the identifiers as given, not the client key: the hash stays."""
    return "content_hash"


ALLOCATIONS = VersionedTable(
    table="allocation_versions",
    key="allocation_id",
    label="line_key",
    stored=STORED_COLUMNS,
    content_hash=content_hash_sql,
    noun="toewijzing",
    plural="toewijzing(en)",
    revert="een beëindigde toewijzing weer lopend maken",
    conflict_code="duplicate_allocation_id",
    narrow="allocation_id",
)
# Every table whose versions carry a client key, with its hash: a merge of two keys re-versions them all.
CLIENT_KEYED = (
    ("allocation_versions", content_hash_sql),
    ("declaration_versions", hash_without_key),
    ("request_versions", hash_without_key),
    ("benefit_versions", hash_without_key),  # also its partner_key (identity._relink_table)
    ("reintegration_versions", hash_without_key),
)

DEFAULT_LOAD_MEMORY_LIMIT = "1500MB"


def load_memory_limit() -> str:
    """The engine memory limit during a load: SDM_LOAD_MEMORY_LIMIT, default 1500MB (e.g. '2GB')."""
    value = os.environ.get("SDM_LOAD_MEMORY_LIMIT", DEFAULT_LOAD_MEMORY_LIMIT).strip()
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?\s*[KMGT]i?B", value, flags=re.IGNORECASE):
        raise ConfigError(f"SDM_LOAD_MEMORY_LIMIT '{value}' is geen geheugengrootte zoals 1500MB of 2GB.")
    return value


@dataclass(frozen=True)
class LoadInfo(LoadStart):
    """What describes an allocation load besides its rows: its start, and whether it may load again."""

    reload: bool = False  # allow a file loaded before, or an older extraction, with newer loads since


EARLIEST_EXTRACTION = date(1900, 1, 1)


def _check_extraction(info: LoadInfo) -> None:
    """Refuse an extraction date after the load day or before 1900 (before anything is stored).

    A future export date would make planned ends count as realised, and refuse later real exports as older.
    """
    extraction, load_day = info.extraction, info.loaded_at.date()
    if extraction > load_day:
        raise InputError(
            f"Exportdatum {extraction:%d-%m-%Y} ligt na de laaddag {load_day:%d-%m-%Y}: een export kan niet uit "
            "de toekomst komen. Geef bij --extracted-on de dag waarop de bron werkelijk is geëxporteerd."
        )
    if extraction < EARLIEST_EXTRACTION:
        raise InputError(
            f"Exportdatum {extraction:%d-%m-%Y} ligt vóór {EARLIEST_EXTRACTION:%d-%m-%Y}. Geef bij "
            "--extracted-on de dag waarop de bron werkelijk is geëxporteerd."
        )


@dataclass(frozen=True)
class Conflict:
    """A row whose line key (allocation id) occurs in the same file with other content; ``label`` names it."""

    source_row: int
    label: str
    other_rows: tuple[int, ...]


@dataclass(frozen=True)
class LineIssues:
    """Staged rows that broke one check against the warehouse (a warning, reason ``code``).

    ``rows`` has the column ``source_row`` and one text column per field of the rule's message.
    """

    code: str
    rows: pa.Table


@dataclass(frozen=True)
class FoldResult:
    """What ``finish`` found: new versions, unchanged rows, duplicates and conflicting rows."""

    loaded: int
    unchanged: int
    duplicates: int
    conflicts: tuple[Conflict, ...]
    identity_conflicts: tuple[IdentityConflict, ...] = ()
    relinked: int = 0  # versions made because a link merged two client keys (not rows of the file)


class VersionedLoad:
    """One atomic load of records into a table of versions (use as a context manager)."""

    def __init__(self, warehouse: Warehouse, info: LoadInfo, spec: VersionedTable) -> None:
        self.warehouse = warehouse
        self.info = info
        self.spec = spec
        self.line_issues: tuple[LineIssues, ...] = ()  # set by ``finish`` of a table with such checks
        self.totals: dict[str, int] = {}  # set by ``finish`` of a table whose summary reports sums
        self.load_id = 0
        self._open = False  # the big transaction is open
        self._started = False  # the 'loading' row is stored and not yet completed or undone

    def __enter__(self) -> VersionedLoad:
        _check_extraction(self.info)
        # a load that read no row says nothing about the source: such loads are refused now (loading.py), and
        # one made before that must not refuse every real export after it as older (review 14, finding 13)
        newest = self.warehouse.value(
            "SELECT max(extracted_on) FROM loads WHERE kind = ? AND source = ? AND status = ? AND rows_read > 0",
            [self.info.kind, self.info.source, COMPLETE],
        )
        if newest is not None and self.info.extraction < newest and not self.info.reload:
            raise InputError(
                f"Bron '{self.info.source}' heeft al een export van {newest:%d-%m-%Y}; deze export van "
                f"{self.info.extraction:%d-%m-%Y} is ouder. Laden zou nieuwere gegevens terugdraaien "
                f"({self.spec.revert}). Laad exports in volgorde van datum, of gebruik "
                "--reload als u de oudere export echt weer als stand van zaken wilt."
            )
        latest = self.warehouse.value(
            "SELECT max(known_from) FROM loads WHERE kind = ? AND source = ? AND status = ?",
            [self.info.kind, self.info.source, COMPLETE],
        )
        if latest is not None and self.info.known_from <= latest:
            # A second export of the same day, or an older one reloaded on purpose (--reload): it becomes the
            # newest known state, just after the one before it, so that `--as-of` of an earlier moment (and an
            # edition made then) still sees what it saw.
            self.info = replace(self.info, known_from=latest + timedelta(microseconds=1))
        # A load holds its rows in the transaction until commit; a lower engine memory limit makes DuckDB
        # write them out early (10 M rows: 4.0 GB peak with 3 GB, 2.5 GB with 1.5 GB, same speed).
        earlier = self.warehouse.rows(
            "SELECT load_id, loaded_at FROM loads WHERE kind = ? AND source = ? AND file_sha256 = ? "
            "AND load_id < (SELECT max(load_id) FROM loads WHERE kind = ? AND source = ?) ORDER BY load_id DESC",
            [self.info.kind, self.info.source, self.info.file_sha256, self.info.kind, self.info.source],
        )
        if earlier and not self.info.reload:
            load_id, loaded_at = earlier[0]
            raise InputError(
                f"Dit bestand is al geladen op {loaded_at:%d-%m-%Y %H:%M} (laadactie {load_id}) en daarna zijn nieuwere "
                f"gegevens van bron '{self.info.source}' geladen. Opnieuw laden zou die wijzigingen terugdraaien. "
                "Wilt u dat echt, gebruik dan --reload."
            )
        limit = load_memory_limit()
        self.load_id = start_load(self.warehouse, self.info)
        self._started = True
        try:
            self.warehouse.execute(f"SET memory_limit = '{limit}'")
            self.warehouse.execute("BEGIN TRANSACTION")
        except BaseException:
            self.__exit__(None)
            raise
        self._open = True
        self.staged = 0
        self._known = identity.KnownIdentifiers()  # the identity table in memory, for this load only
        return self

    def add(self, records: pa.Table) -> None:
        """Append validated records (``sdmonitor.ingest.validate.RECORD_SCHEMA`` for allocations) to this
        load."""
        if records.num_rows == 0:
            return
        spec = self.spec
        keys = identity.resolve_batch(
            self.warehouse,
            records,
            self.info.source,
            self.load_id,
            spec.content_hash,
            self._known,
            spec.table,
        )
        records = records.append_column("client_key", keys)
        columns = ", ".join(spec.stored)
        self.warehouse.execute_on(
            f"INSERT INTO {spec.table} (source, load_id, known_from, superseded_at, source_row, "
            f"content_hash, client_key, {columns}) "
            f"SELECT ?, ?, ?, NULL, source_row, {spec.content_hash('client_key')}, client_key, {columns} FROM batch",
            records,
            [self.info.source, self.load_id, self.info.known_from],
        )
        self.staged += records.num_rows

    def finish(self) -> FoldResult:
        """Keep only the new versions among this load's rows (not yet committed); say what happened.

        Works on one narrow aggregate (line key, content hash, first row) of this load's rows.
        """
        w = self.warehouse
        this_load = [self.load_id]
        table, key = self.spec.table, self.spec.key
        w.execute(
            "CREATE OR REPLACE TEMP TABLE first_rows AS "
            f"SELECT {key} AS line_key, content_hash, min(source_row) AS source_row "
            f"FROM {table} WHERE load_id = ? GROUP BY line_key, content_hash",
            this_load,
        )
        distinct = int(w.value("SELECT count(*) FROM first_rows"))
        w.execute(
            "CREATE OR REPLACE TEMP TABLE conflict_ids AS "
            "SELECT line_key FROM first_rows GROUP BY line_key HAVING count(*) > 1"
        )
        conflict_rows = w.rows(
            f"SELECT source_row, {self.spec.label}, list(source_row) OVER (PARTITION BY line_key) "
            f"FROM (SELECT source_row, {key} AS line_key FROM {table} WHERE load_id = ?) "
            "SEMI JOIN conflict_ids USING (line_key) ORDER BY source_row",
            this_load,
        )
        conflict_distinct = int(
            w.value("SELECT count(*) FROM first_rows SEMI JOIN conflict_ids USING (line_key)")
        )
        conflicts = tuple(
            Conflict(int(row), str(label), tuple(sorted(int(o) for o in others if o != row)))
            for row, label, others in conflict_rows
        )
        w.execute(
            "CREATE OR REPLACE TEMP TABLE new_rows AS "
            "SELECT f.line_key, f.source_row FROM first_rows f "
            "ANTI JOIN conflict_ids c ON c.line_key = f.line_key "
            f"ANTI JOIN (SELECT {key} AS line_key, content_hash FROM {table} "
            "           WHERE source = ? AND superseded_at IS NULL AND load_id <> ? "
            f"          AND {self._in_load}) v "
            "ON v.line_key = f.line_key AND v.content_hash = f.content_hash",
            [self.info.source, self.load_id, self.load_id],
        )
        loaded = int(w.value("SELECT count(*) FROM new_rows"))
        if loaded and not self.info.reload:
            self._refuse_set_back()
        if loaded < self.staged:
            w.execute(
                f"DELETE FROM {table} WHERE load_id = ? AND source_row NOT IN (SELECT source_row FROM new_rows)",
                this_load,
            )
        self.before_supersede()
        w.execute(
            f"UPDATE {table} SET superseded_at = ?, superseded_by = ? "
            f"WHERE source = ? AND superseded_at IS NULL AND load_id <> ? AND {self._in_load} "
            f"AND {key} IN (SELECT line_key FROM new_rows)",
            [self.info.known_from, self.load_id, self.info.source, self.load_id, self.load_id],
        )
        relinked = identity.relink(w, self.load_id, self.info.known_from, CLIENT_KEYED)
        return FoldResult(
            loaded=loaded,
            unchanged=distinct - conflict_distinct - loaded,
            duplicates=self.staged - distinct - (len(conflicts) - conflict_distinct),
            conflicts=conflicts,
            identity_conflicts=identity.conflicts(w),
            relinked=relinked,
        )

    @property
    def _in_load(self) -> str:
        """SQL (one parameter: the load id): the row's ``narrow`` value occurs among this load's rows."""
        narrow = self.spec.narrow
        return f"{narrow} IN (SELECT {narrow} FROM {self.spec.table} WHERE load_id = ?)"

    def before_supersede(self) -> None:
        """A step of a particular table between the fold and the superseding of the versions it replaces
        (the new versions are this load's rows; the ones they replace are still current)."""

    def _refuse_set_back(self) -> None:
        """Refuse a file whose every change restores content that a later load of this source replaced.

        Without a trustworthy export date the content is the evidence: when each row that would become a new
        version equals a superseded version of the same allocation (none is new content), the file is an
        older export saved again. A file with at least one new change loads. See docs/loading.md.
        """
        spec = self.spec
        reverts, total, example = self.warehouse.rows(
            "SELECT count(*) FILTER (WHERE old.old_key IS NOT NULL), count(*), "
            f"min({spec.label}) FILTER (WHERE old.old_key IS NOT NULL) "
            "FROM new_rows n JOIN first_rows f USING (line_key, source_row) "
            f"LEFT JOIN (SELECT DISTINCT {spec.key} AS old_key, content_hash FROM {spec.table} "
            f"           WHERE source = ? AND superseded_at IS NOT NULL AND load_id <> ? AND {self._in_load}) old "
            "ON old.old_key = line_key AND old.content_hash = f.content_hash",
            [self.info.source, self.load_id, self.load_id],
        )[0]
        if reverts and reverts == total:
            raise InputError(
                f"Dit bestand lijkt een oudere export van bron '{self.info.source}': elke wijziging erin zet een "
                f"{spec.noun} terug naar een stand die een latere laadactie al heeft vervangen ({reverts} "
                f"{spec.plural}, bijvoorbeeld '{mask_bsns_in_text(str(example))}'), en het bevat niets nieuws. Laden zou nieuwere "
                "gegevens terugdraaien; er is niets opgeslagen. Wilt u de oudere stand echt terugzetten, "
                "gebruik dan --reload."
            )

    def commit(
        self,
        counts: dict[str, int],
        report_path: str | None,
        issues: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        """Store the rows per (severity, reason code), commit the rows, then mark the load complete.

        The load counts from the final small write in ``complete_load`` on, not from the big commit.
        """
        for (severity, code), rows in sorted((issues or {}).items()):
            self.warehouse.execute(
                "INSERT INTO load_issues VALUES (?, ?, ?, ?)", [self.load_id, severity, code, rows]
            )
        self._drop_temp()
        self.warehouse.execute("COMMIT")
        self._open = False
        complete_load(
            self.warehouse,
            self.load_id,
            LoadCounts(counts["read"], counts["loaded"], counts["unchanged"], counts["duplicates"],
                       counts["rejected"], counts["warned"]),
            report_path,
        )  # fmt: skip
        self._started = False

    def rollback(self) -> None:
        """Undo everything this load did, its 'loading' row included."""
        if self._open:
            self.warehouse.execute("ROLLBACK")
            self._open = False
        self._drop_temp()
        if self._started:
            undo_load(self.warehouse, self.load_id)
            self._started = False

    def _drop_temp(self) -> None:
        for table in ("first_rows", "conflict_ids", "new_rows"):
            self.warehouse.execute(f"DROP TABLE IF EXISTS {table}")
        identity.drop_temp(self.warehouse)

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if self._open or self._started:
            self.rollback()
        self.warehouse.execute(f"SET memory_limit = '{self.warehouse.memory_limit}'")


class AllocationLoad(VersionedLoad):
    """One atomic load of allocation records (``sdmonitor.ingest.validate.RECORD_SCHEMA``)."""

    def __init__(self, warehouse: Warehouse, info: LoadInfo) -> None:
        super().__init__(warehouse, info, ALLOCATIONS)


@dataclass(frozen=True)
class DataWindow:
    """What the allocations in use can tell: up to ``moment`` (realised), from ``history_start`` on.

    ``moment`` is the data moment: per source the extraction date of its newest load in use, and the
    earliest of those over the sources (a figure that combines sources is only realised up to the source
    that was extracted first). ``history_start`` is the earliest start date in the data in use.
    Both are None for an empty warehouse.
    """

    moment: date | None
    history_start: date | None


def data_window(warehouse: Warehouse, cutoff: datetime | None) -> DataWindow:
    """The data moment and history start of the allocation loads known before ``cutoff`` (None: all)."""
    moment = inventory.data_moment(warehouse, ("allocations",), cutoff)
    start = warehouse.value(
        "SELECT min(start_date) FROM allocation_versions WHERE NOT is_deleted AND ("
        "  CASE WHEN CAST(? AS TIMESTAMP) IS NULL THEN superseded_at IS NULL"
        "  ELSE known_from < ? AND (superseded_at IS NULL OR superseded_at >= ?) END)",
        [cutoff, cutoff, cutoff],
    )
    return DataWindow(moment, start)
