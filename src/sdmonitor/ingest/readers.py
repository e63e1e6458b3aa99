"""Readers: CSV, XLSX and Parquet files as batches of text columns, mapped onto canonical columns.

A reader never interprets values: every cell becomes text (or null when empty), so that validation sees the
file as the user sees it and a rejected row can be echoed as it came in. Row numbers are spreadsheet row
numbers: the header is row 1, the first data row is row 2 (for CSV: the physical line number).

CSV rule: a quoted field may not span a line break. Every physical line is read or reported on its own, so one
stray quote cannot swallow the lines after it; a line longer than ``MAX_LINE_BYTES`` is reported, not read.
Rejected lines are handed to a sink batch by batch (at most ``ECHO_CHARS`` of each is kept), and pyarrow may
read only ``READ_AHEAD_BLOCKS`` ahead, so a file of millions of bad lines is read in bounded memory.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import hashlib
import re
import threading
import zipfile
from array import array
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from sdmonitor.errors import InputError
from sdmonitor.ingest.columns import LAYOUTS, Mapping, missing_columns, normalise_header

BATCH_ROWS = 250_000
CSV_BLOCK_BYTES = 16 << 20
MAX_LINE_BYTES = 1 << 20  # an allocation row is < 1 KiB; a longer line is reported, not read
ECHO_CHARS = 200  # at most this much of a rejected line is kept and echoed in the report
EXCEL_CELL_CHARS = 32_767  # Excel's own limit on a cell; a longer cell is reported, not read
XLSX_PART_LIMIT = 200 << 20  # unpacked size of an XLSX part held in memory whole (shared strings, styles)
XLSX_SHEET_LIMIT = 8 << 30  # unpacked size of a worksheet (streamed)
READ_AHEAD_BLOCKS = 8  # CSV blocks read ahead of the batches taken (pyarrow alone would read the whole file)
SUFFIXES = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}


@dataclass(frozen=True)
class MalformedRow:
    """A CSV line that was not read as a row: wrong number of fields, an unclosed quote, or too long.

    ``code`` is the reason code (``malformed_row``, ``unclosed_quote``, ``line_too_long``); ``text`` holds at
    most ``ECHO_CHARS`` characters of the line.
    """

    row: int
    text: str
    expected_fields: int
    actual_fields: int
    code: str = "malformed_row"


MalformedSink = Callable[[tuple[MalformedRow, ...]], None]


@dataclass(frozen=True)
class RawBatch:
    """A slice of an input file.

    ``raw`` holds the rows as they came in (source headers, text); ``canonical`` the same rows under canonical
    column names (absent columns are all-null); ``rows`` the spreadsheet row number of each row;
    ``malformed`` the unreadable lines met while reading this slice.
    """

    raw: pa.Table
    canonical: pa.Table
    rows: pa.Array
    malformed: tuple[MalformedRow, ...] = ()


@dataclass
class SourceFile:
    """An opened input file: its layout, headers and a way to stream it in batches."""

    path: Path
    kind: str
    mapping: Mapping
    headers: list[str]
    delimiter: str | None
    encoding: str
    size_bytes: int
    sha256: str
    ignored_headers: list[str] = field(default_factory=list)
    header_row: int = (
        1  # the line (CSV) or row (XLSX) that holds the headers; title rows above it are skipped
    )
    read_headers: list[str] = field(default_factory=list)  # CSV: the headers as the parser reads each line
    warnings: list[str] = field(default_factory=list)  # Dutch notes about the layout, for the user

    def __post_init__(self) -> None:
        if not self.read_headers:
            self.read_headers = list(self.headers)

    def batches(
        self, progress: Callable[[int], None] | None = None, on_malformed: MalformedSink | None = None
    ) -> Generator[RawBatch, None, None]:
        """Stream the file; ``progress`` gets the bytes consumed since its previous call.

        Rejected CSV lines go to ``on_malformed`` after each batch (those met while reading it), or, without a
        sink, with that batch.
        """
        if self.kind == "csv":
            yield from _csv_batches(self, progress, on_malformed)
        elif self.kind == "xlsx":
            yield from _xlsx_batches(self, progress, on_malformed)
        else:
            yield from _parquet_batches(self, progress)


def open_source(path: Path, mapping: Mapping | None = None, table: str = "allocations") -> SourceFile:
    """Open an input file of ``table`` (allocations, declarations), detect its layout (or use ``mapping``) and check its required
    columns.

    Raises InputError with a Dutch message naming the missing columns when the file cannot be used.
    """
    if not path.is_file():
        raise InputError(f"Bestand {path} bestaat niet of is geen bestand.")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"Bestand {path.name}: onbekend bestandstype '{path.suffix}'. "
            "Gebruik CSV (.csv), Excel (.xlsx) of Parquet (.parquet)."
        )
    encoding, delimiter = "utf8", None
    header_row = mapping.header_row if mapping else 1
    read_headers: list[str] = []
    warnings: list[str] = []
    if kind == "csv":
        encoding = detect_encoding(path)
        header_line = first_line(path, encoding, header_row)
        delimiter = (mapping.delimiter if mapping else None) or sniff_delimiter(header_line)
        headers = split_header(header_line, delimiter)
        empty_at_end = len(headers) - len(_without_empty_end(headers))
        if empty_at_end:
            headers = _without_empty_end(headers)
            # the parser still reads every field; these placeholder names are dropped after reading
            read_headers = headers + [f"\x00leeg{i}" for i in range(empty_at_end)]
            warnings.append(
                f"{empty_at_end} lege kolom{'men' if empty_at_end > 1 else ''} aan het eind van de kopregel "
                "genegeerd (zoals Excel en Zorgned die schrijven)."
            )
    elif kind == "xlsx":
        headers = _xlsx_headers(path, header_row)
    else:
        headers = _parquet_headers(path, mapping, table)
    _check_unique(path, headers)
    chosen = mapping or _detect_mapping(headers, table)
    _check_required(path, headers, chosen, table)
    ignored = [h for h in headers if normalise_header(h) not in chosen.columns]
    return SourceFile(
        path=path,
        kind=kind,
        mapping=chosen,
        headers=headers,
        delimiter=delimiter,
        encoding=encoding,
        size_bytes=path.stat().st_size,
        sha256=_sha256(path),
        ignored_headers=ignored,
        header_row=header_row,
        read_headers=read_headers,
        warnings=warnings,
    )


def _without_empty_end(headers: list[str]) -> list[str]:
    """The headers without empty ones at the end ('a;b;;;' -> ['a', 'b'])."""
    end = len(headers)
    while end and not headers[end - 1]:
        end -= 1
    return headers[:end]


def _check_unique(path: Path, headers: list[str]) -> None:
    """Refuse a header line in which a column name occurs twice, naming it and both positions."""
    seen: dict[str, int] = {}
    for position, header in enumerate(headers, start=1):
        key = normalise_header(header)
        if key in seen:
            name = f"'{header}'" if header else "zonder naam"
            raise InputError(
                f"Bestand {path.name}: de kolom {name} staat meer dan eens in de kopregel (kolom {seen[key]} en "
                f"{position}). Geef elke kolom een eigen naam. Er is niets geladen."
            )
        seen[key] = position


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(8 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(path: Path) -> str:
    """UTF-8 when the first 4 MiB decode as such, else Windows-1252 (older Excel exports).

    A file with NUL bytes in its first 4 MiB is no text (binary, or UTF-16): refused with a Dutch message.
    """
    sample = 4 << 20
    with path.open("rb") as handle:
        head = handle.read(sample + 1)
    if b"\x00" in head:
        raise InputError(
            f"{path.name} is geen tekstbestand (CSV): het bevat binaire gegevens. Is het een ander soort bestand "
            "met de naam .csv, of opgeslagen als UTF-16? Sla het op als CSV UTF-8. Er is niets geladen."
        )
    truncated = len(head) > sample
    try:
        head[:sample].decode("utf-8")
    except UnicodeDecodeError as exc:
        if not truncated or exc.start < sample - 4:  # not just a character cut at the end of the sample
            return "cp1252"
    return "utf8"


def first_line(path: Path, encoding: str, header_row: int = 1) -> str:
    """The header line: line ``header_row`` of the file (title lines above it are skipped)."""
    try:
        with path.open("r", encoding="utf-8-sig" if encoding == "utf8" else encoding) as handle:
            for _ in range(header_row):
                line = handle.readline(MAX_LINE_BYTES + 1)
                if len(line) > MAX_LINE_BYTES:
                    raise InputError(
                        f"Regel {_ + 1} van {path.name} is langer dan 1 MiB; dat is geen kopregel van een CSV. "
                        "Er is niets geladen."
                    )
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path.name} is geen leesbare tekst in UTF-8 of Windows-1252; is het wel een CSV-bestand? "
            "Er is niets geladen."
        ) from exc
    if not line.strip():
        where = "begint met een lege regel" if header_row == 1 else f"heeft een lege regel {header_row}"
        raise InputError(f"Bestand {path.name} is leeg of {where}; verwacht een kopregel.")
    return line.rstrip("\r\n")


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of ';', ',', tab and '|' in the header line ('BSN;Wet;...' -> ';')."""
    candidates = [";", ",", "\t", "|"]
    return max(candidates, key=header_line.count)


