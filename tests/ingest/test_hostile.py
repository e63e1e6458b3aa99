"""Hostile and broken input files: every physical line is loaded or reported on its own, in bounded memory."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from sdmonitor.ingest import readers
from sdmonitor.ingest.readers import MalformedRow, open_source
from sdmonitor.loading import LoadOptions, LoadSummary, load_allocations
from sdmonitor.warehouse import Warehouse
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
