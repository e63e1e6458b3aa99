"""Masking at the exits: log lines, crash logs and error messages never carry a BSN.

The rule is ``sdmonitor.domain.clients.mask_bsns_in_text``: every number that passes the 11-check becomes
``[verwijderd]``. Entry points (the CLI, the dashboard server) install ``MaskingFormatter`` on their log
handlers; the CLI masks what it prints for a user error and what it writes to a crash log.
"""

from __future__ import annotations

import logging

from sdmonitor.domain.clients import mask_bsns_in_text


class MaskingFormatter(logging.Formatter):
    """A log formatter whose output (message, arguments and traceback) has every BSN masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_bsns_in_text(super().format(record))


def mask_log_handlers(logger: logging.Logger) -> None:
    """Give every handler of ``logger`` a ``MaskingFormatter`` with the format it had."""
    for handler in logger.handlers:
        current = handler.formatter
        handler.setFormatter(
            MaskingFormatter(current._fmt if current else None, current.datefmt if current else None)
        )
