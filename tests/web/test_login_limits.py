"""Login limits over real HTTP: forwarded addresses are believed only from a configured proxy and only when
they are IP addresses; one address cannot lock another user out; a name locked from several addresses stays
locked for a fixed time and an admin can lift it."""

from __future__ import annotations

import re

import httpx

from tests.web.conftest import PASSWORDS, Server


def _attempt(server: Server, name: str, password: str, forwarded: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    with httpx.Client(base_url=server.url, timeout=60, headers=headers) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/inloggen").text)
        assert token is not None
        form = {"gebruikersnaam": name, "wachtwoord": password, "csrf": token.group(1)}
        return client.post("/inloggen", data=form)


def _addresses_logged(server: Server, name: str) -> set[str | None]:
    entries = server.dashboard.store.audit_entries(limit=1000)
    return {e.client_ip for e in entries if e.user_name == name}


def test_a_rotated_forwarded_for_header_does_not_escape_the_address_limit(strict_server: Server) -> None:
    try:  # no proxy configured: the header is ignored, every attempt comes from 127.0.0.1 (limit 3)
        statuses = [
            _attempt(strict_server, f"roteer{i}", "fout-wachtwoord", forwarded=f"10.9.{i}.1").status_code
            for i in range(6)
        ]
        assert statuses == [401, 401, 401, 429, 429, 429]
        assert _addresses_logged(strict_server, "roteer0") == {"127.0.0.1"}
    finally:
        strict_server.forget_failed_logins()


def test_forwarded_addresses_count_from_a_configured_proxy_and_only_when_valid(
    proxied_server: Server,
) -> None:
    try:
        _attempt(proxied_server, "doorgestuurd", "fout-wachtwoord", forwarded="203.0.113.7")
        _attempt(proxied_server, "rommel", "fout-wachtwoord", forwarded="<script>alert(1)</script>")
        _attempt(proxied_server, "geketend", "fout-wachtwoord", forwarded="198.51.100.1, 203.0.113.8")
        assert _addresses_logged(proxied_server, "doorgestuurd") == {"203.0.113.7"}
        assert _addresses_logged(proxied_server, "rommel") == {"127.0.0.1"}  # never the text as an address
        assert _addresses_logged(proxied_server, "geketend") == {"203.0.113.8"}  # the hop the proxy saw
    finally:
        proxied_server.forget_failed_logins()


def test_one_address_cannot_lock_another_user_out(proxied_server: Server) -> None:
    try:
        attacker = [_attempt(proxied_server, "bea", f"gok-{i}", forwarded="203.0.113.66") for i in range(8)]
        assert [a.status_code for a in attacker] == [401] * 3 + [429] * 5  # its own limit, not bea's
        victim = _attempt(proxied_server, "bea", PASSWORDS["bea"][1], forwarded="198.51.100.20")
        assert victim.status_code == 303
    finally:
        proxied_server.forget_failed_logins()


def test_failures_from_several_addresses_lock_the_name_for_a_fixed_time_until_an_admin_unlocks_it(
    proxied_server: Server,
) -> None:
    store = proxied_server.dashboard.store
    try:
        for i, address in enumerate(
            ["203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.2", "203.0.113.3"]
        ):
            assert _attempt(proxied_server, "slot", f"gok-{i}", forwarded=address).status_code == 401
        locked = store.locked_for("slot")
        assert 0 < locked <= 15 * 60
        refused = _attempt(proxied_server, "slot", PASSWORDS["slot"][1], forwarded="198.51.100.30")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) <= locked
        for i in range(3):  # attempts during the lock are not counted and do not extend it
            _attempt(proxied_server, "slot", f"nog-{i}", forwarded=f"203.0.113.{10 + i}")
        assert store.locked_for("slot") <= locked
        assert store.audit_count("login_locked") >= 1
        with httpx.Client(
            base_url=proxied_server.url, timeout=60, headers={"X-Forwarded-For": "198.51.100.9"}
        ) as admin:
            token = re.search(r'name="csrf" value="([^"]+)"', admin.get("/inloggen").text)
            assert token is not None
            form = {"gebruikersnaam": "bea", "wachtwoord": PASSWORDS["bea"][1], "csrf": token.group(1)}
            assert admin.post("/inloggen", data=form).status_code == 303
            users = admin.get("/beheer/gebruikers").text
            assert "Vergrendelde gebruikersnamen" in users
            token = re.search(r'name="csrf" value="([^"]+)"', users)
            assert token is not None
            unlocked = admin.post(
                "/beheer/gebruikers/ontgrendelen", data={"naam": "slot", "csrf": token.group(1)}
            )
            assert unlocked.status_code == 200 and "ontgrendeld" in unlocked.text
        assert store.locked_for("slot") == 0
        welcome = _attempt(proxied_server, "slot", PASSWORDS["slot"][1], forwarded="198.51.100.30")
        assert welcome.status_code == 303
    finally:
        proxied_server.forget_failed_logins()
