"""The vectorised calendar and sampling helpers agree with plain Python."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sdmonitor.demo.arrays import (
    add_years,
    age_on,
    choose,
    cumulative,
    day_number,
    digits,
    first_of_month,
    fixed_width_strings,
    rank_within,
    repeat_index,
    years_of,
)

DAYS = st.dates(min_value=date(1880, 1, 1), max_value=date(2120, 12, 31))


def _python_add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return date(day.year + years, 3, 1)


def _days(values: list[date]) -> np.ndarray:
    return np.array([day_number(v) for v in values], dtype=np.int64)


@given(st.lists(DAYS, min_size=1, max_size=20), st.integers(-60, 60))
def test_add_years_matches_python(days: list[date], years: int) -> None:
    result = add_years(_days(days), years)
    expected = [day_number(_python_add_years(d, years)) for d in days]
    assert result.tolist() == expected


@given(st.lists(st.tuples(DAYS, DAYS), min_size=1, max_size=20))
def test_age_on_counts_completed_years(pairs: list[tuple[date, date]]) -> None:
    births, days = _days([b for b, _ in pairs]), _days([d for _, d in pairs])
    expected = [d.year - b.year - ((d.month, d.day) < (b.month, b.day)) for b, d in pairs]
    assert age_on(births, days).tolist() == expected


@given(st.lists(DAYS, min_size=1, max_size=20))
def test_year_and_first_of_month(days: list[date]) -> None:
    assert years_of(_days(days)).tolist() == [d.year for d in days]
    assert first_of_month(_days(days)).tolist() == [day_number(d.replace(day=1)) for d in days]


def test_leap_day_birthday_counts_from_1_march_in_common_years() -> None:
    birth = _days([date(2004, 2, 29)])
    assert age_on(birth, day_number(date(2005, 2, 28))).tolist() == [0]
    assert age_on(birth, day_number(date(2005, 3, 1))).tolist() == [1]
    assert age_on(birth, day_number(date(2008, 2, 29))).tolist() == [4]


def test_choose_follows_the_row_of_each_draw() -> None:
    table = cumulative(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]))
    rows = np.array([0, 1, 2, 2, 1, 0], dtype=np.int64)
    assert choose(np.random.default_rng(1), table, rows).tolist() == [1, 2, 0, 0, 2, 1]


def test_choose_draws_in_proportion_to_the_weights() -> None:
    table = cumulative(np.array([[1.0, 3.0]]))
    picks = choose(np.random.default_rng(2), table, np.zeros(40_000, dtype=np.int64))
    assert abs(picks.mean() - 0.75) < 0.01


def test_choose_takes_one_index_array_per_leading_axis() -> None:
    weights = np.zeros((2, 3, 4))
    weights[1, 2, 3] = 1.0
    weights[0, 1, 0] = 1.0
    table = cumulative(weights)
    first = np.array([1, 0], dtype=np.int64)
    second = np.array([2, 1], dtype=np.int64)
    assert choose(np.random.default_rng(3), table, first, second).tolist() == [3, 0]


def test_fixed_width_strings_and_digits() -> None:
    matrix = np.hstack([np.full((2, 1), ord("C"), dtype=np.uint8), digits(np.array([7, 1234]), 6)])
    assert fixed_width_strings(matrix).to_pylist() == ["C000007", "C001234"]


def test_repeat_index_and_rank_within() -> None:
    assert repeat_index(np.array([2, 0, 1])).tolist() == [0, 0, 2]
    assert rank_within(np.array([5, 5, 7, 7, 7, 9])).tolist() == [0, 1, 0, 1, 2, 0]


def test_day_number_counts_from_1970() -> None:
    assert day_number(date(1970, 1, 1)) == 0
    assert day_number(date(1970, 1, 1) + timedelta(days=400)) == 400
