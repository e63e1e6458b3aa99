"""Numbers as a user reads them: rounded a half away from zero as they are written (0.85 -> 0.9), Dutch
notation, never a negative zero."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from sdmonitor.domain.formatting import dutch_decimal, dutch_number, fixed_decimal, half_up


def test_a_half_is_rounded_away_from_zero_also_where_the_float_lies_just_below_it() -> None:
    assert [half_up(v, 1) for v in (0.75, 0.85, 0.25, 0.15, -0.05)] == [0.8, 0.9, 0.3, 0.2, -0.1]
    assert [fixed_decimal(v, 1) for v in (0.75, 0.85, 0.25)] == ["0.8", "0.9", "0.3"]
    assert dutch_decimal(0.85, 1) == "0,9" and dutch_number(1234.125, 2) == "1.234,13"


def test_no_negative_zero_is_written() -> None:
    assert fixed_decimal(-0.04, 1) == "0.0" and dutch_decimal(-0.04, 1) == "0,0"
    assert dutch_number(-0.001, 2) == "0,00"


@given(st.integers(0, 10**6), st.integers(1, 10**7), st.sampled_from([1, 1000, 10000]), st.integers(0, 3))
def test_a_rate_is_the_exact_ratio_rounded_half_up(count: int, people: int, scale: int, places: int) -> None:
    """As computed by the rates (count * scale / people) and written: the exact fraction rounded a half up."""
    exact = Fraction(count * scale, people)
    expected = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    assert fixed_decimal(count * scale / people, places) == f"{expected:.{places}f}"
