"""The Dutch-layout file with faulty rows (``toewijzingen_fouten.csv``) and its list of expected reasons.

The file looks like a municipal export (semicolon separated, decimal comma, dates DD-MM-YYYY, headers from
``NL_EXPORT``): mostly valid allocations of extra fictional clients identified by BSN, plus rows that
break one loading rule each, rows that only deserve a warning and a few exact duplicates. The sidecar
``toewijzingen_fouten_verwacht.csv`` lists, per spreadsheet row (header = row 1), the reason code a
loader should report. A broken field can bring a second warning with it (a birth date in 2090 also lies
after the start date); the listed code is the one the row was made for.

BSNs are fictional: 9-digit numbers starting with 9999 that pass the 11-check. The generator never writes
a BSN outside that range, and the main allocation file holds no BSN at all.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa

from sdmonitor.domain.allocations import COLUMN_NAMES
from sdmonitor.domain.wording import law_name
from sdmonitor.ingest.columns import NL_EXPORT

FAULTY_FILE = "toewijzingen_fouten.csv"
EXPECTED_FILE = "toewijzingen_fouten_verwacht.csv"
BSN_PREFIX = "9999"
BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)

HARD_REASONS = (
    "missing_allocation_id",
    "missing_client",
    "invalid_bsn",
    "missing_birth_date",
    "invalid_birth_date",
    "birth_date_out_of_range",
    "missing_law",
    "invalid_law",
    "missing_product_category",
    "missing_start_date",
    "invalid_start_date",
    "invalid_end_date",
    "end_before_start",
)
WARNING_REASONS = (
    "unknown_product_code",
    "age_implausible_for_law",
    "volume_without_unit",
    "invalid_gender",
)
DUPLICATE_REASON = "duplicate"

# Columns of the Dutch export: every canonical column except the client number, under its first header.
DUTCH_COLUMNS = tuple(name for name in COLUMN_NAMES if name != "client_id")
DUTCH_HEADERS = tuple(NL_EXPORT.source_header(name) for name in DUTCH_COLUMNS)


@dataclass(frozen=True)
class FaultyFile:
    """What was written: the file, its sidecar, all data rows and the rows a loader must reject."""

    path: Path
    expected: Path
    rows: int
    bad_rows: int


def is_valid_bsn(value: str) -> bool:
    """Whether a BSN passes the 11-check: 9 digits, weights 9..2 and -1, sum divisible by 11."""
    if len(value) != 9 or not value.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, BSN_WEIGHTS, strict=True))
    return total % 11 == 0


@cache
def _bsn_pool() -> tuple[str, ...]:
    """Every fictional BSN: 9999 followed by five digits, passing the 11-check (about 9,000)."""
    candidates = (f"{BSN_PREFIX}{number:05d}" for number in range(100_000))
    return tuple(candidate for candidate in candidates if is_valid_bsn(candidate))


def fictional_bsns(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` distinct fictional BSNs: 9999 followed by five digits, passing the 11-check."""
    pool = _bsn_pool()
    if count > len(pool):
        raise ValueError(f"only {len(pool)} fictional BSNs exist, {count} requested")
    picks = rng.choice(len(pool), size=count, replace=False)
    return [pool[int(i)] for i in picks]


def faulty_row_count(total_inhabitants: int) -> int:
    """Rows in the faulty file: 500 for a small municipality, up to 2,000 for a large region."""
    return min(2_000, max(500, 500 + total_inhabitants // 200))


def write_faulty_file(out_dir: Path, source: pa.Table, rows: int, rng: np.random.Generator) -> FaultyFile:
    """Write the faulty file from generated allocations (canonical columns) of extra clients.

    ``source`` must hold enough allocations of Jeugdwet clients under 18 and of Wmo clients; rows of the
    same client are kept together and the client gets a fictional BSN.
    """
    n_duplicates = 2 + rows // 1_000
    n_bad = max(3 * len(HARD_REASONS), round(0.07 * rows))
    n_warn = len(WARNING_REASONS) * max(2, rows // 250)
    n_base = rows - n_duplicates
    base = _valid_rows(source, n_base, rng)
    reasons: list[str] = [""] * n_base
    order = rng.permutation(n_base)
    jeugd = [int(i) for i in order if base[int(i)]["Wet"] == "Jeugdwet"]
    wmo = [int(i) for i in order if base[int(i)]["Wet"] == "Wmo"]
    with_volume = [int(i) for i in order if base[int(i)]["Omvang"] and base[int(i)]["Eenheid"]]
    anything = [int(i) for i in order]
    taken: set[int] = set()

    def take(candidates: list[int]) -> int:
        for index in candidates:
            if index not in taken:
                taken.add(index)
                return index
        raise ValueError("not enough generated rows to corrupt")

    for number in range(n_warn):
        reason = WARNING_REASONS[number % len(WARNING_REASONS)]
        pool = {
            "unknown_product_code": jeugd,
            "age_implausible_for_law": jeugd,
            "volume_without_unit": with_volume,
        }.get(reason, anything)
        index = take(pool)
        _corrupt(base[index], reason, number, rng)
        reasons[index] = reason
    for number in range(n_bad):
        reason = HARD_REASONS[number % len(HARD_REASONS)]
        # an adult's birth date out of range, so that no Jeugdwet age warning joins the error
        index = take(wmo if reason == "birth_date_out_of_range" else anything)
        _corrupt(base[index], reason, number, rng)
        reasons[index] = reason
    valid = [i for i in range(n_base) if not reasons[i]]
    originals = rng.choice(valid, size=n_duplicates, replace=False)
    final_rows = list(base)
    final_reasons = list(reasons)
    for original in sorted((int(i) for i in originals), reverse=True):
        position = int(rng.integers(original + 1, len(final_rows) + 1))
        final_rows.insert(position, dict(base[original]))
        final_reasons.insert(position, DUPLICATE_REASON)
    path = out_dir / FAULTY_FILE
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(DUTCH_HEADERS)
        for row in final_rows:
            writer.writerow([row[header] for header in DUTCH_HEADERS])
    expected = out_dir / EXPECTED_FILE
    with expected.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["rij", "verwachte_reden"])
        for position, reason in enumerate(final_reasons):
            if reason:
                writer.writerow([position + 2, reason])
    return FaultyFile(path, expected, len(final_rows), n_bad)


def _valid_rows(source: pa.Table, count: int, rng: np.random.Generator) -> list[dict[str, str]]:
    """Whole clients' allocations in Dutch layout, until ``count`` rows; each client gets a BSN."""
    records = source.to_pylist()
    by_client: dict[str, list[dict[str, object]]] = {}
    for record in records:
        if record["change_reason"] == "13":
            continue
        if record["law"] == "JW" and _age(record) >= 18:
            continue
        by_client.setdefault(str(record["client_id"]), []).append(record)
    clients = sorted(by_client)
    chosen: list[str] = []
    total = 0
    for index in rng.permutation(len(clients)):
        if total >= count:
            break
        chosen.append(clients[int(index)])
        total += len(by_client[clients[int(index)]])
    if total < count:
        raise ValueError(f"need {count} rows for the faulty file, generated only {total}")
    bsns = dict(zip(chosen, fictional_bsns(rng, len(chosen)), strict=True))
    selected = [record for client in chosen for record in by_client[client]]
    selected.sort(key=lambda record: str(record["allocation_id"]))
    rows = [_dutch(record, bsns[str(record["client_id"])]) for record in selected[:count]]
    return rows


def _age(record: dict[str, object]) -> int:
    birth, start = record["birth_date"], record["start_date"]
    assert isinstance(birth, date) and isinstance(start, date)
    return start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))


