"""The Participatiewet parts of a report (issue 14): whether benefits are loaded, and what a section about
benefits says without them.

A report is made whether or not the income system's benefits are loaded (``sdm load benefits``); without
them every section whose metric reads benefits says so in one Dutch sentence and shows no table, as the
access and money parts do. Figure 3 (unique clients per law and target group) then simply has no
Participatiewet rows.
"""

from __future__ import annotations

from sdmonitor.domain.wording import (
    HOUSEHOLD_TYPE_NAMES,
    INFLOW_GROUP_NAMES,
    OUTFLOW_GROUP_NAMES,
    REGULATION_NAMES,
)
from sdmonitor.metrics import CATALOGUE
from sdmonitor.warehouse import Warehouse, inventory

BENEFITS = "benefits"  # the kind of a benefits load (``loads.kind``) and what a benefit metric reads
NO_BENEFIT_DATA = "Geen gegevens over uitkeringen geladen: laad de uitkeringen uit het inkomenssysteem met sdm load benefits."


def benefits_loaded(warehouse: Warehouse) -> bool:
    """Whether benefits have ever been loaded (``loads.kind``)."""
    return any(load.kind == BENEFITS for load in inventory.list_loads(warehouse))


def is_benefit_metric(metric: str | None) -> bool:
    """Whether a metric counts benefits or the persons on them (it reads the benefits, not allocations)."""
    return metric is not None and metric in CATALOGUE and CATALOGUE[metric].reads == BENEFITS


def benefit_labels(metric: str) -> dict[str, dict[str, str]]:
    """What a reader sees for the codes in a benefit metric's columns: 'Algemene bijstand (Participatiewet)',
    'Alleenstaande ouder', and the reason groups ('Werk'; for inflow 'Einde werk'); none for other metrics."""
    if not is_benefit_metric(metric):
        return {}
    groups = INFLOW_GROUP_NAMES if metric == "benefit_inflow_reasons" else OUTFLOW_GROUP_NAMES
    return {
        "regulation": dict(REGULATION_NAMES),
        "household_type": dict(HOUSEHOLD_TYPE_NAMES),
        "reason_group": dict(groups),
    }
