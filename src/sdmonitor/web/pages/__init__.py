"""The dashboard's pages as data: each builder takes the dashboard, the viewer and the query parameters,
runs its figures through the cache (``run_metric``, as ``sdm metric``) and returns tables and charts.

The same builder serves the page and its downloads, so a download holds exactly what the page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages import clients, data, definitions, details, editions, overview, profile, providers
from sdmonitor.web.pages.base import Chart, Page

__all__ = ["BUILDERS", "Chart", "Page", "warm_up"]


def warm_up(dash: Dashboard) -> None:
    """Compute the default pages once, so that their figures and charts are ready for the first visitors."""
    from sdmonitor.web.auth import Role
    from sdmonitor.web.store import User

    for role in (Role.ANALYST, Role.VIEWER):  # the figures once; the viewer's hidden cells give other charts
        someone = Viewer(User(0, "warm-up", role, "", 0, None, None))  # type: ignore[arg-type]
        for builder in (overview.overview, clients.clients, providers.providers, profile.profile):
            builder(dash, someone, {})


BUILDERS: dict[str, Callable[[Dashboard, Viewer, Mapping[str, str]], Page]] = {
    "overzicht": overview.overview,
    "clienten": clients.clients,
    "aanbieders": providers.providers,
    "profiel": profile.profile,
    "details": details.details,
    "definities": definitions.definitions,
    "gegevens": data.data,
    "edities": editions.editions,
}
