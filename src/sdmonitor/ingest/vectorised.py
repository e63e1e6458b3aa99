"""Column-at-a-time versions of the domain parsers (dates, BSN), for loading millions of rows.

Each function does what its scalar counterpart in ``sdmonitor.domain`` does, on a whole Arrow array; the
property tests compare the two.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.domain.clients import (
    FICTIONAL_BSN_PREFIX,
    MASKED,
    contains_bsn,
    mask_bsns_in_text,
    pseudonymiser,
    real_bsn_in_text,
)
from sdmonitor.domain.formatting import FORMULA_PATTERN

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


def with_iso(formats: tuple[str, ...]) -> tuple[str, ...]:
    """Declared date formats with ISO ``YYYY-MM-DD`` added when missing: a typed date cell of an Excel or
    Parquet file is read as ISO text, and ISO (year first) cannot be mistaken for any declarable format.

    Example: ('DD-MM-YYYY',) -> ('DD-MM-YYYY', 'YYYY-MM-DD').
    """
    return tuple(dict.fromkeys((*formats, "YYYY-MM-DD")))


def parse_dates(text: pa.Array | pa.ChunkedArray, formats: tuple[str, ...] = ()) -> pa.Array:
    """Dates from trimmed text; null where the text is null or not a real date.

    Without ``formats``: ISO or Dutch (day first, '-' or '/'). With ``formats`` (names from
    ``DATE_FORMATS``): those and ISO ``YYYY-MM-DD``, the form a typed Excel or Parquet date cell reaches
    validation in (``with_iso``). Example: ['2018-01-05', '31-12-2018', '31-02-2018', None] ->
    [2018-01-05, 2018-12-31, null, null]; ['20180105', '2018-01-05'] with ('YYYYMMDD',) -> both 2018-01-05.
    """
    text = _combined(text)
    plain = _plain_iso_parts(text)
    if plain is not None:
        present, year, month, day = plain
    else:
        patterns = [DATE_FORMATS[f] for f in with_iso(formats)] if formats else [_ISO, _DUTCH]
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


_PLAIN_ISO_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9])
_PLAIN_ISO_TENS = np.array([1000, 100, 10, 1, 10, 1, 10, 1], dtype=np.int64)


def _plain_iso_parts(
    text: pa.Array,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Which cells hold a date, and its year, month and day, when every non-null cell is 'YYYY-MM-DD'.

    The fast path of ``parse_dates`` for the common column, read straight from the Arrow buffers. Such a cell
    matches only the ISO pattern of every format list (the others start with at most two digits or have no
    '-'), so the parts are the ones the patterns would extract. None when any cell has another form.
    """
    if text.type != pa.string() or len(text) == 0 or text.buffers()[2] is None:
        return None
    present = np.asarray(pc.is_valid(text).to_numpy(zero_copy_only=False), dtype=bool)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[text.offset : text.offset + len(text) + 1]
    starts = offsets[:-1][present]
    if not np.all(offsets[1:][present] - starts == 10):
        return None
    cells = np.frombuffer(text.buffers()[2], dtype=np.uint8)[starts[:, None] + np.arange(10, dtype=np.int32)]
    digits = cells[:, _PLAIN_ISO_DIGITS] - np.uint8(48)  # wraps below '0': anything but a digit is > 9
    if not (np.all(digits <= 9) and np.all(cells[:, [4, 7]] == ord("-"))):
        return None
    weighted = digits.astype(np.int64) * _PLAIN_ISO_TENS
    parts = []
    for columns, missing in (([0, 1, 2, 3], 1970), ([4, 5], 1), ([6, 7], 1)):
        part = np.full(len(text), missing, dtype=np.int64)
        part[present] = weighted[:, columns].sum(axis=1)
        parts.append(part)
    return present, parts[0], parts[1], parts[2]


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


# RE2 form of sdmonitor.domain.clients.BSN_IN_TEXT (no look-around): cells that may hold a BSN inside text.
_GROUPED = r"[0-9]{4}[ ./-][0-9]{2}[ ./-][0-9]{3}|[0-9]{3}[ ./-][0-9]{3}[ ./-][0-9]{3}"
_BSN_RUN = rf"(^|[^0-9])([0-9]{{8,9}}|{_GROUPED})([^0-9]|$)"
_WHOLE_GROUPED = rf"^({_GROUPED})$"


