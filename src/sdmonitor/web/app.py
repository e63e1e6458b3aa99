"""The dashboard as an ASGI application: pages, downloads, login, user administration and the audit log.

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
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sdmonitor import __version__
from sdmonitor.errors import InputError
from sdmonitor.metrics.run import LatePeriodError
from sdmonitor.web import charts, pages
from sdmonitor.web.auth import (
    RateLimiter,
    Role,
    SpreadCounter,
    client_address,
    csrf_matches,
    new_csrf_token,
    verify_password,
    verify_unknown_user,
)
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.figures import BusyError
from sdmonitor.web.store import AUDIT_ACTIONS, User, now_local
from sdmonitor.web.tables import Table, TableSpec, build_table, download_problem, to_csv, to_xlsx

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
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
# page -> the role it needs
PAGE_ROLES = {
    "overzicht": Role.VIEWER,
    "clienten": Role.VIEWER,
    "aanbieders": Role.VIEWER,
    "profiel": Role.VIEWER,
    "edities": Role.VIEWER,
    "definities": Role.VIEWER,
    "details": Role.ANALYST,
    "gegevens": Role.ADMIN,
    "audit": Role.ADMIN,
}
NAVIGATION = (
    ("/", "Overzicht", Role.VIEWER),
    ("/clienten", "Cliënten en stromen", Role.VIEWER),
    ("/aanbieders", "Aanbieders", Role.VIEWER),
    ("/profiel", "Profiel", Role.VIEWER),
    ("/edities", "Rapporten", Role.VIEWER),
    ("/definities", "Definities", Role.VIEWER),
    ("/gegevens", "Gegevens", Role.ADMIN),
    ("/beheer/gebruikers", "Gebruikers", Role.ADMIN),
    ("/beheer/audit", "Auditlog", Role.ADMIN),
)


# Pages whose content depends only on the query and the kind of viewer (not on the user): kept once built.
CACHED_PAGES = frozenset({"overzicht", "clienten", "aanbieders", "profiel", "definities"})
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


def _query_key(request: Request) -> str:
    """The query parameters in a fixed order, so that the same selection finds the same cached page."""
    return urlencode(sorted(request.query_params.multi_items()))


class LoginRequiredError(Exception):
    """The request needs a session."""


class ForbiddenError(Exception):
    """The user's role does not allow this."""


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


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no '//host', no scheme): an open redirect helps phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def create_app(dashboard: Dashboard) -> FastAPI:
    """The dashboard application on an open ``Dashboard`` (which the caller closes)."""
    settings = dashboard.settings
    templates = _environment()
    # failures of one name from one address; of one address; and of one name from all addresses (a lock)
    per_user = RateLimiter(settings.login_limit_per_user, settings.login_window)
    per_name = SpreadCounter(
        settings.login_limit_per_user, settings.login_lock_addresses, settings.login_window
    )
    contents: Recent[Markup] = Recent(256)
    built_pages: Recent[pages.Page] = Recent(256)
    per_ip = RateLimiter(settings.login_limit_per_ip, settings.login_window)

    dashboard.store.end_expired_sessions(
        idle_timeout=settings.idle_timeout, lifetime=settings.session_lifetime
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        if settings.warm_up:
            threading.Thread(target=_warm_up, args=(dashboard,), name="warm-up", daemon=True).start()
        yield
        charts.shutdown()

    app = FastAPI(
        title="Sociaal Domein Monitor", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.dashboard = dashboard
    app.state.login_limits = (per_user, per_ip, per_name)
    static = Path(str(resources.files("sdmonitor.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")

    # --- sessions and roles -------------------------------------------------------------------------

    def client_ip(request: Request) -> str:
        """The user's address: the connection's, or from X-Forwarded-For of a configured proxy (validated)."""
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.get("x-forwarded-for"), settings.trusted_proxies)

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = new_csrf_token()
            request.session["csrf"] = token
        return str(token)

    def session_user(request: Request) -> User | None:
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

    def viewer(request: Request, needed: Role) -> Viewer:
        user = session_user(request)
        if user is None:
            raise LoginRequiredError()
        if not user.role.allows(needed):
            dashboard.store.audit(
                "forbidden", user=user.name, role=user.role.value, target=request.url.path,
                detail=request.url.query, client_ip=client_ip(request),
            )  # fmt: skip
            raise ForbiddenError()
        return Viewer(user)

    def check_form(request: Request, token: str) -> None:
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.headers.get("host"):
            raise ForbiddenError()
        if not csrf_matches(token, request.session.get("csrf")):
            raise ForbiddenError()

    def render(
        request: Request, template: str, *, title: str, user: User | None, status: int = 200,
        cache_key: tuple[Any, ...] | None = None, **context: Any,
    ) -> HTMLResponse:  # fmt: skip
        """The page's content (``template``, cached under ``cache_key`` when given) in the site's layout."""
        path = request.url.path
        nav = [
            {"href": href, "label": label, "current": path == href or (href != "/" and path.startswith(href))}
            for href, label, needed in NAVIGATION
            if user is not None and user.role.allows(needed)
        ]
        common = {
            "title": title, "user": user, "nav": nav, "csrf": csrf_token(request),
            "municipality": settings.municipality_name, "version": __version__, "threshold": settings.threshold,
        }  # fmt: skip
        content = contents.get(cache_key) if cache_key is not None else None
        if content is None:
            content = Markup(templates.get_template(template).render(**common, **context))
            if cache_key is not None:
                contents.put(cache_key, content)
        html = templates.get_template("layout.html.j2").render(**common, content=content)
        return HTMLResponse(html, status_code=status)

    def error_page(
        request: Request, status: int, title: str, message: str, user: User | None = None
    ) -> HTMLResponse:
        if user is None and "sid" in request.session:
            user = session_user(request)
        return render(request, "error.html.j2", title=title, user=user, status=status, message=message)

    # --- errors ---------------------------------------------------------------------------------------

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
        extra = [HSTS] if settings.https_only else []
        for name, value in [*SECURITY_HEADERS, *extra, (b"cache-control", b"no-store")]:
            response.headers[name.decode()] = value.decode()
        return response

    @app.exception_handler(405)
    def not_allowed(request: Request, exc: Exception) -> Response:
        return error_page(request, 405, "Niet toegestaan", "Deze pagina kan zo niet worden opgevraagd.")

    # --- login ----------------------------------------------------------------------------------------

    @app.get("/inloggen", response_class=HTMLResponse)
    def login_form(request: Request, volgende: str = "/") -> Response:
        if session_user(request) is not None:
            return RedirectResponse(_safe_next(volgende), status_code=303)
        expired = bool(request.session.pop("expired", False))
        return render(request, "login.html.j2", title="Inloggen", user=None, next=_safe_next(volgende),
                      message="Uw sessie is verlopen; log opnieuw in." if expired else "", name="")  # fmt: skip

    @app.post("/inloggen", response_class=HTMLResponse)
    def login(
        request: Request, gebruikersnaam: str = Form(""), wachtwoord: str = Form(""), csrf: str = Form(""),
        volgende: str = Form("/"),
    ) -> Response:  # fmt: skip
        check_form(request, csrf)
        name, ip = gebruikersnaam.strip()[:64], client_ip(request)
        user_key, ip_key = f"user:{name.lower()}|ip:{ip}", f"ip:{ip}"

        def refused(wait: int, blocked: str, limiter: RateLimiter) -> Response:
            if limiter.should_report_block(blocked):  # one line per blocked name or address per window
                dashboard.store.audit("login_blocked", user=name, client_ip=ip)
            response = render(
                request, "login.html.j2", title="Inloggen", user=None, status=429, next=_safe_next(volgende),
                name=name, message=f"Te veel mislukte pogingen. Probeer het over {max(1, (wait + 59) // 60)} "
                "minuten opnieuw, of vraag de beheerder om hulp.",
            )  # fmt: skip
            response.headers["Retry-After"] = str(max(1, wait))
            return response

        locked = dashboard.store.locked_for(name)
        if locked:  # refused before any check: attempts during a lock neither count nor extend it
            return refused(locked, f"lock:{name.lower()}", per_user)
        # reserve the attempt before the (slow) password check, so parallel requests cannot pass together
        acquired = per_user.try_acquire(user_key)
        if acquired and not per_ip.try_acquire(ip_key):
            per_user.release(user_key, failed=False)
            acquired = False
        if not acquired:
            wait = max(per_user.retry_after(user_key), per_ip.retry_after(ip_key))
            blocked = user_key if per_user.retry_after(user_key) else ip_key
            return refused(wait, blocked, per_user if blocked == user_key else per_ip)
        failed = True
        try:
            user = dashboard.store.find(name) if name else None
            valid = (
                verify_password(wachtwoord, user.password_hash) if user else verify_unknown_user(wachtwoord)
            )
            failed = user is None or not valid
        finally:
            per_user.release(user_key, failed=failed)
            per_ip.release(ip_key, failed=failed)
        if failed or user is None:
            dashboard.store.audit("login_failed", user=name, client_ip=ip)
            if per_name.record(name.lower(), ip):  # failures from several addresses: lock the name
                dashboard.store.lock(name, settings.login_window)
                dashboard.store.audit("login_locked", user=name, client_ip=ip,
                                      detail=f"{settings.login_window // 60} minuten")  # fmt: skip
            return render(
                request, "login.html.j2", title="Inloggen", user=None, status=401, next=_safe_next(volgende),
                name=name, message="Onbekende gebruikersnaam of onjuist wachtwoord.",
            )  # fmt: skip
        per_user.reset(user_key)
        per_name.reset(name.lower())
        request.session.clear()  # a new session: nothing of the anonymous one carries over
        request.session.update(
            {
                "sid": dashboard.store.start_session(user.user_id),
                "epoch": user.session_epoch,
                "csrf": new_csrf_token(),
            }
        )
        dashboard.store.audit("login", user=user.name, role=user.role.value, client_ip=ip)
        return RedirectResponse(_safe_next(volgende), status_code=303)

    @app.post("/uitloggen")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        check_form(request, csrf)
        user = session_user(request)
        if user is not None:
            dashboard.store.audit(
                "logout", user=user.name, role=user.role.value, client_ip=client_ip(request)
            )
        if "sid" in request.session:  # the server forgets the session: a copy of the cookie no longer works
            dashboard.store.end_session(str(request.session["sid"]))
        request.session.clear()
        return RedirectResponse("/inloggen", status_code=303)

    @app.get("/gezondheid")
    async def health() -> JSONResponse:
        """For monitoring: answers without a login and without touching the warehouse."""
        return JSONResponse({"status": "ok", "versie": __version__})

    # --- pages ----------------------------------------------------------------------------------------

    def built(name: str, who: Viewer, request: Request) -> pages.Page:
        """A page's tables and charts; those of figure pages are kept until the next load."""
        if name not in CACHED_PAGES:
            return pages.BUILDERS[name](dashboard, who, request.query_params)
        version = dashboard.data_version  # counts loads: a page of older data is never served again
        key = (name, _query_key(request), who.policy(settings.threshold) is None, who.may_drill, version)
        page = built_pages.get(key)
        if page is None:
            page = pages.BUILDERS[name](dashboard, who, request.query_params)
            built_pages.put(key, page)
        return page

    def page_response(request: Request, name: str) -> Response:
        who = viewer(request, PAGE_ROLES[name])
        version = dashboard.data_version  # read first: the page's data is at least this new
        page = built(name, who, request)
        if name == "details":
            dashboard.store.audit(
                "drilldown", user=who.user.name, role=who.role.value, target="details",
                detail=request.url.query, client_ip=client_ip(request),
            )  # fmt: skip
        key = None
        if name in CACHED_PAGES:  # the content shows no user: the layout adds name and form token
            key = (name, _query_key(request), who.policy(settings.threshold) is None, who.may_drill, version)
        return render(
            request, page.template, title=page.title, user=who.user, page=page, viewer=who, cache_key=key
        )

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request) -> Response:
        return page_response(request, "overzicht")

    for path, name in (("/clienten", "clienten"), ("/aanbieders", "aanbieders"), ("/profiel", "profiel"),
                       ("/details", "details"), ("/definities", "definities"), ("/gegevens", "gegevens"),
                       ("/edities", "edities")):  # fmt: skip
        app.add_api_route(
            path, _page_route(page_response, name), methods=["GET"], response_class=HTMLResponse
        )

    @app.get("/download/{name}/{table}.{fmt}")
    def download(request: Request, name: str, table: str, fmt: str) -> Response:
        if fmt not in ("csv", "xlsx") or (name not in pages.BUILDERS and name != "audit"):
            return not_found(request, Exception())
        who = viewer(request, PAGE_ROLES[name])
        if name == "audit":
            found: Table | None = audit_table(request.query_params)
            selection = "Auditlog"
        else:
            page = built(name, who, request)
            found, selection = page.tables.get(table), page.selection
        if found is None:
            return not_found(request, Exception())
        too_large = download_problem(found)
        if too_large:
            return error_page(request, 413, "Te groot om te downloaden", too_large, who.user)
        dashboard.store.audit(
            "drilldown" if name == "details" else "export", user=who.user.name, role=who.role.value,
            target=f"{name}/{table}.{fmt}", detail=request.url.query, client_ip=client_ip(request),
        )  # fmt: skip
        if fmt == "csv":
            content = to_csv(found)
        else:
            made = now_local()
            content = to_xlsx(found, selection=selection, made_at=made, source=f"sdmonitor {__version__}")
        filename = f"{name}-{table}.{fmt}"
        return Response(
            content,
            media_type=MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @app.get("/edities/{edition_id}/{kind}")
    def edition_file(request: Request, edition_id: str, kind: str) -> Response:
        from sdmonitor.reports.editions import get_edition

        who = viewer(request, Role.VIEWER)
        if not edition_id.isascii() or not edition_id.isdigit() or len(edition_id) > 18:
            return not_found(request, Exception())
        with dashboard.figures.cursor() as cursor:
            edition = get_edition(cursor, int(edition_id))
        if edition is None or kind not in ("pdf", "xlsx", "html") or kind not in edition.files:
            return not_found(request, Exception())
        if not who.may_download(edition, settings.threshold):  # as if it did not exist (docs: Privacy)
            return not_found(request, Exception())
        path = Path(edition.files[kind])
        if not path.is_file():
            return error_page(request, 404, "Bestand niet gevonden",
                              f"Het bestand van deze editie staat niet meer op {path.name}. Vraag de beheerder "
                              "het rapport opnieuw te maken.", who.user)  # fmt: skip
        dashboard.store.audit(
            "export", user=who.user.name, role=who.role.value, target=f"editie {edition_id}/{kind}",
            client_ip=client_ip(request),
        )  # fmt: skip
        return FileResponse(path, media_type=MEDIA_TYPES[kind], filename=path.name)

    # --- administration -------------------------------------------------------------------------------

    def audit_table(params: Mapping[str, str]) -> Table:
        action = params.get("actie") or None
        if action is not None and action not in AUDIT_ACTIONS:
            raise InputError(f"Onbekende actie '{action}'.")
        entries = dashboard.store.audit_entries(limit=100_000, action=action)
        rows = [
            (e.logged_at.strftime("%d-%m-%Y %H:%M:%S"), e.user_name or "", e.role or "",
             AUDIT_ACTIONS.get(e.action, e.action), e.target or "", e.detail or "", e.client_ip or "")
            for e in entries
        ]  # fmt: skip
        table = build_table(
            TableSpec("audit", "Auditlog", ("logged_at", "user", "role", "action", "target", "detail", "ip"), rows,
                      labels=7, labeller=lambda c, v: str(v)),
            None,
        )  # fmt: skip
        from dataclasses import replace

        return replace(
            table, headers=("Tijdstip", "Gebruiker", "Rol", "Actie", "Waarop", "Selectie", "Adres")
        )

    @app.get("/beheer/audit", response_class=HTMLResponse)
    def audit(request: Request, pagina: str = "1", actie: str = "") -> Response:
        who = viewer(request, Role.ADMIN)
        if actie and actie not in AUDIT_ACTIONS:
            raise InputError(f"Onbekende actie '{actie}'.")
        size = 100
        total = dashboard.store.audit_count(actie or None)
        last = max(1, (total + size - 1) // size)
        number = re.fullmatch(r"(-?)([0-9]+)", pagina.strip())  # '3'; '-1' is the first page
        if number is None:
            raise InputError(f"Paginanummer '{pagina[:20]}' is geen getal.")
        digits = number.group(2).lstrip("0") or "0"
        # clamped: a huge number is the last page (and never reaches the database as an offset)
        page_number = 1 if number.group(1) else min(last, max(1, int(digits[:30])))
        entries = dashboard.store.audit_entries(
            limit=size, offset=(page_number - 1) * size, action=actie or None
        )
        return render(
            request, "audit.html.j2", title="Auditlog", user=who.user, entries=entries, page_number=page_number,
            pages=last, total=total, action=actie, actions=AUDIT_ACTIONS,
        )  # fmt: skip

    def users_page(
        request: Request, who: Viewer, message: str = "", error: str = "", status: int = 200
    ) -> Response:
        return render(
            request, "users.html.j2", title="Gebruikers", user=who.user, users=dashboard.store.users(), roles=list(Role),
            message=message, error=error, status=status, locked=dashboard.store.locked_names(),
        )  # fmt: skip

    @app.get("/beheer/gebruikers", response_class=HTMLResponse)
    def users(request: Request) -> Response:
        return users_page(request, viewer(request, Role.ADMIN))

    @app.post("/beheer/gebruikers", response_class=HTMLResponse)
    def add_user(
        request: Request, naam: str = Form(""), rol: str = Form(""), wachtwoord: str = Form(""),
        herhaling: str = Form(""), csrf: str = Form(""),
    ) -> Response:  # fmt: skip
        who = viewer(request, Role.ADMIN)
        check_form(request, csrf)
        if rol not in {r.value for r in Role}:
            return users_page(request, who, error="Kies een rol.", status=400)
        if wachtwoord != herhaling:
            return users_page(request, who, error="De twee wachtwoorden zijn niet gelijk.", status=400)
        try:
            added = dashboard.store.add(naam.strip(), Role(rol), wachtwoord)
        except InputError as exc:
            return users_page(request, who, error=str(exc), status=400)
        dashboard.store.audit("user_added", user=who.user.name, role=who.role.value,
                              target=f"{added.name} ({added.role.value})", client_ip=client_ip(request))  # fmt: skip
        return users_page(
            request, who, message=f"Gebruiker {added.name} is toegevoegd als {added.role.label}."
        )

    @app.post("/beheer/gebruikers/verwijderen", response_class=HTMLResponse)
    def remove_user(request: Request, naam: str = Form(""), csrf: str = Form("")) -> Response:
        who = viewer(request, Role.ADMIN)
        check_form(request, csrf)
        if naam.lower() == who.user.name.lower():
            return users_page(request, who, error="U kunt uzelf niet verwijderen.", status=400)
        try:
            dashboard.store.remove(naam)
        except InputError as exc:
            return users_page(request, who, error=str(exc), status=400)
        dashboard.store.audit("user_removed", user=who.user.name, role=who.role.value, target=naam,
                              client_ip=client_ip(request))  # fmt: skip
        return users_page(request, who, message=f"Gebruiker {naam} is verwijderd.")

    @app.post("/beheer/gebruikers/ontgrendelen", response_class=HTMLResponse)
    def unlock_user(request: Request, naam: str = Form(""), csrf: str = Form("")) -> Response:
        who = viewer(request, Role.ADMIN)
        check_form(request, csrf)
        if not dashboard.store.unlock(naam):
            return users_page(
                request, who, error=f"Gebruikersnaam {naam[:64]} was niet vergrendeld.", status=400
            )
        per_name.reset(naam.lower())
        dashboard.store.audit("user_unlocked", user=who.user.name, role=who.role.value, target=naam,
                              client_ip=client_ip(request))  # fmt: skip
        return users_page(request, who, message=f"Gebruikersnaam {naam} is ontgrendeld; aanmelden kan weer.")

    @app.post("/beheer/gebruikers/wachtwoord", response_class=HTMLResponse)
    def reset_password(
        request: Request, naam: str = Form(""), wachtwoord: str = Form(""), herhaling: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:  # fmt: skip
        who = viewer(request, Role.ADMIN)
        check_form(request, csrf)
        if wachtwoord != herhaling:
            return users_page(request, who, error="De twee wachtwoorden zijn niet gelijk.", status=400)
        try:
            dashboard.store.reset_password(naam, wachtwoord)
        except InputError as exc:
            return users_page(request, who, error=str(exc), status=400)
        dashboard.store.audit("password_reset", user=who.user.name, role=who.role.value, target=naam,
                              client_ip=client_ip(request))  # fmt: skip
        if naam.lower() == who.user.name.lower():  # the admin's own session ended with the reset
            request.session.clear()
            return RedirectResponse("/inloggen", status_code=303)
        return users_page(
            request,
            who,
            message=f"Het wachtwoord van {naam} is opnieuw ingesteld; open sessies zijn beëindigd.",
        )

    app.add_middleware(
        # the cookie lives as long as a session may; the idle timeout is checked here (``session_user``), so
        # that an expired session can say so instead of silently showing the login form
        SessionMiddleware, secret_key=settings.secret_key, session_cookie=COOKIE, max_age=settings.session_lifetime,
        same_site="lax", https_only=settings.https_only,
    )  # fmt: skip
    app.add_middleware(SecurityHeaders, hsts=settings.https_only)
    return app


def _page_route(
    page_response: Callable[[Request, str], Response], name: str
) -> Callable[[Request], Response]:
    def route(request: Request) -> Response:
        return page_response(request, name)

    route.__name__ = f"page_{name}"
    return route


def _warm_up(dashboard: Dashboard) -> None:
    """Compute the default pages' figures at start-up, so that the first visitors do not wait."""
    try:
        pages.warm_up(dashboard)
    except Exception:  # the page itself will show the problem; the server keeps running
        log.exception("warming up the dashboard failed")
