"""Small-cell suppression for outputs meant for the council or the public.

Primary suppression hides every count from 1 up to the threshold (default: below 5); a zero is shown, as
it reveals nobody. Secondary suppression then makes sure no shown total lets a reader work a hidden cell
back: in every sum relation (a total and its parts) whose total is shown, either no part is hidden or at
least two are. Where only one is, the smallest shown part is hidden as well, until nothing changes. Cells
derived from a hidden count (a ratio, a rate per 1,000, a growth figure) are hidden with it by the caller.

Optionally counts are rounded to multiples of 5 first (as CBS publishes); rounded totals no longer add up
exactly, so rounding replaces the secondary step.

Example: parts 12, 3 and 7 with total 22 and threshold 5: 3 is hidden (primary) and 7 too (secondary,
the smallest shown part), so the reader sees 12, < 5, hidden, 22 and cannot tell 3 from 7.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from sdmonitor.errors import InputError


@dataclass(frozen=True)
class Relation:
    """``total`` = sum of ``parts`` (cell keys)."""

    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True)
class Policy:
    """The privacy rule: hide counts from 1 to ``threshold - 1``; optionally round to multiples of 5."""

    threshold: int = 5
    round_to_5: bool = False


DEFAULT_POLICY = Policy()

# A council report is public. Its threshold may be raised, never set below the usual norm for published
# counts of persons (CBS and the municipal monitors publish no count of fewer than 5 persons). The ceiling
# keeps a typo (500) from hiding a whole report.
REPORT_MIN_THRESHOLD = 5
REPORT_MAX_THRESHOLD = 100


def check_report_threshold(threshold: object) -> None:
    """Refuse a report threshold that is not a whole number from 5 to 100, in Dutch."""
    if (
        not isinstance(threshold, int)
        or isinstance(threshold, bool)
        or not REPORT_MIN_THRESHOLD <= threshold <= REPORT_MAX_THRESHOLD
    ):
        raise InputError(
            f"--threshold {threshold} kan niet: een rapport voor de raad verbergt aantallen kleiner dan een "
            f"geheel getal van {REPORT_MIN_THRESHOLD} tot en met {REPORT_MAX_THRESHOLD} "
            f"(standaard {DEFAULT_POLICY.threshold}). Kies bijvoorbeeld --threshold {REPORT_MIN_THRESHOLD} of 10."
        )


def round_to_five(value: int) -> int:
    """Nearest multiple of 5 (halves round up): 12 -> 10, 13 -> 15."""
    return int((value + 2) // 5 * 5)


def primary(values: Mapping[Hashable, int], policy: Policy) -> set[Hashable]:
    """Keys of counts from 1 to threshold - 1."""
    return {key for key, value in values.items() if 0 < value < policy.threshold}


def suppress(
    values: Mapping[Hashable, int],
    relations: Iterable[Relation],
    policy: Policy = DEFAULT_POLICY,
    also: Iterable[Hashable] = (),
) -> set[Hashable]:
    """The keys to hide: primary suppression, then secondary until every shown total is safe.

    ``also`` are keys hidden for another reason (the same figure is hidden in another table of the report).
    """
    hidden = primary(values, policy) | {key for key in also if key in values}
    if policy.round_to_5:
        return hidden
    relations = list(relations)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            if relation.total in hidden:
                continue
            parts = [p for p in relation.parts if p in values]
            hidden_parts = [p for p in parts if p in hidden]
            if len(hidden_parts) != 1:
                continue
            shown = sorted((p for p in parts if p not in hidden), key=lambda p: (values[p] == 0, values[p]))
            if shown:
                hidden.add(shown[0])
            else:  # the only hidden part equals the total: hide the total
                hidden.add(relation.total)
            changed = True
    return hidden
