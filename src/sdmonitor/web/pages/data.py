"""The data page: loads, rejected rows and unknown codes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sdmonitor.domain.periods import Grain
from sdmonitor.domain.wording import GRAIN_WORDS
from sdmonitor.metrics import MetricRequest
from sdmonitor.metrics.catalogue import header
from sdmonitor.metrics.dimensions import UNKNOWN
from sdmonitor.warehouse import inventory
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import Page, PageDeclaration
from sdmonitor.web.tables import TableSpec, build_table


def data(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Loads with their counts, the reasons rows were rejected or warned, and unknown codes in the figures."""
    loads = [
        (
            r.load_id,
            r.loaded_at.strftime("%d-%m-%Y %H:%M"),
            r.kind,
            r.source,
            r.file_name,
            r.rows_read,
            r.rows_loaded,
            r.rows_unchanged,
            r.rows_duplicate,
            r.rows_rejected,
            r.rows_warned,
        )
        for r in reversed(dash.figures.read(inventory.list_loads))
    ]
    load_table = build_table(
        TableSpec("laadacties", "Laadacties", ("loads", "loaded_at", "kind", "source", "file_name", "rows_read",
                  "rows_loaded", "rows_unchanged", "rows_duplicate", "rows_rejected", "rows_warned"),
                  loads, labels=5,
                  labeller=lambda c, v: str(v)),
        None,
    )  # fmt: skip
    load_table = replace(load_table, headers=("Nr.", "Geladen op", "Soort", "Bron", "Bestand", "Gelezen", "Geladen",
                                              "Ongewijzigd", "Dubbel", "Afgewezen", "Met waarschuwing"))  # fmt: skip
    issues = [(i.load_id, i.severity, i.code, i.rows) for i in dash.figures.read(inventory.load_issue_counts)]
    issue_table = build_table(
        TableSpec("meldingen", "Afgewezen rijen en waarschuwingen per reden", ("loads", "severity", "code", "rows"),
                  issues, labels=3, labeller=lambda c, v: str(v)),
        None,
    )  # fmt: skip
    issue_table = replace(issue_table, headers=("Laadactie", "Ernst", "Reden", "Rijen"))
    unknown_rows: list[tuple[Any, ...]] = []
    covered = dash.data_range()
    if covered is not None:
        columns = ("cbs_group", "provider_type", "wijk")
        result = dash.figures.metric(
            MetricRequest("allocations", grain="year", start=covered.first, end=covered.last, by=columns)
        )
        per_year: dict[str, list[int]] = {}
        for row in result.records():
            counts = per_year.setdefault(str(row["period"]), [0, 0, 0, 0])
            counts[3] += row["allocations"]
            for i, column in enumerate(columns):
                if row[column] == UNKNOWN:
                    counts[i] += row["allocations"]
        unknown_rows = [(year, *counts) for year, counts in per_year.items()]
    unknown = build_table(
        TableSpec("onbekend", "Lopende toewijzingen met onbekende codes", ("year", "cbs_group", "provider_type",
                  "wijk", "allocations"), unknown_rows, labeller=lambda c, v: str(v)),
        None,
    )  # fmt: skip
    # the catalogue's headers, qualified by what is unknown about them
    unknown = replace(unknown, headers=(GRAIN_WORDS[Grain.YEAR].capitalize(), f"{header('cbs_group')} onbekend",
                                        f"{header('provider')} niet in aanbiederslijst",
                                        "Postcode niet in wijkindeling", header("allocations")))  # fmt: skip
    return Page(
        "gegevens",
        "data.html.j2",
        "Gegevens",
        tables={"laadacties": load_table, "meldingen": issue_table, "onbekend": unknown},
    )


PAGE = PageDeclaration(
    name="gegevens", path="/gegevens", nav_label="Gegevens", role=Role.ADMIN, build=data, order=70
)
