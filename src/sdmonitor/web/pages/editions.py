"""The report editions a viewer may open."""

from __future__ import annotations

from collections.abc import Mapping

from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import Page, PageDeclaration


def editions(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Report editions: files to download and what changed against the previous edition."""
    from sdmonitor.reports.editions import list_editions

    every = dash.figures.read(list_editions)
    threshold = dash.settings.threshold
    found = [edition for edition in every if viewer.may_download(edition, threshold)]
    context = {"editions": found, "withheld": len(every) - len(found), "min_count": threshold}
    return Page("edities", "editions.html.j2", "Rapportedities", context=context)


PAGE = PageDeclaration(
    name="edities", path="/edities", nav_label="Rapporten", role=Role.VIEWER, build=editions, order=50
)
