"""The dashboard server over plain HTTP: concurrency, redirects, headers and errors."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx

from tests.web.conftest import PASSWORDS, Server


@contextmanager
def logged_in(server: Server, name: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        form = client.get("/inloggen")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token is not None
        answer = client.post(
            "/inloggen",
            data={"gebruikersnaam": name, "wachtwoord": PASSWORDS[name][1], "csrf": token.group(1)},
        )
        assert answer.status_code == 303, answer.text
        yield client


def test_the_server_keeps_answering_while_many_pages_are_computed(server: Server) -> None:
    with logged_in(server, "anna") as client, httpx.Client(base_url=server.url, timeout=5) as monitor:
        _browse_while_watching(client, monitor)


def _browse_while_watching(client: httpx.Client, monitor: httpx.Client) -> None:
    # four figures nobody asked for yet, each asked by several users at once, and pages from the cache
    cold = [
        f"/clienten?periode=kwartaal&uitsplitsen={split}" for split in ("wijk", "productgroep", "geslacht")
    ]
    pages = [*cold * 3, "/aanbieders?periode=2020-H1", *["/", "/definities", "/clienten"] * 3]

    def fetch(path: str) -> tuple[int, float]:
        start = time.perf_counter()
        status = client.get(path).status_code
        return status, time.perf_counter() - start

    with ThreadPoolExecutor(max_workers=16) as pool:
        running = [pool.submit(fetch, path) for path in pages]
        health = []
        while not all(f.done() for f in running):
            start = time.perf_counter()
            assert monitor.get("/gezondheid").status_code == 200
            health.append(time.perf_counter() - start)
            time.sleep(0.1)
        results = [f.result() for f in running]
    assert [status for status, _ in results] == [200] * len(pages)
    assert max(health) < 1.0, health


def test_a_page_asked_without_login_leads_to_the_login_and_back(server: Server) -> None:
    with httpx.Client(base_url=server.url) as client:
        answer = client.get("/aanbieders?periode=2020-H1")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/inloggen?volgende=/aanbieders%3Fperiode%3D2020-H1"
        form = client.get(answer.headers["location"])
        assert 'name="volgende" value="/aanbieders?periode=2020-H1"' in form.text


def test_the_login_never_sends_a_user_to_another_site(server: Server) -> None:
    with httpx.Client(base_url=server.url) as client:
        for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
            form = client.get("/inloggen", params={"volgende": target})
            assert 'name="volgende" value="/"' in form.text, target


def test_every_answer_carries_the_security_headers_and_pages_are_not_cached(server: Server) -> None:
    with logged_in(server, "kees") as client:
        page = client.get("/definities")
        static = client.get("/static/dashboard.css")
    assert page.status_code == 200
    headers = page.headers
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    assert static.status_code == 200 and static.headers.get("cache-control") != "no-store"


def test_a_wrong_filter_value_gets_a_dutch_message_not_an_error(server: Server) -> None:
    with logged_in(server, "kees") as client:
        answer = client.get("/clienten", params={"wet": "WLZ"})
        missing = client.get("/bestaat-niet")
    assert answer.status_code == 400
    assert "Onbekende waarde 'WLZ' voor wet" in html.unescape(answer.text)
    assert missing.status_code == 404 and "Deze pagina bestaat niet" in missing.text
