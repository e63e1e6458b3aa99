"""Dutch number formatting for everything a user reads: 1.234 and 18,2."""

from __future__ import annotations


def dutch_int(value: int) -> str:
    """A whole number with a dot per thousand: 1234567 -> '1.234.567'."""
    return f"{value:,}".replace(",", ".")


def dutch_decimal(value: float, places: int = 1) -> str:
    """A number with a decimal comma and dots per thousand: 1234.56 -> '1.234,6'."""
    return f"{value:,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")
