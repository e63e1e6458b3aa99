"""Kaplan–Meier survival of allocation durations: how long an open-ended allocation of a product will still run.

docs/forecast.md ("Commitments") and docs/design/money.md §3.3. A duration is in days (end - start + 1, the
end inclusive); an ended allocation is an event, one still running at the moment of the forecast is censored
at its age then. ``S(t)`` is the probability that an allocation runs longer than ``t`` days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Survival:
    """A Kaplan–Meier curve: ``S`` just after each event time (days, ascending)."""

    times: tuple[float, ...]
    values: tuple[float, ...]
    observations: int = 0

    def at(self, days: float) -> float:
        """S(days): the probability of running longer than ``days`` (1 before the first event)."""
        at = int(np.searchsorted(np.asarray(self.times), days, side="right"))
        return 1.0 if at == 0 else self.values[at - 1]

    def still_running(self, age_now: float, age_then: float) -> float:
        """The probability that an allocation running at age ``age_now`` still runs at ``age_then``.

        S(age_then) / S(age_now). Beyond the longest observed duration (S(age_now) = 0, an allocation older
        than any that ended) nothing is known about its end: it is taken to run on (1)."""
        if age_then <= age_now:
            return 1.0
        now = self.at(age_now)
        return 1.0 if now <= 0 else self.at(age_then) / now


RUNS_ON = Survival((), (), 0)  # no history: an open allocation runs to the end of the year


def kaplan_meier(
    durations: Sequence[float] | np.ndarray,
    ended: Sequence[bool] | np.ndarray,
    counts: Sequence[float] | np.ndarray | None = None,
) -> Survival:
    """The Kaplan–Meier estimate from ``durations`` (days) and whether each ``ended`` (else censored);
    ``counts``: how many allocations each (duration, ended) pair stands for (default 1 each).

    At each event time t: S(t) = S(t-) x (1 - d_t / n_t), with d_t the events at t and n_t the allocations
    with a duration of at least t (censored ones at t count as still at risk, the usual convention)."""
    d = np.asarray(durations, dtype=float)
    e = np.asarray(ended, dtype=bool)
    w = np.ones(d.size) if counts is None else np.asarray(counts, dtype=float)
    if d.size == 0 or w.sum() <= 0:
        return RUNS_ON
    times, inverse = np.unique(d, return_inverse=True)
    events = np.bincount(inverse, weights=w * e, minlength=times.size)
    total = np.bincount(inverse, weights=w, minlength=times.size)
    at_risk = w.sum() - np.concatenate(([0.0], np.cumsum(total)[:-1]))
    with_event = events > 0
    factors = 1.0 - events[with_event] / at_risk[with_event]
    values = np.cumprod(factors)
    return Survival(tuple(float(t) for t in times[with_event]), tuple(float(v) for v in values), int(w.sum()))
