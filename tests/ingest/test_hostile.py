"""Hostile and broken input files: every physical line is loaded or reported on its own, in bounded memory."""

from __future__ import annotations

import csv
import re
import stat
import tempfile
import threading
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from sdmonitor.errors import InputError
from sdmonitor.ingest import readers
from sdmonitor.ingest.columns import read_mapping_file
from sdmonitor.ingest.readers import MalformedRow, open_source
from sdmonitor.loading import LoadOptions, LoadSummary, load_allocations
from sdmonitor.warehouse import Warehouse
from tests.builders import BSN_A, BSN_B
from tests.conftest import KEY, NOW

NL_HEADER = "Toewijzingsnummer;Cliëntnummer;Geboortedatum;Wet;Productcategorie;Aanbieder;Ingangsdatum"


def nl_line(number: int, provider: str = "Zorg BV") -> str:
    return f"T{number};C{number};15-03-1950;Wmo;02;{provider};01-01-2018"


def write_nl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([NL_HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def load(warehouse: Warehouse, path: Path, now: datetime = NOW) -> LoadSummary:
    return load_allocations(warehouse, path, LoadOptions(pseudonym_key=KEY), now=now)


def report_rows(summary: LoadSummary) -> list[dict[str, str]]:
    with summary.report_path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_a_stray_quote_loses_only_its_own_line(warehouse: Warehouse, tmp_path: Path) -> None:
    lines = [nl_line(n) for n in range(1, 1001)]
    lines[9] = nl_line(10, provider='"t Hofje')  # line 11 of the file
    summary = load(warehouse, write_nl(tmp_path / "export.csv", lines))
    assert (summary.read, summary.loaded, summary.rejected) == (1000, 999, 1)
    assert summary.accounted
    (row,) = report_rows(summary)
    assert (row["rij"], row["reden"], row["Toewijzingsnummer"]) == ("11", "unclosed_quote", "T10")
    assert "aanhalingsteken" in row["melding"]
    loaded = {r[0] for r in warehouse.rows("SELECT allocation_id FROM allocations")}
    assert len(loaded) == 999 and "T10" not in loaded and {"T9", "T11", "T1000"} <= loaded


@pytest.mark.parametrize(
    ("provider", "loads"),
    [
        ("'t \"Hofje", True),  # a quote inside a field is an ordinary character
        ('"Zorg; en welzijn"', True),  # a quoted field may hold the delimiter
        ('"zeg ""hoi"" "', True),  # a doubled quote inside a quoted field
        ('"t Hofje"x', True),  # text after the closing quote belongs to the field
        ('x"y;"z', False),  # an even number of quotes that still leaves a field open
    ],
)
def test_quotes_that_close_on_their_line_load_and_others_are_reported(
    tmp_path: Path, provider: str, loads: bool
) -> None:
    path = write_nl(tmp_path / "e.csv", [nl_line(1), nl_line(2, provider=provider), nl_line(3)])
    rejected: list[MalformedRow] = []
    rows = [r for b in open_source(path).batches(on_malformed=rejected.extend) for r in b.rows.to_pylist()]
    if loads:
        assert (rows, rejected) == ([2, 3, 4], [])
    else:
        assert rows == [2, 4]
        assert [(m.row, m.code) for m in rejected] == [(3, "unclosed_quote")]


def test_a_quoted_field_may_not_span_lines(tmp_path: Path) -> None:
    path = write_nl(tmp_path / "e.csv", [nl_line(1, provider='"Zorg'), 'BV";01-01-2018', nl_line(3)])
    rejected: list[MalformedRow] = []
    rows = [r for b in open_source(path).batches(on_malformed=rejected.extend) for r in b.rows.to_pylist()]
    assert rows == [4]
    assert sorted((m.row, m.code) for m in rejected) == [(2, "unclosed_quote"), (3, "malformed_row")]


def test_an_oversized_line_is_reported_with_its_number_and_the_rest_loads(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 10_000)
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 4_096)  # the long lines span several reads
    huge = "x" * 50_000
    lines = [nl_line(n) for n in range(1, 21)]
    lines[4] = nl_line(5, provider=huge)  # a long field, line 6
    lines[12] = huge * 3  # a long line without a delimiter, line 14
    lines.append(nl_line(21, provider=huge))  # the last line, without a line break
    path = tmp_path / "e.csv"
    path.write_text("\n".join([NL_HEADER, *lines]), encoding="utf-8")
    summary = load(warehouse, path)
    assert (summary.read, summary.loaded, summary.rejected) == (21, 18, 3)
    reported = report_rows(summary)
    assert [(r["rij"], r["reden"]) for r in reported] == [
        ("6", "line_too_long"),
        ("14", "line_too_long"),
        ("22", "line_too_long"),
    ]
    assert all(len(";".join(r.values())) < 2_000 for r in reported)  # the echo is cut short
    assert reported[0]["Toewijzingsnummer"] == "T5"


def test_the_default_line_limit_reports_a_100_mb_field(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "groot.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(NL_HEADER + "\n" + nl_line(1) + "\n")
        handle.write(nl_line(2, provider="x" * (100 << 20)) + "\n")
        handle.write(nl_line(3) + "\n")
    try:
        summary = load(warehouse, path)
    finally:
        path.unlink()
    assert (summary.read, summary.loaded, summary.rejections) == (3, 2, {"line_too_long": 1})
    assert [r["rij"] for r in report_rows(summary)] == ["3"]


def test_rejected_lines_are_streamed_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 1 << 16)
    long_text = "y" * 5_000
    path = write_nl(tmp_path / "e.csv", [f"T{n};{long_text}" for n in range(5_000)] + [nl_line(1)])
    groups: list[int] = []
    longest = 0

    def sink(lines: tuple[MalformedRow, ...]) -> None:
        nonlocal longest
        groups.append(len(lines))
        longest = max(longest, *(len(m.text) for m in lines))

    rows = [r for b in open_source(path).batches(on_malformed=sink) for r in b.rows.to_pylist()]
    assert rows == [5_002]
    assert sum(groups) == 5_000 and max(groups) < 1_000  # handed over block by block, not at the end
    assert longest <= readers.ECHO_CHARS


def canonical_workbook(path: Path, cells: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["allocation_id", "client_id", "birth_date", "law", "product_category", "start_date"])
    for row in cells:
        sheet.append(row)
    workbook.save(path)
    return path


def rewrite_part(
    path: Path, part: str, change: Callable[[bytes], bytes], added: dict[str, bytes] | None = None
) -> Path:
    """Copy an XLSX with one part changed and parts added (as an attacker would craft it)."""
    crafted = path.with_name("crafted-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == part else data)
        for name, data in (added or {}).items():
            target.writestr(name, data)
    return crafted


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_binary_garbage_is_refused_in_dutch(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"onzin{suffix}"
    path.write_bytes(bytes(range(256)) * 64 + b"\x89PNG\x00\x01" * 100)
    with pytest.raises(InputError, match="niets geladen"):
        list(open_source(path).batches())


def test_a_list_or_struct_column_in_parquet_is_named_when_mapped_and_ignored_otherwise(
    tmp_path: Path,
) -> None:
    base = {name: ["x"] for name in ("allocation_id", "client_id", "birth_date", "law", "product_category")}
    pq.write_table(pa.table({**base, "start_date": [["2018-01-01"]]}), tmp_path / "lijst.parquet")
    with pytest.raises(InputError, match=r"Kolom .start_date. in lijst\.parquet is een lijst"):
        open_source(tmp_path / "lijst.parquet")
    pq.write_table(
        pa.table({**base, "start_date": ["2018-01-01"], "extra": [{"a": 1}]}), tmp_path / "s.parquet"
    )
    (batch,) = open_source(tmp_path / "s.parquet").batches()
    assert batch.canonical.column("start_date").to_pylist() == ["2018-01-01"]


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10) for i in range(8)
    )
    + b"]>"
)
EXTERNAL_ENTITY = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("doctype", [ENTITY_BOMB, EXTERNAL_ENTITY], ids=["entity-bomb", "external-entity"])
@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"])
def test_an_xlsx_with_a_dtd_is_refused_before_any_parser_reads_it(
    tmp_path: Path, doctype: bytes, part: str
) -> None:
    plain = canonical_workbook(tmp_path / "t.xlsx", [["T1", "C1", "1950-01-01", "WMO", "02", "2018-01-01"]])
    crafted = rewrite_part(
        plain, part, lambda xml: doctype + b"<!-- <a> -->" + re.sub(rb"^<\?xml[^>]*>", b"", xml)
    )
    with pytest.raises(InputError, match="DTD"):
        open_source(crafted)


