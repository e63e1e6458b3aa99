"""Periods: inclusive date ranges of one grain (month, quarter, half, year), labelled as users write them.

``cut(date(2018, 2, 10), date(2018, 8, 1), Grain.QUARTER)`` gives 2018-Q1, 2018-Q2 and 2018-Q3: the whole
periods of the grain that contain the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Grain(StrEnum):
    """The length of a period."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


MONTHS_PER = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.HALF: 6, Grain.YEAR: 12}


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive date range ``first..last`` with its label ('2018-01', '2018-Q1', '2018-H1', '2018')."""

    first: date
    last: date
    label: str

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies in the period (both ends inclusive)."""
        return self.first <= day <= self.last


def _month_start(year: int, month: int) -> date:
    """First day of a month given as a possibly out-of-range month number (13 -> January next year)."""
    year += (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def period_of(day: date, grain: Grain) -> Period:
    """The period of ``grain`` that contains ``day``."""
    size = MONTHS_PER[grain]
    first_month = (day.month - 1) // size * size + 1
    first = date(day.year, first_month, 1)
    last = _month_start(day.year, first_month + size) - timedelta(days=1)
    index = (first_month - 1) // size + 1
    label = {
        Grain.MONTH: f"{day.year}-{first_month:02d}",
        Grain.QUARTER: f"{day.year}-Q{index}",
        Grain.HALF: f"{day.year}-H{index}",
        Grain.YEAR: f"{day.year}",
    }[grain]
    return Period(first, last, label)


def cut(start: date, end: date, grain: Grain) -> list[Period]:
    """The whole periods of ``grain`` that together cover ``start..end`` (inclusive), in order."""
    if end < start:
        return []
    periods = [period_of(start, grain)]
    while periods[-1].last < end:
        periods.append(period_of(periods[-1].last + timedelta(days=1), grain))
    return periods


def parse_label(label: str) -> Period:
    """The period a label names: '2018-01', '2018-Q1', '2018-H2' or '2018'; ValueError otherwise."""
    text = label.strip().upper()
    year_text, _, rest = text.partition("-")
    if not (len(year_text) == 4 and year_text.isdigit()):
        raise ValueError(label)
    year = int(year_text)
    if not rest:
        return period_of(date(year, 1, 1), Grain.YEAR)
    if rest.startswith("Q") and rest[1:] in {"1", "2", "3", "4"}:
        return period_of(date(year, 3 * int(rest[1:]) - 2, 1), Grain.QUARTER)
    if rest.startswith("H") and rest[1:] in {"1", "2"}:
        return period_of(date(year, 6 * int(rest[1:]) - 5, 1), Grain.HALF)
    if rest.isdigit() and 1 <= int(rest) <= 12 and len(rest) == 2:
        return period_of(date(year, int(rest), 1), Grain.MONTH)
    raise ValueError(label)


def years_between(born: date, on: date) -> int:
    """Completed years from ``born`` to ``on`` (age on a date; 29 February birthdays count on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def history(period: Period, grain: Grain, count: int) -> list[Period]:
    """The ``count`` periods of ``grain`` ending with ``period`` (which must be of that grain), oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.insert(0, period_of(periods[0].first - timedelta(days=1), grain))
    return periods


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later; a day the target month lacks becomes its last day
    (31 August + 6 months = 28 or 29 February)."""
    first = _month_start(day.year, day.month + months)
    last_day = (_month_start(first.year, first.month + 1) - timedelta(days=1)).day
    return first.replace(day=min(day.day, last_day))
