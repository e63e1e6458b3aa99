"""The dashboard as an ASGI application: the app factory, its middleware and error pages; the routes are in
``web/routes/`` (one router per concern), what they share in ``web/deps.py``, the pages in ``web/pages/``.

Security, in one place: a signed session cookie holding a random session id that the server keeps
(HttpOnly, SameSite=Lax; the session ends at logout, after ``idle_timeout`` without requests by the server's
own record, ``session_lifetime`` after login, and when the user's password is reset or the user removed), a
CSRF token on every form, login attempts limited per user name and per client address, strict security
headers (a Content-Security-Policy that allows no script at all, framing denied, no caching of pages), and
an audit line for every login, failed login, download and drill-down. Route handlers are plain functions:
the server runs them in its thread pool, and each takes its own warehouse cursor.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sdmonitor.errors import InputError
from sdmonitor.metrics.run import LatePeriodError
from sdmonitor.web import charts, pages
from sdmonitor.web.dashboard import Dashboard
from sdmonitor.web.deps import ForbiddenError, LoginRequiredError, Site, dashboard_of, error_page, render
from sdmonitor.web.figures import BusyError
from sdmonitor.web.routes import admin, auth, downloads
from sdmonitor.web.routes import pages as page_routes

log = logging.getLogger(__name__)

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
# With --https-only: browsers that saw the site over https use only https for a year (no includeSubDomains:
# other sites of the municipality's domain are not ours to decide).
HSTS = (b"strict-transport-security", b"max-age=31536000")
COOKIE = "sdm_sessie"


class SecurityHeaders:
    """Adds the security headers to every response (with ``hsts``, also Strict-Transport-Security), and
    ``Cache-Control: no-store`` to all but static files."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = [*SECURITY_HEADERS, HSTS] if hsts else SECURITY_HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")
        head = scope.get("method") == "HEAD"
        if head:  # answered as GET without the body, wherever GET is allowed
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += self.headers
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(dashboard: Dashboard, *, close_on_shutdown: bool = False) -> FastAPI:
    """The dashboard application on an open ``Dashboard``; the caller closes it, or with
    ``close_on_shutdown`` the application does when the server shuts down (``sdm serve``: uvicorn re-raises
    SIGTERM after its shutdown, so code after ``uvicorn.run`` never runs then)."""
    settings = dashboard.settings
    site = Site.for_settings(settings)
    dashboard.store.end_expired_sessions(
        idle_timeout=settings.idle_timeout, lifetime=settings.session_lifetime
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        if settings.warm_up:
            dashboard.warm_up = _warm_up  # again after each load, which drops every cache
            threading.Thread(target=_warm_up, args=(dashboard,), name="warm-up", daemon=True).start()
        yield
        # the warehouse first (its 'serving' marker goes with it): a load waiting for it should not wait for a
        # chart still being drawn, nor find the marker left by a SIGKILL of a slow stop
        if close_on_shutdown:
            dashboard.close()
        charts.shutdown()

    app = FastAPI(
        title="Sociaal Domein Monitor", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.dashboard = dashboard
    app.state.site = site
    app.state.login_limits = (site.per_user, site.per_ip, site.per_name)
    static = Path(str(resources.files("sdmonitor.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    _add_error_pages(app)
    for router in (auth.router, page_routes.router, downloads.router, admin.router):
        app.include_router(router)
    app.add_middleware(
        # the cookie lives as long as a session may; the idle timeout is checked here (``session_user``), so
        # that an expired session can say so instead of silently showing the login form
        SessionMiddleware, secret_key=settings.secret_key, session_cookie=COOKIE, max_age=settings.session_lifetime,
        same_site="lax", https_only=settings.https_only,
    )  # fmt: skip
    app.add_middleware(SecurityHeaders, hsts=settings.https_only)
    return app


def _add_error_pages(app: FastAPI) -> None:
    """Every error as a Dutch page in the site's layout; no session: the login, with the way back."""

    @app.exception_handler(LoginRequiredError)
    def not_logged_in(request: Request, exc: LoginRequiredError) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/inloggen?volgende={quote(target)}", status_code=303)

    @app.exception_handler(ForbiddenError)
    def forbidden(request: Request, exc: ForbiddenError) -> Response:
        return error_page(
            request, 403, "Geen toegang",
            "U heeft geen toegang tot deze pagina, of het formulier was verlopen. Ga terug en probeer het opnieuw.",
        )  # fmt: skip

    @app.exception_handler(InputError)
    def bad_input(request: Request, exc: InputError) -> Response:
        text = exc.web_text() if isinstance(exc, LatePeriodError) else str(exc)  # no CLI options in a browser
        return error_page(request, 400, "Ongeldige keuze", text)

    @app.exception_handler(BusyError)
    def busy(request: Request, exc: BusyError) -> Response:
        return error_page(request, 503, "Even geduld", str(exc))

    @app.exception_handler(404)
    def not_found(request: Request, exc: Exception) -> Response:
        return error_page(request, 404, "Niet gevonden", "Deze pagina bestaat niet.")

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 400, "Ongeldige keuze",
                          "Een waarde in het adres of het formulier is niet geldig. Ga terug en probeer het opnieuw.")  # fmt: skip

    @app.exception_handler(Exception)
    def crashed(request: Request, exc: Exception) -> Response:
        """Anything unforeseen: a Dutch page (the traceback goes to the log). This runs outside the other
        middleware, so the security headers are added here."""
        log.error("request %s failed", request.url.path, exc_info=exc)
        message = "Er ging iets mis op de server. Probeer het later opnieuw of meld het de beheerder."
        try:
            response: Response = render(request, "error.html.j2", title="Fout", user=None, status=500,
                                        message=message)  # fmt: skip
        except Exception:  # the page itself cannot be made: plain text will do
            response = Response(message, status_code=500, media_type="text/plain; charset=utf-8")
        extra = [HSTS] if dashboard_of(request).settings.https_only else []
        for name, value in [*SECURITY_HEADERS, *extra, (b"cache-control", b"no-store")]:
            response.headers[name.decode()] = value.decode()
        return response

    @app.exception_handler(405)
    def not_allowed(request: Request, exc: Exception) -> Response:
        return error_page(request, 405, "Niet toegestaan", "Deze pagina kan zo niet worden opgevraagd.")


def _warm_up(dashboard: Dashboard) -> None:
    """Compute the default pages' figures at start-up, so that the first visitors do not wait."""
    try:
        pages.warm_up(dashboard)
    except Exception:  # the page itself will show the problem; the server keeps running
        log.exception("warming up the dashboard failed")
