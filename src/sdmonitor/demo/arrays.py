"""Array helpers for the demo generator: day numbers, ages, fast fixed-width strings and sampling.

Dates are held as int64 day numbers (days since 1970-01-01, as ``datetime64[D]``) so that whole chunks of
allocations can be shifted, compared and converted to Arrow ``date32`` without a Python loop.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_EPOCH = date(1970, 1, 1)


def day_number(value: date) -> int:
    """Days since 1970-01-01 for a date (date(1970, 1, 2) -> 1)."""
    return (value - _EPOCH).days


def jan_first(year: int) -> int:
    """Day number of 1 January of a year."""
    return day_number(date(year, 1, 1))


# Calendar lookup tables from 1800 to 2200: year and month*100+day of each day number, the day number of
# each 1 January and the days before each month (common and leap years). Lookups are much faster than
# numpy datetime conversions.
_CALENDAR_FIRST_YEAR, _CALENDAR_LAST_YEAR = 1800, 2200
_CALENDAR_START = day_number(date(_CALENDAR_FIRST_YEAR, 1, 1))
_CALENDAR_DAYS = np.arange(_CALENDAR_START, day_number(date(_CALENDAR_LAST_YEAR + 1, 1, 1)))
_AS_DATES = _CALENDAR_DAYS.astype("datetime64[D]")
_YEAR = _AS_DATES.astype("datetime64[Y]").astype(np.int64) + 1970
_MONTH = _AS_DATES.astype("datetime64[M]").astype(np.int64) % 12 + 1
_DAY = (_AS_DATES - _AS_DATES.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
_MONTH_DAY = _MONTH * 100 + _DAY
_YEAR_START = np.array(
    [day_number(date(year, 1, 1)) for year in range(_CALENDAR_FIRST_YEAR, _CALENDAR_LAST_YEAR + 2)]
)
_IS_LEAP = (np.diff(_YEAR_START) == 366).astype(np.int64)
_MONTH_LENGTHS = np.array(
    [[31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]]
)
_DAYS_BEFORE_MONTH = np.hstack([np.zeros((2, 1), dtype=np.int64), np.cumsum(_MONTH_LENGTHS, axis=1)])


def _calendar_index(days: IntArray) -> IntArray:
    index = np.asarray(days, dtype=np.int64) - _CALENDAR_START
    if index.size and (index.min() < 0 or index.max() >= _CALENDAR_DAYS.shape[0]):
        raise ValueError(f"day outside the calendar {_CALENDAR_FIRST_YEAR}-{_CALENDAR_LAST_YEAR}")
    return index


def years_of(days: IntArray) -> IntArray:
    """Calendar year of each day number (1800-2200)."""
    return np.asarray(_YEAR[_calendar_index(days)], dtype=np.int64)


def add_years(days: IntArray, years: int | IntArray) -> IntArray:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common year."""
    index = _calendar_index(days)
    year = _YEAR[index] + np.asarray(years, dtype=np.int64)
    month_day = _MONTH_DAY[index]
    offset = year - _CALENDAR_FIRST_YEAR
    before = _DAYS_BEFORE_MONTH[_IS_LEAP[offset], month_day // 100 - 1]
    return np.asarray(_YEAR_START[offset] + before + month_day % 100 - 1, dtype=np.int64)


def age_on(birth: IntArray, on: IntArray | int) -> IntArray:
    """Age in completed years on a day; the birthday itself counts (29 February: from 1 March)."""
    born = _calendar_index(birth)
    day = _calendar_index(np.broadcast_to(np.asarray(on, dtype=np.int64), birth.shape))
    before_birthday = _MONTH_DAY[day] < _MONTH_DAY[born]
    return np.asarray(_YEAR[day] - _YEAR[born] - before_birthday, dtype=np.int64)


def first_of_month(days: IntArray) -> IntArray:
    """Day number of the first day of each day's month."""
    index = _calendar_index(days)
    return np.asarray(days - (_MONTH_DAY[index] % 100 - 1), dtype=np.int64)


def digits(values: IntArray, width: int) -> npt.NDArray[np.uint8]:
    """ASCII digits of non-negative integers, zero padded: ([42], 4) -> [[48, 48, 52, 50]] ('0042')."""
    out = np.empty((values.shape[0], width), dtype=np.uint8)
    rest = values.astype(np.int64).copy()
    for position in range(width - 1, -1, -1):
        out[:, position] = (rest % 10 + 48).astype(np.uint8)
        rest //= 10
    return out


def text_columns(text: str, rows: int) -> npt.NDArray[np.uint8]:
    """A constant ASCII text repeated as a (rows, len(text)) byte matrix, to glue in front of digits."""
    encoded = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.broadcast_to(encoded, (rows, encoded.shape[0]))


def fixed_width_strings(matrix: npt.NDArray[np.uint8]) -> pa.StringArray:
    """An Arrow string array from a (rows, width) ASCII byte matrix, one string per row, no Python loop."""
    rows, width = matrix.shape
    data = np.ascontiguousarray(matrix).tobytes()
    offsets = np.arange(0, (rows + 1) * width, width, dtype=np.int32).tobytes()
    array = pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(data))
    assert isinstance(array, pa.StringArray)
    return array


