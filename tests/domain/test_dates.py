from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmonitor.domain.dates import format_dutch, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-01-05", date(2018, 1, 5)),
        ("2018-1-5", date(2018, 1, 5)),
        ("05-01-2018", date(2018, 1, 5)),
        ("5-1-2018", date(2018, 1, 5)),
        ("05/01/2018", date(2018, 1, 5)),
        ("2018-01-05 00:00:00", date(2018, 1, 5)),
        ("2018-01-05T00:00:00", date(2018, 1, 5)),
        ("05-01-2018 00:00", date(2018, 1, 5)),
        (" 2020-02-29 ", date(2020, 2, 29)),
    ],
)
def test_iso_and_dutch_dates_parse(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "2019-02-29", "31-02-2018", "2027-06-31", "2018-13-01", "00-01-2018", "0000-01-01",
     "18-01-05", "2018/01/05", "5 januari 2018", "20180105", "２０１８-01-05"],
)  # fmt: skip
def test_impossible_or_unknown_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


@given(st.dates(min_value=date(1, 1, 1)))
def test_iso_and_dutch_notation_round_trip(value: date) -> None:
    assert parse_date(value.isoformat()) == value
    assert parse_date(format_dutch(value)) == value
