"""The load job: input file -> validated rows -> warehouse, with a row-echo report of every problem.

Every input row ends up loaded, folded as a duplicate, or in the report with its reason:
``read = loaded + unchanged + duplicates + rejected``. A file with a header and no row is refused: it could only
move the source's data moment (docs/loading.md, "Wat er gebeurt met elke rij"). The report (CSV,
';'-separated, UTF-8 with BOM so Excel opens it) repeats each rejected or warned row as it came in, with the
columns ``rij`` (row number, header = 1), ``ernst`` (fout/waarschuwing), ``reden`` (codes, ';'-separated) and
``melding`` (Dutch). A BSN is never echoed: its cells read ``[verwijderd]``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from sdmonitor import __version__
from sdmonitor.domain.clients import (
    MASKED,
    fingerprint_matches,
    is_slow_fingerprint,
    is_valid_bsn,
    key_fingerprint,
    key_weakness,
    mask_bsns_in_text,
)
from sdmonitor.domain.formatting import csv_text, dutch_decimal, dutch_int
from sdmonitor.domain.rules import RULES, Rule, Severity
from sdmonitor.errors import ConfigError, InputError, LoadRejectedError
from sdmonitor.ingest.access import (
    DELIVERY_IDENTIFIERS,
    REQUEST_IDENTIFIERS,
    validate_deliveries,
    validate_requests,
)
from sdmonitor.ingest.benefits import (
    BENEFIT_IDENTIFIERS,
    REINTEGRATION_IDENTIFIERS,
    validate_benefits,
    validate_reintegration,
)
from sdmonitor.ingest.columns import Mapping, normalise_header
from sdmonitor.ingest.declarations import IDENTIFIER_COLUMNS, validate_declarations
from sdmonitor.ingest.readers import MalformedRow, SourceFile, open_source
from sdmonitor.ingest.validate import (
    ISSUE_SCHEMA,
    ValidatedBatch,
    ValidationContext,
    columns_needing_key,
    malformed_issues,
    rule_issues,
    validate_batch,
)
from sdmonitor.ingest.vectorised import defuse_formulas, holds_real_bsns, mask_bsns
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.access import DeliveryLoad, RequestLoad
from sdmonitor.warehouse.allocations import AllocationLoad, Conflict, LineIssues, LoadInfo, VersionedLoad
from sdmonitor.warehouse.benefits import BenefitLoad, ReintegrationLoad
from sdmonitor.warehouse.declarations import DeclarationLoad
from sdmonitor.warehouse.identity import IdentityConflict
from sdmonitor.warehouse.inventory import data_moments

REPORT_COLUMNS = ("rij", "ernst", "reden", "melding")
BSN_COLUMNS = ("bsn", "partner_bsn")  # canonical columns of a BSN: never echoed in a report
KEY_SETTING = "pseudonym_key_fingerprint"
# Load reports live apart from the council reports (rapporten/): they repeat input rows.
REPORT_FOLDER = "laadrapporten"
PART_SUFFIX = ".deel"


@dataclass(frozen=True)
class LoadOptions:
    """Choices for one load.

    ``extracted_on`` is the day the source was extracted (default: the load day); ``known_from``, the moment
    from which the load is the known state, defaults to the start of that day, or to the load moment when
    no extraction date is given.
    """

    source: str = "standaard"
    mapping: Mapping | None = None
    strict: bool = False
    report_path: Path | None = None
    known_from: datetime | None = None
    pseudonym_key: bytes | None = None
    default_municipality: str | None = None
    reload: bool = False
    extracted_on: date | None = None


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
    pseudonymised_ids: int = 0
    # Dutch notes about the file's layout (e.g. empty columns at the end)
    layout_warnings: tuple[str, ...] = ()
    relinked: int = (
        0  # versions made because a BSN and a client number were linked (allocations, declarations)
    )
    notes: tuple[str, ...] = ()  # Dutch lines about what was loaded (declarations: the total in euros)

    @property
    def accounted(self) -> bool:
        """Whether every row read is loaded, unchanged, a duplicate or rejected."""
        return self.read == self.loaded + self.unchanged + self.duplicates + self.rejected


class ReportWriter:
    """Writes the row-echo report incrementally, under a temporary name until ``keep``.

    Only the mapped columns are echoed (never a name, address or phone number from an unmapped column), the
    BSN column is masked, any other number passing the 11-check too, and formulas are defused. The file is
    readable by its owner only (0600). ``keep`` renames it into place (when the load commits, or is refused
    with --strict); ``discard`` removes it (any other failure).
    """

    def __init__(self, path: Path, source: SourceFile) -> None:
        self.path = path
        self.headers = [h for h in source.headers if normalise_header(h) in source.mapping.columns]
        self.bsn_headers = {
            h for h in self.headers if source.mapping.columns.get(normalise_header(h)) in BSN_COLUMNS
        }
        # a header that a spreadsheet would run as a formula is defused like every cell
        self.schema = pa.schema(
            [(csv_text(h), pa.string()) for h in self.headers] + [(c, pa.string()) for c in REPORT_COLUMNS]
        )
        private_folder(path.parent)
        remove_stale_parts(path.parent)
        self.part = path.with_name(f".{path.name}.{os.getpid()}{PART_SUFFIX}")
        self._handle = os.fdopen(os.open(self.part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
        self._closed = False
        self._handle.write("\ufeff".encode())
        self._writer = pcsv.CSVWriter(
            self._handle,
            self.schema,
            write_options=pcsv.WriteOptions(delimiter=";", quoting_style="needed"),
        )
        self.rejections: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()
        self.deferred: list[pa.Table] = []  # issues of rows with warnings only, echoed after the fold

    def write(self, raw: pa.Table, rows: pa.Array, issues: pa.Table, *, defer_warned: bool = False) -> None:
        """Echo each row of ``raw`` that has issues, with its reasons (rows in file order).

        With ``defer_warned`` a row that has only warnings (it loads) is not echoed yet: the checks against the
        warehouse may add reasons to it after the fold, and a row is echoed once with all its reasons
        (``deferred``, echoed by the caller's second pass).
        """
        if issues.num_rows == 0:
            return
        if defer_warned:
            in_error_row = pc.is_in(issues.column("row"), value_set=_error_rows(issues))
            self.deferred.append(issues.filter(pc.invert(in_error_row)))  # counted after the fold
            issues = issues.filter(in_error_row)
        self.count(issues)
        self.echo(raw, rows, issues)

    def count(self, issues: pa.Table) -> None:
        """Count the issues' codes as rejections (errors) or warnings for the summary.

        A warning on a row that is rejected is echoed but not counted: the summary's warnings are about rows
        that load (a rejected row does not count as warned)."""
        in_error_row = pc.is_in(issues.column("row"), value_set=_error_rows(issues)).to_pylist()
        for code, severity, rejected in zip(
            issues.column("code").to_pylist(),
            issues.column("severity").to_pylist(),
            in_error_row,
            strict=True,
        ):
            if severity == Severity.ERROR.value:
                self.rejections[code] += 1
            elif not rejected:
                self.warnings[code] += 1

    def echo(self, raw: pa.Table, rows: pa.Array, issues: pa.Table) -> None:
        """Write each row of ``raw`` that has issues once, its codes ';'-separated, its messages joined."""
        if issues.num_rows == 0:
            return
        grouped = issues.group_by("row", use_threads=False).aggregate(
            [("code", "list"), ("message", "list"), ("severity", "list")]
        )
        grouped = grouped.sort_by("row")
        error_rows = pc.unique(
            pc.filter(issues.column("row"), pc.equal(issues.column("severity"), Severity.ERROR.value))
        )
        columns: list[pa.Array] = []
        positions = pc.index_in(grouped.column("row"), value_set=rows)
        for header in self.headers:
            if raw.num_rows:
                values = pc.take(raw.column(header), positions)
            else:
                values = pa.nulls(grouped.num_rows, pa.string())
            if header in self.bsn_headers:
                values = pc.if_else(pc.is_valid(values), MASKED, values)
            columns.append(values)
        columns.append(pc.cast(grouped.column("row"), pa.string()))
        columns.append(
            pc.if_else(
                pc.is_in(grouped.column("row"), value_set=error_rows),
                Severity.ERROR.value,
                Severity.WARNING.value,
            )
        )
        columns.append(pc.binary_join(grouped.column("code_list"), ";"))
        columns.append(pc.binary_join(grouped.column("message_list"), " "))
        # every cell but the row number, ernst and reden (made here): any BSN masked, then anything a
        # spreadsheet would run as a formula defused
        made_here = {len(columns) - 4, len(columns) - 3, len(columns) - 2}
        safe = [c if i in made_here else defuse_formulas(mask_bsns(c)) for i, c in enumerate(columns)]
        self._writer.write_table(pa.Table.from_arrays(safe, schema=self.schema))

    def close(self) -> None:
        """Flush and close the report file (still under its temporary name)."""
        if not self._closed:
            self._closed = True
            try:
                self._writer.close()
            finally:
                self._handle.close()

    def keep(self) -> None:
        """Put the finished report in place under its own name."""
        self.close()
        os.replace(self.part, self.path)

    def discard(self) -> None:
        """Remove the unfinished report: a load that did not happen leaves no copy of its rows."""
        try:
            self.close()
        finally:
            self.part.unlink(missing_ok=True)


class _PendingReport:
    """Discards the report of a load that fails in any way (exception, Ctrl-C); a kept report stays."""

    def __init__(self) -> None:
        self.writer: ReportWriter | None = None

    def open(self, path: Path, source: SourceFile) -> ReportWriter:
        self.writer = ReportWriter(path, source)
        return self.writer

    def __enter__(self) -> _PendingReport:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None and self.writer is not None and self.writer.part.exists():
            self.writer.discard()


def private_folder(folder: Path, *, tighten: bool = False) -> None:
    """Create ``folder`` readable by its owner only (0700). An existing folder is left as it is (it may be
    one the user chose, such as the current folder), unless ``tighten`` (sdmonitor's own folder)."""
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    elif tighten and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)


def remove_stale_parts(folder: Path) -> None:
    """Remove the temporary reports of loads that were killed (their process no longer runs)."""
    for part in folder.glob(f".*{PART_SUFFIX}"):
        pid = part.name.removesuffix(PART_SUFFIX).rpartition(".")[2]
        if pid.isdigit() and not _process_runs(int(pid)):
            part.unlink(missing_ok=True)


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def default_report_path(warehouse: Warehouse, source: SourceFile, load_id: int, now: datetime) -> Path:
    """``<warehouse folder>/laadrapporten/<date-time>-laad<id>-<file stem>.csv`` (a BSN in the name masked)."""
    return warehouse.path.resolve().parent / REPORT_FOLDER / report_name(source, load_id, now)


def report_name(source: SourceFile, load_id: int, now: datetime) -> str:
    """``<date-time>-laad<id>-<file stem>.csv``; a number passing the 11-check in the stem is masked."""
    return f"{now:%Y%m%d-%H%M%S}-laad{load_id}-{mask_bsns_in_text(source.path.stem)}.csv"


def report_target(
    warehouse: Warehouse, source: SourceFile, load_id: int, now: datetime, chosen: Path | None
) -> Path:
    """Where the report of this load goes: ``chosen`` as a file, into ``chosen`` when that is a folder (an
    existing one, or a path without a suffix such as ``.csv``), else ``default_report_path``."""
    if chosen is None:
        return default_report_path(warehouse, source, load_id, now)
    if chosen.is_dir() or (not chosen.suffix and not chosen.exists()):
        return chosen / report_name(source, load_id, now)
    if chosen.exists() and chosen.suffix.lower() != ".csv":
        raise InputError(
            f"--report {chosen}: dat bestand bestaat al en is geen CSV-laadrapport. Kies een map of een nieuw "
            "bestand dat op .csv eindigt; er is niets geladen."
        )
    return chosen


def prepare_report(pending: _PendingReport, path: Path, source: SourceFile, *, tighten: bool) -> ReportWriter:
    """Create the report's folder (owner-only) and open its temporary file; a folder or file that cannot be
    written is an InputError in Dutch (nothing is loaded), not a traceback."""
    try:
        private_folder(path.parent, tighten=tighten)
        return pending.open(path, source)
    except OSError as exc:
        reasons = {
            PermissionError: "u hebt daar geen schrijfrechten",
            FileNotFoundError: "de map bestaat niet en kan niet worden gemaakt",
            FileExistsError: "een deel van het pad is een bestand, geen map",
            NotADirectoryError: "een deel van het pad is een bestand, geen map",
            IsADirectoryError: "op die plaats staat een map",
        }
        reason = next(
            (text for kind, text in reasons.items() if isinstance(exc, kind)), "de schijf weigert het"
        )
        raise InputError(
            f"Het laadrapport kan niet worden geschreven naar {path}: {reason}. Kies met --report een map waarin "
            "u mag schrijven; er is niets geladen."
        ) from None


def _file_header(source: SourceFile, canonical: str) -> str:
    """The header of ``canonical`` as written in this file (for messages)."""
    for header in source.headers:
        if source.mapping.columns.get(normalise_header(header)) == canonical:
            return header.strip()
    return source.mapping.source_header(canonical)


def _missing_key_error(source: SourceFile, columns: tuple[str, ...]) -> ConfigError:
    if any(c in BSN_COLUMNS for c in columns):
        what = "bevat BSN's"
    else:
        names = " en ".join(f"'{_file_header(source, c)}'" for c in columns)
        what = (
            f"heeft in kolom {names} nummers die de elfproef doorstaan; zo'n nummer kan een BSN zijn en wordt "
            "daarom behandeld als BSN"
        )
    return ConfigError(
        f"{source.path.name} {what}. Stel de geheime sleutel SDM_PSEUDONYM_KEY in (omgevingsvariabele); "
        "BSN's worden daarmee vervangen door een pseudoniem voordat iets wordt opgeslagen."
    )


def check_key(warehouse: Warehouse, key: bytes | None) -> bool:
    """Refuse a key that differs from the one this warehouse's pseudonyms were made with.

    Returns whether the stored fingerprint is missing or of the fast legacy form, so that the load stores
    (or replaces it by) the slow one.
    """
    known = warehouse.setting(KEY_SETTING)
    if key is not None and known is not None and not fingerprint_matches(key, known):
        raise ConfigError(
            "SDM_PSEUDONYM_KEY wijkt af van de sleutel waarmee dit warehouse eerder is gevuld. Met een andere "
            "sleutel krijgt dezelfde cliënt een ander pseudoniem; gebruik de oorspronkelijke sleutel."
        )
    return known is None or not is_slow_fingerprint(known)


def _weak_key_error(source: SourceFile, weakness: str) -> ConfigError:
    return ConfigError(
        f"{source.path.name} bevat echte BSN's, maar SDM_PSEUDONYM_KEY is niet geheim of niet sterk genoeg "
        f"({weakness}); zo'n sleutel mag alleen voor de fictieve BSN's (9999xxxxx) van de demo en de tests. "
        "Maak een sterke sleutel met: python -c 'import secrets; print(secrets.token_urlsafe(32))', bewaar hem "
        "in de geheimenkluis van de gemeente en begin een nieuw warehouse (een andere sleutel geeft andere "
        "pseudoniemen)."
    )


@dataclass(frozen=True)
class FileKind:
    """What a load of one kind of file needs besides the shared machinery: how to read, check and store it.

    ``validate(canonical, rows, context, info, source)`` checks a batch; ``start(warehouse, info)`` makes the
    load; ``notes(totals)`` says what the load's ``totals`` (sums over the rows loaded) tell the user.
    """

    kind: str
    identifiers: tuple[str, ...]
    validate: Callable[[pa.Table, pa.Array, ValidationContext, LoadInfo, SourceFile], ValidatedBatch]
    start: Callable[[Warehouse, LoadInfo], VersionedLoad]
    notes: Callable[[dict[str, int]], tuple[str, ...]] | None = None


def _validate_allocations(
    canonical: pa.Table, rows: pa.Array, context: ValidationContext, info: LoadInfo, source: SourceFile
) -> ValidatedBatch:
    return validate_batch(canonical, rows, context)


ALLOCATION_TABLE = FileKind(
    "allocations", ("client_id", "allocation_id"), _validate_allocations, AllocationLoad
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
    return load_table(warehouse, path, options, ALLOCATION_TABLE, now=now, progress=progress)


def load_table(
    warehouse: Warehouse,
    path: Path,
    options: LoadOptions,
    table: FileKind,
    *,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> LoadSummary:
    """Load one file of ``table``'s kind atomically (``load_allocations``, ``load_declarations``)."""
    source = open_source(path, options.mapping, table.kind)
    store_fingerprint = check_key(warehouse, options.pseudonym_key)
    weakness = None if options.pseudonym_key is None else key_weakness(options.pseudonym_key)
    info = LoadInfo(
        kind=table.kind,
        source=options.source,
        file_name=mask_bsns_in_text(path.name),
        file_sha256=source.sha256,
        mapping=source.mapping.name,
        known_from=options.known_from
        or (now if options.extracted_on is None else datetime.combine(options.extracted_on, time())),
        loaded_at=now,
        sdm_version=__version__,
        reload=options.reload,
        extracted_on=options.extracted_on,
    )
    context = ValidationContext(
        load_date=now.date(),
        pseudonym_key=options.pseudonym_key,
        default_municipality=options.default_municipality,
        decimal=source.mapping.decimal,
        date_formats=source.mapping.date_formats,
        extraction=info.extraction,  # the data moment of this load: the last possible birth date
    )
    pending = _PendingReport()
    with pending, table.start(warehouse, info) as load:
        report_path = report_target(warehouse, source, load.load_id, now, options.report_path)
        report = prepare_report(pending, report_path, source, tighten=options.report_path is None)
        try:
            read = rejected = warned = 0
            saw_bsn = False
            pseudonymised_ids = 0
            warned_rows: list[pa.Array] = []  # rows loaded with a validation warning (for identity warnings)
            lines_rejected = Counter[str]()

            def reject_lines(lines: tuple[MalformedRow, ...]) -> None:
                """Stream lines that were not read as rows straight into the report (bounded memory)."""
                lines_rejected["n"] += len(lines)
                report.write(_malformed_raw(source, lines), _malformed_rows(lines), _malformed_table(lines))

            # closed at once on an error: the CSV reader's read-ahead thread must not outlive the load
            with closing(source.batches(progress, on_malformed=reject_lines)) as batches:
                for batch in batches:
                    needing_key = columns_needing_key(batch.canonical, table.identifiers)
                    if needing_key:
                        if options.pseudonym_key is None:
                            raise _missing_key_error(source, needing_key)
                        if weakness is not None and any(
                            holds_real_bsns(batch.canonical.column(c)) for c in needing_key
                        ):
                            raise _weak_key_error(source, weakness)
                        saw_bsn = True
                    if batch.raw.num_rows:
                        outcome = table.validate(batch.canonical, batch.rows, context, load.info, source)
                        load.add(outcome.records)
                        report.write(batch.raw, batch.rows, outcome.issues, defer_warned=True)
                        rejected += outcome.rejected
                        warned += outcome.warned
                        pseudonymised_ids += outcome.pseudonymised_ids
                        records = outcome.records
                        warned_rows.append(
                            pc.filter(records.column("source_row"), records.column("has_warning"))
                        )
                    read += batch.raw.num_rows
            read += lines_rejected["n"]
            rejected += lines_rejected["n"]
            if read == 0:
                raise _no_rows_error(warehouse, source, info)  # undoes the load and discards its report
            fold = load.finish()
            rejected += len(fold.conflicts)
            conflicting = pa.array([c.source_row for c in fold.conflicts], pa.int64())
            late = pa.concat_tables(
                [
                    _identity_issues(fold.identity_conflicts, options.source),
                    *(_line_issues(issues, conflicting) for issues in load.line_issues),
                ]
            )
            validated_warned = pa.chunked_array(warned_rows, pa.int64()).combine_chunks()
            # a row warned in validation and then rejected as a conflict (a duplicate id) is not warned
            warned -= (
                pc.sum(pc.cast(pc.is_in(validated_warned, value_set=conflicting), pa.int64())).as_py() or 0
            )
            if late.num_rows:
                rows = pc.unique(late.column("row"))
                rows = pc.filter(rows, pc.invert(pc.is_in(rows, value_set=conflicting)))
                already = pc.is_in(rows, value_set=validated_warned)
                warned += len(rows) - (pc.sum(pc.cast(already, pa.int64())).as_py() or 0)
            # one pass echoes each row that loads with warnings or became a conflict once, with every reason:
            # its own (deferred), then those found after the fold
            after_fold = pa.concat_tables([_conflict_issues(fold.conflicts, load.spec.conflict_code), late])
            report.count(pa.concat_tables([*report.deferred, after_fold]))
            _echo_issues(source, report, pa.concat_tables([*report.deferred, after_fold]))
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
            pseudonymised_ids=pseudonymised_ids,
            layout_warnings=tuple(source.warnings),
            relinked=fold.relinked,
            notes=table.notes(load.totals) if table.notes is not None else (),
        )
        if options.strict and rejected:
            load.rollback()
            report.keep()
            raise LoadRejectedError(
                f"{rejected} van {read} rijen in {path.name} afgewezen; met --strict is niets geladen. "
                f"Zie het rapport: {report_path}"
            )
        key = options.pseudonym_key
        if key is not None and store_fingerprint and (saw_bsn or warehouse.setting(KEY_SETTING) is not None):
            warehouse.set_setting(KEY_SETTING, key_fingerprint(key, os.urandom(16)))
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
        report.keep()
    return summary


def _no_rows_error(warehouse: Warehouse, source: SourceFile, info: LoadInfo) -> InputError:
    """A file with a header and no row at all is refused: it cannot change a figure, and as a load it would
    make its export date the source's data moment (an empty export loaded without --extracted-on would date
    the source today and refuse every real export after it as older). See docs/loading.md."""
    moment = data_moments(warehouse, info.kind, None).get(info.source)
    kept = f"blijft {moment:%d-%m-%Y}" if moment is not None else "blijft leeg (nog geen export geladen)"
    return InputError(
        f"{mask_bsns_in_text(source.path.name)} heeft een kopregel maar geen enkele rij met gegevens. Er is niets "
        f"geladen: een bestand zonder rijen verandert geen cijfer, en het datamoment van bron '{info.source}' "
        f"{kept}. Controleer of de export volledig is (een filter of periode die niets selecteerde?)."
    )


def _validate_declarations(
    canonical: pa.Table, rows: pa.Array, context: ValidationContext, info: LoadInfo, source: SourceFile
) -> ValidatedBatch:
    cents = source.mapping.amount_unit == "cent"
    return validate_declarations(canonical, rows, context, extraction=info.extraction, cents=cents)


def _declaration_notes(sums: dict[str, int]) -> tuple[str, ...]:
    euros = dutch_decimal(Decimal(sums["cents"]) / 100, 2)  # type: ignore[arg-type]
    notes = [f"totaal van de geladen en ongewijzigde regels: € {euros} (credit negatief)"]
    if sums["multi_month"]:
        notes.append(
            f"regels met een productperiode over meer dan één maand: {dutch_int(sums['multi_month'])} (de "
            "kosten worden naar dagen over de maanden verdeeld)"
        )
    return tuple(notes)


DECLARATION_TABLE = FileKind(
    "declarations",
    IDENTIFIER_COLUMNS,
    _validate_declarations,
    DeclarationLoad,
    _declaration_notes,
)


def load_declarations(
    warehouse: Warehouse,
    path: Path,
    options: LoadOptions,
    *,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> LoadSummary:
    """Load one declarations file atomically, like ``load_allocations`` (docs/loading.md, "Declaraties")."""
    return load_table(warehouse, path, options, DECLARATION_TABLE, now=now, progress=progress)


def _validate_requests(
    canonical: pa.Table, rows: pa.Array, context: ValidationContext, info: LoadInfo, source: SourceFile
) -> ValidatedBatch:
    return validate_requests(canonical, rows, context, extraction=info.extraction)


def _validate_deliveries(
    canonical: pa.Table, rows: pa.Array, context: ValidationContext, info: LoadInfo, source: SourceFile
) -> ValidatedBatch:
    return validate_deliveries(canonical, rows, context, extraction=info.extraction)


# Requests and deliveries (issue 13; docs/loading.md "Meldingen en aanvragen", "Leveringen")
REQUEST_TABLE = FileKind("requests", REQUEST_IDENTIFIERS, _validate_requests, RequestLoad)
DELIVERY_TABLE = FileKind("deliveries", DELIVERY_IDENTIFIERS, _validate_deliveries, DeliveryLoad)


def _validate_benefits(
    canonical: pa.Table, rows: pa.Array, context: ValidationContext, info: LoadInfo, source: SourceFile
) -> ValidatedBatch:
    return validate_benefits(canonical, rows, context, codes=source.mapping.codes)


def _validate_reintegration(
    canonical: pa.Table, rows: pa.Array, context: ValidationContext, info: LoadInfo, source: SourceFile
) -> ValidatedBatch:
    return validate_reintegration(canonical, rows, context, codes=source.mapping.codes)


# Benefits and re-integration provisions (issue 14; docs/loading.md "Uitkeringen laden",
# "Re-integratievoorzieningen laden")
def _benefit_notes(totals: dict[str, int]) -> tuple[str, ...]:
    return (
        f"uitkeringen in het bestand: {dutch_int(totals['benefits'])}, waarvan {dutch_int(totals['couples'])} met "
        "een partner (een paar is één uitkering en twee personen)",
    )


BENEFIT_TABLE = FileKind("benefits", BENEFIT_IDENTIFIERS, _validate_benefits, BenefitLoad, _benefit_notes)
REINTEGRATION_TABLE = FileKind(
    "reintegration", REINTEGRATION_IDENTIFIERS, _validate_reintegration, ReintegrationLoad
)


def _malformed_rows(lines: tuple[MalformedRow, ...]) -> pa.Array:
    return pa.array([m.row for m in lines], pa.int64())


def _malformed_table(lines: tuple[MalformedRow, ...]) -> pa.Table:
    return malformed_issues(
        [m.row for m in lines],
        [m.expected_fields for m in lines],
        [m.actual_fields for m in lines],
        [m.code for m in lines],
    )


def _malformed_raw(source: SourceFile, lines: tuple[MalformedRow, ...]) -> pa.Table:
    """Rejected lines echoed as well as possible: the fields split on the delimiter, the rest in the last."""
    delimiter = source.delimiter or ";"
    width = len(source.read_headers)  # with empty columns at the end, which are not echoed
    split = [m.text.split(delimiter, width - 1) for m in lines]
    return pa.table(
        {
            h: pa.array([s[i] if i < len(s) else None for s in split], pa.string())
            for i, h in enumerate(source.headers)
        }
    )


def _error_rows(issues: pa.Table) -> pa.Array:
    """The rows of ``issues`` (``ISSUE_SCHEMA``) that have an error: they are rejected."""
    is_error = pc.equal(issues.column("severity"), Severity.ERROR.value)
    return pc.unique(pc.filter(issues.column("row"), is_error))


def _echo_issues(source: SourceFile, report: ReportWriter, issues: pa.Table) -> None:
    """Second pass over the file: echo the rows that have ``issues`` (``ISSUE_SCHEMA``, already counted)."""
    if issues.num_rows == 0:
        return
    wanted = pc.unique(issues.column("row"))
    for batch in source.batches():
        mask = pc.is_in(batch.rows, value_set=wanted)
        if pc.any(mask).as_py():
            report.echo(
                batch.raw, batch.rows, issues.filter(pc.is_in(issues.column("row"), value_set=batch.rows))
            )


def _issue_table(rows: list[int], rule: Rule, messages: list[str]) -> pa.Table:
    """Issues of one rule with the messages made row by row (few rows)."""
    return pa.table(
        {
            "row": pa.array(rows, pa.int64()),
            "severity": [rule.severity.value] * len(rows),
            "code": [rule.code] * len(rows),
            "column": [rule.column] * len(rows),
            "message": messages,
        },
        schema=ISSUE_SCHEMA,
    )


def _conflict_issues(conflicts: tuple[Conflict, ...], code: str) -> pa.Table:
    """The rows whose line key (allocation id, declaration line) occurs with different content."""
    rule = RULES[code]
    name = rule.column  # the message names the line by its id: {allocation_id} or {declaration_id}
    messages = [rule.text(**{name: c.label}, other_rows=", ".join(map(str, c.other_rows))) for c in conflicts]
    return _issue_table([c.source_row for c in conflicts], rule, messages)


def _identity_issues(conflicts: tuple[IdentityConflict, ...], source_name: str) -> pa.Table:
    """The rows whose BSN and client number are linked to someone else."""
    tables = []
    for code in sorted({c.code for c in conflicts}):
        rule, found = RULES[code], [c for c in conflicts if c.code == code]
        numbers = [MASKED if is_valid_bsn(c.client_number) else c.client_number for c in found]
        messages = [rule.text(number=number, source=source_name) for number in numbers]
        tables.append(_issue_table([c.source_row for c in found], rule, messages))
    return pa.concat_tables(tables) if tables else ISSUE_SCHEMA.empty_table()


def _line_issues(issues: LineIssues, conflicting: pa.Array) -> pa.Table:
    """Rows that broke a check against the warehouse (``VersionedLoad.line_issues``), but for the rows
    rejected as conflicts."""
    rows = issues.rows.filter(pc.invert(pc.is_in(issues.rows.column("source_row"), value_set=conflicting)))
    values = {name: rows.column(name).combine_chunks() for name in rows.column_names if name != "source_row"}
    return rule_issues(issues.code, rows.column("source_row").combine_chunks(), values)
