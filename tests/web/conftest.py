"""One demo warehouse, one real dashboard server and one headless Chromium for all web tests.

The warehouse is the demo municipality at 20,000 inhabitants, made by the real ``sdm demo``; a copy is kept
for ``sdm metric``. Under pytest-xdist (``make test``: ``-n auto --dist loadgroup``) the tests that use the demo
run on one worker (group ``demo``: one build, one server, one browser); the demo is built once per run in the
run's temporary folder, behind a file lock, and each worker that uses it works on its own copy. The servers read it read-only, as ``sdm serve`` does; their users are in the state file
beside it (``sdm.dashboard.sqlite``). The server is the real
application under uvicorn in a background thread on a free port; the browser is Debian's chromium driven
by Playwright (never ``playwright install``). Screenshots go to ``SDM_SCREENSHOTS`` or a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from tests.processes import SDM, sdm_environment, stop

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
SECRET = "test-secret-key-0123456789abcdefghijklmnop"
PASSWORDS = {
    "kees": ("viewer", "kijker-Wachtwoord-1"),
    "anna": ("analyst", "analist-Wachtwoord-1"),
    "bea": ("admin", "beheerder-Wachtwoord-1"),
    "slot": ("viewer", "geblokkeerd-Wachtwoord-1"),
    "wisselaar": ("viewer", "oud-Wachtwoord-1234"),
}
SEGMENTS = """segments:
  dementie: {product_codes: [02D01, 04D01, 07D01, 09A02]}
  lvb: {product_codes: [02L01, 07L01, 15L01]}
"""
AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Playwright waits this long (ms) for a page: the first figures of a page are computed on demand, which takes
# longer than Playwright's 30 s default on a machine busy with other work
PAGE_TIMEOUT = 120_000


def sdm(
    *args: str, db: Path, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real ``sdm`` command in a child process, without SDM_* variables of the caller."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SDM_")}
    environment.update({"SDM_DB": str(db), **(env or {})})
    return subprocess.run(
        [sys.executable, "-c", "from sdmonitor.cli import main; main()", *args],
        env=environment, capture_output=True, text=True, timeout=300, input=input,
    )  # fmt: skip


@dataclass
class Demo:
    """The demo warehouse the server runs on, its copy for the CLI, and the segments file."""

    db: Path
    cli_db: Path
    segments: Path


_building: dict[str, Any] = {}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the tests that use the demo in one xdist group, so one worker builds, serves and browses it; without
    xdist, start ``sdm demo`` as soon as a web test will need it, so it runs while the quick tests do."""
    using = [item for item in items if "demo" in getattr(item, "fixturenames", ())]
    if using and config.pluginmanager.hasplugin("xdist"):
        for item in using:
            item.add_marker(pytest.mark.xdist_group("demo"))
    if using and not hasattr(config, "workerinput"):
        _start_demo()


def _demo_command(folder: Path) -> list[str]:
    return [*SDM, "--quiet", "--db", str(folder / "sdm.duckdb"), "demo", "--inhabitants", "20000",
            "--data-dir", str(folder / "data")]  # fmt: skip


def _start_demo() -> None:
    if _building:
        return
    folder = Path(tempfile.mkdtemp(prefix="sdm-web-"))
    _building.update(
        folder=folder,
        process=subprocess.Popen(
            _demo_command(folder),
            env=sdm_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ),
    )


def pytest_sessionfinish() -> None:
    """Reap ``sdm demo`` when no test waited for it (all deselected, or the run stopped early) and close its
    pipes: left to the garbage collector it fails whichever test runs then with a ResourceWarning."""
    if _building and _building["process"].returncode is None:
        stop(_building["process"], grace=5)
        shutil.rmtree(_building["folder"], ignore_errors=True)


def _built_demo() -> Path:
    """The folder ``sdm demo`` made (without xdist: the build started at collection), for this process alone."""
    _start_demo()  # started already when the tests were collected
    process = _building["process"]
    try:
        _, err = process.communicate(timeout=600)
    finally:
        stop(process)  # reaped and its pipes closed, also when it did not finish in time
    assert process.returncode == 0, err
    folder: Path = _building["folder"]
    return folder


