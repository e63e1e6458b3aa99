"""The Dutch-layout requests and deliveries files with faulty rows (``aanvragen_fouten.csv``,
``leveringen_fouten.csv``) and their expected reasons (issue 13).

Exports of the registration system in the ``nl-aanvragen`` and ``nl-leveringen`` layouts (semicolons, dates
DD-MM-JJJJ, the law as ``Wmo``/``Jeugdwet``): 200 valid rows each, taken from the demo's own requests and
deliveries of the first chunk (requests under their own numbers, ``F`` + the number; deliveries as they are,
so that they name real allocations), plus one row for each reason ``sdm load requests`` or ``sdm load
deliveries`` must report, once: the rejections (one broken field each; the duplicate is a pair of rows with the
same key and different content, both rejected), then the warnings that a row shows by itself (not those
against the allocation). The sidecars ``aanvragen_fouten_verwacht.csv`` and ``leveringen_fouten_verwacht.csv``
list per spreadsheet row (header = row 1) the reason code. Load them after the allocations, with their source
(``--source demo``) and ``--extracted-on 2025-01-06``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.demo.benefit_faults import FaultyExport, pick_rows, write_faulty_export
from sdmonitor.demo.faults import fictional_bsns
from sdmonitor.domain.wording import law_name
from sdmonitor.ingest.columns import DELIVERY_COLUMNS, NL_DELIVERIES, NL_REQUESTS, REQUEST_COLUMNS

FAULTY_REQUESTS_FILE = "aanvragen_fouten.csv"
EXPECTED_REQUESTS_FILE = "aanvragen_fouten_verwacht.csv"
FAULTY_DELIVERIES_FILE = "leveringen_fouten.csv"
EXPECTED_DELIVERIES_FILE = "leveringen_fouten_verwacht.csv"
VALID_ROWS = 200  # up to; a small demo has fewer rows in its first chunk
MIN_ROWS = 60
REQUEST_HEADERS = {c.name: NL_REQUESTS.source_header(c.name) for c in REQUEST_COLUMNS}
DELIVERY_HEADERS = {c.name: NL_DELIVERIES.source_header(c.name) for c in DELIVERY_COLUMNS}
REQUEST_REJECTIONS = (
    "missing_request_id",
    "duplicate_request_id",
    "missing_client",
    "invalid_bsn",
    "missing_law",
    "invalid_request_law",
    "missing_kind",
    "invalid_kind",
    "missing_received_on",
    "invalid_received_on",
    "received_after_extraction",
    "invalid_decided_on",
    "decided_before_received",
    "invalid_outcome",
    "invalid_suspended_days",
    "invalid_extended_days",
)
REQUEST_WARNINGS = (
    "received_implausible",
    "decided_after_extraction",
    "outcome_without_decision",
    "decision_without_outcome",
    "suspension_exceeds_duration",
    "extension_exceeds_term",
    "invalid_plan_on",
    "plan_after_extraction",
    "invalid_request_birth_date",
    "unknown_product_category",
)
DELIVERY_REJECTIONS = (
    "missing_allocation_id",
    "missing_delivery_start",
    "invalid_delivery_start",
    "invalid_delivery_end",
    "delivery_end_before_start",
    "duplicate_delivery",
)
DELIVERY_WARNINGS = (
    "start_after_extraction",
    "invalid_reported_on",
    "reported_before_start",
    "end_reason_without_end_date",
    "delivery_unknown_allocation",
)
UNKNOWN_ALLOCATION = "9901999999999"  # thirteen digits: never read as a BSN
_DECIDED_AANVRAAG = {
    "invalid_outcome",
    "outcome_without_decision",
    "decision_without_outcome",
    "decided_after_extraction",
    "extension_exceeds_term",
}


@dataclass(frozen=True)
class FaultyAccess:
    """The two files written."""

    requests: FaultyExport
    deliveries: FaultyExport


def write_faulty_access(
    out_dir: Path, requests: pa.Table, deliveries: pa.Table, extraction: date, rng: np.random.Generator
) -> FaultyAccess:
    """Write both files from one chunk's requests and deliveries (canonical columns)."""
    return FaultyAccess(
        _faulty_requests(out_dir, requests, extraction, rng),
        _faulty_deliveries(out_dir, deliveries, extraction, rng),
    )


