"""Passwords, login rate limits and CSRF tokens of the dashboard."""

from __future__ import annotations

import pytest

from sdmonitor.web.auth import (
    RateLimiter,
    Role,
    csrf_matches,
    hash_password,
    name_problem,
    new_csrf_token,
    password_problem,
    verify_password,
)

FAST = 2**12  # the parameters are stored with the hash; a cheap one keeps these tests quick


def test_a_password_verifies_against_its_own_hash_only() -> None:
    stored = hash_password("correct horse battery", n=FAST)
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert not verify_password("", stored)


def test_the_default_hash_is_scrypt_with_owasp_parameters_and_a_fresh_salt() -> None:
    first, second = hash_password("hetzelfde wachtwoord"), hash_password("hetzelfde wachtwoord", n=FAST)
    scheme, n, r, p, salt, _digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**17), "8", "1")
    assert salt != second.split("$")[4]
    assert "hetzelfde" not in first


@pytest.mark.parametrize(
    "stored",
    ["", "plain-text", "md5$abc", "scrypt$4096$8$1$@@@$@@@", "scrypt$x$8$1$AAAA$AAAA", "scrypt$4096$8$1"],
)
def test_a_damaged_or_foreign_hash_never_verifies(stored: str) -> None:
    assert not verify_password("wachtwoord", stored)


def test_a_tampered_hash_does_not_verify() -> None:
    stored = hash_password("een goed wachtwoord", n=FAST)
    scheme, n, r, p, salt, digest = stored.split("$")
    flipped = ("B" if digest[0] == "A" else "A") + digest[1:]
    assert not verify_password("een goed wachtwoord", "$".join([scheme, n, r, p, salt, flipped]))


def test_weak_passwords_and_odd_names_are_explained_in_dutch() -> None:
    assert "12 tekens" in (password_problem("kort") or "")
    assert "gebruikersnaam" in (password_problem("anna-anna-anna-1", "anna") or "")
    assert "verschillende tekens" in (password_problem("aaaaaaaaaaaaaaaa") or "")
    assert password_problem("een-lang-en-goed-wachtwoord", "anna") is None
    assert name_problem("anna.de-vries@gemeente") is None
    assert name_problem("anna de vries") is not None
    assert name_problem("a") is not None


