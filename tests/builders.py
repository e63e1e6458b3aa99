"""Small builders for test rows and files: ``allocation(client="A", start="2024-02-01", end=None)``."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from sdmonitor.domain.allocations import COLUMN_NAMES

# Fictional BSNs that pass the 11-check (test range 9999xxxxx).
BSN_A = "999990019"
BSN_B = "999990020"


def allocation(
    allocation_id: str = "T1",
    *,
    client: str | None = "C1",
    bsn: str | None = None,
    birth: str = "1950-03-15",
    law: str = "WMO",
    category: str = "02",
    start: str = "2018-01-01",
    end: str | None = None,
    **other: str | None,
) -> dict[str, str | None]:
    """One canonical input row with sensible defaults; ``other`` sets any further canonical column."""
    row: dict[str, str | None] = dict.fromkeys(COLUMN_NAMES)
    row.update(
        allocation_id=allocation_id,
        client_id=client,
        bsn=bsn,
        birth_date=birth,
        law=law,
        product_category=category,
        start_date=start,
        end_date=end,
    )
    for name, value in other.items():
        if name not in row:
            raise KeyError(f"unknown canonical column {name}")
        row[name] = value
    return row


def write_csv(
    path: Path,
    rows: Iterable[Mapping[str, str | None]],
    *,
    headers: list[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write rows as CSV with the given headers (default: all canonical columns)."""
    names = headers or list(COLUMN_NAMES)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
    return path
