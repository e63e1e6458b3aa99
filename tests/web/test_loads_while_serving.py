"""The dashboard apart from the warehouse: ``sdm serve`` reads it read-only, keeps its users in its own state
file, and lets a load in while it serves. Real processes on a real warehouse and a real SQLite file."""

from __future__ import annotations

import re
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest

from tests.builders import allocation, write_csv
from tests.processes import running, sdm_environment
from tests.web.conftest import free_port, sdm

SECRET = "5be2c0a9d7f1e3846a0b9c2d4e6f8a1c"
PASSWORD = "beheer-Wachtwoord-42"


def _loaded(folder: Path, clients: int) -> Path:
    """A warehouse with one load of ``clients`` clients, each with one WMO allocation from 2018."""
    db = folder / "sdm.duckdb"
    rows = [allocation(f"A{n}", client=f"C{n}", start="2018-01-01", end="2018-12-31") for n in range(clients)]
    loaded = sdm("load", "allocations", str(write_csv(folder / "eerste.csv", rows)), db=db)
    assert loaded.returncode == 0, loaded.stderr
    return db


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """``sdm serve`` in its own process on ``db``; yields its address. Stopped with SIGTERM when the block
    ends, however it ends (``tests.processes.running``: reaped, its pipes closed)."""
    port = free_port()
    environment = sdm_environment(SDM_DB=str(db), SDM_SECRET_KEY=SECRET, SDM_PORT=str(port))
    url = f"http://127.0.0.1:{port}"
    with running("serve", env=environment) as child:
        deadline = time.monotonic() + 30
        started = False
        while not started and child.process.poll() is None and time.monotonic() < deadline:
            try:
                started = httpx.get(f"{url}/gezondheid", timeout=2).status_code == 200
            except httpx.TransportError:
                time.sleep(0.2)
        if started:
            yield url
            return
    pytest.fail(f"sdm serve did not start: {child.err}")


def _log_in(client: httpx.Client, name: str) -> None:
    form = client.get("/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    answer = client.post(
        "/inloggen", data={"gebruikersnaam": name, "wachtwoord": PASSWORD, "csrf": token.group(1)}
    )
    assert answer.status_code == 303, answer.text


def _clients_2018(client: httpx.Client) -> str:
    """The row of 2018 in the download of the clients page (per year)."""
    table = client.get("/download/clienten/clienten.csv?periode=jaar&van=2018-01-01&tot=2018-12-31")
    assert table.status_code == 200, table.text
    return next(line for line in table.text.splitlines() if line.startswith("2018"))


