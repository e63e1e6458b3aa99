"""The definitions: the metric catalogue and the terms, in Dutch."""

from __future__ import annotations

from collections.abc import Mapping

from sdmonitor.metrics import CATALOGUE
from sdmonitor.metrics.catalogue import describe
from sdmonitor.reports.definitions import report_definition
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import Page, PageDeclaration
from sdmonitor.web.tables import header


def definitions(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """The metric catalogue and the terms, in Dutch: each metric with its measures as declared, its definition
    with the values the dashboard uses (the metric's defaults: 'binnen 12 maanden'), as a report's appendix,
    not the command line's option names."""
    return Page(
        "definities", "definitions.html.j2", "Definities",
        context={"catalogue": list(CATALOGUE.values()), "header": header, "describe": describe,
                 "definition": report_definition, "threshold": dash.settings.threshold},
    )  # fmt: skip


PAGE = PageDeclaration(
    name="definities",
    path="/definities",
    nav_label="Definities",
    role=Role.VIEWER,
    build=definitions,
    order=60,
    cached=True,
)
