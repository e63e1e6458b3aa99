"""Every declared page (``web/pages/__init__.py``, ``PAGES``) as a GET route: the role of its declaration as
a dependency, the page built (and kept, for cached pages), rendered in the site's layout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from sdmonitor.web.dashboard import Viewer
from sdmonitor.web.deps import client_ip, dashboard_of, query_key, render, require, site_of
from sdmonitor.web.pages import PAGES, Page, PageDeclaration

router = APIRouter()


def page_cache_key(declaration: PageDeclaration, request: Request, who: Viewer) -> tuple[Any, ...]:
    """What a cached page depends on: the page, the query, the kind of viewer (not the user) and the version of
    the data (a load makes every kept page out of date). The one place that builds the key of both page
    caches (built pages and their rendered content); taken before building, so a page's data is at least as
    new as its key."""
    dashboard = dashboard_of(request)
    threshold = dashboard.settings.threshold
    return (
        declaration.name,
        query_key(request),
        who.policy(threshold) is None,
        who.may_drill,
        dashboard.data_version,
    )


def built(
    declaration: PageDeclaration, who: Viewer, request: Request, key: tuple[Any, ...] | None = None
) -> Page:
    """A page's tables and charts; those of cached pages are kept under ``key`` (by default
    ``page_cache_key``, taken before the page is built)."""
    dashboard = dashboard_of(request)
    if not declaration.cached:
        return declaration.build(dashboard, who, request.query_params)
    built_pages = site_of(request).built_pages
    key = key or page_cache_key(declaration, request, who)
    page = built_pages.get(key)
    if page is None:
        page = declaration.build(dashboard, who, request.query_params)
        built_pages.put(key, page)
    return page


def page_response(request: Request, declaration: PageDeclaration, who: Viewer) -> Response:
    # the content of a cached page shows no user: the layout adds name and form token
    key = page_cache_key(declaration, request, who) if declaration.cached else None
    page = built(declaration, who, request, key)
    if declaration.drilldown:
        dashboard_of(request).store.audit(
            "drilldown", user=who.user.name, role=who.role.value, target=declaration.name,
            detail=request.url.query, client_ip=client_ip(request),
        )  # fmt: skip
    return render(
        request, page.template, title=page.title, user=who.user, page=page, viewer=who, cache_key=key,
        sources=declaration.sources,
    )  # fmt: skip


def _page_route(declaration: PageDeclaration) -> Callable[..., Response]:
    viewer = Depends(require(declaration.role))  # the login, or forbidden, below the declared role

    def route(request: Request, who: Viewer = viewer) -> Response:
        return page_response(request, declaration, who)

    route.__name__ = f"page_{declaration.name}"
    return route


for _declaration in PAGES:
    router.add_api_route(
        _declaration.path, _page_route(_declaration), methods=["GET"], response_class=HTMLResponse
    )