def split_header(line: str, delimiter: str) -> list[str]:
    return [h.strip().strip('"').strip() for h in line.split(delimiter)]


def _detect_mapping(headers: list[str], kind: str = "allocations") -> Mapping:
    """The built-in mapping of table ``kind`` that recognises most of the headers (canonical, the first,
    wins a tie)."""
    normalised = {normalise_header(h) for h in headers}
    layouts = list(LAYOUTS[kind].values())
    best = max(layouts, key=lambda m: len(normalised & m.columns.keys()))
    if not normalised & best.columns.keys():
        return layouts[0]
    alike = [m.name for m in layouts if m.columns == best.columns]
    if len(alike) > 1:
        raise InputError(
            f"De kolomnamen passen bij meer dan één indeling ({', '.join(alike)}), die de gegevens anders lezen "
            f"(bijvoorbeeld de wet). Kies de indeling met --mapping {alike[0]} of --mapping {alike[1]}. "
            "Er is niets geladen."
        )
    return best


def _check_required(path: Path, headers: list[str], mapping: Mapping, kind: str = "allocations") -> None:
    """Refuse a file that lacks a required column of ``mapping``, naming the columns; when the header has
    every required column of another built-in layout of ``kind`` (``--mapping canoniek`` on an
    ``nl-uitkeringen`` export), the message names that layout."""
    missing = _missing_required(headers, mapping)
    if missing:
        names_client = any(c.name == "bsn" for c in mapping.canonical_columns)
        expected = ", ".join(mapping.source_header(c.name) for c in mapping.canonical_columns if c.required)
        client = (
            f" en {mapping.source_header('client_id')} of {mapping.source_header('bsn')}"
            if names_client
            else ""
        )
        raise InputError(
            f"{missing_columns(missing)} in {path.name} (indeling '{mapping.name}'). "
            f"Verwacht minstens: {expected}{client}. Gevonden: {', '.join(headers)}. "
            f"{_layout_hint(headers, mapping, kind)}"
        )