def identifiers_as_bsns(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Per cell the form a BSN would have (``identifier_as_bsn``): trimmed, groups joined, 8 digits padded.

    Example: [' 999-900-031 ', '1234.56.789', 'C1'] -> ['999900031', '123456789', 'C1'].
    """
    trimmed = pc.utf8_trim_whitespace(_combined(text).cast(pa.string()))
    grouped = pc.fill_null(pc.match_substring_regex(trimmed, _WHOLE_GROUPED), False)
    joined = pc.replace_substring_regex(trimmed, r"[ ./-]", "")
    return normalise_bsns(pc.if_else(grouped, joined, trimmed))


def bsn_candidates(text: pa.Array) -> np.ndarray:
    """Per cell of a string array whether it has the 8 ASCII digits any BSN needs (null -> False).

    A cheap prefilter: a cell with fewer digits is no BSN as a whole (``identifier_as_bsn``) and holds none
    inside (``BSN_IN_TEXT``), so the recognisers only look at the other cells. Example: ['999-900-031',
    '2024-01-31', 'C12', None] -> [True, True, False, False].
    """
    if len(text) == 0 or text.buffers()[2] is None:
        return np.zeros(len(text), dtype=bool)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[text.offset : text.offset + len(text) + 1]
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    digits = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum((data >= 48) & (data <= 57), dtype=np.int32, out=digits[1:])
    counts = digits[offsets[1:] - offsets[0]] - digits[offsets[:-1] - offsets[0]]
    candidates: np.ndarray = counts >= 8
    if text.null_count:
        candidates &= np.asarray(pc.is_valid(text).to_numpy(zero_copy_only=False), dtype=bool)
    return candidates


def _bsn_cells(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(cells that are a valid BSN as a whole, cells that may hold one inside longer text); no nulls.

    Only the cells with 8 digits or more (``bsn_candidates``) go through the recognisers.
    """
    candidates = bsn_candidates(text)
    if candidates.all():
        return _bsn_cells_unfiltered(text)
    whole = np.zeros(len(text), dtype=bool)
    inside = np.zeros(len(text), dtype=bool)
    if candidates.any():
        positions = np.flatnonzero(candidates)
        some_whole, some_inside = _bsn_cells_unfiltered(pc.take(text, pa.array(positions)))
        whole[positions] = np.asarray(some_whole.to_numpy(zero_copy_only=False), dtype=bool)
        inside[positions] = np.asarray(some_inside.to_numpy(zero_copy_only=False), dtype=bool)
    return pa.array(whole), pa.array(inside)


def _bsn_cells_unfiltered(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    whole = pc.fill_null(valid_bsns(identifiers_as_bsns(text)), False)
    inside = pc.and_(pc.fill_null(pc.match_substring_regex(text, _BSN_RUN), False), pc.invert(whole))
    return whole, inside


def contains_bsns(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Per cell: whether it holds a number passing the 11-check, whole or inside text (``contains_bsn``).

    Null cells give False. Example: ['999900067', 'Zorg 999900067 BV', 'Zorg BV', None] -> [T, T, F, F].
    """
    text = _combined(text).cast(pa.string())
    whole, inside = _bsn_cells(text)
    if not pc.any(inside).as_py():
        return whole
    result = np.asarray(whole.to_numpy(zero_copy_only=False), dtype=bool).copy()
    positions = pc.indices_nonzero(inside).to_numpy()
    candidates = pc.take(text, pa.array(positions)).to_pylist()
    result[positions] = [contains_bsn(value) for value in candidates]
    return pa.array(result)


def mask_bsns(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Every number passing the 11-check replaced by ``[verwijderd]`` (``mask_bsns_in_text`` per cell).

    A cell that is a BSN as a whole becomes ``[verwijderd]``; a BSN inside text is replaced where it stands:
    "Einddatum '999939701' is geen geldige datum" -> "Einddatum '[verwijderd]' is geen geldige datum".
    """
    text = _combined(text).cast(pa.string())
    whole, inside = _bsn_cells(text)
    # a whole cell with spaces around it keeps them, as the per-cell rule does (' 999900067' -> ' [verwijderd]')
    padded = pc.and_(whole, pc.invert(pc.fill_null(pc.equal(text, pc.utf8_trim_whitespace(text)), True)))
    whole, inside = pc.and_(whole, pc.invert(padded)), pc.or_(inside, padded)
    masked = pc.if_else(whole, MASKED, text)
    if not pc.any(inside).as_py():
        return masked
    positions = pc.indices_nonzero(inside).to_numpy()
    replaced = [mask_bsns_in_text(value) for value in pc.take(text, pa.array(positions)).to_pylist()]
    values = masked.to_pylist()
    for position, value in zip(positions.tolist(), replaced, strict=True):
        values[position] = value
    return pa.array(values, pa.string())


def holds_real_bsns(text: pa.Array | pa.ChunkedArray) -> bool:
    """Whether any cell holds a number passing the 11-check outside the fictional range 9999xxxxx.

    Example: ['999990019', 'K999990019', None] -> False; a valid BSN outside 9999xxxxx -> True.
    """
    text = _combined(text).cast(pa.string())
    text = pc.filter(text, pa.array(bsn_candidates(text)))  # only these can hold a BSN
    if len(text) == 0:
        return False
    whole, inside = _bsn_cells_unfiltered(text)
    normal = identifiers_as_bsns(text)
    fictional = pc.fill_null(pc.starts_with(normal, FICTIONAL_BSN_PREFIX), False)
    if pc.any(pc.and_(whole, pc.invert(fictional))).as_py():
        return True
    if not pc.any(inside).as_py():
        return False
    return any(real_bsn_in_text(value) for value in pc.filter(text, inside).to_pylist())


def is_whole_bsn(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Per cell whether it is a valid BSN as a whole; null -> False.

    Spaces around it, an 8-digit form and the groups people write (999-900-031, 1234.56.789) are allowed.
    Example: ['999939701', ' 99993970 ', 'K999939701', '999-900-031', None] -> [True, False, False, True,
    False] (the second is not valid as 099993970).
    """
    text = _combined(text).cast(pa.string())
    return _bsn_cells(text)[0]


def pseudonymise_identifiers(text: pa.Array | pa.ChunkedArray, key: bytes | None) -> tuple[pa.Array, int]:
    """An identifier column (client number, allocation number) with every cell that holds a BSN pseudonymised.

    A cell that is a valid BSN as a whole gets the pseudonym of that BSN (so it is the same client as the
    BSN column would give, also when written in groups: 999-900-031); a cell with a BSN inside longer text gets the pseudonym of the whole trimmed
    text (distinct values stay distinct). Other cells stay as they are. Returns the column and how many
    cells were replaced. Raises ValueError when a cell holds a BSN and ``key`` is None: callers check first.
    """
    text = _combined(text).cast(pa.string())
    holds = contains_bsns(text)
    count = int(pc.sum(pc.cast(holds, pa.int64())).as_py() or 0)
    if count == 0:
        return text, 0
    if key is None:
        raise ValueError("an identifier holds a BSN and there is no pseudonym key")
    trimmed = pc.utf8_trim_whitespace(text)
    source = pc.if_else(is_whole_bsn(text), identifiers_as_bsns(text), trimmed)
    pseudonyms = pseudonymise_all(pc.if_else(holds, source, pa.scalar(None, pa.string())), key)
    return pc.if_else(holds, pseudonyms, text), count


def defuse_formulas(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Text a spreadsheet would run as a formula gets a leading quote (``csv_text`` per cell).

    Example: ['=HYPERLINK("http://x")', '-5', 'Zorg BV', None] -> ['\'=HYPERLINK("http://x")', "'-5", 'Zorg BV', None].
    """
    text = _combined(text).cast(pa.string())
    starts = pc.fill_null(pc.match_substring_regex(text, FORMULA_PATTERN), False)
    return pc.if_else(starts, pc.binary_join_element_wise("'", text, ""), text)


def _combined(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        return array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    return array