def test_roles_allow_what_the_roles_below_them_allow() -> None:
    assert Role.ADMIN.allows(Role.ANALYST) and Role.ANALYST.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.ANALYST) and not Role.ANALYST.allows(Role.ADMIN)
    assert [r.label for r in Role] == ["kijker", "analist", "beheerder"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_sixth_attempt_within_the_window_is_blocked() -> None:
    clock = Clock()
    limiter = RateLimiter(limit=5, window=900, clock=clock)
    for _ in range(4):
        limiter.record_failure("user:anna")
        clock.now += 10
    assert not limiter.is_blocked("user:anna")
    limiter.record_failure("user:anna")
    assert limiter.is_blocked("user:anna")
    assert not limiter.is_blocked("user:bert")
    assert 800 < limiter.retry_after("user:anna") <= 900


def test_failures_older_than_the_window_no_longer_count() -> None:
    clock = Clock()
    limiter = RateLimiter(limit=2, window=60, clock=clock)
    limiter.record_failure("ip:10.0.0.7")
    clock.now += 50
    limiter.record_failure("ip:10.0.0.7")
    assert limiter.is_blocked("ip:10.0.0.7")
    clock.now += 11  # the first failure is now 61 s old
    assert not limiter.is_blocked("ip:10.0.0.7")
    assert limiter.retry_after("ip:10.0.0.7") == 0


def test_a_successful_login_resets_the_user_name_count() -> None:
    limiter = RateLimiter(limit=2, window=60, clock=Clock())
    limiter.record_failure("user:anna")
    limiter.reset("user:anna")
    limiter.record_failure("user:anna")
    assert not limiter.is_blocked("user:anna")


def test_a_flood_of_made_up_names_cannot_grow_the_limiter_without_bound() -> None:
    limiter = RateLimiter(limit=5, window=60, clock=Clock(), max_keys=100)
    for i in range(1000):
        limiter.record_failure(f"user:bot{i}")
    assert len(limiter._failures) <= 100
    assert limiter.is_blocked("user:bot999") is False


def test_csrf_tokens_compare_exactly_and_never_match_when_missing() -> None:
    token = new_csrf_token()
    assert len(token) >= 40 and token != new_csrf_token()
    assert csrf_matches(token, token)
    assert not csrf_matches(token[:-1] + ("A" if token[-1] != "A" else "B"), token)
    assert not csrf_matches("", token) and not csrf_matches(token, None) and not csrf_matches(None, None)


def test_parallel_attempts_cannot_pass_the_limit_before_their_failures_are_recorded() -> None:
    import threading

    limiter = RateLimiter(limit=5, window=900, clock=lambda: 0.0)
    start = threading.Barrier(80)
    granted: list[bool] = []

    def attempt() -> None:
        start.wait()
        ok = limiter.try_acquire("user:anna")
        granted.append(ok)
        if ok:  # the password check happens here; every check fails
            limiter.release("user:anna", failed=True)

    threads = [threading.Thread(target=attempt) for _ in range(80)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert granted.count(True) == 5
    assert not limiter.try_acquire("user:anna") and limiter.retry_after("user:anna") == 900


def test_a_successful_attempt_frees_its_reservation_and_a_block_is_reported_once_per_window() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=2, window=60, clock=lambda: now[0])
    assert limiter.try_acquire("user:anna") and limiter.try_acquire("user:anna")
    assert not limiter.try_acquire("user:anna")  # two checks under way
    limiter.release("user:anna", failed=False)
    limiter.release("user:anna", failed=True)
    assert limiter.try_acquire("user:anna")
    limiter.release("user:anna", failed=True)
    assert not limiter.try_acquire("user:anna")
    assert limiter.should_report_block("user:anna") and not limiter.should_report_block("user:anna")
    now[0] = 61.0
    assert limiter.should_report_block("user:anna")


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy_and_only_when_it_is_an_address() -> None:
    from sdmonitor.web.auth import client_address, parse_proxies

    proxies = parse_proxies(["127.0.0.1", "10.0.0.0/8"])
    assert client_address("127.0.0.1", "203.0.113.9", ()) == "127.0.0.1"  # nothing configured
    assert client_address("192.0.2.1", "203.0.113.9", proxies) == "192.0.2.1"  # not from the proxy
    assert client_address("127.0.0.1", "203.0.113.9", proxies) == "203.0.113.9"
    assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.2.3", proxies) == "203.0.113.9"
    assert client_address("127.0.0.1", "evil, 203.0.113.9", proxies) == "203.0.113.9"
    assert client_address("127.0.0.1", "203.0.113.9, <script>", proxies) == "127.0.0.1"
    assert client_address(None, None, proxies) == "onbekend"
    try:
        parse_proxies(["proxy.example"])
    except ValueError as exc:
        assert "geen IP-adres" in str(exc)
    else:
        raise AssertionError("a host name was accepted as a trusted proxy")


def test_a_name_is_locked_only_by_failures_from_several_addresses() -> None:
    from sdmonitor.web.auth import SpreadCounter

    now = [0.0]
    counter = SpreadCounter(limit=5, addresses=3, window=900, clock=lambda: now[0])
    assert not any(counter.record("bea", "203.0.113.1") for _ in range(50))  # one address: never
    counter.reset("bea")
    outcomes = [counter.record("bea", address) for address in ("a", "a", "b", "b", "c")]
    assert outcomes == [False, False, False, False, True]
    now[0] = 1000.0  # failures older than the window no longer count
    assert not counter.record("bea", "d")