def fitting_layouts(headers: list[str], kind: str) -> list[str]:
    """The built-in layouts of ``kind`` whose every required column is in ``headers`` (in their order)."""
    return [m.name for m in LAYOUTS.get(kind, {}).values() if not _missing_required(headers, m)]


def _layout_hint(headers: list[str], mapping: Mapping, kind: str) -> str:
    """What to do about missing columns: the built-in layout the header fits, or a mapping file of one's own."""
    fitting = [name for name in fitting_layouts(headers, kind) if name != mapping.name]
    if len(fitting) == 1:
        return f"Deze kopregel past bij de indeling {fitting[0]}: gebruik --mapping {fitting[0]}."
    if fitting:
        names = ", ".join(fitting[:-1]) + f" en {fitting[-1]}"
        return f"Deze kopregel past bij de indelingen {names}: kies er één met --mapping."
    other = [
        f"sdm load {k} (indeling {fits[0]})"
        for k in LAYOUTS
        if k != kind
        for fits in [fitting_layouts(headers, k)]
        if fits
    ]
    if other:
        return f"Deze kopregel past bij een ander soort bestand: {' of '.join(other)}."
    return "Gebruik --mapping voor een eigen indeling."


def _missing_required(headers: list[str], mapping: Mapping) -> list[str]:
    """The required columns of ``mapping`` that ``headers`` lack, quoted as the layout names them."""
    mapped = {mapping.columns[normalise_header(h)] for h in headers if normalise_header(h) in mapping.columns}
    mapped |= mapping.defaults.keys()
    # a table whose rows name a client (a delivery names its allocation instead): either column will do,
    # named where the first of them stands in the layout
    names_client = any(c.name == "bsn" for c in mapping.canonical_columns)
    either = f"'{mapping.source_header('client_id')}' of '{mapping.source_header('bsn')}'"
    no_client = names_client and "client_id" not in mapped and "bsn" not in mapped
    missing: list[str] = []
    for column in mapping.canonical_columns:
        if column.name in ("client_id", "bsn") and no_client:
            if either not in missing:
                missing.append(either)
        elif column.required and column.name not in mapped:
            missing.append(f"'{mapping.source_header(column.name)}'")
    return missing


def _canonical(raw: pa.Table, mapping: Mapping) -> pa.Table:
    """The raw columns renamed to canonical names; blank cells become null, absent columns all-null (or the
    layout's default)."""
    by_canonical: dict[str, pa.Array | pa.ChunkedArray] = {}
    for name in raw.column_names:
        canonical = mapping.columns.get(normalise_header(name))
        if canonical is not None and canonical not in by_canonical:
            by_canonical[canonical] = _blank_to_null(raw.column(name))
    for canonical, value in mapping.defaults.items():
        if canonical not in by_canonical:
            by_canonical[canonical] = pa.array([value] * raw.num_rows, pa.string())
    nulls = pa.nulls(raw.num_rows, pa.string())
    return pa.table({c.name: by_canonical.get(c.name, nulls) for c in mapping.canonical_columns})


