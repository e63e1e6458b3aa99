"""Write N fictional declaration lines to Parquet, fast (numpy + pyarrow, in chunks), for the costs benchmark.

The lines are what a large region's finance export would hold over 2015-2024, in the canonical columns of
``sdm load declarations`` (docs/loading.md): every client has a window of months with support and one main law
(60 % Wmo); each line is one client's delivery in one month of that window (70 % the whole month, the rest part
of it), about 3 % run over 2-4 months, about 1 % are credits (a copy of the line before them with
``debit_credit`` C: the same declaration id, period and amount), about 2 % are rejected (``afgewezen``) and about
1 % not yet decided (``ingediend``). Clients carry a client number only (no BSN), providers a fictional
8-digit code; Jeugdwet lines carry national product codes (the loader checks them), Wmo lines codes of the
municipality's own. Lines name no allocation: the benchmark's warehouse has none (an unknown allocation id
would make every line a warning in the load report). Every delivery period ends by 2024-12-31 and every line was submitted by the extraction day
2025-01-31, so nothing lies after the data moment.

Memory stays flat: ``CHUNK`` lines at a time (about 150 MB), written as one Parquet row group each.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sdmonitor.domain.codes import jeugd_product_codes

CHUNK = 1_000_000
FIRST_MONTH = np.datetime64("2015-01", "M")
MONTHS = 120  # 2015-01 .. 2024-12
EXTRACTED_ON = date(2025, 1, 31)
LINES_PER_CLIENT = 150  # over ten years: a client with support for 30 months has about 5 lines a month
WMO_CATEGORIES = np.array(["01", "02", "03", "04", "05", "06", "07", "08"])
PROVIDERS = 400
SHARE_MULTI_MONTH, SHARE_CREDIT, SHARE_REJECTED, SHARE_SUBMITTED, SHARE_PGB = 0.03, 0.01, 0.02, 0.01, 0.06

SCHEMA = pa.schema(
    [
        ("declaration_id", pa.string()),
        ("allocation_id", pa.string()),
        ("client_id", pa.string()),
        ("law", pa.string()),
        ("product_category", pa.string()),
        ("product_code", pa.string()),
        ("provider_code", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("volume", pa.float64()),
        ("unit", pa.string()),
        ("amount", pa.decimal128(18, 2)),
        ("debit_credit", pa.string()),
        ("status", pa.string()),
        ("submitted_on", pa.date32()),
        ("delivery_form", pa.string()),
    ]
)


@cache
def _jeugd_products() -> tuple[np.ndarray, np.ndarray]:
    """The national Jeugdwet product codes (with a category) and their categories: Jeugdwet lines use them,
    as the loader checks them against that list."""
    national = {c: p for c, p in jeugd_product_codes().items() if p["category"] not in ("-", "")}
    return np.array(list(national)), np.array([p["category"] for p in national.values()])


def clients_for(lines: int) -> int:
    return max(100, lines // LINES_PER_CLIENT)


def _clients(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per client: first month index, number of months with support, main law is JW, weight of drawing it."""
    begin = rng.integers(-36, MONTHS, size=count)  # some clients had support before 2015 already
    first = np.maximum(begin, 0)
    length = np.clip(begin + rng.geometric(1 / 30, size=count), first + 1, MONTHS) - first
    is_jw = rng.random(count) < 0.4
    weight = length / length.sum()  # a line per client and month alike: clients with long windows have more
    return first, length, is_jw, weight


def _text(prefix: str, numbers: np.ndarray) -> pa.Array:
    """``prefix`` followed by each number, as an Arrow string array (vectorised)."""
    digits = pc.cast(pa.array(numbers, pa.int64()), pa.string())
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


