"""Settings of the dashboard server: the secret key from the environment, timeouts, limits."""

from __future__ import annotations

import itertools
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sdmonitor.errors import ConfigError
from sdmonitor.metrics.dimensions import Segment
from sdmonitor.web.auth import Network

MIN_SECRET_LENGTH = 32
# Values people paste from examples; refused even when long enough.
KNOWN_DEFAULTS = frozenset({"changeme", "change-me", "secret", "geheim", "development", "test"})


@dataclass(frozen=True)
class WebSettings:
    """How the dashboard behaves; ``secret_key`` signs the session cookies."""

    secret_key: str
    municipality_name: str = ""
    idle_timeout: int = 8 * 60 * 60  # seconds without a request after which a session ends
    session_lifetime: int = 12 * 60 * 60  # seconds after login after which a session ends anyway
    login_limit_per_user: int = 5  # failed logins per user name from one address per window
    login_limit_per_ip: int = 20  # failed logins per client address per window (offices share one)
    login_lock_addresses: int = (
        3  # a name is locked after 5 failures only when they come from this many addresses
    )
    login_window: int = 15 * 60  # also how long a locked name stays locked
    trusted_proxies: tuple[
        Network, ...
    ] = ()  # whose X-Forwarded-For names the user's address (none: ignored)
    threshold: int = 5  # small-cell suppression for viewers: counts 1..threshold-1 are hidden
    https_only: bool = False  # set the cookie's Secure flag (behind a TLS proxy)
    segments: tuple[Segment, ...] = ()
    segments_file: Path | None = None
    pool_size: int = 3  # warehouse cursors for figures
    state_file: Path | None = (
        None  # users, sessions, audit log; None: next to the warehouse (SDM_DASHBOARD_STATE)
    )
    warm_up: bool = True  # compute the default pages' figures at start-up
    drilldown_limit: int = 200  # rows of a drill-down shown on the page (downloads hold all)


def secret_key_from_environment() -> str:
    """``SDM_SECRET_KEY``, at least 32 characters, not a known example and not guessable; ConfigError (Dutch)
    otherwise (``secret_problem``)."""
    value = os.environ.get("SDM_SECRET_KEY", "")
    advice = (
        "Maak een sleutel met: python -c 'import secrets; print(secrets.token_hex(32))' en zet die als "
        "SDM_SECRET_KEY in de omgeving van de server."
    )
    if not value:
        raise ConfigError(
            f"SDM_SECRET_KEY ontbreekt: het dashboard start niet zonder geheime sleutel. {advice}"
        )
    problem = secret_problem(value)
    if problem:
        raise ConfigError(f"SDM_SECRET_KEY is te kort of te voorspelbaar: {problem}. {advice}")
    return value


MIN_DISTINCT = 10  # token_hex gives 16 different characters, token_urlsafe about 25 in 32
MIN_ESTIMATED_BITS = 88  # length x Shannon entropy of the characters; 32 random hex characters give 105-125


def secret_problem(value: str) -> str | None:
    """A Dutch reason why a secret is guessable, or None.

    Refused: shorter than 32 characters; a known example; fewer than 10 different characters; a repeated
    pattern (``'abcdefgh' * 4``); eight equal characters in a row; mostly a run up or down the alphabet or keyboard codes
    (``'0123456789abcdef...'``); or under 88 bits by the characters' own frequencies (``'k' * 20 + ...``).
    A random key from ``secrets.token_hex(32)`` passes every check.
    """
    if len(value) < MIN_SECRET_LENGTH:
        return f"gebruik minstens {MIN_SECRET_LENGTH} willekeurige tekens"
    if value.lower() in KNOWN_DEFAULTS:
        return "dit is een bekende voorbeeldwaarde"
    if len(set(value)) < MIN_DISTINCT:
        return f"hij heeft maar {len(set(value))} verschillende tekens (minstens {MIN_DISTINCT})"
    period = next((p for p in range(1, len(value) // 2 + 1)
                   if all(value[i] == value[i - p] for i in range(p, len(value)))), None)  # fmt: skip
    if period is not None:
        return (
            f"hij herhaalt '{value[:period][:8]}...' steeds"
            if period > 8
            else "hij herhaalt steeds hetzelfde stuk"
        )
    if re.search(r"(.)\1{7}", value):  # 'kkkkkkkk': eight times the same character in a row
        return "hij heeft acht of meer keer hetzelfde teken achter elkaar"
    steps = [ord(b) - ord(a) for a, b in itertools.pairwise(value)]
    if sum(1 for step in steps if abs(step) == 1) * 2 > len(steps):
        return "hij is grotendeels een reeks opeenvolgende tekens (zoals 0123... of abcd...)"
    counts = [value.count(c) for c in set(value)]
    bits = -sum(n * math.log2(n / len(value)) for n in counts)
    if bits < MIN_ESTIMATED_BITS:
        return "te veel tekens komen te vaak voor"
    return None
