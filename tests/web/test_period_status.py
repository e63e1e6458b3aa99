"""Every dashboard table and download of a metric carries the period's status, as the CLI's status column
does (docs/metrics.md "Realised, planned and incomplete"); a period after the data moment is refused in words
for a browser user, without command-line options."""

from __future__ import annotations

import csv
import html
import io
from typing import Any

from sdmonitor.domain.dates import format_dutch
from sdmonitor.warehouse.allocations import data_window
from tests.web.conftest import Server
from tests.web.test_server import logged_in

SELECTION = "van=2024-01-01&tot=2025-06-30&periode=halfjaar"


def _moment(warehouse: Any) -> str:
    moment = data_window(warehouse, None).moment
    assert moment is not None
    return format_dutch(moment)


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_partial_period_is_labelled_in_the_clients_and_flows_tables_and_their_downloads(
    server: Server, warehouse: Any
) -> None:
    partial = f"2025-H1 (t/m {_moment(warehouse)})"
    for name in ("anna", "kees"):
        with logged_in(server, name) as client:
            page = client.get(f"/clienten?{SELECTION}")
            assert page.status_code == 200, page.text
            assert html.unescape(page.text).count(partial) >= 2, name  # unique clients and flows
            for table in ("clienten", "stromen"):
                rows = _csv_rows(client.get(f"/download/clienten/{table}.csv?{SELECTION}").content)
                periods = [row[0] for row in rows[1:]]
                assert periods == ["2024-H1", "2024-H2", partial], (name, table, periods)


def test_a_period_after_the_data_moment_is_refused_with_the_latest_period_and_no_cli_option(
    server: Server, warehouse: Any
) -> None:
    with logged_in(server, "anna") as client:
        for link in ("/clienten?van=2025-07-01&tot=2025-12-31&periode=halfjaar",
                     "/download/clienten/clienten.csv?van=2025-07-01&tot=2025-12-31&periode=halfjaar"):  # fmt: skip
            answer = client.get(link)
            text = html.unescape(answer.text)
            assert answer.status_code == 400, link
            assert f"ligt na het datamoment {_moment(warehouse)}" in text, text
            assert "De laatste periode met gegevens is 2025-H1." in text
            assert "--planned" not in text and "--" not in text.split("ligt na")[1].split("</")[0]
