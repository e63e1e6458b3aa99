"""The page "Toegang en wachttijden" (``/toegang``, issue 13) in a real browser: Debian's headless Chromium
driven by Playwright against the real server on the demo municipality (its requests and deliveries).

An analyst reaches it from the menu and sees the waiting list per product group exactly as ``sdm metric
waiting_list`` prints it, the weeks spread as a chart, and who waits now; a viewer sees the same tables with
counts rounded to fives or hidden, and never who waits. Neither page logs a console error or asks anything
from outside the dashboard. The page has no filter form of its own: what a viewer changes is the page (from
the overview's tile to this page, then to a download), and the download holds what the page shows."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.web.conftest import Demo, Server, sdm
from tests.web.test_pages_in_browser import number, table_rows

TABLES = [
    "wachtlijst_product",
    "wachtlijst_aanbieder",
    "wachttijd_per_maand",
    "beslistermijnen",
    "open_aanvragen",
]


def watched(page: Any, server: Server) -> tuple[list[str], list[str]]:
    """Console errors and uncaught page errors, and requests to anywhere but the dashboard, from now on."""
    errors: list[str] = []
    outside: list[str] = []
    origin = urlsplit(server.url).netloc
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith("data:") and urlsplit(request.url).netloc != origin
            else None
        ),
    )
    return errors, outside


def open_from_menu(page: Any, server: Server) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Toegang en wachttijden"
    ).click()
    page.wait_for_url(f"{server.url}/toegang")
    assert page.get_by_role("heading", level=1).inner_text() == "Toegang en wachttijden"


def moment_of(page: Any) -> str:
    """The data moment in the title of the waiting list: '30-06-2024' -> '2024-06-30'."""
    title = page.locator("#titel-wachtlijst_product").inner_text()
    found = re.search(r"(\d\d)-(\d\d)-(\d{4})$", title)
    assert found is not None, title
    return f"{found.group(3)}-{found.group(2)}-{found.group(1)}"


def test_an_analyst_sees_the_waiting_list_as_sdm_metric_prints_it_and_who_waits(
    as_user: Callable[..., Any], server: Server, demo: Demo, screenshots: Path
) -> None:
    page = as_user("anna")
    errors, outside = watched(page, server)
    open_from_menu(page, server)
    page.screenshot(path=str(screenshots / "toegang-anna.png"), full_page=True)
    for key in (*TABLES, "wie_wacht"):
        assert page.locator(f"#titel-{key}").count() == 1, key
    chart = page.locator("section[aria-labelledby='titel-wachtlijst_product'] figure.chart svg")
    assert chart.get_attribute("role") == "img"
    assert "Wachtenden naar weken gewacht" in (chart.get_attribute("aria-label") or "")
    moment = moment_of(page)
    printed = sdm(
        "metric", "waiting_list", "--on", moment, "--by", "cbs_group", "--format", "csv", db=demo.cli_db
    )
    assert printed.returncode == 0, printed.stderr
    expected = {row["cbs_group"]: int(row["waiting"]) for row in csv.DictReader(io.StringIO(printed.stdout))}
    headers = page.locator("section[aria-labelledby='titel-wachtlijst_product'] thead th").all_inner_texts()
    at = headers.index("Wachtend")
    shown = {row[1]: number(row[at]) for row in table_rows(page, "wachtlijst_product")}  # date, group, ...
    assert shown == expected and sum(shown.values()) > 0
    who = table_rows(page, "wie_wacht")
    assert len(who) == sum(expected.values())  # one row per waiting allocation
    text = page.locator("main").inner_text()
    assert "Sleutel (pseudoniem)" in text
    assert not re.search(r"\b9999\d{5}\b", text)  # never a BSN
    assert errors == [] and outside == []


def test_a_viewer_sees_rounded_or_hidden_counts_never_who_waits_and_downloads_what_the_page_shows(
    as_user: Callable[..., Any], server: Server, screenshots: Path
) -> None:
    page = as_user("kees")
    errors, outside = watched(page, server)
    tile = page.locator("main").inner_text()
    assert "Aanvragen over de termijn" in tile
    open_from_menu(page, server)
    page.screenshot(path=str(screenshots / "toegang-kees.png"), full_page=True)
    for key in TABLES:
        assert page.locator(f"#titel-{key}").count() == 1, key
    assert page.locator("#titel-wie_wacht").count() == 0
    text = page.locator("main").inner_text()
    assert "Sleutel (pseudoniem)" not in text and "Wie wacht er nu" not in text
    assert "Aantallen afgerond op vijftallen" in text
    headers = page.locator("section[aria-labelledby='titel-wachtlijst_product'] thead th").all_inner_texts()
    at = headers.index("Wachtend")
    shown = [row[at] for row in table_rows(page, "wachtlijst_product")]
    assert shown and all(cell in ("< 5", "x") or number(cell) % 5 == 0 for cell in shown), shown
    # the download of the table: the same cells as on the page (the viewer's, not the exact ones)
    section = page.locator("section[aria-labelledby='titel-wachtlijst_product']")
    with page.expect_download() as info:
        section.get_by_role("link", name=re.compile("^CSV")).click()
    downloaded = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(downloaded)))
    assert rows[0] == headers
    assert [row[at] for row in rows[1:]] == [cell.replace(".", "") for cell in shown]
    assert not re.search(r"\b9999\d{5}\b", downloaded)
    assert errors == [] and outside == []