def _shared_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Under xdist: the demo built once per run in the run's temporary folder (the first worker that needs it
    builds it, behind a file lock; the others wait and reuse it), copied to a folder of this worker's own, as
    the servers write their sessions and the tests their users beside the warehouse."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent / "sdm-web-demo"
    built = shared.with_name(f"{shared.name}.built")  # made where it stays: its editions name their files
    with FileLock(f"{shared}.lock", timeout=900):
        if not built.exists():
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir()
            made = subprocess.run(
                _demo_command(shared), env=sdm_environment(), capture_output=True, text=True, timeout=600
            )
            assert made.returncode == 0, made.stderr
            built.touch()
    folder = Path(tempfile.mkdtemp(prefix="sdm-web-"))
    shutil.copytree(shared, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo municipality of 20,000 inhabitants (``sdm demo``), with a user of every role."""
    folder = _shared_demo(tmp_path_factory) if hasattr(request.config, "workerinput") else _built_demo()
    db = folder / "sdm.duckdb"
    from sdmonitor.warehouse.dashboard_state import open_dashboard_state
    from sdmonitor.web.auth import Role
    from sdmonitor.web.store import UserStore

    with open_dashboard_state(db)[0] as state:
        store = UserStore(state)
        for name, (role, password) in PASSWORDS.items():
            store.add(name, Role(role), password)
    cli_db = folder / "cli" / "sdm.duckdb"
    cli_db.parent.mkdir()
    shutil.copy(db, cli_db)
    segments = folder / "segmenten.yaml"
    segments.write_text(SEGMENTS, encoding="utf-8")
    yield Demo(db, cli_db, segments)
    shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running dashboard: its base URL and the dashboard object (to read the audit log)."""

    url: str
    dashboard: Any
    app: Any
    stop: Callable[[], None]

    def forget_failed_logins(self) -> None:
        for limiter in self.app.state.login_limits:
            limiter.clear()
        for user in [*PASSWORDS, "parallel"]:
            self.dashboard.store.unlock(user)


def start_server(dashboard: Any) -> Server:
    """Serve a dashboard with uvicorn in a background thread; returns when it accepts connections."""
    import uvicorn

    from sdmonitor.web.app import create_app

    port = free_port()
    app = create_app(dashboard)
    # as `sdm serve` runs it: uvicorn does not rewrite the address from X-Forwarded-For, the app decides
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the dashboard did not start"
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return Server(f"http://127.0.0.1:{port}", dashboard, app, stop)


@pytest.fixture
def warehouse(demo: Demo) -> Iterator[Any]:
    """The demo warehouse read-only, as the servers read it (closed after the test, so a writer can open it)."""
    from sdmonitor.warehouse import open_warehouse

    with open_warehouse(demo.db, read_only=True, repair=False) as opened:
        yield opened


@pytest.fixture(scope="session")
def settings(demo: Demo) -> Any:
    from sdmonitor.metrics.dimensions import read_segments
    from sdmonitor.web.settings import WebSettings

    return WebSettings(
        secret_key=SECRET, municipality_name="Westerloo", segments=read_segments(demo.segments)
    )


@pytest.fixture(scope="session")
def server(demo: Demo, settings: Any) -> Iterator[Server]:
    from sdmonitor.web.dashboard import Dashboard

    dashboard = Dashboard(demo.db, settings)
    running = start_server(dashboard)
    yield running
    running.stop()
    dashboard.close()


def own_state(demo: Demo, name: str) -> Path:
    """A copy of the demo's users for a server with other settings: its session clean-up at start (1 s idle)
    must not end the sessions of the main server, which shares the warehouse."""
    from sdmonitor.warehouse.dashboard_state import DashboardState, state_path

    copy = demo.db.with_name(f"{name}.dashboard.sqlite")
    with DashboardState(state_path(demo.db)) as state:
        state.backup(copy)
    return copy


@pytest.fixture(scope="session")
def strict_server(demo: Demo, settings: Any) -> Iterator[Server]:
    """A second server on the same warehouse with short limits: sessions end after 1 s, 3 failures per address;
    its own copy of the users."""
    from sdmonitor.web.dashboard import Dashboard

    settings = replace(settings, state_file=own_state(demo, "strict"))
    dashboard = Dashboard(demo.db, replace(settings, idle_timeout=1, login_limit_per_ip=3, warm_up=False))
    running = start_server(dashboard)
    yield running
    running.stop()
    dashboard.close()


@pytest.fixture(scope="session")
def proxied_server(demo: Demo, settings: Any) -> Iterator[Server]:
    """A server behind a configured proxy on 127.0.0.1 (``--trusted-proxy 127.0.0.1``), with short limits:
    3 failures per address, a name locked after 5 failures from 3 addresses."""
    from sdmonitor.web.auth import parse_proxies
    from sdmonitor.web.dashboard import Dashboard

    proxied = replace(
        settings, trusted_proxies=parse_proxies(["127.0.0.1"]), login_limit_per_ip=3, warm_up=False,
        state_file=own_state(demo, "proxied"),
    )  # fmt: skip
    dashboard = Dashboard(demo.db, proxied)
    running = start_server(dashboard)
    yield running
    running.stop()
    dashboard.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ["SDM_SCREENSHOTS"]) if os.environ.get("SDM_SCREENSHOTS") else None
    if folder is None:
        return tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(context: Any, url: str, name: str) -> Any:
    """A page of ``context`` logged in as ``name`` (through the login form, as a user does)."""
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT)
    page.goto(f"{url}/inloggen")
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(PASSWORDS[name][1])
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{url}/")
    return page


@pytest.fixture(scope="session")
def sessions(browser: Any, server: Server) -> dict[str, Any]:
    """The cookies of one login per role (through the form), reused by tests that are not about logging in."""
    states = {}
    for name in ("kees", "anna", "bea"):
        context = browser.new_context()
        log_in(context, server.url, name)
        states[name] = context.storage_state()
        context.close()
    return states


@pytest.fixture
def as_user(browser: Any, server: Server, sessions: dict[str, Any]) -> Iterator[Callable[..., Any]]:
    """``as_user("anna")`` -> a page on the overview, logged in, in a fresh browser context (closed after)."""
    contexts = []

    def open_as(name: str, **options: Any) -> Any:
        context = browser.new_context(accept_downloads=True, storage_state=sessions[name], **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT)
        page.goto(f"{server.url}/")
        assert page.url == f"{server.url}/", f"{name} is not logged in"
        return page

    yield open_as
    for context in contexts:
        context.close()
