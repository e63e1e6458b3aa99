"""``sdm serve`` and ``sdm user`` as a user runs them: real processes on a real warehouse."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.processes import running, sdm_environment
from tests.web.conftest import free_port, sdm, start_server


def created(folder: Path) -> Path:
    """An empty warehouse at the latest schema."""
    from sdmonitor.warehouse import open_warehouse

    db = folder / "sdm.duckdb"
    open_warehouse(db).close()
    return db


def test_serve_refuses_to_start_without_a_long_secret_key(tmp_path: Path) -> None:
    db = created(tmp_path)
    missing = sdm("serve", db=db)
    assert missing.returncode == 1
    assert missing.stderr.startswith("Fout: SDM_SECRET_KEY ontbreekt")
    short = sdm("serve", db=db, env={"SDM_SECRET_KEY": "changeme"})
    assert short.returncode == 1
    assert "te kort of te voorspelbaar" in short.stderr and "Traceback" not in short.stderr


def test_user_commands_add_list_reset_and_remove(tmp_path: Path) -> None:
    db = created(tmp_path)
    asked = sdm(
        "user", "add", "anna", "--role", "analyst", db=db, input="mijn-Wachtwoord-123\nmijn-Wachtwoord-123\n"
    )
    assert asked.returncode == 0, asked.stderr
    assert "Gebruiker anna toegevoegd als analist" in asked.stdout
    assert "mijn-Wachtwoord-123" not in asked.stdout + asked.stderr
    scripted = sdm(
        "user", "add", "bea", db=db, env={"SDM_ROLE": "admin", "SDM_PASSWORD": "beheer-Wachtwoord-9"}
    )
    assert scripted.returncode == 0, scripted.stderr
    weak = sdm("user", "add", "cor", "--role", "viewer", db=db, env={"SDM_PASSWORD": "kort"})
    assert weak.returncode == 1 and "minstens 12 tekens" in weak.stderr
    listing = sdm("user", "list", db=db).stdout
    assert "anna" in listing and "analyst" in listing and "bea" in listing and "admin" in listing
    reset = sdm("user", "reset-password", "anna", db=db, env={"SDM_PASSWORD": "nieuw-Wachtwoord-456"})
    assert reset.returncode == 0, reset.stderr
    assert sdm("user", "remove", "bea", db=db).returncode == 0
    assert "bea" not in sdm("user", "list", db=db).stdout
    from sdmonitor.warehouse.dashboard_state import DashboardState
    from sdmonitor.web.auth import verify_password
    from sdmonitor.web.store import UserStore

    assert (tmp_path / "sdm.dashboard.sqlite").stat().st_mode & 0o777 == 0o600
    with DashboardState(tmp_path / "sdm.dashboard.sqlite") as state:
        store = UserStore(state)
        anna = store.find("anna")
        assert anna is not None and anna.session_epoch == 1
        assert verify_password("nieuw-Wachtwoord-456", anna.password_hash)
        assert "mijn-Wachtwoord-123" not in anna.password_hash
        actions = [e.action for e in store.audit_entries()]
    assert actions == ["user_removed", "password_reset", "user_added", "user_added"]


def test_serve_starts_the_dashboard_on_the_chosen_port(tmp_path: Path) -> None:
    db = created(tmp_path)
    port = free_port()
    environment = sdm_environment(
        SDM_DB=str(db), SDM_SECRET_KEY="9c1f0e7a4b2d8e6f3a5c7b9d1e0f2a4c", SDM_PORT=str(port)
    )
    with running("serve", env=environment) as child:  # stopped with SIGTERM, reaped, pipes closed
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/gezondheid", timeout=2)
                break
            except httpx.TransportError:
                assert child.process.poll() is None and time.monotonic() < deadline, "sdm serve did not start"
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["status"] == "ok"
        assert response.headers["x-frame-options"] == "DENY"
        assert "script-src" not in response.headers["content-security-policy"]  # no script at all
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 303 and page.headers["location"].startswith("/inloggen")
        login = httpx.get(f"http://127.0.0.1:{port}/inloggen", timeout=5)
        assert "Inloggen" in login.text and "server" not in login.headers
    out, err = child.out, child.err
    assert "Dashboard op http://127.0.0.1:" in out
    assert "Er zijn nog geen gebruikers" in err


def test_serve_takes_its_privacy_threshold_from_min_count_not_the_metrics_trend_threshold() -> None:
    from click.testing import CliRunner

    from sdmonitor.web.commands import serve

    options = {o.name: o for o in serve.params}
    assert "--min-count" in options["threshold"].opts and options["threshold"].envvar == "SDM_MIN_COUNT"
    assert all(o.envvar != "SDM_THRESHOLD" for o in serve.params)
    shown = CliRunner().invoke(serve, ["--help"], prog_name="sdm serve").output
    assert "--min-count" in shown and "SDM_MIN_COUNT" in shown and "--threshold" not in shown


def test_user_unlock_lifts_a_locked_name_that_a_restart_would_keep(tmp_path: Path) -> None:
    from sdmonitor.warehouse.dashboard_state import open_dashboard_state
    from sdmonitor.web.store import UserStore

    db = created(tmp_path)
    with open_dashboard_state(db)[0] as state:
        UserStore(state).lock("Bea", 900)
    with open_dashboard_state(db)[0] as state:  # as a restarted server finds it
        assert UserStore(state).locked_for("bea") > 0
    unlocked = sdm("user", "unlock", "bea", db=db)
    assert unlocked.returncode == 0 and "ontgrendeld" in unlocked.stdout
    with open_dashboard_state(db)[0] as state:
        store = UserStore(state)
        assert store.locked_for("bea") == 0
        assert [e.action for e in store.audit_entries()] == ["user_unlocked"]
    again = sdm("user", "unlock", "bea", db=db)
    assert again.returncode == 0 and "was niet vergrendeld" in again.stdout


def test_serve_refuses_a_trusted_proxy_that_is_not_an_address(tmp_path: Path) -> None:
    db = created(tmp_path)
    secret = {"SDM_SECRET_KEY": "f3a9c2e87b1d4065a9e3c7b2d18f6a40"}
    refused = sdm("serve", db=db, env={**secret, "SDM_TRUSTED_PROXY": "127.0.0.1 proxy.example"})
    assert refused.returncode != 0 and "'proxy.example' is geen IP-adres" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_serve_refuses_secret_keys_with_repeated_patterns_or_few_different_characters(tmp_path: Path) -> None:
    db = created(tmp_path)
    for secret in ("abcdefgh" * 4, "k" * 20 + "0123456789abcdef", "0123456789abcdefghijklmnopqrstuvwxyz",
                   "Wachtwoord!" * 3):  # fmt: skip
        refused = sdm("serve", db=db, env={"SDM_SECRET_KEY": secret})
        assert refused.returncode == 1, secret
        assert "te voorspelbaar" in refused.stderr and "secrets.token_hex(32)" in refused.stderr
        assert "Traceback" not in refused.stderr


def test_a_random_key_from_the_documented_command_is_always_accepted() -> None:
    import secrets

    from sdmonitor.web.settings import secret_problem

    assert [key for key in (secrets.token_hex(32) for _ in range(2000)) if secret_problem(key)] == []


def test_https_only_sends_strict_transport_security_and_plain_http_does_not(tmp_path: Path) -> None:
    from sdmonitor.web.dashboard import Dashboard
    from sdmonitor.web.settings import WebSettings

    secret = "9c1f0e7a4b2d8e6f3a5c7b9d1e0f2a4c"
    db = created(tmp_path)
    for https_only in (True, False):
        dashboard = Dashboard(db, WebSettings(secret, https_only=https_only, warm_up=False))
        server = start_server(dashboard)
        try:
            health = httpx.get(f"{server.url}/gezondheid", timeout=5)
            missing = httpx.get(f"{server.url}/bestaat-niet", timeout=5)
        finally:
            server.stop()
            dashboard.close()
        for answer in (health, missing):
            sent = answer.headers.get("strict-transport-security")
            assert sent == ("max-age=31536000" if https_only else None)
