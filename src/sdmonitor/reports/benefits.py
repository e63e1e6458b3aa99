"""The Participatiewet parts of a report (issue 14): whether benefits are loaded, and what a section about
benefits says without them.

A report is made whether or not the income system's benefits are loaded (``sdm load benefits``); without
them every section whose metric reads benefits says so in one Dutch sentence and shows no table, as the
access and money parts do. Figure 3 (unique clients per law and target group) then simply has no
Participatiewet rows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sdmonitor.metrics import CATALOGUE
from sdmonitor.reports.model import TableModel
from sdmonitor.warehouse import Warehouse, inventory

if TYPE_CHECKING:
    from sdmonitor.reports.build import SectionModel

BENEFITS = "benefits"  # the kind of a benefits load (``loads.kind``) and what a benefit metric reads
NO_BENEFIT_DATA = "Geen gegevens over uitkeringen geladen: laad de uitkeringen uit het inkomenssysteem met sdm load benefits."


def benefits_loaded(warehouse: Warehouse) -> bool:
    """Whether benefits have ever been loaded (``loads.kind``)."""
    return any(load.kind == BENEFITS for load in inventory.list_loads(warehouse))


def is_benefit_metric(metric: str | None) -> bool:
    """Whether a metric counts benefits or the persons on them (it reads the benefits, not allocations)."""
    return metric is not None and metric in CATALOGUE and CATALOGUE[metric].reads == BENEFITS


def benefit_note(model: SectionModel, loaded: bool) -> SectionModel:
    """A benefits section without loaded benefits: the sentence instead of a table (no empty table, no
    chart); any other section unchanged."""
    if loaded or not is_benefit_metric(model.section.metric):
        return model
    empty = TableModel(model.table.columns, model.table.headers, ())
    return replace(model, table=empty, display=None, compare=None, chart=None, note=NO_BENEFIT_DATA)
