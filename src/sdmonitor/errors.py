"""Exceptions of sdmonitor. Every error a user can cause derives from ``SdmError``.

::

    SdmError                 root; the CLI prints its message (Dutch) and exits 1, no traceback
    ├── InputError           an input file or option is unusable as a whole (missing column, unreadable file)
    ├── ConfigError          configuration or environment is missing or wrong (e.g. SDM_PSEUDONYM_KEY)
    ├── LoadRejectedError         a --strict load met rejected rows; nothing was stored
    └── WarehouseError       the warehouse file is unusable (newer schema, locked, corrupt)

Anything else is a bug: the CLI writes its traceback to a log file and prints the path.
"""

from __future__ import annotations


class SdmError(Exception):
    """Root of all errors a user can cause or fix; its message is for the user, in Dutch."""


class InputError(SdmError):
    """An input file or option cannot be used as a whole."""


class ConfigError(SdmError):
    """Configuration or environment is missing or wrong."""


class LoadRejectedError(SdmError):
    """A strict load found rejected rows and stored nothing."""


class WarehouseError(SdmError):
    """The warehouse cannot be opened or migrated."""