def _dutch(record: dict[str, object], bsn: str) -> dict[str, str]:
    """One allocation in the Dutch export layout: Wmo/Jeugdwet, DD-MM-YYYY, decimal comma."""
    row: dict[str, str] = {}
    for name, header in zip(DUTCH_COLUMNS, DUTCH_HEADERS, strict=True):
        value = record[name]
        if name == "bsn":
            row[header] = bsn
        elif value is None:
            row[header] = ""
        elif isinstance(value, date):
            row[header] = format_date(value)
        elif isinstance(value, float):
            row[header] = format_decimal(value)
        elif name == "law":
            row[header] = law_name(value)  # the law as a Dutch export names it
        else:
            row[header] = str(value)
    return row


def format_date(value: date) -> str:
    """A date as in a Dutch export: date(2018, 3, 1) -> '01-03-2018'."""
    return value.strftime("%d-%m-%Y")


def format_decimal(value: float) -> str:
    """A number with a decimal comma and no trailing zeros: 2.5 -> '2,5', 3.0 -> '3'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _parse(text: str) -> date:
    day, month, year = (int(part) for part in text.split("-"))
    return date(year, month, day)


def _corrupt(row: dict[str, str], reason: str, number: int, rng: np.random.Generator) -> None:
    """Break one rule in a valid row (or add one warning), in place."""
    start_year = row["Ingangsdatum"][-4:]
    variant = number // len(HARD_REASONS)
    if reason == "missing_allocation_id":
        row["Toewijzingsnummer"] = ""
    elif reason == "missing_client":
        row["BSN"] = ""
    elif reason == "invalid_bsn":
        bsn = row["BSN"]
        row["BSN"] = bsn[:8] + str((int(bsn[8]) + 1) % 10)  # one digit off fails the 11-check
    elif reason == "missing_birth_date":
        row["Geboortedatum"] = ""
    elif reason == "invalid_birth_date":
        row["Geboortedatum"] = ("31-02-1950", "29-02-1951", "31-04-1962", "15-13-1948")[variant % 4]
    elif reason == "birth_date_out_of_range":
        row["Geboortedatum"] = ("01-01-1850", "17-08-1875", "01-06-2090")[variant % 3]
    elif reason == "missing_law":
        row["Wet"] = ""
    elif reason == "invalid_law":
        row["Wet"] = ("Wlz", "Zvw")[variant % 2]
    elif reason == "missing_product_category":
        row["Productcategorie"] = ""
    elif reason == "missing_start_date":
        row["Ingangsdatum"] = ""
    elif reason == "invalid_start_date":
        row["Ingangsdatum"] = (f"31-06-{start_year}", f"32-01-{start_year}", "onbekend")[variant % 3]
    elif reason == "invalid_end_date":
        row["Einddatum"] = (f"31-09-{start_year}", "eind 2020", f"30-02-{start_year}")[variant % 3]
    elif reason == "end_before_start":
        start = _parse(row["Ingangsdatum"])
        row["Einddatum"] = format_date(start - timedelta(days=int(rng.integers(1, 121))))
    elif reason == "unknown_product_code":
        row["Productcode"] = f"{row['Productcategorie']}X99"
    elif reason == "age_implausible_for_law":
        start = _parse(row["Ingangsdatum"])
        birth = date(start.year - 30, start.month, min(start.day, 28)) - timedelta(days=40)
        row["Geboortedatum"] = format_date(birth)
    elif reason == "volume_without_unit":
        row["Eenheid"] = ""
    elif reason == "invalid_gender":
        row["Geslacht"] = "9"
    else:
        raise ValueError(f"unknown reason {reason!r}")
