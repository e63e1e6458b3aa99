"""The drill-down: the pseudonymised allocations behind a clients figure, and the benefits behind a figure of
the Participatiewet (persons on a benefit are its clients): the page names what its rows are, and marks an end
date after the data moment of its source as planned ('gepland'), as the figure does not count it as ended."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import partial

from sdmonitor.domain.wording import law_name
from sdmonitor.errors import InputError
from sdmonitor.metrics import MetricRequest
from sdmonitor.metrics.catalogue import BENEFITS
from sdmonitor.metrics.dimensions import AgeBands
from sdmonitor.warehouse.inventory import data_moment
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.filters import BY_COLUMN, parse_filters, parse_period
from sdmonitor.web.pages.base import Page, PageDeclaration, no_data
from sdmonitor.web.tables import Table, TableSpec, build_table

DRILL_EXTRA = (BY_COLUMN["age_band"], BY_COLUMN["sex"])
BENEFIT_LAW = "PW"  # a row of law PW is a benefit (``clients.client_facts``), the others allocations
PLANNED = "gepland"
PLANNED_NOTE = (
    "Gepland: de einddatum ligt na het datamoment van de bron; het cijfer telt de toewijzing of uitkering tot "
    "dan als lopend."
)


def rows_noun(laws: set[str]) -> str:
    """What the rows are, for the title and the sentences: 'toewijzingen', 'uitkeringen' or both."""
    if laws and laws <= {BENEFIT_LAW}:
        return "uitkeringen"
    return "toewijzingen en uitkeringen" if BENEFIT_LAW in laws else "toewijzingen"


def with_planned_ends(table: Table, moments: Mapping[bool, date | None]) -> Table:
    """``table`` with an end date after its source's data moment (``moments`` by whether the row is a
    benefit) shown as '30-09-2024 (gepland)'; the value stays the date (downloads keep a date column)."""
    law_at, end_at = table.columns.index("law"), table.columns.index("end_date")
    rows = []
    for row in table.rows:
        moment = moments[row[law_at].value == BENEFIT_LAW]
        end = row[end_at]
        if moment is not None and isinstance(end.value, date) and end.value > moment:
            end = replace(end, text=f"{end.text} ({PLANNED})")
        rows.append((*row[:end_at], end, *row[end_at + 1 :]))
    planned = any(row[end_at].text.endswith(f"({PLANNED})") for row in rows)
    return replace(table, rows=tuple(rows), note=PLANNED_NOTE if planned else table.note)


def details(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """The pseudonymised allocations behind a clients figure of one period (analysts and admins)."""
    from sdmonitor.domain.periods import MONTHS_PER
    from sdmonitor.metrics.drilldown import client_rows

    defaults = dash.default_filters()
    if defaults is None:
        return no_data("details", "Details")
    choices = dash.client_choices()  # a figure of the Participatiewet on the clients page has details too
    filters = parse_filters(params, choices, defaults, allow_breakdown=False)
    period = parse_period(params.get("cel"), filters.periods(), filters.periods()[-1])
    extra = []
    for dimension in DRILL_EXTRA:
        value = params.get(dimension.parameter)
        if value:
            allowed = AgeBands().labels() if dimension.column == "age_band" else choices.values("sex")
            if value not in allowed:
                raise InputError(f"Onbekende waarde '{value}' voor {dimension.label.lower()}.")
            extra.append((dimension.column, value))
    values = (*filters.values, *extra)
    segments = dash.settings.segments if any(c == "segment" for c, _ in values) else ()
    whole = (filters.periods()[0].first, filters.periods()[-1].last)  # the metric counts whole periods
    found = dash.figures.read(partial(client_rows, period=period, values=tuple(values), within=whole,
                                      bands=AgeBands(), segments=segments,
                                      months_per_slot=MONTHS_PER[filters.grain]))  # fmt: skip
    # the figure on the clients page for the same selection, to show that they agree
    request = MetricRequest("clients", grain=filters.grain.value, start=filters.start, end=filters.end,
                            by=tuple(c for c, _ in values), segments=segments)  # fmt: skip
    figure = dash.figures.metric(request)
    matching = [
        r for r in figure.records() if r["period"] == period.label and all(r[c] == v for c, v in values)
    ]
    figure_value = matching[0]["clients"] if matching else 0
    limit = dash.settings.drilldown_limit
    noun = rows_noun({str(row[found.columns.index("law")]) for row in found.rows} or
                     {c_v[1] for c_v in filters.values if c_v[0] == "law"})  # fmt: skip
    table = build_table(
        TableSpec("details", f"{noun.capitalize()} achter het cijfer", found.columns, found.rows, labels=len(found.columns),
                  labeller=lambda c, v: law_name(v) if c == "law" else
                  (v.strftime("%d-%m-%Y") if isinstance(v, date) else str(v))),
        None,
    )  # fmt: skip
    moments = {
        is_benefit: dash.figures.read(partial(data_moment, kinds=(kind,), cutoff=None))
        for is_benefit, kind in ((False, "allocations"), (True, BENEFITS))
    }
    table = with_planned_ends(table, moments)
    described = "; ".join([period.label, *(f"{BY_COLUMN.get(c, DRILL_EXTRA[0] if c == 'age_band' else DRILL_EXTRA[1]).label}: "
                                           f"{dash.label(c, v)}" for c, v in values)])  # fmt: skip
    from urllib.parse import urlencode

    query = urlencode([(k, v) for k, v in params.items() if k in {"van", "tot", "periode", *(
        d.parameter for d in (*choices.filters(), *DRILL_EXTRA)), "cel"}])  # fmt: skip
    return Page(
        "details", "details.html.j2", "Details op cliëntniveau", selection=described,
        tables={"details": table}, query=query,
        context={"noun": noun, "period": period, "clients": found.clients, "figure": figure_value, "limit": limit,
                 "shown": min(limit, len(table.rows)), "total_rows": len(table.rows), "described": described,
                 "shown_table": replace(table, rows=table.rows[:limit])},
    )  # fmt: skip


PAGE = PageDeclaration(
    name="details",
    path="/details",
    nav_label=None,
    role=Role.ANALYST,
    build=details,
    drilldown=True,
    order=100,
)
