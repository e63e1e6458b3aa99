"""Passwords, roles, login rate limits and CSRF tokens of the dashboard. No I/O apart from the clock.

Passwords are hashed with scrypt (``hashlib.scrypt``, memory-hard; OWASP's parameters N=2^17, r=8, p=1,
128 MiB per hash) and a random 16-byte salt per password. The parameters are stored with the hash, so they
can be raised later without invalidating existing passwords.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # a longer "password" only costs the server time
# Hashing takes 128 MiB and a third of a second: at most this many at a time, so a burst of logins cannot
# exhaust memory or starve the pages.
_HASHING = threading.BoundedSemaphore(2)


class Role(StrEnum):
    """What a user may do: viewer < analyst < admin (each may do what the one before may)."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may."""
        return self.rank >= needed.rank

    @property
    def label(self) -> str:
        """The Dutch name of the role."""
        return {"viewer": "kijker", "analyst": "analist", "admin": "beheerder"}[self.value]


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    with _HASHING:
        return hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r, dklen=HASH_BYTES
        )


def hash_password(password: str, *, n: int = SCRYPT_N) -> str:
    """``'scrypt$131072$8$1$<salt>$<hash>'`` (base64) for a password, with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, n, SCRYPT_R, SCRYPT_P)
    encode = base64.b64encode
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash from ``hash_password`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or len(password) > MAX_PASSWORD_LENGTH:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(password, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


# A hash to verify against when the user name is unknown, so that the answer takes as long as for a wrong
# password and does not tell which user names exist. Made on first use (it costs a third of a second).
_dummy_hash: list[str] = []


def verify_unknown_user(password: str) -> bool:
    """Spend the time of a password check for a user name that does not exist; always False."""
    if not _dummy_hash:
        _dummy_hash.append(hash_password(secrets.token_hex(16)))
    verify_password(password, _dummy_hash[0])
    return False


def password_problem(password: str, name: str = "") -> str | None:
    """A Dutch reason why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Het wachtwoord mag hoogstens {MAX_PASSWORD_LENGTH} tekens lang zijn."
    if name and name.lower() in password.lower():
        return "Het wachtwoord mag de gebruikersnaam niet bevatten."
    if len(set(password)) < 5:
        return "Het wachtwoord heeft te weinig verschillende tekens."
    return None


def name_problem(name: str) -> str | None:
    """A Dutch reason why a user name is not acceptable, or None (letters, digits, . _ - @; 2-64 long)."""
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")
    if not 2 <= len(name) <= 64 or set(name.lower()) - allowed:
        return (
            "Een gebruikersnaam heeft 2 tot 64 tekens: letters, cijfers en . _ - @ (geen spaties), "
            f"niet '{name}'."
        )
    return None


