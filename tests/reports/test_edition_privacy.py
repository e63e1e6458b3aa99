"""Editions record the privacy settings they were published under; a protected edition never compares with
(and so never quotes) a less protected one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sdmonitor.reports.editions import get_edition
from sdmonitor.reports.run import make_report
from sdmonitor.reports.suppression import Policy
from sdmonitor.warehouse import Warehouse
from tests.reports.test_editions import JW, TEMPLATE, WMO, load


def test_an_edition_records_its_threshold_and_rounding(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, tmp_path / "a.csv", WMO + JW, datetime(2018, 7, 2))
    exact = make_report(warehouse, TEMPLATE, "2018-H1", tmp_path / "out", now=datetime(2018, 7, 3),
                        policy=Policy(threshold=5)).edition  # fmt: skip
    stored = get_edition(warehouse, exact.edition_id)
    assert stored is not None and (stored.min_count, stored.rounded) == (5, False)
    assert not stored.protects_at_least(5, rounded=True)
    protected = make_report(warehouse, TEMPLATE, "2018-H1", tmp_path / "out", now=datetime(2018, 7, 4),
                            policy=Policy(threshold=10, round_to_5=True)).edition  # fmt: skip
    assert (protected.min_count, protected.rounded) == (10, True)
    assert protected.protects_at_least(5, rounded=True) and not protected.protects_at_least(11, rounded=True)


def test_a_protected_edition_does_not_quote_the_exact_figures_of_a_less_protected_one(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, tmp_path / "a.csv", WMO + JW, datetime(2018, 7, 2))
    exact = make_report(warehouse, TEMPLATE, "2018-H1", tmp_path / "out", now=datetime(2018, 7, 3),
                        policy=Policy(threshold=5)).edition  # fmt: skip
    protected = make_report(warehouse, TEMPLATE, "2018-H1", tmp_path / "out", now=datetime(2018, 7, 4),
                            policy=Policy(threshold=5, round_to_5=True)).edition  # fmt: skip
    assert protected.previous_id is None and protected.revision.changes == ()
    again = make_report(warehouse, TEMPLATE, "2018-H1", tmp_path / "out", now=datetime(2018, 7, 5),
                        policy=Policy(threshold=5)).edition  # fmt: skip
    assert again.previous_id == protected.edition_id  # a less protected one may compare with any
    assert exact.edition_id != again.edition_id
