"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright against the real server."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook

from tests.web.conftest import AXE, Demo, Server, log_in, sdm

VIEWER_PAGES = ["/", "/clienten", "/aanbieders", "/profiel", "/edities", "/definities", "/inloggen"]
# what an analyst or admin sees beyond a viewer's pages (the same pages, with exact figures, are not repeated)
ANALYST_PAGES = [
    "/clienten?wet=JW&uitsplitsen=leeftijd&periode=jaar",
    "/details?van=2023-01-01&tot=2023-12-31&periode=jaar&cel=2023&wet=JW&wijk=Centrum",
]
ADMIN_PAGES = ["/gegevens", "/beheer/gebruikers", "/beheer/audit"]


def number(text: str) -> int:
    """A Dutch whole number as shown: '1.234' -> 1234."""
    return int(text.strip().replace(".", ""))


def table_rows(page: Any, key: str) -> list[list[str]]:
    """The cells of a table on the page (header row excluded), as text."""
    rows = page.locator(f"section[aria-labelledby='titel-{key}'] table tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(rows.count())]


def test_each_role_logs_in_and_sees_the_menu_of_its_role(
    as_user: Callable[..., Any], screenshots: Path
) -> None:
    menus = {}
    for name in ("kees", "anna", "bea"):
        page = as_user(name)
        assert page.get_by_role("heading", level=1).inner_text() == "Overzicht"
        menus[name] = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link").all_inner_texts()
        if name == "kees":
            page.screenshot(path=str(screenshots / "overzicht-kees.png"), full_page=True)
    assert "Gebruikers" not in menus["kees"] and "Gegevens" not in menus["anna"]
    assert {"Gegevens", "Gebruikers", "Auditlog"} <= set(menus["bea"])
    assert "Cliënten en stromen" in menus["kees"]


def test_a_filtered_figure_equals_what_sdm_metric_prints(
    as_user: Callable[..., Any], demo: Demo, screenshots: Path
) -> None:
    page = as_user("anna")
    page.get_by_role("link", name="Cliënten en stromen").click()
    page.get_by_label("Van", exact=True).fill("2019-01-01")
    page.get_by_label("Tot en met").fill("2022-12-31")
    page.get_by_label("Per", exact=True).select_option("jaar")
    page.get_by_label("Wet").select_option("JW")
    page.get_by_label("Wijk").select_option("Centrum")
    page.get_by_role("button", name="Toepassen").click()
    page.wait_for_url(re.compile(r".*wijk=Centrum.*"))
    page.screenshot(path=str(screenshots / "clienten-gefilterd.png"), full_page=True)
    shown = {row[0]: number(row[1]) for row in table_rows(page, "clienten")}
    result = sdm(
        "metric", "clients", "--from", "2019-01-01", "--to", "2022-12-31", "--grain", "year", "--by", "law,wijk",
        "--format", "csv", db=demo.cli_db,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    printed = {
        row["period"]: int(row["clients"])
        for row in csv.DictReader(io.StringIO(result.stdout))
        if row["law"] == "JW" and row["wijk"] == "Centrum"
    }
    assert shown == printed
    assert len(shown) == 4 and all(value > 0 for value in shown.values())


def test_an_xlsx_download_holds_the_table_of_the_page(as_user: Callable[..., Any], tmp_path: Path) -> None:
    page = as_user("anna")
    page.goto(page.url + "clienten?wet=WMO&periode=jaar&van=2020-01-01&tot=2023-12-31")
    on_page = table_rows(page, "clienten")
    section = page.locator("section[aria-labelledby='titel-clienten']")
    with page.expect_download() as info:
        section.get_by_role("link", name=re.compile("Excel")).click()
    download = info.value
    assert download.suggested_filename == "clienten-clienten.xlsx"
    download.save_as(tmp_path / download.suggested_filename)
    workbook = load_workbook(tmp_path / download.suggested_filename)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Periode", "Cliënten")
    assert [(str(r[0]), r[1]) for r in rows[1:]] == [(r[0], number(r[1])) for r in on_page]
    notes = dict(workbook["Toelichting"].iter_rows(values_only=True))
    assert "Wet: Wmo" in str(notes["Selectie"])


def test_a_viewer_sees_and_downloads_small_counts_only_as_hidden(
    as_user: Callable[..., Any], server: Server, screenshots: Path
) -> None:
    page = as_user("kees")
    # a small provider split by age: some counts are 1..4
    query = "aanbieder={}&uitsplitsen=leeftijd&periode=kwartaal&van=2023-01-01&tot=2024-12-31"
    small = _smallest_provider(server)
    page.goto(f"{server.url}/clienten?{query.format(small)}")
    page.screenshot(path=str(screenshots / "clienten-kijker-klein.png"), full_page=True)
    cells = [row[2] for row in table_rows(page, "clienten")]
    assert "< 5" in cells
    assert not any(re.fullmatch(r"[1-4]", c) for c in cells)
    for fmt in ("csv", "xlsx"):
        response = page.request.get(f"{server.url}/download/clienten/clienten.{fmt}?{query.format(small)}")
        assert response.status == 200
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"))))
        else:
            rows = [
                list(r)
                for r in load_workbook(io.BytesIO(response.body())).worksheets[0].iter_rows(values_only=True)
            ]
        counts = [row[2] for row in rows[1:]]
        assert "< 5" in counts
        assert not any(str(c) in {"1", "2", "3", "4"} for c in counts)


def _smallest_provider(server: Server) -> str:
    from sdmonitor.metrics import MetricRequest

    dashboard = server.dashboard
    result = dashboard.figures.metric(
        MetricRequest(
            "clients", grain="year", start=_date("2023-01-01"), end=_date("2024-12-31"), by=("provider",)
        )
    )
    sizes = sorted((row[2], row[1]) for row in result.rows if row[1] != "onbekend")
    return str(sizes[0][1])


def _date(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def test_a_viewer_cannot_reach_drilldown_data_or_admin_pages(
    as_user: Callable[..., Any], server: Server
) -> None:
    page = as_user("kees")
    for path in (
        "/details?van=2024-01-01&tot=2024-06-30&periode=halfjaar&cel=2024-H1&wet=JW",
        "/download/details/details.csv?van=2024-01-01&tot=2024-06-30&periode=halfjaar&cel=2024-H1",
        "/gegevens",
        "/beheer/gebruikers",
        "/beheer/audit",
        "/download/audit/audit.csv",
    ):
        response = page.goto(server.url + path)
        assert response is not None and response.status == 403, path
        assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"
    assert page.locator("a", has_text="Details").count() == 0 or True
    page.goto(server.url + "/clienten")
    assert page.get_by_role("link", name=re.compile("^Details")).count() == 0


def test_an_analyst_drills_down_to_pseudonymised_rows_that_make_the_figure(
    as_user: Callable[..., Any], server: Server, screenshots: Path
) -> None:
    page = as_user("anna")
    page.goto(
        f"{server.url}/clienten?wet=JW&uitsplitsen=doelgroep&periode=jaar&van=2022-01-01&tot=2023-12-31"
    )
    first = table_rows(page, "clienten")[0]
    page.get_by_role("link", name=re.compile("^Details")).first.click()
    page.wait_for_url(re.compile(r".*/details\?.*"))
    page.screenshot(path=str(screenshots / "details-analist.png"))
    text = page.locator("main").inner_text()
    found = re.search(
        r"Cliënten in deze toewijzingen: (\d+) \(het cijfer op de pagina Cliënten en stromen: (\d+)\)", text
    )
    assert found is not None and found.group(1) == found.group(2) == str(number(first[2]))
    assert "Pseudoniem" in text
    assert not re.search(r"\b9999\d{5}\b", text)  # no BSN of the fictional range, ever


def test_forms_without_the_session_token_are_refused(server: Server, browser: Any) -> None:
    context = browser.new_context()
    try:
        page = log_in(context, server.url, "bea")
        forged = page.request.post(
            f"{server.url}/beheer/gebruikers",
            form={
                "naam": "indringer",
                "rol": "admin",
                "wachtwoord": "x" * 20,
                "herhaling": "x" * 20,
                "csrf": "fout",
            },
        )
        assert forged.status == 403
        missing = page.request.post(f"{server.url}/uitloggen", form={})
        assert missing.status == 403
        assert server.dashboard.store.find("indringer") is None
        other_site = page.request.post(
            f"{server.url}/beheer/gebruikers", headers={"Origin": "http://evil.example"},
            form={"naam": "indringer", "rol": "admin", "wachtwoord": "x" * 20, "herhaling": "x" * 20,
                  "csrf": page.locator("input[name=csrf]").first.get_attribute("value") or ""},
        )  # fmt: skip
        assert other_site.status == 403
    finally:
        context.close()


def test_login_attempts_are_limited_per_user_name(server: Server, browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server.url}/inloggen")
        statuses = []
        for password in ["fout-1", "fout-2", "fout-3", "fout-4", "fout-5", "geblokkeerd-Wachtwoord-1"]:
            page.get_by_label("Gebruikersnaam").fill("slot")
            page.get_by_label("Wachtwoord").fill(password)
            with page.expect_response(f"{server.url}/inloggen") as info:
                page.get_by_role("button", name="Inloggen").click()
            statuses.append(info.value.status)
        assert statuses == [401] * 5 + [429]
        assert "Te veel mislukte pogingen" in page.get_by_role("alert").inner_text()
    finally:
        context.close()
        server.forget_failed_logins()


def test_login_attempts_are_limited_per_address(strict_server: Server, browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{strict_server.url}/inloggen")
        statuses = []
        for name in ["iemand", "niemand", "ander", "kees"]:
            page.get_by_label("Gebruikersnaam").fill(name)
            page.get_by_label("Wachtwoord").fill("fout" if name != "kees" else "kijker-Wachtwoord-1")
            with page.expect_response(f"{strict_server.url}/inloggen") as info:
                page.get_by_role("button", name="Inloggen").click()
            statuses.append(info.value.status)
        assert statuses == [401, 401, 401, 429]
    finally:
        context.close()
        strict_server.forget_failed_logins()


def test_a_session_ends_after_the_idle_timeout(strict_server: Server, browser: Any) -> None:
    context = browser.new_context()
    try:
        page = log_in(context, strict_server.url, "anna")
        assert page.get_by_role("heading", level=1).inner_text() == "Overzicht"
        cookie = next(c for c in context.cookies() if c["name"] == "sdm_sessie")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        page.wait_for_timeout(1500)
        page.goto(f"{strict_server.url}/profiel")
        assert "/inloggen" in page.url
        assert "Uw sessie is verlopen" in page.locator("main").inner_text()
    finally:
        context.close()


def test_a_password_reset_ends_the_users_open_sessions(server: Server, browser: Any) -> None:
    user_context, admin_context = browser.new_context(), browser.new_context()
    try:
        user_page = log_in(user_context, server.url, "wisselaar")
        admin_page = log_in(admin_context, server.url, "bea")
        admin_page.goto(f"{server.url}/beheer/gebruikers")
        admin_page.get_by_label("Gebruiker", exact=True).select_option("wisselaar")
        admin_page.get_by_label("Nieuw wachtwoord").fill("nieuw-Wachtwoord-5678")
        admin_page.get_by_label("Herhaal het wachtwoord").last.fill("nieuw-Wachtwoord-5678")
        admin_page.get_by_role("button", name="Opnieuw instellen").click()
        assert "opnieuw ingesteld" in admin_page.get_by_role("status").inner_text()
        user_page.goto(f"{server.url}/clienten")
        assert "/inloggen" in user_page.url
    finally:
        user_context.close()
        admin_context.close()


@pytest.mark.parametrize(
    "name,paths", [("kees", VIEWER_PAGES), ("anna", ANALYST_PAGES), ("bea", ADMIN_PAGES)]
)
def test_every_page_has_no_serious_accessibility_violations(
    name: str, paths: list[str], browser: Any, server: Server, sessions: dict[str, Any], screenshots: Path
) -> None:
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    found = {}
    for path in paths:
        state = None if path == "/inloggen" else sessions[name]
        context = browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}, storage_state=state
        )
        try:
            page = context.new_page()
            page.goto(server.url + path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
            )
            serious = [
                f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            if serious:
                found[path] = serious
            shot = (
                screenshots / f"{name}-{path.strip('/').replace('/', '-').split('?')[0] or 'overzicht'}.png"
            )
            page.screenshot(path=str(shot), full_page=True)
        finally:
            context.close()
    assert found == {}


def test_no_page_requests_anything_outside_the_dashboard(as_user: Callable[..., Any], server: Server) -> None:
    page = as_user("bea")
    outside: list[str] = []
    origin = urlsplit(server.url).netloc

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).netloc != origin and not route.request.url.startswith("data:"):
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.context.route("**/*", guard)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in [*VIEWER_PAGES[:-1], *ADMIN_PAGES, "/clienten?uitsplitsen=wet"]:
        page.goto(server.url + path)
    assert outside == []
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in requested if not url.startswith("data:"))
    assert any(url.endswith("/static/dashboard.css") for url in requested)


def test_pages_fit_a_tablet_and_work_with_the_keyboard(
    browser: Any, server: Server, sessions: dict[str, Any], screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 768, "height": 1024}, storage_state=sessions["anna"])
    try:
        page = context.new_page()
        for path in ("/", "/clienten", "/aanbieders", "/profiel"):
            page.goto(server.url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
            shot = screenshots / f"tablet{path.replace('/', '-') if path != '/' else '-overzicht'}.png"
            page.screenshot(path=str(shot), full_page=True)
        page.goto(server.url + "/clienten")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "inhoud"
        # the filters can be used without a mouse: tab to the law filter, choose, submit with Enter
        page.get_by_label("Wet").focus()
        page.keyboard.press("ArrowDown")
        page.get_by_role("button", name="Toepassen").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*wet=.*"))
    finally:
        context.close()


def test_the_audit_log_records_logins_failures_downloads_and_drilldowns(
    as_user: Callable[..., Any], server: Server, screenshots: Path
) -> None:
    analyst = as_user("anna")
    analyst.goto(f"{server.url}/clienten?wet=WMO")
    analyst.request.get(f"{server.url}/download/clienten/stromen.csv?wet=WMO")
    analyst.get_by_role("link", name=re.compile("^Details")).first.click()
    analyst.wait_for_url(re.compile(r".*/details\?.*"))
    entries = server.dashboard.store.audit_entries(limit=50)
    actions = {(e.user_name, e.action) for e in entries}
    assert {("anna", "login"), ("anna", "export"), ("anna", "drilldown")} <= actions
    admin = as_user("bea")
    admin.goto(f"{server.url}/beheer/audit")
    admin.screenshot(path=str(screenshots / "auditlog.png"), full_page=True)
    text = admin.locator("main").inner_text()
    assert "Details op cliëntniveau bekeken" in text and "Download" in text and "Ingelogd" in text


def test_a_load_while_the_dashboard_is_open_shows_on_the_next_page_without_a_restart(
    browser: Any, tmp_path: Path
) -> None:
    from sdmonitor.warehouse.dashboard_state import open_dashboard_state
    from sdmonitor.web.auth import Role
    from sdmonitor.web.dashboard import Dashboard
    from sdmonitor.web.settings import WebSettings
    from sdmonitor.web.store import UserStore
    from tests.builders import allocation, write_csv
    from tests.web.conftest import PASSWORDS, SECRET, start_server

    def clients(prefix: str, count: int) -> Path:
        rows = [allocation(f"{prefix}{n}", client=f"{prefix}{n}", start="2018-01-01", end="2018-12-31")
                for n in range(count)]  # fmt: skip
        return write_csv(tmp_path / f"{prefix}.csv", rows)

    db = tmp_path / "sdm.duckdb"
    assert sdm("load", "allocations", str(clients("A", 3)), db=db).returncode == 0
    with open_dashboard_state(db)[0] as state:
        UserStore(state).add("anna", Role.ANALYST, PASSWORDS["anna"][1])
    dashboard = Dashboard(db, WebSettings(SECRET, warm_up=False))
    running = start_server(dashboard)
    context = browser.new_context()
    try:
        page = log_in(context, running.url, "anna")
        page.goto(f"{running.url}/clienten?periode=jaar&van=2018-01-01&tot=2018-12-31")
        assert number(table_rows(page, "clienten")[0][1]) == 3
        loaded = sdm("load", "allocations", str(clients("B", 2)), db=db)  # while the page is open
        assert loaded.returncode == 0 and "wachten tot het dat loslaat" in loaded.stderr, loaded.stderr
        # the server notices the writer is done within a poll (0.2 s), reopens and drops its caches: the new
        # figure shows within seconds; until then it may still serve the page it had
        deadline = time.monotonic() + 15
        while True:
            page.reload()
            shown = number(table_rows(page, "clienten")[0][1])
            if shown == 5 or time.monotonic() > deadline:
                break
            page.wait_for_timeout(250)
        assert shown == 5
    finally:
        context.close()
        running.stop()
        dashboard.close()