def _dutch(record: dict[str, Any], headers: dict[str, str]) -> dict[str, str]:
    row: dict[str, str] = {}
    for name, header in headers.items():
        value = record[name]
        if value is None:
            row[header] = ""
        elif isinstance(value, date):
            row[header] = f"{value:%d-%m-%Y}"
        elif name == "law":
            row[header] = law_name(value)
        else:
            row[header] = str(value)
    return row


def _sample(table: pa.Table, keep: pa.Array, rng: np.random.Generator) -> list[dict[str, Any]]:
    candidates = table.filter(keep)
    if candidates.num_rows < MIN_ROWS:
        raise ValueError(f"need {MIN_ROWS} rows for a faulty file, have {candidates.num_rows}")
    size = min(VALID_ROWS, candidates.num_rows)
    picks = np.sort(rng.choice(candidates.num_rows, size=size, replace=False))
    rows: list[dict[str, Any]] = candidates.take(pa.array(picks)).to_pylist()
    return rows


def _faulty_requests(
    out_dir: Path, requests: pa.Table, extraction: date, rng: np.random.Generator
) -> FaultyExport:
    """Decided requests of the chunk under their own numbers, one row broken per reason."""
    records = _sample(requests, pc.is_valid(requests["decided_on"]), rng)
    for record in records:
        record["request_id"] = "F" + str(record["request_id"])
    rows = [_dutch(record, REQUEST_HEADERS) for record in records]
    bsn = fictional_bsns(rng, 1)[0]

    def fits(reason: str, index: int) -> bool:
        record = records[index]
        if reason in _DECIDED_AANVRAAG:
            return record["kind"] == "aanvraag" and record["outcome"] is not None
        if reason in {"invalid_plan_on", "plan_after_extraction"}:
            return record["plan_on"] is None
        return True

    order = [int(i) for i in rng.permutation(len(rows))]
    chosen = pick_rows(order, REQUEST_REJECTIONS + REQUEST_WARNINGS, fits)
    reasons = [""] * len(rows)
    for reason, index in chosen.items():
        _corrupt_request(rows[index], records[index], reason, extraction, bsn)
        reasons[index] = reason
    first = chosen["duplicate_request_id"]
    twin = dict(rows[first])
    twin["Team"] = "Wijkteam Noord" if twin["Team"] != "Wijkteam Noord" else "Wijkteam Zuid"
    rows.insert(first + 1, twin)
    reasons.insert(first + 1, "duplicate_request_id")
    path, expected = out_dir / FAULTY_REQUESTS_FILE, out_dir / EXPECTED_REQUESTS_FILE
    write_faulty_export(path, expected, tuple(REQUEST_HEADERS.values()), rows, reasons)
    return FaultyExport(path, expected, len(rows), sum(r in REQUEST_REJECTIONS for r in reasons))


def _corrupt_request(
    row: dict[str, str], record: dict[str, Any], reason: str, extraction: date, bsn: str
) -> None:
    """Break the one field ``reason`` is about."""
    received: date = record["received_on"]
    decided: date = record["decided_on"]
    year = received.year
    edits: dict[str, dict[str, str]] = {
        "missing_request_id": {"Nummer": ""},
        "duplicate_request_id": {},
        "missing_client": {"Cliëntnummer": "", "BSN": ""},
        "invalid_bsn": {"Cliëntnummer": "", "BSN": bsn[:8] + str((int(bsn[8]) + 1) % 10)},
        "missing_law": {"Wet": ""},
        "invalid_request_law": {"Wet": "Wlz"},
        "missing_kind": {"Soort": ""},
        "invalid_kind": {"Soort": "klacht"},
        "missing_received_on": {"Ontvangstdatum": ""},
        "invalid_received_on": {"Ontvangstdatum": f"31-02-{year}"},
        "received_after_extraction": {
            "Ontvangstdatum": f"{extraction + timedelta(days=10):%d-%m-%Y}",
            "Besluitdatum": "",
            "Uitkomst": "",
        },
        "invalid_decided_on": {"Besluitdatum": f"30-02-{year}"},
        "decided_before_received": {"Besluitdatum": f"{received - timedelta(days=5):%d-%m-%Y}"},
        "invalid_outcome": {"Uitkomst": "goedgekeurd"},
        "invalid_suspended_days": {"Opgeschorte dagen": "-3"},
        "invalid_extended_days": {"Verdaagde dagen": "twee"},
        "received_implausible": {"Ontvangstdatum": "15-03-1999"},
        "decided_after_extraction": {"Besluitdatum": f"{extraction + timedelta(days=14):%d-%m-%Y}"},
        "outcome_without_decision": {"Besluitdatum": ""},
        "decision_without_outcome": {"Uitkomst": ""},
        "suspension_exceeds_duration": {"Opgeschorte dagen": str((decided - received).days + 30)},
        "extension_exceeds_term": {"Verdaagde dagen": "200"},
        "invalid_plan_on": {"Datum ondersteuningsplan": f"31-11-{year}"},
        "plan_after_extraction": {"Datum ondersteuningsplan": f"{extraction + timedelta(days=30):%d-%m-%Y}"},
        "invalid_request_birth_date": {"Geboortedatum": "31-04-1980"},
        "unknown_product_category": {"Productcategorie": "99"},
    }
    row.update(edits[reason])


