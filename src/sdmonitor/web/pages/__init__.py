"""The dashboard's pages, one module per page, each declaring itself once as ``PAGE`` (a ``PageDeclaration``:
name, address, menu label and place, role, cache policy and builder). ``PAGES`` holds every ``PAGE`` found
in the modules of this package, in menu order (``order``); the menu, the roles, the routes
(``web/routes/pages.py``), the downloads, the page cache and the warm-up all derive from it. Adding a page:
see docs/dashboard.md, "Een pagina toevoegen".

A builder takes the dashboard, the viewer and the query parameters, runs its figures through the cache
(``run_metric``, as ``sdm metric``) and returns tables and charts. The same builder serves the page and its
downloads, so a download holds exactly what the page shows.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable

from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import Chart, Page, PageDeclaration
from sdmonitor.web.store import User

__all__ = ["NAVIGATION", "PAGES", "PAGES_BY_NAME", "Chart", "Page", "PageDeclaration", "declared", "warm_up"]


def declared(package: str, names: Iterable[str]) -> tuple[PageDeclaration, ...]:
    """The ``PAGE`` of each module ``names`` of ``package`` that has one, in menu order (``order``); ValueError
    when two pages share a name, an address or a place."""
    found = [
        page
        for name in names
        if isinstance(
            page := getattr(importlib.import_module(f"{package}.{name}"), "PAGE", None), PageDeclaration
        )
    ]
    for what in ("name", "path", "order"):
        values = [getattr(page, what) for page in found]
        if len(set(values)) != len(values):
            raise ValueError(f"Two dashboard pages share a {what}: {sorted(values)}")
    return tuple(sorted(found, key=lambda page: page.order))


PAGES = declared(__name__, sorted(module.name for module in pkgutil.iter_modules(__path__)))
PAGES_BY_NAME = {page.name: page for page in PAGES}
# the menu: (address, label, least role), in the order of PAGES
NAVIGATION = tuple((page.path, page.nav_label, page.role) for page in PAGES if page.nav_label is not None)


def warm_up(dash: Dashboard) -> None:
    """Compute the default pages once, so that their figures and charts are ready for the first visitors."""
    for role in (Role.ANALYST, Role.VIEWER):  # the figures once; the viewer's hidden cells give other charts
        someone = Viewer(User(0, "warm-up", role, "", 0, None, None))  # type: ignore[arg-type]
        for page in PAGES:
            if page.warm_up:
                page.build(dash, someone, {})
