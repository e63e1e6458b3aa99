"""One privacy rule for viewers: report editions reach a viewer only when published under at least the
dashboard's protection (threshold >= --min-count, rounded to fives). Over real HTTP on the demo."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sdmonitor.reports.editions import NewEdition, Revision, list_editions, store_edition
from sdmonitor.warehouse.sharing import open_for_writing
from tests.web.conftest import Demo, Server
from tests.web.test_server import logged_in


def _store(db: Path, folder: Path, number: int, min_count: int | None, rounded: bool | None) -> int:
    """An edition of a made-up report with a real file, published under the given settings (written while
    the dashboard serves, as ``sdm report`` does: the server lets go of the warehouse meanwhile)."""
    pdf = folder / f"editie-{number}.pdf"
    pdf.write_bytes(b"%PDF-1.4 exacte aantallen 3 en 4")
    edition = NewEdition(
        template="privacytest", template_title="Privacytest", template_hash="p", period="2024-H2",
        number=number, as_of=None, data_moment=None, last_load_id=None, created_at=datetime(2025, 1, number),
        figures={}, figures_hash="0" * 64, previous=None, revision=Revision(None, None, (), ()),
        min_count=min_count, rounded=rounded,
    )  # fmt: skip
    with open_for_writing(db) as warehouse:
        return store_edition(warehouse, edition, {"pdf": str(pdf)})


def test_a_viewer_gets_only_editions_published_under_the_dashboards_protection(
    server: Server, demo: Demo, tmp_path: Path
) -> None:
    exact = _store(demo.db, tmp_path, 1, 1, False)  # sdm report --threshold 1
    unrounded = _store(demo.db, tmp_path, 2, 5, False)  # the report's default: exact counts from 5
    unknown = _store(demo.db, tmp_path, 3, None, None)  # made before the settings were recorded
    safe = _store(demo.db, tmp_path, 4, 10, True)  # --threshold 10 --round-to-5
    withheld = (exact, unrounded, unknown)
    with logged_in(server, "kees") as viewer, logged_in(server, "anna") as analyst:
        page = viewer.get("/edities").text
        for edition_id in withheld:
            assert f"/edities/{edition_id}/pdf" not in page
            assert viewer.get(f"/edities/{edition_id}/pdf").status_code == 404
            assert analyst.get(f"/edities/{edition_id}/pdf").status_code == 200
        assert f"/edities/{safe}/pdf" in page
        assert viewer.get(f"/edities/{safe}/pdf").status_code == 200
        assert "niet beschikbaar voor kijkers" in page
        assert "niet beschikbaar voor kijkers" not in analyst.get("/edities").text


def test_the_demo_publishes_an_edition_that_viewers_may_download(server: Server, warehouse: Any) -> None:
    demo = [e for e in list_editions(warehouse) if e.template == "halfjaar"]
    assert demo and all(e.min_count == 5 and e.rounded for e in demo)
    with logged_in(server, "kees") as viewer:
        answer = viewer.get(f"/edities/{demo[0].edition_id}/xlsx")
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
