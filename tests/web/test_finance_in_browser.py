"""The finance page in a real browser, on a warehouse of its own (tests/web/test_finance_page.py's: one line
overspent in January), served by the real application: the chart per line draws the budget and the
depletion line, the page loads nothing from elsewhere, and axe-core finds no serious accessibility problem."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard
from sdmonitor.web.settings import WebSettings
from tests.web.conftest import AXE, PASSWORDS, SECRET, Server, log_in, start_server
from tests.web.test_finance_page import fill


@pytest.fixture
def finance_server(tmp_path: Path) -> Iterator[Server]:
    db = tmp_path / "sdm.duckdb"
    fill(db, tmp_path)
    dashboard = Dashboard(db, WebSettings(secret_key=SECRET, warm_up=False))
    dashboard.store.add("anna", Role.ANALYST, PASSWORDS["anna"][1])
    running = start_server(dashboard)
    yield running
    running.stop()
    dashboard.close()


def test_the_finance_page_draws_the_depletion_line(
    browser: Any, finance_server: Server, screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        page = log_in(context, finance_server.url, "anna")
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Financiën").click()
        page.wait_for_url(f"{finance_server.url}/financien")
        assert page.get_by_role("heading", level=1).inner_text() == "Financiën"
        signals = page.locator("ul.signals li").all_inner_texts()
        assert any(text.startswith("Wmo begeleiding:") for text in signals)
        chart = page.locator("figure.depletion svg").first
        assert chart.get_attribute("role") == "img"
        assert "Wmo begeleiding 2024" in (chart.get_attribute("aria-label") or "")
        texts = chart.locator("text").evaluate_all("nodes => nodes.map(node => node.textContent)")
        assert "begroting" in texts
        assert any(text.startswith("uitgeput ") for text in texts)
        # the expected part is dashed: a path with a dash pattern in the chart's line layer
        assert chart.locator("path[stroke-dasharray]").count() >= 1
        page.screenshot(path=str(screenshots / "financien-anna.png"), full_page=True)
        assert all(urlsplit(url).hostname == "127.0.0.1" for url in requested if not url.startswith("data:"))
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
    finally:
        context.close()