def _blank_to_null(column: pa.ChunkedArray) -> pa.ChunkedArray:
    text = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _row_numbers(first_ordinal: int, count: int, skipped_lines: np.ndarray, first_line: int = 2) -> pa.Array:
    """Line numbers of the good rows ``first_ordinal .. first_ordinal + count - 1`` (0-based among good rows).

    ``skipped_lines`` are the sorted line numbers (>= ``first_line``) that produced no row. The k-th good row
    is on line ``first_line + k + (skipped lines before it)``. Example: skipped [3], first_line 2 -> rows 0, 1
    are on lines 2 and 4.
    """
    ordinals = np.arange(first_ordinal, first_ordinal + count, dtype=np.int64)
    skipped = skipped_lines.astype(np.int64)
    # skipped[j] - first_line - j: how many good rows come before the j-th skipped line (nondecreasing)
    good_before = skipped - first_line - np.arange(len(skipped), dtype=np.int64)
    return pa.array(ordinals + first_line + np.searchsorted(good_before, ordinals, side="right"))


def _unclosed_quote_pattern(delimiter: str) -> re.Pattern[bytes]:
    """A line in which a field opens a quote that the line does not close (as pyarrow reads quotes).

    A quote opens a quoted field only at the start of a field; ``""`` inside it is a quote; after the closing
    quote the rest of the field is literal. Examples with ';': ``9;"t Hofje;x`` matches; ``9;'t "Hofje;x``,
    ``9;"a;b";x`` and ``9;"zeg ""hoi"" ";x`` do not. Atomic groups keep it linear on hostile lines.
    """
    d = re.escape(delimiter.encode())
    quoted = rb'"(?>(?:[^"\n]|"")*)"[^' + d + rb"\n]*"
    plain = rb'[^"' + d + rb"\n][^" + d + rb"\n]*"
    return re.compile(rb"^(?:(?:" + quoted + rb"|" + plain + rb"|)" + d + rb')*+"(?>(?:[^"\n]|"")*)$', re.M)


