"""Server-side sessions: logout, idle expiry and a password reset end every copy of the cookie."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sdmonitor.warehouse.dashboard_state import DashboardState
from sdmonitor.web.auth import Role
from sdmonitor.web.store import UserStore
from tests.web.conftest import Server
from tests.web.test_server import logged_in


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[DashboardState]:
    with DashboardState(tmp_path / "sdm.dashboard.sqlite") as state:
        yield state


def test_a_replayed_session_id_cannot_extend_the_idle_timeout(opened: DashboardState) -> None:
    clock = Clock()
    store = UserStore(opened, clock=clock)
    session = store.start_session(7)
    clock.now += 50
    assert store.session_user_id(session, idle_timeout=60, lifetime=3600) == 7
    clock.now += 61  # the cookie is replayed later: the server's own record says idle too long
    assert store.session_user_id(session, idle_timeout=60, lifetime=3600) is None
    clock.now += 1
    assert store.session_user_id(session, idle_timeout=60, lifetime=3600) is None  # and it stays ended


def test_sessions_outlive_a_restart_but_not_a_logout_or_password_reset(opened: DashboardState) -> None:
    clock = Clock()
    store = UserStore(opened, clock=clock)
    store.add("piet", Role.VIEWER, "geheim-Wachtwoord-1234")
    piet = store.find("piet")
    assert piet is not None
    first, second, third = (store.start_session(piet.user_id) for _ in range(3))
    store.end_session(first)
    restarted = UserStore(DashboardState(opened.path), clock=clock)  # a new server process on the same file
    assert restarted.session_user_id(first, idle_timeout=60, lifetime=3600) is None
    assert restarted.session_user_id(second, idle_timeout=60, lifetime=3600) == piet.user_id
    restarted.reset_password("piet", "nieuw-Wachtwoord-5678")
    assert restarted.session_user_id(second, idle_timeout=60, lifetime=3600) is None
    assert (
        UserStore(DashboardState(opened.path), clock=clock).session_user_id(
            third, idle_timeout=60, lifetime=3600
        )
        is None
    )
    restarted.state.close()


def test_a_cookie_copied_before_logout_leads_to_the_login_afterwards(server: Server) -> None:
    with logged_in(server, "kees") as client:
        copied = dict(client.cookies)
        page = client.get("/definities")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        assert client.post("/uitloggen", data={"csrf": token.group(1)}).status_code == 303
    with httpx.Client(base_url=server.url, cookies=copied) as replay:
        answer = replay.get("/definities")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/inloggen")
