"""The audit log (admins): a hundred lines per page, newest first; its download holds every line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from sdmonitor.errors import InputError
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import Page, PageDeclaration
from sdmonitor.web.store import AUDIT_ACTIONS
from sdmonitor.web.tables import Table, TableSpec, build_table

PAGE_SIZE = 100


def audit(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """One page of the log, optionally of one action: ``?pagina=3&actie=login_failed``."""
    pagina, actie = params.get("pagina", "1"), params.get("actie", "")
    if actie and actie not in AUDIT_ACTIONS:
        raise InputError(f"Onbekende actie '{actie}'.")
    size = PAGE_SIZE
    total = dash.store.audit_count(actie or None)
    last = max(1, (total + size - 1) // size)
    number = re.fullmatch(r"(-?)([0-9]+)", pagina.strip())  # '3'; '-1' is the first page
    if number is None:
        raise InputError(f"Paginanummer '{pagina[:20]}' is geen getal.")
    digits = number.group(2).lstrip("0") or "0"
    # clamped: a huge number is the last page (and never reaches the database as an offset)
    page_number = 1 if number.group(1) else min(last, max(1, int(digits[:30])))
    entries = dash.store.audit_entries(limit=size, offset=(page_number - 1) * size, action=actie or None)
    return Page(
        "audit", "audit.html.j2", "Auditlog",
        context={"entries": entries, "page_number": page_number, "pages": last, "total": total, "action": actie,
                 "actions": AUDIT_ACTIONS},
    )  # fmt: skip


def audit_table(dash: Dashboard, params: Mapping[str, str]) -> Table:
    """Every line of the log (of one action, with ``actie``), as a table to download."""
    action = params.get("actie") or None
    if action is not None and action not in AUDIT_ACTIONS:
        raise InputError(f"Onbekende actie '{action}'.")
    entries = dash.store.audit_entries(limit=100_000, action=action)
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
    return replace(table, headers=("Tijdstip", "Gebruiker", "Rol", "Actie", "Waarop", "Selectie", "Adres"))


def audit_download(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """The page of the download: the whole log, not the hundred lines shown."""
    return Page(
        "audit",
        "audit.html.j2",
        "Auditlog",
        selection="Auditlog",
        tables={"audit": audit_table(dash, params)},
    )


PAGE = PageDeclaration(
    name="audit", path="/beheer/audit", nav_label="Auditlog", role=Role.ADMIN, build=audit,
    download_build=audit_download, order=90,
)  # fmt: skip
