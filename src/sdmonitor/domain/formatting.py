"""Formatting for everything a user reads: Dutch numbers (1.234 and 18,2), spreadsheet-safe text."""

from __future__ import annotations

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


def dutch_decimal(value: float, places: int = 1) -> str:
    """A number with a decimal comma and dots per thousand: 1234.56 -> '1.234,6'."""
    return f"{value:,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def fixed_decimal(value: float, places: int) -> str:
    """A number with exactly ``places`` decimals and a point, as CSV writes it: 2192.5 with 2 places ->
    '2192.50', 0.33333 with 4 -> '0.3333', 12.6 with 0 -> '13'; never '-0.00' for a value that rounds to zero."""
    text = f"{value:.{places}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def dutch_number(value: float, places: int) -> str:
    """A number with exactly ``places`` decimals in Dutch notation: 12660856.6 with 2 places ->
    '12.660.856,60', 310 with 0 -> '310'; never '-0,00'."""
    plain = fixed_decimal(value, places)
    whole, _, decimals = plain.partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    grouped = dutch_int(int(digits))
    return f"{sign}{grouped},{decimals}" if decimals else f"{sign}{grouped}"
