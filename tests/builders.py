"""Small builders for test rows and files: ``allocation(client="A", start="2024-02-01", end=None)``."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from sdmonitor.domain.allocations import COLUMN_NAMES

# Fictional BSNs that pass the 11-check (test range 9999xxxxx).
BSN_A = "999990019"
BSN_B = "999990020"


def outside_demo_range_bsn() -> str:
    """A number that passes the 11-check outside the fictional 9999xxxxx range, for the rules that treat such a
    number as a real person's (weak keys refused). Made at run time, never written in the source: the first
    valid number of the form 00000xxxx, a range that holds no issued BSN."""
    for tail in range(1000, 10_000):
        number = f"00000{tail:04d}"
        if (
            sum(int(d) * w for d, w in zip(number[:8], range(9, 1, -1), strict=True)) - int(number[8])
        ) % 11 == 0:
            return number
    raise AssertionError("no valid number of the form 00000xxxx")


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