class _LineGuard:
    """A binary CSV reader that blanks the lines no CSV parser should see and reports them on their own.

    A line longer than ``max_line`` bytes (``line_too_long``) or with a quote it does not close
    (``unclosed_quote``) reaches the parser as an empty line, so the line numbering stays right and the
    lines after it are read as usual. ``reject`` gets each such line; ``progress`` the bytes read.

    Each read after the header also starts with one extra empty line (a row of empty cells, dropped later):
    pyarrow holds on to every block in which no line parses (quadratic time, memory of the whole file), so
    no block may be without a row. ``injected`` keeps the parser's numbers of those lines for ``physical``.

    pyarrow reads ahead from a thread of its own without limit; ``read`` waits until fewer than
    ``READ_AHEAD_BLOCKS`` blocks are ahead of the batches taken (``taken``), so memory stays bounded.
    """

    def __init__(
        self,
        handle: IO[bytes],
        source: SourceFile,
        reject: Callable[[MalformedRow], None],
        progress: Callable[[int], None] | None,
        max_line: int,
    ) -> None:
        self._handle = handle
        self._reject = reject
        self._progress = progress
        self._max_line = max_line
        self._encoding = source.encoding
        self._width = len(source.read_headers)
        self._delimiter = (source.delimiter or ";").encode()
        self._unclosed = _unclosed_quote_pattern(source.delimiter or ";")
        self._tail = b""  # the incomplete last line read so far
        self._line = 1  # line number of the first line in _tail
        self._dropping = False  # inside a line that is too long: skip to its end
        self._eof = False
        self._header_row = source.header_row
        self.injected: array[int] = array("q")
        self.lock = threading.RLock()  # pyarrow reads and parses in threads of its own
        self._ahead = threading.Semaphore(READ_AHEAD_BLOCKS)
        self.closed = False

    def taken(self) -> None:
        """The consumer took a batch: one more block may be read ahead."""
        self._ahead.release()

    def stop(self) -> None:
        """The consumer is done (or gave up): let a waiting read finish and read no further."""
        self._eof = True
        self._ahead.release(READ_AHEAD_BLOCKS + 1)

    def injected_before(self, parser_line: int) -> int:
        """How many injected lines come before the parser's line ``parser_line``."""
        with self.lock:
            return bisect.bisect_left(self.injected, parser_line)

    def physical(self, parser_lines: np.ndarray) -> np.ndarray:
        """The file's line numbers of lines as the parser numbers them (it also counts the injected lines)."""
        with self.lock:
            injected = np.array(self.injected, dtype=np.int64)
        return parser_lines - np.searchsorted(injected, parser_lines, side="left")

    def read(self, size: int = -1) -> bytes:
        # the timeout only guards against a parser that wants more blocks than it yields batches
        self._ahead.acquire(timeout=2)
        while not self._eof:
            chunk = self._handle.read(size if size > 0 else CSV_BLOCK_BYTES)
            if self._progress is not None and chunk:
                self._progress(len(chunk))
            first = self._line  # the number of the first line this read returns
            if not chunk:
                self._eof = True
                return self._inject(first, self._process(b"\n")) if self._tail else b""
            out = self._process(chunk)
            if out:
                return self._inject(first, out)
        return b""

    def _inject(self, first: int, out: bytes) -> bytes:
        if not out or first <= self._header_row:
            return out
        with self.lock:
            self.injected.append(first + len(self.injected))
        return b"\n" + out

    def _process(self, chunk: bytes) -> bytes:
        prefix = b""
        if self._dropping:
            end = chunk.find(b"\n")
            if end < 0:
                return b""
            prefix, chunk, self._dropping = b"\n", chunk[end + 1 :], False
            self._line += 1
        data = self._tail + chunk
        newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        cut = int(newlines[-1]) + 1 if len(newlines) else 0
        complete, self._tail = data[:cut], data[cut:]
        first_line = self._line
        self._line += len(newlines)
        if len(self._tail) > self._max_line:
            self._reject_line(self._line, self._tail, "line_too_long")
            self._tail, self._dropping = b"", True
        if not complete:
            return prefix
        starts = np.concatenate(([0], newlines[:-1] + 1))
        bad = {int(i): "line_too_long" for i in np.flatnonzero(newlines - starts > self._max_line)}
        for index in self._quote_suspects(complete, newlines):
            start, end = int(starts[index]), int(newlines[index])
            if index not in bad and self._unclosed.match(complete, start, end):
                bad[index] = "unclosed_quote"
        if not bad:
            return prefix + complete
        pieces, position = [prefix], 0
        for index in sorted(bad):
            start, end = int(starts[index]), int(newlines[index])
            self._reject_line(first_line + index, complete[start:end], bad[index])
            pieces += [complete[position:start], b"\n"]
            position = end + 1
        pieces.append(complete[position:])
        return b"".join(pieces)

    def _quote_suspects(self, complete: bytes, newlines: np.ndarray) -> list[int]:
        """Indexes of the lines whose quotes may leave a field open (the regular expression decides).

        Vectorised, so that a file with quotes on every line stays fast: a line is certainly closed when its
        quotes alternate between an opening quote at the start of a field (after the delimiter or at the
        start of the line) and a closing quote at its end (before the delimiter or the line end), as in
        ``"a";"b";c``. Any other line with a quote (a quote inside a word, ``""`` escapes) is a suspect.
        """
        data = np.frombuffer(complete, dtype=np.uint8)
        quotes = np.flatnonzero(data == 34)
        if not len(quotes):
            return []
        # quotes of line i are quotes[ends[i] - counts[i] : ends[i]]; a search per line, not per quote
        ends = np.searchsorted(quotes, newlines)
        counts = np.diff(ends, prepend=0)
        line = np.repeat(np.arange(len(newlines)), counts)
        rank = np.arange(len(quotes)) - np.repeat(ends - counts, counts)
        delimiter = self._delimiter[0]
        before = np.where(quotes > 0, data[np.maximum(quotes - 1, 0)], 10)
        after = data[np.minimum(quotes + 1, len(data) - 1)]  # the chunk ends with a line break
        opens = (before == delimiter) | (before == 10)
        closes = (after == delimiter) | (after == 10) | (after == 13)
        odd = counts % 2 == 1
        misplaced = np.bincount(line[~np.where(rank % 2 == 0, opens, closes)], minlength=len(newlines)) > 0
        return [int(i) for i in np.flatnonzero(odd | misplaced)]

    def _reject_line(self, number: int, line: bytes, code: str) -> None:
        if number <= self._header_row:
            return  # a title or header line: blanked for the parser, which skips it anyway; no data row
        head = line[: ECHO_CHARS * 4].decode(
            "utf-8" if self._encoding == "utf8" else self._encoding, errors="replace"
        )
        fields = line.count(self._delimiter) + 1 if code == "unclosed_quote" else 0
        self._reject(MalformedRow(number, head[:ECHO_CHARS].rstrip("\r"), self._width, fields, code))

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True


