"""The page "Uitkeringen" (issue 14) in a real browser: Debian's headless Chromium driven by Playwright against
the real application, on a warehouse of its own (sixty benefits from 2021, exported on 1 July 2024).

An analyst reaches it from the menu, sees the stock on the data moment and the flows as ``sdm metric`` prints
them, changes the filters (regulation IOAW, per year) and sees the figures of that selection; a viewer sees
counts rounded to fives or hidden. No console error, nothing requested from elsewhere, and axe-core finds no
serious accessibility problem."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from sdmonitor.warehouse import open_warehouse
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard
from sdmonitor.web.settings import WebSettings
from tests.benefit_builders import benefit, load_benefits_rows, load_reintegration_rows, provision
from tests.web.conftest import AXE, PASSWORDS, SECRET, Server, log_in, sdm, start_server
from tests.web.test_pages_in_browser import number, table_rows

MOMENT = date(2024, 7, 1)


def benefits() -> list[dict[str, str | None]]:
    """Sixty benefits, one every 20 days from 2021: every third ended after 90 to 540 days, every fifth a
    couple, every fourth IOAW, the others algemene bijstand (PW)."""
    rows = []
    for i in range(60):
        start = date(2021, 1, 1) + timedelta(days=20 * i)
        end = start + timedelta(days=90 * (1 + i % 6)) if i % 3 == 0 else None
        couple = i % 5 == 0
        rows.append(
            benefit(
                benefit_id=f"U{i}", client_id=f"K{i}", start_date=start.isoformat(),
                end_date=end.isoformat() if end is not None and end < MOMENT else None,
                regulation="IOAW" if i % 4 == 0 else "PW", household_type="3" if couple else "1",
                partner_id=f"P{i}" if couple else None, partner_birth_date="1979-02-01" if couple else None,
                outflow_reason="11" if end is not None and i % 2 == 0 else ("98" if end is not None else None),
            )
        )  # fmt: skip
    return rows


@dataclass
class Served:
    server: Server
    cli_db: Path  # a copy for `sdm metric`, which the server's read-only pool would otherwise share


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        load_benefits_rows(warehouse, tmp_path, benefits(), extracted_on=MOMENT)
        load_reintegration_rows(
            warehouse, tmp_path, [provision(provision_id=f"R{i}", client_id=f"K{i}") for i in range(12)],
            extracted_on=MOMENT,
        )  # fmt: skip
    cli_db = tmp_path / "cli" / "sdm.duckdb"
    cli_db.parent.mkdir()
    shutil.copy(db, cli_db)
    dashboard = Dashboard(db, WebSettings(secret_key=SECRET, warm_up=False))
    dashboard.store.add("anna", Role.ANALYST, PASSWORDS["anna"][1])
    dashboard.store.add("kees", Role.VIEWER, PASSWORDS["kees"][1])
    running = start_server(dashboard)
    yield Served(running, cli_db)
    running.stop()
    dashboard.close()


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


def printed(cli_db: Path, *args: str) -> list[dict[str, str]]:
    result = sdm("metric", *args, "--format", "csv", db=cli_db)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def column(page: Any, key: str, header: str) -> int:
    headers = page.locator(f"section[aria-labelledby='titel-{key}'] thead th").all_inner_texts()
    return list(headers).index(header)


def test_an_analyst_sees_the_figures_of_sdm_metric_and_changes_the_filters(
    browser: Any, served: Served, screenshots: Path
) -> None:
    server = served.server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        page = log_in(context, server.url, "anna")
        errors, outside = watched(page, server)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uitkeringen").click()
        page.wait_for_url(f"{server.url}/uitkeringen")
        assert page.get_by_role("heading", level=1).inner_text() == "Uitkeringen"
        page.screenshot(path=str(screenshots / "uitkeringen-anna.png"), full_page=True)
        for key in ("stand", "stromen", "uitstroomredenen", "duur_lopend", "duur_beeindigd", "reintegratie"):
            assert page.locator(f"#titel-{key}").count() == 1, key
        for key in ("stand", "stromen"):
            chart = page.locator(f"section[aria-labelledby='titel-{key}'] figure.chart svg")
            assert chart.get_attribute("role") == "img"
        assert "gezinsuitkeringen meerdere personen" in page.locator("main").inner_text()
        # the income system is the source of the charts and of the footer, nothing else
        chart = page.locator("section[aria-labelledby='titel-stand'] figure.chart svg").inner_html()
        assert "Bron: inkomensadministratie (Participatiewet, IOAW, IOAZ, Bbz)" in chart
        footer = page.locator("footer").inner_text()
        assert (
            "Cijfers uit: inkomensadministratie (Participatiewet" in footer and "toewijzingen" not in footer
        )
        # the provisions by their SRG name, and the total: `sdm metric reintegration` without a breakdown
        total = printed(served.cli_db, "reintegration", "--on", MOMENT.isoformat())[0]
        provisions = {row[0]: row for row in table_rows(page, "reintegratie")}
        assert set(provisions) == {"03 Participatieplaats", "Totaal"}
        at = column(page, "reintegratie", "Re-integratievoorzieningen")
        assert number(provisions["Totaal"][at]) == int(total["provisions"]) == 12
        # the stock on the data moment, as `sdm metric benefits --on` prints it
        moment = printed(served.cli_db, "benefits", "--on", MOMENT.isoformat())[0]
        stand = {row[0]: row for row in table_rows(page, "stand")}
        on_moment = stand[MOMENT.isoformat()]
        assert number(on_moment[column(page, "stand", "Uitkeringen")]) == int(moment["benefits"])
        assert number(on_moment[column(page, "stand", "Personen")]) == int(moment["persons"])
        assert int(moment["persons"]) > int(moment["benefits"]) > 0  # couples: two persons on one benefit
        # a filter change: IOAW per year (the dates stay those of the form: 2021-01-01 to 2024-06-30)
        page.get_by_label("Regeling").select_option("IOAW")
        page.get_by_label("Per", exact=True).select_option("jaar")
        page.get_by_role("button", name="Toepassen").click()
        page.wait_for_url(re.compile(r".*regeling=IOAW.*"))
        assert "Regeling: IOAW" in page.locator("p.selection").inner_text()
        flows = printed(
            served.cli_db, "benefit_flows", "--grain", "year", "--from", "2021-01-01", "--to", "2024-06-30",
            "--by", "regulation",
        )  # fmt: skip
        expected = {row["period"]: int(row["inflow"]) for row in flows if row["regulation"] == "IOAW"}
        at = column(page, "stromen", "Instroom")
        shown = {row[0].split(" ")[0]: number(row[at]) for row in table_rows(page, "stromen")}
        assert shown == expected and sum(shown.values()) > 0
        page.screenshot(path=str(screenshots / "uitkeringen-anna-ioaw.png"), full_page=True)
        assert errors == [] and outside == []
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
    finally:
        context.close()


def test_a_viewer_sees_the_page_with_counts_rounded_or_hidden(
    browser: Any, served: Served, screenshots: Path
) -> None:
    server = served.server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = log_in(context, server.url, "kees")
        errors, outside = watched(page, server)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uitkeringen").click()
        page.wait_for_url(f"{server.url}/uitkeringen")
        page.get_by_label("Uitsplitsen naar").select_option("leefvorm")
        page.get_by_role("button", name="Toepassen").click()
        page.wait_for_url(re.compile(r".*uitsplitsen=leefvorm.*"))
        page.screenshot(path=str(screenshots / "uitkeringen-kees.png"), full_page=True)
        assert "Aantallen afgerond op vijftallen" in page.locator("main").inner_text()
        for key, header in (
            ("stand", "Personen"), ("stromen", "Instroom"), ("reintegratie", "Re-integratievoorzieningen")
        ):  # fmt: skip
            at = column(page, key, header)
            cells = [row[at] for row in table_rows(page, key)]
            assert cells and all(c in ("< 5", "x", "") or number(c) % 5 == 0 for c in cells), (key, cells)
        assert {row[1] for row in table_rows(page, "stand")} <= {"Alleenstaande", "Gehuwden of samenwonenden"}
        flows_note = page.locator("section[aria-labelledby='titel-stromen'] p.note").inner_text()
        assert "de rijen tellen daarom niet altijd op tot het totaal" in flows_note
        assert errors == [] and outside == []
    finally:
        context.close()