def _chunk(rng: np.random.Generator, offset: int, size: int, clients: tuple[np.ndarray, ...]) -> pa.Table:
    first, length, is_jw_client, weight = clients
    client = rng.choice(len(first), size=size, p=weight)
    month = first[client] + (rng.random(size) * length[client]).astype(np.int64)
    is_jw = is_jw_client[client] ^ (rng.random(size) < 0.1)  # a tenth of a client's lines under the other law
    jw_codes, jw_categories = _jeugd_products()
    jw_pick = rng.integers(0, len(jw_codes), size)
    wmo_category = WMO_CATEGORIES[rng.integers(0, len(WMO_CATEGORIES), size)]
    wmo_product = np.char.add(
        np.char.add(wmo_category, "A"), np.char.zfill(rng.integers(1, 12, size).astype(str), 2)
    )
    category = np.where(is_jw, jw_categories[jw_pick], wmo_category)
    product = np.where(is_jw, jw_codes[jw_pick], wmo_product)
    rank = rng.zipf(1.3, size)  # a few large providers, a long tail
    provider = 98_000_000 + np.where(rank <= PROVIDERS, rank, rng.integers(1, PROVIDERS + 1, size))

    # delivery period: most the whole month, some part of it, about 3 % over 2-4 months
    month_start = (FIRST_MONTH + month).astype("datetime64[D]")
    span = np.where(rng.random(size) < SHARE_MULTI_MONTH, rng.integers(1, 4, size), 0)
    span = np.minimum(span, MONTHS - 1 - month)
    end_month = (FIRST_MONTH + month + span).astype("datetime64[D]")
    end_days = ((FIRST_MONTH + month + span + 1).astype("datetime64[D]") - end_month).astype(np.int64)
    days_in_month = ((FIRST_MONTH + month + 1).astype("datetime64[D]") - month_start).astype(np.int64)
    whole = (rng.random(size) < 0.7) & (span == 0)
    start_offset = np.where(whole, 0, (rng.random(size) * days_in_month * 0.7).astype(np.int64))
    start = month_start + start_offset
    single_end = start + (rng.random(size) * (days_in_month - start_offset)).astype(np.int64)
    multi_end = end_month + (rng.random(size) * end_days).astype(np.int64)
    end = np.where(whole, month_start + days_in_month - 1, np.where(span > 0, multi_end, single_end))

    cents = np.maximum(np.round(rng.lognormal(np.log(35_000), 0.9, size)), 100).astype(np.int64)
    cents = cents * (1 + span)
    number = np.arange(offset, offset + size)
    status = np.full(size, "toegekend", dtype=object)
    status_draw = rng.random(size)
    status[status_draw < SHARE_REJECTED] = "afgewezen"
    status[(status_draw >= SHARE_REJECTED) & (status_draw < SHARE_REJECTED + SHARE_SUBMITTED)] = "ingediend"
    lag = np.minimum(rng.geometric(1 / 25, size), 400)  # most within two months, a tail over six
    submitted = np.minimum(end + lag, np.datetime64(EXTRACTED_ON, "D"))

    # credits: a line at an odd position becomes the credit of the (approved) debit just before it
    credit = np.zeros(size, dtype=bool)
    credit[1::2] = rng.random(size // 2) < SHARE_CREDIT * 2
    debit = np.flatnonzero(credit) - 1
    for column in (client, month, is_jw, category, product, provider, start, end, cents, number):
        column[credit] = column[debit]
    status[credit] = status[debit] = "toegekend"
    submitted[credit] = np.minimum(submitted[debit] + 30, np.datetime64(EXTRACTED_ON, "D"))

    pgb = rng.random(size) < SHARE_PGB
    hours = np.round(cents / 6_500, 2)
    return pa.Table.from_arrays(
        [
            _text("R", number),
            pa.nulls(size, pa.string()),  # no allocations in the benchmark's warehouse: lines name none
            _text("K", client),
            pa.array(np.where(is_jw, "JW", "WMO")),
            pa.array(category),
            pa.array(product),
            pa.array(provider.astype(str)),
            pa.array(start),
            pa.array(end),
            pa.array(hours),
            pa.array(np.full(size, "04")),
            pa.array(cents / 100).cast(pa.decimal128(18, 2)),  # exact: the float of a cent amount rounds back
            pa.array(np.where(credit, "C", "D")),
            pa.array(status, pa.string()),
            pa.array(submitted),
            pa.array(np.where(pgb, "PGB", "ZIN")),
        ],
        schema=SCHEMA,
    )


def write_declarations(path: Path, lines: int, seed: int = 12) -> Path:
    """Write ``lines`` declaration lines to the Parquet file ``path`` (one row group per ``CHUNK``)."""
    rng = np.random.default_rng(seed)
    clients = _clients(rng, clients_for(lines))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with pq.ParquetWriter(partial, SCHEMA, compression="zstd") as writer:
        for offset in range(0, lines, CHUNK):
            writer.write_table(_chunk(rng, offset, min(CHUNK, lines - offset), clients))
    partial.rename(path)
    return path
