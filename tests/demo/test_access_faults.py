"""The demo's faulty requests and deliveries files (issue 13): the Dutch layouts, each reason once, and the
real loaders report every listed row with its reason and nothing else."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

from sdmonitor.demo import extraction_date
from sdmonitor.demo.access_faults import (
    DELIVERY_HEADERS,
    DELIVERY_REJECTIONS,
    DELIVERY_WARNINGS,
    REQUEST_HEADERS,
    REQUEST_REJECTIONS,
    REQUEST_WARNINGS,
)
from sdmonitor.loading import (
    DELIVERY_TABLE,
    REQUEST_TABLE,
    FileKind,
    LoadOptions,
    load_allocations,
    load_table,
)
from sdmonitor.warehouse import Warehouse
from tests.conftest import KEY
from tests.demo.helpers import Run, read_csv_rows
from tests.demo.test_faulty_file import eleven_check

EXTRACTED = extraction_date(2024)
NOW = datetime(2025, 1, 7, 12)


def _check(
    warehouse: Warehouse,
    run: Run,
    table: FileKind,
    path: Path | None,
    expected_path: Path | None,
    reasons_wanted: tuple[tuple[str, ...], tuple[str, ...]],
    duplicate: str,
    layout: str,
    tmp_path: Path,
) -> None:
    assert path is not None and expected_path is not None
    rejections, warnings = reasons_wanted
    expected = read_csv_rows(expected_path)
    reasons = Counter(row["verwachte_reden"] for row in expected)
    assert reasons == Counter({**dict.fromkeys(rejections + warnings, 1), duplicate: 2})
    for number in re.findall(r"(?<!\d)\d{8,9}(?!\d)", path.read_text(encoding="utf-8")):
        assert not eleven_check(number.zfill(9)) or number.startswith("9999"), number
    options = LoadOptions(source="demo", pseudonym_key=KEY, extracted_on=EXTRACTED)
    load_allocations(warehouse, run.files.allocations[0], options, now=NOW)
    report = tmp_path / "rapport.csv"
    options = LoadOptions(source="demo", pseudonym_key=KEY, extracted_on=EXTRACTED, report_path=report)
    summary = load_table(warehouse, path, options, table, now=NOW)
    assert summary.mapping == layout
    with report.open(encoding="utf-8-sig") as handle:
        reported = {row["rij"]: row["reden"].split(";") for row in csv.DictReader(handle, delimiter=";")}
    for row in expected:
        assert row["verwachte_reden"] in reported.get(row["rij"], []), (row, reported.get(row["rij"]))
    assert summary.rejected == sum(n for reason, n in reasons.items() if reason in rejections)
    assert set(reported) == {row["rij"] for row in expected}  # the valid rows load without a remark
    assert summary.loaded + summary.unchanged == summary.read - summary.rejected > 50


def test_the_faulty_requests_file_has_each_reason_once_and_the_loader_reports_it(
    warehouse: Warehouse, municipality: Run, tmp_path: Path
) -> None:
    files = municipality.files
    assert files.requests_faulty is not None and files.requests_faulty.name == "aanvragen_fouten.csv"
    header = files.requests_faulty.read_text(encoding="utf-8").splitlines()[0]
    assert header == ";".join(REQUEST_HEADERS.values())
    assert {row["Wet"] for row in read_csv_rows(files.requests_faulty, delimiter=";")} >= {"Wmo", "Jeugdwet"}
    _check(
        warehouse,
        municipality,
        REQUEST_TABLE,
        files.requests_faulty,
        files.requests_faulty_expected,
        (REQUEST_REJECTIONS, REQUEST_WARNINGS),
        "duplicate_request_id",
        "nl-aanvragen",
        tmp_path,
    )


def test_the_faulty_deliveries_file_has_each_reason_once_and_the_loader_reports_it(
    warehouse: Warehouse, municipality: Run, tmp_path: Path
) -> None:
    files = municipality.files
    assert files.deliveries_faulty is not None and files.deliveries_faulty.name == "leveringen_fouten.csv"
    header = files.deliveries_faulty.read_text(encoding="utf-8").splitlines()[0]
    assert header == ";".join(DELIVERY_HEADERS.values())
    _check(
        warehouse,
        municipality,
        DELIVERY_TABLE,
        files.deliveries_faulty,
        files.deliveries_faulty_expected,
        (DELIVERY_REJECTIONS, DELIVERY_WARNINGS),
        "duplicate_delivery",
        "nl-leveringen",
        tmp_path,
    )
