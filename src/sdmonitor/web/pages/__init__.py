"""The dashboard's pages, one module per page, each declaring itself once as ``PAGE`` (a ``PageDeclaration``:
name, address, menu label, role, cache policy and builder). ``PAGES`` lists them in menu order; the menu,
the roles, the routes (``web/routes/pages.py``), the downloads, the page cache and the warm-up all derive from
it. Adding a page: see docs/dashboard.md, "Een pagina toevoegen".

A builder takes the dashboard, the viewer and the query parameters, runs its figures through the cache
(``run_metric``, as ``sdm metric``) and returns tables and charts. The same builder serves the page and its
downloads, so a download holds exactly what the page shows.
"""

from __future__ import annotations

from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages import (
    audit,
    clients,
    data,
    definitions,
    details,
    editions,
    overview,
    profile,
    providers,
    users,
)
from sdmonitor.web.pages.base import Chart, Page, PageDeclaration

__all__ = ["NAVIGATION", "PAGES", "PAGES_BY_NAME", "Chart", "Page", "PageDeclaration", "warm_up"]

PAGES: tuple[PageDeclaration, ...] = (
    overview.PAGE,
    clients.PAGE,
    providers.PAGE,
    profile.PAGE,
    editions.PAGE,
    definitions.PAGE,
    data.PAGE,
    users.PAGE,
    audit.PAGE,
    details.PAGE,
)
PAGES_BY_NAME = {page.name: page for page in PAGES}
# the menu: (address, label, least role), in the order of PAGES
NAVIGATION = tuple((page.path, page.nav_label, page.role) for page in PAGES if page.nav_label is not None)


def warm_up(dash: Dashboard) -> None:
    """Compute the default pages once, so that their figures and charts are ready for the first visitors."""
    from sdmonitor.web.store import User

    for role in (Role.ANALYST, Role.VIEWER):  # the figures once; the viewer's hidden cells give other charts
        someone = Viewer(User(0, "warm-up", role, "", 0, None, None))  # type: ignore[arg-type]
        for page in PAGES:
            if page.warm_up:
                page.build(dash, someone, {})
