"""Downloads: each table of a page as CSV or XLSX (what the page shows, for the page's role), and the files
of report editions."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response

from sdmonitor import __version__
from sdmonitor.web.dashboard import Viewer
from sdmonitor.web.deps import DashboardDep, authorise, client_ip, error_page, not_found, require
from sdmonitor.web.pages import PAGES_BY_NAME, editions
from sdmonitor.web.routes.pages import built
from sdmonitor.web.store import now_local
from sdmonitor.web.tables import download_problem, to_csv, to_xlsx

router = APIRouter()

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


@router.get("/download/{name}/{table}.{fmt}")
def download(request: Request, dashboard: DashboardDep, name: str, table: str, fmt: str) -> Response:
    declaration = PAGES_BY_NAME.get(name)
    if fmt not in ("csv", "xlsx") or declaration is None or not declaration.downloads:
        return not_found(request)
    who = authorise(request, declaration.role)
    if declaration.download_build is not None:
        page = declaration.download_build(dashboard, who, request.query_params)
    else:
        page = built(declaration, who, request)
    found, selection = page.tables.get(table), page.selection
    if found is None:
        return not_found(request)
    too_large = download_problem(found)
    if too_large:
        return error_page(request, 413, "Te groot om te downloaden", too_large, who.user)
    dashboard.store.audit(
        "drilldown" if declaration.drilldown else "export", user=who.user.name, role=who.role.value,
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


@router.get("/edities/{edition_id}/{kind}")
def edition_file(
    request: Request, dashboard: DashboardDep, who: Annotated[Viewer, Depends(require(editions.PAGE.role))],
    edition_id: str, kind: str,
) -> Response:  # fmt: skip
    """A file of a report edition, for whoever may open the editions page and may see this edition."""
    from sdmonitor.reports.editions import get_edition

    settings = dashboard.settings
    if not edition_id.isascii() or not edition_id.isdigit() or len(edition_id) > 18:
        return not_found(request)
    edition = dashboard.figures.read(partial(get_edition, edition_id=int(edition_id)))
    if edition is None or kind not in ("pdf", "xlsx", "html") or kind not in edition.files:
        return not_found(request)
    if not who.may_download(edition, settings.threshold):  # as if it did not exist (docs: Privacy)
        return not_found(request)
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