def _csv_batches(
    source: SourceFile, progress: Callable[[int], None] | None, on_malformed: MalformedSink | None
) -> Iterator[RawBatch]:
    assert source.delimiter is not None
    pending: list[MalformedRow] = []
    skipped: array[int] = array("q")  # lines the parser skipped (its numbering: with the injected lines)
    guard: _LineGuard | None = None

    lock = threading.RLock()  # pyarrow calls back from threads of its own

    def reject(row: MalformedRow) -> None:
        with lock:
            pending.append(row)

    def take_rejected() -> tuple[MalformedRow, ...]:
        with lock:
            taken = tuple(pending)
            pending.clear()
        return taken

    def on_invalid(row: Any) -> str:
        try:
            text = str(row.text)[:ECHO_CHARS]
        except UnicodeDecodeError:  # reported as a whole further on; the line itself cannot be shown
            text = ""
        assert guard is not None
        number = int(row.number)
        with lock:
            skipped.append(number)
        number -= guard.injected_before(number)
        reject(MalformedRow(number, text, int(row.expected_columns), int(row.actual_columns)))
        return "skip"

    read_options = pcsv.ReadOptions(
        use_threads=False,  # needed for the line numbers of malformed rows
        block_size=CSV_BLOCK_BYTES,
        column_names=source.read_headers,
        skip_rows=source.header_row,
        encoding=source.encoding,
    )
    parse_options = pcsv.ParseOptions(
        delimiter=source.delimiter,
        newlines_in_values=False,  # the line guard has blanked every line that opens a quote it does not close
        invalid_row_handler=on_invalid,
        ignore_empty_lines=False,  # blank lines become empty rows, dropped later, so the numbering stays right
    )
    convert_options = pcsv.ConvertOptions(
        column_types={h: pa.string() for h in source.read_headers},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    ordinal = 0
    reader = None
    try:
        with source.path.open("rb") as handle:
            guard = _LineGuard(handle, source, reject, progress, MAX_LINE_BYTES)
            reader = pcsv.open_csv(
                guard, read_options=read_options, parse_options=parse_options, convert_options=convert_options
            )
            for record_batch in reader:
                new_malformed = take_rejected()
                if on_malformed is not None and new_malformed:
                    on_malformed(new_malformed)
                    new_malformed = ()
                raw = pa.Table.from_batches([record_batch]).select(source.headers)
                with lock:
                    skipped_so_far = np.array(skipped, dtype=np.int64)
                parser_lines = _row_numbers(ordinal, raw.num_rows, skipped_so_far, source.header_row + 1)
                rows = pa.array(guard.physical(parser_lines.to_numpy()))
                ordinal += raw.num_rows
                # blank lines come through as rows of empty cells (so that the numbering stays right): no data
                blank = _all_empty(raw)
                if blank is not None:
                    raw, rows = raw.filter(pc.invert(blank)), pc.filter(rows, pc.invert(blank))
                yield RawBatch(raw, _canonical(raw, source.mapping), rows, new_malformed)
                guard.taken()
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise _arrow_error(exc, source) from exc
    finally:
        if guard is not None:
            guard.stop()  # every further read returns the end of the file at once
        if reader is not None:
            # let pyarrow's read-ahead thread finish now: a thread that still calls back into Python while the
            # interpreter shuts down (after an error in the load) aborts the process
            with contextlib.suppress(Exception):
                for _ in reader:  # the guard now ends the file: this reads at most the blocks in flight
                    pass
                reader.close()
    rest = take_rejected()
    if rest:
        if on_malformed is not None:
            on_malformed(rest)
            return
        empty = pa.table({h: pa.array([], pa.string()) for h in source.headers})
        rows = pa.array([], pa.int64())
        yield RawBatch(empty, _canonical(empty, source.mapping), rows, rest)


def _all_empty(raw: pa.Table) -> pa.Array | None:
    """Which rows have nothing in any cell (None when there are none such)."""
    if raw.num_columns == 0 or raw.num_rows == 0:
        return None
    empty = None
    for column in raw.columns:
        blank = pc.equal(pc.utf8_trim_whitespace(column), "")
        empty = blank if empty is None else pc.and_(empty, blank)
    empty = pc.fill_null(empty, False)
    return empty if pc.any(empty).as_py() else None


def _arrow_error(exc: Exception, source: SourceFile) -> InputError:
    """A Dutch message for a CSV that pyarrow cannot read."""
    if isinstance(exc, UnicodeDecodeError):
        return InputError(
            f"{source.path.name} bevat verderop bytes die geen Windows-1252 zijn; is het wel een CSV-bestand? "
            "Sla het op als CSV UTF-8 en laad het opnieuw. Er is niets geladen."
        )
    if "utf8" in str(exc).lower():
        return InputError(
            f"{source.path.name} bevat verderop tekens die geen UTF-8 zijn (het begin wel). Sla het bestand op als "
            "UTF-8 (in Excel: CSV UTF-8) of geheel als Windows-1252, en laad het opnieuw. Er is niets geladen."
        )
    return InputError(
        f"{source.path.name} is geen leesbare CSV (controleer of het echt een CSV-bestand is, met het "
        "scheidingsteken van de kopregel). Er is niets geladen."
    )


def _not_xlsx(path: Path) -> InputError:
    return InputError(
        f"{path.name} is geen leesbaar Excel-bestand (.xlsx): het is beschadigd of geen werkmap. Open en bewaar "
        "het opnieuw in Excel, of lever een CSV aan. Er is niets geladen."
    )


def _check_xlsx(path: Path) -> None:
    """Refuse an XLSX before a parser sees it: not a zip, a part that unpacks too large, or a DTD.

    Excel writes no DTDs; a ``<!DOCTYPE`` or ``<!ENTITY`` is an entity bomb or an external entity. The shared
    strings, styles and other parts are held in memory whole, so they may unpack to at most
    ``XLSX_PART_LIMIT``; worksheets are streamed and may be larger (``XLSX_SHEET_LIMIT``). The sizes come from
    the zip directory; zipfile refuses a part that unpacks to more than its stated size.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _not_xlsx(path) from exc
    with archive:
        for info in archive.infolist():
            sheet = info.filename.startswith("xl/worksheets/")
            limit = XLSX_SHEET_LIMIT if sheet else XLSX_PART_LIMIT
            if info.file_size > limit:
                raise InputError(
                    f"{path.name}: onderdeel {info.filename} is uitgepakt {info.file_size >> 20} MiB, meer dan "
                    f"de grens van {limit >> 20} MiB (een zip-bom, of geen gewone export). Lever het bestand als "
                    "CSV aan. Er is niets geladen."
                )
            if info.filename.endswith((".xml", ".rels", ".vml")) and _declares_dtd(archive, info):
                raise InputError(
                    f"{path.name}: onderdeel {info.filename} bevat een DTD (<!DOCTYPE of <!ENTITY>), die Excel "
                    "nooit schrijft; om veiligheidsredenen wordt het bestand niet gelezen. Open en bewaar het "
                    "opnieuw in Excel, of lever een CSV aan. Er is niets geladen."
                )


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part has a DTD before its root element (a prolog of 1 MiB or more counts as one).

    Example: ``<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aa">]><x>&a;</x>`` -> True.
    """
    head = b""
    try:
        with archive.open(info) as part:
            while len(head) < 1 << 20:
                chunk = part.read(1 << 16)
                if not chunk:
                    return False
                head += chunk
                prolog = re.sub(rb"<!--.*?(?:-->|$)", b"", head, flags=re.S)  # comments may hold anything
                if re.search(rb"<!(?:DOCTYPE|ENTITY)", prolog, re.I):
                    return True
                if re.search(rb"<[A-Za-z_]", prolog):
                    return False
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise _not_xlsx(Path(archive.filename or "")) from exc
    return True


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    _check_xlsx(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any parser or zip error on hostile input: a Dutch message, no traceback
        raise _not_xlsx(path) from exc


def _xlsx_headers(path: Path, header_row: int = 1) -> list[str]:
    workbook = _open_workbook(path)
    try:
        if not workbook.worksheets:
            raise _not_xlsx(path)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored size may be wrong
        for values in sheet.iter_rows(values_only=True, min_row=header_row, max_row=header_row):
            headers = [("" if v is None else str(v)[:EXCEL_CELL_CHARS]).strip() for v in values]
            while headers and not headers[-1]:
                headers.pop()
            if headers:
                return headers
        raise InputError(
            f"Werkblad '{sheet.title}' in {path.name} heeft geen kopregel in rij {header_row}. Staan er titelregels "
            "boven de kopregel, geef dan in een koppelbestand 'header_row' op."
        )
    except InputError:
        raise
    except Exception as exc:  # any parser error on hostile input
        raise _not_xlsx(path) from exc
    finally:
        workbook.close()


def cell_text(value: object, decimal: str) -> str | None:
    """An Excel cell as the text a user sees: dates as ISO, whole numbers without '.0'.

    Example: datetime(2018, 1, 5) -> '2018-01-05'; 2.0 -> '2'; 2.5 -> '2,5' when ``decimal`` is ','.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", decimal) if decimal != "." else text
    return str(value)


def _xlsx_batches(
    source: SourceFile, progress: Callable[[int], None] | None, on_malformed: MalformedSink | None
) -> Iterator[RawBatch]:
    """Rows below the header row; a row with a cell longer than Excel allows is reported (``cell_too_long``)."""
    workbook = _open_workbook(source.path)
    width = len(source.headers)
    decimal = source.mapping.decimal
    rejected: list[MalformedRow] = []

    def batch(columns: list[list[str | None]], rows: list[int]) -> RawBatch:
        taken = tuple(rejected)
        rejected.clear()
        if on_malformed is not None and taken:
            on_malformed(taken)
            taken = ()
        return _xlsx_batch(source, columns, rows, taken)

    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # trust the rows, not the stored size
        columns: list[list[str | None]] = [[] for _ in range(width)]
        rows: list[int] = []
        first = source.header_row + 1
        for number, values in enumerate(sheet.iter_rows(min_row=first, values_only=True), start=first):
            cells = [cell_text(v, decimal) for v in values[:width]]
            if any(c is not None and len(c) > EXCEL_CELL_CHARS for c in cells):
                echo = ";".join("" if c is None else c[:ECHO_CHARS] for c in cells)[:ECHO_CHARS]
                rejected.append(MalformedRow(number, echo, width, len(cells), "cell_too_long"))
                continue
            if all(c is None or not c.strip() for c in cells):
                continue  # Excel often carries formatted but empty rows at the end
            cells += [None] * (width - len(cells))
            for column, cell in zip(columns, cells, strict=True):
                column.append(cell)
            rows.append(number)
            if len(rows) >= BATCH_ROWS // 5:
                yield batch(columns, rows)
                columns, rows = [[] for _ in range(width)], []
        if rows or rejected:
            yield batch(columns, rows)
    except InputError:
        raise
    except Exception as exc:  # any parser error on hostile input (the consumer's errors do not come here)
        raise _not_xlsx(source.path) from exc
    finally:
        workbook.close()
    if progress is not None:
        progress(source.size_bytes)


def _xlsx_batch(
    source: SourceFile, columns: list[list[str | None]], rows: list[int], malformed: tuple[MalformedRow, ...]
) -> RawBatch:
    raw = pa.table({h: pa.array(c, pa.string()) for h, c in zip(source.headers, columns, strict=True)})
    return RawBatch(raw, _canonical(raw, source.mapping), pa.array(rows, pa.int64()), malformed)


def _not_parquet(path: Path) -> InputError:
    return InputError(
        f"{path.name} is geen leesbaar Parquet-bestand: het is beschadigd of iets anders met de naam .parquet. "
        "Er is niets geladen."
    )


def _open_parquet(path: Path) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _not_parquet(path) from exc


def _is_text_like(kind: pa.DataType) -> bool:
    """Whether a Parquet column type can be read as the text a user sees (not a list, struct or map)."""
    if pa.types.is_dictionary(kind):
        return _is_text_like(kind.value_type)
    return not pa.types.is_nested(kind)


def _parquet_headers(path: Path, mapping: Mapping | None, kind: str = "allocations") -> list[str]:
    """The column names; a mapped column of a list, struct or map type is refused by name."""
    schema = _open_parquet(path).schema_arrow
    chosen = mapping or _detect_mapping(list(schema.names), kind)
    for name, kind in zip(schema.names, schema.types, strict=True):
        if normalise_header(name) in chosen.columns and not _is_text_like(kind):
            raise InputError(
                f"Kolom '{name}' in {path.name} is een lijst of samengesteld veld ({kind}), geen tekst, getal of "
                "datum. Sla de kolom op als tekst en laad het bestand opnieuw. Er is niets geladen."
            )
    return list(schema.names)


def _parquet_text(column: pa.Array, decimal: str) -> pa.Array:
    """A typed Parquet column as text: dates as ISO, numbers with the mapping's decimal separator.

    A list, struct or map column (only unmapped ones get here) becomes null: it is ignored anyway.
    """
    kind = column.type
    if pa.types.is_dictionary(kind):
        return _parquet_text(column.dictionary_decode(), decimal)
    if not _is_text_like(kind):
        return pa.nulls(len(column), pa.string())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column.cast(pa.string())
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return pc.strftime(column, format="%Y-%m-%d")
    if pa.types.is_floating(kind):
        whole = pc.equal(column, pc.trunc(column))
        text = pc.if_else(
            whole,
            pc.cast(pc.cast(column, pa.int64(), safe=False), pa.string()),
            pc.cast(column, pa.string()),
        )
        return pc.replace_substring(text, ".", decimal) if decimal != "." else text
    return pc.cast(column, pa.string())


def _parquet_batches(source: SourceFile, progress: Callable[[int], None] | None) -> Iterator[RawBatch]:
    parquet = _open_parquet(source.path)
    groups = max(parquet.metadata.num_row_groups, 1)
    per_group = source.size_bytes // groups
    ordinal = 0
    decimal = source.mapping.decimal
    try:
        for record_batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            raw = pa.table(
                {name: _parquet_text(record_batch.column(name), decimal) for name in source.headers}
            )
            rows = pa.array(np.arange(ordinal, ordinal + raw.num_rows, dtype=np.int64) + 2)
            ordinal += raw.num_rows
            if progress is not None:
                progress(
                    min(per_group, source.size_bytes)
                    * raw.num_rows
                    // max(parquet.metadata.num_rows // groups, 1)
                )
            yield RawBatch(raw, _canonical(raw, source.mapping), rows)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _not_parquet(source.path) from exc
