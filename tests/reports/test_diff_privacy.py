"""sdm report diff between editions published under different privacy settings (--round-to-5, the
threshold) says so first, in Dutch, before the number of changed figures: they differ without new data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sdmonitor.reports.diff import diff_editions
from sdmonitor.reports.run import make_report
from sdmonitor.reports.suppression import Policy
from sdmonitor.warehouse import Warehouse
from tests.reports.test_editions import JW, TEMPLATE, WMO, load

ROUNDED = "aantallen onder 5 verborgen, afgerond op vijftallen"
EXACT = "aantallen onder 5 verborgen, niet afgerond"


def test_a_diff_of_a_rounded_and_an_exact_edition_says_first_that_the_privacy_settings_differ(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, tmp_path / "a.csv", WMO + JW, datetime(2018, 7, 2))
    for day, policy in ((3, Policy(threshold=5)), (4, Policy(threshold=5, round_to_5=True)), (5, Policy(5))):
        make_report(
            warehouse, TEMPLATE, "2018-H1", tmp_path / "out", now=datetime(2018, 7, day), policy=policy
        )
    chosen = diff_editions(warehouse, "2018-H1", None, 2, 1).notes()
    assert chosen[0] == (
        f"Let op: de privacy-instellingen verschillen. Editie 1: {EXACT}; editie 2: {ROUNDED}. Cijfers "
        "verschillen daardoor ook waar de gegevens gelijk zijn."
    )
    assert chosen[1].endswith("getoonde cijfers gewijzigd.")
    previous = diff_editions(warehouse, "2018-H1", None, 3, None).notes()  # against the rounded edition 2
    assert previous[0].startswith(
        f"Let op: de privacy-instellingen verschillen. Editie 2: {ROUNDED}; editie 3"
    )


def test_a_diff_of_editions_with_the_same_privacy_settings_says_nothing_about_them(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, tmp_path / "a.csv", WMO + JW, datetime(2018, 7, 2))
    for day in (3, 4):
        make_report(warehouse, TEMPLATE, "2018-H1", tmp_path / "out", now=datetime(2018, 7, day))
    notes = diff_editions(warehouse, "2018-H1", None, 2, 1).notes()
    assert not any("privacy" in note for note in notes)
