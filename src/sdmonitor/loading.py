"""The load job: input file -> validated rows -> warehouse, with a row-echo report of every problem.

Every input row ends up loaded, folded as a duplicate, or in the report with its reason:
``read = loaded + unchanged + duplicates + rejected``. The report (CSV, ';'-separated, UTF-8 with BOM so
Excel opens it) repeats each rejected or warned row as it came in, with the columns ``rij`` (row number,
header = 1), ``ernst`` (fout/waarschuwing), ``reden`` (codes, ';'-separated) and ``melding`` (Dutch).
A BSN is never echoed: its cells read ``[verwijderd]``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from sdmonitor import __version__
from sdmonitor.domain.clients import is_valid_bsn, key_fingerprint
from sdmonitor.errors import ConfigError, LoadRejectedError
from sdmonitor.ingest.columns import Mapping, normalise_header
from sdmonitor.ingest.readers import RawBatch, SourceFile, open_source
from sdmonitor.ingest.validate import (
    ISSUE_SCHEMA,
    RULES,
    Severity,
    ValidationContext,
    malformed_issues,
    validate_batch,
)
from sdmonitor.ingest.vectorised import normalise_bsns, valid_bsns
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.allocations import AllocationLoad, Conflict, LoadInfo
from sdmonitor.warehouse.identity import IdentityConflict

REPORT_COLUMNS = ("rij", "ernst", "reden", "melding")
MASKED = "[verwijderd]"
KEY_SETTING = "pseudonym_key_fingerprint"


@dataclass(frozen=True)
class LoadOptions:
    """Choices for one load; ``known_from`` defaults to the load moment."""

    source: str = "standaard"
    mapping: Mapping | None = None
    strict: bool = False
    report_path: Path | None = None
    known_from: datetime | None = None
    pseudonym_key: bytes | None = None
    default_municipality: str | None = None
    reload: bool = False


@dataclass(frozen=True)
class LoadSummary:
    """What one load did, for the user and for tests."""

    load_id: int
    file: Path
    mapping: str
    read: int
    loaded: int
    unchanged: int
    duplicates: int
    rejected: int
    warned: int
    report_path: Path
    rejections: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    ignored_headers: tuple[str, ...] = ()
    relinked: int = 0  # allocations given a new version because a BSN and a client number were linked

    @property
    def accounted(self) -> bool:
        """Whether every row read is loaded, unchanged, a duplicate or rejected."""
        return self.read == self.loaded + self.unchanged + self.duplicates + self.rejected


class ReportWriter:
    """Writes the row-echo report incrementally; the BSN columns are masked."""

    def __init__(self, path: Path, source: SourceFile) -> None:
        self.path = path
        self.headers = source.headers
        self.bsn_headers = {
            h for h in source.headers if source.mapping.columns.get(normalise_header(h)) == "bsn"
        }
        self.schema = pa.schema(
            [(h, pa.string()) for h in self.headers] + [(c, pa.string()) for c in REPORT_COLUMNS]
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("wb")
        self._handle.write("\ufeff".encode())
        self._writer = pcsv.CSVWriter(
            self._handle,
            self.schema,
            write_options=pcsv.WriteOptions(delimiter=";", quoting_style="needed"),
        )
        self.rejections: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()

    def write(self, raw: pa.Table, rows: pa.Array, issues: pa.Table) -> None:
        """Echo each row of ``raw`` that has issues, with its reasons (rows in file order)."""
        if issues.num_rows == 0:
            return
        for code, severity in zip(
            issues.column("code").to_pylist(), issues.column("severity").to_pylist(), strict=True
        ):
            (self.rejections if severity == Severity.ERROR.value else self.warnings)[code] += 1
        grouped = issues.group_by("row", use_threads=False).aggregate(
            [("code", "list"), ("message", "list"), ("severity", "list")]
        )
        grouped = grouped.sort_by("row")
        error_rows = pc.unique(
            pc.filter(issues.column("row"), pc.equal(issues.column("severity"), Severity.ERROR.value))
        )
        columns: dict[str, pa.Array] = {}
        positions = pc.index_in(grouped.column("row"), value_set=rows)
        for header in self.headers:
            if raw.num_rows:
                values = pc.take(raw.column(header), positions)
            else:
                values = pa.nulls(grouped.num_rows, pa.string())
            if header in self.bsn_headers:
                values = pc.if_else(pc.is_valid(values), MASKED, values)
            columns[header] = mask_bsn_like(values)
        columns["rij"] = pc.cast(grouped.column("row"), pa.string())
        columns["ernst"] = pc.if_else(
            pc.is_in(grouped.column("row"), value_set=error_rows),
            Severity.ERROR.value,
            Severity.WARNING.value,
        )
        columns["reden"] = pc.binary_join(grouped.column("code_list"), ";")
        columns["melding"] = pc.binary_join(grouped.column("message_list"), " ")
        self._writer.write_table(pa.table(columns, schema=self.schema))

    def close(self) -> None:
        """Flush and close the report file."""
        self._writer.close()
        self._handle.close()


def mask_bsn_like(values: pa.Array) -> pa.Array:
    """Replace every cell that is a valid BSN (8 or 9 digits passing the 11-check) by ``[verwijderd]``.

    The BSN column is masked anyway; this also catches a BSN in another column, in a client number, or in a
    malformed line whose fields shifted.
    """
    text = pc.utf8_trim_whitespace(values.cast(pa.string()))
    looks = pc.fill_null(valid_bsns(normalise_bsns(text)), False)
    return pc.if_else(looks, MASKED, values)


def default_report_path(warehouse: Warehouse, source: SourceFile, load_id: int, now: datetime) -> Path:
    """``<warehouse folder>/rapporten/<date-time>-laad<id>-<file stem>.csv``."""
    return (
        warehouse.path.resolve().parent
        / "rapporten"
        / f"{now:%Y%m%d-%H%M%S}-laad{load_id}-{source.path.stem}.csv"
    )


def _missing_key_error(source: SourceFile) -> ConfigError:
    return ConfigError(
        f"{source.path.name} bevat BSN's. Stel de geheime sleutel SDM_PSEUDONYM_KEY in (omgevingsvariabele); "
        "BSN's worden daarmee vervangen door een pseudoniem voordat iets wordt opgeslagen."
    )


def _check_key(warehouse: Warehouse, key: bytes | None) -> None:
    """Refuse a key that differs from the one this warehouse's pseudonyms were made with."""
    known = warehouse.setting(KEY_SETTING)
    if key is not None and known is not None and known != key_fingerprint(key):
        raise ConfigError(
            "SDM_PSEUDONYM_KEY wijkt af van de sleutel waarmee dit warehouse eerder is gevuld. Met een andere "
            "sleutel krijgt dezelfde cliënt een ander pseudoniem; gebruik de oorspronkelijke sleutel."
        )


