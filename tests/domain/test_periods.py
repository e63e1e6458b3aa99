from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmonitor.domain.periods import Grain, cut, parse_label, period_of, years_between


def test_labels_per_grain() -> None:
    day = date(2018, 8, 15)
    assert [period_of(day, g).label for g in Grain] == ["2018-08", "2018-Q3", "2018-H2", "2018"]
    half = period_of(day, Grain.HALF)
    assert (half.first, half.last) == (date(2018, 7, 1), date(2018, 12, 31))


def test_a_range_is_cut_into_whole_periods() -> None:
    labels = [p.label for p in cut(date(2018, 2, 10), date(2018, 8, 1), Grain.QUARTER)]
    assert labels == ["2018-Q1", "2018-Q2", "2018-Q3"]
    assert [p.label for p in cut(date(2017, 12, 31), date(2018, 1, 1), Grain.MONTH)] == ["2017-12", "2018-01"]
    assert cut(date(2018, 2, 1), date(2018, 1, 1), Grain.YEAR) == []


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(0, 900),
    st.sampled_from(list(Grain)),
)
def test_periods_cover_the_range_without_gaps_or_overlaps(start: date, days: int, grain: Grain) -> None:
    end = start + timedelta(days=days)
    periods = cut(start, end, grain)
    assert periods[0].first <= start and periods[-1].last >= end
    for before, after in itertools.pairwise(periods):
        assert after.first == before.last + timedelta(days=1)
    for period in periods:
        assert parse_label(period.label) == period
        assert period_of(period.first, grain) == period_of(period.last, grain) == period


@pytest.mark.parametrize("label", ["2018-13", "2018-Q5", "2018-H3", "18", "2018-1", "x"])
def test_bad_labels_are_refused(label: str) -> None:
    with pytest.raises(ValueError):
        parse_label(label)


def test_age_in_completed_years() -> None:
    assert years_between(date(2000, 6, 30), date(2018, 6, 30)) == 18
    assert years_between(date(2000, 7, 1), date(2018, 6, 30)) == 17
    assert years_between(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert years_between(date(2000, 2, 29), date(2018, 3, 1)) == 18


def test_history_counts_back_from_the_report_period() -> None:
    from sdmonitor.domain.periods import history

    labels = [p.label for p in history(parse_label("2018-H1"), Grain.HALF, 7)]
    assert labels == ["2015-H1", "2015-H2", "2016-H1", "2016-H2", "2017-H1", "2017-H2", "2018-H1"]
    assert [p.label for p in history(parse_label("2023-Q1"), Grain.QUARTER, 2)] == ["2022-Q4", "2023-Q1"]
