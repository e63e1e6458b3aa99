"""Formatting for everything a user reads: Dutch numbers (1.234 and 18,2), spreadsheet-safe text."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# A spreadsheet reads text starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same as a regular expression (RE2 and Python) for whole columns.
FORMULA_PATTERN = r"^[=+\-@\t\r]"


def csv_text(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert with a leading quote (OWASP):
    ``=HYPERLINK("http://evil.example/")`` -> ``'=HYPERLINK("http://evil.example/")``; numbers unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def dutch_int(value: int) -> str:
    """A whole number with a dot per thousand: 1234567 -> '1.234.567'."""
    return f"{value:,}".replace(",", ".")


def half_up(value: float, places: int) -> float:
    """``value`` rounded to ``places`` decimals, a half away from zero, as the number it is written as: 0.75
    -> 0.8 and 0.85 -> 0.9 (Python's ``round`` and format give 0.8 for both: they round the binary fraction,
    0.8499999..., and a tie to even). The one rounding of a figure that is computed in Python (the rates per
    1,000 and 10,000) and of every number written out, as DuckDB's ROUND rounds the measures."""
    return float(_decimal(value, places))


def _decimal(value: float, places: int) -> Decimal:
    """``value`` as the shortest decimal that is that float (its ``repr``), rounded a half away from zero."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def dutch_decimal(value: float, places: int = 1) -> str:
    """A number with a decimal comma and dots per thousand: 1234.56 -> '1.234,6' (rounded as ``half_up``);
    never '-0,0'."""
    text = f"{_decimal(value, places):,.{places}f}" if math.isfinite(value) else f"{value:,.{places}f}"
    if text.startswith("-") and not text.strip("-0.,"):  # never '-0,0'
        text = text[1:]
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def fixed_decimal(value: float, places: int) -> str:
    """A number with exactly ``places`` decimals and a point, as CSV writes it: 2192.5 with 2 places ->
    '2192.50', 0.33333 with 4 -> '0.3333', 12.6 with 0 -> '13', 0.85 with 1 -> '0.9' (``half_up``); never
    '-0.00' for a value that rounds to zero."""
    text = f"{_decimal(value, places):.{places}f}" if math.isfinite(value) else f"{value:.{places}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def dutch_number(value: float, places: int) -> str:
    """A number with exactly ``places`` decimals in Dutch notation: 12660856.6 with 2 places ->
    '12.660.856,60', 310 with 0 -> '310'; never '-0,00'."""
    plain = fixed_decimal(value, places)
    whole, _, decimals = plain.partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    grouped = dutch_int(int(digits))
    return f"{sign}{grouped},{decimals}" if decimals else f"{sign}{grouped}"
