"""The Dutch-layout benefits file with faulty rows (``uitkeringen_fouten.csv``) and its expected reasons.

An export of another income system in the ``nl-uitkeringen`` layout (semicolons, dates DD-MM-JJJJ), whose
persons are identified by fictional BSN only (``bsn_aanvrager``, ``bsn_partner``; 9999xxxxx passing the
11-check): valid benefits of extra fictional residents, plus one row for each reason ``sdm load benefits``
must report, once: the rejections first (one broken field each; ``duplicate_benefit_id`` is a pair of rows with
the same number and different content, both rejected), then the warnings (rows that load). The sidecar
``uitkeringen_fouten_verwacht.csv`` lists per spreadsheet row (header = row 1) the reason code, as
``faults.py`` and ``declaration_faults.py`` do. Load it with its own source (``--source demo-export``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sdmonitor.demo.benefits import DUTCH_BENEFIT_HEADERS, to_dutch
from sdmonitor.demo.faults import fictional_bsns

FAULTY_BENEFITS_FILE = "uitkeringen_fouten.csv"
EXPECTED_BENEFITS_FILE = "uitkeringen_fouten_verwacht.csv"
VALID_ROWS = 200  # up to; fewer when the years are few
MIN_ROWS = 60
REJECTIONS = (
    "missing_benefit_id",
    "duplicate_benefit_id",
    "missing_client",
    "invalid_bsn",
    "invalid_partner_bsn",
    "missing_birth_date",
    "invalid_birth_date",
    "birth_date_out_of_range",
    "invalid_regulation",
    "missing_start_date",
    "invalid_start_date",
    "invalid_end_date",
    "end_before_start",
)
WARNINGS = (
    "partner_is_applicant",
    "partner_fields_without_partner",
    "missing_partner_birth_date",
    "invalid_partner_birth_date",
    "partner_birth_date_out_of_range",
    "invalid_partner_gender",
    "invalid_household_type",
    "invalid_cost_sharers",
    "unknown_inflow_reason",
    "unknown_outflow_reason",
    "outflow_reason_without_end_date",
    "invalid_gender",
    "start_date_implausible",
)
_COUPLE = "Gehuwden/samenwonenden"
_NEEDS_COUPLE = {
    "invalid_partner_bsn",
    "partner_is_applicant",
    "missing_partner_birth_date",
    "invalid_partner_birth_date",
    "partner_birth_date_out_of_range",
    "invalid_partner_gender",
}
_NEEDS_SINGLE = {"partner_fields_without_partner"}
_NEEDS_END = {"unknown_outflow_reason", "end_before_start"}
_NEEDS_RUNNING = {"outflow_reason_without_end_date"}


@dataclass(frozen=True)
class FaultyExport:
    """What was written: the file, its sidecar, its data rows and the rows a loader must reject."""

    path: Path
    expected: Path
    rows: int
    bad_rows: int


def write_faulty_export(
    path: Path, expected: Path, headers: tuple[str, ...], rows: list[dict[str, str]], reasons: list[str]
) -> None:
    """Write a Dutch export (semicolons, CRLF as Excel writes it) and its sidecar ``rij,verwachte_reden``."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row[header] for header in headers])
    with expected.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["rij", "verwachte_reden"])
        for position, reason in enumerate(reasons):
            if reason:
                writer.writerow([position + 2, reason])


def pick_rows(
    order: list[int], reasons_wanted: tuple[str, ...], fits: Callable[[str, int], bool]
) -> dict[str, int]:
    """Per reason one row index from ``order`` that ``fits(reason, index)``, each row used once."""
    taken: set[int] = set()
    chosen: dict[str, int] = {}
    for reason in reasons_wanted:
        index = next(i for i in order if i not in taken and fits(reason, i))
        taken.add(index)
        chosen[reason] = index
    return chosen


