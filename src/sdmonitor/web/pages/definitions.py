"""The definitions: the metric catalogue and the dimensions, in Dutch."""

from __future__ import annotations

from collections.abc import Mapping

from sdmonitor.metrics import CATALOGUE
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import Page, PageDeclaration
from sdmonitor.web.pages.details import DRILL_EXTRA
from sdmonitor.web.tables import header


def definitions(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """The metric catalogue and the dimensions, in Dutch: each metric with its measures as declared."""
    from sdmonitor.metrics.catalogue import describe

    return Page(
        "definities", "definitions.html.j2", "Definities",
        context={"catalogue": list(CATALOGUE.values()), "header": header, "describe": describe,
                 "threshold": dash.settings.threshold,
                 "dimensions": [*dash.choices().filters(), *DRILL_EXTRA]},
    )  # fmt: skip


PAGE = PageDeclaration(
    name="definities",
    path="/definities",
    nav_label="Definities",
    role=Role.VIEWER,
    build=definitions,
    cached=True,
)
