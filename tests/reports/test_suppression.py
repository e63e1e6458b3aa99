from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sdmonitor.reports.suppression import Policy, Relation, round_to_five, suppress


def test_small_counts_are_hidden_and_zero_is_shown() -> None:
    values = {"a": 12, "b": 3, "c": 0, "d": 7}
    assert suppress(values, []) == {"b"}


def test_a_lone_hidden_part_makes_the_smallest_shown_part_hidden_too() -> None:
    values = {"a": 12, "b": 3, "c": 7, "total": 22}
    assert suppress(values, [Relation("total", ("a", "b", "c"))]) == {"b", "c"}


def test_secondary_suppression_prefers_a_nonzero_part() -> None:
    values = {"a": 12, "b": 3, "c": 0, "d": 9, "total": 24}
    assert suppress(values, [Relation("total", ("a", "b", "c", "d"))]) == {"b", "d"}


def test_a_hidden_total_needs_no_secondary_suppression() -> None:
    values = {"a": 2, "b": 1, "total": 3}
    assert suppress(values, [Relation("total", ("a", "b"))]) == {"a", "b", "total"}


def test_secondary_suppression_propagates_through_two_way_tables() -> None:
    # rows r1, r2 with columns c1, c2 and totals both ways
    values = {("r1", "c1"): 3, ("r1", "c2"): 10, ("r2", "c1"): 8, ("r2", "c2"): 9,
              ("r1", "t"): 13, ("r2", "t"): 17, ("t", "c1"): 11, ("t", "c2"): 19, ("t", "t"): 30}  # fmt: skip
    relations = [
        Relation(("r1", "t"), (("r1", "c1"), ("r1", "c2"))),
        Relation(("r2", "t"), (("r2", "c1"), ("r2", "c2"))),
        Relation(("t", "c1"), (("r1", "c1"), ("r2", "c1"))),
        Relation(("t", "c2"), (("r1", "c2"), ("r2", "c2"))),
    ]
    assert suppress(values, relations) == {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")}


def test_rounding_to_five_replaces_secondary_suppression() -> None:
    assert [round_to_five(v) for v in (0, 2, 3, 12, 13, 17, 18)] == [0, 0, 5, 10, 15, 15, 20]
    values = {"a": 12, "b": 3, "total": 15}
    assert suppress(values, [Relation("total", ("a", "b"))], Policy(round_to_5=True)) == {"b"}


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8), st.integers(2, 10))
def test_no_shown_total_reveals_a_single_hidden_part(parts: list[int], threshold: int) -> None:
    values: dict[object, int] = {i: v for i, v in enumerate(parts)}
    values["total"] = sum(parts)
    hidden = suppress(values, [Relation("total", tuple(range(len(parts))))], Policy(threshold=threshold))
    assert {i for i, v in enumerate(parts) if 0 < v < threshold} <= hidden
    hidden_parts = [i for i in range(len(parts)) if i in hidden]
    assert "total" in hidden or len(hidden_parts) != 1
