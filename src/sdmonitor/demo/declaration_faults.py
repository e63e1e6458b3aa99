"""The Dutch-layout declarations file with faulty rows (``declaraties_fouten.csv``) and its expected reasons.

A finance export in the ``nl-declaraties`` layout (semicolons, decimal comma, dates DD-MM-JJJJ): valid
approved lines of the demo municipality under their own numbers, plus one row for each reason a loader must
report, once: the rejections first (one broken field each; ``duplicate_declaration_id`` is a pair of rows with
the same number and different content, both rejected), then the warnings (rows that load;
``negative_amount_as_credit`` follows the debit it corrects, so that it is no credit without debit). The sidecar
``declaraties_fouten_verwacht.csv`` lists per spreadsheet row (header = row 1) the reason code. No BSNs:
clients are identified by their client number.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sdmonitor.domain.wording import law_name

FAULTY_DECLARATIONS_FILE = "declaraties_fouten.csv"
EXPECTED_DECLARATIONS_FILE = "declaraties_fouten_verwacht.csv"
VALID_ROWS = 200
HEADERS = (
    ("declaration_id", "Referentienummer"),
    ("allocation_id", "Toewijzingsnummer"),
    ("bsn", "BSN"),
    ("client_id", "Cliëntnummer"),
    ("law", "Wet"),
    ("product_category", "Productcategorie"),
    ("product_code", "Productcode"),
    ("provider_code", "AGB-code"),
    ("period_start", "Begindatum"),
    ("period_end", "Einddatum"),
    ("volume", "Volume"),
    ("unit", "Eenheid"),
    ("amount", "Bedrag"),
    ("debit_credit", "Debet/Credit"),
    ("status", "Status"),
    ("submitted_on", "Dagtekening"),
    ("delivery_form", "Leveringsvorm"),
)
REJECTIONS = (
    "missing_declaration_id",
    "duplicate_declaration_id",
    "missing_client",
    "missing_law",
    "invalid_law",
    "missing_product_category",
    "missing_period_start",
    "missing_period_end",
    "period_end_before_start",
    "missing_amount",
    "invalid_amount",
    "negative_credit_amount",
    "invalid_debit_credit",
    "invalid_status",
    "submitted_after_extraction",
)
WARNINGS = (
    "negative_amount_as_credit",
    "amount_implausible",
    "submitted_before_delivery",
    "negative_volume",
    "unknown_allocation",
    "credit_without_debit",
)
UNKNOWN_ALLOCATION = "9901999999999"  # thirteen digits: never read as a BSN


@dataclass(frozen=True)
class FaultyDeclarations:
    """What was written: the file, its sidecar, its data rows and the rows a loader must reject."""

    path: Path
    expected: Path
    rows: int
    bad_rows: int


def write_faulty_declarations(
    out_dir: Path, approved: pa.Table, extraction: date, rng: np.random.Generator
) -> FaultyDeclarations:
    """Write the file from approved debit lines (canonical columns) that name their allocation."""
    picks = np.sort(rng.choice(approved.num_rows, size=min(VALID_ROWS, approved.num_rows), replace=False))
    lines: list[dict[str, Any]] = approved.take(pa.array(picks)).to_pylist()
    if len(lines) < len(REJECTIONS) + len(WARNINGS) + 2:
        raise ValueError("not enough approved lines for the faulty declarations file")
    for number, line in enumerate(lines, start=1):
        line["declaration_id"] = f"{line['declaration_id'][:4]}F{number:010d}"
    rows = [_dutch(line) for line in lines]
    reasons = [""] * len(rows)
    order = [int(i) for i in rng.permutation(len(rows))]
    spread = [i for i in order if lines[i]["period_start"] < lines[i]["period_end"]]
    taken: set[int] = set()

    def take(candidates: list[int]) -> int:
        index = next(i for i in candidates if i not in taken)
        taken.add(index)
        return index

    debits: dict[int, dict[str, str]] = {}
    for reason in (*REJECTIONS, *WARNINGS):
        index = take(spread if reason == "period_end_before_start" else order)
        if reason == "negative_amount_as_credit":  # a signed ledger correction of a debit in the file
            debits[index] = dict(rows[index])
        _corrupt(rows[index], lines[index], reason, extraction)
        reasons[index] = reason
    for index in sorted(debits, reverse=True):
        rows.insert(index, debits[index])
        reasons.insert(index, "")
    # the other row of the duplicate pair: the same number at the same provider, another amount
    first = reasons.index("duplicate_declaration_id")
    twin = dict(rows[first])
    twin["Bedrag"] = _decimal(float(lines[first]["amount"]) + 10.0)
    rows.insert(first + 1, twin)
    reasons.insert(first + 1, "duplicate_declaration_id")
    path = out_dir / FAULTY_DECLARATIONS_FILE
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow([header for _, header in HEADERS])
        for row in rows:
            writer.writerow([row[header] for _, header in HEADERS])
    expected = out_dir / EXPECTED_DECLARATIONS_FILE
    with expected.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["rij", "verwachte_reden"])
        for position, reason in enumerate(reasons):
            if reason:
                writer.writerow([position + 2, reason])
    bad = sum(reason in REJECTIONS for reason in reasons)
    return FaultyDeclarations(path, expected, len(rows), bad)


def _dutch(line: dict[str, Any]) -> dict[str, str]:
    """A canonical line in the nl-declaraties layout."""
    row: dict[str, str] = {}
    for name, header in HEADERS:
        value = line[name]
        if value is None:
            row[header] = ""
        elif isinstance(value, date):
            row[header] = f"{value:%d-%m-%Y}"
        elif name in ("volume", "amount"):
            row[header] = _decimal(float(value))
        elif name == "law":
            row[header] = law_name(value)
        else:
            row[header] = str(value)
    return row


def _decimal(value: float) -> str:
    """Two decimals with a decimal comma: 1234.5 -> '1234,50'."""
    return f"{value:.2f}".replace(".", ",")


def _corrupt(row: dict[str, str], line: dict[str, Any], reason: str, extraction: date) -> None:
    """Break the one field ``reason`` is about."""
    start: date = line["period_start"]
    end: date = line["period_end"]
    edits: dict[str, dict[str, str]] = {
        "missing_declaration_id": {"Referentienummer": ""},
        "duplicate_declaration_id": {},
        "missing_client": {"Cliëntnummer": "", "BSN": ""},
        "missing_law": {"Wet": ""},
        "invalid_law": {"Wet": "Wlz"},
        "missing_product_category": {"Productcategorie": ""},
        "missing_period_start": {"Begindatum": ""},
        "missing_period_end": {"Einddatum": ""},
        "period_end_before_start": {"Begindatum": f"{end:%d-%m-%Y}", "Einddatum": f"{start:%d-%m-%Y}"},
        "missing_amount": {"Bedrag": ""},
        "invalid_amount": {"Bedrag": "twaalf euro"},
        "negative_credit_amount": {"Bedrag": "-" + row["Bedrag"], "Debet/Credit": "C"},
        "invalid_debit_credit": {"Debet/Credit": "X"},
        "invalid_status": {"Status": "betaald"},
        "submitted_after_extraction": {"Dagtekening": f"{extraction + timedelta(days=10):%d-%m-%Y}"},
        "negative_amount_as_credit": {"Bedrag": "-" + row["Bedrag"], "Debet/Credit": ""},
        "amount_implausible": {"Bedrag": "1250000,00"},
        "submitted_before_delivery": {"Dagtekening": f"{start - timedelta(days=5):%d-%m-%Y}"},
        "negative_volume": {"Volume": "-3"},
        "unknown_allocation": {"Toewijzingsnummer": UNKNOWN_ALLOCATION},
        "credit_without_debit": {"Debet/Credit": "C"},
    }
    row.update(edits[reason])