def test_an_xlsx_part_that_unpacks_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "XLSX_PART_LIMIT", 1 << 20)
    plain = canonical_workbook(tmp_path / "t.xlsx", [["T1", "C1", "1950-01-01", "WMO", "02", "2018-01-01"]])
    padding = b"<!--" + b"x" * (4 << 20) + b"-->"  # 4 MiB that deflate to a few KiB
    crafted = rewrite_part(plain, "xl/styles.xml", lambda xml: xml + padding)
    assert crafted.stat().st_size < 100_000
    with pytest.raises(InputError, match="uitgepakt 4 MiB, meer dan de grens van 1 MiB"):
        open_source(crafted)


def test_a_shared_string_bomb_is_reported_per_row_in_bounded_memory(tmp_path: Path) -> None:
    """Every client cell points at one shared string of 1 MiB: read naively, 2,000 rows hold 2 GiB."""
    rows = [[f"T{n}", "C1", "1950-01-01", "WMO", "02", "2018-01-01"] for n in range(2_001)]
    plain = canonical_workbook(tmp_path / "t.xlsx", rows)
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    )
    strings += b"<si><t>" + b"x" * (1 << 20) + b"</t></si></sst>"
    with_strings = rewrite_part(
        plain,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
        {"xl/sharedStrings.xml": strings},
    )
    bomb = rewrite_part(
        with_strings,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rb'<c r="B(\d+)" t="inlineStr"><is><t>C1</t></is></c>',
            lambda m: (
                m.group(0) if m.group(1) in (b"1", b"2") else b'<c r="B%s" t="s"><v>0</v></c>' % m.group(1)
            ),
            xml,
        ),
    )
    assert bomb.stat().st_size < 200_000
    before = psutil.Process().memory_info().rss
    rejected: list[MalformedRow] = []
    loaded = sum(b.raw.num_rows for b in open_source(bomb).batches(on_malformed=rejected.extend))
    grown = psutil.Process().memory_info().rss - before
    assert (loaded, len(rejected)) == (1, 2_000)
    assert {m.code for m in rejected} == {"cell_too_long"} and max(len(m.text) for m in rejected) <= 200
    assert [m.row for m in rejected[:2]] == [3, 4]
    assert grown < 200 << 20


