"""The table model every output shares: cells with the value and what the reader sees, and how a value is
shown to a Dutch reader.

A report section (``build.py``), a key figure (``keyfigures.py``) and the dashboard (``web/tables.py``,
which extends these classes with links, spoken text and a download key) all build their tables from
these cells, so a figure reads the same in a PDF, a workbook and a dashboard page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sdmonitor.domain.codes import codes
from sdmonitor.domain.formatting import dutch_decimal, dutch_int
from sdmonitor.domain.wording import law_name, month_text, trend_of
from sdmonitor.metrics.catalogue import COLUMN_DECIMALS, MEASURES, corrected_measure
from sdmonitor.reports.protect import COUNTS, FRACTIONS, PERCENT_POINTS
from sdmonitor.reports.suppression import Policy

# A cell hidden to protect another small count, or derived from a hidden one (CBS: 'x' = geheim).
PROTECTED_TEXT = "x"
MONTH_LABEL = re.compile(r"\d{4}-\d{2}")


@dataclass(frozen=True)
class Cell:
    """A table cell: the value (None when empty), what the reader sees, and whether it is hidden."""

    value: Any
    text: str
    hidden: bool = False


@dataclass(frozen=True)
class TableModel:
    """Column names (keys) and headers (Dutch), and rows of cells; the last rows may be a total."""

    columns: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    has_total: bool = False  # the last ``summary_rows`` rows are a total (and an average)
    key_columns: int = 1  # the leading columns that name a row (period or date, then the groups)
    row_keys: tuple[str | None, ...] = ()  # each row's figure name ('clients.WMO.2018-H1'); None: the total
    summary_rows: int = 0
    subtotal_rows: tuple[
        int, ...
    ] = ()  # rows with a group's own total (figure 3: unique clients per target group)


def policy_text(policy: Policy) -> str:
    """What a hidden small count shows: '< 5' for the default threshold."""
    return f"< {policy.threshold}"


def is_hidden_text(text: str) -> bool:
    """Whether a shown text stands for a hidden figure: '< 5' (small) or 'x' (shielded or derived)."""
    return text == PROTECTED_TEXT or text.startswith("<")


def show(column: str, value: Any) -> str:
    """A value of ``column`` as a Dutch reader sees it: '1.234', '18,6 %', 'Jeugdwet', 'maart 2018', '↑'."""
    if value is None:
        return ""
    if column == "law":
        return law_name(value)
    if column == "period" and isinstance(value, str) and MONTH_LABEL.fullmatch(value):
        return month_text(value)  # '2018-03' -> 'maart 2018'
    if column == "provider_type":
        return str(value).replace("_", " ")
    if column == "product_category":  # '02 Begeleiding': the code (as registered) and its name
        name = {**codes("iWmo 3.2", "LDT_ProductCategorie"), **codes("iJw 3.2", "LDT_ProductCategorie")}.get(
            str(value)
        )
        return f"{value} {name}" if name else str(value)
    if column == "referrer":
        return codes("iJw 3.2", "LDT_TypeVerwijzer").get(str(value), str(value))
    if column == "trend" or column == "long_trend":
        trend = trend_of(value)
        return str(value) if trend is None else trend.arrow
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return dutch_int(value)
    if isinstance(value, float):
        if column in FRACTIONS:
            return dutch_decimal(value * 100, 1) + " %"
        if column in PERCENT_POINTS:  # change_pct and the percent measures (within_norm_share 98.0)
            return dutch_decimal(value, 1) + " %"
        if column in ("per_1000", "net") or column in COUNTS:  # a rate, or a count's average per period
            return dutch_decimal(value, 1)
        return dutch_decimal(value, shown_decimals(column))
    return str(value)


def shown_decimals(column: str) -> int:
    """The decimals a reader sees for a number of ``column`` that is no count or percentage: those its
    measure declares (a waiting time in days 1: '41,4'; an amount 2), a ``--prices`` column those of the
    measure it corrects, ``per_10000`` 1 (``catalogue.COLUMN_DECIMALS``); 2 for a column nothing declares."""
    measure = MEASURES.get(corrected_measure(column)[0])
    declared = COLUMN_DECIMALS.get(column) if measure is None else measure.decimals
    return 2 if declared is None else declared