def take_strings(values: list[str], index: IntArray, valid: BoolArray | None = None) -> pa.StringArray:
    """Arrow strings ``values[index]``; rows where ``valid`` is False become null (empty in CSV)."""
    lookup = pa.array(values, type=pa.string())
    indices = pa.array(index.astype(np.int32), mask=None if valid is None else ~valid)
    taken = lookup.take(indices)
    assert isinstance(taken, pa.StringArray)
    return taken


def choose(rng: np.random.Generator, table: FloatArray, *index: IntArray) -> IntArray:
    """One categorical draw per row, from ``table[index]`` (cumulative probabilities on the last axis).

    ``index`` holds one integer array per leading axis of ``table``. Instead of gathering a row of
    probabilities per draw, the rows are laid end to end (row r spans r..r+1) and one binary search per
    draw finds the chosen column.
    """
    choices = table.shape[-1]
    flat = table.reshape(-1, choices)
    keys = (flat + np.arange(flat.shape[0])[:, None]).ravel()
    if len(index) == 1:
        rows = np.asarray(index[0], dtype=np.int64)
    else:
        rows = np.ravel_multi_index(tuple(index), table.shape[:-1]).astype(np.int64)
    draws = 1.0 - rng.random(rows.shape[0])  # in (0, 1]
    position = np.searchsorted(keys, rows + draws, side="left") - rows * choices
    return np.asarray(np.clip(position, 0, choices - 1), dtype=np.int64)


def cumulative(weights: FloatArray) -> FloatArray:
    """Row-wise normalised cumulative sums of a weight matrix; all-zero rows pick the first column."""
    totals = weights.sum(axis=-1, keepdims=True)
    safe = np.where(totals > 0, weights / np.where(totals > 0, totals, 1.0), 0.0)
    result: FloatArray = np.cumsum(safe, axis=-1)
    empty = totals[..., 0] <= 0
    result[empty] = 1.0
    return result


def lognormal_days(
    rng: np.random.Generator,
    median: FloatArray,
    sigma: FloatArray,
    minimum: int = 1,
    maximum: int = 20 * 365,
) -> IntArray:
    """Durations in days from a log-normal with the given medians and shape, within [minimum, maximum]."""
    draws = median * np.exp(sigma * rng.standard_normal(median.shape[0]))
    return np.clip(np.rint(draws), minimum, maximum).astype(np.int64)


def repeat_index(counts: IntArray) -> IntArray:
    """Index of each source row repeated by its count ([2, 0, 1] -> [0, 0, 2])."""
    return np.repeat(np.arange(counts.shape[0], dtype=np.int64), counts)


def rank_within(groups: IntArray) -> IntArray:
    """Position of each row within its run of equal (sorted) group ids ([5, 5, 7] -> [0, 1, 0])."""
    if groups.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[True, groups[1:] != groups[:-1]]
    start_positions = np.flatnonzero(starts)
    run_lengths = np.diff(np.r_[start_positions, groups.shape[0]])
    first = np.repeat(start_positions, run_lengths)
    return np.arange(groups.shape[0], dtype=np.int64) - first
