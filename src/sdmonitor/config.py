"""Configuration from the environment. Every CLI option also has an ``SDM_*`` environment variable.

| variable              | meaning                                                     | default          |
|-----------------------|-------------------------------------------------------------|------------------|
| SDM_DB                | warehouse file                                              | ./sdm.duckdb     |
| SDM_PSEUDONYM_KEY     | secret key for BSN pseudonyms (HMAC-SHA256); no default     | (none)           |
| SDM_SOURCE            | name of the registration system a file comes from           | standaard        |
| SDM_MUNICIPALITY      | CBS municipality code for rows without one                  | (none)           |
| SDM_MEMORY_LIMIT      | memory the warehouse engine may use for queries             | 3GB              |
| SDM_LOAD_MEMORY_LIMIT | the same during a load                                      | 1500MB           |
| SDM_MUNICIPALITY_NAME | the municipality's name on reports                          | Gemeente         |
| SDM_LOGO              | the municipality's logo on reports (PNG, JPEG or SVG file)  | (none)           |
"""

from __future__ import annotations

import os
from pathlib import Path

from sdmonitor.errors import ConfigError

DEFAULT_DB = Path("sdm.duckdb")
DEFAULT_SOURCE = "standaard"
# Used only by `sdm demo` on fictional data when no key is set. It is published (PUBLISHED_KEYS), so a load
# refuses it, like any weak key, for a file with a BSN outside the fictional range 9999xxxxx.
DEMO_PSEUDONYM_KEY = b"sdmonitor-demo-key-fictional-data-only"


def pseudonym_key() -> bytes | None:
    """The pseudonym key from SDM_PSEUDONYM_KEY, or None when unset. Refuses a short key."""
    value = os.environ.get("SDM_PSEUDONYM_KEY")
    if not value:
        return None
    if len(value) < 16:
        raise ConfigError(
            "SDM_PSEUDONYM_KEY is te kort: gebruik minstens 16 tekens, bij voorkeur een willekeurige "
            "sleutel van 32 tekens of meer (maak er een met: python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')."
        )
    return value.encode("utf-8")
