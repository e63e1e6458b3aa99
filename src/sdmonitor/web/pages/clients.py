"""Clients and flows: clients, inflow and outflow per period, with filters and a breakdown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from sdmonitor.domain.formatting import dutch_decimal
from sdmonitor.domain.periods import Period
from sdmonitor.domain.wording import GRAIN_WORDS
from sdmonitor.reports.charts import Point
from sdmonitor.web import charts
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.filters import BY_COLUMN, Choices, Filters, parse_filters
from sdmonitor.web.pages.base import (
    TREND_THRESHOLD,
    Chart,
    Page,
    PageDeclaration,
    displayed,
    no_data,
    policy_of,
    shown_value,
    without,
)
from sdmonitor.web.tables import TableSpec, build_table


def _filter_page_context(dash: Dashboard, filters: Filters, choices: Choices) -> dict[str, Any]:
    return {
        "filters": filters,
        "choices": choices,
        "grains": GRAIN_WORDS,
        "grain_options": [(word, word) for word in GRAIN_WORDS.values()],
        "filter_dimensions": choices.filters(),
        "breakdowns": choices.breakdowns(),
        "parameter_of": {d.column: d.parameter for d in (*choices.filters(), *choices.breakdowns())},
        "breakdown_options": [(d.parameter, d.label) for d in choices.breakdowns()],
    }


def drill_link(filters: Filters, period: Period, extra: tuple[tuple[str, str], ...] = ()) -> str:
    """The drill-down URL behind the clients figure of ``period`` on a page with ``filters``.

    It keeps the page's date range (``van``/``tot``): with age columns the figure depends on it (a
    client's earliest birth date on the allocations in that range), and the drill-down must agree.
    """
    base = replace(filters, values=(), breakdown=None)
    pairs = [(BY_COLUMN[c].parameter, v) for c, v in (*filters.values, *extra)]
    return f"/details?{base.query()}&{urlencode([('cel', period.label), *pairs])}"


BENEFIT_FLOWS = (
    "De in- en uitstroom van de Participatiewet telt personen op een uitkering, niet episodes van "
    "toewijzingen; die staat op de pagina"
)


def benefit_flows_pointer(filters: Filters, choices: Choices) -> dict[str, str] | None:
    """The sentence under (or, with the filter wet=PW, instead of) the flows: the Participatiewet's flows are
    ``benefit_flows``, on the page Uitkeringen; None when no benefits are loaded (no PW among the laws) or the
    filter picks another law."""
    law = filters.value("law")
    if "PW" not in choices.values("law") or law not in (None, "PW"):
        return None
    only = law == "PW"
    text = BENEFIT_FLOWS if only else f"Deze tabel telt de Wmo en de Jeugdwet. {BENEFIT_FLOWS}"
    link = "/uitkeringen?" + urlencode([("periode", GRAIN_WORDS[filters.grain])])
    return {"text": text, "link": link, "only": "ja" if only else ""}


def clients(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Clients, inflow and outflow per period, with filters and an optional breakdown."""
    defaults = dash.default_filters()
    if defaults is None:
        return no_data("clienten", "Cliënten en stromen")
    choices = dash.client_choices()
    filters = parse_filters(params, choices, defaults)
    policy = policy_of(dash, viewer)
    by_label = {p.label: p for p in filters.periods()}
    counted = dash.figures.metric(filters.request("clients", choices, growth=True, threshold=TREND_THRESHOLD))
    columns, rows = without(*displayed(counted, filters), "long_trend")
    labels = 2 if filters.breakdown else 1
    links: list[str | None] = []
    if viewer.may_drill:
        for row in (dict(zip(columns, values, strict=True)) for values in rows):
            extra = ((filters.breakdown, str(row[filters.breakdown])),) if filters.breakdown else ()
            links.append(drill_link(filters, by_label[str(row["period"])], extra))
    clients_table = build_table(
        TableSpec("clienten", "Unieke cliënten", columns, rows, labels=labels, labeller=dash.label,
                  status=counted.status, row_links=links, links_header="Details",
                  note="Verandering ten opzichte van de vorige periode; de pijl wijst omhoog of omlaag bij meer "
                       f"dan {dutch_decimal(TREND_THRESHOLD, 0)} %."),
        policy,
    )  # fmt: skip
    flowed = dash.figures.metric(filters.request("flows", choices))
    flow_columns, flow_rows = displayed(flowed, filters)
    flows_table = build_table(
        TableSpec("stromen", "Instroom en uitstroom (episodes)", flow_columns, flow_rows, labels=labels,
                  labeller=dash.label, status=flowed.status,
                  note="Instroom: episodes die in de periode beginnen; uitstroom: episodes die erin eindigen; "
                       "een verlenging aansluitend op de vorige toewijzing telt niet mee. Onvolledig: te kort "
                       "na het begin van de gegevens om nieuwe van doorlopende ondersteuning te onderscheiden "
                       "(nooit de basis van een trendpijl)."),
        policy,
    )  # fmt: skip
    page = Page(
        "clienten", "clients.html.j2", "Cliënten en stromen", selection=filters.describe(choices),
        tables={"clienten": clients_table, "stromen": flows_table}, query=filters.query(),
        context={**_filter_page_context(dash, filters, choices),
                 "benefit_flows": benefit_flows_pointer(filters, choices)},
    )  # fmt: skip
    grain_title = GRAIN_WORDS[filters.grain].capitalize()
    points = [
        Point(str(row[0].value), row[1].text if filters.breakdown else "Cliënten", value)
        for r, row in enumerate(clients_table.rows)
        if (value := shown_value(clients_table, r, "clients")) is not None
    ]
    svg = charts.line_chart("Unieke cliënten", points, x_title=grain_title, y_title="Cliënten",
                            hidden=clients_table.hidden_count, threshold=clients_table.threshold)  # fmt: skip
    if svg:
        page.charts.append(Chart("Unieke cliënten", svg, "clienten"))
    if filters.breakdown:
        flow_points = [
            Point(str(row[0].value), row[1].text, value)
            for r, row in enumerate(flows_table.rows)
            if (value := shown_value(flows_table, r, "inflow")) is not None
        ]
        svg = charts.line_chart("Instroom (episodes)", flow_points, x_title=grain_title, y_title="Instroom",
                                hidden=flows_table.hidden_count, threshold=flows_table.threshold)  # fmt: skip
    else:
        flow_points = [
            Point(str(row[0].value), name, value)
            for r, row in enumerate(flows_table.rows)
            for column, name in (("inflow", "Instroom"), ("outflow", "Uitstroom"))
            if (value := shown_value(flows_table, r, column)) is not None
        ]
        make = charts.bar_chart if len(flows_table.rows) <= 24 else charts.line_chart
        svg = make("Instroom en uitstroom (episodes)", flow_points, x_title=grain_title, y_title="Episodes",
                   hidden=flows_table.hidden_count, threshold=flows_table.threshold)  # fmt: skip
    if svg:
        page.charts.append(Chart("Instroom en uitstroom", svg, "stromen"))
    return page


PAGE = PageDeclaration(
    name="clienten",
    path="/clienten",
    nav_label="Cliënten en stromen",
    role=Role.VIEWER,
    build=clients,
    cached=True,
    warm_up=True,
    order=20,
)