def _faulty_deliveries(
    out_dir: Path, deliveries: pa.Table, extraction: date, rng: np.random.Generator
) -> FaultyExport:
    """Deliveries of the chunk as they are, one row broken per reason."""
    records = _sample(deliveries, pa.array(np.ones(deliveries.num_rows, dtype=bool)), rng)
    # one delivery per allocation, so that a changed start makes no restart or overlap with another row
    seen: set[str] = set()
    unique = []
    for record in records:
        if record["allocation_id"] not in seen:
            seen.add(record["allocation_id"])
            unique.append(record)
    records = unique
    rows = [_dutch(record, DELIVERY_HEADERS) for record in records]

    def fits(reason: str, index: int) -> bool:
        ended = records[index]["end_date"] is not None
        if reason in {"invalid_delivery_end"}:
            return ended
        if reason in {"start_after_extraction", "end_reason_without_end_date"}:
            return not ended
        return True

    order = [int(i) for i in rng.permutation(len(rows))]
    chosen = pick_rows(order, DELIVERY_REJECTIONS + DELIVERY_WARNINGS, fits)
    reasons = [""] * len(rows)
    for reason, index in chosen.items():
        _corrupt_delivery(rows[index], records[index], reason, extraction)
        reasons[index] = reason
    first = chosen["duplicate_delivery"]
    twin = dict(rows[first])
    reported: date = records[first]["reported_on"] or records[first]["start_date"]
    twin["Datum melding"] = f"{reported + timedelta(days=1):%d-%m-%Y}"
    rows.insert(first + 1, twin)
    reasons.insert(first + 1, "duplicate_delivery")
    path, expected = out_dir / FAULTY_DELIVERIES_FILE, out_dir / EXPECTED_DELIVERIES_FILE
    write_faulty_export(path, expected, tuple(DELIVERY_HEADERS.values()), rows, reasons)
    return FaultyExport(path, expected, len(rows), sum(r in DELIVERY_REJECTIONS for r in reasons))


def _corrupt_delivery(row: dict[str, str], record: dict[str, Any], reason: str, extraction: date) -> None:
    """Break the one field ``reason`` is about."""
    start: date = record["start_date"]
    edits: dict[str, dict[str, str]] = {
        "missing_allocation_id": {"Toewijzingsnummer": ""},
        "missing_delivery_start": {"Begindatum": ""},
        "invalid_delivery_start": {"Begindatum": f"31-06-{start.year}"},
        "invalid_delivery_end": {"Einddatum": f"30-02-{start.year + 1}"},
        "delivery_end_before_start": {"Einddatum": f"{start - timedelta(days=3):%d-%m-%Y}"},
        "duplicate_delivery": {},
        "start_after_extraction": {
            "Begindatum": f"{extraction + timedelta(days=10):%d-%m-%Y}",
            "Datum melding": "",
        },
        "invalid_reported_on": {"Datum melding": f"31-09-{start.year}"},
        "reported_before_start": {"Datum melding": f"{start - timedelta(days=3):%d-%m-%Y}"},
        "end_reason_without_end_date": {"Reden beëindiging": "02"},
        "delivery_unknown_allocation": {"Toewijzingsnummer": UNKNOWN_ALLOCATION},
    }
    row.update(edits[reason])
