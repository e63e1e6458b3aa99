"""What the routes share: the dashboard, the session's user and role, the form check, and rendering a page in
the site's layout. Roles are FastAPI dependencies, as in the FastAPI template's ``api/deps.py``:
``who: Annotated[Viewer, Depends(require(Role.ANALYST))]`` gives the viewer, or sends the browser to the login
(no session) or to the forbidden page (a role too low, written to the audit log).

The application keeps its shared state on ``app.state``: ``dashboard`` (the warehouse's figures, users and
audit log) and ``site`` (templates, the two page caches and the login limits; see ``Site``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from sdmonitor import __version__
from sdmonitor.errors import SdmError
from sdmonitor.web.auth import (
    RateLimiter,
    Role,
    SpreadCounter,
    client_address,
    csrf_matches,
    new_csrf_token,
)
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages import NAVIGATION, Page
from sdmonitor.web.settings import WebSettings
from sdmonitor.web.store import AUDIT_ACTIONS, User

T = TypeVar("T")


class Recent(Generic[T]):
    """A small thread-safe cache that forgets the least recently used entry first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> T | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key: tuple[Any, ...], value: T) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class LoginRequiredError(Exception):
    """The request needs a session."""


class ForbiddenError(Exception):
    """The user's role does not allow this."""


@dataclass
class Site:
    """The application's state beside the dashboard: templates, the caches of built pages and of their
    rendered content, and the login limits."""

    templates: jinja2.Environment
    contents: Recent[Markup]
    built_pages: Recent[Page]
    # failures of one name from one address; of one address; and of one name from all addresses (a lock)
    per_user: RateLimiter
    per_ip: RateLimiter
    per_name: SpreadCounter

    @classmethod
    def for_settings(cls, settings: WebSettings) -> Site:
        return cls(
            templates=_environment(),
            contents=Recent(256),
            built_pages=Recent(256),
            per_user=RateLimiter(settings.login_limit_per_user, settings.login_window),
            per_ip=RateLimiter(settings.login_limit_per_ip, settings.login_window),
            per_name=SpreadCounter(
                settings.login_limit_per_user, settings.login_lock_addresses, settings.login_window
            ),
        )


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sdmonitor.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["audit_actions"] = AUDIT_ACTIONS
    return environment


def dashboard_of(request: Request) -> Dashboard:
    """The application's dashboard (``app.state.dashboard``)."""
    return request.app.state.dashboard  # type: ignore[no-any-return]


def site_of(request: Request) -> Site:
    """The application's templates, caches and login limits (``app.state.site``)."""
    return request.app.state.site  # type: ignore[no-any-return]


DashboardDep = Annotated[Dashboard, Depends(dashboard_of)]
SiteDep = Annotated[Site, Depends(site_of)]


# --- sessions and roles -----------------------------------------------------------------------------------


def client_ip(request: Request) -> str:
    """The user's address: the connection's, or from X-Forwarded-For of a configured proxy (validated)."""
    peer = request.client.host if request.client else None
    proxies = dashboard_of(request).settings.trusted_proxies
    return client_address(peer, request.headers.get("x-forwarded-for"), proxies)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = new_csrf_token()
        request.session["csrf"] = token
    return str(token)


def session_user(request: Request) -> User | None:
    """The user of the request's session; an ended session is cleared and marked expired."""
    dashboard = dashboard_of(request)
    settings = dashboard.settings
    session = request.session
    if "sid" not in session:
        return None
    user_id = dashboard.store.session_user_id(
        str(session["sid"]), idle_timeout=settings.idle_timeout, lifetime=settings.session_lifetime
    )
    user = None if user_id is None else dashboard.user_of(user_id, int(session.get("epoch", -1)))
    if user is None:
        session.clear()
        session["expired"] = True
        return None
    return user


def authorise(request: Request, needed: Role) -> Viewer:
    """The viewer of a request that needs ``needed``: no session -> the login; a lower role -> forbidden
    (and an audit line)."""
    user = session_user(request)
    if user is None:
        raise LoginRequiredError()
    if not user.role.allows(needed):
        dashboard_of(request).store.audit(
            "forbidden", user=user.name, role=user.role.value, target=request.url.path,
            detail=request.url.query, client_ip=client_ip(request),
        )  # fmt: skip
        raise ForbiddenError()
    return Viewer(user)


def require(needed: Role) -> Callable[[Request], Viewer]:
    """A dependency that gives the viewer of a request with at least the role ``needed``."""

    def viewer(request: Request) -> Viewer:
        return authorise(request, needed)

    viewer.__name__ = f"require_{needed.value}"
    return viewer


def check_form(request: Request, token: str) -> None:
    """A form must come from this site and carry the session's token (CSRF); else forbidden."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise ForbiddenError()
    if not csrf_matches(token, request.session.get("csrf")):
        raise ForbiddenError()


# --- rendering --------------------------------------------------------------------------------------------


def query_key(request: Request) -> str:
    """The query parameters in a fixed order, so that the same selection finds the same cached page."""
    return urlencode(sorted(request.query_params.multi_items()))


def footer_sources(dashboard: Dashboard, kinds: Iterable[str] | None = None) -> str:
    """The sources of the loaded data the footer names (of ``kinds`` only: the page's figures); empty when
    the warehouse cannot be read now (busy: the footer then names none rather than holding up the page)."""
    try:
        return dashboard.sources(kinds)
    except SdmError:
        return ""


def render(
    request: Request, template: str, *, title: str, user: User | None, status: int = 200,
    cache_key: tuple[Any, ...] | None = None, sources: Iterable[str] | None = None, **context: Any,
) -> HTMLResponse:  # fmt: skip
    """The page's content (``template``, cached under ``cache_key`` when given) in the site's layout; the
    footer names the loaded sources of ``sources`` (kinds of data; None: of every kind)."""
    site, dashboard = site_of(request), dashboard_of(request)
    settings = dashboard.settings
    path = request.url.path
    nav = [
        {"href": href, "label": label, "current": path == href or (href != "/" and path.startswith(href))}
        for href, label, needed in NAVIGATION
        if user is not None and user.role.allows(needed)
    ]
    common = {
        "title": title, "user": user, "nav": nav, "csrf": csrf_token(request),
        "municipality": settings.municipality_name, "version": __version__, "threshold": settings.threshold,
        "sources": footer_sources(dashboard, sources) if user is not None else "",
    }  # fmt: skip
    content = site.contents.get(cache_key) if cache_key is not None else None
    if content is None:
        content = Markup(site.templates.get_template(template).render(**common, **context))
        if cache_key is not None:
            site.contents.put(cache_key, content)
    html = site.templates.get_template("layout.html.j2").render(**common, content=content)
    return HTMLResponse(html, status_code=status)


def error_page(
    request: Request, status: int, title: str, message: str, user: User | None = None
) -> HTMLResponse:
    if user is None and "sid" in request.session:
        user = session_user(request)
    return render(request, "error.html.j2", title=title, user=user, status=status, message=message)


def not_found(request: Request) -> HTMLResponse:
    return error_page(request, 404, "Niet gevonden", "Deze pagina bestaat niet.")
