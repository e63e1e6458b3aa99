"""sdm report diff: an edition against the previous one or a chosen one, the table and the notes it prints."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from sdmonitor.errors import InputError
from sdmonitor.reports.diff import EditionDiff, diff_editions, pick_editions
from sdmonitor.reports.editions import list_editions
from sdmonitor.reports.run import make_report
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation
from tests.reports.test_editions import JW, TEMPLATE, WMO, load, report

MORE_WMO = [allocation(f"w{i}", client=f"W{i}", start="2018-03-01") for i in (10, 11)]


def _two_editions(warehouse: Warehouse, tmp_path: Path) -> int:
    """Edition 1 from the first load, edition 2 after a second load adds two Wmo clients; the second load's id."""
    load(warehouse, tmp_path / "a.csv", WMO + JW, datetime(2018, 7, 2, 9, 0))
    report(warehouse, tmp_path / "out", datetime(2018, 7, 3))
    second = load(warehouse, tmp_path / "b.csv", WMO + JW + MORE_WMO, datetime(2018, 8, 1, 9, 0))
    report(warehouse, tmp_path / "out", datetime(2018, 8, 2))
    return second


def test_the_newest_edition_is_compared_with_the_previous_one_and_its_loads(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    second = _two_editions(warehouse, tmp_path)
    diff = diff_editions(warehouse, "2018-H1", None, None, None)
    assert diff.headers == ("cijfer", "editie 1", "editie 2", "gewijzigd door")
    assert diff.rows == [
        (
            "Cliënten per wet: 2018-H1 · Wmo, Cliënten",
            "10",
            "12",
            f"laadactie {second} (b.csv, bron standaard, 01-08-2018 09:00)",
        )
    ]
    assert diff.title == "test 2018-H1: editie 2 tegenover editie 1"
    assert diff.notes() == ["1 getoonde cijfers gewijzigd."]  # loads are listed only against a chosen edition


def test_against_a_chosen_edition_the_loads_between_them_are_listed(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    second = _two_editions(warehouse, tmp_path)
    diff = diff_editions(warehouse, "2018-H1", "test", 2, 1)
    assert diff.chosen and [row[1:3] for row in diff.rows] == [("10", "12")]
    assert diff.rows[0][3] == ""  # a comparison of any two editions does not credit single figures
    assert diff.notes() == [
        "1 getoonde cijfers gewijzigd.",
        f"Laadacties tussen beide edities: laadactie {second} (b.csv, bron standaard, 01-08-2018 09:00)",
    ]


def test_the_first_edition_has_nothing_to_compare(warehouse: Warehouse, tmp_path: Path) -> None:
    _two_editions(warehouse, tmp_path)
    diff = diff_editions(warehouse, "2018-H1", None, 1, None)
    assert diff == EditionDiff("test", "2018-H1", 1, None)
    assert diff.rows == [] and diff.notes() == ["Editie 1 is de eerste editie van test 2018-H1."]


def test_unknown_editions_and_an_ambiguous_template_are_refused_in_dutch(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="Er zijn geen edities over 2018-H1"):
        pick_editions([], "2018-H1", None, None)
    _two_editions(warehouse, tmp_path)
    editions = list_editions(warehouse, None, "2018-H1")
    with pytest.raises(InputError, match=r"Editie 7 bestaat niet; er zijn edities 1, 2\."):
        pick_editions(editions, "2018-H1", 7, None)
    with pytest.raises(InputError, match=r"Editie 9 bestaat niet; er zijn edities 1, 2\."):
        pick_editions(editions, "2018-H1", None, 9)
    assert [e.number for e in pick_editions(editions, "2018-H1", None, None) if e is not None] == [2]
    make_report(
        warehouse, replace(TEMPLATE, name="ander"), "2018-H1", tmp_path / "out", now=datetime(2018, 8, 3)
    )
    with pytest.raises(InputError, match="edities van ander, test over 2018-H1; kies er een met --template"):
        pick_editions(list_editions(warehouse, None, "2018-H1"), "2018-H1", None, None)
