"""The forms of the users page (admins): add and remove a user, unlock a user name, reset a password. The page
itself is declared in ``web/pages/users.py``; each form answers with it, with a message or an error."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sdmonitor.errors import InputError
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Viewer
from sdmonitor.web.deps import DashboardDep, SiteDep, check_form, client_ip, dashboard_of, render, require
from sdmonitor.web.pages import users

router = APIRouter(prefix=users.PAGE.path)
AdminDep = Annotated[Viewer, Depends(require(users.PAGE.role))]


def users_page(
    request: Request, who: Viewer, message: str = "", error: str = "", status: int = 200
) -> Response:
    """The users page with the outcome of a form."""
    page = users.PAGE.build(dashboard_of(request), who, {})
    page.context.update(message=message, error=error)
    return render(
        request, page.template, title=page.title, user=who.user, page=page, viewer=who, status=status
    )


@router.post("", response_class=HTMLResponse)
def add_user(
    request: Request, dashboard: DashboardDep, who: AdminDep, naam: str = Form(""), rol: str = Form(""),
    wachtwoord: str = Form(""), herhaling: str = Form(""), csrf: str = Form(""),
) -> Response:  # fmt: skip
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
    return users_page(request, who, message=f"Gebruiker {added.name} is toegevoegd als {added.role.label}.")


@router.post("/verwijderen", response_class=HTMLResponse)
def remove_user(
    request: Request, dashboard: DashboardDep, who: AdminDep, naam: str = Form(""), csrf: str = Form("")
) -> Response:
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


@router.post("/ontgrendelen", response_class=HTMLResponse)
def unlock_user(
    request: Request, dashboard: DashboardDep, site: SiteDep, who: AdminDep, naam: str = Form(""),
    csrf: str = Form(""),
) -> Response:  # fmt: skip
    check_form(request, csrf)
    if not dashboard.store.unlock(naam):
        return users_page(request, who, error=f"Gebruikersnaam {naam[:64]} was niet vergrendeld.", status=400)
    site.per_name.reset(naam.lower())
    dashboard.store.audit("user_unlocked", user=who.user.name, role=who.role.value, target=naam,
                          client_ip=client_ip(request))  # fmt: skip
    return users_page(request, who, message=f"Gebruikersnaam {naam} is ontgrendeld; aanmelden kan weer.")


@router.post("/wachtwoord", response_class=HTMLResponse)
def reset_password(
    request: Request, dashboard: DashboardDep, who: AdminDep, naam: str = Form(""), wachtwoord: str = Form(""),
    herhaling: str = Form(""), csrf: str = Form(""),
) -> Response:  # fmt: skip
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
        request, who, message=f"Het wachtwoord van {naam} is opnieuw ingesteld; open sessies zijn beëindigd."
    )