def test_crash_logs_are_private_and_never_collide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sdmonitor.cli import write_crash_log

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first, second = write_crash_log("Traceback 1"), write_crash_log("Traceback 2")
    assert first != second and first.parent == second.parent == tmp_path
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert first.read_text(encoding="utf-8") == "Traceback 1"


def test_a_bsn_on_a_line_with_a_stray_quote_is_never_echoed(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Toewijzingsnummer;BSN;Geboortedatum;Wet;Productcategorie;Aanbieder;Ingangsdatum\n"
        f"T1;{BSN_A};15-03-1950;Wmo;02;Zorg BV;01-01-2018\n"
        f'T2;{BSN_B};15-03-1950;Wmo;02;"t Hofje;01-01-2018\n'
        f"T3;{BSN_A};15-03-1950;Wmo;02;Zorg BV;01-02-2018\n",
        encoding="utf-8",
    )
    summary = load(warehouse, path)
    assert (summary.read, summary.loaded, summary.rejections) == (3, 2, {"unclosed_quote": 1})
    report = summary.report_path.read_text(encoding="utf-8-sig")
    assert BSN_B not in report and BSN_A not in report


def test_a_quote_in_a_title_row_swallows_nothing_and_is_no_data_row(tmp_path: Path) -> None:
    path = tmp_path / "titel.csv"
    path.write_text(
        '"Toewijzingen 2018 (export\nNummer;Klant;Geboren;Wet;Cat;Van\nT1;C1;19500315;Wmo;02;20180105\n',
        encoding="utf-8",
    )
    mapping_file = tmp_path / "m.yaml"
    mapping_file.write_text(
        "header_row: 2\ndate_formats: [YYYYMMDD]\ncolumns:\n  Nummer: allocation_id\n  Klant: client_id\n"
        "  Geboren: birth_date\n  Wet: law\n  Cat: product_category\n  Van: start_date\n",
        encoding="utf-8",
    )
    rejected: list[MalformedRow] = []
    source = open_source(path, read_mapping_file(mapping_file))
    batches = list(source.batches(on_malformed=rejected.extend))
    assert ([r for b in batches for r in b.rows.to_pylist()], rejected) == ([3], [])


def test_sixty_thousand_malformed_lines_are_read_in_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scaled-down 10.9: 30 MB of malformed lines. Peak growth was 52 MB (every line kept), now ~16 MB."""
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 256 << 10)
    short = "Zorg " * 100  # one field short: every line is malformed

    def write(path: Path, count: int) -> Path:
        with path.open("w", encoding="utf-8") as handle:
            handle.write(NL_HEADER + "\n")
            handle.writelines(f"T{n};C1;15-03-1950;Wmo;02;{short}\n" for n in range(count))
        return path

    counted = 0

    def count(lines: tuple[MalformedRow, ...]) -> None:
        nonlocal counted
        counted += len(lines)

    for _ in open_source(write(tmp_path / "warm.csv", 2_000)).batches(on_malformed=count):
        pass  # warm up pyarrow's pools and threads
    path = write(tmp_path / "bad.csv", 60_000)
    process = psutil.Process()
    base = peak = process.memory_info().rss
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.002):
            peak = max(peak, process.memory_info().rss)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for _ in open_source(path).batches(on_malformed=count):
            pass
    finally:
        done.set()
        sampler.join()
    assert counted == 62_000
    assert peak - base < 30 << 20
