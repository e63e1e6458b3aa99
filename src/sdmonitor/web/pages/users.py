"""The users (admins): the list with roles, the locked user names, and the forms to add, remove, unlock and
reset a password (their POST handlers are in ``web/routes/admin.py``)."""

from __future__ import annotations

from collections.abc import Mapping

from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import Page, PageDeclaration


def users(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """The users and the locked names; ``message`` and ``error`` are set by the form handlers."""
    return Page(
        "gebruikers", "users.html.j2", "Gebruikers",
        context={"users": dash.store.users(), "roles": list(Role), "locked": dash.store.locked_names(),
                 "message": "", "error": ""},
    )  # fmt: skip


PAGE = PageDeclaration(
    name="gebruikers", path="/beheer/gebruikers", nav_label="Gebruikers", role=Role.ADMIN, build=users,
    downloads=False, order=80,
)  # fmt: skip
