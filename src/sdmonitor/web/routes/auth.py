"""Logging in and out, and the health check for monitoring."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from sdmonitor import __version__
from sdmonitor.web.auth import RateLimiter, new_csrf_token, verify_password, verify_unknown_user
from sdmonitor.web.deps import (
    DashboardDep,
    SiteDep,
    check_form,
    client_ip,
    render,
    session_user,
)

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no '//host', no scheme): an open redirect helps phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


@router.get("/inloggen", response_class=HTMLResponse)
def login_form(request: Request, volgende: str = "/") -> Response:
    if session_user(request) is not None:
        return RedirectResponse(_safe_next(volgende), status_code=303)
    expired = bool(request.session.pop("expired", False))
    return render(request, "login.html.j2", title="Inloggen", user=None, next=_safe_next(volgende),
                  message="Uw sessie is verlopen; log opnieuw in." if expired else "", name="")  # fmt: skip


@router.post("/inloggen", response_class=HTMLResponse)
def login(
    request: Request, dashboard: DashboardDep, site: SiteDep, gebruikersnaam: str = Form(""),
    wachtwoord: str = Form(""), csrf: str = Form(""), volgende: str = Form("/"),
) -> Response:  # fmt: skip
    settings, per_user, per_ip, per_name = dashboard.settings, site.per_user, site.per_ip, site.per_name
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
        valid = verify_password(wachtwoord, user.password_hash) if user else verify_unknown_user(wachtwoord)
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


@router.post("/uitloggen")
def logout(request: Request, dashboard: DashboardDep, csrf: str = Form("")) -> Response:
    check_form(request, csrf)
    user = session_user(request)
    if user is not None:
        dashboard.store.audit("logout", user=user.name, role=user.role.value, client_ip=client_ip(request))
    if "sid" in request.session:  # the server forgets the session: a copy of the cookie no longer works
        dashboard.store.end_session(str(request.session["sid"]))
    request.session.clear()
    return RedirectResponse("/inloggen", status_code=303)


@router.get("/gezondheid")
async def health() -> JSONResponse:
    """For monitoring: answers without a login and without touching the warehouse."""
    return JSONResponse({"status": "ok", "versie": __version__})