def test_a_load_while_the_dashboard_serves_waits_for_it_and_the_new_figures_show_without_a_restart(
    tmp_path: Path,
) -> None:
    db = _loaded(tmp_path, 3)
    added = sdm("user", "add", "bea", "--role", "admin", db=db, env={"SDM_PASSWORD": PASSWORD})
    assert added.returncode == 0, added.stderr
    second = write_csv(
        tmp_path / "tweede.csv",
        [allocation(f"B{n}", client=f"D{n}", start="2018-03-01", end="2018-12-31") for n in range(4)],
    )
    answers: list[tuple[str, int, float]] = []
    with serving(db) as url, httpx.Client(base_url=url, timeout=120) as client:
        _log_in(client, "bea")
        before = _clients_2018(client)
        done = threading.Event()

        def browse() -> None:  # pages that need the warehouse each time (not cached) and cached ones
            with httpx.Client(base_url=url, timeout=300) as browser:
                _log_in(browser, "bea")
                paths = ["/gegevens", "/clienten?periode=jaar", "/", "/edities", "/clienten?periode=kwartaal"]
                while not done.is_set():
                    for path in paths:
                        began = time.perf_counter()
                        status = browser.get(path).status_code
                        answers.append((path, status, time.perf_counter() - began))

        browsing = threading.Thread(target=browse)
        browsing.start()
        try:
            time.sleep(1)
            loaded = sdm("load", "allocations", str(second), db=db)
            deadline = time.monotonic() + 10
            after = _clients_2018(client)
            while after == before and time.monotonic() < deadline:
                time.sleep(0.2)
                after = _clients_2018(client)
            time.sleep(0.5)
        finally:
            done.set()
            browsing.join(timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    assert "Het dashboard ('sdm serve') gebruikt warehouse" in loaded.stderr
    assert "gelezen 4 = geladen 4" in loaded.stdout
    assert before.split(",")[1] == "3" and after.split(",")[1] == "7", (before, after)
    assert answers and [a for a in answers if a[1] != 200] == []
    assert not list(tmp_path.glob("sdm.duckdb.release-*")), "the writer withdrew its request"


def test_sdm_user_metric_and_loads_work_while_the_dashboard_serves(tmp_path: Path) -> None:
    db = _loaded(tmp_path, 3)
    with serving(db) as url:
        added = sdm("user", "add", "cor", "--role", "viewer", db=db, env={"SDM_PASSWORD": PASSWORD})
        assert added.returncode == 0, added.stderr
        with httpx.Client(base_url=url, timeout=60) as client:
            _log_in(client, "cor")  # the running server knows the user added by another process
        metric = sdm(
            "metric",
            "clients",
            "--from",
            "2018-01-01",
            "--to",
            "2018-12-31",
            "--grain",
            "year",
            "--format",
            "csv",
            db=db,
        )
        assert metric.returncode == 0, metric.stderr
        assert "2018" in metric.stdout
        listing = sdm("loads", db=db)
        assert listing.returncode == 0 and "eerste.csv" in listing.stdout, listing.stderr
        removed = sdm("user", "remove", "cor", db=db)
        assert removed.returncode == 0, removed.stderr
        with httpx.Client(base_url=url, timeout=60) as client:
            form = client.get("/inloggen")
            token = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert token is not None
            refused = client.post(
                "/inloggen", data={"gebruikersnaam": "cor", "wachtwoord": PASSWORD, "csrf": token.group(1)}
            )
        assert refused.status_code != 303


def test_serve_never_migrates_an_older_warehouse_and_says_which_command_does(tmp_path: Path) -> None:
    from sdmonitor.errors import WarehouseError
    from sdmonitor.warehouse import open_warehouse

    db = _loaded(tmp_path, 2)
    with open_warehouse(db) as warehouse:  # as a warehouse of the version before the latest migration
        latest = warehouse.schema_version()
        warehouse.execute("DELETE FROM schema_migrations WHERE version = ?", [latest])
    refused = sdm("serve", db=db, env={"SDM_SECRET_KEY": SECRET})
    assert refused.returncode == 1, refused.stderr
    assert "ouder schema" in refused.stderr and "'sdm init'" in refused.stderr
    assert "Traceback" not in refused.stderr
    with pytest.raises(WarehouseError, match="ouder schema"):  # still as it was
        open_warehouse(db, read_only=True, repair=False)


def test_users_of_a_warehouse_of_before_the_state_file_are_taken_over_once(tmp_path: Path) -> None:
    from sdmonitor.warehouse import open_warehouse
    from sdmonitor.warehouse.dashboard_state import open_dashboard_state
    from sdmonitor.web.auth import hash_password, verify_password
    from sdmonitor.web.store import UserStore

    db = _loaded(tmp_path, 2)
    old_hash = hash_password("oud-Wachtwoord-2024")
    with open_warehouse(db) as warehouse:  # what a dashboard of the previous version wrote
        warehouse.execute(
            "INSERT INTO web_users VALUES (41, 'Anna', 'analyst', ?, 2, TIMESTAMP '2024-05-01 09:00', "
            "TIMESTAMP '2024-06-01 10:00')",
            [old_hash],
        )
        warehouse.execute("INSERT INTO web_sessions VALUES ('abc', 41, 1.0, 2.0)")
        warehouse.execute(
            "INSERT INTO audit_log VALUES (7, TIMESTAMP '2024-06-01 10:00', '(sdm user)', NULL, "
            "'password_reset', 'Anna', NULL, NULL)"
        )
    listing = sdm("user", "list", db=db)
    assert listing.returncode == 0, listing.stderr
    assert "Anna" in listing.stdout and "analyst" in listing.stdout
    assert (
        "overgenomen uit het warehouse" in listing.stderr
        and "1 gebruikers, 1 regels auditlog" in listing.stderr
    )
    again = sdm("user", "list", db=db)
    assert "overgenomen" not in again.stderr
    with open_dashboard_state(db)[0] as state:
        store = UserStore(state)
        anna = store.find("anna")
        assert anna is not None and anna.user_id == 41 and anna.session_epoch == 2
        assert anna.password_hash == old_hash and verify_password("oud-Wachtwoord-2024", anna.password_hash)
        assert [(e.action, e.target) for e in store.audit_entries()] == [("password_reset", "Anna")]
    removed = sdm("user", "remove", "Anna", db=db)
    assert removed.returncode == 0, removed.stderr
    assert "Anna" not in sdm("user", "list", db=db).stdout  # not taken over a second time


def test_sigterm_stops_the_dashboard_and_leaves_no_serving_marker(tmp_path: Path) -> None:
    db = _loaded(tmp_path, 3)
    port = free_port()
    environment = sdm_environment(SDM_DB=str(db), SDM_SECRET_KEY=SECRET, SDM_PORT=str(port))
    with running("serve", env=environment) as child:  # stopped with SIGTERM, as a service manager stops it
        deadline = time.monotonic() + 30
        while child.process.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/gezondheid", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        assert len(list(tmp_path.glob("sdm.duckdb.serving-*"))) == 1
        stopping = time.monotonic()
        child.process.terminate()  # SIGTERM; a minute to stop, however busy the machine (not SIGKILL at 15 s)
        with suppress(subprocess.TimeoutExpired):
            child.process.wait(timeout=60)
        took = time.monotonic() - stopping
    # what the server wrote, and how long it took to stop, say why if a marker is left
    assert list(tmp_path.glob("sdm.duckdb.serving-*")) == [], (
        f"exit {child.process.returncode} after {took:.1f} s: {child.err[-4000:]}"
    )
