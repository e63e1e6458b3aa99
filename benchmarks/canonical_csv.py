"""Write N canonical allocation rows as CSV, fast (numpy + pyarrow), for load benchmarks.

Rows are plausible and valid except a small share of deliberate faults (0.5 %), so the benchmark exercises
the rejection path too. Half of the rows carry a fictional BSN (range 9999xxxxx... padded into 11-check
valid numbers), the other half a client number, so pseudonymisation is part of the measured work.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from sdmonitor.domain.allocations import COLUMN_NAMES

CHUNK = 1_000_000


def _valid_bsns(rng: np.random.Generator, count: int) -> np.ndarray:
    """Fictional 11-check-valid BSNs: 9 digits, first digits 9, last digit the check digit."""
    while True:
        body = rng.integers(90_000_000, 99_999_999, size=count * 2)
        digits = np.stack([(body // 10**p) % 10 for p in range(7, -1, -1)], axis=1)
        weighted = (digits * np.arange(9, 1, -1)).sum(axis=1) % 11
        ok = weighted < 10
        if ok.sum() >= count:
            return np.char.add(body[ok][:count].astype(str), weighted[ok][:count].astype(str))


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype("datetime64[D]")).cast(pa.string())


def write_rows(path: Path, rows: int, seed: int = 1) -> Path:
    """Write ``rows`` canonical rows to ``path`` in chunks (memory stays flat)."""
    rng = np.random.default_rng(seed)
    writer: pcsv.CSVWriter | None = None
    written = 0
    base = np.datetime64("2015-01-01").astype(np.int64)
    while written < rows:
        n = min(CHUNK, rows - written)
        ids = np.arange(written, written + n)
        law_jw = rng.random(n) < 0.35
        birth = np.where(law_jw, rng.integers(-365 * 17, 0, n), rng.integers(-365 * 90, -365 * 18, n)) + base
        start = base + rng.integers(0, 3650, n)
        end = start + rng.integers(0, 800, n)
        has_end = rng.random(n) < 0.8
        with_bsn = rng.random(n) < 0.5
        bsns = _valid_bsns(rng, n)
        faulty = rng.random(n) < 0.005
        columns: dict[str, pa.Array] = {name: pa.nulls(n, pa.string()) for name in COLUMN_NAMES}
        columns["allocation_id"] = pa.array(np.char.add("B", ids.astype(str)))
        columns["client_id"] = pa.array(np.where(with_bsn, None, np.char.add("C", (ids // 2).astype(str))))
        columns["bsn"] = pa.array(np.where(with_bsn, bsns, None))
        columns["birth_date"] = _dates(birth)
        columns["gender"] = pa.array(rng.choice(["1", "2"], n))
        columns["postcode"] = pa.array(np.char.add(rng.integers(2000, 2100, n).astype(str), "AB"))
        columns["law"] = pa.array(np.where(law_jw, "JW", "WMO"))
        columns["product_category"] = pa.array(np.where(law_jw, "45", rng.choice(["01", "02", "07"], n)))
        columns["product_code"] = pa.array(np.where(law_jw, "45A48", "02A01"))
        columns["provider_code"] = pa.array(rng.integers(10_000_000, 10_000_050, n).astype(str))
        columns["provider_name"] = pa.array(np.char.add("Aanbieder ", rng.integers(0, 50, n).astype(str)))
        columns["start_date"] = _dates(start)
        columns["end_date"] = pa.array(np.where(has_end, _dates(end).to_numpy(zero_copy_only=False), None))
        columns["volume"] = pa.array(rng.integers(1, 10, n).astype(str))
        columns["unit"] = pa.array(np.full(n, "04"))
        columns["frequency"] = pa.array(np.full(n, "2"))
        columns["delivery_form"] = pa.array(np.where(rng.random(n) < 0.9, "ZIN", "PGB"))
        # deliberate faults: end before start
        columns["end_date"] = pa.array(
            np.where(faulty, "2014-01-01", columns["end_date"].to_numpy(zero_copy_only=False))
        )
        table = pa.table({name: columns[name].cast(pa.string()) for name in COLUMN_NAMES})
        if writer is None:
            writer = pcsv.CSVWriter(
                str(path), table.schema, write_options=pcsv.WriteOptions(quoting_style="needed")
            )
        writer.write_table(table)
        written += n
    assert writer is not None
    writer.close()
    return path