@dataclass
class RateLimiter:
    """Counts failures per key in a sliding window; a key with ``limit`` failures in ``window`` s is blocked.

    ``RateLimiter(limit=5, window=900)``: the sixth attempt within 15 minutes of the first failure is refused,
    whatever the password. Keys are for instance ``'user:anna'`` and ``'ip:10.0.0.7'``. In memory, per
    server process (the dashboard runs as one process). Thread-safe.

    A login reserves its attempt first (``try_acquire``: failures plus attempts still being checked must
    stay under the limit, counted under one lock) and then reports the outcome (``release``), so that many
    requests at once cannot all pass the check before the first failure is recorded.
    """

    limit: int = 5
    window: float = 15 * 60
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 100_000  # a flood of made-up user names cannot grow memory without bound
    _failures: dict[str, deque[float]] = field(default_factory=dict, init=False, repr=False)
    _pending: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _reported: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def is_blocked(self, key: str) -> bool:
        """Whether ``key`` has used up its failures in the current window."""
        with self._lock:
            return len(self._recent(key, self.clock())) >= self.limit

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again (0 when it is not blocked)."""
        with self._lock:
            now = self.clock()
            failures = self._recent(key, now)
            if len(failures) < self.limit:
                return 0
            return max(1, int(failures[-self.limit] + self.window - now + 0.999))

    def try_acquire(self, key: str) -> bool:
        """Reserve one attempt of ``key``; False (nothing reserved) when failures and attempts under way
        already reach the limit. Every True must be followed by one ``release``."""
        with self._lock:
            if len(self._recent(key, self.clock())) + self._pending.get(key, 0) >= self.limit:
                return False
            self._pending[key] = self._pending.get(key, 0) + 1
            return True

    def release(self, key: str, *, failed: bool) -> None:
        """End an attempt reserved with ``try_acquire``, counting it as a failure when it failed."""
        with self._lock:
            left = self._pending.get(key, 0) - 1
            if left > 0:
                self._pending[key] = left
            else:
                self._pending.pop(key, None)
            if failed:
                self._record(key)

    def should_report_block(self, key: str) -> bool:
        """True once per window for a blocked key: the audit log gets one line per blocked key, not one per
        refused attempt (unauthenticated requests must not grow the log without bound)."""
        with self._lock:
            now = self.clock()
            if now - self._reported.get(key, -self.window - 1) <= self.window:
                return False
            if len(self._reported) >= self.max_keys:
                self._reported = {k: t for k, t in self._reported.items() if now - t <= self.window}
                if len(self._reported) >= self.max_keys:
                    return False
            self._reported[key] = now
            return True

    def record_failure(self, key: str) -> None:
        """Count one failure of ``key`` now."""
        with self._lock:
            self._record(key)

    def _record(self, key: str) -> None:
        """Count one failure of ``key`` now (caller holds the lock)."""
        now = self.clock()
        if key not in self._failures and len(self._failures) >= self.max_keys:
            for stale in [k for k in self._failures if not self._recent(k, now)][: self.max_keys // 10]:
                self._failures.pop(stale, None)
            if len(self._failures) >= self.max_keys:  # all recent: forget the oldest key
                self._failures.pop(next(iter(self._failures)))
        self._failures.setdefault(key, deque()).append(now)

    def reset(self, key: str) -> None:
        """Forget the failures of ``key`` (after a successful login)."""
        with self._lock:
            self._failures.pop(key, None)

    def clear(self) -> None:
        """Forget every failure."""
        with self._lock:
            self._failures.clear()
            self._reported.clear()


@dataclass
class SpreadCounter:
    """Failed logins per user name with the addresses they came from, in a sliding window.

    A name is locked only when ``limit`` failures within ``window`` s come from at least ``addresses``
    different addresses: one attacker's address runs into its own per-address limits long before it could
    lock someone else out. ``record`` answers whether the name should now be locked, and then forgets its
    failures (a lock lasts a fixed time; attempts refused during it are not counted, so it is not extended).
    """

    limit: int = 5
    addresses: int = 3
    window: float = 15 * 60
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 100_000
    _failures: dict[str, deque[tuple[float, str]]] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def record(self, key: str, address: str) -> bool:
        """Count one failure of ``key`` from ``address``; True when ``key`` should be locked now."""
        with self._lock:
            now = self.clock()
            if key not in self._failures and len(self._failures) >= self.max_keys:
                self._failures.pop(next(iter(self._failures)))  # the oldest name first
            failures = self._failures.setdefault(key, deque())
            failures.append((now, address))
            while failures and failures[0][0] <= now - self.window:
                failures.popleft()
            spread = len({where for _, where in failures})
            if len(failures) >= self.limit and spread >= self.addresses:
                del self._failures[key]
                return True
            return False

    def reset(self, key: str) -> None:
        """Forget the failures of ``key`` (after a successful login or an unlock)."""
        with self._lock:
            self._failures.pop(key, None)

    def clear(self) -> None:
        """Forget every failure."""
        with self._lock:
            self._failures.clear()


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(values: Sequence[str]) -> tuple[Network, ...]:
    """Addresses or networks of trusted proxies (``127.0.0.1``, ``10.0.0.0/24``, ``::1``); ValueError with a
    Dutch message for anything else."""
    networks = []
    for value in (v.strip() for text in values for v in text.replace(",", " ").split()):
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValueError(
                f"'{value[:60]}' is geen IP-adres of netwerk (zoals 127.0.0.1 of 10.0.0.0/24)."
            ) from None
    return tuple(networks)


def client_address(peer: str | None, forwarded_for: str | None, proxies: Sequence[Network]) -> str:
    """The address of the user: the peer of the connection, unless that peer is a trusted proxy and sent
    ``X-Forwarded-For``; then the rightmost address in that header that is not itself a trusted proxy.

    ``client_address("127.0.0.1", "203.0.113.9, 10.0.0.2", [127.0.0.1/32, 10.0.0.0/8])`` -> ``'203.0.113.9'``.
    An entry that is not an IP address ends the walk (the last trusted hop is used): text such as
    ``<script>`` or ``evil`` never becomes an address. Without trusted proxies the header is ignored.
    """
    address = _ip(peer)
    if address is None:
        return "onbekend"
    if not proxies or not forwarded_for or not any(address in network for network in proxies):
        return str(address)
    for entry in reversed(forwarded_for[:2000].split(",")):
        hop = _ip(entry.strip())
        if hop is None:
            break
        address = hop
        if not any(hop in network for network in proxies):
            break
    return str(address)


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text or "")
    except ValueError:
        return None


def new_csrf_token() -> str:
    """A random token for a session's forms."""
    return secrets.token_urlsafe(32)


def csrf_matches(sent: str | None, expected: str | None) -> bool:
    """Whether a form's token equals the session's (constant-time; False when either is missing)."""
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))
