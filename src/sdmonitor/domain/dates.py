"""Dates as they appear in exports: ISO ``YYYY-MM-DD`` and Dutch ``DD-MM-YYYY``.

This scalar parser is the definition; ``sdmonitor.ingest.vectorised`` does the same on whole columns and is
tested against it.
"""

from __future__ import annotations

import re
from datetime import date

# '2018-01-05', '2018-1-5', '2018-01-05 00:00:00', '2018-01-05T00:00:00'
ISO_DATE = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)
# '05-01-2018', '5-1-2018', '05/01/2018', '05-01-2018 00:00'
DUTCH_DATE = re.compile(r"([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?")


def parse_date(value: str) -> date | None:
    """Parse an ISO or Dutch date; None when the text is not a real calendar date.

    Accepts one- or two-digit day and month and an optional time of day, which is ignored (spreadsheet
    exports often add ' 00:00:00'). Example: '31-12-2018' -> date(2018, 12, 31); '31-02-2018' -> None.
    """
    text = value.strip()
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.group(1), match.group(2), match.group(3)
    elif match := DUTCH_DATE.fullmatch(text):
        day, month, year = match.group(1), match.group(2), match.group(3)
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def format_dutch(value: date) -> str:
    """A date as Dutch users write it: '05-01-2018'."""
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
