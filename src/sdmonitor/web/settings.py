"""Settings of the dashboard server: the secret key from the environment, timeouts, limits."""

from __future__ import annotations

import os
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
    warm_up: bool = True  # compute the default pages' figures at start-up
    drilldown_limit: int = 200  # rows of a drill-down shown on the page (downloads hold all)


def secret_key_from_environment() -> str:
    """``SDM_SECRET_KEY``, at least 32 characters and not a known example; ConfigError (Dutch) otherwise."""
    value = os.environ.get("SDM_SECRET_KEY", "")
    advice = (
        "Maak een sleutel met: python -c 'import secrets; print(secrets.token_hex(32))' en zet die als "
        "SDM_SECRET_KEY in de omgeving van de server."
    )
    if not value:
        raise ConfigError(
            f"SDM_SECRET_KEY ontbreekt: het dashboard start niet zonder geheime sleutel. {advice}"
        )
    if len(value) < MIN_SECRET_LENGTH or value.lower() in KNOWN_DEFAULTS or len(set(value)) < 8:
        raise ConfigError(
            f"SDM_SECRET_KEY is te kort of te voorspelbaar: gebruik minstens {MIN_SECRET_LENGTH} "
            f"willekeurige tekens. {advice}"
        )
    return value
