"""Run-off triangles and chain-ladder completion factors: how complete a delivery month's costs are k months on.

docs/forecast.md ("Late declarations") and docs/design/money.md §3.2. Months are counted as integers
(``month_number``: year x 12 + month - 1) so that lags are plain differences. The lag of an approved amount is
the number of months from its delivery month to the month it was submitted in (0: submitted in the delivery
month itself). ``C(h, k)`` is the amount of delivery month ``h`` known by lag ``k``; the link ratio
``f_k = sum_h C(h, k+1) / sum_h C(h, k)`` over the delivery months that have both; ``CDF_k`` the product of
``f_k .. f_(K-1)`` (tail 1 after ``K`` = 24 months); the completion factor ``c_k = 1 / CDF_k``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

MAX_LAG = 24  # K: a delivery month is complete 24 months on (tail factor 1)
LINK_MONTHS = 24  # link ratios over the delivery months of the last two years


def month_number(day: date) -> int:
    """The month of ``day`` as one integer (2024-03-31 -> 2024 * 12 + 2), so that lags are differences."""
    return day.year * 12 + day.month - 1


def month_first(number: int) -> date:
    """The first day of a month number (the inverse of ``month_number``)."""
    return date(number // 12, number % 12 + 1, 1)


@dataclass(frozen=True)
class CompletionFactors:
    """Chain-ladder completion factors ``c_0 .. c_K`` (``c_K`` = 1) and the link ratios they come from.

    ``basis`` names where they were estimated: ``lijn`` (the budget line's own history) or ``wet`` (pooled
    over the law, when the line has too little history)."""

    link_ratios: tuple[float, ...]
    completion: tuple[float, ...]
    basis: str = "lijn"

    def at(self, lag: int) -> float:
        """The share of a delivery month's final amount known ``lag`` months on (1 from ``K`` on)."""
        if lag < 0:
            return 0.0
        return self.completion[lag] if lag < len(self.completion) else 1.0

    def with_basis(self, basis: str) -> CompletionFactors:
        return CompletionFactors(self.link_ratios, self.completion, basis)


COMPLETE = CompletionFactors((1.0,) * MAX_LAG, (1.0,) * (MAX_LAG + 1), "geen")


def cumulative_triangle(
    delivery: Sequence[int] | np.ndarray,
    lag: Sequence[int] | np.ndarray,
    amount: Sequence[float] | np.ndarray,
    *,
    last_known: int,
    months: Iterable[int],
    max_lag: int = MAX_LAG,
) -> np.ndarray:
    """The cumulative triangle ``C[h, k]`` for the delivery ``months`` (rows, in that order), lags 0..max_lag.

    ``delivery``, ``lag`` and ``amount`` are parallel: an approved amount of a delivery month submitted
    ``lag`` months later. A cell is known when its submission month ``h + k`` is at most ``last_known`` (the
    last complete month of submissions); unknown cells are NaN. Negative lags (submitted before the month
    was over: a declaration in advance) count at lag 0; lags beyond ``max_lag`` count at ``max_lag``.
    """
    rows = list(months)
    index = {h: i for i, h in enumerate(rows)}
    cells = np.zeros((len(rows), max_lag + 1))
    for h, k, value in zip(
        np.asarray(delivery), np.asarray(lag), np.asarray(amount, dtype=float), strict=True
    ):
        i = index.get(int(h))
        if i is not None:
            cells[i, min(max(int(k), 0), max_lag)] += value
    cumulative = np.cumsum(cells, axis=1)
    known = np.asarray(rows)[:, None] + np.arange(max_lag + 1)[None, :] <= last_known
    return np.where(known, cumulative, np.nan)


def completion_factors(
    cumulative: np.ndarray, max_lag: int = MAX_LAG, recent: int = LINK_MONTHS
) -> CompletionFactors:
    """Chain-ladder completion factors of a cumulative triangle (rows: delivery months in ascending order,
    NaN: not yet known). Each link ratio ``f_k`` is taken over the ``recent`` youngest delivery months that
    know both lag k and k+1, so old habits of declaring fade out.

    A link ratio without data (no delivery month has both lags, or their sum at lag k is not positive) is 1.
    A completion factor is capped at 1: credits can make a later cumulative amount smaller, and a month is
    never more than complete.
    """
    width = cumulative.shape[1] if cumulative.ndim == 2 else 0
    links: list[float] = []
    for k in range(max_lag):
        if k + 1 >= width:
            links.append(1.0)
            continue
        both = ~np.isnan(cumulative[:, k]) & ~np.isnan(cumulative[:, k + 1])
        if both.sum() > recent:
            both[np.flatnonzero(both)[:-recent]] = False
        before = float(cumulative[both, k].sum())
        after = float(cumulative[both, k + 1].sum())
        links.append(after / before if both.any() and before > 0 and after > 0 else 1.0)
    completion = [1.0] * (max_lag + 1)
    product = 1.0
    for k in range(max_lag - 1, -1, -1):
        product *= links[k]
        completion[k] = min(1.0, 1.0 / product)
    return CompletionFactors(tuple(links), tuple(completion))


def chain_ladder_ultimate(known: float, factors: CompletionFactors, lag: int) -> float:
    """The chain-ladder estimate of a month's final amount: what is known at ``lag``, divided by ``c_lag``."""
    c = factors.at(lag)
    return known / c if c > 0 else known


def late_expected(expected: Sequence[float], lags: Sequence[int], factors: CompletionFactors) -> float:
    """Bornhuetter–Ferguson: the declarations still to come for months with an a-priori cost ``expected``
    that are ``lags`` months old: the sum of (1 - c_lag) x expected."""
    return float(sum((1.0 - factors.at(k)) * e for e, k in zip(expected, lags, strict=True)))