def load_allocations(
    warehouse: Warehouse,
    path: Path,
    options: LoadOptions,
    *,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> LoadSummary:
    """Load one allocation file atomically; see the module docstring.

    ``now`` is the load moment (UTC, naive); ``progress`` gets bytes read. Raises InputError/ConfigError
    before anything is stored when the file as a whole is unusable, and LoadRejectedError (after writing the
    report, storing nothing) when ``options.strict`` and a row was rejected.
    """
    source = open_source(path, options.mapping)
    _check_key(warehouse, options.pseudonym_key)
    context = ValidationContext(
        load_date=now.date(),
        pseudonym_key=options.pseudonym_key,
        default_municipality=options.default_municipality,
        decimal=source.mapping.decimal,
    )
    info = LoadInfo(
        kind="allocations",
        source=options.source,
        file_name=path.name,
        file_sha256=source.sha256,
        mapping=source.mapping.name,
        known_from=options.known_from or now,
        loaded_at=now,
        sdm_version=__version__,
        reload=options.reload,
    )
    with AllocationLoad(warehouse, info) as load:
        report_path = options.report_path or default_report_path(warehouse, source, load.load_id, now)
        report = ReportWriter(report_path, source)
        try:
            read = rejected = warned = 0
            saw_bsn = False
            warned_rows: list[pa.Array] = []  # rows loaded with a validation warning (for identity warnings)
            for batch in source.batches(progress):
                if batch.canonical.column("bsn").null_count < batch.canonical.num_rows:
                    if options.pseudonym_key is None:
                        raise _missing_key_error(source)
                    saw_bsn = True
                if batch.raw.num_rows:
                    outcome = validate_batch(batch.canonical, batch.rows, context)
                    load.add(outcome.records)
                    report.write(batch.raw, batch.rows, outcome.issues)
                    rejected += outcome.rejected
                    warned += outcome.warned
                    records = outcome.records
                    warned_rows.append(pc.filter(records.column("source_row"), records.column("has_warning")))
                read += batch.raw.num_rows + len(batch.malformed)
                rejected += len(batch.malformed)
                if batch.malformed:
                    report.write(
                        _malformed_raw(source, batch),
                        _malformed_rows(batch),
                        _malformed_table(batch),
                    )
            fold = load.finish()
            if fold.conflicts:
                _report_conflicts(source, report, fold.conflicts)
            rejected += len(fold.conflicts)
            if fold.identity_conflicts:
                _report_identity_conflicts(source, report, fold.identity_conflicts, options.source)
                rows = pa.array([c.source_row for c in fold.identity_conflicts], pa.int64())
                already = pc.is_in(rows, value_set=pa.chunked_array(warned_rows, pa.int64()).combine_chunks())
                warned += len(rows) - pc.sum(pc.cast(already, pa.int64())).as_py()
        finally:
            report.close()
        summary = LoadSummary(
            load_id=load.load_id,
            file=path,
            mapping=source.mapping.name,
            read=read,
            loaded=fold.loaded,
            unchanged=fold.unchanged,
            duplicates=fold.duplicates,
            rejected=rejected,
            warned=warned,
            report_path=report_path,
            rejections=dict(report.rejections),
            warnings=dict(report.warnings),
            ignored_headers=tuple(source.ignored_headers),
            relinked=fold.relinked,
        )
        if options.strict and rejected:
            load.rollback()
            raise LoadRejectedError(
                f"{rejected} van {read} rijen in {path.name} afgewezen; met --strict is niets geladen. "
                f"Zie het rapport: {report_path}"
            )
        if saw_bsn and options.pseudonym_key is not None and warehouse.setting(KEY_SETTING) is None:
            warehouse.set_setting(KEY_SETTING, key_fingerprint(options.pseudonym_key))
        load.commit(
            {
                "read": read,
                "loaded": fold.loaded,
                "unchanged": fold.unchanged,
                "duplicates": fold.duplicates,
                "rejected": rejected,
                "warned": warned,
            },
            str(report_path),
            {("fout", code): n for code, n in report.rejections.items()}
            | {("waarschuwing", code): n for code, n in report.warnings.items()},
        )
    return summary


def _malformed_rows(batch: RawBatch) -> pa.Array:
    return pa.array([m.row for m in batch.malformed], pa.int64())


def _malformed_table(batch: RawBatch) -> pa.Table:
    return malformed_issues(
        [m.row for m in batch.malformed],
        [m.expected_fields for m in batch.malformed],
        [m.actual_fields for m in batch.malformed],
    )


def _malformed_raw(source: SourceFile, batch: RawBatch) -> pa.Table:
    """Malformed lines echoed as well as possible: the fields split on the delimiter, the rest in the last."""
    delimiter = source.delimiter or ";"
    width = len(source.headers)
    split = [m.text.split(delimiter, width - 1) for m in batch.malformed]
    return pa.table(
        {
            h: pa.array([s[i] if i < len(s) else None for s in split], pa.string())
            for i, h in enumerate(source.headers)
        }
    )


def _report_conflicts(source: SourceFile, report: ReportWriter, conflicts: tuple[Conflict, ...]) -> None:
    """Second pass over the file: echo the rows whose allocation id occurs with different content."""
    by_row = {c.source_row: c for c in conflicts}
    wanted = pa.array(sorted(by_row), pa.int64())
    for batch in source.batches():
        mask = pc.is_in(batch.rows, value_set=wanted)
        if not pc.any(mask).as_py():
            continue
        rows = pc.filter(batch.rows, mask)
        found = [by_row[r] for r in rows.to_pylist()]
        issues = pa.table(
            {
                "row": rows,
                "severity": [Severity.ERROR.value] * len(found),
                "code": ["duplicate_allocation_id"] * len(found),
                "column": ["allocation_id"] * len(found),
                "message": [
                    f"Toewijzingsnummer {c.allocation_id} staat ook in rij "
                    f"{', '.join(map(str, c.other_rows))} met andere inhoud; geen van deze rijen is geladen."
                    for c in found
                ],
            },
            schema=ISSUE_SCHEMA,
        )
        report.write(batch.raw, batch.rows, issues)


def _report_identity_conflicts(
    source: SourceFile, report: ReportWriter, conflicts: tuple[IdentityConflict, ...], source_name: str
) -> None:
    """Second pass over the file: echo the rows whose BSN and client number are linked to someone else."""
    by_row = {c.source_row: c for c in conflicts}
    wanted = pa.array(sorted(by_row), pa.int64())
    for batch in source.batches():
        mask = pc.is_in(batch.rows, value_set=wanted)
        if not pc.any(mask).as_py():
            continue
        rows = pc.filter(batch.rows, mask)
        found = [by_row[r] for r in rows.to_pylist()]
        issues = pa.table(
            {
                "row": rows,
                "severity": [Severity.WARNING.value] * len(found),
                "code": [c.code for c in found],
                "column": [RULES[c.code].column for c in found],
                "message": [_identity_message(c, source_name) for c in found],
            },
            schema=ISSUE_SCHEMA,
        )
        report.write(batch.raw, batch.rows, issues)


def _identity_message(conflict: IdentityConflict, source_name: str) -> str:
    number = MASKED if is_valid_bsn(conflict.client_number) else conflict.client_number
    if conflict.code == "client_number_other_bsn":
        return (
            f"Cliëntnummer {number} hoort al bij een ander BSN (eerder geladen of eerder in dit bestand). "
            f"De rij telt voor het BSN van deze rij; cliëntnummer {number} blijft bij die andere cliënt."
        )
    return (
        f"Het BSN van deze rij hoort al bij een ander cliëntnummer van bron '{source_name}' (eerder geladen of "
        f"eerder in dit bestand). De rij telt voor dat BSN; cliëntnummer {number} blijft een aparte cliënt."
    )
