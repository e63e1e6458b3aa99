"""The definitions in a report's appendix ("Definities"): each figure once, in words a council member reads.

A metric declares its definition with a placeholder where an option's value goes
(``Metric.definition_text``: 'binnen {reentry_months} maanden'). The command line shows the option there
('binnen --reentry-months maanden'); a report shows the value it used ('binnen 12 maanden'), so that no
option name reaches the council.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdmonitor.domain.formatting import dutch_int
from sdmonitor.metrics import CATALOGUE, MetricRequest


def option_text(value: Any) -> str:
    """An option's value as a reader sees it: '12', '1.000'; a word as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return dutch_int(value)
    return str(value)


def report_definition(metric: str, options: Mapping[str, Any] | None = None) -> str:
    """The definition of ``metric`` with the values of its options a report used: those in ``options`` (a
    section's request), else the metric's defaults, as ``run_metric`` takes them (``MetricRequest.option``)."""
    request = MetricRequest(name=metric, options=dict(options or {}))
    declared = CATALOGUE[metric]
    return declared.definition_with(
        {name: option_text(request.option(name)) for name in declared.placeholders}
    )


__all__ = ["option_text", "report_definition"]