def write_faulty_benefits(out_dir: Path, benefits: pa.Table, rng: np.random.Generator) -> FaultyExport:
    """Write the file from generated benefits (canonical columns) of extra residents; their client numbers
    become fictional BSNs (the same person keeps one BSN)."""
    if benefits.num_rows < MIN_ROWS:
        raise ValueError(f"need {MIN_ROWS} benefits for the faulty file, got {benefits.num_rows}")
    size = min(VALID_ROWS, benefits.num_rows)
    picks = np.sort(rng.choice(benefits.num_rows, size=size, replace=False))
    table = benefits.take(pa.array(picks))
    people = sorted({str(v) for v in table["client_id"].to_pylist() + table["partner_id"].to_pylist() if v})
    bsn_of = dict(zip(people, fictional_bsns(rng, len(people)), strict=True))
    rows: list[dict[str, str]] = []
    for record in to_dutch(table, DUTCH_BENEFIT_HEADERS).to_pylist():
        row = {header: str(value or "") for header, value in record.items()}
        row["bsn_aanvrager"] = bsn_of[row.pop("clientnummer_aanvrager")]
        partner = row.pop("clientnummer_partner")
        row["bsn_partner"] = bsn_of[partner] if partner else ""
        rows.append(row)
    headers = tuple(h for h in DUTCH_BENEFIT_HEADERS.values() if not h.startswith("clientnummer"))
    for number, row in enumerate(rows, start=1):
        row["uitkeringsnummer"] = f"{row['uitkeringsnummer'][:4]}F{number:010d}"
    reasons = [""] * len(rows)

    def fits(reason: str, index: int) -> bool:
        row = rows[index]
        couple = row["leefvorm"] == _COUPLE
        if reason in _NEEDS_COUPLE:
            return couple
        if reason in _NEEDS_SINGLE:
            return not couple and not row["bsn_partner"]
        if reason in _NEEDS_END:
            return bool(row["einddatum"]) and row["einddatum"] != row["ingangsdatum"]
        if reason in _NEEDS_RUNNING:
            return not row["einddatum"]
        return not couple  # the others on a single's benefit, so no partner warning joins them

    chosen = pick_rows([int(i) for i in rng.permutation(len(rows))], REJECTIONS + WARNINGS, fits)
    for reason, index in chosen.items():
        _corrupt(rows[index], reason)
        reasons[index] = reason
    # the other row of the duplicate pair: the same number, another inflow reason
    first = chosen["duplicate_benefit_id"]
    twin = dict(rows[first])
    twin["reden_instroom"] = "98" if twin["reden_instroom"] != "98" else "11"
    rows.insert(first + 1, twin)
    reasons.insert(first + 1, "duplicate_benefit_id")
    path = out_dir / FAULTY_BENEFITS_FILE
    expected = out_dir / EXPECTED_BENEFITS_FILE
    write_faulty_export(path, expected, headers, rows, reasons)
    return FaultyExport(path, expected, len(rows), sum(reason in REJECTIONS for reason in reasons))


def _corrupt(row: dict[str, Any], reason: str) -> None:
    """Break the one field ``reason`` is about."""
    _, month, start_year = row["ingangsdatum"].split("-")
    edits: dict[str, dict[str, str]] = {
        "missing_benefit_id": {"uitkeringsnummer": ""},
        "duplicate_benefit_id": {},
        "missing_client": {"bsn_aanvrager": ""},
        "invalid_bsn": {"bsn_aanvrager": _off_by_one(row["bsn_aanvrager"])},
        "invalid_partner_bsn": {"bsn_partner": _off_by_one(row["bsn_partner"])},
        "missing_birth_date": {"geboortedatum": ""},
        "invalid_birth_date": {"geboortedatum": "31-02-1975"},
        "birth_date_out_of_range": {"geboortedatum": "01-01-1850"},
        "invalid_regulation": {"regeling": "WW"},
        "missing_start_date": {"ingangsdatum": ""},
        "invalid_start_date": {"ingangsdatum": f"31-06-{start_year}"},
        "invalid_end_date": {"einddatum": f"30-02-{start_year}"},
        "end_before_start": {"einddatum": f"01-{month}-{int(start_year) - 1}"},
        "partner_is_applicant": {"bsn_partner": row["bsn_aanvrager"]},
        "partner_fields_without_partner": {"geboortedatum_partner": "12-05-1979"},
        "missing_partner_birth_date": {"geboortedatum_partner": ""},
        "invalid_partner_birth_date": {"geboortedatum_partner": "31-04-1981"},
        "partner_birth_date_out_of_range": {"geboortedatum_partner": "01-01-1890"},
        "invalid_partner_gender": {"geslacht_partner": "X"},
        "invalid_household_type": {"leefvorm": "Woongroep"},
        "invalid_cost_sharers": {"aantal_kostendelers": "twee"},
        "unknown_inflow_reason": {"reden_instroom": "A7"},
        "unknown_outflow_reason": {"reden_uitstroom": "Z9"},
        "outflow_reason_without_end_date": {"reden_uitstroom": "11"},
        "invalid_gender": {"geslacht": "9"},
        "start_date_implausible": {"ingangsdatum": f"01-{month}-1998"},
    }
    row.update(edits[reason])


def _off_by_one(bsn: str) -> str:
    """A BSN with its last digit one higher: it fails the 11-check ('999900067' -> '999900068')."""
    return bsn[:8] + str((int(bsn[8]) + 1) % 10) if len(bsn) == 9 else bsn
