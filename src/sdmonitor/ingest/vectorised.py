"""Column-at-a-time versions of the domain parsers (dates, BSN), for loading millions of rows.

Each function does what its scalar counterpart in ``sdmonitor.domain`` does, on a whole Arrow array; the
property tests compare the two.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.domain.clients import pseudonymiser

# Same patterns as sdmonitor.domain.dates, written for RE2 (ASCII digits only).
_ISO = r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
_DUTCH = r"^(?P<d>[0-9]{1,2})[-/](?P<m>[0-9]{1,2})[-/](?P<y>[0-9]{4})(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
# The date formats a mapping file may declare (see docs/loading.md), each as an RE2 pattern.
DATE_FORMATS: dict[str, str] = {
    "YYYY-MM-DD": r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})" + _TIME + "$",
    "YYYYMMDD": r"^(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$",
    "DD-MM-YYYY": r"^(?P<d>[0-9]{2})-(?P<m>[0-9]{2})-(?P<y>[0-9]{4})" + _TIME + "$",
    "D-M-YYYY": r"^(?P<d>[0-9]{1,2})-(?P<m>[0-9]{1,2})-(?P<y>[0-9]{4})" + _TIME + "$",
    "DD/MM/YYYY": r"^(?P<d>[0-9]{2})/(?P<m>[0-9]{2})/(?P<y>[0-9]{4})" + _TIME + "$",
    "D/M/YYYY": r"^(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})" + _TIME + "$",
    "DD.MM.YYYY": r"^(?P<d>[0-9]{2})\.(?P<m>[0-9]{2})\.(?P<y>[0-9]{4})" + _TIME + "$",
}
_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)


def date_format_name(name: str) -> str | None:
    """The canonical name of a declared date format, Dutch spelling allowed ('jjjjmmdd' -> 'YYYYMMDD')."""
    canonical = name.strip().upper().replace("J", "Y")
    return canonical if canonical in DATE_FORMATS else None


def parse_dates(text: pa.Array | pa.ChunkedArray, formats: tuple[str, ...] = ()) -> pa.Array:
    """Dates from trimmed text; null where the text is null or not a real date.

    Without ``formats``: ISO or Dutch (day first, '-' or '/'). With ``formats`` (names from
    ``DATE_FORMATS``): only those. Example: ['2018-01-05', '31-12-2018', '31-02-2018', None] ->
    [2018-01-05, 2018-12-31, null, null]; ['20180105'] with ('YYYYMMDD',) -> [2018-01-05].
    """
    text = _combined(text)
    patterns = [DATE_FORMATS[f] for f in formats] if formats else [_ISO, _DUTCH]
    matches = [pc.extract_regex(text, pattern) for pattern in patterns]
    parts = {
        part: pc.cast(pc.coalesce(*(pc.struct_field(m, part) for m in matches)), pa.int64())
        for part in ("y", "m", "d")
    }
    year = parts["y"].to_numpy(zero_copy_only=False)
    month = parts["m"].to_numpy(zero_copy_only=False)
    day = parts["d"].to_numpy(zero_copy_only=False)
    present = ~np.isnan(year) if year.dtype.kind == "f" else np.ones(len(year), dtype=bool)
    year = np.nan_to_num(year, nan=1970).astype(np.int64)
    month = np.nan_to_num(month, nan=1).astype(np.int64)
    day = np.nan_to_num(day, nan=1).astype(np.int64)
    ok = present & (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    month_index = np.where(ok, (year - 1970) * 12 + (month - 1), 0)
    first = month_index.astype("datetime64[M]").astype("datetime64[D]")
    following = (month_index + 1).astype("datetime64[M]").astype("datetime64[D]")
    ok &= day <= (following - first).astype(np.int64)
    days = first.astype(np.int64) + day - 1
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=~ok).cast(pa.date32())


def normalise_bsns(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """BSNs as 9 digits: an 8-digit value gets a leading zero; others unchanged (text is trimmed)."""
    text = _combined(text)
    eight = pc.and_(pc.equal(pc.utf8_length(text), 8), pc.match_substring_regex(text, r"^[0-9]+$"))
    return pc.if_else(eight, pc.utf8_lpad(text, 9, "0"), text)


def valid_bsns(normalised: pa.Array) -> pa.Array:
    """Whether each normalised BSN passes the 11-check (null where the input is null)."""
    shaped = pc.and_(
        pc.match_substring_regex(normalised, r"^[0-9]{9}$"), pc.not_equal(normalised, "000000000")
    )
    shaped = pc.fill_null(shaped, False)
    digits_text = pc.if_else(shaped, normalised, "000000000").cast(pa.string())
    data = np.frombuffer(digits_text.buffers()[2], dtype=np.uint8)
    offsets = np.frombuffer(digits_text.buffers()[1], dtype=np.int32)[digits_text.offset]
    digits = data[offsets : offsets + 9 * len(digits_text)].reshape(-1, 9).astype(np.int64) - 48
    passes = (digits @ _WEIGHTS) % 11 == 0
    result = pa.array(passes & np.asarray(shaped.to_numpy(zero_copy_only=False), dtype=bool))
    return pc.if_else(pc.is_null(normalised), pa.scalar(None, pa.bool_()), result)


def pseudonymise_all(bsns: pa.Array, key: bytes) -> pa.Array:
    """Keyed pseudonyms of valid, normalised BSNs (nulls stay null); equal to ``pseudonymise`` per value."""
    present = pc.is_valid(bsns)
    values = pc.filter(bsns, present).cast(pa.binary()).to_pylist()
    pseudonyms = pa.array(pseudonymiser(key)(values), pa.string())
    if len(pseudonyms) == len(bsns):
        return pseudonyms
    if len(pseudonyms) == 0:
        return pa.nulls(len(bsns), pa.string())
    positions = pc.subtract(pc.cumulative_sum(pc.cast(present, pa.int64())), 1)
    placed = pc.take(pseudonyms, pc.max_element_wise(positions, 0))
    return pc.if_else(present, placed, pa.scalar(None, pa.string()))


def _combined(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        return array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    return array
