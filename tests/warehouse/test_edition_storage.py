"""Report editions as stored rows (``warehouse/editions.py``), on a real warehouse."""

from __future__ import annotations

from dataclasses import asdict, replace

from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.editions import (
    EditionRecord,
    NewEditionRecord,
    edition_figures,
    get_edition,
    insert_edition,
    list_editions,
    next_number,
)
from tests.conftest import NOW

FIRST = NewEditionRecord(
    template="kwartaal",
    template_title="Kwartaalrapportage",
    template_hash="abc",
    period="2023-H2",
    number=1,
    as_of=None,
    data_moment=NOW,
    last_load_id=3,
    created_at=NOW,
    figures_hash="def",
    previous_id=None,
    revision="{}",
    files='{"pdf": "/tmp/r.pdf"}',
    min_count=10,
    rounded=True,
    figures='{"a": {"v": 1}}',
    sdm_version="0.0.0",
)


def test_an_edition_is_read_back_as_it_was_stored(warehouse: Warehouse) -> None:
    edition_id = insert_edition(warehouse, FIRST)
    stored = get_edition(warehouse, edition_id)
    expected = {k: v for k, v in asdict(FIRST).items() if k not in ("figures", "sdm_version")}
    assert stored == EditionRecord(edition_id=edition_id, **expected)
    assert edition_figures(warehouse, edition_id) == '{"a": {"v": 1}}'
    assert get_edition(warehouse, edition_id + 1) is None
    assert edition_figures(warehouse, edition_id + 1) is None


def test_editions_are_numbered_per_template_and_period_and_listed_newest_first(warehouse: Warehouse) -> None:
    assert next_number(warehouse, "kwartaal", "2023-H2") == 1
    first = insert_edition(warehouse, FIRST)
    assert next_number(warehouse, "kwartaal", "2023-H2") == 2
    assert next_number(warehouse, "kwartaal", "2024-H1") == 1
    second = insert_edition(warehouse, replace(FIRST, number=2, previous_id=first))
    other = insert_edition(warehouse, replace(FIRST, period="2024-H1"))
    assert [e.edition_id for e in list_editions(warehouse)] == [other, second, first]
    assert [e.edition_id for e in list_editions(warehouse, "kwartaal", "2023-H2")] == [second, first]
    assert [e.edition_id for e in list_editions(warehouse, period="2024-H1")] == [other]
    assert list_editions(warehouse, template="jaar") == []
